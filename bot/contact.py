"""Checks and normalises what a person types into a form: phone, e-mail, name, role, note.

Every check raises `ContactError` whose text is a short Danish sentence saying
what is wrong and what to write instead, ready to show to the user.
"""

from __future__ import annotations

import re
import unicodedata

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from rapidfuzz import fuzz, process

from bot import wording
from bot.danish import fold_phrase, phone_number
from bot.privacy import mask_cpr


class ContactError(ValueError):
    """Invalid input; `str(error)` (also `.message`) is the Danish text for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


NAME_MAX_LENGTH = 100
ORGANISATION_MAX_LENGTH = 150
NOTE_MAX_LENGTH = 500
TOPIC_MAX_LENGTH = 500

# Digits and the punctuation people put in phone numbers; anything else (letters) is refused.
_PHONE_CHARACTERS = re.compile(r"^[\d\s+()\-./]+$")


def normalise_danish_phone(text: str | None) -> str:
    """A Danish phone number in E.164 ("+4512345678")."""
    raw = (text or "").strip()
    if not raw:
        raise ContactError(wording.text("contact_errors.phone.missing"))
    if len(raw) > 30 or not _PHONE_CHARACTERS.match(raw):
        raise ContactError(wording.text("contact_errors.phone.characters"))
    try:
        number = phonenumbers.parse(raw, "DK")
    except phonenumbers.NumberParseException:
        raise ContactError(wording.text("contact_errors.phone.not_a_number")) from None
    if number.country_code != 45:
        raise ContactError(wording.text("contact_errors.phone.not_danish"))
    national = str(number.national_number)
    # Danish numbers have eight digits and none begins with 0 (so "+45 00 00 00 00" is refused).
    # We check the length only, not the number plan, so any real-looking eight digits are accepted.
    if number.italian_leading_zero or len(national) != 8 or not phonenumbers.is_possible_number(number):
        raise ContactError(wording.text("contact_errors.phone.digits"))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_danish_phone(e164: str) -> str:
    """ "+4512345678" -> "12 34 56 78", the way Danes write it (bot.danish.phone_number)."""
    return phone_number(e164)


def normalise_email(text: str | None) -> str:
    """A checked e-mail address in lower case (so "Anna@X.dk" and "anna@x.dk" are one person)."""
    raw = (text or "").strip()
    if not raw:
        raise ContactError(wording.text("contact_errors.email.missing"))
    if len(raw) > 254:
        raise ContactError(wording.text("contact_errors.email.too_long"))
    try:
        result = validate_email(raw, check_deliverability=False)
    except EmailNotValidError:
        raise ContactError(wording.text("contact_errors.email.invalid")) from None
    return result.normalized.lower()


def _clean_text(text: str | None) -> str:
    """Trimmed, inner runs of whitespace made single spaces, control characters removed."""
    without_controls = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in (text or ""))
    return " ".join(without_controls.split())


# Words a sentence has and a name does not ("jeg vil ud af det her" answered to "Hvad er dit navn?").
# Not "du", "vi" or "kan": they are also names (Du, Vi, Kan).
_SENTENCE_WORDS = frozenset({
    "jeg", "mig", "vil", "ikke", "det", "her", "gerne", "skal", "gider",
    "hvad", "hvorfor", "hvordan", "hvornår",
})  # fmt: skip
# A bare yes, no or hello answered to "Hvad er dit navn?" ("jajamen" was once saved as a name).
_ANSWER_WORDS = frozenset({
    "ja", "jajamen", "jep", "jeps", "ok", "okay", "javel", "nej", "nix", "nope", "næ", "hej", "hejsa", "tak",
})  # fmt: skip


def _has_letter(text: str) -> bool:
    return any(unicodedata.category(ch).startswith("L") for ch in text)


# "jeg hedder Anna Hansen": the name is what follows.
_NAME_INTRODUCTION = re.compile(
    r"^(jeg hedder|mit (fulde )?navn er|navnet er|det er|hedder)\s+", re.IGNORECASE
)


def validate_name(text: str | None) -> str:
    name = _NAME_INTRODUCTION.sub("", _clean_text(text)).strip(" .!")
    if not name:
        raise ContactError(wording.text("contact_errors.name.missing"))
    if len(name) > NAME_MAX_LENGTH:
        raise ContactError(wording.text("contact_errors.name.too_long", max=NAME_MAX_LENGTH))
    if not _has_letter(name):
        raise ContactError(wording.text("contact_errors.name.no_letters"))
    words = re.findall(r"\w+", name.lower())
    if _SENTENCE_WORDS.intersection(words) or set(words) <= _ANSWER_WORDS:
        raise ContactError(wording.text("contact_errors.name.not_a_name"))
    return name


def validate_organisation(text: str | None, required: bool = False) -> str | None:
    """The organisation, or None when left out and not required."""
    organisation = _clean_text(text)
    if not organisation:
        if required:
            raise ContactError(wording.text("contact_errors.organisation.missing"))
        return None
    if len(organisation) > ORGANISATION_MAX_LENGTH:
        raise ContactError(wording.text("contact_errors.organisation.too_long", max=ORGANISATION_MAX_LENGTH))
    if not _has_letter(organisation):
        raise ContactError(wording.text("contact_errors.organisation.no_letters"))
    return organisation


ROLES: dict[str, str] = {
    "kommune": "Kommune",
    "region": "Region",
    "praksis": "Praksissektoren (fx praktiserende læge)",
    "brugerrepraesentant": "Brugerrepræsentant",
    "borger": "Borger",
}

# Words people use, folded (see `bot.danish.fold_phrase`), mapped to a role code.
_ROLE_WORDS: dict[str, str] = {
    "kommune": "kommune",
    "kommunen": "kommune",
    "kommunal": "kommune",
    "kommunalt ansat": "kommune",
    "ansat i kommunen": "kommune",
    "region": "region",
    "regionen": "region",
    "regional": "region",
    "ansat i regionen": "region",
    "hospital": "region",
    "hospitalet": "region",
    "sygehus": "region",
    "praksis": "praksis",
    "almen praksis": "praksis",
    "praksissektoren": "praksis",
    "praksissektor": "praksis",
    "praktiserende laege": "praksis",
    "praktiserende": "praksis",
    "egen laege": "praksis",
    "laege": "praksis",
    "laegepraksis": "praksis",
    "speciallaege": "praksis",
    "brugerrepraesentant": "brugerrepraesentant",
    "brugerrepraesentanter": "brugerrepraesentant",
    "bruger repraesentant": "brugerrepraesentant",
    "patientrepraesentant": "brugerrepraesentant",
    "patientforening": "brugerrepraesentant",
    "handicapraad": "brugerrepraesentant",
    "aeldreraad": "brugerrepraesentant",
    "borger": "borger",
    "borgere": "borger",
    "privatperson": "borger",
    "patient": "borger",
    "paaroerende": "borger",
}

_ROLE_FILLER = {"jeg", "er", "fra", "en", "et", "som", "i", "hos", "den", "det", "min", "rolle"}


def _role_choices() -> str:
    names = [name.split(" (")[0].lower() for name in ROLES.values()]
    return wording.text("contact_errors.role.choices", roles=", ".join(names[:-1]), last=names[-1])


def parse_role(text: str | None) -> str:
    """A role code from ROLES, from the words a person uses ("Kommunen", "praktiserende læge")."""
    folded = fold_phrase(text or "")
    if not folded:
        raise ContactError(wording.text("contact_errors.role.missing", roles=_role_choices()))
    if folded in ROLES:
        return folded
    for code, display_name in ROLES.items():  # a button title sent back as text
        if folded in (fold_phrase(display_name), fold_phrase(display_name.split(" (")[0])):
            return code
    if folded in _ROLE_WORDS:
        return _ROLE_WORDS[folded]
    words = [w for w in folded.split() if w not in _ROLE_FILLER]
    stripped = " ".join(words)
    if stripped in _ROLE_WORDS:
        return _ROLE_WORDS[stripped]
    if len(stripped) >= 4:
        # Typos ("kommmune", "brugerrepresentant"): a close match on the whole phrase.
        match = process.extractOne(stripped, _ROLE_WORDS.keys(), scorer=fuzz.ratio, score_cutoff=85)
        if match is not None:
            return _ROLE_WORDS[match[0]]
    raise ContactError(wording.text("contact_errors.role.unknown", roles=_role_choices()))


def role_display_name(code: str) -> str:
    return ROLES.get(code, code)


def validate_note(text: str | None) -> str | None:
    """An optional note (max 500 characters), CPR numbers masked; None when empty."""
    note = (text or "").strip()
    if not note:
        return None
    if len(note) > NOTE_MAX_LENGTH:
        raise ContactError(wording.text("contact_errors.note.too_long", max=NOTE_MAX_LENGTH))
    return mask_cpr(note)


def validate_topic(text: str | None) -> str:
    """What a call-back is about (required, max 500 characters), CPR numbers masked."""
    topic = _clean_text(text)
    if not topic or not _has_letter(topic):
        raise ContactError(wording.text("contact_errors.topic.missing"))
    if len(topic) > TOPIC_MAX_LENGTH:
        raise ContactError(wording.text("contact_errors.topic.too_long", max=TOPIC_MAX_LENGTH))
    return mask_cpr(topic)
