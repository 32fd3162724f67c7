"""Honest distance: is the nearest house offering a service far away, and what is near instead?

"Far" is another region than the person's, or more than `far_km` (bot/data/related_services.yml).
Then the answer says so plainly and offers a related service at the person's own place, from the
reviewable map of related service types in the same file.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.orm import Session

from bot import directory, places, vocabulary
from bot.directory import Audience, HouseOffer
from bot.models import House
from bot.places import Place

RELATED_FILE = Path(__file__).resolve().parent / "data" / "related_services.yml"


@dataclass(frozen=True)
class Far:
    """Why a house is far from a place: its distance (None when unknown) and its region when that
    is another region than the place's."""

    km: float | None
    other_region: str | None


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    data = yaml.safe_load(RELATED_FILE.read_text(encoding="utf-8"))
    codes = set(data["related"]) | {code for values in data["related"].values() for code in values}
    unknown = sorted(code for code in codes if not vocabulary.is_service_type(code))
    if unknown:
        raise ValueError(f"related_services.yml names unknown service types: {unknown}")
    return data


def far_km() -> float:
    return float(_data()["far_km"])


def related_types(code: str) -> list[str]:
    """Service types related to `code`, closest first (none for an unknown code)."""
    return list(_data()["related"].get(code, []))


def how_far(place: Place, offer: HouseOffer) -> Far | None:
    """None when the house is near the place; else the distance and the other region, if any."""
    return how_far_house(place, offer.house, offer.distance_km)


def how_far_house(place: Place, house: House, km: float | None) -> Far | None:
    """As `how_far`, for a house `km` from the place (None: distance unknown)."""
    house_region = places.region_of(house.municipality)
    other_region = house_region if house_region and place.region and house_region != place.region else None
    if other_region is None and (km is None or km <= far_km()):
        return None
    return Far(km=km, other_region=other_region)


def related_offer_at_place(
    session: Session, codes: list[str], place: Place, audience: Audience = "citizen"
) -> HouseOffer | None:
    """The first of `codes` that a house at the place (its own municipality or serving it) offers."""
    for code in codes:
        if not vocabulary.is_service_type(code):
            continue
        result = directory.find_houses(session, code, place, audience=audience, limit=1)
        if result.at_place:
            return result.offers[0]
    return None
