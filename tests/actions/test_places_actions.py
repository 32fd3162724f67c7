"""Issue 12, places: houses named by name, postcode with town, honest distance, akutpladser and the
way out's "a person" without a known place; on a five-region catalogue the test writes itself
(tests/five_regions.py), imported with --replace into this test's own database."""

from __future__ import annotations

import pytest

from actions import slots
from actions.callbacks import ValidateCallbackForm
from actions.chitchat import ActionOutOfScope
from actions.entry_point import ActionEntryPoint
from actions.fallback import ActionFallback
from actions.services import ActionFindService, ActionHouseServices
from bot import places
from bot.catalogue import import_catalogue
from tests.actions.support import form_tracker, make_tracker, run
from tests.five_regions import NOTICE, catalogue_text

WAY_OUT = "Du kan prøve igen, tale med et menneske eller stoppe"


@pytest.fixture
def five_regions(services_db: str) -> str:
    import_catalogue(catalogue_text(), replace=True, url=services_db)
    return services_db


# ------------------------------------------------------------------ houses named by name


@pytest.mark.parametrize(
    ("question", "intent", "house", "street"),
    [
        ("Hvor ligger Kildebrohuset?", "find_service", "Kildebrohuset", "Opdigtet Testvej 1, 3400 Hillerød"),
        ("Hvad er adressen på Kildebrohusset?", "out_of_scope", "Kildebrohuset", "Opdigtet Testvej 1"),
        ("Hvor ligger sundhedshuset i Roskilde?", "find_service", "Fjordlyshuset", "Opdigtet Testvej 3"),
        # The classifier often says ask_house_services here; "ligger" still asks for the address.
        ("Hvor ligger sundhedshuset i Roskilde?", "ask_house_services", "Fjordlyshuset", "Testvej 3"),
        ("hvor ligger Abrinkhuset", "nlu_fallback", "Åbrinkhuset", "Opdigtet Testvej 5, 8000 Aarhus C"),
        ("hvornår har Havnelyshuset åbent?", "find_service", "Havnelyshuset", "Åbningstid: man–ons 8.00"),
    ],
)
def test_a_house_named_by_name_gets_its_address(five_regions, question, intent, house, street):
    action = {
        "find_service": ActionFindService(),
        "out_of_scope": ActionOutOfScope(),
        "ask_house_services": ActionHouseServices(),
    }.get(intent, ActionFallback())
    outcome = run(action, make_tracker(question, intent))
    assert house in outcome.said and street in outcome.said, outcome.said
    assert "openstreetmap.org" in outcome.said and NOTICE in outcome.said
    assert "utter_out_of_scope" not in outcome.responses


@pytest.mark.parametrize(
    ("question", "intent", "services", "not_there"),
    [
        ("Hvad tilbyder Havnelyshuset?", "ask_house_services",
         ["Psykologhjælp på havnen", "Vandgymnastik for gigtramte"], "Akutklinik Fjordlys"),
        ("Hvad tilbyder Brohuset?", "nlu_fallback", [], ""),
        ("hvad tilbyder sundhedshuset i Skagen", "ask_house_services",
         ["Kostvejledning ved Grenen", "Sygeplejeklinik Grenen"], "Blodprøver ved åen"),
    ],
)  # fmt: skip
def test_what_a_named_house_offers(five_regions, question, intent, services, not_there):
    action = ActionHouseServices() if intent == "ask_house_services" else ActionFallback()
    outcome = run(action, make_tracker(question, intent))
    if not services:  # a house of another catalogue (the sample's Brohuset) is no longer there
        assert "Brohuset" not in outcome.said
        return
    for service in services:
        assert service in outcome.said, outcome.said
    assert not_there not in outcome.said


def test_the_staff_see_staff_only_services_of_a_named_house(five_regions):
    outcome = run(ActionHouseServices(), make_tracker("Hvad tilbyder Kildebrohuset? jeg er sygeplejerske",
                                                      "ask_house_services"))  # fmt: skip
    assert "Kommunale akutpladser Nord (for fagpersoner)" in outcome.said


def test_a_local_service_name_from_the_catalogue_is_understood(five_regions):
    question = "hvor kan jeg gå til vandgymnastik i Odense?"
    outcome = run(ActionFindService(), make_tracker(question, "find_service"))
    assert outcome.slot(slots.SERVICE_TYPE) == "genoptraening"
    assert "Havnelyshuset" in outcome.said and "Vandgymnastik for gigtramte" in outcome.said


@pytest.mark.parametrize("intent", ["find_service", "out_of_scope"])
def test_a_local_service_name_is_answered_also_when_the_classifier_says_out_of_scope(five_regions, intent):
    """The model never learnt the catalogue's own names, so it may call them out of scope."""
    action = ActionFindService() if intent == "find_service" else ActionOutOfScope()
    outcome = run(action, make_tracker("hvor kan jeg gå til vandgymnastik i Odense?", intent))
    assert "Havnelyshuset" in outcome.said and "Vandgymnastik for gigtramte" in outcome.said
    assert "utter_out_of_scope" not in outcome.responses


def test_out_of_scope_stays_out_of_scope_without_a_catalogue_name(five_regions):
    outcome = run(ActionOutOfScope(), make_tracker("tilmeld mig et kursus i spansk", "out_of_scope"))
    assert "utter_out_of_scope" in outcome.responses


def test_the_entry_point_of_a_named_house(five_regions):
    question = "hvem kan jeg ringe til i Fjordlyshuset?"
    outcome = run(ActionEntryPoint(), make_tracker(question, "contact_entry_point"))
    assert "Fjordlyshusets indgang (testdata)" in outcome.said
    assert outcome.slot(slots.HOUSE_IDS) == ["test-fjordlys"]


def test_an_ordinary_service_question_is_not_taken_for_a_house_name(five_regions):
    outcome = run(ActionFindService(), make_tracker("blodprøve i Hillerød", "find_service"))
    assert "Prøvetagning i Kildebro" in outcome.said and "Her finder du blodprøver i Hillerød" in outcome.said


# ------------------------------------------------------------------ postcode with town


@pytest.mark.parametrize(
    ("question", "house"),
    [
        ("blodprøve i 3400 Hillerød", "Kildebrohuset"),
        ("jordemoder i 4000 Roskilde", "Fjordlyshuset"),
        ("jordemoder i Roskilde 4000", "Fjordlyshuset"),
        ("blodprøve i 8000 Aarhus C", "Åbrinkhuset"),
        ("genoptræning i 4000", "Fjordlyshuset"),  # three municipalities, one nearest house: no question
    ],
)
def test_a_postcode_with_its_town_or_one_answer_is_not_asked_about(five_regions, question, house):
    outcome = run(ActionFindService(), make_tracker(question, "find_service"))
    assert "findes flere steder" not in outcome.said
    assert house in outcome.said, outcome.said


def test_a_postcode_spanning_municipalities_is_asked_about_when_the_answer_differs(five_regions):
    outcome = run(ActionFindService(), make_tracker("jordemoder i 4000", "find_service"))
    assert "findes flere steder" in outcome.said
    assert "Roskilde" in outcome.said and "Høje-Taastrup" in outcome.said
    assert outcome.slot(slots.AWAITING) == "place"


def test_the_place_remembered_for_a_postcode_with_its_town_is_the_towns_municipality():
    resolution = places.find_place_in_text("jeg bor i 4000 Roskilde")
    assert resolution is not None and resolution.found and resolution.place.municipality == "Roskilde"


# ------------------------------------------------------------------ honest distance


def test_far_in_another_region_is_said_plainly_and_a_related_service_at_home_is_offered(five_regions):
    question = "jeg vil gerne have hjælp til at tabe mig, jeg bor i Skagen"
    outcome = run(ActionFallback(), make_tracker(question, "nlu_fallback"))  # the NLU was unsure
    said = outcome.said
    assert "i nærheden af Skagen" in said and "km væk, i Region Midtjylland" in said, said
    assert "Tættere på: I Skagen tilbyder Sundhedshuset Grenen kostvejledning ved grenen" in said
    assert said.index("Region Midtjylland") < said.index("Tættere på")


def test_a_municipal_service_far_away_shows_no_card_of_another_municipalitys_house(five_regions):
    """Prevention is municipal: a house 200 km away is for its own citizens, not someone in Skagen."""
    question = "jeg vil gerne have hjælp til at tabe mig, jeg bor i Skagen"
    outcome = run(ActionFallback(), make_tracker(question, "nlu_fallback"))
    said = outcome.said
    assert "Bor du i Frederikshavn Kommune, så kontakt kommunen" in said
    assert "km væk, i Region Midtjylland, og det er for borgere i andre kommuner." in said, said
    assert "Åbrinkhuset" not in said  # the far house's card
    assert outcome.slot(slots.HOUSE_IDS) == []  # "hvornår har de åbent?" is not about that house
    buttons = [b["payload"] for m in outcome.messages for b in m.get("buttons") or []]
    assert buttons == ["/contact_entry_point"]  # a person, not the hours of a house not shown


def test_a_regional_service_far_away_still_shows_the_nearest_house(five_regions):
    """Blood tests are regional: the nearest house is named, with the distance, and its card shown."""
    said = run(ActionFindService(), make_tracker("blodprøve i Skagen", "find_service")).said
    assert "i nærheden af Skagen" in said and "er for borgere i andre kommuner" not in said
    assert "Åbrinkhuset" in said.split("km væk", 1)[1], said  # its card follows


def test_far_in_the_same_region_gives_the_distance_without_a_region(five_regions):
    said = run(ActionFindService(), make_tracker("blodprøve i Rønne", "find_service")).said
    assert "i nærheden af Rønne" in said and "km væk:" in said and "Region" not in said.split("km væk")[0]


def test_near_is_not_called_far(five_regions):
    said = run(ActionFindService(), make_tracker("blodprøve i Fredensborg", "find_service")).said
    assert "Der er ikke et sundhedshus med blodprøver i Fredensborg. Her er de 2 nærmeste:" in said
    assert "i nærheden af" not in said and "Tættere på" not in said


# ------------------------------------------------------------------ akutpladser (staff)


def test_a_staff_question_about_an_akutplads_gets_the_akutplads_entry_point(five_regions):
    question = "hvem ringer jeg til om en akutplads?"
    asked = run(ActionEntryPoint(), make_tracker(question, "contact_entry_point"))
    assert asked.responses == ["utter_ask_place_for_contact"]
    assert asked.slot(slots.CONTACT_SERVICE) == "akutpladser"
    answer = run(
        ActionEntryPoint(),
        make_tracker("Hillerød", "inform_place", slots={slots.AWAITING: "contact_place",
                                                        slots.CONTACT_SERVICE: "akutpladser"}),
    )  # fmt: skip
    assert "Kommunale akutpladser Nord" in answer.said and "Kildebrohusets indgang" in answer.said
    assert "Akutklinik" not in answer.said


def test_an_akutplads_with_the_town_in_the_question(five_regions):
    question = "jeg er sygeplejerske, hvem ringer jeg til om en akutplads i Hillerød?"
    said = run(ActionEntryPoint(), make_tracker(question, "contact_entry_point")).said
    assert "Kommunale akutpladser Nord" in said and "Akutklinik" not in said


# ------------------------------------------------------------------ the way out's "a person" without a place


def test_a_person_without_a_known_place_asks_for_it_and_the_place_then_gets_the_entry_point(five_regions):
    form = ValidateCallbackForm()
    asked = run(form, form_tracker("callback_form", slots.CALLBACK_PHONE, "/contact_entry_point",
                                   "contact_entry_point"))  # fmt: skip
    assert "utter_ask_place_for_contact" in asked.responses
    assert asked.slot(slots.AWAITING) == "contact_place"  # remembered: the place is not a wrong phone
    place_given = run(form, form_tracker("callback_form", slots.CALLBACK_PHONE, "Hillerød", "inform_place",
                                         slots={slots.AWAITING: "contact_place"}))  # fmt: skip
    assert "Kildebrohusets indgang (testdata)" in place_given.said
    assert WAY_OUT not in place_given.said
    assert place_given.slot(slots.CALLBACK_PHONE) is None  # the form asks for the phone again
    assert place_given.slot(slots.AWAITING) is None
