"""Recognise emergencies and crises from the words alone, whatever the NLU model thinks.

A safety net under the trained classifier:
- a message about thoughts of suicide or self-harm, also said indirectly
  ("jeg orker ikke mere"), is a crisis: it gets its own calm reply (112,
  Livslinien, the region's urgent number);
- a message that describes a life-threatening situation now gets 112 at once;
- a message about rehabilitation or the past ("genoptræning efter en
  blodprop", "min far havde en blodprop sidste år") is not an emergency and
  gets its normal answer, unless it also says that something is acute now.
"""

from __future__ import annotations

import re

from bot.danish import spell_out_letters

# All patterns read folded spelling (æ->ae, ø->oe, å->aa), so "ondt i brystet" typed without ø matches too.

_CRISIS = [
    r"\bselvmord",
    r"\btage mit (eget )?liv\b",
    r"\bslaa (mig|sig) selv ihjel",
    r"\btage (sit|hans|hendes) (eget )?liv\b",
    r"\bvil ikke (leve|vaere her) (mere|laengere)",
    r"\b(har ikke|mangler) lyst til at leve",
    r"\bikke lyst til at leve",
    r"\borker ikke (mere|laengere|at leve|livet)\b",
    r"\borker ikke\s*[.!]*$",
    r"\b(vil|vil bare|oensker at|har lyst til at) doe\b",
    r"\b(skade|skader|skaere i|skaerer i|cutte|cutter) mig selv",
    r"\bgoere (en ende paa det( hele)?|skade paa mig selv)\b",
    r"\bende det hele\b",
    r"\bslutte det hele\b|\b(af)?slutte (mit|sit|hans|hendes) (eget )?liv\b|\bafslutte livet\b",
    r"\bbedre (uden mig|hvis jeg (ikke var her|var doed))",
    r"\blivet er ikke (vaerd|til) at leve",
    r"\bingen grund til at leve",
    # About to take all the pills ("jeg sidder med pillerne og vil tage dem alle sammen", set 22);
    # said of oneself or someone close, not asked ("skal jeg tage alle pillerne på én gang?").
    r"^(?=.*\b(piller|pillerne|tablet\w*|medicin\w*|sovepille\w*|panodil\w*|pamol|paracetamol)\b)"
    r".*\b(jeg|han|hun|og) (vil|vil bare|har taenkt mig at|har taenkt sig at|overvejer at|taenker paa at"
    r"|har lyst til at)\b.{0,25}\b(tage|sluge|spise|proppe)\b.{0,25}\b(dem alle|alle ?sammen(?! med)"
    r"|alle (pillerne|tabletterne|sovepillerne)|paa (en|een) gang|hele (glasset|pakken|aesken|bunken))",
]

# Someone close ("min mor", "barnet"): "min computer reagerer ikke" is not an emergency.
_PERSON = (
    r"barnet|babyen|(min|mit) (mor|far|mand|kone|soen|datter|barn|baby|nabo|kaereste|bror|soester"
    r"|bedstemor|bedstefar|mormor|morfar|farmor|farfar|ven|veninde|kollega)"
)

# Words that describe a life-threatening state: an emergency unless clearly about the past.
_ACUTE_STATE = [
    r"\b(ondt|smerter?|trykken|tryk|jag) (i|for|paa) bry+s+t(et)?\b",  # "ondt i brysstet" typed in haste
    r"\bbrystsmerter",
    r"\bkan (naesten |naermest )?ikke (faa|traekke) (vejret|luft)",
    # Dying now: "jeg er ved at dø" (read as goodbye, 0.98, by model aaed8d7e02fd); not "ved at dø af grin".
    rf"\b(jeg|han|hun|{_PERSON}) er (lige )?ved at doe\b"
    r"(?! af (grin|latter|kedsomhed|nysgerrighed|sult|toerst|varme|kulde|skam|spaending))",
    r"\b(jeg|han|hun) (tror|foeler|er bange for) (at )?(jeg|han|hun) (doer|skal doe)\b",
    # Gasping: "han snapper efter luften", "hun gisper efter vejret"; not "snappe lidt frisk luft".
    r"\b(hiver|snapper|gisper) efter (vejret|luft)",
    # An allergic reaction in the airway: "halsen hæver", "hans hals hæver op", "halsen snører sig sammen".
    r"\b(hals|halsen|tunge|tungen|svaelg|svaelget) (haever|svulmer|er ved at lukke|snoerer sig|lukker sig)",
    # ... or the mouth or face swelling up, said in any order ("læber og ansigt hæver op").
    r"\b(laeber|laeberne|ansigt|ansigtet|tunge|tungen|hals|halsen)\b.{0,25}\b(haever|svulmer)"
    r" (voldsomt |helt )?op\b",
    # Stung, and swallowing or breathing is hard (the throat is swelling).
    r"\b(stukket|stik|bistik|hvepsestik)\b.{0,60}\bkan (naesten |naermest )?ikke (synke|faa luft)",
    # Swelling in the face or mouth now, as in a severe allergic reaction ("hun hæver op i hele ansigtet").
    r"\b(haever|svulmer) (voldsomt |helt )?(op )?(i|om) (hele )?"
    r"(ansigtet|halsen|munden|laeberne|tungen|svaelget)",
    r"\b(ansigtet|laeberne|tungen|oejnene) (haever|svulmer) (voldsomt |helt )?op\b",
    r"\btraekker ikke vejret",
    # Not breathing for a while: "hun har ikke trukket vejret i et stykke tid"; not a blocked nose.
    r"\bhar ikke (trukket vejret|aandet)(?! (ordentligt|ordentlig|godt|frit|gennem naesen))",
    # Stopped breathing: "min kone er holdt op med at trække vejret", "stoppet med at ånde". In the
    # present tense with sleep it is sleep apnoea, a question for the doctor ("holder op ... om natten").
    r"\b(holdt|hoert|stoppet|ophoert) (pludselig )?(op )?med at (traekke vejret|aande)",
    r"\b(holder|stopper) (pludselig )?(op )?med at (traekke vejret|aande)"
    r"(?!.{0,40}\b(om natten|i soevne|naar (han|hun|jeg|vi) sover|mens (han|hun|jeg|vi) sover))",
    r"\b(aander|aandede) (ikke|ikk) (laengere|mere)",
    r"\bsvaert ved at (faa|traekke) (vejret|luft)",
    rf"\b(jeg|han|hun|{_PERSON}) (faar|kan ikke faa) (naesten )?(ingen|ikke) luft\b",  # not "dækket"
    r"\blaeber(ne)? er (helt )?blaa",
    r"\bbevidstloes",
    # Stroke signs (face, arm, speech): "helt slap i den ene side og taler mærkeligt".
    r"\b(haenger|skaev|slap|lammet|lam|foelelsesloes)( pludselig| helt)? i (hele )?"
    r"(den ene side|ansigtet|munden|mundvigen|venstre side|hoejre side)",
    r"\btaler (pludselig |helt )?(sloeret|maerkeligt|utydeligt|uforstaaeligt|volapyk)|\bsnoevler pludselig",
    r"\bkan (pludselig )?ikke (loefte (armen|den ene arm)|tale (ordentligt|rent|tydeligt))",
    r"\bkan pludselig ikke (tale|snakke|finde ordene|se)\b",
    r"\bpludselig svaert ved at (tale|snakke|finde ordene)",
    r"\b(ansigtet|mundvigen|munden) haenger\b",
    # A crooked mouth that came on now ("farmor har pludselig skæv mund og snøvler"), not one that
    # is still there after a stroke ("har stadig en skæv mund efter blodproppen").
    r"\b(pludselig|lige)( faaet)?( en)? skaev (mund|mundvig)|\b(faaet|faar) (pludselig )?(en )?skaev "
    r"(mund|mundvig)|\b(mund|munden|mundvigen|ansigtet) er (lige |pludselig )?(blevet )?(helt )?skaev",
    # Suddenly: "kan ikke bevæge armen efter operationen" is for the doctor, not 112.
    r"\bpludselig\b.{0,30}\bikke (bevaege|maerke|loefte) (min|sin|hans|hendes|den) "
    r"(hoejre |venstre )?(arm|ben|haand|side)",
    # Sudden paralysis: "har pludselig lammelser i højre side"; not lasting paralysis after a stroke.
    r"\bpludselig\b.{0,20}\b(lammelser?|lammet|lam)\b|\b(lammelser?|lammet|lam)\b.{0,10}\bpludselig",
    r"\bordene kommer\b.{0,12}\b(forkert|forkerte|maerkeligt|i rod|helt forkert)",
    r"\bblaa (om|i) (laeberne|munden|ansigtet)",
    # Unresponsive: "min nabo ligger på gulvet og reagerer ikke".
    r"\bligger\b.{0,50}\b(reagerer|svarer|vaagner|bevaeger sig) ikke",
    r"\breagerer ikke (paa tiltale|paa smerte|naar (jeg|vi) (taler|raaber|rusker))",
    rf"\b(han|hun|{_PERSON}) (reagerer|vaagner) ikke\s*[.!]*$",
    # "min veninde har drukket og taget noget og vågner ikke": the person first, not waking at the end.
    rf"\b(han|hun|{_PERSON})\b.{{0,60}}\b(og|men|nu) (reagerer|vaagner) (han |hun )?(stadig )?ikke"
    r"( op)?\s*[.!]*$",
    # The verb first, as Danish puts it after "nu" or "så": "og nu vågner hun ikke".
    r"\b(vaagner|reagerer) (han|hun) (stadig |slet |overhovedet )?ikke( op| mere| paa noget)?\s*[.!]*$",
    rf"\bkan ikke (vaekke|faa liv i|faa kontakt (til|med)) (ham|hende|{_PERSON})",
    r"\blivloes\b",
    r"\bsvaer(t)? at vaekke(?! om morgenen| i morges| til skole)",  # not the teenager in the morning
    # Fallen and not answering; not "faldet over jeres side, men telefonen svarer ikke".
    r"\b(faldet|ildebefindende)\b.{0,60}\b(og|,) (han |hun )?(svarer|reagerer) ikke",
    r"\bslugt\b.{0,30}\b(piller|(knap|knappe)?batteri|magnet|afloebsrens|opvaskemiddel|klorin)",
    r"\bbloeder (voldsomt|meget|kraftigt|vildt|helt vildt|og vil ikke stoppe|uden at stoppe)",
    r"\b(kraftig|voldsom|stor) bloedning",
    # Heavy bleeding in everyday words: "det fosser med blod", "blodet sprøjter ud".
    r"\b(fosser|sproejter|pumper|vaelter|stroemmer) (ud )?(med )?blod\b",
    r"\bblodet (fosser|sproejter|pumper|vaelter|stroemmer)",
    r"\bskaaret sig\b.{0,40}\b(fosser|sproejter)",
    r"\bkan ikke (stoppe|standse) (bloedningen|blodet)",
    # Stabbed or shot, and blood everywhere: "han har fået en kniv i låret", "der er blod overalt";
    # not "stukket af en hveps" (a sting, above) or "skudt i gang".
    r"\b(faaet|fik) (en )?kniv(en)? i (laaret|maven|ryggen|brystet|armen|benet|halsen|siden)\b",
    r"\bknivstik|\bknivstuk\w*|\bstukket (ned|med en kniv)\b",
    r"\bskudt i (brystet|maven|hovedet|halsen|ryggen|benet|laaret|armen)\b",
    r"\bblod (overalt|over det hele|alle vegne|ud over det hele)\b",
    r"\b(faldet|vaeltet|gaaet omkuld)\b.{0,60}\bkan ikke (rejse sig|komme op|staa op)",
    r"\b(er|var) (faldet|gaaet|segnet) om(kuld)?\b",  # collapsed ("min mor er gået omkuld")
    # ... in the simple past too ("kollegaen faldt om"); not "faldt om natten", a fall at night.
    r"\b(faldt|segnede) (lige |pludselig |bare )?om(kuld)?\b"
    r"(?! (natten|aftenen|morgenen|dagen|formiddagen|eftermiddagen|vinteren|sommeren))",
    r"\bgik (lige |pludselig )?omkuld\b",  # "gik omkuld", not "gik om hjørnet"
    # No pulse: cardiac arrest ("har ingen puls", "jeg kan ikke mærke hans puls").
    r"\b(ingen|uden) puls\b|\bkan ikke (maerke|maale|finde|foele) (nogen |hans |hendes |en )?puls",
    r"\bfor mange piller",
    # Swallowed a lot ("slugt en masse panodiler"); "taget mange piller i år" is a question, not this.
    r"\bslugt\b.{0,12}\b(en masse|mange|en haandfuld|en hel haandfuld|en bunke|flere)\b.{0,12}\b(piller"
    r"|tabletter|panodil|pamol|paracetamol|pinex|ipren|ibuprofen|treo|sovepiller|morfin)\w*\b",
    # A small child who got at medicine ("barnet har spist sin fars piller").
    # A child by age counts ("vores datter på 2 har spist af farmors hjertemedicin", set 24).
    r"\b(barnet|babyen|mit barn|vores barn|min lille|vores lille"
    r"|(min|vores|hans|hendes) (lille )?(soen|datter|dreng|pige|toes|knaegt|barnebarn)"
    r" paa ([1-9]|et|to|tre|fire|fem|halvandet)\b"
    r"|[1-5] ?-?aarig\w*|(et|to|tre|fire|fem)aarig\w*|tumling)"
    r"\b.{0,30}\b(slugt|spist)\b.{0,30}\b(?<!sin )(?<!sine )(?<!sit )"  # not the child's own ("sin")
    r"(\w*piller|\w*tabletter|\w*medicin|panodil|pamol|paracetamol|sovepiller)\w*\b",
    # Someone else's medicine ("har slugt sin mormors piller", "spist af farmors hjertemedicin").
    r"\b(slugt|spist|taget)\b.{0,8}\b(af )?((sin|sine|hans|hendes|min|mine|vores) )?(fars|mors|mormors"
    r"|morfars|farmors|farfars|bedstemors|bedstefars|oldemors|oldefars|storebrors|storesoesters|naboens)"
    r" \w*(piller|medicin|tablet|sovepille)",
    # Household chemicals swallowed: poisoning.
    # "drukket af opvasketabs", "slugt en vaskekapsel" (set 23, model b39585f4e272).
    r"\b(drukket|slugt|spist)\b.{0,30}\b(afloebsrens|opvask\w*|maskinopvask\w*|klorin|lampeolie"
    r"|rensevaeske|rottegift|kaustisk soda|terpentin|ukrudtsmiddel|frostvaeske|vaskemiddel|vaskepulver"
    r"|vaske ?kaps(e|l)\w*|vaskepods|rengoeringsmiddel|toiletrens|wc-?rens|blegemiddel|myregift|sneglegift)",
    # A whole pack of medicine swallowed: poisoning, whatever the brand. A pack, not "alle mine
    # piller" or "hele min medicin", which is the daily dose taken.
    r"\b(slugt|taget|spist|drukket)\b.{0,12}\b(en hel|et helt|hele|halvdelen af) (pakke|pakken|aeske|aesken"
    r"|glas|glasset|flaske|flasken|plade|karton)\b.{0,20}\b(piller|tabletter|panodil|pamol|paracetamol|pinex"
    r"|ipren|ibuprofen|treo|sovepiller|sovemedicin|medicin|morfin)\w*\b",  # "panodiler", "pillerne"
    # Ten or more tablets at once ("har taget 20 panodiler"); two is a dose, not a poisoning.
    r"\b(slugt|taget|spist)\b.{0,12}\b([1-9]\d+|ti|tyve|tredive|fyrre|halvtreds) (stk\.? )?(piller|tabletter"
    r"|panodil|pamol|paracetamol|pinex|ipren|ibuprofen|treo|sovepiller|morfin)\w*\b",
    r"\bring efter en ambulance|\bbrug for en ambulance",
    r"\blivstruende|\bfare for (hans|hendes|mit|livet|liv)",
]

# Names of conditions: an emergency when they happen now, not in rehabilitation or history.
_CONDITIONS = [
    r"\bbesvimet",
    r"\bhjertestop",
    r"\bhjerteanfald",
    r"\bildebefindende",
    r"\bblodprop",
    r"\bslagtilfaelde",
    r"\bkrampeanfald|\bkramper\b",
    r"\bforgiftet|\bforgiftning",
    r"\ballergisk chok",
    r"\boverdosis",
]

# The message is about rehabilitation, prevention or support after the event.
_AFTERWARDS = [
    r"\bgenoptraen",
    r"\brehabilit",
    r"\btraening\b|\btraene\b|\bfysioterapi",
    r"\bforebyg",
    r"\bkursus|\bforlob|\bpatientforening|\bpaaroerende|\bstoettegruppe|\bnetvaerk",
    r"\bhvordan (undgaar|forebygger)|\brisiko for\b",
    r"\b(efter|siden) (en|et|sin|min|hans|hendes|deres|vores|mit|sit) "
    r"(blodprop|slagtilfaelde|hjertestop|hjerneblodprop|operation|indlaeggelse)",
    r"\befter (blodproppen|hjerneblodproppen|slagtilfaeldet|hjertestoppet|operationen|indlaeggelsen)",
    r"\budskrevet|\bkommet hjem",
]

# The message places the event in the past.
_PAST = [
    r"\bhavde\b",
    r"\bhar haft\b",
    r"\bsidste (aar|maaned|uge|gang|vinter|sommer|foraar|efteraar)",
    r"\bfor \w+ (aar|maaneder|maaned|uger|uge) siden",
    r"\bi (fjor|forrige)",
    r"\bi (19|20)\d\d\b",
    r"\btidligere\b",
    r"\bengang\b",
    r"\bdengang\b",
]

# Words that make it an emergency now, whatever else the message says.
_NOW = [
    r"\blige nu\b",
    r"\bakut\b",
    r"\bambulance",
    r"\b112\b",
    r"\btror (jeg|han|hun|vi|min \w+) (har|er ved at|faar)",
    r"\ber ved at\b",
    r"\b(har|er) lige\b",
    r"\bpludselig",
]


def _compile(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


_CRISIS_RE = _compile(_CRISIS)
_ACUTE_STATE_RE = _compile(_ACUTE_STATE)
_CONDITIONS_RE = _compile(_CONDITIONS)
_AFTERWARDS_RE = _compile(_AFTERWARDS)
_PAST_RE = _compile(_PAST)
_NOW_RE = _compile(_NOW)


# "ikke" as it is typed in a hurry ("ikek", "ikk", "ik'"): a typo must not hide "kan ikke få luft".
_NOT_TYPED = re.compile(r"\b(?:ik+e*|ikek)\b'?")


def _folded(text: str | None) -> str:
    return _NOT_TYPED.sub("ikke", spell_out_letters(text or "")).strip()


def is_crisis(text: str | None) -> bool:
    """True when the words speak of suicide or self-harm, also indirectly."""
    folded = _folded(text)
    return bool(folded) and _CRISIS_RE.search(folded) is not None


def is_physical_emergency(text: str | None) -> bool:
    """True when the words describe a life-threatening situation now (not rehabilitation, not the past)."""
    folded = _folded(text)
    if not folded:
        return False
    now = _NOW_RE.search(folded) is not None
    past = _PAST_RE.search(folded) is not None
    afterwards = _AFTERWARDS_RE.search(folded) is not None
    if _ACUTE_STATE_RE.search(folded) and (now or not past):
        return True
    return _CONDITIONS_RE.search(folded) is not None and (now or not (past or afterwards))


def mentions_serious_condition(text: str | None) -> bool:
    """True when a serious condition is named at all (in the past too): worth one line about 112."""
    folded = _folded(text)
    return bool(folded) and (
        _CONDITIONS_RE.search(folded) is not None or _ACUTE_STATE_RE.search(folded) is not None
    )


def is_emergency(text: str | None) -> bool:
    """True when the message needs the safety reply at once: a crisis or a life-threatening situation."""
    return is_crisis(text) or is_physical_emergency(text)
