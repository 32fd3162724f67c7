"""Shared normalisation for matching Danish words typed in many ways.

`fold` turns a text into a plain "skeleton" so that the spellings people use
for the same word meet: "Helsingør", "helsingoer" and "Helsingor" all become
"helsingor"; "Århus" and "Aarhus" become "arhus"; "tandlæge" and "tandlaege"
become "tandlage". Skeletons are only compared with each other, never shown.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_DANISH_LETTERS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "ä": "ae", "ö": "oe", "ü": "u"})
# After spelling out æ/ø/å, the two-letter forms collapse to one letter, so that
# "oe", "ø" and a bare "o" (keyboards without ø) meet.
_DIGRAPHS = (("aa", "a"), ("oe", "o"), ("ae", "a"))
_NON_WORD = re.compile(r"[^0-9a-z]+")
_TOKEN = re.compile(r"[0-9A-Za-zÆØÅæøåÄÖÜäöüÉéÈèÁáÓóÍí]+")


def fold(text: str) -> str:
    """The matching skeleton of `text`: lower-case ASCII words separated by single spaces."""
    lowered = unicodedata.normalize("NFKC", text).lower().translate(_DANISH_LETTERS)
    # Remove remaining accents (é -> e) after the Danish letters are spelled out.
    stripped = "".join(
        ch for ch in unicodedata.normalize("NFKD", lowered) if not unicodedata.combining(ch)
    )
    for pair, single in _DIGRAPHS:
        stripped = stripped.replace(pair, single)
    return _NON_WORD.sub(" ", stripped).strip()


def fold_word(word: str) -> str:
    """`fold` for one word: the result has no spaces (hyphens and dots vanish)."""
    return fold(word).replace(" ", "")


@dataclass(frozen=True)
class Token:
    """A word of the original text with its position, so matches can be shown as typed."""

    text: str
    start: int
    end: int

    @property
    def folded(self) -> str:
        return fold_word(self.text)

    @property
    def is_capitalised(self) -> bool:
        return self.text[:1].isupper()

    @property
    def is_number(self) -> bool:
        return self.text.isdigit()


def tokenize(text: str) -> list[Token]:
    """Words and numbers of `text`; a hyphen separates words, so "Høje-Taastrup" and
    "Høje Taastrup" give the same tokens."""
    return [Token(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def normalise_spaces(text: str) -> str:
    return " ".join(text.split())
