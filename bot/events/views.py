"""What an event looks like to the rest of the assistant: `EventView`, built from the database rows.

All date-times in a view are Danish time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.contact import ROLES
from bot.danish import DANISH_TIME
from bot.models import Event, Registration, utcnow

CONFIRMED, WAITING, CANCELLED = "confirmed", "waiting", "cancelled"  # Registration.status values


class EventNotFoundError(LookupError):
    """No event with that id."""


def current_moment(now: datetime | None) -> datetime:
    """`now`, or the present moment; a naive `now` is a programming error."""
    if now is None:
        return utcnow()
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now


def in_danish_time(moment: datetime | None) -> datetime | None:
    return moment.astimezone(DANISH_TIME) if moment is not None else None


@dataclass(frozen=True)
class EventView:
    id: str
    title: str
    description: str | None
    start: datetime  # Danish time
    end: datetime
    venue_house_id: str | None
    venue_name: str | None
    venue_address: str | None  # "Skolegangen 1, 2620 Albertslund"
    audience: list[str]  # role codes; all of bot.contact.ROLES when the catalogue names none
    registration_deadline: datetime  # the last moment one may register, Danish time
    capacity: int | None  # None: no limit
    confirmed_count: int
    places_left: int | None  # None: no limit
    waiting_list_length: int
    is_open_for_registration: bool  # deadline not passed, not started, not cancelled (may be full)
    contact: dict | None  # the organiser: {name?, email?, phone?}
    cancelled: bool = False

    @property
    def is_full(self) -> bool:
        return self.places_left == 0

    @property
    def deadline_date(self) -> date:
        return self.registration_deadline.date()


def _address_text(address: object) -> str | None:
    if isinstance(address, dict):
        street = (address.get("street") or "").strip()
        town_line = " ".join(p for p in (address.get("postcode"), address.get("town")) if p)
        return ", ".join(p for p in (street, town_line) if p) or None
    if isinstance(address, str):
        return address.strip() or None
    return None


def _venue(event: Event) -> tuple[str | None, str | None]:
    house = event.venue_house
    if house is not None:
        address = {"street": house.street, "postcode": house.postcode, "town": house.town}
        return house.name, _address_text(address)
    return event.venue_name, _address_text(event.venue_address)


def status_counts(session: Session, event_ids: Iterable[str]) -> dict[tuple[str, str], int]:
    """(event id, registration status) -> how many, for the events given."""
    ids = list(event_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(Registration.event_id, Registration.status, func.count())
        .where(Registration.event_id.in_(ids))
        .group_by(Registration.event_id, Registration.status)
    )
    return {(event_id, status): count for event_id, status, count in rows}


def build_view(event: Event, counts: dict[tuple[str, str], int], now: datetime) -> EventView:
    confirmed = counts.get((event.id, CONFIRMED), 0)
    places_left = None if event.capacity is None else max(event.capacity - confirmed, 0)
    venue_name, venue_address = _venue(event)
    return EventView(
        id=event.id,
        title=event.title,
        description=event.description,
        start=in_danish_time(event.start),
        end=in_danish_time(event.end),
        venue_house_id=event.venue_house_id,
        venue_name=venue_name,
        venue_address=venue_address,
        audience=list(event.audience) if event.audience else list(ROLES),
        registration_deadline=in_danish_time(event.registration_deadline),
        capacity=event.capacity,
        confirmed_count=confirmed,
        places_left=places_left,
        waiting_list_length=counts.get((event.id, WAITING), 0),
        is_open_for_registration=(
            not event.cancelled and now <= event.registration_deadline and now < event.start
        ),
        contact=dict(event.contact) if event.contact else None,
        cancelled=bool(event.cancelled),
    )


def event_view(session: Session, event: Event, now: datetime | None = None) -> EventView:
    return build_view(event, status_counts(session, [event.id]), current_moment(now))
