"""Danish helpers every module shares: Danish time, day and month names, folded spellings.

Time: every date-time a person reads is Danish local time (Europe/Copenhagen);
a date alone means a whole Danish day.

Spellings: people type the same word in many ways ("Helsingør", "helsingoer",
"Helsingor"). Three foldings, for three purposes:
- `spell_out_letters`: lower case, æ/ø/å written ae/oe/aa. The NLU pipeline folds
  lemmas this way and the emergency patterns are written in it; changing it
  changes what the trained model sees.
- `fold_phrase`: `spell_out_letters` without punctuation and extra spaces, for
  matching a short answer against a list of phrases (roles).
- `fold`: the matching "skeleton": ASCII letters and digits, accents removed,
  ae/oe/aa collapsed to a/o/a, so that "ø", "oe" and a bare "o" meet
  ("Århus" and "Aarhus" become "arhus"). Skeletons are compared, never shown.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.settings import TIMEZONE

# ----------------------------------------------------------------------------- time

DANISH_TIME = ZoneInfo(TIMEZONE)

MONTHS = (
    "januar", "februar", "marts", "april", "maj", "juni",
    "juli", "august", "september", "oktober", "november", "december",
)  # fmt: skip
WEEKDAY_LONG = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")
WEEKDAY_SHORT = ("man", "tir", "ons", "tor", "fre", "lør", "søn")


def danish_now() -> datetime:
    return datetime.now(DANISH_TIME)


def to_danish(at: datetime) -> datetime:
    """An aware date-time in Danish local time; a naive one is taken to be Danish local time already."""
    if at.tzinfo is None:
        return at.replace(tzinfo=DANISH_TIME)
    return at.astimezone(DANISH_TIME)


def midnight(day: date) -> datetime:
    """The start of a Danish calendar day."""
    return datetime.combine(day, time(), tzinfo=DANISH_TIME)


def end_of_day(day: date) -> datetime:
    """The last moment of a Danish calendar day (23:59:59.999999): "until 1 March" includes 1 March."""
    return datetime.combine(day, time.max, tzinfo=DANISH_TIME)


def day_after(day: date) -> datetime:
    """Midnight after a Danish day: the exclusive end of a range that includes `day`."""
    return midnight(day + timedelta(days=1))


def format_datetime(moment: datetime | None) -> str:
    """'01-03-2027 14:30' in Danish time (staff exports); '' for None."""
    return moment.astimezone(DANISH_TIME).strftime("%d-%m-%Y %H:%M") if moment else ""


def format_date(day: date) -> str:
    """'1. marts 2027'."""
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"


# ---------------------------------------------------------------------- phone numbers

# "70 201 201": some service numbers are known by this grouping (Livslinien), so it is kept.
_SERVICE_NUMBER_GROUPING = re.compile(r"^\d{2} \d{3} \d{3}$")
_DANISH_PREFIX = re.compile(r"^(?:\+|00)\s*45\s*")


def phone_number(written: str) -> str:
    """A phone number as Danes write it, wherever one is printed.

    Eight digits in pairs ("+45 3530 3050" -> "35 30 30 50"), without the Danish +45;
    "70 201 201" is kept as its owner writes it; short numbers ("1813", "112") and foreign
    numbers are shown as written, with single spaces.
    """
    shown = " ".join(written.split())
    national = _DANISH_PREFIX.sub("", shown)
    digits = re.sub(r"[\s\-./()]", "", national)
    if len(digits) != 8 or not digits.isdigit():
        return shown
    if _SERVICE_NUMBER_GROUPING.match(national):
        return national
    return " ".join(digits[i : i + 2] for i in range(0, 8, 2))


# ------------------------------------------------------------------------- spellings

_SPELLED_OUT = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "é": "e", "ü": "u", "ö": "oe", "ä": "ae"})
# After spelling out æ/ø/å, the two-letter forms collapse to one letter, so that
# "oe", "ø" and a bare "o" (keyboards without ø) meet.
_DIGRAPHS = (("aa", "a"), ("oe", "o"), ("ae", "a"))
_NON_WORD = re.compile(r"[^0-9a-z]+")
_PUNCTUATION = re.compile(r"[^\w\s]")
_SOFT_HYPHEN = "\u00ad"


def name_in_town(name: str, town: str | None) -> str:
    """ "Sundhedshuset Nord i Hillerød", but "Sundhedshuset i Nordborg" when the name holds the town."""
    if not town or fold(town) in fold(name).split() or fold_phrase(town) in fold_phrase(name):
        return name
    return f"{name} i {town}"


def spell_out_letters(text: str) -> str:
    """Lower case, with æ/ø/å spelt ae/oe/aa (the usual keyboard-less spelling): "Højre" -> "hoejre"."""
    return text.lower().translate(_SPELLED_OUT)


def fold_phrase(text: str) -> str:
    """`spell_out_letters` without punctuation, soft hyphens, extra spaces: "Egen læge." -> "egen laege"."""
    folded = spell_out_letters(text.replace(_SOFT_HYPHEN, ""))
    return " ".join(_PUNCTUATION.sub(" ", folded).split())


def fold(text: str) -> str:
    """The matching skeleton of `text`: lower-case ASCII words separated by single spaces."""
    lowered = spell_out_letters(unicodedata.normalize("NFKC", text))
    # Remove remaining accents (è -> e) after the Danish letters are spelled out.
    stripped = "".join(ch for ch in unicodedata.normalize("NFKD", lowered) if not unicodedata.combining(ch))
    for pair, single in _DIGRAPHS:
        stripped = stripped.replace(pair, single)
    return _NON_WORD.sub(" ", stripped).strip()


def fold_word(word: str) -> str:
    """`fold` for one word: the result has no spaces (hyphens and dots vanish)."""
    return fold(word).replace(" ", "")
