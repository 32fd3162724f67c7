"""Validate a parsed catalogue document (see the format contract) into records ready for the database.

Every problem is collected, never just the first: `CatalogueError(where, what, allowed)`
reads `houses[2].services[0].type: ukendt servicetype 'blodprove' (tilladt: ...)`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.danish import DANISH_TIME, end_of_day
from bot.hours import hours_problems, parse_date

DATA_DIR = Path(__file__).resolve().parent / "data"
SUPPORTED_VERSION = 1
ID_PATTERN = re.compile(r"^[a-z0-9-]+$")
POSTCODE_PATTERN = re.compile(r"^\d{4}$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
URL_PATTERN = re.compile(r"^https?://\S+$")
DATETIME_PATTERN = re.compile(
    r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?P<offset>Z|[+-]\d{2}:\d{2})?$"
)
REFERRALS = ("required", "not_required", "depends")
BOOKING_METHODS = ("phone", "online", "drop_in", "via_referral", "via_municipality")
SERVICE_AUDIENCES = ("citizen", "staff")
EVENT_AUDIENCES = ("kommune", "region", "praksis", "brugerrepraesentant", "borger")

DOCUMENT_KEYS = (("version", "updated", "houses"), ("events",))
HOUSE_KEYS = (
    ("id", "name", "municipality", "address", "entry_point", "services"),
    ("serves", "geo", "phone", "email", "website", "opening_hours"),
)
ADDRESS_KEYS = (("street", "postcode", "town"), ())
GEO_KEYS = (("lat", "lon"), ())
ENTRY_POINT_KEYS = (("name", "phone"), ("email", "hours", "note"))
SERVICE_KEYS = (
    ("type", "referral", "booking"),
    ("name", "provider", "description", "hours", "referral_note", "audience"),
)
BOOKING_KEYS = (("method",), ("phone", "url", "note"))
EVENT_KEYS = (
    ("id", "title", "start", "end", "venue", "registration_deadline"),
    ("description", "audience", "capacity", "contact"),
)
CONTACT_KEYS = ((), ("name", "email", "phone"))

DATE_ALLOWED = "ÅÅÅÅ-MM-DD, fx 2026-11-01"
DATETIME_ALLOWED = "ISO 8601-tidspunkt med tidszone, fx 2027-03-11T16:30:00+01:00"
ID_ALLOWED = "små bogstaver a-z, cifre og '-', fx sundhedshuset-albertslund"


@lru_cache(maxsize=1)
def service_type_names() -> dict[str, str]:
    """Service type code -> Danish name, from bot/data/service-types.yml (a copy of the contract)."""
    document = yaml.safe_load((DATA_DIR / "service-types.yml").read_text(encoding="utf-8"))
    return {entry["code"]: entry["name"] for entry in document["types"]}


@lru_cache(maxsize=1)
def municipality_regions() -> dict[str, str]:
    """Municipality name -> region, for Denmark's 98 municipalities (bot/data/municipalities.yml)."""
    document = yaml.safe_load((DATA_DIR / "municipalities.yml").read_text(encoding="utf-8"))
    return {entry["name"]: entry["region"] for entry in document["municipalities"]}


@dataclass(frozen=True)
class CatalogueError:
    """One problem in a catalogue: where it is, what is wrong and, where useful, what is allowed."""

    where: str
    what: str
    allowed: str | None = None

    def __str__(self) -> str:
        text = f"{self.where}: {self.what}"
        return f"{text} (tilladt: {self.allowed})" if self.allowed else text


# ---------------------------------------------------------------- records (one per database row)


@dataclass
class EntryPointRecord:
    name: str
    phone: str
    email: str | None = None
    hours: dict | None = None
    note: str | None = None


@dataclass
class ServiceRecord:
    type: str
    referral: str
    booking_method: str
    name: str | None = None
    provider: str | None = None
    description: str | None = None
    hours: dict | None = None
    referral_note: str | None = None
    booking_phone: str | None = None
    booking_url: str | None = None
    booking_note: str | None = None
    audience: list[str] | None = None


@dataclass
class HouseRecord:
    id: str
    name: str
    municipality: str
    street: str
    postcode: str
    town: str
    entry_point: EntryPointRecord
    services: list[ServiceRecord]
    serves: list[str] = field(default_factory=list)
    lat: float | None = None
    lon: float | None = None
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    opening_hours: dict | None = None


@dataclass
class EventRecord:
    id: str
    title: str
    start: datetime
    end: datetime
    start_raw: str
    end_raw: str
    registration_deadline: datetime
    registration_deadline_raw: str
    description: str | None = None
    venue_house_id: str | None = None
    venue_name: str | None = None
    venue_address: dict | str | None = None
    audience: list[str] | None = None
    capacity: int | None = None
    contact: dict | None = None


@dataclass
class Catalogue:
    version: int
    updated: str
    houses: list[HouseRecord]
    events: list[EventRecord]


# ---------------------------------------------------------------- parsing helpers


def parse_offset_datetime(raw: Any) -> datetime | None:
    """ISO 8601 date-time with an offset (`Z` allowed); None when not that."""
    if not isinstance(raw, str):
        return None
    match = DATETIME_PATTERN.match(raw)
    if not match or not match["offset"]:
        return None
    try:
        return datetime.fromisoformat(raw[:-1] + "+00:00" if raw.endswith("Z") else raw)
    except ValueError:
        return None


def deadline_moment(raw: str, start: datetime | None = None) -> datetime | None:
    """The last moment one may register, from a deadline written as a date or a date-time.

    A date means open through that whole day, Danish time (but never after the event starts).
    A date-time without an offset is Danish local time.
    """
    day = parse_date(raw)
    if day is not None:
        moment = end_of_day(day)
        if start is not None and moment > start:
            moment = start
        return moment.astimezone(timezone.utc)
    moment = parse_offset_datetime(raw)
    if moment is None and isinstance(raw, str) and DATETIME_PATTERN.match(raw):
        try:
            moment = datetime.fromisoformat(raw).replace(tzinfo=DANISH_TIME)
        except ValueError:
            moment = None
    return moment.astimezone(timezone.utc) if moment else None


def _join(where: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{where}[{key}]"
    return f"{where}.{key}" if where else key


def _show(value: Any) -> str:
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "en tom værdi"
    if isinstance(value, dict):
        return "en mapping"
    if isinstance(value, list):
        return "en liste"
    return repr(value)


def _suggest(value: Any, options: Iterable[str]) -> str:
    if not isinstance(value, str):
        return ""
    options = list(options)
    by_fold = {option.casefold(): option for option in options}
    close = difflib.get_close_matches(value.casefold(), list(by_fold), n=1, cutoff=0.75)
    return f" – mente du '{by_fold[close[0]]}'?" if close else ""


# ---------------------------------------------------------------- the validator


class CatalogueValidator:
    """Checks one parsed document; `known_house_ids` are houses already in the database that an
    event venue may name (empty with --replace, where only the file's houses will remain)."""

    def __init__(self, known_house_ids: Collection[str] = ()):
        self.known_house_ids = set(known_house_ids)
        self.errors: list[CatalogueError] = []

    def error(self, where: str, what: str, allowed: str | None = None) -> None:
        self.errors.append(CatalogueError(where or "dokument", what, allowed))

    # -- generic shapes

    def mapping(self, value: Any, where: str, keys: tuple[tuple[str, ...], tuple[str, ...]]) -> dict | None:
        required, optional = keys
        allowed = ", ".join((*required, *optional))
        if not isinstance(value, dict):
            self.error(where, f"skal være en mapping med nøgler, ikke {_show(value)}", allowed)
            return None
        for key in required:
            if key not in value:
                self.error(_join(where, key), "påkrævet nøgle mangler")
        for key in value:
            if key not in required and key not in optional:
                self.error(
                    _join(where, str(key)), f"ukendt nøgle{_suggest(key, (*required, *optional))}", allowed
                )
        return value

    def text(self, data: dict, key: str, where: str, *, numbers_as_text: bool = False) -> str | None:
        """A non-empty string; absent or null gives None (mapping() reports missing required keys)."""
        value = data.get(key)
        if value is None:
            return None
        if numbers_as_text and isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            self.error(_join(where, key), f"skal være tekst, ikke {_show(value)}")
            return None
        if not value.strip():
            self.error(_join(where, key), "må ikke være tom")
            return None
        return value

    def phone(self, data: dict, key: str, where: str) -> str | None:
        value = self.text(data, key, where, numbers_as_text=True)
        if value is not None and not re.search(r"\d", value):
            self.error(
                _join(where, key), f"ugyldigt telefonnummer {_show(value)}", 'cifre, fx "+45 00 00 00 00"'
            )
        return value

    def email(self, data: dict, key: str, where: str) -> str | None:
        value = self.text(data, key, where)
        if value is not None and not EMAIL_PATTERN.match(value):
            self.error(_join(where, key), f"ugyldig e-mailadresse {_show(value)}", "fx navn@example.invalid")
            return None
        return value

    def url(self, data: dict, key: str, where: str) -> str | None:
        value = self.text(data, key, where)
        if value is not None and not URL_PATTERN.match(value):
            self.error(
                _join(where, key),
                f"ugyldig webadresse {_show(value)}",
                "en adresse der begynder med https://",
            )
            return None
        return value

    def choice(self, data: dict, key: str, where: str, options: tuple[str, ...]) -> str | None:
        value = data.get(key)
        if key not in data:
            return None
        if value not in options:
            self.error(
                _join(where, key),
                f"ugyldig værdi {_show(value)}{_suggest(value, options)}",
                ", ".join(options),
            )
            return None
        return value

    def choices(self, data: dict, key: str, where: str, options: tuple[str, ...]) -> list[str] | None:
        if key not in data:
            return None
        value = data[key]
        if not isinstance(value, list) or not value:
            self.error(
                _join(where, key), f"skal være en ikke-tom liste, ikke {_show(value)}", ", ".join(options)
            )
            return None
        good = True
        for index, item in enumerate(value):
            if item not in options:
                self.error(
                    _join(_join(where, key), index), f"ugyldig værdi {_show(item)}", ", ".join(options)
                )
                good = False
        return list(value) if good else None

    def hours(self, data: dict, key: str, where: str) -> dict | None:
        if data.get(key) is None:
            return None
        value = data[key]
        problems = hours_problems(value)
        for problem in problems:
            self.error(_join(where, key) + problem.where, problem.what, problem.allowed)
        return dict(value) if not problems else None

    def id(self, data: dict, key: str, where: str, seen: dict[str, str]) -> str | None:
        value = data.get(key)
        if key not in data:
            return None
        if not isinstance(value, str) or not ID_PATTERN.match(value):
            self.error(_join(where, key), f"ugyldigt id {_show(value)}", ID_ALLOWED)
            return None
        if value in seen:
            self.error(
                _join(where, key), f"id '{value}' er allerede brugt af {seen[value]}", "hvert id én gang"
            )
            return None
        seen[value] = where
        return value

    def municipality(self, value: Any, where: str) -> str | None:
        names = municipality_regions()
        if value in names:
            return value
        self.error(
            where,
            f"ukendt kommune {_show(value)}{_suggest(value, names)}",
            "en af Danmarks 98 kommuner skrevet som i bot/data/municipalities.yml, fx Albertslund, København",
        )
        return None

    # -- the document

    def document(self, document: Any) -> Catalogue | None:
        data = self.mapping(document, "", DOCUMENT_KEYS)
        if data is None:
            return None
        version = data.get("version")
        if "version" in data and (version != SUPPORTED_VERSION or isinstance(version, bool)):
            self.error("version", f"ukendt version {_show(version)}", str(SUPPORTED_VERSION))
        updated = data.get("updated")
        if "updated" in data and parse_date(updated) is None:
            self.error("updated", f"ugyldig dato {_show(updated)}", DATE_ALLOWED)
        houses = self.houses(data.get("houses"), "houses") if "houses" in data else []
        file_house_ids = {house.id for house in houses}
        events = self.events(data.get("events"), "events", file_house_ids)
        if self.errors:
            return None
        return Catalogue(version=SUPPORTED_VERSION, updated=str(updated), houses=houses, events=events)

    def houses(self, value: Any, where: str) -> list[HouseRecord]:
        if not isinstance(value, list):
            self.error(where, f"skal være en liste af huse, ikke {_show(value)}", "en liste, gerne tom: []")
            return []
        seen: dict[str, str] = {}
        records = [self.house(item, _join(where, index), seen) for index, item in enumerate(value)]
        return [record for record in records if record is not None]

    def house(self, value: Any, where: str, seen_ids: dict[str, str]) -> HouseRecord | None:
        data = self.mapping(value, where, HOUSE_KEYS)
        if data is None:
            return None
        before = len(self.errors)
        house_id = self.id(data, "id", where, seen_ids)
        name = self.text(data, "name", where)
        municipality = (
            self.municipality(data["municipality"], _join(where, "municipality"))
            if "municipality" in data
            else None
        )
        address = self.address(data["address"], _join(where, "address")) if "address" in data else None
        serves = self.serves(data, where)
        lat, lon = self.geo(data, where)
        phone = self.phone(data, "phone", where)
        email = self.email(data, "email", where)
        website = self.url(data, "website", where)
        opening_hours = self.hours(data, "opening_hours", where)
        entry_point = (
            self.entry_point(data["entry_point"], _join(where, "entry_point"))
            if "entry_point" in data
            else None
        )
        services = self.services(data["services"], _join(where, "services")) if "services" in data else []
        if len(self.errors) > before or None in (house_id, name, municipality, address, entry_point):
            return None
        street, postcode, town = address
        return HouseRecord(
            id=house_id,
            name=name,
            municipality=municipality,
            street=street,
            postcode=postcode,
            town=town,
            entry_point=entry_point,
            services=services,
            serves=serves,
            lat=lat,
            lon=lon,
            phone=phone,
            email=email,
            website=website,
            opening_hours=opening_hours,
        )

    def address(self, value: Any, where: str) -> tuple[str, str, str] | None:
        data = self.mapping(value, where, ADDRESS_KEYS)
        if data is None:
            return None
        street = self.text(data, "street", where)
        town = self.text(data, "town", where)
        postcode = data.get("postcode")
        if isinstance(postcode, int) and not isinstance(postcode, bool):
            postcode = str(postcode)
        if "postcode" in data and not (isinstance(postcode, str) and POSTCODE_PATTERN.match(postcode)):
            self.error(
                _join(where, "postcode"),
                f"ugyldigt postnummer {_show(data['postcode'])}",
                'fire cifre i anførselstegn, fx "2620"',
            )
            return None
        if None in (street, town, postcode):
            return None
        return street, postcode, town

    def serves(self, data: dict, where: str) -> list[str]:
        value = data.get("serves")
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(
                _join(where, "serves"),
                f"skal være en liste af kommuner, ikke {_show(value)}",
                "fx [Ishøj, Vallensbæk]",
            )
            return []
        names = [
            self.municipality(item, _join(_join(where, "serves"), index)) for index, item in enumerate(value)
        ]
        return [name for name in names if name]

    def geo(self, data: dict, where: str) -> tuple[float | None, float | None]:
        if data.get("geo") is None:
            return None, None
        where = _join(where, "geo")
        geo = self.mapping(data["geo"], where, GEO_KEYS)
        if geo is None:
            return None, None
        result = []
        for key, limit in (("lat", 90), ("lon", 180)):
            value = geo.get(key)
            if key in geo and (
                isinstance(value, bool) or not isinstance(value, (int, float)) or not -limit <= value <= limit
            ):
                self.error(
                    _join(where, key),
                    f"ugyldig koordinat {_show(value)}",
                    f"et decimaltal mellem -{limit} og {limit}, fx 55.66",
                )
                value = None
            result.append(float(value) if value is not None else None)
        return (result[0], result[1]) if None not in result else (None, None)

    def entry_point(self, value: Any, where: str) -> EntryPointRecord | None:
        data = self.mapping(value, where, ENTRY_POINT_KEYS)
        if data is None:
            return None
        name = self.text(data, "name", where)
        phone = self.phone(data, "phone", where)
        record = EntryPointRecord(
            name=name,
            phone=phone,
            email=self.email(data, "email", where),
            hours=self.hours(data, "hours", where),
            note=self.text(data, "note", where),
        )
        return record if name and phone else None

    def services(self, value: Any, where: str) -> list[ServiceRecord]:
        if not isinstance(value, list) or not value:
            self.error(
                where,
                f"skal være en liste med mindst én service, ikke {_show(value)}",
                "en liste af services, fx [{type: blodproever, ...}]",
            )
            return []
        records = [self.service(item, _join(where, index)) for index, item in enumerate(value)]
        return [record for record in records if record is not None]

    def service(self, value: Any, where: str) -> ServiceRecord | None:
        data = self.mapping(value, where, SERVICE_KEYS)
        if data is None:
            return None
        before = len(self.errors)
        service_type = data.get("type")
        types = service_type_names()
        if "type" in data and service_type not in types:
            self.error(
                _join(where, "type"),
                f"ukendt servicetype {_show(service_type)}{_suggest(service_type, types)}",
                ", ".join(types),
            )
        referral = self.choice(data, "referral", where, REFERRALS)
        booking = self.booking(data["booking"], _join(where, "booking")) if "booking" in data else None
        record = ServiceRecord(
            type=service_type,
            referral=referral,
            booking_method=booking[0] if booking else None,
            name=self.text(data, "name", where),
            provider=self.text(data, "provider", where),
            description=self.text(data, "description", where),
            hours=self.hours(data, "hours", where),
            referral_note=self.text(data, "referral_note", where),
            booking_phone=booking[1] if booking else None,
            booking_url=booking[2] if booking else None,
            booking_note=booking[3] if booking else None,
            audience=self.choices(data, "audience", where, SERVICE_AUDIENCES),
        )
        return record if len(self.errors) == before and referral and booking else None

    def booking(self, value: Any, where: str) -> tuple[str, str | None, str | None, str | None] | None:
        data = self.mapping(value, where, BOOKING_KEYS)
        if data is None:
            return None
        method = self.choice(data, "method", where, BOOKING_METHODS)
        phone = self.phone(data, "phone", where)
        url = self.url(data, "url", where)
        note = self.text(data, "note", where)
        return (method, phone, url, note) if method else None

    # -- events

    def events(self, value: Any, where: str, file_house_ids: set[str]) -> list[EventRecord]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(
                where, f"skal være en liste af arrangementer, ikke {_show(value)}", "en liste, gerne tom: []"
            )
            return []
        seen: dict[str, str] = {}
        records = [
            self.event(item, _join(where, index), seen, file_house_ids) for index, item in enumerate(value)
        ]
        return [record for record in records if record is not None]

    def event(
        self, value: Any, where: str, seen_ids: dict[str, str], file_house_ids: set[str]
    ) -> EventRecord | None:
        data = self.mapping(value, where, EVENT_KEYS)
        if data is None:
            return None
        before = len(self.errors)
        event_id = self.id(data, "id", where, seen_ids)
        title = self.text(data, "title", where)
        start = self.moment(data, "start", where)
        end = self.moment(data, "end", where)
        if start and end and end <= start:
            self.error(
                _join(where, "end"),
                f"slut ({data['end']}) ligger ikke efter start ({data['start']})",
                "et tidspunkt efter start",
            )
        venue = self.venue(data["venue"], _join(where, "venue"), file_house_ids) if "venue" in data else None
        deadline = self.deadline(data, where, start)
        capacity = data.get("capacity")
        if capacity is not None and (
            isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 1
        ):
            self.error(
                _join(where, "capacity"), f"ugyldig kapacitet {_show(capacity)}", "et positivt heltal, fx 120"
            )
        contact = self.contact(data.get("contact"), _join(where, "contact"))
        if len(self.errors) > before or None in (event_id, title, start, end, venue, deadline):
            return None
        venue_house_id, venue_name, venue_address = venue
        return EventRecord(
            id=event_id,
            title=title,
            start=start,
            end=end,
            start_raw=data["start"],
            end_raw=data["end"],
            registration_deadline=deadline,
            registration_deadline_raw=data["registration_deadline"],
            description=self.text(data, "description", where),
            venue_house_id=venue_house_id,
            venue_name=venue_name,
            venue_address=venue_address,
            audience=self.choices(data, "audience", where, EVENT_AUDIENCES),
            capacity=capacity,
            contact=contact,
        )

    def moment(self, data: dict, key: str, where: str) -> datetime | None:
        if key not in data:
            return None
        moment = parse_offset_datetime(data[key])
        if moment is None:
            self.error(_join(where, key), f"ugyldigt tidspunkt {_show(data[key])}", DATETIME_ALLOWED)
        return moment

    def deadline(self, data: dict, where: str, start: datetime | None) -> datetime | None:
        if "registration_deadline" not in data:
            return None
        raw = data["registration_deadline"]
        where = _join(where, "registration_deadline")
        moment = deadline_moment(raw, start) if isinstance(raw, str) else None
        if moment is None:
            self.error(
                where,
                f"ugyldig tilmeldingsfrist {_show(raw)}",
                "en dato (ÅÅÅÅ-MM-DD) eller et tidspunkt, fx 2027-03-01 eller 2027-03-01T12:00:00+01:00",
            )
            return None
        if start is None:
            return moment
        day = parse_date(raw)
        too_late = day > start.astimezone(DANISH_TIME).date() if day else moment > start
        if too_late:
            self.error(
                where,
                f"tilmeldingsfristen {raw} ligger efter arrangementets start ({data['start']})",
                "en frist på eller før start",
            )
            return None
        return moment

    def venue(self, value: Any, where: str, file_house_ids: set[str]) -> tuple | None:
        if isinstance(value, dict) and "house" in value:
            data = self.mapping(value, where, (("house",), ()))
            house_id = data.get("house")
            if house_id in file_house_ids or house_id in self.known_house_ids:
                return house_id, None, None
            known = sorted(file_house_ids | self.known_house_ids)
            examples = ", ".join(known[:5]) + (" ..." if len(known) > 5 else "")
            self.error(
                _join(where, "house"),
                f"ukendt hus {_show(house_id)}{_suggest(house_id, known)}",
                (
                    "id på et hus i filen eller allerede i databasen"
                    if self.known_house_ids
                    else "id på et hus i filen"
                )
                + (f": {examples}" if known else ""),
            )
            return None
        data = self.mapping(value, where, (("name", "address"), ()))
        if data is None:
            return None
        name = self.text(data, "name", where)
        address: dict | str | None = None
        if isinstance(data.get("address"), dict):
            parts = self.address(data["address"], _join(where, "address"))
            if parts:
                address = dict(data["address"], postcode=parts[1])
        elif "address" in data:
            address = self.text(data, "address", where)
        return (None, name, address) if name and address else None

    def contact(self, value: Any, where: str) -> dict | None:
        if value is None:
            return None
        data = self.mapping(value, where, CONTACT_KEYS)
        if data is None:
            return None
        contact = {
            "name": self.text(data, "name", where),
            "email": self.email(data, "email", where),
            "phone": self.phone(data, "phone", where),
        }
        # Keep the user's key order, so export writes what was read.
        return {key: contact[key] for key in data if contact.get(key) is not None} or None


def validate_document(
    document: Any, known_house_ids: Collection[str] = ()
) -> tuple[Catalogue | None, list[CatalogueError]]:
    validator = CatalogueValidator(known_house_ids)
    catalogue = validator.document(document)
    return catalogue, validator.errors
