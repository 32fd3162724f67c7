"""A place on its own ("i Helsingør", "3000") answers whatever the assistant asked last."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import slots
from actions.answerers import Answerer
from actions.entry_point import answer_entry_point
from actions.services import answer_find_service, answer_house_services

ANSWERER_BY_AWAITING: dict[str, Answerer] = {
    "contact_place": answer_entry_point,
    "house_place": answer_house_services,
}


def answer_place_given(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    """Answer the question the place was asked for; by default, where to find the service."""
    answerer = ANSWERER_BY_AWAITING.get(tracker.get_slot(slots.AWAITING) or "", answer_find_service)
    return answerer(dispatcher, tracker)


class ActionPlaceGiven(Action):
    """Route a bare place to the question it answers."""

    def name(self) -> str:
        return "action_place_given"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        return answer_place_given(dispatcher, tracker)
