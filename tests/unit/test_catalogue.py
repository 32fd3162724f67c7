"""Catalogue validation: every kind of error is found, said in Danish with where/what/allowed,
and the real command exits 2 leaving the database exactly as it was."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bot import settings
from bot.catalogue import CatalogueInvalid, export_catalogue, import_catalogue, validate_catalogue
from bot.catalogue_schema import municipality_regions, service_type_names
from bot.db import session_scope
from bot.models import CatalogueInfo, EntryPoint, Event, House, Service


def run_cli(*args: str, database_url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url}
    return subprocess.run(
        [sys.executable, "-m", "bot", "catalogue", *args],
        cwd=settings.PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def row_counts(url: str) -> dict[str, int]:
    with session_scope(url) as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model))
            for model in (House, Service, EntryPoint, Event, CatalogueInfo)
        }


def errors_of(data: dict[str, Any] | str, write: Callable[..., Path], **kwargs: Any) -> list[str]:
    return [str(error) for error in validate_catalogue(write(data), **kwargs)]


# ---------------------------------------------------------------- data files


def test_bundled_reference_data_is_complete() -> None:
    assert len(service_type_names()) == 32
    regions = municipality_regions()
    assert len(regions) == 98
    assert set(regions.values()) == {"Hovedstaden", "Sjælland", "Syddanmark", "Midtjylland", "Nordjylland"}
    assert regions["København"] == "Hovedstaden" and regions["Sønderborg"] == "Syddanmark"


def test_minimal_catalogue_is_valid(catalogue_data: dict, write_catalogue: Callable[..., Path]) -> None:
    assert errors_of(catalogue_data, write_catalogue) == []


def test_spec_example_text_is_valid(write_catalogue: Callable[..., Path]) -> None:
    spec_example = """\
version: 1
updated: 2026-11-01
houses:
  - id: eksempelby
    name: Sundhedshuset Eksempelby
    municipality: Albertslund
    address: {street: "Eksempelvej 1", postcode: "2620", town: "Albertslund"}
    entry_point:
      name: Sundhedshusets fælles indgang
      phone: "+45 00 00 00 00"
      hours: {mon: "08:00-15:00", tue: "08:00-15:00", wed: "08:00-15:00", thu: "08:00-15:00",
              fri: "08:00-13:00"}
    opening_hours: {mon: "07:00-21:00", tue: "07:00-21:00", sat: closed}
    services:
      - type: blodproever
        referral: required
        booking: {method: online, url: "https://example.invalid/book"}
events:
  - id: dialogmoede-eksempel
    title: Dialogmøde om fælles sundhedshuse
    start: 2027-03-11T16:30:00+01:00
    end: 2027-03-11T20:00:00+01:00
    venue: {house: eksempelby}
    registration_deadline: 2027-03-01
    capacity: 120
"""
    assert errors_of(spec_example, write_catalogue) == []


def test_sample_catalogue_is_valid_and_complete() -> None:
    from bot.catalogue_yaml import load

    assert validate_catalogue(settings.SAMPLE_CATALOGUE, replace=True) == []
    document, _ = load(settings.SAMPLE_CATALOGUE.read_text(encoding="utf-8"))
    offered = {service["type"] for house in document["houses"] for service in house["services"]}
    assert offered == set(service_type_names())
    regions = {municipality_regions()[house["municipality"]] for house in document["houses"]}
    assert len(document["houses"]) >= 8 and len(regions) >= 2
    assert any(service.get("audience") == ["staff"] for h in document["houses"] for service in h["services"])
    assert len(document["events"]) >= 3
    assert all(event["start"].startswith("2027") for event in document["events"])
    assert any(event.get("capacity") == 3 for event in document["events"])
    # The catalogue's notice says it is sample data on every answer; an entry point's own note
    # does not say it again (the card showed two "Eksempeldata" lines).
    assert document["notice"].startswith("Eksempeldata")
    assert not [h["id"] for h in document["houses"] if "Eksempeldata" in (h["entry_point"].get("note") or "")]


# ---------------------------------------------------------------- each error kind


def _unknown_type(data: dict) -> None:
    data["houses"][0]["services"][0]["type"] = "blodprove"


def _bad_postcode(data: dict) -> None:
    data["houses"][0]["address"]["postcode"] = "262"


def _bad_hours(data: dict) -> None:
    data["houses"][0]["opening_hours"]["mon"] = "7-21"


def _duplicate_id(data: dict) -> None:
    data["houses"][1]["id"] = "eksempelby"


def _missing_key(data: dict) -> None:
    del data["houses"][0]["name"]


def _end_before_start(data: dict) -> None:
    data["events"][0]["end"] = "2027-03-11T15:00:00+01:00"


def _unknown_venue(data: dict) -> None:
    data["events"][0]["venue"] = {"house": "findes-ikke"}


def _unknown_municipality(data: dict) -> None:
    data["houses"][0]["municipality"] = "Albertslundd"


def _deadline_after_start(data: dict) -> None:
    data["events"][0]["registration_deadline"] = "2027-03-12"


def _deadline_not_a_date(data: dict) -> None:
    data["events"][0]["registration_deadline"] = "1. marts"


def _unknown_key(data: dict) -> None:
    data["houses"][0]["services"][0]["bookng"] = {"method": "online"}


INVALID_CASES = {
    "unknown-type": (
        _unknown_type,
        "houses[0].services[0].type: ukendt servicetype 'blodprove' – mente du 'blodproever'? "
        "(tilladt: almen_praksis, speciallaege,",
    ),
    "bad-postcode": (
        _bad_postcode,
        "houses[0].address.postcode: ugyldigt postnummer '262' (tilladt: fire cifre",
    ),
    "bad-hours": (_bad_hours, "houses[0].opening_hours.mon: ugyldigt tidsrum '7-21' (tilladt: 'closed'"),
    "duplicate-id": (_duplicate_id, "houses[1].id: id 'eksempelby' er allerede brugt af houses[0]"),
    "missing-key": (_missing_key, "houses[0].name: påkrævet nøgle mangler"),
    "end-before-start": (
        _end_before_start,
        "events[0].end: slut (2027-03-11T15:00:00+01:00) ligger ikke efter start",
    ),
    "unknown-venue": (_unknown_venue, "events[0].venue.house: ukendt hus 'findes-ikke'"),
    "unknown-municipality": (
        _unknown_municipality,
        "houses[0].municipality: ukendt kommune 'Albertslundd' – mente du 'Albertslund'? "
        "(tilladt: en af Danmarks 98",
    ),
    "deadline-after-start": (
        _deadline_after_start,
        "events[0].registration_deadline: tilmeldingsfristen 2027-03-12 ligger efter arrangementets start",
    ),
    "deadline-not-a-date": (
        _deadline_not_a_date,
        "events[0].registration_deadline: ugyldig tilmeldingsfrist '1. marts'",
    ),
    "unknown-key": (
        _unknown_key,
        "houses[0].services[0].bookng: ukendt nøgle – mente du 'booking'? (tilladt: type,",
    ),
}


@pytest.mark.parametrize("case", sorted(INVALID_CASES))
def test_each_error_kind_is_reported(
    case: str, catalogue_data: dict, write_catalogue: Callable[..., Path]
) -> None:
    break_it, expected = INVALID_CASES[case]
    break_it(catalogue_data)
    errors = errors_of(catalogue_data, write_catalogue)
    assert any(error.startswith(expected) for error in errors), errors


@pytest.mark.parametrize("case", sorted(INVALID_CASES))
def test_cli_rejects_invalid_file_and_changes_nothing(
    case: str, catalogue_data: dict, write_catalogue: Callable[..., Path], database_url: str
) -> None:
    good = write_catalogue(catalogue_data, "good.yml")
    import_catalogue(good, url=database_url)
    before_text, before_counts = export_catalogue(database_url), row_counts(database_url)

    break_it, expected = INVALID_CASES[case]
    break_it(catalogue_data)
    catalogue_data["houses"][1]["name"] += " ændret"  # a valid change that must not be applied either
    bad = write_catalogue(catalogue_data, "bad.yml")
    completed = run_cli("import", str(bad), database_url=database_url)

    assert completed.returncode == 2, completed.stderr
    assert expected in completed.stderr
    assert "intet er ændret" in completed.stderr
    assert "Traceback" not in completed.stderr
    assert export_catalogue(database_url) == before_text
    assert row_counts(database_url) == before_counts


def test_all_errors_are_listed_at_once(catalogue_data: dict, write_catalogue: Callable[..., Path]) -> None:
    for break_it in (_unknown_type, _bad_postcode, _missing_key, _end_before_start):
        break_it(catalogue_data)
    errors = errors_of(catalogue_data, write_catalogue)
    wheres = {error.split(":")[0] for error in errors}
    assert {
        "houses[0].services[0].type",
        "houses[0].address.postcode",
        "houses[0].name",
        "events[0].end",
    } <= wheres


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda d: d.update(version=2), "version: ukendt version 2 (tilladt: 1)"),
        (lambda d: d.update(updated="1. november"), "updated: ugyldig dato '1. november'"),
        (lambda d: d.pop("houses"), "houses: påkrævet nøgle mangler"),
        (lambda d: d["houses"][0].update(id="Eksempel By"), "houses[0].id: ugyldigt id 'Eksempel By'"),
        (
            lambda d: d["houses"][0].update(services=[]),
            "houses[0].services: skal være en liste med mindst én",
        ),
        (
            lambda d: d["houses"][0]["services"][0].update(referral="ja"),
            "houses[0].services[0].referral: ugyldig værdi",
        ),
        (
            lambda d: d["houses"][0]["services"][0]["booking"].update(method="mail"),
            ".booking.method: ugyldig værdi",
        ),
        (
            lambda d: d["houses"][0]["services"][1].update(audience=["borger"]),
            ".services[1].audience[0]: ugyldig",
        ),
        (
            lambda d: d["events"][0].update(audience=["citizen"]),
            "events[0].audience[0]: ugyldig værdi 'citizen'",
        ),
        (lambda d: d["events"][0].update(capacity=0), "events[0].capacity: ugyldig kapacitet 0"),
        (lambda d: d["events"][0].update(start="2027-03-11T16:30:00"), "events[0].start: ugyldigt tidspunkt"),
        (
            lambda d: d["events"].append(dict(d["events"][0])),
            "events[1].id: id 'dialogmoede-eksempel' er allerede",
        ),
        (
            lambda d: d["events"][0].update(venue={"name": "Salen"}),
            "events[0].venue.address: påkrævet nøgle mangler",
        ),
        (
            lambda d: d["houses"][0].update(serves=["Atlantis"]),
            "houses[0].serves[0]: ukendt kommune 'Atlantis'",
        ),
        (
            lambda d: d["houses"][1].update(geo={"lat": 155, "lon": 9}),
            "houses[1].geo.lat: ugyldig koordinat 155",
        ),
        (lambda d: d["houses"][0]["entry_point"].pop("phone"), "houses[0].entry_point.phone: påkrævet nøgle"),
        (lambda d: d["houses"][0].update(website="www.x.dk"), "houses[0].website: ugyldig webadresse"),
    ],
)
def test_other_errors(
    edit: Callable[[dict], Any], expected: str, catalogue_data: dict, write_catalogue: Callable[..., Path]
) -> None:
    edit(catalogue_data)
    errors = errors_of(catalogue_data, write_catalogue)
    assert any(expected in error for error in errors), errors


def test_yaml_syntax_error_gives_line(write_catalogue: Callable[..., Path]) -> None:
    errors = errors_of("version: 1\nhouses: [\n  - id: x\n", write_catalogue)
    assert len(errors) == 1 and errors[0].startswith("linje ") and "ugyldig YAML" in errors[0]


def test_duplicate_yaml_key_is_reported(write_catalogue: Callable[..., Path]) -> None:
    errors = errors_of("version: 1\nupdated: 2026-11-01\nhouses: []\nversion: 1\n", write_catalogue)
    assert errors == ["linje 4: nøglen 'version' står to gange i samme mapping (tilladt: hver nøgle én gang)"]


def test_missing_file(tmp_path: Path, database_url: str) -> None:
    errors = validate_catalogue(tmp_path / "findes-ikke.yml")
    assert [error.what for error in errors] == ["filen findes ikke"]
    completed = run_cli("import", str(tmp_path / "findes-ikke.yml"), database_url=database_url)
    assert completed.returncode == 2 and "findes-ikke.yml: filen findes ikke" in completed.stderr


def test_cli_import_creates_schema_on_a_new_database(
    tmp_path: Path, catalogue_data: dict, write_catalogue: Callable[..., Path]
) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    validated = run_cli("validate", str(write_catalogue(catalogue_data)), database_url=url)
    assert validated.returncode == 0 and not (tmp_path / "new.db").exists()  # validating creates nothing
    completed = run_cli("import", str(write_catalogue(catalogue_data)), database_url=url)
    assert completed.returncode == 0, completed.stderr
    assert "Huse: 2 nye" in completed.stdout
    assert row_counts(url)["houses"] == 2


def test_ensure_schema_stamps_a_create_all_database(tmp_path: Path) -> None:
    from bot import migrate
    from bot.db import get_engine
    from bot.models import Base

    url = f"sqlite:///{tmp_path / 'create_all.db'}"
    Base.metadata.create_all(get_engine(url))
    migrate.ensure_schema(url)
    assert migrate.current_revision(url) == migrate.head_revision()
    empty = f"sqlite:///{tmp_path / 'empty.db'}"
    migrate.ensure_schema(empty)
    assert migrate.current_revision(empty) == migrate.head_revision()


def test_yaml_1_1_surprises_are_handled(write_catalogue: Callable[..., Path], database_url: str) -> None:
    """Unquoted dates stay as written, a leading-zero postcode stays text, `no` is not False,
    and an unquoted sexagesimal-looking time is rejected clearly instead of becoming 480."""
    text = """\
version: 1
updated: 2026-11-01
houses:
  - id: a
    name: Huset
    municipality: København
    address: {street: Gade 1, postcode: 0800, town: Høje Taastrup}
    entry_point: {name: Indgang, phone: 48294884}
    opening_hours: {mon: 08:00-15:00, tue: 8:00, closed_dates: [2026-12-24]}
    services: [{type: apotek, referral: not_required, booking: {method: drop_in, note: no}}]
"""
    errors = errors_of(text, write_catalogue)
    assert errors == [
        "houses[0].opening_hours.tue: ugyldigt tidsrum '8:00' "
        "(tilladt: 'closed', \"HH:MM-HH:MM\" med start før slut, eller en liste af sådanne tidsrum)"
    ]
    fixed = write_catalogue(text.replace("tue: 8:00, ", ""))
    import_catalogue(fixed, url=database_url)
    exported = export_catalogue(database_url)
    assert "postcode: '0800'" in exported
    assert "closed_dates: [2026-12-24]" in exported
    assert "note: 'no'" in exported
    assert "phone: '48294884'" in exported
    assert "updated: 2026-11-01" in exported


def test_validate_command(
    write_catalogue: Callable[..., Path], catalogue_data: dict, database_url: str
) -> None:
    good = run_cli("validate", str(write_catalogue(catalogue_data)), database_url=database_url)
    assert good.returncode == 0 and "er gyldigt" in good.stdout
    _unknown_type(catalogue_data)
    bad = run_cli("validate", str(write_catalogue(catalogue_data, "bad.yml")), database_url=database_url)
    assert bad.returncode == 2 and "ukendt servicetype 'blodprove'" in bad.stderr
    assert row_counts(database_url)["houses"] == 0


def test_venue_may_name_a_stored_house_unless_replacing(
    catalogue_data: dict, write_catalogue: Callable[..., Path], database_url: str
) -> None:
    import_catalogue(write_catalogue(catalogue_data, "first.yml"), url=database_url)
    only_event_venue_elsewhere = dict(catalogue_data, houses=[catalogue_data["houses"][1]])
    path = write_catalogue(only_event_venue_elsewhere, "second.yml")
    assert validate_catalogue(path, url=database_url) == []
    errors = [str(error) for error in validate_catalogue(path, replace=True, url=database_url)]
    assert errors == [
        "events[0].venue.house: ukendt hus 'eksempelby' (tilladt: id på et hus i filen: andenby)"
    ]
    with pytest.raises(CatalogueInvalid):
        import_catalogue(path, replace=True, url=database_url)
