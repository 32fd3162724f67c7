"""The urgent-help actions, run as the action server runs them, on a real database with the sample
catalogue: 112 first, the region from the message, the remembered place or the houses shown; the crisis
reply; the answer to "which town?"."""

from __future__ import annotations

import asyncio
from typing import Any

import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import slots
from actions.urgent import AWAITING_URGENT_PLACE, ActionEmergency, ActionUrgentNumber
from bot import settings, urgent_care

NUMBERS = {number.region: number.phone for number in urgent_care.all_numbers()}


def tracker(
    text: str, intent: str, slot_values: dict[str, Any] | None = None, loop: str | None = None
) -> Tracker:
    latest = {"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": []}
    return Tracker(
        sender_id="test",
        slots=dict(slot_values or {}),
        latest_message=latest,
        events=[{"event": "user", "text": text, "parse_data": latest, "input_channel": "rest"}],
        paused=False,
        followup_action=None,
        active_loop={"name": loop} if loop else {},
        latest_action_name="action_listen",
    )


def run(action: Action, tracker: Tracker) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    domain = yaml.safe_load((settings.PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    events = asyncio.run(action.run(dispatcher, tracker, domain))
    return events, dispatcher.messages


def numbers_in(messages: list[dict[str, Any]]) -> set[str]:
    said = " ".join(str(value) for message in messages for value in message.values())
    return {region for region, phone in NUMBERS.items() if phone in said}


def awaiting(events: list[dict[str, Any]]) -> Any:
    return next((e["value"] for e in events if e.get("name") == slots.AWAITING), "<not set>")


def test_the_town_in_the_message_decides(sample_database_url):
    _, messages = run(ActionEmergency(), tracker("min mand har ondt i brystet, vi bor i Odense", "emergency"))
    assert [m["response"] for m in messages] == ["utter_emergency"]
    assert numbers_in(messages) == {"Syddanmark"}


def test_the_place_given_earlier_decides(sample_database_url):
    remembered = {slots.PLACE: "Aalborg", slots.MUNICIPALITY: "Aalborg"}
    _, messages = run(ActionEmergency(), tracker("hun er bevidstløs", "emergency", remembered))
    assert numbers_in(messages) == {"Nordjylland"}


def test_the_houses_shown_decide_when_no_place_is_known(sample_database_url):
    shown = {slots.HOUSE_IDS: ["nordborg"]}
    _, messages = run(ActionEmergency(), tracker("hun er bevidstløs", "emergency", shown))
    assert numbers_in(messages) == {"Syddanmark"}


def test_without_a_region_it_asks_for_the_town(sample_database_url):
    events, messages = run(ActionEmergency(), tracker("jeg har ondt i brystet", "emergency"))
    assert [m["response"] for m in messages] == ["utter_emergency_ask_place"]
    assert numbers_in(messages) == set() and awaiting(events) == AWAITING_URGENT_PLACE


def test_inside_a_form_it_lists_the_regions_instead_of_asking(sample_database_url):
    in_form = tracker("jeg har ondt i brystet", "emergency", loop="callback_form")
    events, messages = run(ActionEmergency(), in_form)
    assert [m["response"] for m in messages] == ["utter_emergency_all_regions"]
    assert numbers_in(messages) == set(NUMBERS) and awaiting(events) == "<not set>"


def test_a_crisis_gets_livslinien_and_is_asked_nothing(sample_database_url):
    events, messages = run(ActionEmergency(), tracker("jeg orker ikke mere", "emergency"))
    assert [m["response"] for m in messages] == ["utter_crisis_all_regions"]
    assert messages[0]["helpline_phone"] == "70 201 201" and awaiting(events) == "<not set>"
    roskilde = tracker("jeg vil ikke leve længere, jeg bor i Roskilde", "emergency")
    _, in_roskilde = run(ActionEmergency(), roskilde)
    assert [m["response"] for m in in_roskilde] == ["utter_crisis"]
    assert numbers_in(in_roskilde) == {"Sjælland"}


def test_the_town_answers_the_question(sample_database_url):
    asked = {slots.AWAITING: AWAITING_URGENT_PLACE}
    events, messages = run(ActionUrgentNumber(), tracker("Aalborg", "inform_place", asked))
    assert [m["response"] for m in messages] == ["utter_urgent_number"]
    assert numbers_in(messages) == {"Nordjylland"} and awaiting(events) is None


def test_every_response_the_actions_use_exists_with_its_parameters() -> None:
    domain = yaml.safe_load((settings.PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    responses = domain["responses"]
    for name in ("utter_emergency", "utter_urgent_number", "utter_urgent_line", "utter_crisis"):
        text = responses[name][0]["text"]
        assert "{urgent_phone}" in text and "1813" not in text, name
    for name in (
        "utter_emergency_ask_place",
        "utter_urgent_line_ask_place",
        "utter_emergency_all_regions",
        "utter_out_of_scope",
        "utter_no_medical_advice",
        "utter_crisis_all_regions",
    ):
        assert "1813" not in responses[name][0]["text"], name
