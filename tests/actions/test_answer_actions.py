"""The actions that answer questions: where to go, what a house offers, whom to contact, events, chit-chat.

Each builds a tracker as Rasa sends it, runs the action against a real SQLite
database with the sample catalogue, and checks the events and what was said.
"""

from __future__ import annotations

import json
import re

import pytest
from rasa_sdk.events import SlotSet
from sqlalchemy import delete, update

from actions import slots
from actions.chitchat import ActionGreet, ActionOutOfScope
from actions.entry_point import ActionEntryPoint
from actions.event_listing import ActionListEvents
from actions.place_given import ActionPlaceGiven
from actions.services import ActionFindService, ActionHouseServices
from bot import places, wording
from bot.db import session_scope
from bot.models import House, Service
from tests.actions.support import make_tracker, run

HELSINGOER = "municipality:217"


# --- action_find_service


def test_find_service_answers_with_the_house_and_remembers_service_place_and_houses(services_db):
    outcome = run(
        ActionFindService(), make_tracker("hvor kan jeg få taget en blodprøve i Helsingør?", "find_service")
    )
    assert "Sundhedshuset i Helsingør" in outcome.said and "Prøvestenen" in outcome.said
    assert outcome.slot(slots.SERVICE_TYPE) == "blodproever"
    assert outcome.slot(slots.PLACE) == HELSINGOER and outcome.slot(slots.MUNICIPALITY) == "Helsingør"
    assert outcome.slot(slots.HOUSE_IDS) == ["helsingoer"] and outcome.slot(slots.AWAITING) is None


def test_find_service_asks_for_the_place_and_then_uses_the_remembered_key(services_db):
    asked = run(ActionFindService(), make_tracker("hvor kan jeg få taget en blodprøve?", "find_service"))
    assert asked.responses == ["utter_ask_place"] and asked.slot(slots.AWAITING) == "place"
    # Later in the conversation, the place comes from its key alone: no display name is resolved again.
    remembered = {slots.SERVICE_TYPE: "blodproever", slots.PLACE: HELSINGOER}
    outcome = run(ActionFindService(), make_tracker("hvornår har de åbent?", "ask_hours", slots=remembered))
    assert "Sundhedshuset i Helsingør" in outcome.said and outcome.slot(slots.PLACE) == HELSINGOER


def test_find_service_without_a_service_offers_the_popular_ones(services_db):
    outcome = run(ActionFindService(), make_tracker("jeg bor i Helsingør", "find_service"))
    assert outcome.responses == ["utter_ask_service"] and outcome.slot(slots.AWAITING) == "service"
    assert '/find_service{"service": "blodproever"}' in outcome.said
    assert "/contact_entry_point" in outcome.said  # a person, when what was asked is not in the list
    assert outcome.slot(slots.PLACE) == HELSINGOER


def test_a_service_the_catalogue_lacks_is_said_to_be_missing_and_a_person_offered(services_db):
    entities = [{"entity": "service", "value": "zoneterapi", "start": 13, "end": 23}]
    tracker = make_tracker("hvor er der zoneterapi i Helsingør", "find_service", entities=entities)
    outcome = run(ActionFindService(), tracker)
    assert wording.text("services.not_in_catalogue") in outcome.said
    assert "utter_ask_service" not in outcome.responses
    assert "/contact_entry_point" in outcome.said
    assert '/find_service{"service": "blodproever"}' in outcome.said
    assert outcome.slot(slots.AWAITING) == "service"


def test_find_service_without_a_service_nearly_out_of_scope_says_where_else_to_turn(services_db):
    ranking = [{"name": "find_service", "confidence": 0.56}, {"name": "out_of_scope", "confidence": 0.43}]
    text = "kan du hjælpe mig med min selvangivelse? jeg bor i Helsingør"
    outcome = run(ActionFindService(), make_tracker(text, "find_service", confidence=0.56, ranking=ranking))
    assert "utter_out_of_scope" in outcome.responses and "utter_ask_service" not in outcome.responses


def test_find_service_without_a_service_asks_for_one_when_the_runner_up_is_another_question(services_db):
    ranking = [{"name": "find_service", "confidence": 0.56}, {"name": "ask_hours", "confidence": 0.43}]
    tracker = make_tracker("jeg bor i Helsingør", "find_service", 0.56, ranking=ranking)
    outcome = run(ActionFindService(), tracker)
    assert outcome.responses == ["utter_ask_service"]


def test_find_service_asks_which_place_when_the_name_is_ambiguous_and_the_answer_differs(services_db):
    # 4000 lies in Roskilde, Høje-Taastrup and Lejre; the nearest rehabilitation differs between them.
    outcome = run(ActionFindService(), make_tracker("genoptræning i 4000", "find_service"))
    assert "findes flere steder" in outcome.said and "/inform_place" in outcome.said
    assert outcome.slot(slots.AWAITING) == "place" and slots.PLACE not in outcome.slots


def test_find_service_answers_an_ambiguous_postcode_when_every_reading_gets_the_same_house(services_db):
    # 6430 lies in Sønderborg and Kolding; both get the house in Nordborg: no question.
    outcome = run(ActionFindService(), make_tracker("blodprøve i 6430", "find_service"))
    assert "findes flere steder" not in outcome.said and "Sundhedshuset i Nordborg" in outcome.said
    assert outcome.slot(slots.PLACE) == "postcode:6430:540"


def test_find_service_nowhere_says_so(services_db):
    with session_scope() as session:  # this test's database: no house offers a midwife any more
        session.execute(delete(Service).where(Service.type == "jordemoder"))
    outcome = run(ActionFindService(), make_tracker("hvor er der en jordemoder i Nordborg?", "find_service"))
    assert outcome.responses == ["utter_service_nowhere"] and outcome.slot(slots.HOUSE_IDS) == []


def test_find_service_sends_structured_cards_to_the_widget(services_db):
    tracker = make_tracker("blodprøve i Helsingør", "find_service", channel="socketio")
    cards = [m["custom"] for m in run(ActionFindService(), tracker).messages if m.get("custom")]
    assert cards and all("text" in card for card in cards)
    assert "Sundhedshuset i Helsingør" in json.dumps(cards, ensure_ascii=False)


def test_find_service_ends_with_a_freshness_line_that_says_sample_data(services_db):
    """The sample catalogue has a `notice`: the line under the answer must not read as current, real data."""
    outcome = run(ActionFindService(), make_tracker("blodprøve i Helsingør", "find_service"))
    last = outcome.messages[-1]["text"]
    assert last.startswith("Oplysningerne er eksempeldata") and "ikke sundhedshusenes egne" in last
    assert "opdateret" not in outcome.said


def test_find_service_from_a_catalogue_without_a_notice_keeps_the_plain_freshness_line(services_db):
    with session_scope() as session:  # this test's database: the region's own information
        session.execute(update(House).values(notice=None))
    outcome = run(ActionFindService(), make_tracker("blodprøve i Helsingør", "find_service"))
    last = outcome.messages[-1]["text"]
    assert last.startswith("Oplysningerne er fra sundhedshusenes katalog, opdateret ")
    assert "eksempeldata" not in last


# --- action_house_services


def test_house_services_lists_what_the_house_offers(services_db):
    outcome = run(
        ActionHouseServices(), make_tracker("hvad tilbyder sundhedshuset i Helsingør?", "ask_house_services")
    )
    assert "Sundhedshuset i Helsingør" in outcome.said and "tilbyder" in outcome.said
    assert outcome.responses == ["utter_ask_which_service"]
    assert outcome.slot(slots.HOUSE_IDS) == ["helsingoer"] and outcome.slot(slots.PLACE) == HELSINGOER


def test_house_services_asks_for_the_place(services_db):
    outcome = run(ActionHouseServices(), make_tracker("hvad kan man i sundhedshuset?", "ask_house_services"))
    assert outcome.responses == ["utter_ask_place_for_house"]
    assert outcome.events == [SlotSet(slots.AWAITING, "house_place")]


def test_house_services_where_there_is_no_house_names_the_nearest_with_distances(services_db):
    outcome = run(
        ActionHouseServices(), make_tracker("hvad tilbyder sundhedshuset i Gentofte?", "ask_house_services")
    )
    assert outcome.responses == ["utter_no_house_at_place", "utter_catalogue_notice"]
    message, notice = outcome.messages
    assert message["place"] == "Gentofte"
    assert re.search(r"\(København Ø, ca\. \d+ km væk\)", message["nearest"])  # near: no region
    assert notice["notice"].startswith("Eksempeldata")  # the sample catalogue says so on every answer


def test_house_services_says_plainly_when_the_nearest_houses_are_far(services_db):
    # No house in North Jutland in the sample: the nearest are in other regions, hundreds of km away.
    outcome = run(
        ActionHouseServices(), make_tracker("hvad tilbyder sundhedshuset i Aalborg?", "ask_house_services")
    )
    far_text, notice = outcome.messages
    assert far_text["text"].startswith("Der er ikke et sundhedshus i Aalborg eller i nærheden.")
    assert "De nærmeste ligger langt væk" in far_text["text"]
    other_regions = r"ca\. (\d+) km væk, i Region (?:Syddanmark|Hovedstaden)"
    distances = [int(km) for km in re.findall(other_regions, far_text["text"])]
    assert len(distances) == 3 and min(distances) > 150
    assert "kommune" in far_text["text"]  # a way on, not a dead end
    assert notice["notice"].startswith("Eksempeldata")


def test_house_services_list_says_it_is_sample_data(services_db):
    outcome = run(
        ActionHouseServices(), make_tracker("hvad tilbyder sundhedshuset i Helsingør?", "ask_house_services")
    )
    listing = outcome.messages[0]["text"]
    assert "tilbyder" in listing and "Eksempeldata" in listing


@pytest.mark.parametrize(
    "text",
    [
        "jordemoder i Nordborg",
        "er der en jordemoder i Nordborg",
        "er der en jordemoder i sundhedshuset i Nordborg?",  # the service there, not the house card
    ],
)
def test_house_services_naming_one_service_answers_where_to_go_for_it(services_db, text):
    # Read as "what does the house offer" by one training: the service named decides.
    outcome = run(ActionHouseServices(), make_tracker(text, "ask_house_services"))
    assert outcome.slot(slots.SERVICE_TYPE) == "jordemoder"
    assert "Sundhedshuset i Nordborg" in outcome.said and "utter_ask_which_service" not in outcome.responses
    assert outcome.messages[-1]["text"].startswith("Oplysningerne er eksempeldata")


@pytest.mark.parametrize(
    "text",
    [
        "hvad er der ud over genoptræning i sundhedshuset i Nordborg",
        "har huset i Nordborg både læge og jordemoder",
        "hvad tilbyder sundhedshuset i Nordborg ud over lægerne",
    ],
)
def test_house_services_asked_beyond_one_service_lists_them_all(services_db, text):
    outcome = run(ActionHouseServices(), make_tracker(text, "ask_house_services"))
    assert outcome.responses == ["utter_ask_which_service"] and "tilbyder" in outcome.said


# --- action_entry_point


def test_entry_point_gives_the_contact_of_the_house_at_the_place(services_db):
    outcome = run(
        ActionEntryPoint(), make_tracker("hvem skal jeg kontakte i Helsingør?", "contact_entry_point")
    )
    assert "fælles indgang" in outcome.said and "Sundhedshuset i Helsingør" in outcome.said
    assert "example.invalid" not in outcome.said  # a placeholder is never shown as an address to write to
    assert "/request_callback" in outcome.said
    assert outcome.slot(slots.HOUSE_IDS) == ["helsingoer"] and outcome.slot(slots.PLACE) == HELSINGOER


def test_entry_point_card_says_it_is_sample_data(services_db):
    outcome = run(
        ActionEntryPoint(), make_tracker("hvem skal jeg kontakte i Helsingør?", "contact_entry_point")
    )
    card = next(m["text"] for m in outcome.messages if "Sundhedshuset i Helsingør" in (m.get("text") or ""))
    assert "Eksempeldata" in card


def test_the_nearest_house_is_named_once_with_its_town(services_db):
    # "Sundhedshuset i Nordborg" already holds its town: never "… i Nordborg i Nordborg".
    tracker = make_tracker("hvem skal jeg kontakte i Aabenraa?", "contact_entry_point")
    outcome = run(ActionEntryPoint(), tracker)
    assert "Der er ikke et sundhedshus i Aabenraa" in outcome.said
    assert "Sundhedshuset i Nordborg" in outcome.said and "i Nordborg i Nordborg" not in outcome.said


def test_the_nearest_house_for_a_place_given_earlier_says_it_is_not_in_that_town(services_db):
    """After a far answer for Skagen, "Tal med et menneske" gives the nearest entry point, said as such."""
    skagen = places.find_place_in_text("Skagen").place
    tracker = make_tracker("/contact_entry_point", "contact_entry_point", slots={slots.PLACE: skagen.key})
    outcome = run(ActionEntryPoint(), tracker)
    assert "Der er ikke et sundhedshus i Skagen. Det nærmeste er" in outcome.said, outcome.said
    assert "km væk" in outcome.said


def test_entry_point_asks_for_the_place_and_keeps_the_service_asked_about(services_db):
    outcome = run(ActionEntryPoint(), make_tracker("hvem er kontakt for akutpladser?", "contact_entry_point"))
    assert outcome.responses == ["utter_ask_place_for_contact"]
    assert outcome.slot(slots.AWAITING) == "contact_place"
    assert outcome.slot(slots.CONTACT_SERVICE) == "akutpladser"


def test_where_a_named_house_lies_gets_its_card_even_when_read_as_a_contact_question(services_db):
    # "Hvor ligger sundhedshuset i Skagen?" was contact_entry_point on model aaed8d7e02fd
    outcome = run(
        ActionEntryPoint(), make_tracker("hvor ligger sundhedshuset i Helsingør?", "contact_entry_point")
    )
    assert "Vis Sundhedshuset i Helsingør på kort" in outcome.said
    assert outcome.slot(slots.HOUSE_IDS) == ["helsingoer"]


def test_entry_point_uses_the_houses_already_shown(services_db):
    tracker = make_tracker(
        "hvem kan jeg ringe til?", "contact_entry_point", slots={slots.HOUSE_IDS: ["helsingoer"]}
    )
    outcome = run(ActionEntryPoint(), tracker)
    assert "Sundhedshuset i Helsingør" in outcome.said and "example.invalid" not in outcome.said


# --- action_place_given


def test_a_bare_place_answers_the_contact_question_asked_before(services_db):
    tracker = make_tracker(
        "Nordborg", "inform_place",
        slots={slots.AWAITING: "contact_place", slots.CONTACT_SERVICE: "akutpladser"},
    )  # fmt: skip
    outcome = run(ActionPlaceGiven(), tracker)
    assert "Sundhedshuset" in outcome.said and "akutpladser" in outcome.said.lower()
    assert outcome.slot(slots.AWAITING) is None and outcome.slot(slots.CONTACT_SERVICE) is None
    assert outcome.slot(slots.PLACE) == places.resolve_place("Nordborg").place.key


def test_a_bare_place_by_default_answers_where_to_find_the_service(services_db):
    tracker = make_tracker("i Helsingør", "inform_place", slots={slots.SERVICE_TYPE: "blodproever"})
    outcome = run(ActionPlaceGiven(), tracker)
    assert "Sundhedshuset i Helsingør" in outcome.said and outcome.slot(slots.HOUSE_IDS) == ["helsingoer"]


def test_a_bare_place_answers_the_house_question(services_db):
    tracker = make_tracker("Helsingør", "inform_place", slots={slots.AWAITING: "house_place"})
    outcome = run(ActionPlaceGiven(), tracker)
    assert outcome.responses == ["utter_ask_which_service"] and outcome.slot(slots.HOUSE_IDS) == [
        "helsingoer"
    ]


# --- action_list_events


def test_list_events_shows_upcoming_events_with_registration_buttons(services_db):
    outcome = run(ActionListEvents(), make_tracker("hvilke arrangementer er der?", "list_events"))
    assert "Dialogmøde om fælles sundhedshuse i hovedstadsregionen" in outcome.said
    assert '/register_event{"event_id": "dialogmoede-sundhedshuse-2027"}' in outcome.said
    assert outcome.slot(slots.EVENT_ID) is None  # several shown: none chosen


def test_list_events_filtered_to_one_remembers_it(services_db):
    outcome = run(
        ActionListEvents(), make_tracker("hvad sker der i sundhedshuset i Nordborg?", "list_events")
    )
    assert "Rundvisning i Sundhedshuset i Nordborg" in outcome.said
    assert "Dialogmøde om fælles" not in outcome.said
    assert outcome.slot(slots.EVENT_ID) == "rundvisning-nordborg-2027"


def test_list_events_none_found(services_db):
    outcome = run(ActionListEvents(), make_tracker("arrangementer i Aalborg?", "list_events"))
    assert outcome.responses == ["utter_no_events"] and outcome.events == []


# --- action_out_of_scope


def _said(text: str, intent: str) -> dict:
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent, "confidence": 0.99}}}


@pytest.mark.parametrize("text", ["hej hej", "Hej hej!", "hejhej", "hej så længe", "hej hej og tak"])
def test_hej_hej_after_a_conversation_is_goodbye(text):
    earlier = [_said("blodprøve i Helsingør", "find_service"), {"event": "bot", "text": "..."}]
    outcome = run(ActionGreet(), make_tracker(text, "greet", events=earlier))
    assert outcome.responses == ["utter_goodbye"]


@pytest.mark.parametrize(
    ("text", "earlier"),
    [
        ("hej hej", []),  # the first words: hello
        ("hej hej", [_said("hej", "greet")]),  # only hellos so far
        ("hej med dig", [_said("blodprøve i Helsingør", "find_service")]),  # a hello, whenever
        ("hej hej", [_said("blodprøve i Helsingør", "find_service"), {"event": "session_started"}]),
    ],
)
def test_hello_stays_hello(text, earlier):
    outcome = run(ActionGreet(), make_tracker(text, "greet", events=earlier))
    assert outcome.responses == ["utter_greet"]


def test_out_of_scope_in_danish():
    outcome = run(ActionOutOfScope(), make_tracker("hvad bliver vejret i morgen?", "out_of_scope"))
    # Where else to turn, and the urgent line: no region known yet, so it asks for the town.
    assert outcome.responses == ["utter_out_of_scope", "utter_urgent_line_ask_place"]
    assert outcome.slot(slots.AWAITING) == "urgent_place"


@pytest.mark.parametrize(
    "text",
    ["jeg har ondt i halsen", "mit barn har feber og hoster", "hvad er bedst mod forkølelse",
     "kan jeg tage hovedpinepiller sammen med alkohol", "min hals er helt rød og øm"],
)  # fmt: skip
def test_illness_out_of_scope_is_sent_to_the_doctor_without_advice(text):
    outcome = run(ActionOutOfScope(), make_tracker(text, "out_of_scope"))
    assert outcome.responses == ["utter_no_medical_advice", "utter_urgent_line_ask_place"]


def test_out_of_scope_in_english_also_answers_in_english():
    outcome = run(ActionOutOfScope(), make_tracker("what is the weather like tomorrow?", "out_of_scope"))
    assert outcome.responses == ["utter_out_of_scope", "utter_urgent_line_ask_place"]
    assert "112" in outcome.said and "I can only help" in outcome.said
