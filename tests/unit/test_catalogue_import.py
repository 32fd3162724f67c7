"""Catalogue import/export against a real (SQLite) database: upsert, --replace, events with
registrations, round trips, and what is stored."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import inspect, select

from bot import settings
from bot.catalogue import export_catalogue, import_catalogue
from bot.db import session_scope
from bot.models import Base, CallbackRequest, Event, House, Registration, Service


def all_rows(url: str) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, ids and timestamps included."""
    rows: dict[str, list[dict[str, Any]]] = {}
    with session_scope(url) as session:
        for table in Base.metadata.sorted_tables:
            result = session.execute(select(table).order_by(*table.primary_key.columns))
            rows[table.name] = [dict(row._mapping) for row in result]
    return rows


def add_registrations(url: str, event_id: str) -> None:
    with session_scope(url) as session:
        session.add_all(
            [
                Registration(
                    event_id=event_id, name="Anne Eksempel", email="anne@example.invalid", role="kommune"
                ),
                Registration(
                    event_id=event_id,
                    name="Bo Eksempel",
                    email="bo@example.invalid",
                    role="region",
                    status="cancelled",
                    cancelled_at=datetime(2027, 1, 5, tzinfo=timezone.utc),
                ),
            ]
        )


def add_callback(url: str, house_id: str) -> None:
    with session_scope(url) as session:
        session.add(
            CallbackRequest(
                reference="ABC123",
                name="Eksempel Borger",
                phone="+4500000000",
                topic="Spørgsmål om genoptræning",
                house_id=house_id,
                consent_at=datetime(2027, 1, 5, tzinfo=timezone.utc),
            )
        )


def test_migrated_schema_matches_models(database_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from bot.db import get_engine

    with get_engine(database_url).connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    # models.py declares callback_requests.reference unique twice (unique=True and a named
    # UniqueConstraint); SQLite reflects the two identical constraints as one.
    duplicate = [
        d
        for d in differences
        if d[0] == "add_constraint"
        and d[1].table.name == "callback_requests"
        and [c.name for c in d[1].columns] == ["reference"]
    ]
    assert [d for d in differences if d not in duplicate] == []
    assert set(inspect(get_engine(database_url)).get_table_names()) >= set(Base.metadata.tables)


def test_sample_catalogue_export_import_is_a_no_op(sample_database_url: str, tmp_path: Path) -> None:
    url = sample_database_url
    first_export = export_catalogue(url)
    rows_before = all_rows(url)
    exported = tmp_path / "export.yml"
    exported.write_text(first_export, encoding="utf-8")

    result = import_catalogue(exported, url=url)

    assert not result.changed, result
    assert len(result.houses_unchanged) == 9 and len(result.events_unchanged) == 4
    assert all_rows(url) == rows_before  # same ids, same imported_at
    assert export_catalogue(url) == first_export
    replace_result = import_catalogue(exported, replace=True, url=url)
    assert not replace_result.changed
    assert all_rows(url) == rows_before


def test_import_twice_keeps_service_rows(
    database_url: str, catalogue_data: dict, write_catalogue: Callable[..., Path]
) -> None:
    path = write_catalogue(catalogue_data)
    import_catalogue(path, url=database_url)
    rows = all_rows(database_url)
    assert not import_catalogue(path, url=database_url).changed
    assert all_rows(database_url) == rows


def test_stored_values(database_url: str, catalogue_data: dict, write_catalogue: Callable[..., Path]) -> None:
    catalogue_data["events"].append(
        {
            "id": "samme-dag",
            "title": "Frist samme dag",
            "start": "2027-06-10T10:00:00+02:00",
            "end": "2027-06-10T12:00:00+02:00",
            "venue": {"name": "Salen", "address": "Eksempelvej 3, 2620 Albertslund"},
            "registration_deadline": "2027-06-10",
        }
    )
    catalogue_data["events"].append(
        {
            "id": "lokal-frist",
            "title": "Frist med klokkeslæt",
            "start": "2027-06-10T10:00:00Z",
            "end": "2027-06-10T12:00:00Z",
            "venue": {"house": "andenby"},
            "registration_deadline": "2027-06-01T12:00:00",
        }
    )
    import_catalogue(write_catalogue(catalogue_data), url=database_url)
    with session_scope(database_url) as session:
        event = session.get(Event, "dialogmoede-eksempel")
        assert event.start == datetime(2027, 3, 11, 15, 30, tzinfo=timezone.utc)
        assert event.start_raw == "2027-03-11T16:30:00+01:00"
        # A date deadline is open through that whole day, Danish time (CET here).
        assert event.registration_deadline == datetime(2027, 3, 1, 22, 59, 59, 999999, tzinfo=timezone.utc)
        assert event.registration_deadline_raw == "2027-03-01"
        # ... but never after the event has started.
        same_day = session.get(Event, "samme-dag")
        assert same_day.registration_deadline == same_day.start
        assert same_day.venue_address == "Eksempelvej 3, 2620 Albertslund"
        # A deadline without an offset is Danish local time (CEST in June).
        assert session.get(Event, "lokal-frist").registration_deadline == datetime(
            2027, 6, 1, 10, tzinfo=timezone.utc
        )
        house = session.get(House, "eksempelby")
        assert [s.type for s in house.services] == ["blodproever", "genoptraening"]
        assert house.services[0].hours["closed_dates"] == ["2026-12-24"]
        assert house.services[0].booking_url == "https://example.invalid/book"
        assert house.services[1].audience == ["citizen"] and house.services[0].audience is None
        assert house.entry_point.phone == "+45 00 00 00 00"
        assert house.serves == []
        assert session.get(House, "andenby").lat == 55.058


def test_upsert_without_replace(
    database_url: str, catalogue_data: dict, write_catalogue: Callable[..., Path]
) -> None:
    import_catalogue(write_catalogue(catalogue_data, "a.yml"), url=database_url)
    update = copy.deepcopy(catalogue_data)
    andenby = update["houses"][1]
    andenby["name"] = "Sundhedshuset Andenby (nyt navn)"
    andenby["services"].append(
        {"type": "apotek", "referral": "not_required", "booking": {"method": "drop_in"}}
    )
    third = copy.deepcopy(andenby)
    third.update(id="tredjeby", name="Tredjeby")
    update["houses"] = [andenby, third]
    update["events"] = []

    result = import_catalogue(write_catalogue(update, "b.yml"), url=database_url)

    assert result.houses_updated == ["andenby"] and result.houses_created == ["tredjeby"]
    assert result.houses_removed == [] and result.events_removed == []
    with session_scope(database_url) as session:
        assert session.get(House, "eksempelby") is not None  # not named, kept
        assert session.get(Event, "dialogmoede-eksempel") is not None
        assert [s.type for s in session.get(House, "andenby").services] == ["akutpladser", "apotek"]
        order = session.scalars(select(House.id).order_by(House.position)).all()
    assert order == ["andenby", "tredjeby", "eksempelby"]
    assert export_catalogue(database_url).index("id: andenby") < export_catalogue(database_url).index(
        "id: eksempelby"
    )


def test_replace_removes_what_the_file_no_longer_names(
    database_url: str, catalogue_data: dict, write_catalogue: Callable[..., Path]
) -> None:
    import_catalogue(write_catalogue(catalogue_data, "a.yml"), url=database_url)
    smaller = copy.deepcopy(catalogue_data)
    smaller["houses"] = [smaller["houses"][0]]
    smaller["houses"][0]["services"] = smaller["houses"][0]["services"][:1]
    smaller["events"] = []

    result = import_catalogue(write_catalogue(smaller, "b.yml"), replace=True, url=database_url)

    assert result.houses_removed == ["andenby"] and result.houses_updated == ["eksempelby"]
    assert result.events_removed == ["dialogmoede-eksempel"] and result.events_cancelled == []
    with session_scope(database_url) as session:
        assert session.scalars(select(House.id)).all() == ["eksempelby"]
        assert [s.type for s in session.scalars(select(Service))] == ["blodproever"]
        assert session.scalars(select(Event)).all() == []


def test_replace_cancels_event_with_registrations_and_keeps_them(
    database_url: str, catalogue_data: dict, write_catalogue: Callable[..., Path], tmp_path: Path
) -> None:
    import_catalogue(write_catalogue(catalogue_data, "a.yml"), url=database_url)
    add_registrations(database_url, "dialogmoede-eksempel")
    add_callback(database_url, "andenby")
    registrations_before = all_rows(database_url)["registrations"]
    callbacks_before = all_rows(database_url)["callback_requests"]
    without = copy.deepcopy(catalogue_data)
    without["houses"] = [without["houses"][1]]  # the event's venue house goes too
    without["events"] = []

    result = import_catalogue(write_catalogue(without, "b.yml"), replace=True, url=database_url)

    assert result.events_cancelled == ["dialogmoede-eksempel"] and result.events_removed == []
    assert result.houses_removed == ["eksempelby"]
    rows = all_rows(database_url)
    assert rows["registrations"] == registrations_before
    assert rows["callback_requests"] == callbacks_before
    with session_scope(database_url) as session:
        event = session.get(Event, "dialogmoede-eksempel")
        assert event.cancelled is True
        assert event.venue_house_id is None
        assert event.venue_name == "Sundhedshuset Eksempelby"
        assert event.venue_address == {"street": "Eksempelvej 1", "postcode": "2620", "town": "Albertslund"}

    # A cancelled event is not exported, and importing the export changes nothing.
    text = export_catalogue(database_url)
    assert "dialogmoede-eksempel" not in text
    exported = tmp_path / "export.yml"
    exported.write_text(text, encoding="utf-8")
    before = all_rows(database_url)
    assert not import_catalogue(exported, replace=True, url=database_url).changed
    assert all_rows(database_url) == before

    # Named again, it is no longer cancelled and still has its registrations.
    import_catalogue(write_catalogue(catalogue_data, "c.yml"), url=database_url)
    with session_scope(database_url) as session:
        event = session.get(Event, "dialogmoede-eksempel")
        assert event.cancelled is False and event.venue_house_id == "eksempelby"
        assert len(event.registrations) == 2


def test_import_never_touches_registrations_or_callbacks(
    database_url: str, catalogue_data: dict, write_catalogue: Callable[..., Path]
) -> None:
    import_catalogue(write_catalogue(catalogue_data, "a.yml"), url=database_url)
    add_registrations(database_url, "dialogmoede-eksempel")
    add_callback(database_url, "eksempelby")
    before = all_rows(database_url)
    changed = copy.deepcopy(catalogue_data)
    changed["events"][0]["capacity"] = 1
    changed["events"][0]["title"] = "Nyt navn"

    result = import_catalogue(write_catalogue(changed, "b.yml"), replace=True, url=database_url)

    assert result.events_updated == ["dialogmoede-eksempel"]
    after = all_rows(database_url)
    assert after["registrations"] == before["registrations"]
    assert after["callback_requests"] == before["callback_requests"]


def test_no_op_import_keeps_imported_at(
    database_url: str, catalogue_data: dict, write_catalogue: Callable[..., Path]
) -> None:
    path = write_catalogue(catalogue_data)
    import_catalogue(path, url=database_url)
    first = all_rows(database_url)["catalogue_info"]
    import_catalogue(path, url=database_url)
    assert all_rows(database_url)["catalogue_info"] == first
    catalogue_data["updated"] = "2026-12-01"
    assert import_catalogue(write_catalogue(catalogue_data, "b.yml"), url=database_url).changed
    info = all_rows(database_url)["catalogue_info"][0]
    assert info["updated"] == "2026-12-01" and info["imported_at"] > first[0]["imported_at"]


def test_export_of_sample_reads_like_the_format(sample_database_url: str) -> None:
    text = export_catalogue(sample_database_url)
    assert text.startswith("# Sundhedshusenes servicekatalog")
    assert "updated: 2026-11-30\nnotice: Eksempeldata – oplysningerne er ikke officielle." in text
    assert "start: 2027-03-11T16:30:00+01:00\n" in text
    assert "registration_deadline: 2027-03-01\n" in text
    assert "address: {street: Skolegangen 1, postcode: '2620', town: Albertslund}" in text
    assert "venue: {house: albertslund}" in text


def test_import_from_text_and_cli_export(database_url: str, catalogue_data: dict, tmp_path: Path) -> None:
    import subprocess
    import sys

    from tests.unit.conftest import catalogue_yaml

    result = import_catalogue(catalogue_yaml(catalogue_data), url=database_url)
    assert result.houses_created == ["eksempelby", "andenby"]
    target = tmp_path / "ud.yml"
    completed = subprocess.run(
        [sys.executable, "-m", "bot", "catalogue", "export", str(target)],
        cwd=settings.PROJECT_ROOT,
        env={**__import__("os").environ, "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert target.read_text(encoding="utf-8") == export_catalogue(database_url)
