"""Registering for an event and cancelling, every rule checked in ONE transaction.

The rules (a place left? already registered? deadline passed?) are checked and
the registration written in one transaction that holds the event: on
PostgreSQL the event row is locked (SELECT ... FOR UPDATE), on SQLite the
transaction starts with BEGIN IMMEDIATE (see bot.transactions). Two people
registering for the last place at the same moment therefore get one
confirmation and one "full". The partial unique index on (event_id, email)
for non-cancelled rows backs the "already registered" rule. A freed place
goes to the first on the waiting list.

A new registration gets a cancellation code (bot.events.cancel_codes), given
once in the result and stored only as a hash. Cancelling takes the e-mail AND
the code; a wrong pair gives NOT_REGISTERED whether the address is unknown or
the code wrong, so a wrong pair reveals nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from bot.contact import normalise_email, parse_role, validate_name, validate_note, validate_organisation
from bot.events.cancel_codes import code_matches, hash_code, new_code, normalise_code, spend_equal_time
from bot.events.views import CANCELLED, CONFIRMED, WAITING, EventView, current_moment, event_view
from bot.models import Event, Registration
from bot.transactions import SessionOrUrl, dialect_name, read_session, write_session


class RegistrationStatus(str, Enum):
    CONFIRMED = "confirmed"
    WAITING_LIST = "waiting_list"
    FULL = "full"  # no place left; the bot may offer the waiting list
    ALREADY_REGISTERED = "already_registered"
    DEADLINE_PASSED = "deadline_passed"
    EVENT_NOT_FOUND = "event_not_found"
    EVENT_CANCELLED = "event_cancelled"
    EVENT_PAST = "event_past"


@dataclass(frozen=True)
class MovedUp:
    """A person moved from the waiting list to a confirmed place (staff should tell them)."""

    registration_id: int
    name: str
    email: str


@dataclass(frozen=True)
class RegistrationResult:
    status: RegistrationStatus
    event: EventView | None = None
    registration_id: int | None = None
    registration_status: str | None = None  # for already_registered: "confirmed" or "waiting"
    waiting_position: int | None = None  # 1 = first on the waiting list
    contact: dict | None = None  # the organiser, for deadline_passed and the like
    moved_up: list[MovedUp] = field(default_factory=list)
    cancel_code: str | None = None  # the new registration's cancellation code; only here, never stored


def _lock_event(session: Session, event_id: str) -> Event | None:
    query = select(Event).where(Event.id == event_id).options(selectinload(Event.venue_house))
    if dialect_name(session) != "sqlite":  # SQLite is already serialised by BEGIN IMMEDIATE
        query = query.with_for_update(of=Event)
    return session.scalars(query).first()


def _active_registration(session: Session, event_id: str, email: str) -> Registration | None:
    return session.scalars(
        select(Registration).where(
            Registration.event_id == event_id,
            Registration.email == email,
            Registration.status != CANCELLED,
        )
    ).first()


def _waiting_list(session: Session, event_id: str) -> list[Registration]:
    return list(
        session.scalars(
            select(Registration)
            .where(Registration.event_id == event_id, Registration.status == WAITING)
            # Insert order under the event's row lock: `created_at` is taken before the lock is
            # waited for, so on PostgreSQL two people waiting at once could be told the same place.
            .order_by(Registration.id)
        )
    )


def _waiting_position(session: Session, registration: Registration) -> int | None:
    if registration.status != WAITING:
        return None
    ids = [r.id for r in _waiting_list(session, registration.event_id)]
    return ids.index(registration.id) + 1


def _confirmed_count(session: Session, event_id: str) -> int:
    return session.scalar(
        select(func.count()).where(Registration.event_id == event_id, Registration.status == CONFIRMED)
    )


def _fill_free_places(session: Session, event: Event, now: datetime) -> list[MovedUp]:
    """Move people up from the waiting list while there are free places (event not started)."""
    if event.cancelled or event.start <= now:
        return []
    waiting = _waiting_list(session, event.id)
    if event.capacity is not None:
        free = event.capacity - _confirmed_count(session, event.id)
        waiting = waiting[: max(free, 0)]
    for registration in waiting:
        registration.status = CONFIRMED
    session.flush()
    return [MovedUp(r.id, r.name, r.email) for r in waiting]


def register(
    session_or_url: SessionOrUrl,
    event_id: str,
    name: str,
    email: str,
    organisation: str | None,
    role: str,
    note: str | None = None,
    now: datetime | None = None,
    accept_waiting_list: bool = False,
) -> RegistrationResult:
    """Register a person for an event, all rules checked in one transaction.

    The inputs are validated again here (bot.contact); bad input raises
    `ContactError` with a Danish message. When the event is full the result is
    FULL and nothing is stored, unless `accept_waiting_list` is true: then the
    person is put on the waiting list (WAITING_LIST with their position).
    """
    now = current_moment(now)
    name = validate_name(name)
    email = normalise_email(email)
    organisation = validate_organisation(organisation)
    role = parse_role(role)
    note = validate_note(note)
    try:
        with write_session(session_or_url, serialise_sqlite=True) as session:
            return _register_locked(
                session, event_id, name, email, organisation, role, note, now, accept_waiting_list
            )
    except IntegrityError:
        # The partial unique index caught a duplicate the check above could not see
        # (only possible if a writer bypassed the lock). The transaction was rolled back.
        with read_session(session_or_url) as session:
            existing = _active_registration(session, event_id, email)
            event = session.get(Event, event_id)
            return RegistrationResult(
                RegistrationStatus.ALREADY_REGISTERED,
                event=event_view(session, event, now) if event is not None else None,
                registration_id=existing.id if existing else None,
                registration_status=existing.status if existing else None,
                waiting_position=_waiting_position(session, existing) if existing else None,
            )


def _register_locked(
    session: Session,
    event_id: str,
    name: str,
    email: str,
    organisation: str | None,
    role: str,
    note: str | None,
    now: datetime,
    accept_waiting_list: bool,
) -> RegistrationResult:
    event = _lock_event(session, event_id)
    if event is None:
        return RegistrationResult(RegistrationStatus.EVENT_NOT_FOUND)
    contact = dict(event.contact) if event.contact else None
    view = event_view(session, event, now)
    if event.cancelled:
        return RegistrationResult(RegistrationStatus.EVENT_CANCELLED, view, contact=contact)
    if event.end <= now:
        return RegistrationResult(RegistrationStatus.EVENT_PAST, view, contact=contact)
    existing = _active_registration(session, event.id, email)
    if existing is not None:
        return RegistrationResult(
            RegistrationStatus.ALREADY_REGISTERED,
            event_view(session, event, now),
            registration_id=existing.id,
            registration_status=existing.status,
            waiting_position=_waiting_position(session, existing),
            contact=contact,
        )
    if now > event.registration_deadline or now >= event.start:
        return RegistrationResult(
            RegistrationStatus.DEADLINE_PASSED, event_view(session, event, now), contact=contact
        )
    # A raised capacity frees places: those already waiting get them first.
    moved_up = _fill_free_places(session, event, now)
    has_place = event.capacity is None or _confirmed_count(session, event.id) < event.capacity
    if not has_place and not accept_waiting_list:
        return RegistrationResult(
            RegistrationStatus.FULL, event_view(session, event, now), contact=contact, moved_up=moved_up
        )
    cancel_code = new_code()
    registration = Registration(
        event_id=event.id,
        cancel_code_hash=hash_code(cancel_code),
        name=name,
        email=email,
        organisation=organisation,
        role=role,
        note=note,
        status=CONFIRMED if has_place else WAITING,
        created_at=now,
    )
    session.add(registration)
    session.flush()
    return RegistrationResult(
        RegistrationStatus.CONFIRMED if has_place else RegistrationStatus.WAITING_LIST,
        event_view(session, event, now),
        registration_id=registration.id,
        registration_status=registration.status,
        waiting_position=_waiting_position(session, registration),
        contact=contact,
        moved_up=moved_up,
        cancel_code=cancel_code,
    )


class CancelStatus(str, Enum):
    CANCELLED = "cancelled"
    NOT_REGISTERED = "not_registered"  # no active registration with that e-mail (and code)
    EVENT_NOT_FOUND = "event_not_found"
    EVENT_PAST = "event_past"


@dataclass(frozen=True)
class CancelResult:
    status: CancelStatus
    event: EventView | None = None
    previous_status: str | None = None  # "confirmed" or "waiting"
    moved_up: list[MovedUp] = field(default_factory=list)  # who got the freed place


ERASED = ""  # what a withdrawn person's name, address and note become


def erase_personal_data(registration: Registration) -> None:
    """Withdrawing deletes: only the place's status and times stay, for the organiser's count."""
    registration.name = ERASED
    registration.email = ERASED
    registration.organisation = None
    registration.note = None


def cancel_registration(
    session_or_url: SessionOrUrl, event_id: str, email: str, now: datetime | None = None
) -> CancelResult:
    """Staff only: cancel a person's registration by event and e-mail, without the code."""
    now = current_moment(now)
    email = normalise_email(email)
    with write_session(session_or_url, serialise_sqlite=True) as session:
        event = _lock_event(session, event_id)
        if event is None:
            return CancelResult(CancelStatus.EVENT_NOT_FOUND)
        return _cancel_locked(session, event, _active_registration(session, event.id, email), now)


def find_by_cancel_code(session_or_url: SessionOrUrl, email: str, code: str) -> str | None:
    """The event id of the active registration this e-mail and code belong to, or None.

    None for an unknown address, a wrong code, or a code that cannot be one: the
    caller cannot tell which, and each takes at least one hash's time.
    """
    code = normalise_code(code)
    try:
        email = normalise_email(email)
    except ValueError:
        email = ""
    with read_session(session_or_url) as session:
        candidates = list(
            session.scalars(
                select(Registration).where(Registration.email == email, Registration.status != CANCELLED)
            )
        )
        matched = [r for r in candidates if code_matches(code, r.cancel_code_hash)]
        if not candidates:
            spend_equal_time()
        return matched[0].event_id if matched else None


def cancel_with_code(
    session_or_url: SessionOrUrl, email: str, code: str, now: datetime | None = None
) -> CancelResult:
    """Cancel the registration this e-mail and code belong to; a wrong pair changes nothing.

    A freed place goes to the first on the waiting list. Every wrong pair (unknown
    address, wrong code, no code) gives the same NOT_REGISTERED with no event.
    """
    now = current_moment(now)
    event_id = find_by_cancel_code(session_or_url, email, code)
    if event_id is None:
        return CancelResult(CancelStatus.NOT_REGISTERED)
    email = normalise_email(email)
    normalised = normalise_code(code)
    with write_session(session_or_url, serialise_sqlite=True) as session:
        event = _lock_event(session, event_id)
        registration = _active_registration(session, event_id, email) if event is not None else None
        if (
            event is None
            or registration is None
            or not code_matches(normalised, registration.cancel_code_hash)
        ):  # cancelled meanwhile (checked again under the lock)
            return CancelResult(CancelStatus.NOT_REGISTERED)
        return _cancel_locked(session, event, registration, now)


def _cancel_locked(
    session: Session, event: Event, registration: Registration | None, now: datetime
) -> CancelResult:
    if event.end <= now:
        return CancelResult(CancelStatus.EVENT_PAST, event_view(session, event, now))
    if registration is None:
        return CancelResult(CancelStatus.NOT_REGISTERED, event_view(session, event, now))
    previous_status = registration.status
    registration.status = CANCELLED
    registration.cancelled_at = now
    erase_personal_data(registration)
    session.flush()
    moved_up = _fill_free_places(session, event, now) if previous_status == CONFIRMED else []
    view = event_view(session, event, now)
    return CancelResult(CancelStatus.CANCELLED, view, previous_status, moved_up)
