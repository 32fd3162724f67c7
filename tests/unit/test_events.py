"""bot.events on a real database: listing, finding, periods and the registration rules."""

from __future__ import annotations

import argparse
import threading
import uuid
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot import events
from bot.catalogue_schema import deadline_moment
from bot.cli import events as events_cli
from bot.contact import ContactError
from bot.db import get_engine, session_scope
from bot.events import (
    CancelStatus,
    EventNotFoundError,
    RegistrationStatus,
    cancel_registration,
    find_event_by_text,
    find_registrations_by_email,
    register,
    registrations_csv,
    registrations_for_event,
    season_range,
    upcoming_events,
)
from bot.models import Base, Event, House, Registration

CPH = ZoneInfo("Europe/Copenhagen")
NOW = datetime(2027, 2, 1, 10, 0, tzinfo=CPH)


def _create_tables(url: str) -> str:
    Base.metadata.create_all(get_engine(url))
    return url


@pytest.fixture
def db_url(tmp_path) -> str:
    return _create_tables(f"sqlite:///{tmp_path / 'events.db'}")


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db_url(request: pytest.FixtureRequest, tmp_path) -> str:
    """SQLite always; PostgreSQL when tests/unit/conftest.py provides `postgres_url`."""
    if request.param == "sqlite":
        return _create_tables(f"sqlite:///{tmp_path / 'events.db'}")
    try:
        url = request.getfixturevalue("postgres_url")
    except pytest.FixtureLookupError:
        pytest.skip("no postgres_url fixture (tests/unit/conftest.py)")
    return _create_tables(url)


def add_house(url: str, house_id: str = "albertslund", municipality: str = "Albertslund") -> None:
    with session_scope(url) as session:
        session.add(
            House(
                id=house_id,
                name=f"Sundhedshuset {municipality}",
                municipality=municipality,
                street="Eksempelvej 1",
                postcode="2620",
                town=municipality,
                serves=[],
            )
        )


def add_event(
    url: str,
    event_id: str = "dialog",
    title: str = "Dialogmøde om fælles sundhedshuse",
    start: datetime = datetime(2027, 3, 11, 16, 30, tzinfo=CPH),
    hours: float = 3.5,
    deadline_raw: str = "2027-03-01",
    capacity: int | None = None,
    venue_house_id: str | None = None,
    venue_name: str | None = "Rådhuset",
    venue_address: object = None,
    audience: list[str] | None = None,
    contact: dict | None = None,
    cancelled: bool = False,
) -> str:
    end = start + timedelta(hours=hours)
    with session_scope(url) as session:
        session.add(
            Event(
                id=event_id,
                title=title,
                start=start,
                end=end,
                start_raw=start.isoformat(),
                end_raw=end.isoformat(),
                venue_house_id=venue_house_id,
                venue_name=None if venue_house_id else venue_name,
                venue_address=venue_address,
                audience=audience,
                registration_deadline_raw=deadline_raw,
                registration_deadline=deadline_moment(deadline_raw),
                capacity=capacity,
                contact=contact,
                cancelled=cancelled,
            )
        )
    return event_id


def sign_up(
    url: str, event_id: str, email: str, now: datetime = NOW, **kwargs: object
) -> events.RegistrationResult:
    return register(url, event_id, "Anna Hansen", email, "Albertslund Kommune", "kommune", now=now, **kwargs)


# --------------------------------------------------------------------------- listing


def test_upcoming_events_leave_out_past_and_cancelled_and_come_soonest_first(db_url: str) -> None:
    add_event(db_url, "later", "Temadag om genoptræning", start=datetime(2027, 5, 1, 9, tzinfo=CPH))
    add_event(db_url, "sooner", "Dialogmøde", start=datetime(2027, 3, 1, 9, tzinfo=CPH))
    add_event(db_url, "past", "Gammelt møde", start=datetime(2026, 11, 19, 16, 30, tzinfo=CPH))
    add_event(db_url, "cancelled", "Aflyst møde", start=datetime(2027, 4, 1, 9, tzinfo=CPH), cancelled=True)
    assert [e.id for e in upcoming_events(db_url, now=NOW)] == ["sooner", "later"]


def test_event_view_in_danish_time_with_places_and_waiting_list(db_url: str) -> None:
    add_house(db_url)
    add_event(
        db_url,
        capacity=2,
        venue_house_id="albertslund",
        contact={"name": "Sekretariatet", "email": "sekretariat@example.invalid"},
        audience=["kommune", "region"],
    )
    sign_up(db_url, "dialog", "a@example.dk")
    (view,) = upcoming_events(db_url, now=NOW)
    assert view.start == datetime(2027, 3, 11, 16, 30, tzinfo=CPH)
    assert view.start.utcoffset() == timedelta(hours=1)
    assert view.venue_name == "Sundhedshuset Albertslund"
    assert view.venue_address == "Eksempelvej 1, 2620 Albertslund"
    assert view.audience == ["kommune", "region"]
    assert view.registration_deadline == datetime(2027, 3, 1, 23, 59, 59, 999999, tzinfo=CPH)
    assert view.deadline_date == date(2027, 3, 1)
    assert (view.capacity, view.places_left, view.waiting_list_length) == (2, 1, 0)
    assert view.is_open_for_registration
    assert view.contact == {"name": "Sekretariatet", "email": "sekretariat@example.invalid"}

    sign_up(db_url, "dialog", "b@example.dk")
    sign_up(db_url, "dialog", "c@example.dk", accept_waiting_list=True)
    (view,) = upcoming_events(db_url, now=NOW)
    assert (view.places_left, view.waiting_list_length, view.is_full) == (0, 1, True)


def test_venue_from_the_event_fields_and_unlimited_places(db_url: str) -> None:
    add_event(
        db_url,
        venue_name="Kulturhuset",
        venue_address={"street": "Torvet 2", "postcode": "3000", "town": "Helsingør"},
    )
    (view,) = upcoming_events(db_url, now=NOW)
    assert (view.venue_name, view.venue_address) == ("Kulturhuset", "Torvet 2, 3000 Helsingør")
    assert view.places_left is None and view.capacity is None
    assert set(view.audience) == {"kommune", "region", "praksis", "brugerrepraesentant", "borger"}


def test_filters_audience_place_house_and_dates(db_url: str) -> None:
    add_house(db_url, "albertslund", "Albertslund")
    add_house(db_url, "helsingoer", "Helsingør")
    add_event(
        db_url,
        "for-staff",
        start=datetime(2027, 3, 2, 9, tzinfo=CPH),
        audience=["kommune", "region"],
        venue_house_id="albertslund",
    )
    add_event(
        db_url,
        "for-citizens",
        start=datetime(2027, 4, 2, 9, tzinfo=CPH),
        audience=["borger"],
        venue_house_id="helsingoer",
    )
    add_event(
        db_url,
        "for-all",
        start=datetime(2027, 9, 2, 9, tzinfo=CPH),
        venue_name="Kulturhuset",
        venue_address={"street": "Torvet 2", "postcode": "3000", "town": "Helsingør"},
    )

    def ids(**filters: object) -> list[str]:
        return [e.id for e in upcoming_events(db_url, now=NOW, **filters)]

    assert ids(audience="borger") == ["for-citizens", "for-all"]
    assert ids(audience="region") == ["for-staff", "for-all"]
    assert ids(place_municipality="helsingør") == ["for-citizens", "for-all"]
    assert ids(house_id="albertslund") == ["for-staff"]
    assert ids(date_from=date(2027, 4, 1), date_to=date(2027, 4, 2)) == ["for-citizens"]  # date_to inclusive
    assert ids(date_from=date(2027, 4, 3)) == ["for-all"]
    spring = season_range("i foråret", NOW)
    assert ids(date_from=spring[0], date_to=spring[1]) == ["for-staff", "for-citizens"]


def test_find_event_by_text_fuzzy_and_unclear(db_url: str) -> None:
    add_event(db_url, "dialog", "Dialogmøde om fælles sundhedshuse")
    add_event(
        db_url,
        "naere",
        "Dialogmøde: Hvordan udvikler vi det nære sundhedsvæsen sammen?",
        start=datetime(2027, 4, 1, 9, tzinfo=CPH),
    )
    add_event(db_url, "aabent-hus", "Åbent hus i Sundhedshuset", start=datetime(2027, 5, 1, 9, tzinfo=CPH))
    add_event(db_url, "old", "Temadag om genoptræning", start=datetime(2026, 5, 1, 9, tzinfo=CPH))

    def found(text: str) -> str | None:
        event = find_event_by_text(db_url, text, now=NOW)
        return event.id if event else None

    assert found("dialogmødet om sundhedshuse") == "dialog"
    assert found("tilmeld mig dialogmødet om sundhedshuse tak") == "dialog"
    assert found("mødet om det nære sundhedsvæsen") == "naere"
    assert found("åbent hus") == "aabent-hus"
    assert found("aabent-hus") == "aabent-hus"
    assert found("dialogmøde") is None  # two dialogue meetings: ask instead of guessing
    assert found("temadag om genoptræning") is None  # in the past
    assert found("hvad med kage") is None
    assert found("") is None


# --------------------------------------------------------------------------- periods


def _period(text: str, now: datetime) -> tuple[datetime, datetime] | None:
    return season_range(text, now)


@pytest.mark.parametrize(
    ("text", "now", "start", "end"),
    [
        ("i foråret", NOW, date(2027, 3, 1), date(2027, 6, 1)),
        ("Er der noget til foråret?", NOW, date(2027, 3, 1), date(2027, 6, 1)),
        ("i foråret", datetime(2027, 7, 1, tzinfo=CPH), date(2028, 3, 1), date(2028, 6, 1)),
        ("i foråret", datetime(2027, 4, 15, tzinfo=CPH), date(2027, 3, 1), date(2027, 6, 1)),
        ("til efteråret", NOW, date(2027, 9, 1), date(2027, 12, 1)),
        ("i sommer", NOW, date(2027, 6, 1), date(2027, 9, 1)),
        ("til vinter", NOW, date(2026, 12, 1), date(2027, 3, 1)),  # February: this winter
        ("til vinteren", datetime(2027, 10, 1, tzinfo=CPH), date(2027, 12, 1), date(2028, 3, 1)),
        ("i marts", NOW, date(2027, 3, 1), date(2027, 4, 1)),
        ("i marts", datetime(2027, 4, 1, tzinfo=CPH), date(2028, 3, 1), date(2028, 4, 1)),
        ("i februar", NOW, date(2027, 2, 1), date(2027, 3, 1)),
        ("næste måned", NOW, date(2027, 3, 1), date(2027, 4, 1)),
        ("næste måned", datetime(2027, 12, 15, tzinfo=CPH), date(2028, 1, 1), date(2028, 2, 1)),
        ("i denne uge", datetime(2027, 2, 3, 12, tzinfo=CPH), date(2027, 2, 1), date(2027, 2, 8)),  # Wed
        ("næste uge", datetime(2027, 2, 7, 23, tzinfo=CPH), date(2027, 2, 8), date(2027, 2, 15)),  # Sun
        ("i dag", NOW, date(2027, 2, 1), date(2027, 2, 2)),
        ("i morgen", NOW, date(2027, 2, 2), date(2027, 2, 3)),
        ("i weekenden", NOW, date(2027, 2, 6), date(2027, 2, 8)),
    ],
)
def test_season_range(text: str, now: datetime, start: date, end: date) -> None:
    period = _period(text, now)
    assert period is not None
    assert period == (datetime.combine(start, time(), CPH), datetime.combine(end, time(), CPH))


def test_season_range_uses_danish_time_and_knows_when_it_does_not_understand() -> None:
    # 23:30 UTC on 31 March is already 1 April in Denmark (summer time, +2).
    late_utc = datetime(2027, 3, 31, 23, 30, tzinfo=ZoneInfo("UTC"))
    assert season_range("i dag", late_utc)[0] == datetime(2027, 4, 1, tzinfo=CPH)
    # The week with the change to summer time still starts and ends at Danish midnight.
    start, end = season_range("i denne uge", datetime(2027, 3, 25, 12, tzinfo=CPH))  # DST: Sun 28 March
    assert (start.hour, end.hour, start.utcoffset(), end.utcoffset()) == (
        0,
        0,
        timedelta(hours=1),
        timedelta(hours=2),
    )
    assert season_range("om lidt", NOW) is None
    assert season_range("", NOW) is None


# --------------------------------------------------------------------------- registering


def test_register_confirms_and_stores_normalised_details(db_url: str) -> None:
    add_event(db_url, capacity=10)
    result = register(
        db_url,
        "dialog",
        "  Anna  Hansen ",
        "Anna.Hansen@Example.DK",
        " Albertslund Kommune ",
        "Kommunen",
        "Mit CPR er 010190-1234",
        now=NOW,
    )
    assert result.status == RegistrationStatus.CONFIRMED
    assert result.event.places_left == 9
    with session_scope(db_url) as session:
        stored = session.get(Registration, result.registration_id)
        assert (stored.name, stored.email, stored.organisation, stored.role, stored.status) == (
            "Anna Hansen",
            "anna.hansen@example.dk",
            "Albertslund Kommune",
            "kommune",
            "confirmed",
        )
        assert stored.note == "Mit CPR er [CPR fjernet]"


def test_register_validates_again(db_url: str) -> None:
    add_event(db_url)
    with pytest.raises(ContactError):
        register(db_url, "dialog", "😀", "a@example.dk", None, "borger", now=NOW)
    with pytest.raises(ContactError):
        register(db_url, "dialog", "Anna", "ikke-en-mail", None, "borger", now=NOW)
    with pytest.raises(ContactError):
        register(db_url, "dialog", "Anna", "a@example.dk", None, "astronaut", now=NOW)
    with session_scope(db_url) as session:
        assert session.scalars(select(Registration)).all() == []


def test_duplicate_email_is_case_insensitive(db_url: str) -> None:
    add_event(db_url)
    first = sign_up(db_url, "dialog", "anna@example.dk")
    again = sign_up(db_url, "dialog", "ANNA@Example.dk")
    assert again.status == RegistrationStatus.ALREADY_REGISTERED
    assert again.registration_id == first.registration_id
    assert again.registration_status == "confirmed"
    assert len(registrations_for_event(db_url, "dialog")) == 1


def test_full_event_offers_waiting_list_and_stores_nothing_until_accepted(db_url: str) -> None:
    add_event(db_url, capacity=1)
    assert sign_up(db_url, "dialog", "a@example.dk").status == RegistrationStatus.CONFIRMED
    full = sign_up(db_url, "dialog", "b@example.dk")
    assert full.status == RegistrationStatus.FULL
    assert full.registration_id is None
    assert len(registrations_for_event(db_url, "dialog")) == 1

    first_waiting = sign_up(db_url, "dialog", "b@example.dk", accept_waiting_list=True)
    second_waiting = sign_up(db_url, "dialog", "c@example.dk", accept_waiting_list=True)
    assert (first_waiting.status, first_waiting.waiting_position) == (RegistrationStatus.WAITING_LIST, 1)
    assert (second_waiting.status, second_waiting.waiting_position) == (RegistrationStatus.WAITING_LIST, 2)
    again = sign_up(db_url, "dialog", "c@example.dk", accept_waiting_list=True)
    assert (again.status, again.registration_status, again.waiting_position) == (
        RegistrationStatus.ALREADY_REGISTERED,
        "waiting",
        2,
    )


def test_date_only_deadline_runs_through_that_day_in_danish_time(db_url: str) -> None:
    contact = {"name": "Sekretariatet", "phone": "+45 00 00 00 00"}  # a placeholder, not a real number
    add_event(db_url, deadline_raw="2027-03-01", contact=contact)
    last_moment = datetime(2027, 3, 1, 23, 59, 59, tzinfo=CPH)
    next_day = datetime(2027, 3, 2, 0, 0, tzinfo=CPH)
    assert sign_up(db_url, "dialog", "a@example.dk", now=last_moment).status == RegistrationStatus.CONFIRMED
    late = sign_up(db_url, "dialog", "b@example.dk", now=next_day)
    assert late.status == RegistrationStatus.DEADLINE_PASSED
    assert late.contact == contact
    assert not late.event.is_open_for_registration
    # Midnight in Denmark is 23:00 UTC the day before: the UTC date must not decide.
    assert next_day.astimezone(ZoneInfo("UTC")).date() == date(2027, 3, 1)


def test_date_time_deadline_is_that_moment(db_url: str) -> None:
    add_event(db_url, deadline_raw="2027-03-01T12:00:00+01:00")
    at_deadline = datetime(2027, 3, 1, 12, 0, tzinfo=CPH)
    assert sign_up(db_url, "dialog", "a@example.dk", now=at_deadline).status == RegistrationStatus.CONFIRMED
    after = at_deadline + timedelta(seconds=1)
    assert sign_up(db_url, "dialog", "b@example.dk", now=after).status == RegistrationStatus.DEADLINE_PASSED


def test_unknown_cancelled_and_past_events(db_url: str) -> None:
    add_event(db_url, "aflyst", cancelled=True)
    add_event(db_url, "gammelt", start=datetime(2026, 11, 19, 16, 30, tzinfo=CPH), deadline_raw="2026-11-11")
    assert sign_up(db_url, "findes-ikke", "a@example.dk").status == RegistrationStatus.EVENT_NOT_FOUND
    assert sign_up(db_url, "aflyst", "a@example.dk").status == RegistrationStatus.EVENT_CANCELLED
    assert sign_up(db_url, "gammelt", "a@example.dk").status == RegistrationStatus.EVENT_PAST


def test_database_index_backs_the_duplicate_rule(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    add_event(db_url)
    sign_up(db_url, "dialog", "anna@example.dk")
    with pytest.raises(IntegrityError), session_scope(db_url) as session:
        session.add(Registration(event_id="dialog", name="X", email="anna@example.dk", role="borger"))
        session.flush()
    # Were the check ever bypassed, the index still stops the second row and the caller is told.
    monkeypatch.setattr(events.registration, "_active_registration", lambda *args: None)
    result = sign_up(db_url, "dialog", "anna@example.dk")
    assert result.status == RegistrationStatus.ALREADY_REGISTERED
    assert len(registrations_for_event(db_url, "dialog")) == 1


def test_can_register_again_after_cancelling(db_url: str) -> None:
    add_event(db_url)
    sign_up(db_url, "dialog", "anna@example.dk")
    assert cancel_registration(db_url, "dialog", "Anna@example.dk", now=NOW).status == CancelStatus.CANCELLED
    assert sign_up(db_url, "dialog", "anna@example.dk").status == RegistrationStatus.CONFIRMED
    statuses = sorted(r.status for r in registrations_for_event(db_url, "dialog"))
    assert statuses == ["cancelled", "confirmed"]


# --------------------------------------------------------------------------- cancelling


def test_cancel_moves_the_first_on_the_waiting_list_up(db_url: str) -> None:
    add_event(db_url, capacity=1)
    code = sign_up(db_url, "dialog", "a@example.dk").cancel_code
    register(
        db_url,
        "dialog",
        "Bo Berg",
        "b@example.dk",
        None,
        "borger",
        now=NOW + timedelta(minutes=1),
        accept_waiting_list=True,
    )
    register(
        db_url,
        "dialog",
        "Cai Carl",
        "c@example.dk",
        None,
        "borger",
        now=NOW + timedelta(minutes=2),
        accept_waiting_list=True,
    )

    result = events.cancel_with_code(db_url, "A@example.dk", code.lower(), now=NOW + timedelta(days=1))
    assert result.status == CancelStatus.CANCELLED
    assert result.previous_status == "confirmed"
    assert [(m.name, m.email) for m in result.moved_up] == [("Bo Berg", "b@example.dk")]
    assert (result.event.places_left, result.event.waiting_list_length) == (0, 1)

    by_email = {r.email: r for r in registrations_for_event(db_url, "dialog")}
    # Cancelling deletes the person's data: only the status and the time stay, under no address.
    assert "a@example.dk" not in by_email
    assert (by_email[""].status, by_email[""].name) == ("cancelled", "")
    assert by_email[""].cancelled_at == NOW + timedelta(days=1)
    assert by_email["b@example.dk"].status == "confirmed"
    assert by_email["c@example.dk"].status == "waiting"


def test_cancelling_a_waiting_place_moves_no_one(db_url: str) -> None:
    add_event(db_url, capacity=1)
    sign_up(db_url, "dialog", "a@example.dk")
    code = sign_up(db_url, "dialog", "b@example.dk", accept_waiting_list=True).cancel_code
    sign_up(db_url, "dialog", "c@example.dk", accept_waiting_list=True)
    result = events.cancel_with_code(db_url, "b@example.dk", code, now=NOW)
    assert (result.status, result.previous_status, result.moved_up) == (CancelStatus.CANCELLED, "waiting", [])
    assert sign_up(db_url, "dialog", "c@example.dk").waiting_position == 1


def test_registration_stores_a_hash_of_its_cancellation_code_never_the_code(db_url: str) -> None:
    add_event(db_url)
    result = sign_up(db_url, "dialog", "anna@example.dk")
    code = result.cancel_code
    assert code is not None and len(code) == 6 and set(code) <= set(events.cancel_codes.ALPHABET)
    with session_scope(db_url) as session:
        stored = session.scalars(select(Registration.cancel_code_hash)).one()
        row = session.scalars(select(Registration)).one()
        columns = [str(getattr(row, column.key)) for column in Registration.__table__.columns]
    assert stored.startswith("scrypt$") and code not in stored
    assert not any(code in value for value in columns)
    assert events.cancel_codes.code_matches(code, stored)
    assert sign_up(db_url, "dialog", "bo@example.dk").cancel_code != code  # each registration its own


def test_a_wrong_e_mail_and_code_pair_changes_nothing_and_reveals_nothing(db_url: str) -> None:
    add_event(db_url)
    code = sign_up(db_url, "dialog", "anna@example.dk").cancel_code
    other = sign_up(db_url, "dialog", "bo@example.dk").cancel_code
    wrong_code = "".join(reversed(code)) if code != code[::-1] else "ABCDEF"
    outcomes = [
        events.cancel_with_code(db_url, "anna@example.dk", wrong_code, now=NOW),
        events.cancel_with_code(db_url, "anna@example.dk", other, now=NOW),  # someone else's code
        events.cancel_with_code(db_url, "ingen@example.dk", code, now=NOW),  # unknown address
        events.cancel_with_code(db_url, "anna@example.dk", "", now=NOW),
        events.cancel_with_code(db_url, "ikke en adresse", "0O1IL!", now=NOW),
    ]
    assert all(outcome == events.CancelResult(CancelStatus.NOT_REGISTERED) for outcome in outcomes)
    assert sorted(r.status for r in registrations_for_event(db_url, "dialog")) == ["confirmed", "confirmed"]
    assert events.find_by_cancel_code(db_url, "anna@example.dk", wrong_code) is None
    typed = f"{code[:3]}-{code[3:]}".lower()
    assert events.find_by_cancel_code(db_url, " Anna@Example.dk ", typed) == "dialog"


def test_a_code_cancels_once_and_a_registration_without_a_code_only_by_staff(db_url: str) -> None:
    add_event(db_url)
    code = sign_up(db_url, "dialog", "anna@example.dk").cancel_code
    first, again = (events.cancel_with_code(db_url, "anna@example.dk", code, now=NOW) for _ in range(2))
    assert (first.status, again.status) == (CancelStatus.CANCELLED, CancelStatus.NOT_REGISTERED)
    sign_up(db_url, "dialog", "bo@example.dk")
    with session_scope(db_url) as session:  # a registration from before codes existed
        bo = session.scalars(select(Registration).where(Registration.email == "bo@example.dk")).one()
        bo.cancel_code_hash = None
    assert events.find_by_cancel_code(db_url, "bo@example.dk", code) is None
    assert cancel_registration(db_url, "dialog", "bo@example.dk", now=NOW).status == CancelStatus.CANCELLED


def test_normalise_code_accepts_what_people_type() -> None:
    assert events.normalise_code(" k7pm-3x ") == "K7PM3X"
    assert events.normalise_code("K7PM3") is None and events.normalise_code("K7PM30") is None
    assert events.normalise_code(None) is None


def test_cancel_when_not_registered_unknown_or_past(db_url: str) -> None:
    add_event(db_url)
    add_event(db_url, "gammelt", start=datetime(2026, 11, 19, 16, 30, tzinfo=CPH), deadline_raw="2026-11-11")
    not_registered = cancel_registration(db_url, "dialog", "x@example.dk", now=NOW)
    assert not_registered.status == CancelStatus.NOT_REGISTERED
    assert cancel_registration(db_url, "nej", "x@example.dk", now=NOW).status == CancelStatus.EVENT_NOT_FOUND
    assert cancel_registration(db_url, "gammelt", "x@example.dk", now=NOW).status == CancelStatus.EVENT_PAST


def test_raised_capacity_goes_to_the_waiting_list_first(db_url: str) -> None:
    add_event(db_url, capacity=1)
    sign_up(db_url, "dialog", "a@example.dk")
    sign_up(db_url, "dialog", "b@example.dk", accept_waiting_list=True)
    with session_scope(db_url) as session:
        session.get(Event, "dialog").capacity = 2  # as a catalogue import would
    result = sign_up(db_url, "dialog", "c@example.dk")
    assert result.status == RegistrationStatus.FULL
    assert [m.email for m in result.moved_up] == ["b@example.dk"]


# --------------------------------------------------------------------------- concurrency


def _register_at_once(url: str, event_id: str, count: int, accept_waiting_list: bool) -> list:
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def worker(index: int) -> None:
        barrier.wait()
        try:
            results[index] = register(
                url,
                event_id,
                f"Person {index}",
                f"p{index}@example.dk",
                None,
                "borger",
                now=NOW,
                accept_waiting_list=accept_waiting_list,
            )
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            results[index] = error

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


@pytest.mark.timeout(180)
@pytest.mark.parametrize("accept_waiting_list", [False, True])
def test_concurrent_registrations_for_the_last_place(any_db_url: str, accept_waiting_list: bool) -> None:
    event_id = f"sidste-plads-{uuid.uuid4().hex[:8]}"  # unique: a PostgreSQL database may be shared
    add_event(any_db_url, event_id, capacity=3)
    sign_up(any_db_url, event_id, "first@example.dk")
    sign_up(any_db_url, event_id, "second@example.dk")  # one place left

    count = 8
    results = _register_at_once(any_db_url, event_id, count, accept_waiting_list)
    assert not [r for r in results if not isinstance(r, events.RegistrationResult)], results
    statuses = [r.status for r in results]
    other = RegistrationStatus.WAITING_LIST if accept_waiting_list else RegistrationStatus.FULL
    assert statuses.count(RegistrationStatus.CONFIRMED) == 1
    assert statuses.count(other) == count - 1

    stored = registrations_for_event(any_db_url, event_id)
    assert sum(r.status == "confirmed" for r in stored) == 3
    if accept_waiting_list:
        positions = sorted(r.waiting_position for r in results if r.status == other)
        assert positions == list(range(1, count))
        assert sum(r.status == "waiting" for r in stored) == count - 1


# --------------------------------------------------------------------------- staff views


def test_registrations_for_event_order_and_unknown_event(db_url: str) -> None:
    add_event(db_url, capacity=1)
    sign_up(db_url, "dialog", "a@example.dk")
    sign_up(db_url, "dialog", "b@example.dk", accept_waiting_list=True)
    sign_up(db_url, "dialog", "c@example.dk", now=NOW + timedelta(minutes=5), accept_waiting_list=True)
    cancel_registration(db_url, "dialog", "b@example.dk", now=NOW + timedelta(minutes=10))
    assert [(r.email, r.status_name) for r in registrations_for_event(db_url, "dialog")] == [
        ("a@example.dk", "Tilmeldt"),
        ("c@example.dk", "Venteliste"),
        ("", "Afmeldt"),  # cancelling deleted the address
    ]
    with pytest.raises(EventNotFoundError):
        registrations_for_event(db_url, "findes-ikke")


def test_find_registrations_by_email(db_url: str) -> None:
    add_event(db_url, "a", start=datetime(2027, 4, 1, 9, tzinfo=CPH), deadline_raw="2027-03-31")
    add_event(db_url, "b", "Temadag", start=datetime(2027, 3, 1, 9, tzinfo=CPH), deadline_raw="2027-02-28")
    sign_up(db_url, "a", "anna@example.dk")
    sign_up(db_url, "b", "anna@example.dk")
    sign_up(db_url, "b", "bo@example.dk")
    found = find_registrations_by_email(db_url, "ANNA@example.dk", now=NOW)
    assert [(r.event_id, r.event_title) for r in found] == [
        ("b", "Temadag"),
        ("a", "Dialogmøde om fælles sundhedshuse"),
    ]
    after_b = datetime(2027, 3, 2, tzinfo=CPH)
    assert [r.event_id for r in find_registrations_by_email(db_url, "anna@example.dk", now=after_b)] == ["a"]


def test_csv_has_bom_danish_headings_and_neutralised_formulas(db_url: str) -> None:
    add_event(db_url)
    register(
        db_url,
        "dialog",
        "Søren Ærø",
        "soeren@example.dk",
        "Region Hovedstaden",
        "region",
        '=HYPERLINK("http://x")',
        now=NOW,
    )
    text = registrations_csv(registrations_for_event(db_url, "dialog"))
    assert text.startswith("\ufeffNavn,E-mail,Organisation,Rolle,Status,Bemærkning")
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[1].startswith("Søren Ærø,soeren@example.dk,Region Hovedstaden,Region,Tilmeldt,")
    assert "'=HYPERLINK" in lines[1]
    assert "01-02-2027 10:00" in lines[1]  # Danish time
    assert (
        registrations_csv([], delimiter=";") == "\ufeffNavn;E-mail;Organisation;Rolle;Status;Bemærkning;"
        "Tilmeldt (dansk tid);Afmeldt (dansk tid)\r\n"
    )


def test_csv_says_where_a_cancelled_persons_data_was_deleted(db_url: str) -> None:
    add_event(db_url)
    sign_up(db_url, "dialog", "anna@example.dk")
    cancel_registration(db_url, "dialog", "anna@example.dk", now=NOW)
    lines = registrations_csv(registrations_for_event(db_url, "dialog")).lstrip("\ufeff").splitlines()
    assert lines[1].startswith("(slettet),(slettet),")
    assert ",Afmeldt," in lines[1]


def test_purge_removes_registrations_30_days_after_the_event(db_url: str) -> None:
    add_event(db_url)
    sign_up(db_url, "dialog", "a@example.dk")
    event_end = datetime(2027, 3, 11, 20, 0, tzinfo=CPH)
    assert events.purge_expired_registrations(db_url, now=event_end + timedelta(days=29)) == 0
    assert events.purge_expired_registrations(db_url, now=event_end + timedelta(days=31)) == 1
    assert registrations_for_event(db_url, "dialog") == []


# --------------------------------------------------------------------------- command line


def _run_cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    events_cli.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


def test_cli_registrations_table_csv_and_unknown_id(
    db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    add_event(db_url, start=datetime.now(CPH) + timedelta(days=30), deadline_raw="2099-01-01")
    register(db_url, "dialog", "Søren Ærø", "soeren@example.dk", None, "borger")

    assert _run_cli(["events", "list"]) == 0
    assert "Dialogmøde om fælles sundhedshuse" in capsys.readouterr().out

    assert _run_cli(["events", "registrations", "dialog"]) == 0
    out = capsys.readouterr().out
    assert "Navn" in out and "Søren Ærø" in out and "Tilmeldt: 1. På venteliste: 0." in out

    assert _run_cli(["events", "registrations", "dialog", "--csv"]) == 0
    assert capsys.readouterr().out.startswith("\ufeffNavn,E-mail")

    assert _run_cli(["events", "registrations", "findes-ikke"]) == 2
    assert "Der findes intet arrangement med id 'findes-ikke'" in capsys.readouterr().err


def test_cli_without_tables_gives_a_danish_message(
    tmp_path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'tom.db'}")
    assert _run_cli(["events", "list"]) == 1
    assert "Databasen kunne ikke læses" in capsys.readouterr().err
