"""What staff see of registrations: lists per event or per person, and the CSV export."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from bot.contact import normalise_email, role_display_name
from bot.csv_export import personal_cell, write_csv
from bot.danish import format_datetime
from bot.events.views import CANCELLED, CONFIRMED, WAITING, EventNotFoundError, current_moment, in_danish_time
from bot.models import Event, Registration
from bot.transactions import SessionOrUrl, read_session

STATUS_NAMES = {CONFIRMED: "Tilmeldt", WAITING: "Venteliste", CANCELLED: "Afmeldt"}


@dataclass(frozen=True)
class RegistrationView:
    id: int
    event_id: str
    event_title: str
    event_start: datetime  # Danish time
    name: str
    email: str
    organisation: str | None
    role: str
    note: str | None
    status: str  # confirmed | waiting | cancelled
    created_at: datetime  # Danish time
    cancelled_at: datetime | None

    @property
    def role_name(self) -> str:
        return role_display_name(self.role)

    @property
    def status_name(self) -> str:
        return STATUS_NAMES.get(self.status, self.status)


def _registration_view(registration: Registration, event: Event) -> RegistrationView:
    return RegistrationView(
        id=registration.id,
        event_id=event.id,
        event_title=event.title,
        event_start=in_danish_time(event.start),
        name=registration.name,
        email=registration.email,
        organisation=registration.organisation,
        role=registration.role,
        note=registration.note,
        status=registration.status,
        created_at=in_danish_time(registration.created_at),
        cancelled_at=in_danish_time(registration.cancelled_at),
    )


def find_registrations_by_email(
    session: SessionOrUrl, email: str, now: datetime | None = None, include_past: bool = False
) -> list[RegistrationView]:
    """A person's active (not cancelled) registrations, soonest event first."""
    email = normalise_email(email)
    query = (
        select(Registration, Event)
        .join(Event, Registration.event_id == Event.id)
        .where(Registration.email == email, Registration.status != CANCELLED)
        .order_by(Event.start, Registration.id)
    )
    if not include_past:
        query = query.where(Event.end > current_moment(now))
    with read_session(session) as db:
        return [_registration_view(r, e) for r, e in db.execute(query)]


_STATUS_ORDER = {CONFIRMED: 0, WAITING: 1, CANCELLED: 2}


def registrations_for_event(session: SessionOrUrl, event_id: str) -> list[RegistrationView]:
    """All registrations for an event: confirmed, then waiting list in order, then cancelled.

    Raises EventNotFoundError for an unknown id.
    """
    with read_session(session) as db:
        event = db.get(Event, event_id)
        if event is None:
            raise EventNotFoundError(event_id)
        rows = db.scalars(
            select(Registration)
            .where(Registration.event_id == event_id)
            .order_by(Registration.created_at, Registration.id)
        )
        views = [_registration_view(r, event) for r in rows]
    return sorted(views, key=lambda v: _STATUS_ORDER.get(v.status, 3))  # stable: keeps time order


REGISTRATION_CSV_HEADINGS = [
    "Navn",
    "E-mail",
    "Organisation",
    "Rolle",
    "Status",
    "Bemærkning",
    "Tilmeldt (dansk tid)",
    "Afmeldt (dansk tid)",
]


def registrations_csv(registrations: Iterable[RegistrationView], delimiter: str = ",") -> str:
    return write_csv(
        REGISTRATION_CSV_HEADINGS,
        (
            [
                personal_cell(r.name, r.status == CANCELLED),
                personal_cell(r.email, r.status == CANCELLED),
                r.organisation,
                r.role_name,
                r.status_name,
                r.note,
                format_datetime(r.created_at),
                format_datetime(r.cancelled_at),
            ]
            for r in registrations
        ),
        delimiter,
    )
