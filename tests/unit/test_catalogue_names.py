"""House names and local service names resolved against a real database at answer time
(bot/catalogue_names.py); honest distance and the related-services map (bot/distance.py)."""

from __future__ import annotations

import pytest

from bot import catalogue_names, directory, distance, places, vocabulary
from bot.catalogue import import_catalogue
from bot.db import session_scope
from tests.five_regions import catalogue_text


@pytest.fixture
def five_regions(database_url: str) -> str:
    import_catalogue(catalogue_text(), replace=True, url=database_url)
    return database_url


@pytest.mark.parametrize(
    ("text", "house"),
    [
        ("Hvor ligger Kildebrohuset?", "Kildebrohuset"),
        ("hvor ligger kildebrohusset", "Kildebrohuset"),  # misspelt
        ("Hvad tilbyder Kildebro?", "Kildebrohuset"),  # shortened
        ("Hvad tilbyder Abrinkhuset", "Åbrinkhuset"),  # without å
        ("Hvad er adressen på Sundhedshuset Grenen?", "Sundhedshuset Grenen"),
        ("Hvor ligger Grenen?", "Sundhedshuset Grenen"),
        ("Hvor ligger sundhedshuset i Roskilde?", "Fjordlyshuset"),  # "sundhedshuset i <by>"
        ("hvad tilbyder sundhedshuset i Skagen", "Sundhedshuset Grenen"),
        ("er der åbent i Roskilde sundhedshus i påsken", "Fjordlyshuset"),  # "<by> sundhedshus"
        ("hvor ligger Skagen sundhedscenter", "Sundhedshuset Grenen"),
    ],
)
def test_houses_are_found_by_full_short_or_misspelt_names(five_regions, text, house):
    with session_scope(five_regions) as session:
        named = catalogue_names.find_houses_named(session, text)
        assert named is not None and [h.name for h in named.houses] == [house]


@pytest.mark.parametrize(
    "text",
    [
        "blodprøve i Hillerød",
        "jeg bor i Skagen",
        "hvor ligger Tivoli?",
        "Hvad tilbyder Brohuset?",
        "hej",
        "hvor ligger det nye sundhedshus",  # words before "sundhedshus" that name no place
        "hvad tilbyder vores lokale sundhedshus",
        "hvornår har jeres sundhedshus åbent i påsken",
    ],
)
def test_no_house_is_read_into_ordinary_questions_or_other_catalogues_names(five_regions, text):
    with session_scope(five_regions) as session:
        assert catalogue_names.find_houses_named(session, text) is None


def test_distinctive_words_leave_out_generic_words_and_the_town(five_regions):
    with session_scope(five_regions) as session:
        houses = {h.id: h for h in directory._all_houses(session)}
        assert catalogue_names.distinctive_words(houses["test-grenen"]) == ["Grenen"]
        assert catalogue_names.distinctive_words(houses["test-kildebro"]) == ["Kildebrohuset"]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("vandgymnastik i Odense", "genoptraening"),
        ("hvor er der varmtvandsbassin", "fysioterapi"),
        ("Psykologhjælp på havnen", "psykolog"),
        ("jeg vil gerne til Odense", None),
        ("Hvad tilbyder Kildebro?", None),  # a house's name, also in "Prøvetagning i Kildebro"
        ("hvad koster det", None),
    ],
)
def test_local_service_names_from_the_catalogue(five_regions, text, code):
    with session_scope(five_regions) as session:
        assert catalogue_names.find_local_service(session, text) == code


@pytest.mark.parametrize(
    ("town", "code", "far", "region"),
    [
        ("Skagen", "blodproever", True, "Midtjylland"),  # Aarhus, another region
        ("Rønne", "blodproever", True, None),  # Hillerød, same region, far over the sea
        ("Fredensborg", "blodproever", False, None),  # Hillerød, next door
    ],
)
def test_how_far_is_the_nearest_house(five_regions, town, code, far, region):
    place = places.resolve_place(town).place
    with session_scope(five_regions) as session:
        result = directory.find_houses(session, code, place)
    found = distance.how_far(place, result.offers[0])
    assert (found is not None) == far
    if found is not None:
        assert found.other_region == region and found.km is not None and found.km > distance.far_km()


def test_a_related_service_at_the_persons_own_place(five_regions):
    place = places.resolve_place("Skagen").place
    with session_scope(five_regions) as session:
        offer = distance.related_offer_at_place(session, distance.related_types("forebyggelse"), place)
        assert offer is not None and offer.house.name == "Sundhedshuset Grenen"
        assert offer.service.type == "diaetist"
        assert distance.related_offer_at_place(session, ["akutklinik"], place) is None


def test_the_related_map_names_only_known_service_types():
    data = distance._data()
    for code, related in data["related"].items():
        assert vocabulary.is_service_type(code) and code not in related
        assert all(vocabulary.is_service_type(other) for other in related)
    assert "diaetist" in distance.related_types("forebyggelse")
