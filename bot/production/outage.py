"""The short Danish apology given when no action server can answer, with a number to call.

The number is the best one the conversation tells: the entry point of the house last shown
(when its phone number is real, not a sample placeholder), else the urgent number of the
person's region (never another region's), else the general text (own doctor; 112).
Texts: bot/copy/outage.yml.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from bot import places, urgent_care, wording
from bot.db import session_scope
from bot.directory import entry_point_for
from bot.placeholders import real_phone

logger = logging.getLogger(__name__)

HOUSE_IDS_SLOT = "house_ids"  # actions/slots.py HOUSE_IDS (bot/ does not import actions/)
PLACE_SLOT = "place"
MUNICIPALITY_SLOT = "municipality"


def general_apology() -> str:
    return wording.text("outage.general")


def _house_last_shown(house_ids: Any, database_url: str | None) -> tuple[str | None, str | None]:
    """(the apology naming its entry point when the phone number is real, the house's municipality)."""
    if not isinstance(house_ids, list) or not house_ids:
        return None, None
    try:
        with session_scope(database_url) as session:
            found = entry_point_for(session, house_id=str(house_ids[0]))
            if found is None:
                return None, None
            house, entry = found
            phone = real_phone(entry.phone)
            if phone is None:
                return None, house.municipality
            return wording.text("outage.entry_point", name=entry.name, phone=phone), house.municipality
    except Exception:  # noqa: BLE001 - the database may be what is down: fall back to the region
        logger.warning("Nødsvar: kunne ikke slå huset op i databasen; bruger regionens nummer.")
        return None, None


def _region(slots: Mapping[str, Any], house_municipality: str | None) -> str | None:
    place_key = slots.get(PLACE_SLOT)
    place = places.place_by_key(place_key) if isinstance(place_key, str) else None
    region = urgent_care.region_of_place(place)
    for municipality in (slots.get(MUNICIPALITY_SLOT), house_municipality):
        if region is None and isinstance(municipality, str) and municipality:
            region = urgent_care.region_of_municipalities([municipality])
    return region


def apology(slots: Mapping[str, Any], database_url: str | None = None) -> str:
    """The apology for a conversation with these slots."""
    by_entry_point, house_municipality = _house_last_shown(slots.get(HOUSE_IDS_SLOT), database_url)
    if by_entry_point:
        return by_entry_point
    number = urgent_care.for_region(_region(slots, house_municipality))
    if number is not None:
        return wording.text(
            "outage.region", service=number.service, region=number.region_name, phone=number.phone
        )
    return general_apology()


def action_response(text: str) -> dict[str, Any]:
    """An action server's answer (rasa-sdk's format) that makes Rasa say `text` and change nothing."""
    return {"events": [], "responses": [{"text": text}]}
