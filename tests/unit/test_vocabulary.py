"""bot.vocabulary: the 32 service types recognised in everyday Danish."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.vocabulary import (
    all_service_types,
    best_service_type,
    find_service_types,
    is_service_type,
    service_display_name,
    service_synonym_examples,
    service_terms,
    service_type,
)

ROOT = Path(__file__).resolve().parents[2]

# Three or more everyday phrasings for every service type.
PHRASINGS: dict[str, list[str]] = {
    "almen_praksis": [
        "jeg skal til lægen",
        "hvor er min egen læge",
        "praktiserende læge i huset?",
        "er der et lægehus",
    ],
    "speciallaege": [
        "jeg skal til øjenlæge",
        "findes der en hudlæge",
        "speciallæge i ørenæsehals",
        "jeg har brug for en gynækolog",
    ],
    "kiropraktor": [
        "kiropraktor",
        "jeg vil til kiropraktoren",
        "har I kiropraktik",
        "kiropraktor for min lændesmerter",
    ],
    "fysioterapi": [
        "fysioterapeut",
        "jeg skal til fys",
        "fysioterapi efter henvisning",
        "hvor er fysioterapeuten",
    ],
    "fodterapi": [
        "fodterapeut",
        "jeg har brug for fodpleje",
        "mine ligtorne skal behandles",
        "nedgroet negl",
    ],
    "tandlaege": [
        "tandlæge",
        "jeg har tandpine",
        "jeg skal have et tandeftersyn",
        "jeg har hul i tanden",
        "tandlaege",
    ],
    "psykolog": ["psykolog", "jeg har brug for en psykolog", "samtaleterapi", "psykologhjælp til min søn"],
    "akutklinik": [
        "akutklinik",
        "hvor er skadestuen",
        "jeg har brækket armen",
        "akutmodtagelse",
        "jeg har forstuvet foden",
    ],
    "jordemoder": [
        "jordemoder",
        "jeg er gravid",
        "jeg har termin i maj",
        "graviditet",
        "jordemoderkonsultation",
        "vi venter barn",
    ],
    "distriktspsykiatri": [
        "distriktspsykiatri",
        "psykiatrisk behandling",
        "lokalpsykiatri",
        "min søn har skizofreni",
    ],
    "telemedicin": [
        "telemedicin",
        "videokonsultation med hospitalet",
        "skærmbesøg",
        "kan jeg få en videosamtale",
    ],
    "blodproever": [
        "blodprøve",
        "blodprøver",
        "blodprøverne",
        "blodprøvetagning",
        "få taget blod",
        "hvor kan jeg få taget en blodprøve?",
        "jeg skal have taget blodprøver",
        "blodprover",
        "blodproeve",
    ],
    "roentgen": ["røntgen", "roentgen", "rontgen", "røntgenbillede af foden", "jeg skal røntgenfotograferes"],
    "ambulatorium": [
        "ambulatorium",
        "ambulant kontrol",
        "hospitalets udefunktion",
        "hjerteambulatorium",
        "lymfødembehandling",
    ],
    "akutpladser": ["akutplads", "kommunale akutpladser", "midlertidigt ophold", "min far skal på akutplads"],
    "genoptraeningspladser": [
        "genoptræningsplads",
        "genoptræningsophold",
        "rehabiliteringsplads",
        "døgngenoptræning",
    ],
    "genoptraening": [
        "genoptræning",
        "efter min knæoperation",
        "hofteoperation",
        "genoptræningsplan",
        "jeg har fået en genoptræningsplan fra hospitalet",
        "vedligeholdende træning",
        "genoptraening",
    ],
    "forebyggelse": [
        "rygestop",
        "holde op med at ryge",
        "jeg vil gerne stoppe med at ryge",
        "forebyggelse",
        "sundhedssamtale",
    ],
    "forloebsprogrammer": [
        "forløbsprogram",
        "jeg har en kronisk sygdom",
        "patientuddannelse",
        "lungerehabilitering",
        "hjerterehabilitering",
    ],
    "misbrugsraadgivning": [
        "misbrugsrådgivning",
        "alkoholbehandling",
        "min søn har et misbrug",
        "jeg drikker for meget",
        "misbrugsraadgivning",
    ],
    "tandpleje": [
        "omsorgstandpleje",
        "børnetandpleje",
        "tandlæge til min mor på plejehjem",
        "tandlæge til mit barn",
        "skoletandlæge",
        "kommunal tandpleje",
    ],
    "diaetist": ["diætist", "diaetist", "kostvejledning", "jeg har brug for hjælp til ernæring"],
    "socialraadgivning": [
        "socialrådgiver",
        "socialrådgivning",
        "jeg vil tale med en sagsbehandler",
        "hjælp til sygedagpenge",
    ],
    "sundhedspleje": [
        "sundhedsplejerske",
        "sundhedspleje",
        "ammerådgivning",
        "sundhedsplejersken skal komme",
    ],
    "hjemmesygepleje": [
        "hjemmesygepleje",
        "hjemmesygeplejerske",
        "hjemmehjælp",
        "min mor har brug for hjemmepleje",
        "hjælp i hjemmet",
    ],
    "sygeplejeklinik": [
        "sygeplejeklinik",
        "sårpleje",
        "jeg skal have skiftet forbinding",
        "fjerne sting",
        "sygeplejerske",
    ],
    "hjaelpemidler": ["hjælpemidler", "kørestol", "rollator", "hjælpemiddelcentral", "hjaelpemidler"],
    "kommunelaege": ["kommunelæge", "kommunelægen", "kommunallæge"],
    "moedregrupper": ["mødregruppe", "mødregrupper", "fædregruppe", "forældregruppe for nybagte forældre"],
    "apotek": ["apotek", "apoteket", "hente medicin", "hvor kan jeg hente min medicin", "recept"],
    "patientforeninger": ["patientforening", "patientforeninger", "Hjerteforeningen", "Kræftens Bekæmpelse"],
    "frivillige": ["frivillige", "frivillig", "Røde Kors", "frivilligcenter", "besøgsven"],
}


def test_all_32_types_from_the_spec() -> None:
    spec = yaml.safe_load((ROOT / "bot" / "data" / "service-types.yml").read_text(encoding="utf-8"))
    codes = [t["code"] for t in spec["types"]]
    assert len(codes) == 32
    assert [t.code for t in all_service_types()] == codes
    assert set(PHRASINGS) == set(codes)
    assert all(len(p) >= 3 for p in PHRASINGS.values())


@pytest.mark.parametrize(
    ("text", "code"),
    [(text, code) for code, texts in PHRASINGS.items() for text in texts],
)
def test_phrasing_finds_the_service_first(text: str, code: str) -> None:
    matches = find_service_types(text)
    assert matches, text
    assert matches[0].code == code, (text, [(m.code, m.score) for m in matches])
    assert 0 < matches[0].score <= 1
    assert matches[0].matched_text.lower() in text.lower()


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("jordmoder", "jordemoder"),
        ("fysioterapaut", "fysioterapi"),
        ("psycolog", "psykolog"),
        ("blodprøge", "blodproever"),
        ("blodprøgerne", "blodproever"),
        ("genoptræming", "genoptraening"),
        ("sundhetsplejerske", "sundhedspleje"),
        ("diætisst", "diaetist"),
        ("tandlege", "tandlaege"),
    ],
)
def test_misspellings(typed: str, code: str) -> None:
    assert best_service_type(typed) == code


def test_misspelling_counts_less_than_the_right_spelling() -> None:
    assert find_service_types("jordmoder")[0].score < find_service_types("jordemoder")[0].score


def test_plejehjem_makes_tandlaege_the_municipal_tandpleje() -> None:
    codes = [m.code for m in find_service_types("tandlæge til min mor på plejehjem")]
    assert codes[:2] == ["tandpleje", "tandlaege"]
    assert best_service_type("jeg skal til tandlæge") == "tandlaege"
    assert best_service_type("tandlæge til min far, han er svækket og kan ikke komme ud") == "tandpleje"


def test_stay_makes_genoptraening_a_place() -> None:
    assert best_service_type("genoptræning") == "genoptraening"
    assert best_service_type("jeg skal have genoptræning og et ophold") == "genoptraeningspladser"


def test_longest_word_wins_over_its_parts() -> None:
    assert best_service_type("lægen") == "almen_praksis"
    assert best_service_type("tandlægen") == "tandlaege"
    assert best_service_type("øjenlægen") == "speciallaege"
    assert best_service_type("kommunelægen") == "kommunelaege"
    assert best_service_type("hjemmesygeplejersken") == "hjemmesygepleje"
    assert best_service_type("sygeplejersken") == "sygeplejeklinik"
    assert best_service_type("genoptræningspladser") == "genoptraeningspladser"


def test_scanning_is_a_weaker_hint_than_roentgen() -> None:
    scan = find_service_types("scanning af knæet")
    assert scan[0].code == "roentgen"
    assert scan[0].score < find_service_types("røntgen af knæet")[0].score


def test_several_services_in_one_message_are_all_found() -> None:
    codes = {m.code for m in find_service_types("jeg skal have taget blod og bagefter til fysioterapeut")}
    assert {"blodproever", "fysioterapi"} <= codes


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "hej",
        "tak for hjælpen",
        "hvad koster det?",
        "hvornår har I åbent?",
        "jeg bor i Helsingør",
        "farvel",
        "er du en robot?",
        "hvad er klokken",
        "jeg har brug for hjælp",
        "godmorgen",
    ],
)
def test_nothing_found_in_texts_without_a_service(text: str) -> None:
    assert find_service_types(text) == []


def test_service_type_lookup() -> None:
    blood = service_type("blodproever")
    assert (blood.name, blood.sector) == ("Blodprøver", "region")
    assert service_display_name("tandpleje") == "Kommunal tandpleje (omsorgs- og børnetandpleje)"
    assert service_display_name("ukendt") == "ukendt"
    assert is_service_type("apotek") and not is_service_type("bager")
    with pytest.raises(KeyError):
        service_type("bager")


def test_examples_for_nlu_name_their_own_service() -> None:
    from bot import vocabulary

    examples = service_synonym_examples()
    assert examples == vocabulary.SERVICE_SYNONYM_EXAMPLES
    assert set(examples) == {t.code for t in all_service_types()}
    for code, words in examples.items():
        assert len(words) >= 3, code
        for word in words:
            assert best_service_type(word) == code, (code, word)
    assert "rygestop" in service_terms("forebyggelse")
