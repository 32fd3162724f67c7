"""Upcoming events, filtered by time, place and audience (listing only; registering is actions/events.py)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import context, slots
from bot import answers, events, wording

MAX_LISTED = 5
AUDIENCE_WORDS = {
    "kommune": "kommune",
    "kommuner": "kommune",
    "region": "region",
    "praksis": "praksis",
    "læger": "praksis",
    "brugerrepræsentant": "brugerrepraesentant",
    "brugerrepræsentanter": "brugerrepraesentant",
    "borger": "borger",
    "borgere": "borger",
}


def register_button(event: events.EventView) -> dict[str, str]:
    return {
        "title": wording.text("events.register_button", title=event.title),
        "payload": f'/register_event{{"event_id": "{event.id}"}}',
    }


def audience_filter(text: str) -> str | None:
    words = text.lower().replace("?", " ").split()
    for word in words:
        if word in AUDIENCE_WORDS:
            return AUDIENCE_WORDS[word]
    return None


def answer_list_events(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    """The upcoming events the message asks for, each with a registration button while it is open."""
    text = context.message_text(tracker)
    period = events.season_range(text) if text else None
    place = context.place_from_message(tracker)
    municipality = place.place.municipality if place is not None and place.found else None
    audience = audience_filter(text)
    date_from, date_to = period if period else (None, None)
    found = events.upcoming_events(
        None,
        audience=audience,
        place_municipality=municipality,
        date_from=date_from,
        date_to=date_to,
    )
    if not found:
        dispatcher.utter_message(response="utter_no_events")
        return []
    shown = found[:MAX_LISTED]
    intro = (
        wording.text("events.list.intro_many") if len(shown) > 1 else wording.text("events.list.intro_one")
    )
    dispatcher.utter_message(text=intro)
    for event in shown:
        buttons = [register_button(event)] if event.is_open_for_registration else []
        dispatcher.utter_message(text=answers.event_text(event), buttons=buttons)
    if len(found) > MAX_LISTED:
        dispatcher.utter_message(text=wording.text("events.list.more", count=len(found) - MAX_LISTED))
    # One event shown: "tilmeld mig" right after means that one.
    return [SlotSet(slots.EVENT_ID, shown[0].id if len(shown) == 1 else None)]


class ActionListEvents(Action):
    """List upcoming events, filtered by time, place and audience."""

    def name(self) -> str:
        return "action_list_events"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        return answer_list_events(dispatcher, tracker)
