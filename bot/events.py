"""Events: listing, finding by name or period, and the registration rules.

The rules (a place left? already registered? deadline passed?) are checked and
the registration written in ONE transaction that holds the event: on
PostgreSQL the event row is locked (SELECT ... FOR UPDATE), on SQLite the
transaction starts with BEGIN IMMEDIATE (see bot.transactions). Two people
registering for the last place at the same moment therefore get one
confirmation and one "full". The partial unique index on (event_id, email)
for non-cancelled rows backs the "already registered" rule.

All date-times come back in Danish time (Europe/Copenhagen).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import Enum
from zoneinfo import ZoneInfo

from rapidfuzz import fuzz, utils
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from bot.contact import (
    ROLES,
    normalise_email,
    parse_role,
    role_display_name,
    validate_name,
    validate_note,
    validate_organisation,
)
from bot.models import Event, Registration, utcnow
from bot.privacy import REGISTRATION_RETENTION_DAYS
from bot.settings import TIMEZONE
from bot.transactions import SessionOrUrl, dialect_name, read_session, write_session

DANISH_TIME = ZoneInfo(TIMEZONE)

CONFIRMED, WAITING, CANCELLED = "confirmed", "waiting", "cancelled"  # Registration.status values


class EventNotFoundError(LookupError):
    """No event with that id."""


def _now(now: datetime | None) -> datetime:
    if now is None:
        return utcnow()
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now


def _local(moment: datetime | None) -> datetime | None:
    return moment.astimezone(DANISH_TIME) if moment is not None else None


def registration_deadline_from_raw(raw: str) -> datetime:
    """The last moment one may register, from the catalogue's `registration_deadline`.

    A date alone means through that whole day in Danish time (up to 23:59:59.999999);
    a date-time is that moment (without an offset: Danish time).
    """
    value = raw.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        next_day = date.fromisoformat(value) + timedelta(days=1)
        return datetime.combine(next_day, time(), tzinfo=DANISH_TIME) - timedelta(microseconds=1)
    if value.endswith("Z"):  # Python 3.10's fromisoformat does not read "Z"
        value = value[:-1] + "+00:00"
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=DANISH_TIME)


# --------------------------------------------------------------------------- views


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


def _status_counts(session: Session, event_ids: Iterable[str]) -> dict[tuple[str, str], int]:
    ids = list(event_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(Registration.event_id, Registration.status, func.count())
        .where(Registration.event_id.in_(ids))
        .group_by(Registration.event_id, Registration.status)
    )
    return {(event_id, status): count for event_id, status, count in rows}


def _view(event: Event, counts: dict[tuple[str, str], int], now: datetime) -> EventView:
    confirmed = counts.get((event.id, CONFIRMED), 0)
    places_left = None if event.capacity is None else max(event.capacity - confirmed, 0)
    venue_name, venue_address = _venue(event)
    return EventView(
        id=event.id,
        title=event.title,
        description=event.description,
        start=_local(event.start),
        end=_local(event.end),
        venue_house_id=event.venue_house_id,
        venue_name=venue_name,
        venue_address=venue_address,
        audience=list(event.audience) if event.audience else list(ROLES),
        registration_deadline=_local(event.registration_deadline),
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
    return _view(event, _status_counts(session, [event.id]), _now(now))


# --------------------------------------------------------------------------- listing


def _as_moment(value: date | datetime | None, end_of_range: bool = False) -> datetime | None:
    """A date means Danish midnight; as the end of a range, the midnight after it (inclusive day)."""
    if value is None or isinstance(value, datetime):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=DANISH_TIME)
        return value
    day = value + timedelta(days=1) if end_of_range else value
    return datetime.combine(day, time(), tzinfo=DANISH_TIME)


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
    now = _now(now)
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
        counts = _status_counts(db, (e.id for e in events))
        return [_view(e, counts, now) for e in events]


def get_event(session: SessionOrUrl, event_id: str, now: datetime | None = None) -> EventView | None:
    """Any event by id (also past or cancelled), or None."""
    with read_session(session) as db:
        event = db.get(Event, event_id)
        return event_view(db, event, now) if event is not None else None


# Words that ask for an event rather than name it ("tilmeld mig dialogmødet ... tak").
_REQUEST_WORDS = {
    "tilmeld", "tilmelde", "tilmelding", "afmeld", "afmelde", "afmelding", "mig", "jeg", "vil",
    "gerne", "godt", "kan", "tak", "til", "på", "for", "arrangementet", "arrangement", "eventet",
    "event", "venligst", "please", "hej", "om", "i", "det", "den", "de", "en", "et", "og", "med",
    "af", "ved", "os", "vi", "skriv", "op", "meld", "deltage", "komme",
}  # fmt: skip
MIN_SHARE_OF_WORDS = 0.5  # at least half the person's words must be found in the event
MIN_LEAD = 0.2  # and the best event must beat the next by this much, or we ask instead


def _same_word(asked: str, known: str) -> bool:
    """Inflections and compounds count: "dialogmødet" ~ "dialogmøde", "rundvisningen" ~ "rundvisning"."""
    if asked == known:
        return True
    if min(len(asked), len(known)) >= 5:
        shorter, longer = sorted((asked, known), key=len)
        if longer.startswith(shorter[: max(5, len(shorter) - 1)]):
            return True
    return fuzz.ratio(asked, known) >= 85


def _event_words(event: EventView) -> list[str]:
    text = " ".join(part for part in (event.title, event.venue_name or "", event.venue_address or "") if part)
    return utils.default_process(text).split()


def _share_found(words: list[str], event: EventView) -> float:
    known = _event_words(event)
    return sum(any(_same_word(word, k) for k in known) for word in words) / len(words)


def find_event_by_text(
    session: SessionOrUrl, text: str, now: datetime | None = None, audience: str | None = None
) -> EventView | None:
    """The upcoming event a person means ("dialogmødet om sundhedshuse"), or None if unclear.

    Each of the person's words (less request words like "tilmeld mig") is looked for
    in the event's title and venue, inflections included; the event with clearly
    the most words found wins.
    """
    words = [w for w in utils.default_process(text or "").split() if w not in _REQUEST_WORDS]
    if not words:
        return None
    events = upcoming_events(session, now=now, audience=audience)
    for event in events:
        if event.id.casefold() == "-".join(words):
            return event
    ranked = sorted(((_share_found(words, e), e) for e in events), key=lambda pair: pair[0], reverse=True)
    if not ranked or ranked[0][0] < MIN_SHARE_OF_WORDS:
        return None
    if len(ranked) > 1 and ranked[0][0] - ranked[1][0] < MIN_LEAD:
        return None
    return ranked[0][1]


# --------------------------------------------------------------------------- periods

_MONTHS = {
    "januar": 1, "februar": 2, "marts": 3, "april": 4, "maj": 5, "juni": 6, "juli": 7,
    "august": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
}
_SEASONS = {"forår": 3, "sommer": 6, "efterår": 9, "vinter": 12}  # first month of each


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=DANISH_TIME)


def _month_start(year: int, month: int) -> date:
    return date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def _month_range(year: int, month: int) -> tuple[datetime, datetime]:
    return _midnight(_month_start(year, month)), _midnight(_month_start(year, month + 1))


def _season_range(first_month: int, today: date) -> tuple[datetime, datetime]:
    """The season now running, else the next one (three months from first_month)."""
    for year in (today.year - 1, today.year, today.year + 1):
        start = _midnight(_month_start(year, first_month))
        end = _midnight(_month_start(year, first_month + 3))
        if end.date() > today:
            return start, end
    raise AssertionError("unreachable")


def _named_month(month: int, today: date) -> tuple[datetime, datetime]:
    year = today.year if month >= today.month else today.year + 1
    return _month_range(year, month)


def _week_range(today: date, weeks_ahead: int) -> tuple[datetime, datetime]:
    monday = today - timedelta(days=today.weekday()) + timedelta(weeks=weeks_ahead)
    return _midnight(monday), _midnight(monday + timedelta(days=7))


def _days(today: date, first: int, count: int) -> tuple[datetime, datetime]:
    return _midnight(today + timedelta(days=first)), _midnight(today + timedelta(days=first + count))


def _weekend(today: date) -> tuple[datetime, datetime]:
    """This coming (or current) Saturday and Sunday."""
    saturday = today + timedelta(days=5 - today.weekday())
    return _midnight(saturday), _midnight(saturday + timedelta(days=2))


def _year(today: date, years_ahead: int) -> tuple[datetime, datetime]:
    start = today if years_ahead == 0 else date(today.year + years_ahead, 1, 1)
    return _midnight(start), _midnight(date(today.year + years_ahead + 1, 1, 1))


_PeriodFunction = Callable[[re.Match[str], date], tuple[datetime, datetime]]
_PERIODS: list[tuple[re.Pattern[str], _PeriodFunction]] = [
    (re.compile(r"\bi\s+dag\b"), lambda m, d: _days(d, 0, 1)),
    (re.compile(r"\bi\s+morgen\b"), lambda m, d: _days(d, 1, 1)),
    (re.compile(r"\bnæste\s+uge\b"), lambda m, d: _week_range(d, 1)),
    (re.compile(r"\b(denne|den\s+her|nuværende)\s+uge\b|\bi\s+ugen\b"), lambda m, d: _week_range(d, 0)),
    (re.compile(r"\bweekend(en)?\b"), lambda m, d: _weekend(d)),
    (re.compile(r"\bnæste\s+måned\b"), lambda m, d: _month_range(d.year, d.month + 1)),
    (
        re.compile(r"\b(denne|den\s+her)\s+måned\b|\bi\s+måneden\b"),
        lambda m, d: _month_range(d.year, d.month),
    ),
    (re.compile(r"\bnæste\s+år\b"), lambda m, d: _year(d, 1)),
    (re.compile(r"\b(i\s+år|resten\s+af\s+året)\b"), lambda m, d: _year(d, 0)),
    (
        re.compile(r"\b(" + "|".join(_SEASONS) + r")(en|et)?\b"),
        lambda m, d: _season_range(_SEASONS[m.group(1)], d),
    ),
    (re.compile(r"\b(" + "|".join(_MONTHS) + r")\b"), lambda m, d: _named_month(_MONTHS[m.group(1)], d)),
]


def season_range(text: str, now: datetime | None = None) -> tuple[datetime, datetime] | None:
    """The period a Danish phrase names, as [from, to) in Danish time, or None.

    "i foråret" (March-May), "til efteråret", "i marts", "næste måned", "i denne uge",
    "næste uge", "i dag", "i morgen", "i weekenden", "i år". A season or month
    already over this year means next year's.
    """
    folded = (text or "").casefold()
    today = _now(now).astimezone(DANISH_TIME).date()
    for pattern, period in _PERIODS:
        match = pattern.search(folded)
        if match:
            return period(match, today)
    return None


# --------------------------------------------------------------------------- registering


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
            .order_by(Registration.created_at, Registration.id)
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
    now = _now(now)
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
    registration = Registration(
        event_id=event.id,
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
    )


# --------------------------------------------------------------------------- cancelling


class CancelStatus(str, Enum):
    CANCELLED = "cancelled"
    NOT_REGISTERED = "not_registered"  # no active registration with that e-mail
    EVENT_NOT_FOUND = "event_not_found"
    EVENT_PAST = "event_past"


@dataclass(frozen=True)
class CancelResult:
    status: CancelStatus
    event: EventView | None = None
    previous_status: str | None = None  # "confirmed" or "waiting"
    moved_up: list[MovedUp] = field(default_factory=list)  # who got the freed place


def cancel_registration(
    session_or_url: SessionOrUrl, event_id: str, email: str, now: datetime | None = None
) -> CancelResult:
    """Cancel a person's registration; a freed place goes to the first on the waiting list."""
    now = _now(now)
    email = normalise_email(email)
    with write_session(session_or_url, serialise_sqlite=True) as session:
        event = _lock_event(session, event_id)
        if event is None:
            return CancelResult(CancelStatus.EVENT_NOT_FOUND)
        if event.end <= now:
            return CancelResult(CancelStatus.EVENT_PAST, event_view(session, event, now))
        registration = _active_registration(session, event.id, email)
        if registration is None:
            return CancelResult(CancelStatus.NOT_REGISTERED, event_view(session, event, now))
        previous_status = registration.status
        registration.status = CANCELLED
        registration.cancelled_at = now
        session.flush()
        moved_up = _fill_free_places(session, event, now) if previous_status == CONFIRMED else []
        view = event_view(session, event, now)
        return CancelResult(CancelStatus.CANCELLED, view, previous_status, moved_up)


# --------------------------------------------------------------------------- staff views


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
        event_start=_local(event.start),
        name=registration.name,
        email=registration.email,
        organisation=registration.organisation,
        role=registration.role,
        note=registration.note,
        status=registration.status,
        created_at=_local(registration.created_at),
        cancelled_at=_local(registration.cancelled_at),
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
        query = query.where(Event.end > _now(now))
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
    "Navn", "E-mail", "Organisation", "Rolle", "Status", "Bemærkning",
    "Tilmeldt (dansk tid)", "Afmeldt (dansk tid)",
]


def csv_safe(value: object) -> str:
    """A cell as text; a leading =, +, -, @ is neutralised so a spreadsheet never runs it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def format_local(moment: datetime | None) -> str:
    return moment.astimezone(DANISH_TIME).strftime("%d-%m-%Y %H:%M") if moment else ""


def write_csv(headings: list[str], rows: Iterable[list[object]], delimiter: str = ",") -> str:
    """CSV text with a UTF-8 byte order mark.

    Comma is the standard separator every tool reads. The BOM makes Excel read the
    file as UTF-8, so æ, ø and å come out right. Danish Excel expects ";" when a
    file is double-clicked; pass delimiter=";" (CLI: --delimiter ";") for that.
    """
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headings)
    for row in rows:
        writer.writerow([csv_safe(v) for v in row])
    return buffer.getvalue()


def registrations_csv(registrations: Iterable[RegistrationView], delimiter: str = ",") -> str:
    return write_csv(
        REGISTRATION_CSV_HEADINGS,
        (
            [r.name, r.email, r.organisation, r.role_name, r.status_name, r.note,
             format_local(r.created_at), format_local(r.cancelled_at)]
            for r in registrations
        ),
        delimiter,
    )


# --------------------------------------------------------------------------- retention


def purge_expired_registrations(
    session_or_url: SessionOrUrl, now: datetime | None = None, days: int = REGISTRATION_RETENTION_DAYS
) -> int:
    """Delete registrations for events that ended more than `days` (the retention period) ago."""
    cutoff = _now(now) - timedelta(days=days)
    with write_session(session_or_url) as session:
        ended = select(Event.id).where(Event.end < cutoff)
        result = session.execute(
            delete(Registration).where(Registration.event_id.in_(ended)).execution_options(synchronize_session=False)
        )
        return result.rowcount or 0


__all__ = [
    "CancelResult", "CancelStatus", "EventNotFoundError", "EventView", "MovedUp", "RegistrationResult",
    "RegistrationStatus", "RegistrationView", "cancel_registration", "find_event_by_text",
    "find_registrations_by_email", "get_event", "purge_expired_registrations", "register",
    "registration_deadline_from_raw", "registrations_csv", "registrations_for_event", "season_range",
    "upcoming_events",
]
