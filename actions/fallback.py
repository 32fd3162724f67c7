"""Never a dead end: "Mente du ...?" first, a person after two misunderstandings in a row."""

from __future__ import annotations

import json
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import slots

# What each guessable intent means, as a button title a citizen understands.
INTENT_TITLES: dict[str, str] = {
    "find_service": "Finde et sted, fx blodprøver eller genoptræning",
    "ask_hours": "Åbningstider",
    "ask_referral": "Om jeg skal have en henvisning",
    "ask_booking": "Hvordan jeg bestiller tid",
    "ask_house_services": "Hvad et sundhedshus tilbyder",
    "contact_entry_point": "Tale med et menneske",
    "request_callback": "Blive ringet op",
    "list_events": "Arrangementer",
    "register_event": "Tilmelding til et arrangement",
    "cancel_registration": "Afmelding fra et arrangement",
    "emergency": "Akut hjælp",
}
MAX_GUESSES = 3


def consecutive_fallbacks(tracker: Tracker) -> int:
    """How many of the latest user messages in a row were not understood (this one included)."""
    count = 0
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        intent = (event.get("parse_data") or {}).get("intent", {}).get("name")
        if intent != "nlu_fallback":
            break
        count += 1
    return count


def best_guesses(tracker: Tracker) -> list[str]:
    ranking = tracker.latest_message.get("intent_ranking") or []
    guesses = [item["name"] for item in ranking if item.get("name") in INTENT_TITLES]
    return guesses[:MAX_GUESSES]


def guess_payload(intent: str, entities: list[dict[str, Any]]) -> str:
    """Re-send the guess as an intent payload, keeping the words the user gave."""
    values = {e["entity"]: e["value"] for e in entities if e.get("entity") in ("service", "place")}
    return f"/{intent}{json.dumps(values, ensure_ascii=False)}" if values else f"/{intent}"


class ActionFallback(Action):
    """Two-stage fallback: best guesses as buttons, then the single entry point."""

    def name(self) -> str:
        return "action_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if consecutive_fallbacks(tracker) >= 2:
            dispatcher.utter_message(response="utter_fallback_offer_person")
            return [SlotSet(slots.AWAITING, None)]
        guesses = best_guesses(tracker)
        if guesses:
            entities = tracker.latest_message.get("entities") or []
            buttons = [{"title": INTENT_TITLES[g], "payload": guess_payload(g, entities)} for g in guesses]
            buttons.append({"title": "Noget andet", "payload": "/contact_entry_point"})
            dispatcher.utter_message(response="utter_did_you_mean", buttons=buttons)
        else:
            dispatcher.utter_message(response="utter_rephrase")
        return []
