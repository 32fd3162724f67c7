"""The safety net's precision: emergencies now get 112 at once, rehabilitation and the past do not;
crises are told apart from physical emergencies."""

from __future__ import annotations

import pytest

from bot.emergency import is_crisis, is_emergency, is_physical_emergency, mentions_serious_condition

# Something is happening now: 112 at once.
EMERGENCIES_NOW = [
    "jeg har ondt i brystet",
    # from the training data written on 2026-12-01 (data/nlu/extra_staff_and_talk.yml)
    "barnet har slugt et knapbatteri",
    "min veninde har taget en overdosis",
    "han blev stukket af en hveps og halsen hæver, han kan næsten ikke trække vejret",
    "hjælp hurtigt min mand har ondt i brysstet og er grå i ansigtet",
    "han har spist nødder, nu hæver læberne og han hiver efter vejret",
    # "ikke" typed in a hurry (the fourth set's "jeg kan ikek få luft" went unnoticed)
    "jeg kan ikk få luft",
    "han kan ik' få vejret",
    "min mand har trykken i brystet og smerter ud i armen",
    "min mor er faldet og kan ikke rejse sig",
    "han trækker ikke vejret",
    "jeg kan ikke få vejret",
    "hun er bevidstløs",
    "min far er besvimet på badeværelset",
    "der er en der har fået et hjertestop",
    "jeg tror jeg har en blodprop",
    "jeg tror min far har en blodprop i hjernen",
    "min kone taler sløret og munden hænger i den ene side",
    "det bløder voldsomt og vil ikke stoppe",
    "min søn har fået et krampeanfald",
    "hun har taget for mange piller",
    "jeg har fået et allergisk chok",
    "ring efter en ambulance",
    "min far har lige fået et slagtilfælde",
    "han havde en blodprop sidste år og nu har han ondt i brystet igen lige nu",
    "min mor får pludselig krampeanfald",
    "ring 112, min mor er gået omkuld",
    "hun er faldet om og reagerer ikke",
    "jeg er blevet forgiftet",
    "min bedstefar er væltet i haven og kan ikke komme op",
    "det er livstruende",
    "min mor er blevet helt slap i den ene side og taler mærkeligt",
    "hjælp! min nabo ligger på gulvet og reagerer ikke",
    "min far er lammet i ansigtet",
    "min mand taler pludselig utydeligt",
    "jeg kan ikke vække min søn",
    "babyen vågner ikke",
    "han ligger helt livløs",
    "min mormor reagerer ikke!",
    "min datter er blå om læberne",
    "min søn har skåret sig dybt i hånden og det fosser med blod",
    "blodet sprøjter ud af hans ben",
    "vi kan ikke stoppe blødningen",
    "jeg har en trykkende fornemmelse, trykken for brystet",
    "min mor har meget svært ved at trække vejret",
    "jeg får ikke luft",
    "hans læber er blå",
    "jeg tror min far har et hjerteanfald",
    "min kollega har fået et ildebefindende",
    "min nabo er faldet på trappen og svarer ikke",
    "han er faldet ned ad stigen, han reagerer ikke",
    "barnet har slugt mange piller og er svært at vække",
    "min mand har pludselig svært ved at tale",
    "hendes mundvigen hænger",
    "pludselig kan min mor ikke bevæge sin venstre arm",
    "ordene kommer helt forkert ud af munden på ham",
    "min søn har spist en hel pakke panodil",
    "min søn har taget en hel pakke panodiler",
    "min kone er holdt op med at trække vejret, hvad gør jeg",
    "han er stoppet med at ånde",
    "hun ånder ikke længere",
    "hun har taget 20 panodiler",
    "han har slugt tyve sovepiller",
    "hun har slugt en hel æske sovepiller",
    "min kæreste har taget et eller andet og vågner ikke",
    "min veninde har drukket og taget noget, og nu vågner hun ikke",
    "jeg har prøvet at ruske i ham men han vågner ikke",
    "min søn har fået en allergisk reaktion og hæver op i ansigtet",
    "læberne svulmer helt op på min mand efter et bistik",
    "min nabo faldt lige om i haven og har ingen puls",  # cardiac arrest (set 16, model 2d571cbff48e)
    "min far segnede om, jeg kan ikke mærke hans puls",
    "min mand gik pludselig omkuld i køkkenet",
    "min søn er stukket af en hveps og hans hals hæver op",  # airway (set 18, model 2d571cbff48e)
    "jeg er blevet stukket af en bi og kan ikke synke",
    "hendes læber og ansigt hæver op efter hun spiste nødder",
    "mit barn har slugt en masse panodiler",  # poisoning and stroke (set 19, model 2d1fb5d0fdc3)
    "farmor har pludselig skæv mund og snøvler",
    "min søn har drukket opvaskemiddel",
    "barnet har spist sin fars piller",
    "min mors mund er lige blevet helt skæv",
    "hun har ikke trukket vejret i et stykke tid",  # set 20, model a751aa6a23cd
    "min kone har pludselig lammelser i højre side",
    "han er pludselig lam i armen",
    "der er blod overalt, han har fået en kniv i låret",  # set 21, model a751aa6a23cd
    "min kæreste er blevet stukket ned på gaden",
    "han er skudt i maven",
    "en mand er blevet knivstukket foran butikken",
    "min lille dreng har spist en opvasketablet",  # set 23, model b39585f4e272
    "barnet har slugt en vaskekapsel",
    "hun har drukket af toiletrensen",
    "min søn på 3 har spist af mormors blodtrykspiller",  # set 24, model 7622a78654ec
    "vores toårige har slugt nogle af naboens sovepiller",
    "min lille pige på 4 har spist af sin bedstefars hjertemedicin",
    # gasping (set 27 missed one; other words here)
    "min far snapper efter vejret og bliver grå",
    "hun gisper efter luft nede på gulvet",
    "jeg er ved at dø",  # goodbye (0.98) on model aaed8d7e02fd
    "hej, min far er ved at dø",
]

# Rehabilitation, prevention or history: the normal answer, not the emergency reply.
NOT_EMERGENCIES = [
    "hvor kan jeg få skiftet batteri i mit høreapparat",
    "jeg havde en overdosis for mange år siden",
    "jeg har ondt i brystmusklen efter træning",
    "min datter er allergisk over for nødder, hvor kan hun få en allergitest",
    "batteriet i min telefon er ved at løbe tør",
    "kan jeg få hjælp til at trække vejret bedre med min KOL",
    "ikon ikken er ikke i luften",  # words that start like "ikke" stay what they are
    "jeg skal genoptrænes efter en blodprop",
    "min far havde en blodprop sidste år",
    "genoptræning efter en blodprop i hjernen, jeg bor i 3400",
    "hvor kan min mor få genoptræning efter sit slagtilfælde?",
    "jeg havde et hjertestop for to år siden, findes der et kursus?",
    "min mand har haft en blodprop, hvor kan han træne?",
    "rehabilitering efter blodprop i hjertet i Albertslund",
    "min far fik en blodprop i 2019 og skal nu til fysioterapi",
    "er der en patientforening for folk der har haft et slagtilfælde?",
    "hvordan forebygger man blodpropper",
    "jeg er pårørende til en der har haft en blodprop",
    "min mor havde krampeanfald som barn",
    "genoptræning efter hjertestop",
    "træning efter blodprop i benet",
    "jeg fik en madforgiftning sidste sommer",
    "min søster havde ondt i brystet sidste år, nu er hun rask",
    "efter min blodprop er jeg kommet hjem, hvem kontakter mig om genoptræning?",
    "tidligere besvimet, skal jeg have en henvisning til kardiologi?",
    "hvor tager man blodprøver i Helsingør",
    "opvasketabs er løbet tør, kan du huske det på indkøbslisten",
    "hvilket vaskemiddel er bedst til uld",
    "jeg har drukket for lidt vand i dag",
    "jeg skal have taget en blodprøve",
    "min far er udskrevet efter et slagtilfælde og skal genoptrænes",
    "jeg har tidligere haft en blodprop og vil gerne på et kursus",
    "hjemmesiden reagerer ikke",
    "min søn har skåret sig i fingeren, hvor kan jeg få den tjekket?",
    "hvor kan jeg give blod i Odense?",
    "min teenager er svær at vække om morgenen, hvem kan hjælpe?",
    "min søn har svært ved at tale rent, hvor finder jeg en talepædagog?",
    "jeg havde et hjerteanfald sidste år og vil gerne på hjerteholdet",
    "min far havde et ildebefindende i sommer",
    "lægen svarer ikke",
    "jeg skal have mine piller fornyet",
    "jeg vil gerne ud og have frisk luft, er der gågrupper?",
    "dækket får ikke luft nok",
    "jeg er faldet over jeres side, men telefonen svarer ikke",
    "min datter fik ikke luft nok til at blæse ballonen op, haha",
    "min bror har haft et hjerteanfald og skal til genoptræning",
    "jeg har svært ved at finde ordene på dansk, kan jeg få en tolk?",
    "jeg er lidt lam i armen efter at have sovet på den",
    "appen svarer ikke, når jeg trykker på knappen",
    "min mor er blevet glemsom, hvor kan hun blive udredt?",
    "babyen sover ikke om natten, hvor finder jeg en sundhedsplejerske?",
    "jeg ligger vågen om natten og vil gerne tale med nogen",
    "min computer reagerer ikke",
    "jeg kan ikke tale i telefon lige nu, kan I skrive?",
    "min søn reagerer ikke på mine beskeder",
    "jeg har ligget syg i en uge og vil gerne tale med nogen",
    "min far har haft et slagtilfælde og er stadig lidt slap i den ene side, hvor kan han genoptræne?",
    "jeg kan ikke bevæge min arm ordentligt efter operationen, hvor kan jeg genoptræne?",
    "han har spist en hel pakke kiks",
    "jeg har taget 2 panodiler mod hovedpinen, hvor kan jeg få taget en blodprøve",
    "min mor har taget 10 kg på, hvor finder jeg en diætist",
    "jeg vil holde op med at ryge, hvor er der rygestop",
    "min mand holder op med at trække vejret om natten når han sover, hvor kan han blive undersøgt",
    "jeg er holdt op med at træne efter operationen, hvor kan jeg genoptræne",
    "jeg har taget alle mine piller i dag, hvornår skal jeg til blodprøve",
    "jeg har taget hele min medicin i morges",
    "jeg har taget mange piller mod hovedpine i år, hvem kan jeg tale med om det",
    "min søn sover til middag og vågner ikke før kl 12",
    "hvorfor vågner hun ikke om natten når hun er våd",
    "min datter hævede op i ansigtet af nødder sidste år, hvor kan hun blive allergitestet?",
    "min mor faldt om natten og slog sit knæ, hvor kan hun få det set på",
    "hvordan måler jeg min puls efter træning",
    "jeg gik om bag sundhedshuset, hvor er indgangen",
    "stukket af en hveps i armen, det klør, hvor kan jeg få det set på",
    "mit knæ er hævet op efter løbeturen, hvor kan jeg få fysioterapi",
    "jeg har ondt i halsen og hoster, hvornår har lægen åbent",
    "min far har stadig en skæv mund efter blodproppen, hvor kan han få hjælp til at tale",
    "mit barn har svært ved at sluge piller, hvem kan hjælpe",
    "hvor kan jeg købe opvaskemiddel",
    "min søn har spist sin medicin, hvornår skal han til kontrol",
    "min datter på 4 har spist sin medicin, hvornår skal hun til kontrol",
    "min søn på 5 har taget sin astmamedicin, hvor kan han få tjekket lungerne",
    "jeg har drukket en masse vand i dag",
    "min far har lammelser i venstre side efter sit slagtilfælde, hvor kan han genoptræne",
    "jeg har ikke trukket vejret ordentligt gennem næsen i en uge, hvornår har lægen åbent",
    "jeg er lam i benene efter en rygskade, hvor er der fysioterapi",
    "hvor kan jeg få syet et snitsår fra en køkkenkniv, det er holdt op med at bløde",
    "kampagnen blev skudt i gang i går",
    "jeg fik en kniv i julegave, kan I vise mig et kursus i madlavning",
    "min bror blev knivstukket for ti år siden og går stadig til genoptræning",
    "jeg fik blod på skjorten da jeg fik taget en blodprøve",
    "jeg går lige ud og snapper lidt frisk luft",
    "kan man snappe efter en tid hos diætisten",
    "jeg er ved at dø af grin over jeres kursusplakat",
    "jeg er ved at dø af kedsomhed i venteværelset",
]

CRISES = [
    "Jeg har tanker om at tage mit eget liv",
    "jeg orker ikke mere",
    "jeg vil ikke leve længere",
    "jeg har tænkt på selvmord",
    "jeg har lyst til at dø",
    "jeg skærer i mig selv",
    "alle ville have det bedre uden mig",
    "jeg vil gøre en ende på det hele",
    "jeg har ikke lyst til at leve mere",
    "jeg orker ikke livet",
    "min ven har skrevet at han vil tage sit eget liv",
    "jeg vil gøre en ende på det",
    "jeg kan ikke mere og har tænkt på at slutte det hele i aften",  # set 20
    "jeg sidder med pillerne og vil tage dem alle sammen",  # set 22
    "min søster skriver at hun vil sluge hele glasset med sovepiller",
]


def test_the_table_is_large_enough_and_balanced():
    assert len(EMERGENCIES_NOW) + len(NOT_EMERGENCIES) >= 40
    assert abs(len(EMERGENCIES_NOW) - len(NOT_EMERGENCIES)) <= 2


@pytest.mark.parametrize("message", EMERGENCIES_NOW)
def test_an_emergency_now_is_an_emergency(message):
    assert is_physical_emergency(message), message
    assert is_emergency(message)
    assert not is_crisis(message)


@pytest.mark.parametrize("message", NOT_EMERGENCIES)
def test_rehabilitation_and_the_past_are_not_emergencies(message):
    assert not is_emergency(message), message


@pytest.mark.parametrize("message", CRISES)
def test_a_crisis_is_a_crisis_not_a_physical_emergency(message):
    assert is_crisis(message), message
    assert is_emergency(message)
    assert not is_physical_emergency(message)


@pytest.mark.parametrize(
    "message",
    ["hvor kan jeg få taget en blodprøve?", "jeg vil gerne leve sundere", "", None, "   "],
)
def test_ordinary_messages_are_not_crises(message):
    assert not is_crisis(message)


@pytest.mark.parametrize(
    "message",
    ["skal jeg tage alle pillerne på én gang eller fordelt over dagen", "jeg vil tage min medicin nu",
     "hun vil tage alle sammen med til kurset om medicin"],
)  # fmt: skip
def test_a_question_about_taking_medicine_is_no_crisis(message):
    assert not is_crisis(message)


def test_a_condition_in_the_past_is_still_noticed_for_one_line_about_112():
    assert mentions_serious_condition("min far havde en blodprop sidste år")
    assert not mentions_serious_condition("hvor kan jeg få taget en blodprøve?")


def test_the_demo_page_lists_the_same_urgent_numbers_as_the_data() -> None:
    from bot import settings, urgent_care

    page = (settings.PROJECT_ROOT / "bot/web/static/demo/index.html").read_text(encoding="utf-8")
    for number in urgent_care.all_numbers():
        digits = number.phone.replace(" ", "")
        assert f'{number.region_name}: <a href="tel:{digits}">{number.phone}</a>' in page
    assert urgent_care.suicide_helpline().phone in page


@pytest.mark.parametrize("message", ["han får ikke ordentlig luft", "hun kæmper for luften"])
def test_the_subject_guard_keeps_an_emergency_about_air(message: str) -> None:
    """Not in the safety net's words, so the classifier decides; the guard must not drop it."""
    from rasa.shared.nlu.training_data.message import Message

    from rasa_adapters.nlu_components import SubjectGuard

    parsed = Message(data={"text": message})
    parsed.set("intent", {"name": "emergency", "confidence": 0.9})
    parsed.set("intent_ranking", [{"name": "emergency", "confidence": 0.9}])
    SubjectGuard.process(object.__new__(SubjectGuard), [parsed])
    assert parsed.get("intent")["name"] == "emergency"
