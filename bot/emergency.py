"""Recognise emergencies from the words alone, whatever the NLU model thinks.

A safety net under the trained classifier: a message that describes a
life-threatening situation always gets 112/1813 at once.
"""

from __future__ import annotations

import re

from bot.danish import spell_out_letters

# Folded spelling (æ->ae, ø->oe, å->aa), so "ondt i brystet" and "ondt i brystet" typed without ø match.
_PATTERNS = [
    r"\b(ondt|smerter?|trykken|tryk|jag) i brystet",
    r"\bbrystsmerter",
    r"\bkan ikke (faa|traekke) (vejret|luft)",
    r"\btraekker ikke vejret",
    r"\bbevidstloes",
    r"\bbesvimet",
    r"\bhjertestop",
    r"\bblodprop",
    r"\bslagtilfaelde",
    r"\b(haenger|skaev) i (den ene side|ansigtet|munden)",
    r"\btaler sloeret",
    r"\bbloeder (voldsomt|meget|kraftigt|og vil ikke stoppe)",
    r"\b(kraftig|voldsom|stor) bloedning",
    r"\b(faldet|vaeltet|gaaet omkuld)\b.{0,60}\bkan ikke (rejse sig|komme op|staa op)",
    r"\bselvmord",
    r"\btage mit (eget )?liv",
    r"\bslaa mig selv ihjel",
    r"\bvil ikke leve (mere|laengere)",
    r"\bkrampeanfald|\bkramper\b",
    r"\bforgiftet|\bforgiftning",
    r"\bfor mange piller",
    r"\ballergisk chok",
    r"\bring efter en ambulance|\bbrug for en ambulance",
    r"\blivstruende|\bfare for (hans|hendes|mit|livet|liv)",
]
_EMERGENCY = re.compile("|".join(_PATTERNS))


def is_emergency(text: str | None) -> bool:
    """True when the words describe an emergency that needs 112 or 1813 now."""
    return bool(text) and _EMERGENCY.search(spell_out_letters(text)) is not None
