"""Which events: upcoming ones (by audience, municipality, house, period) and one by id."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from bot.danish import DANISH_TIME, day_after, midnight
from bot.events.views import EventView, build_view, current_moment, event_view, status_counts
from bot.models import Event
from bot.transactions import SessionOrUrl, read_session


def _as_moment(value: date | datetime | None, end_of_range: bool = False) -> datetime | None:
    """A date means Danish midnight; as the end of a range, the midnight after it (inclusive day)."""
    if value is None or isinstance(value, datetime):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=DANISH_TIME)
        return value
    return day_after(value) if end_of_range else midnight(value)


def _in_municipality(event: Event, municipality: str) -> bool:
    wanted = municipality.strip().casefold()
    house = event.venue_house
    if house is not None:
        return house.municipality.casefold() == wanted
    address = event.venue_address
    return isinstance(address, dict) and str(address.get("town", "")).casefold() == wanted


def upcoming_events(
    session: SessionOrUrl,
    now: datetime | None = None,
    audience: str | None = None,
    place_municipality: str | None = None,
    house_id: str | None = None,
    date_from: date | datetime | None = None,
    date_to: date | datetime | None = None,
) -> list[EventView]:
    """Events not yet ended and not cancelled, soonest first.

    audience: a role code (events for everyone are included). date_from/date_to:
    keep events overlapping [from, to); a date `date_to` includes that whole day.
    """
    now = current_moment(now)
    start_of_range, end_of_range = _as_moment(date_from), _as_moment(date_to, end_of_range=True)
    query = (
        select(Event)
        .where(Event.cancelled.is_(False), Event.end > now)
        .options(selectinload(Event.venue_house))
        .order_by(Event.start, Event.position, Event.id)
    )
    if house_id:
        query = query.where(Event.venue_house_id == house_id)
    if start_of_range is not None:
        query = query.where(Event.end > start_of_range)
    if end_of_range is not None:
        query = query.where(Event.start < end_of_range)
    with read_session(session) as db:
        events = list(db.scalars(query))
        if audience:
            events = [e for e in events if not e.audience or audience in e.audience]
        if place_municipality:
            events = [e for e in events if _in_municipality(e, place_municipality)]
        counts = status_counts(db, (e.id for e in events))
        return [build_view(e, counts, now) for e in events]


def get_event(session: SessionOrUrl, event_id: str, now: datetime | None = None) -> EventView | None:
    """Any event by id (also past or cancelled), or None."""
    with read_session(session) as db:
        event = db.get(Event, event_id)
        return event_view(db, event, now) if event is not None else None
