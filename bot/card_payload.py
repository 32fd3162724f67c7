"""The JSON payload of the cards (Rasa `custom`): its shape, defined once, both ways.

Built by `to_payload` for the web widget (bot/web/static/widget/widget.js draws it) and read
back by `from_payload` for the Teams Adaptive Card (bot.channels.bf_cards), so both show the
same typed card (bot.cards).

Payload, `{"type": "house_card", "house": {...}}`: id, name, service {type, name, provider},
address {street, postcode, town}, map_url, distance_km, hours [{days, hours}], hours_text,
status {today, open_now, next_opening, holiday} | null, open_now, status_text, status_detail,
booking {method, text, phone, url, note, line}, referral {status, text},
entry_point {name, phone, email, hours [{days, hours}], hours_text, note} | null, focus, notice.
`hours_text`, `open_now`, `status_text` (the whole sentence), `status_detail` (without the
open/closed words, beside the widget's badge), `booking.line` and `entry_point.hours_text` are derived
for the widget; `from_payload` ignores them.
Payload, `{"type": "event_card", "event": {...}}`: id, title, when, venue, audience, deadline,
places, open_for_registration, notice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from bot import card_text
from bot.cards import (
    Address,
    Booking,
    EntryPointInfo,
    EventCard,
    HoursRow,
    HouseCard,
    OpenStatus,
    Referral,
    ServiceInfo,
)

HOUSE_CARD = "house_card"
EVENT_CARD = "event_card"


class PayloadError(ValueError):
    """A payload that is not a card of the shape defined here."""


def to_payload(card: HouseCard | EventCard) -> dict[str, Any]:
    """The JSON payload (Rasa `custom`) for the web widget and Teams."""
    if isinstance(card, EventCard):
        return {"type": EVENT_CARD, "event": asdict(card)}
    house = asdict(card)
    house["hours"] = [asdict(row) for row in card.hours]
    house["hours_text"] = card_text.week_text(card.hours)
    house["open_now"] = card.status.open_now if card.status else None
    house["status_text"] = card_text.status_sentence(card.status)
    house["status_detail"] = card_text.status_sentence(card.status, beside_badge=True)
    house["booking"]["line"] = card_text.booking_line(card.booking, markdown=False)
    if card.entry_point is not None:
        house["entry_point"]["hours"] = [asdict(row) for row in card.entry_point.hours]
        house["entry_point"]["hours_text"] = (
            card_text.week_text(card.entry_point.hours) if card.entry_point.hours else None
        )
    return {"type": HOUSE_CARD, "house": house}


def from_payload(payload: Mapping[str, Any]) -> HouseCard | EventCard:
    """The card a payload holds; PayloadError when it is not one."""
    kind = payload.get("type")
    try:
        if kind == HOUSE_CARD:
            return house_from_dict(payload["house"])
        if kind == EVENT_CARD:
            event = payload["event"]
            fields = EventCard.__dataclass_fields__
            return EventCard(**{name: event[name] for name in fields if name in event})
    except (KeyError, TypeError, AttributeError) as error:
        raise PayloadError(f"Not a {kind}: {error}") from error
    raise PayloadError(f"Not a card: type {kind!r}")


def house_from_dict(house: Mapping[str, Any]) -> HouseCard:
    """The `house` object of a house card payload as a HouseCard."""
    try:
        entry = house.get("entry_point")
        status = house.get("status")
        return HouseCard(
            id=house["id"],
            name=house["name"],
            service=ServiceInfo(**house["service"]),
            address=Address(**house["address"]),
            map_url=house["map_url"],
            distance_km=house.get("distance_km"),
            hours=_rows(house.get("hours")),
            status=OpenStatus(**status) if status else None,
            booking=Booking(**{k: v for k, v in house["booking"].items() if k != "line"}),
            referral=Referral(**house["referral"]),
            entry_point=EntryPointInfo(
                name=entry["name"],
                phone=entry["phone"],
                email=entry.get("email"),
                hours=_rows(entry.get("hours")),
                note=entry.get("note"),
            )
            if entry
            else None,
            focus=house.get("focus"),
            notice=house.get("notice"),
        )
    except (KeyError, TypeError, AttributeError) as error:
        raise PayloadError(f"Not a house card: {error}") from error


def _rows(rows: Any) -> tuple[HoursRow, ...]:
    return tuple(HoursRow(days=row["days"], hours=row["hours"]) for row in rows or ())
