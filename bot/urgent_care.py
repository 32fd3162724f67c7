"""Which number to call: 112 when life may be in danger, else the person's own region's urgent number.

The numbers are data (`bot/data/urgent-care.yml`, with sources); this module
only reads them and decides the region from the places and houses a
conversation names. A region is never guessed: places in two regions give None,
and the caller asks for the town.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot import places
from bot.danish import fold, phone_number

URGENT_CARE_FILE = Path(__file__).resolve().parent / "data" / "urgent-care.yml"


@dataclass(frozen=True)
class UrgentNumber:
    """A region's number for acute illness that is not life-threatening, outside the doctor's hours."""

    region: str  # key as in the place table: "Hovedstaden", "Sjælland", ...
    region_name: str  # "Region Hovedstaden"
    region_name_en: str
    phone: str  # "1813", "70 11 07 07"
    service: str  # "Akuttelefonen", "Lægevagten"
    source: str


@dataclass(frozen=True)
class Helpline:
    name: str
    phone: str
    web: str


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    return yaml.safe_load(URGENT_CARE_FILE.read_text(encoding="utf-8"))


def regions() -> list[str]:
    """The five regions' keys, as in the place table."""
    return list(_data()["regions"])


def for_region(region: str | None) -> UrgentNumber | None:
    """The region's urgent number; None for an unknown region."""
    row = _data()["regions"].get(region or "")
    if row is None:
        return None
    return UrgentNumber(
        region=region or "",
        region_name=row["name"],
        region_name_en=row["name_en"],
        phone=phone_number(str(row["phone"])),
        service=row["service"],
        source=row["source"],
    )


def all_numbers() -> list[UrgentNumber]:
    return [number for region in regions() if (number := for_region(region)) is not None]


def emergency_number() -> str:
    return str(_data()["emergency_number"])


def suicide_helpline() -> Helpline:
    row = _data()["suicide_line"]
    return Helpline(name=row["name"], phone=phone_number(str(row["phone"])), web=row["web"])


@lru_cache(maxsize=1)
def _region_names() -> tuple[tuple[re.Pattern[str], str], ...]:
    """One pattern a region over its own name and `also_called`, on folded text ("region midt")."""
    patterns = []
    for key, row in _data()["regions"].items():
        names = [row["name"], *row.get("also_called", [])]
        alternatives = "|".join(re.escape(fold(name)) for name in names)
        patterns.append((re.compile(rf"\b(?:{alternatives})\b"), key))
    return tuple(patterns)


def region_named_in(text: str) -> str | None:
    """The region a message names ("Region Midtjylland", "på Fyn"); None when none or two are named."""
    folded = fold(text)
    found = {key for pattern, key in _region_names() if pattern.search(folded)}
    return found.pop() if len(found) == 1 else None


@lru_cache(maxsize=1)
def _area_names() -> tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]:
    """One pattern per part of the country that lies in several regions ("Sjælland"), on folded text."""
    areas = _data().get("areas_in_several_regions") or {}
    return tuple((re.compile(rf"\b{re.escape(fold(name))}\b"), tuple(keys)) for name, keys in areas.items())


def regions_of_area_named_in(text: str) -> list[str]:
    """The regions of a part of the country the message names that lies in several ("Sjælland").

    Empty when the message names a single region ("Region Sjælland", "Nordsjælland"), or no such area.
    """
    if region_named_in(text):
        return []
    folded = fold(text)
    found: list[str] = []
    for pattern, keys in _area_names():
        if pattern.search(folded):
            found.extend(key for key in keys if key not in found)
    return [key for key in regions() if key in found]


def is_region_or_area_name(text: str) -> bool:
    """True when the text is just a region's name, an `also_called` or a part in two regions ("Fyn")."""
    folded = fold(text)
    names = [
        name for row in _data()["regions"].values() for name in (row["name"], *row.get("also_called", []))
    ] + list(_data().get("areas_in_several_regions") or {})
    return any(folded == fold(name) for name in names)


def region_of_municipalities(municipalities: Iterable[str]) -> str | None:
    """The one region all these municipalities lie in; None when none is known or they differ."""
    found = {places.region_of(name) for name in municipalities}
    found.discard(None)
    return found.pop() if len(found) == 1 else None


def region_of_resolution(resolution: places.PlaceResolution | None) -> str | None:
    """The region of a place the person named; an ambiguous name counts when every candidate agrees."""
    if resolution is None or not (resolution.found or resolution.is_ambiguous):
        return None
    return region_of_municipalities(resolution.municipalities)


def region_of_place(place: places.Place | None) -> str | None:
    if place is None:
        return None
    return place.region or region_of_municipalities(place.municipalities)
