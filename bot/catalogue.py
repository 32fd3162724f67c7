"""Validate, import and export the services catalogue (the YAML format in the catalogue contract).

    validate_catalogue(source, replace=False, url=None) -> list[CatalogueError]
    import_catalogue(source, replace=False, url=None) -> ImportResult   # raises CatalogueInvalid
    export_catalogue(url=None) -> str

`source` is a `Path`, a path as `str`, or the YAML text itself (a `str` containing a
newline). Import is all or nothing, in one transaction. Without `replace` records are
upserted by id; with it, houses, services and events the file no longer names are
removed, except that an event with registrations is marked cancelled and keeps them.
Registrations and call-back requests are never written. Importing an export changes
nothing, not even `catalogue_info.imported_at`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, selectinload

from bot.catalogue_schema import (
    Catalogue,
    CatalogueError,
    HouseRecord,
    ServiceRecord,
    validate_document,
)
from bot.catalogue_yaml import FlowList, FlowMap, PlainDate, dump, load
from bot.db import get_engine, session_scope
from bot.hours import CLOSED_DATES, danish_now
from bot.models import CatalogueInfo, EntryPoint, Event, House, Registration, Service, utcnow

__all__ = [
    "CatalogueError",
    "CatalogueInvalid",
    "ImportResult",
    "export_catalogue",
    "import_catalogue",
    "validate_catalogue",
]

Source = str | Path
EXPORT_HEADER = (
    "# Sundhedshusenes servicekatalog, eksporteret fra databasen.\n"
    "# Format: version 1 (se docs om katalogformatet). Indlæs med: python -m bot catalogue import FIL\n"
)


class CatalogueInvalid(ValueError):
    """The catalogue has errors; nothing was changed. `errors` lists them all."""

    def __init__(self, errors: list[CatalogueError]):
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))


@dataclass
class ImportResult:
    """What an import did, by id."""

    houses_created: list[str] = field(default_factory=list)
    houses_updated: list[str] = field(default_factory=list)
    houses_unchanged: list[str] = field(default_factory=list)
    houses_removed: list[str] = field(default_factory=list)
    events_created: list[str] = field(default_factory=list)
    events_updated: list[str] = field(default_factory=list)
    events_unchanged: list[str] = field(default_factory=list)
    events_removed: list[str] = field(default_factory=list)
    events_cancelled: list[str] = field(default_factory=list)  # removed from the file but had registrations
    catalogue_info_changed: bool = False
    # Always empty: an invalid catalogue raises CatalogueInvalid. Kept so callers may check it.
    errors: list[CatalogueError] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.catalogue_info_changed or any(
            (
                self.houses_created,
                self.houses_updated,
                self.houses_removed,
                self.events_created,
                self.events_updated,
                self.events_removed,
                self.events_cancelled,
            )
        )

    def summary(self) -> str:
        """A short Danish account for the command line."""
        if not self.changed:
            return "Ingen ændringer: databasen svarede allerede til kataloget."
        houses = (
            f"Huse: {len(self.houses_created)} nye, {len(self.houses_updated)} ændrede, "
            f"{len(self.houses_unchanged)} uændrede, {len(self.houses_removed)} fjernede."
        )
        events = (
            f"Arrangementer: {len(self.events_created)} nye, {len(self.events_updated)} ændrede, "
            f"{len(self.events_unchanged)} uændrede, {len(self.events_removed)} fjernede."
        )
        lines = ["Kataloget er indlæst.", houses, events]
        if self.events_cancelled:
            lines.append(
                "Aflyst, fordi de har tilmeldinger (tilmeldingerne er bevaret): "
                + ", ".join(self.events_cancelled)
            )
        return "\n".join(lines)


# ---------------------------------------------------------------- reading and validating


def read_source(source: Source) -> tuple[str | None, list[CatalogueError]]:
    """The YAML text of `source`; a Path or a one-line str is a file name, other text is YAML itself."""
    if isinstance(source, str) and "\n" in source:
        return source, []
    path = Path(source)
    try:
        return path.read_text(encoding="utf-8-sig"), []
    except FileNotFoundError:
        return None, [CatalogueError(str(path), "filen findes ikke")]
    except IsADirectoryError:
        return None, [CatalogueError(str(path), "er en mappe, ikke en fil")]
    except UnicodeDecodeError:
        return None, [CatalogueError(str(path), "filen er ikke gemt som UTF-8", "tekst i UTF-8")]
    except OSError as error:
        return None, [CatalogueError(str(path), f"filen kan ikke læses ({error.strerror})")]


def parse_text(text: str) -> tuple[Any, list[CatalogueError]]:
    """The YAML document, or the syntax problems with line and column."""
    try:
        document, duplicates = load(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"linje {mark.line + 1}, kolonne {mark.column + 1}" if mark else "dokument"
        return None, [
            CatalogueError(
                where,
                f"ugyldig YAML ({error.problem or error.context})",
                "gyldig YAML; tjek indrykning, kolon og anførselstegn",
            )
        ]
    except yaml.YAMLError as error:
        return None, [CatalogueError("dokument", f"ugyldig YAML ({error})")]
    errors = [
        CatalogueError(
            f"linje {duplicate.line}",
            f"nøglen '{duplicate.key}' står to gange i samme mapping",
            "hver nøgle én gang",
        )
        for duplicate in duplicates
    ]
    return document, errors


def _check(source: Source, known_house_ids: set[str]) -> tuple[Catalogue | None, list[CatalogueError]]:
    text, errors = read_source(source)
    if text is None:
        return None, errors
    document, errors = parse_text(text)
    if document is None and errors:
        return None, errors
    catalogue, problems = validate_document(document, known_house_ids)
    errors += problems
    return (catalogue if not errors else None), errors


def _database_exists(url: str | None) -> bool:
    """False for an SQLite file that is not there yet (validating must not create it)."""
    engine_url = make_url(url) if url else get_engine().url
    database = engine_url.database
    if engine_url.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return True
    return Path(database).exists()


def _stored_house_ids(session: Session) -> set[str]:
    return set(session.scalars(select(House.id)))


def validate_catalogue(source: Source, replace: bool = False, url: str | None = None) -> list[CatalogueError]:
    """Every error an import of `source` would report; changes nothing. Empty list: the file is valid."""
    known: set[str] = set()
    if not replace and _database_exists(url):
        try:
            with session_scope(url) as session:
                known = _stored_house_ids(session)
        except SQLAlchemyError:
            known = set()  # no schema yet: nothing stored to refer to
    return _check(source, known)[1]


# ---------------------------------------------------------------- import


def import_catalogue(source: Source, replace: bool = False, url: str | None = None) -> ImportResult:
    """Validate `source` and load it into the database, all or nothing; CatalogueInvalid on errors."""
    with session_scope(url) as session:
        catalogue, errors = _check(source, set() if replace else _stored_house_ids(session))
        if errors:
            raise CatalogueInvalid(errors)
        return _apply(session, catalogue, replace)


def _assign(row: Any, values: dict[str, Any]) -> bool:
    """Set only the attributes that differ, so an unchanged import writes nothing."""
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


def _house_values(record: HouseRecord, position: int) -> dict[str, Any]:
    values = asdict(record)
    del values["entry_point"], values["services"]
    return {**values, "position": position}


def _sync_services(house: House, records: list[ServiceRecord]) -> bool:
    """Services have no id in the file: match them by position, so re-importing keeps their rows."""
    current = sorted(house.services, key=lambda service: service.position)
    changed = False
    for position, record in enumerate(records):
        values = {**asdict(record), "position": position}
        if position < len(current):
            changed |= _assign(current[position], values)
        else:
            house.services.append(Service(**values))
            changed = True
    for surplus in current[len(records) :]:
        house.services.remove(surplus)
        changed = True
    return changed


def _apply_houses(session: Session, catalogue: Catalogue, replace: bool, result: ImportResult) -> set[str]:
    """Upsert the file's houses; returns the ids of stored houses the file does not name."""
    stored = {
        house.id: house
        for house in session.scalars(
            select(House).options(selectinload(House.services), selectinload(House.entry_point))
        )
    }
    for position, record in enumerate(catalogue.houses):
        house = stored.get(record.id)
        if house is None:
            house = House(**_house_values(record, position), services=[])
            house.entry_point = EntryPoint(**asdict(record.entry_point))
            _sync_services(house, record.services)
            session.add(house)
            result.houses_created.append(record.id)
            continue
        changed = _assign(house, _house_values(record, position))
        if house.entry_point is None:
            house.entry_point = EntryPoint(**asdict(record.entry_point))
            changed = True
        else:
            changed |= _assign(house.entry_point, asdict(record.entry_point))
        changed |= _sync_services(house, record.services)
        (result.houses_updated if changed else result.houses_unchanged).append(record.id)
    named = {record.id for record in catalogue.houses}
    others = sorted(
        (house for house_id, house in stored.items() if house_id not in named),
        key=lambda house: (house.position, house.id),
    )
    if not replace:
        # Houses the file does not name keep their order, after the file's houses.
        for position, house in enumerate(others, start=len(catalogue.houses)):
            _assign(house, {"position": position})
        return set()
    return {house.id for house in others}


def _apply_events(
    session: Session, catalogue: Catalogue, replace: bool, result: ImportResult, removed_house_ids: set[str]
) -> None:
    stored = {event.id: event for event in session.scalars(select(Event))}
    for position, record in enumerate(catalogue.events):
        values: dict[str, Any] = {**asdict(record), "position": position, "cancelled": False}
        event = stored.get(record.id)
        if event is None:
            session.add(Event(**values))
            result.events_created.append(record.id)
        elif _assign(event, values):
            result.events_updated.append(record.id)
        else:
            result.events_unchanged.append(record.id)
    named = {record.id for record in catalogue.events}
    others = sorted(
        (event for event_id, event in stored.items() if event_id not in named),
        key=lambda event: (event.position, event.id),
    )
    with_registrations = set(session.scalars(select(Registration.event_id).distinct()))
    position = len(catalogue.events)
    for event in others:
        if replace and event.id not in with_registrations:
            session.delete(event)
            result.events_removed.append(event.id)
            continue
        if replace and not event.cancelled:
            event.cancelled = True
            result.events_cancelled.append(event.id)
        if event.venue_house_id in removed_house_ids:
            _detach_venue(session, event)
        _assign(event, {"position": position})
        position += 1


def _detach_venue(session: Session, event: Event) -> None:
    """A kept (cancelled) event whose venue house is being removed keeps its venue's name and address."""
    house = session.get(House, event.venue_house_id)
    event.venue_name = house.name
    event.venue_address = {"street": house.street, "postcode": house.postcode, "town": house.town}
    event.venue_house_id = None


def _apply(session: Session, catalogue: Catalogue, replace: bool) -> ImportResult:
    result = ImportResult()
    removed_house_ids = _apply_houses(session, catalogue, replace, result)
    _apply_events(session, catalogue, replace, result, removed_house_ids)
    session.flush()
    for house_id in sorted(removed_house_ids):
        session.delete(session.get(House, house_id))
        result.houses_removed.append(house_id)
    info = session.get(CatalogueInfo, 1)
    if info is None:
        info = CatalogueInfo(id=1)
        session.add(info)
    result.catalogue_info_changed = _assign(
        info, {"version": catalogue.version, "updated": catalogue.updated}
    )
    if result.changed:
        info.imported_at = utcnow()
    session.flush()
    return result


# ---------------------------------------------------------------- export


def _hours_out(hours: dict | None) -> FlowMap | None:
    if hours is None:
        return None
    out = FlowMap()
    for key, value in hours.items():
        if key == CLOSED_DATES:
            out[key] = FlowList(PlainDate(day) for day in value)
        else:
            out[key] = FlowList(value) if isinstance(value, list) else value
    return out


def _without_none(values: dict[str, Any], cls: type[dict] = dict) -> dict[str, Any]:
    return cls((key, value) for key, value in values.items() if value is not None)


def _service_out(service: Service) -> dict[str, Any]:
    booking = _without_none(
        {
            "method": service.booking_method,
            "phone": service.booking_phone,
            "url": service.booking_url,
            "note": service.booking_note,
        },
        # A note is prose: on its own lines it reads better than wrapped inside {...}.
        dict if service.booking_note else FlowMap,
    )
    return _without_none(
        {
            "type": service.type,
            "name": service.name,
            "provider": service.provider,
            "description": service.description,
            "hours": _hours_out(service.hours),
            "referral": service.referral,
            "referral_note": service.referral_note,
            "booking": booking,
            "audience": FlowList(service.audience) if service.audience is not None else None,
        }
    )


def _house_out(house: House) -> dict[str, Any]:
    entry = house.entry_point
    return _without_none(
        {
            "id": house.id,
            "name": house.name,
            "municipality": house.municipality,
            "address": FlowMap(street=house.street, postcode=house.postcode, town=house.town),
            "serves": FlowList(house.serves) if house.serves else None,
            "geo": FlowMap(lat=house.lat, lon=house.lon) if house.lat is not None else None,
            "phone": house.phone,
            "email": house.email,
            "website": house.website,
            "opening_hours": _hours_out(house.opening_hours),
            "entry_point": _without_none(
                {
                    "name": entry.name,
                    "phone": entry.phone,
                    "email": entry.email,
                    "hours": _hours_out(entry.hours),
                    "note": entry.note,
                }
            ),
            "services": [
                _service_out(service) for service in sorted(house.services, key=lambda s: s.position)
            ],
        }
    )


def _event_out(event: Event) -> dict[str, Any]:
    if event.venue_house_id is not None:
        venue: dict[str, Any] = FlowMap(house=event.venue_house_id)
    else:
        address = event.venue_address
        venue = {
            "name": event.venue_name,
            "address": FlowMap(address) if isinstance(address, dict) else address,
        }
    return _without_none(
        {
            "id": event.id,
            "title": event.title,
            "description": event.description,
            "start": PlainDate(event.start_raw),
            "end": PlainDate(event.end_raw),
            "venue": venue,
            "audience": FlowList(event.audience) if event.audience is not None else None,
            "registration_deadline": PlainDate(event.registration_deadline_raw),
            "capacity": event.capacity,
            "contact": FlowMap(event.contact) if event.contact else None,
        }
    )


def _document_notice(records: list[House | Event]) -> str | None:
    """The notice the content carries; the most common one when imports mixed several.

    A file has one notice for everything, so content from several imports with and
    without one is written out with it: sample data must never lose its label.
    """
    notices = Counter(record.notice for record in records if record.notice)
    return notices.most_common(1)[0][0] if notices else None


def catalogue_document(session: Session) -> dict[str, Any]:
    """The database's content as a catalogue document (cancelled events are left out)."""
    info = session.get(CatalogueInfo, 1)
    houses = session.scalars(
        select(House)
        .options(selectinload(House.services), selectinload(House.entry_point))
        .order_by(House.position, House.id)
    ).all()
    events = session.scalars(
        select(Event).where(Event.cancelled.is_(False)).order_by(Event.position, Event.id)
    ).all()
    document: dict[str, Any] = {
        "version": info.version if info else 1,
        "updated": PlainDate(info.updated if info else danish_now().date().isoformat()),
    }
    notice = _document_notice([*houses, *events])
    if notice is not None:
        document["notice"] = notice
    document["houses"] = [_house_out(house) for house in houses]
    if events:
        document["events"] = [_event_out(event) for event in events]
    return document


def export_catalogue(url: str | None = None) -> str:
    """The database as catalogue YAML; importing it changes nothing."""
    with session_scope(url) as session:
        return EXPORT_HEADER + dump(catalogue_document(session))
