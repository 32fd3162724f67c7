"""Fold Danish letters to their two-letter spellings, so "helsingør" and "helsingoer" look alike."""

from __future__ import annotations

_FOLD = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "é": "e", "ü": "u", "ö": "oe", "ä": "ae"})


def fold_danish(text: str) -> str:
    """Lower-case and spell æ/ø/å as ae/oe/aa (the usual keyboard-less spelling)."""
    return text.lower().translate(_FOLD)
