"""Tell an English message from a Danish one, well enough to answer in both languages."""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-zA-ZæøåÆØÅ']+")
_ENGLISH = frozenset(
    [
        "the",
        "is",
        "are",
        "where",
        "what",
        "how",
        "can",
        "could",
        "i",
        "you",
        "my",
        "me",
        "to",
        "of",
        "in",
        "for",
        "a",
        "an",
        "do",
        "does",
        "help",
        "please",
        "get",
        "need",
        "want",
        "with",
        "hello",
        "hi",
        "speak",
        "english",
        "which",
        "when",
        "who",
        "this",
        "that",
        "it",
        "have",
        "has",
    ]
)
_DANISH = frozenset(
    [
        "jeg",
        "du",
        "det",
        "er",
        "og",
        "i",
        "på",
        "til",
        "af",
        "en",
        "et",
        "hvor",
        "hvad",
        "hvordan",
        "kan",
        "skal",
        "vil",
        "min",
        "mit",
        "med",
        "har",
        "ikke",
        "der",
        "at",
        "for",
        "om",
        "hej",
        "tak",
    ]
)


def looks_english(text: str) -> bool:
    """True when the words are clearly more English than Danish."""
    if re.search(r"[æøåÆØÅ]", text):
        return False
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return False
    english = sum(w in _ENGLISH for w in words)
    danish = sum(w in _DANISH for w in words)
    return english >= 2 and english > danish


# Every `stop` training example says one of these (tests/unit/test_stop_words.py checks it),
# else StopGuard would turn a phrasing the classifier learnt as `stop` into "not understood".
# "opgiver" only at the end: "jeg opgiver mit navn" states a name.
# Not "start forfra": in the call-back form it means "correct the details" (actions/callbacks.py).
_STOP = re.compile(
    r"\b((sto+p+)+(e|er|es)?|stands(e|er)?|annull?[eé]r\w*|ophør\w*|afbryd\w*|afbrudt|afslut\w*"
    r"|fortryd\w*|fortrudt|fortrød"
    r"|glem (det|alt|den|dem|hele|hvad jeg (skrev|sagde|har skrevet)|sp(ø|oe)rgsm(å|aa)l\w*)"
    r"|vil ikke svare på (flere|mere)|luk det( her)? ned|luk (samtalen|chatten|formularen|skemaet)"
    r"|(jeg|vi) (giver|giv) op\b|giver (jeg|vi) op\b|(jeg|vi) springer fra\W*$|træk\w* stikket"
    r"|(jeg|vi) opgiver( det| nu| hermed)?\W*$|(jeg|vi) opgiver det her\b"
    r"|springe? (det|den|bare|hele)( hele)? over|luk det\W*$|vil jeg ikke (mere|fortsætte|videre)"
    r"|drop(pe|per)? (det|bare|hele|sagen|skemaet|formularen|udfyldning\w*|resten)"
    # Tired of the questions: "jeg vil ikke udfylde mere", "jeg magter ikke at svare på mere".
    r"|vil ikke (udfylde|give|oplyse|skrive) (flere|mere)\b"
    r"|(magter|orker|kan) ikke (at )?svare på (flere|mere)"
    # Set 28: "resten springer jeg over", "ikke lyst til at besvare flere", "ikke flere spørgsmål" as the
    # whole opening (not "jeg har ikke flere spørgsmål", which is a goodbye).
    r"|springer (jeg|vi) over\W*$|ikke lyst til at (besvare|svare på) (flere|mere)"
    r"|^\W*ikke flere sp(ø|oe)rgsm(å|aa)l"
    r"|lade? (det )?(bare )?(være|ligge)|lad os stoppe|ikke alligevel"
    r"|hold (nu |så |lige |dog |nu lige )?(op|inde)"
    r"|vil ikke (fortsætte|mere|videre|gå videre|være med)|(ønsker|vil) ikke at fortsætte"
    r"|ikke (lyst|lysten) til at (fortsætte|gå videre|blive ved)|ikke mere af det"
    r"|(gider|orker) (simpelthen |bare |altså )?ikke"
    r"|(gider|orker) (jeg|vi) (simpelthen |bare |altså )?ikke (mere|længere)\b"
    r"|dropper (jeg|vi)\W*$|slut med det|(nu|så) er det slut|hør (nu |så )?op\b"
    r"|\bskip(pe)? (det|den|bare|hele)|(skidt|pyt) med det|ombestemt|skiftet mening"
    r"|nulstil\w*|exit|cancel|forget it|skrot\w* (det|den|hele|bare)"
    r"|ud af (det her|(den|denne)( her)? (dialog|samtale|chat|formular|skema)\w*|dialogen|samtalen|chatten"
    r"|formularen|skemaet)"
    r"|(nu|så) holder (vi|jeg) op(?! med)|nu er det nok|det er nok nu)\b",
    re.IGNORECASE,
)


def is_stop_request(text: str) -> bool:
    """True when the words ask to stop what is going on ("stop", "annuller", "glem det")."""
    return bool(_STOP.search(text))


# "annuller min plads på holdet" with no form running: a sign-up or a call-back the person wants
# to undo, not the conversation (actions/forms.py offers the way to undo it).
_SIGN_UP = re.compile(
    r"\b(tilmeld\w*|afmeld\w*|registrering\w*|registration|(min|vores|hans|hendes) plads|pladsen"
    r"|arrangement\w*|kursus\w*|kurset|holdet|m(ø|oe)det|foredrag\w*|infoaften\w*|dialogm(ø|oe|o)de\w*)\b",
    re.IGNORECASE,
)
_CALL_BACK = re.compile(
    r"\b(opkald\w*|ring\w* (mig |os )?(op|tilbage)|ringet op|call-?back|tilbageopkald\w*)\b", re.IGNORECASE
)


def names_a_sign_up(text: str) -> bool:
    """True when the words name a sign-up for an event ("min tilmelding", "pladsen på holdet")."""
    return bool(_SIGN_UP.search(text))


def names_a_call_back(text: str) -> bool:
    """True when the words name a call-back ("opkaldet", "I skal ikke ringe mig op")."""
    return bool(_CALL_BACK.search(text))


# "hej hej" and "hej så længe" are how many Danes say goodbye; as the first words of a conversation
# "hej hej" is hello (actions/chitchat.py reads which from the conversation so far).
_HEJ_HEJ = re.compile(
    r"^\W*(hej\W*hej|hejhej)(\W+(så længe|og tak|herfra|fra mig))?\W*$|^\W*(hej\W+)?hej så længe\W*$",
    re.IGNORECASE,
)


def says_hej_hej(text: str) -> bool:
    """True for "hej hej" (and "hej så længe"): hello at the start, goodbye after a conversation."""
    return bool(_HEJ_HEJ.search(text))
