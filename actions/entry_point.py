"""The single entry point ("én indgang"): who to contact when a person is needed."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import context, slots
from bot import answers, directory
from bot.db import session_scope

CONTACT_BUTTONS = [{"title": "Bliv ringet op", "payload": "/request_callback"}]


def entry_point_messages(tracker: Tracker) -> tuple[list[answers.Card], list[dict[str, Any]], bool]:
    """Cards for the right entry point (by place, or the houses shown), slot events, and
    whether a place is still needed."""
    resolution = context.place_from_message(tracker)
    place = resolution.place if resolution is not None and resolution.found else None
    events: list[dict[str, Any]] = []
    if place is not None:
        events += [SlotSet(key, value) for key, value in context.place_slots(place).items()]
    else:
        place = context.remembered_place(tracker)
    shown = tracker.get_slot(slots.HOUSE_IDS) or []
    now = datetime.now(timezone.utc)
    with session_scope() as session:
        found = None
        if resolution is None and shown:
            found = directory.entry_point_for(session, house_id=shown[0])
        if found is None and place is not None:
            found = directory.entry_point_for(session, place=place, nearest=True)
        if found is None and place is None and not shown:
            found = directory.entry_point_for(session)  # a catalogue with a single house
        if found is None:
            return [], events, True
        house, _entry_point = found
        card = answers.entry_point_card(house, now)
        events.append(SlotSet(slots.HOUSE_IDS, [house.id]))
    return [card], events, False


class ActionEntryPoint(Action):
    """Give the single entry point of the right house: phone, e-mail, hours, open now."""

    def name(self) -> str:
        return "action_entry_point"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        resolution = context.place_from_message(tracker)
        if resolution is not None and resolution.is_ambiguous:
            question = context.ambiguity_question(resolution)
            dispatcher.utter_message(text=question.text, buttons=question.buttons)
            return [SlotSet(slots.AWAITING, "contact_place")]
        cards, events, needs_place = entry_point_messages(tracker)
        if needs_place:
            dispatcher.utter_message(response="utter_ask_place_for_contact")
            return events + [SlotSet(slots.AWAITING, "contact_place")]
        dispatcher.utter_message(response="utter_entry_point_intro")
        for card in cards:
            dispatcher.utter_message(text=card.text, buttons=CONTACT_BUTTONS)
        return events + [SlotSet(slots.AWAITING, None)]
