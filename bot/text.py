"""Words of a typed text with their positions, so a match can be shown as the person typed it.

Folding (how spellings are made comparable) lives in `bot.danish`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.danish import fold_word

_TOKEN = re.compile(r"[0-9A-Za-zÆØÅæøåÄÖÜäöüÉéÈèÁáÓóÍí]+")


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
