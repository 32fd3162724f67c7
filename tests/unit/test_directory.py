"""bot.directory: houses offering a service at a place, or the nearest ones.

The tests write their own small catalogue of fictional houses (placeholder phone
numbers, example.invalid) into a temporary SQLite database, spread over the
country so ranking by distance is exercised beyond the capital region.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session, sessionmaker

from bot.directory import (
    entry_point_for,
    find_houses,
    houses_at,
    nearest_houses,
    services_of_house,
)
from bot.models import Base, EntryPoint, House, Service
from bot.places import Place, find_place_in_text, municipality_place, resolve_place

PHONE = "+45 00 00 00 00"
WEEKDAYS = {
    "mon": "08:00-16:00",
    "tue": "08:00-16:00",
    "wed": "08:00-16:00",
    "thu": "08:00-16:00",
    "fri": "08:00-14:00",
}
BLOOD_HOURS = {"mon": "07:00-13:00", "wed": "07:00-18:00"}

# id, municipality, postcode, town, (lat, lon) or None, serves, opening hours, services
HOUSES = [
    (
        "helsingoer",
        "Helsingør",
        "3000",
        "Helsingør",
        (56.03, 12.59),
        [],
        WEEKDAYS,
        [
            ("blodproever", BLOOD_HOURS, None),
            ("roentgen", None, None),
            ("akutklinik", None, None),
            ("jordemoder", None, None),
        ],
    ),
    (
        "albertslund",
        "Albertslund",
        "2620",
        "Albertslund",
        (55.657, 12.355),
        [],
        WEEKDAYS,
        [
            ("genoptraening", None, None),
            ("sygeplejeklinik", None, None),
            ("tandpleje", None, None),
            ("fodterapi", None, None),
        ],
    ),
    (
        "noerrebro",
        "København",
        "2200",
        "København N",
        (55.697, 12.550),
        [],
        None,
        [
            ("forebyggelse", None, None),
            ("sygeplejeklinik", {"mon": "00:00-24:00"}, None),
            ("genoptraening", None, None),
            ("akutpladser", None, ["staff"]),
        ],
    ),
    (
        "oesterbro",
        "København",
        "2100",
        "København Ø",
        (55.708, 12.575),
        [],
        WEEKDAYS,
        [("forebyggelse", None, None), ("sygeplejeklinik", None, None)],
    ),
    (
        "ishoej",
        "Ishøj",
        "2635",
        "Ishøj",
        (55.615, 12.352),
        ["Vallensbæk"],
        WEEKDAYS,
        [
            ("almen_praksis", None, None),
            ("genoptraening", None, ["citizen"]),
            ("hjaelpemidler", None, None),
            ("hjemmesygepleje", None, None),
        ],
    ),
    (
        "nordborg",
        "Sønderborg",
        "6430",
        "Nordborg",
        (55.058, 9.742),
        [],
        WEEKDAYS,
        [
            ("almen_praksis", None, None),
            ("jordemoder", None, None),
            ("fysioterapi", None, None),
            ("tandlaege", None, None),
            ("psykolog", None, None),
            ("fodterapi", None, None),
        ],
    ),
    (
        "aarhus",
        "Aarhus",
        "8000",
        "Aarhus C",
        None,
        [],
        WEEKDAYS,
        [("blodproever", None, None), ("misbrugsraadgivning", None, None)],
    ),
    (
        "thisted",
        "Thisted",
        "7700",
        "Thisted",
        (56.957, 8.694),
        ["Morsø"],
        WEEKDAYS,
        [("genoptraening", None, None), ("sundhedspleje", None, None)],
    ),
    (
        "esbjerg",
        "Esbjerg",
        "6700",
        "Esbjerg",
        (55.467, 8.452),
        [],
        WEEKDAYS,
        [("blodproever", None, None), ("diaetist", None, None)],
    ),
]


def _house(position: int, spec: tuple) -> House:
    house_id, municipality, postcode, town, geo, serves, hours, services = spec
    house = House(
        id=house_id,
        position=position,
        name=f"Testhuset {town}",
        municipality=municipality,
        street="Testvej 1",
        postcode=postcode,
        town=town,
        serves=serves,
        lat=geo[0] if geo else None,
        lon=geo[1] if geo else None,
        opening_hours=hours,
        email=f"{house_id}@example.invalid",
    )
    house.entry_point = EntryPoint(name=f"Indgangen i {town}", phone=PHONE)
    house.services = [
        Service(
            position=i,
            type=code,
            hours=service_hours,
            audience=audience,
            referral="not_required",
            booking_method="phone",
            booking_phone=PHONE,
        )
        for i, (code, service_hours, audience) in enumerate(services)
    ]
    return house


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    engine = create_engine(f"sqlite:///{tmp_path / 'directory.db'}", future=True)
    Base.metadata.create_all(engine)
    factory = sessionmaker(bind=engine, future=True, expire_on_commit=False)
    with factory() as writer:
        writer.add_all(_house(position, spec) for position, spec in enumerate(HOUSES))
        writer.commit()
    with factory() as reader:
        yield reader
    engine.dispose()


def place(text: str) -> Place:
    resolution = resolve_place(text)
    assert resolution.found, text
    return resolution.place


def ids(result_or_houses) -> list[str]:  # noqa: ANN001
    items = getattr(result_or_houses, "offers", result_or_houses)
    return [getattr(item, "house", item).id for item in items]


# ----------------------------------------------------------------- at the place


@pytest.mark.parametrize("where", ["Helsingør", "helsingoer", "3000", "Espergærde"])
def test_service_at_the_place(session: Session, where: str) -> None:
    result = find_houses(session, "blodproever", place(where))
    assert ids(result) == ["helsingoer"]
    assert result.at_place and not result.nearby and result.reason is None
    offer = result.offers[0]
    assert offer.match == "in_place"
    assert offer.service.type == "blodproever"
    assert offer.hours == BLOOD_HOURS and offer.hours_source == "service"


def test_house_hours_apply_when_the_service_has_none(session: Session) -> None:
    offer = find_houses(session, "fodterapi", place("Albertslund")).offers[0]
    assert offer.hours == WEEKDAYS and offer.hours_source == "house"
    offer = find_houses(session, "forebyggelse", place("Nørrebro")).offers[0]
    assert offer.house.id == "noerrebro" and offer.hours is None and offer.hours_source is None


def test_house_serving_a_neighbour_municipality_counts_as_at_the_place(session: Session) -> None:
    result = find_houses(session, "genoptraening", place("Vallensbæk"))
    assert ids(result) == ["ishoej"]
    assert result.offers[0].match == "serves_place" and not result.nearby
    assert ids(houses_at(session, place("Vallensbæk"))) == ["ishoej"]


def test_district_prefers_its_own_postcode(session: Session) -> None:
    assert ids(find_houses(session, "sygeplejeklinik", place("på Nørrebro"))) == ["noerrebro", "oesterbro"]
    assert ids(find_houses(session, "sygeplejeklinik", place("Østerbro"))) == ["oesterbro", "noerrebro"]
    assert ids(find_houses(session, "sygeplejeklinik", place("2100"))) == ["oesterbro", "noerrebro"]


def test_sentence_to_answer(session: Session) -> None:
    where = find_place_in_text("hvor kan jeg få taget en blodprøve i Helsingør?")
    assert ids(find_houses(session, "blodproever", where.place)) == ["helsingoer"]


# ----------------------------------------------------------------- Jutland and Funen


def test_jutland_houses(session: Session) -> None:
    assert ids(find_houses(session, "blodproever", place("8000"))) == ["aarhus"]
    assert ids(find_houses(session, "blodproever", place("Esbjerg"))) == ["esbjerg"]
    assert ids(find_houses(session, "genoptraening", place("Hurup Thy"))) == ["thisted"]
    result = find_houses(session, "sundhedspleje", place("Nykøbing Mors"))  # Morsø is served from Thisted
    assert ids(result) == ["thisted"] and result.offers[0].match == "serves_place"
    assert ids(find_houses(session, "tandlaege", place("Nordborg"))) == ["nordborg"]


def test_nearest_when_none_at_the_place(session: Session) -> None:
    result = find_houses(session, "blodproever", place("Skagen"))
    assert result.nearby and not result.at_place
    # By distance from Frederikshavn: Aarhus about 145 km, Helsingør about 200, Esbjerg about 255.
    assert ids(result) == ["aarhus", "helsingoer", "esbjerg"]
    assert all(o.match == "nearby" for o in result.offers)
    distances = [o.distance_km for o in result.offers]
    assert distances == sorted(distances) and 100 < distances[0] < 200


def test_nearest_from_the_islands_and_the_south(session: Session) -> None:
    assert ids(find_houses(session, "blodproever", place("Rønne"), limit=1)) == ["helsingoer"]
    assert ids(find_houses(session, "blodproever", place("Tønder"), limit=1)) == ["esbjerg"]
    assert ids(find_houses(session, "jordemoder", place("Odense"), limit=1)) == ["nordborg"]
    assert ids(find_houses(session, "genoptraening", place("Brøndby"), limit=2)) == ["albertslund", "ishoej"]


def test_house_without_geo_is_placed_at_its_municipality(session: Session) -> None:
    result = find_houses(session, "blodproever", place("Randers"))
    assert result.nearby and ids(result)[0] == "aarhus"
    assert 30 < result.offers[0].distance_km < 45


def test_limit_and_total(session: Session) -> None:
    result = find_houses(session, "blodproever", place("Skagen"), limit=1)
    assert len(result.offers) == 1 and result.total == 3


def test_without_a_place_all_in_catalogue_order(session: Session) -> None:
    result = find_houses(session, "blodproever", None, limit=10)
    assert ids(result) == ["helsingoer", "aarhus", "esbjerg"]
    assert not result.nearby and all(o.match == "anywhere" and o.distance_km is None for o in result.offers)


# ----------------------------------------------------------------- nothing to offer


def test_service_no_house_offers(session: Session) -> None:
    result = find_houses(session, "kommunelaege", place("Helsingør"))
    assert not result.found and result.reason == "no_house_offers_service" and result.offers == ()


def test_unknown_service_code(session: Session) -> None:
    assert find_houses(session, "bager", place("Helsingør")).reason == "unknown_service"


def test_staff_only_service_is_hidden_from_citizens(session: Session) -> None:
    assert find_houses(session, "akutpladser", place("København")).reason == "no_house_offers_service"
    staff = find_houses(session, "akutpladser", place("København"), audience="staff")
    assert ids(staff) == ["noerrebro"]
    # A service for citizens only is still shown to staff.
    assert ids(find_houses(session, "genoptraening", place("Ishøj"), audience="staff")) == ["ishoej"]


# ----------------------------------------------------------------- houses, entry points, services


def test_houses_at(session: Session) -> None:
    assert ids(houses_at(session, place("København"))) == ["noerrebro", "oesterbro"]
    assert houses_at(session, place("Skagen")) == []
    assert ids(nearest_houses(session, place("Skagen"), limit=2)) == ["thisted", "aarhus"]  # 125 and 145 km


def test_ambiguous_postcode_candidates_can_each_be_searched(session: Session) -> None:
    resolution = resolve_place("2620")
    assert resolution.is_ambiguous
    albertslund, broendby = resolution.candidates
    assert ids(find_houses(session, "genoptraening", albertslund)) == ["albertslund"]
    assert find_houses(session, "genoptraening", broendby).nearby


def test_entry_point_for(session: Session) -> None:
    house, entry = entry_point_for(session, house_id="thisted")
    assert house.id == "thisted" and entry.name == "Indgangen i Thisted" and entry.phone == PHONE
    house, _ = entry_point_for(session, place("3000"))
    assert house.id == "helsingoer"
    assert entry_point_for(session, place("Skagen")) is None
    house, _ = entry_point_for(session, place("Skagen"), nearest=True)
    assert house.id == "thisted"
    assert entry_point_for(session, house_id="findes-ikke") is None
    assert entry_point_for(session) is None  # several houses, nothing to choose by


def test_services_of_house(session: Session) -> None:
    citizen = [o.service.type for o in services_of_house(session, "noerrebro")]
    assert citizen == ["forebyggelse", "sygeplejeklinik", "genoptraening"]
    staff = [o.service.type for o in services_of_house(session, "noerrebro", audience="staff")]
    assert staff == ["forebyggelse", "sygeplejeklinik", "genoptraening", "akutpladser"]
    assert services_of_house(session, "findes-ikke") == []


def test_services_at_a_place(session: Session) -> None:
    offers = services_of_house(session, place("Vallensbæk"))
    assert {o.house.id for o in offers} == {"ishoej"}
    assert [o.service.type for o in offers] == [
        "almen_praksis",
        "genoptraening",
        "hjaelpemidler",
        "hjemmesygepleje",
    ]
    assert all(o.match == "serves_place" for o in offers)


def test_a_house_municipality_as_place(session: Session) -> None:
    sonderborg = municipality_place("Sønderborg Kommune")
    assert sonderborg is not None and sonderborg.region == "Syddanmark"
    assert ids(houses_at(session, sonderborg)) == ["nordborg"]
