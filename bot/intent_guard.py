"""Which predicted intents need more than the classifier's word: forms and the emergency text.

A message that is not for this assistant ("fjern alle nedtællinger", "Er telefonen
forbundet?", "sluk lyset i køkkenet") can land on any intent the classifier knows.
Most land harmlessly; four intents start a form, one gives the emergency text and one
hands out the entry point's phone number, so those need the words of their subject as well:
- a form intent needs `FORM_MIN_CONFIDENCE` and one of its subject's words;
- `emergency` from the classifier needs words about health, the body or danger
  (the word patterns in bot.emergency set `emergency` on their own, whatever this says);
- `contact_entry_point` needs a word about contact, people, care or the house ("hvem er
  hjemme" is a question for a home assistant, not for the health house's entry point);
- `affirm` needs a yes-word: a form's "Skal jeg gemme?" must not take nonsense for consent;
  `deny` a no-word, for the same reason;
- `ask_hours` needs a word about time or opening: "åbn for persiennen i badeværelset" (a home
  assistant's command, read as an hours question by model 2d571cbff48e) must not get opening hours.
Otherwise the message counts as not understood (`nlu_fallback`: "Mente du ...?").

`greet` and `list_events` are different: a greeting is made of a closed set of words, and a
message without one ("hjemmepleje i Ishøj", read as a greeting by one training) is something else;
a question about events names them or what one does at them ("Er der åbent i Sæby sundhedshus i
påsken?", read as `list_events` by model f2818b1213d7, asks for opening hours). The guess is
dropped and the ranking read again without it (`without_unfounded_guess`), before the fallback
judges it: a harmless intent, so the next guess is worth hearing. The other way round, a hello with
only an introduction and nothing asked ("hej, jeg er hjemmesygeplejerske") is `greet` whatever the
guess (`with_greeting_first`).
Patterns read folded spelling (æ->ae, ø->oe, å->aa), like bot.emergency.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from rapidfuzz.distance import Levenshtein

from bot.danish import fold_phrase, spell_out_letters
from bot.emergency import is_emergency

NOT_UNDERSTOOD = "nlu_fallback"
FORM_MIN_CONFIDENCE = 0.6

_FORM_INTENT_WORDS: dict[str, str] = {
    "register_event": (
        r"tilmeld|deltag|meld(e|er)? mig|skriv(e)? mig|paa (deltager)?listen|(med|plads) til|moede"
        r"|arrangement|registrer(e)? mig|dialogmoede|event|vaere med\b|\bskriv\b.{1,30}\bop\b"
        r"|plads paa|skrive?s (op|paa)|skrevet (op|paa)|venteliste|temadag|kursus|kurset|foredrag"
        r"|\bmeld\w* (jeg |man |du )?(mig|sig|os)\b|\bplads(er)?\b|reserv|gerne med\b|\bmed paa\b"
        r"|regn\w* med (mig|os)\b|rundvisning|komme med\b|\bnaa at (komme|blive|melde)|\bholdet\b"
    ),
    "cancel_registration": (
        r"afmeld|frameld|tilmeld|afbud|forfald|meld(e|er)? fra|deltag|moede|arrangement|af (deltager)?listen"
        r"|kan (alligevel )?ikke (komme|deltage)|forhindret|tag mig af\b"
        r"|meld(e|er)? (mig|os)\b.{0,12}\bfra\b|(min|vores) plads|fra (deltager|vente)?listen"
        r"|(kommer|dukker|naar) (alligevel )?ikke|(fjern|slet|stryg)(e)? (mig|os)\b"
        r"|udmeld|meld(e|er|es)? (mig|os) ud|\bmeld\w*\b.{0,20}\b(fra|af)\b|skriv\w* (mig|os) ud"
        r"|dropp\w*|spring\w*\b.{1,25}\bover\b|temadag|kurs(us|et)|foredrag|rundvisning"
    ),
    "request_callback": (
        r"\bring|opkald|opringning|telefonisk|\bkontakte|paa telefon|tilbageopkald|tilbagering|\bet kald\b"
        r"|tilbagekald|mobil|(pr|per)\.? telefon|kontakt (til|med) mig"
        r"|(over|i|paa) telefonen|hoere fra (jer|dig)|\bkald\w* (mig |os )?op\b"
    ),
    "withdraw_callback": (
        r"\bring|opkald|opringning|anmodning|telefonnummer|\brb-|tilbagekald|tilbagering|\bkontakte"
        r"|forespoergsel"
    ),
}
FORM_INTENTS = frozenset(_FORM_INTENT_WORDS)
_FORM_RE = {intent: re.compile(words) for intent, words in _FORM_INTENT_WORDS.items()}

# Contact, a person, care or the house: every training and held-out example of contact_entry_point
# has one (tests/unit/test_nlu_eval.py checks it).
_CONTACT_WORDS = re.compile(
    r"kontakt|\bring|opring|telefon|nummer|\bnr\b|person|menneske|medarbejder|\btaler?\b|snakke|hjaelp"
    r"|\bsnak\b|\bansat|henvend|indgang|koordin|udskriv|udskrev|ansvar|klage|spoerg|svar|mail"
    r"|sundhedshus|sygeplejer"
    r"|visiter|akutplads|genoptraeningsplads|\bfat\b|hospital|sygehus|indlagt|hjem fra|kommune|borger"
    r"|\bjer\b|i roeret|nogen|skrive? til|(ved|aner) ikke hv(or|em)"
    r"|reception|omstil|viderestil|\bstil\w* (mig )?om\b|forvirret|i tvivl om hv(or|em)"
)
# A yes: "øøø bbb" must never count as consent to store a call-back request or to register.
_YES_WORDS = re.compile(
    r"^\W*(ja ?tak+|(ja)+a*|jes+|jajamen\w*|jajamaend|jae|jah|jaer|jo+|jep|jeps|jepper|jepsi|yep|yup|ok|okay"
    r"|yes|javel|klart|absolut|netop|rigtigt|korrekt|gerne|bekraeft|javist|oki|okidoki|sagtens)\b"
    r"|\b(ja|jo|gerne|korrekt|rigtig|rigtigt|passer|stemmer|bekraeft|selvfoelgelig|praecis|netop|fint"
    r"|lyder (godt|fint|som en (god|fin))|sikkert|goer (vi )?det|det goer vi|naturligvis|god plan"
    r"|kan du (tro|bande paa)|bestemt(?! ikke)|har (du )?(helt )?ret|\bret i\b|fortsaet|koer (bare|paa)"
    r"|bingo|ramt plet|(?<!ikke )(helt|ganske) klart|(?<!ikke )lige det|rette spor|noejagtig|(?<!ikke )sandt"
    r"|(?<!ikke )(det|den) jeg mener|saadan er det|(?<!ikke )(?<!ikke helt )i (fin )?orden)\b"
)
# A no: at "Må vi gemme?" nonsense ("trk prk") is neither yes nor no, and is asked about again.
_NO_WORDS = re.compile(
    r"\b(ne+j+\w*|ne+|n(ae)+h*|noej|nah|nopes?|nix(en|pix)?|niks(en)?|njet|ikk?e?|forkert|lad vaere"
    r"|ellers tak|bestemt ikke|negativ|ingen (maade|vej|grund|omstaendigheder|lyst)|aldrig)\b"
)
# Time: a question about opening hours speaks of days, hours or opening ("åbn for persiennen" does not).
_HOURS_WORDS = re.compile(
    r"aabne[rts]?\b|aabent|aaben\b|aabning|\baabn(er)? (i|de|doerene|jeres)|\babent|hvornar|hvornaar"
    r"|luk(ke|ker|ket|ning)|\btid(er|en|erne)?\b|tidspunkt|klokk|\bkl\b|doegn|weekend|\w*dag(e|en|ene)?\b"
    r"|helligdag|\bjul|paask|ferie|aften|morgen|middag|\btimer?\b|\d{1,2}[.:]\d{2}|\bhalv\b|\bkvart\b"
    r"|bemand|traeffe|\bnaar\b|vinter|sommer|\bsent\b|tidlig"
)
_SUBJECT_ONLY_INTENTS = {
    "contact_entry_point": _CONTACT_WORDS,
    "affirm": _YES_WORDS,
    "deny": _NO_WORDS,
    "ask_hours": _HOURS_WORDS,
}

# Health, the body, danger and urgent help: an emergency is about one of them.
_HEALTH_WORDS = re.compile(
    r"ondt|smert|(traekke|traekker|faa) vejret|\bluft(en)?\b|\baand|bevidst|besvim|bloed|blod|hjerte"
    r"|krampe|forgift"
    r"|\bpille(r|rne)?\b|medicin|ulykke|akut|ambulance|\b112\b|skade|braend|feber|syg|laege|vagt|slugt|daarlig"
    r"|faldet(?! over)|falder(?! over)|reagerer|(?<!telefonen )svarer ikke"  # not "faldet over jeres side"
    r"|faldt om|\bpuls|\bhals|haev|svulm|synke|hveps|bistik|insektstik"
    r"|omkuld|livet|\bliv\b|leve|selvmord|\bdoe\b|\bdoed|ende paa det"
    r"|hospital|skadestue|kvalme|svimmel|allergi|chok|bryst|\bhoved(et|pine)?\b|mave|ansigt|lammet|sloeret"
    r"|bevaege|\barm(en)?\b|\bben(et)?\b|ordene|panodil|pamol|paracetamol|tablet|sovepille"
    r"|graa i|slap\b|hjaelp|brand\b|\bild\b|overdosis|\bkvael(er|es|t)\b|sukkersyg|insulin|gravid"
    r"|\bfoedsel\b|\bveer\b|vandet er gaaet|ildebefind"
    r"|opvasketab|opvaskemiddel|afloebsrens|klorin|lampeolie|vaskemiddel|vaske ?kaps(e|l)|rottegift|giftig"
)


# Hello in the spellings of the training data (folded): hej/hejsa/heeej, goddag, godmorgen/morn, halløj ...
_GREETING_WORDS = re.compile(
    r"^\W*morgen\b"  # a bare "morgen" opening the message; "i morgen" is no hello
    r"|\b(h+j?e+j+\w*|he+y+|hi|hello|hall+o+\w*|hal+oej\w*|hall+aa+|dav+s?\w*|daws|daw|go+d+dag\w*|godd?aw\w*|mojn|moin"
    r"|hilsen\w*|hilsner|godmor\w*|gomor\w*|mor+n|morjn|haj"
    r"|go+d+\s?(morgen|morn|formiddag|middag|eftermiddag|aften|aftn)\w*"
    r"|go'?\s?(morgen|morn|dag|formiddag|middag|eftermiddag|aften)\w*)\b"
)
GREETING = "greet"
# Hello typed in haste ("goddda", "goo morgen", "god eftermidag"): in a short message, a word (or two
# words written together) one letter away from one of these counts as hello, once runs of a letter
# are read as one ("goddda" -> "goda", "godag"). Five letters at least: "hej" is one letter from "her".
_GREETING_FORMS = (
    "godag", "godmorgen", "godformidag", "godmidag", "godeftermidag", "godaften", "hejsa", "hejsan",
    "haloej", "davsen", "godaw", "godmorn",
)  # fmt: skip
_NEAR_GREETING_MAX_WORDS = 3


def _one_of_each_run(word: str) -> str:
    return re.sub(r"(.)\1+", r"\1", word)


def _near_a_greeting(folded: str) -> bool:
    words = [_one_of_each_run(word) for word in re.findall(r"[a-z]+", folded)]
    if not 0 < len(words) <= _NEAR_GREETING_MAX_WORDS:
        return False
    pairs = zip(words, words[1:], strict=False)
    candidates = words + [_one_of_each_run(first + second) for first, second in pairs]
    return any(
        len(candidate) >= 4 and Levenshtein.distance(candidate, form, score_cutoff=1) <= 1
        for candidate in candidates
        for form in _GREETING_FORMS
    )


def is_greeting(text: str) -> bool:
    folded = spell_out_letters(text)
    return _GREETING_WORDS.search(folded) is not None or _near_a_greeting(folded)


# Events, or what one does at them: every training and held-out example of `list_events` has one
# (tests/unit/test_nlu_eval.py checks the training data).
_EVENT_WORDS = re.compile(
    r"arrangement|kurs|moede|hold(et|ene|start)?\b|opstart|foredrag|event|aktivitet|cafe|workshop"
    r"|temadag|begivenhed|program|kalender|info|rundvisning|aabent hus|undervis|forloeb|gruppe|traef"
    r"|tema|\bske[rt]?\b"
    r"|foregaar|tilmeld|oplaeg|aften|tilbud|skole|klub|introduktion|motion|traening|yoga|gymnastik"
    r"|\bdans|\bnyt\b|nyhed|kommende|planlagt|plakat|deltag|vaere med|noget for|paa tapetet"
    r"|sammenkomst|\bfest|festival|messe|markedsdag|loeb\b|walk|gaatur|seminar|konference|webinar|netvaerk"
)
EVENTS = "list_events"


def is_about_events(text: str) -> bool:
    return _EVENT_WORDS.search(spell_out_letters(text)) is not None


_FOUNDED_BY: dict[str, Callable[[str], bool]] = {GREETING: is_greeting, EVENTS: is_about_events}


def without_unfounded_guess(text: str, ranking: list[dict]) -> list[dict] | None:
    """The ranking read again without a `greet` or `list_events` guess that lacks its words; None to keep it.

    Confidences are scaled to sum as before (the chance of each intent, given that it is not the
    dropped one), so the FallbackClassifier after it judges the new first guess as it judges any.
    """
    if not ranking or text.startswith("/"):
        return None
    guess = ranking[0].get("name")
    founded = _FOUNDED_BY.get(guess)
    if founded is None or founded(text):
        return None
    rest = [entry for entry in ranking if entry.get("name") != guess]
    left = sum(float(entry.get("confidence") or 0.0) for entry in rest)
    if left <= 0.0:
        return None
    return [{**entry, "confidence": float(entry.get("confidence") or 0.0) / left} for entry in rest]


# A hello followed only by who is writing ("hej, jeg er hjemmesygeplejerske", "halløj, visitator her")
# is a greeting, whatever a word like "hjemmesygeplejerske" made the classifier think (set 28: find_service,
# 1.00). Only when nothing in it asks or wants anything: then the greeting's "Hvad kan jeg hjælpe med?"
# is the right answer, and a question in the same message still gets its answer.
# The greeting words without their bare "morgen" at the start ("morgen" alone is no opening here).
_OPENS_WITH_GREETING = re.compile(r"^\W*(" + _GREETING_WORDS.pattern.replace("^\\W*morgen\\b|", "") + r")")
_INTRODUCTION = re.compile(
    r"\b(jeg er|jeg hedder|\w+ hedder jeg|mit navn er|det er \w+|jeg arbejder (som|i|paa|hos)"
    r"|jeg skriver (fra|paa vegne af|for)|her er \w+)|\w+ her(\W*$|,)"
)
_ASKS_OR_WANTS = re.compile(
    r"\?|\b(hvor\w*|hvordan|hvornaar|hvad|hvem|hvilk\w*|kan|kunne|vil|ville|skal|skulle|maa|gerne|brug|behov"
    r"|soeger|leder|hjaelp\w*|spoerg\w*|finde?|faa|book\w*|bestil\w*|tilmeld\w*|afmeld\w*|ring\w*|ondt"
    r"|smert\w*|akut|mangler|oensker|tid|henvis\w*|ikke|kommer|er der|har i)\b"
)


def greets_and_introduces(text: str) -> bool:
    """True for a hello and who is writing, and nothing asked or wanted."""
    folded = spell_out_letters(text)
    return bool(
        _OPENS_WITH_GREETING.search(folded)
        and _INTRODUCTION.search(folded)
        and not _ASKS_OR_WANTS.search(folded)
    )


def with_greeting_first(text: str, ranking: list[dict]) -> list[dict] | None:
    """`greet` first (and sure) for a hello with an introduction the classifier read as something else."""
    # Never over an emergency guess: "hej, jeg er ved at dø" keeps what the classifier and the safety net say.
    if not ranking or text.startswith("/") or ranking[0].get("name") in (GREETING, "emergency"):
        return None
    if not greets_and_introduces(text):
        return None
    rest = [{**entry, "confidence": 0.0} for entry in ranking if entry.get("name") != GREETING]
    return [{"name": GREETING, "confidence": 1.0}, *rest]


# A message that is only a place, a region or a part of the country ("Vendsyssel", "Østjylland", "vi bor
# på Fyn") answers "where?" (the emergency reply asks for the town): model aaed8d7e02fd read such
# answers as goodbye, and "Farvel" was the reply. Only over intents a place cannot be, and only for a
# name given exactly (never a fuzzy match: "farvel" is no "Farum").
PLACE_ANSWER = "inform_place"
_NO_PLACE_INTENTS = {"goodbye", GREETING, "thank", "affirm", "deny", "bot_challenge", "out_of_scope"}
_PLACE_FILLER = re.compile(
    r"^(((jeg|vi|han|hun|de|min \w+|mine \w+) )?(bor|er|kommer|holder til) )?"
    r"((oppe|nede|ude|ovre|inde|her) )?((i|paa|fra) )?"
)


def is_only_a_place(text: str) -> bool:
    """True for "Vendsyssel", "i Lemvig", "vi bor på Fyn", "Region Midtjylland": a place and nothing else."""
    from bot import places, urgent_care

    name = _PLACE_FILLER.sub("", fold_phrase(text)).strip()
    if not name:
        return False
    found = places.exact_place(name)
    return found.found or found.is_ambiguous or urgent_care.is_region_or_area_name(name)


def with_place_answer_first(text: str, ranking: list[dict]) -> list[dict] | None:
    """`inform_place` first (and sure) for a bare place the classifier read as small talk."""
    if not ranking or text.startswith("/") or ranking[0].get("name") not in _NO_PLACE_INTENTS:
        return None
    if not is_only_a_place(text):
        return None
    rest = [{**entry, "confidence": 0.0} for entry in ranking if entry.get("name") != PLACE_ANSWER]
    return [{"name": PLACE_ANSWER, "confidence": 1.0}, *rest]


def needs_subject_words(intent: str | None) -> bool:
    return intent in FORM_INTENTS or intent == "emergency" or intent in _SUBJECT_ONLY_INTENTS


def has_subject_words(text: str, intent: str) -> bool:
    """True when `text` has a word of `intent`'s subject (the guarded intents only)."""
    folded = spell_out_letters(text)
    if intent == "emergency":
        return _HEALTH_WORDS.search(folded) is not None or is_emergency(text)
    if intent in _SUBJECT_ONLY_INTENTS:
        return _SUBJECT_ONLY_INTENTS[intent].search(folded) is not None
    pattern = _FORM_RE.get(intent)
    return pattern is None or pattern.search(folded) is not None


# "Kan jeg ringe direkte til genoptræningen?": the person will do the calling and wants the number,
# not a call-back form. "Kan jeg blive ringet op?" and "jeg vil gerne have, at I ringer mig op" are
# call-back requests ("ringet", "ringer" and an object "mig"/"os" are not matched).
_PERSON_WILL_CALL = re.compile(
    r"\b(kan|skal|maa|vil|tor|boer) (jeg|man|vi) (\w+ )?ringe\b(?! (mig|os)\b)"
    r"|\b(jeg|man|vi) (kan|skal|maa|vil|tor|boer) (\w+ )?(\w+ )?ringe\b(?! (mig|os)\b)"
    r"|\bhv(em|or|ad|ilket \w+) ringer (jeg|man|vi)\b"
)
_CALL_ME = re.compile(
    r"\bring\w* (mig|os)\b|\bring\w* (op )?til (mig|os)\b|ringet op|ringes op|\bringe?r? tilbage\b"
    r"|tilbageopkald|tilbagering|kontakte (mig|os)\b|(mig|os) op\b"
)


def person_will_call(text: str) -> bool:
    """True when the writer will do the calling ("kan jeg ringe til jer?"), not asking to be called."""
    folded = spell_out_letters(text)
    return _PERSON_WILL_CALL.search(folded) is not None and _CALL_ME.search(folded) is None


# "Hvad er adressen på Fjordlyshuset?" read as "are you a bot?" (model f2818b1213d7): a house, an
# address or opening hours are never about the bot; "not understood" lets the fallback answer a house
# named by its name.
_ABOUT_A_HOUSE = re.compile(r"\b(adresse\w*|ligger|\w+huset|aabningstid\w*)\b")  # not "hej sundhedshus"


# "Vi bliver kun to i stedet for tre, afmeld én plads", "tag mig af listen til arrangementet" read as a
# sign-up (model f2818b1213d7): a message that cancels never starts the sign-up form; "Mente du ...?"
# offers the cancellation instead. No register_event example in data/ or tests/nlu/ has these words.
_CANCELS = re.compile(
    r"afmeld|frameld|udmeld|\bmeld\w* (mig |os )?(fra|ud)\b|afbud|\btag (mig|os) af\b"
    r"|\b(stryg|slet|fjern)\w* (mig|os)\b|gives? til en anden|ikke (vaere )?med alligevel"
)


# "annuller den opringning jeg bestilte", "kan I stoppe det opkald jeg har bestilt" read as a call-back
# request, and "mind mig om at ringe til Lis i aften" (a reminder for a home assistant) too (model
# 9a7b157cbbe4, held-out set 26): a message that calls a call-back off, or asks for a reminder, never
# starts the call-back form. No request_callback example in data/ or tests/nlu/ has these words.
_CALLS_OFF = re.compile(
    r"annuller|afbestil|aflys|fortryd|\bstop\w* (det|den|mit|min|jeres)\b.{0,20}(opkald|opringning|ringe)"
    r"|skal ikke ringe|behoever (ikke|ikke at) ringe|ingen grund til at (i )?ring"
    r"|\b(slet|glem|drop)\w* (mit|min|det|den)\b.{0,15}(opkald|opringning|anmodning)"
)
_REMINDER = re.compile(r"\bmind (mig|os) om\b")
# "kan du melde mig til kurset den 14. januar" (a sign-up) and "jeg kan ikke komme til min tid hos
# jordemoderen, hvordan melder jeg afbud" (an appointment, not an event) read as a cancellation (model
# 9a7b157cbbe4, held-out set 26): neither starts the cancellation form. "Jeg har meldt mig til ..."
# (past tense) still may.
_SIGNS_UP = re.compile(
    r"\bmeld(e|er)? (mig|os) (paa|til)\b|\btilmeld (mig|os)\b|\bskriv\w* (mig|os) (op|paa)\b"
)
_APPOINTMENT = re.compile(
    r"\btid(en)? hos\b|\baftale(n)? hos\b|\b(min|vores|hans|hendes|sin) (tid|aftale|konsultation)\b"
)


def _not_this_form(folded: str, intent: str) -> bool:
    """True when a form intent's message plainly wants something else (the patterns above)."""
    if intent == "register_event":
        return _CANCELS.search(folded) is not None
    if intent == "request_callback":
        return _CALLS_OFF.search(folded) is not None or _REMINDER.search(folded) is not None
    if intent == "cancel_registration":
        signs_up = _SIGNS_UP.search(folded) is not None and _CANCELS.search(folded) is None
        appointment = _APPOINTMENT.search(folded) is not None and _EVENT_WORDS.search(folded) is None
        return signs_up or appointment
    return False


def wants_another_form(text: str, intent: str | None) -> bool:
    """True when the words plainly want something else than the form `intent` would start.

    "kan du melde mig til kurset" is no cancellation: "Mente du ...?" must not offer one either.
    """
    if intent not in FORM_INTENTS or text.startswith("/"):
        return False
    return _not_this_form(spell_out_letters(text), intent)


def keeps_intent(text: str, intent: str | None, confidence: float) -> bool:
    """False when the predicted intent would start a form or raise the alarm without reason."""
    if intent == "bot_challenge" and not text.startswith("/"):
        return _ABOUT_A_HOUSE.search(spell_out_letters(text)) is None
    if wants_another_form(text, intent):
        return False
    if intent is None or not needs_subject_words(intent) or text.startswith("/"):
        return True
    if intent in FORM_INTENTS and confidence < FORM_MIN_CONFIDENCE:
        return False
    return has_subject_words(text, intent)
