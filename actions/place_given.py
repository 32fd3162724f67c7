"""A place on its own ("i Helsingør", "3000") answers whatever the assistant asked last."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import slots
from actions.entry_point import ActionEntryPoint
from actions.services import ActionFindService, ActionHouseServices
from actions.urgent import AWAITING_URGENT_PLACE, ActionUrgentNumber

NEXT_ACTION_BY_AWAITING = {
    "contact_place": ActionEntryPoint,
    "house_place": ActionHouseServices,
    AWAITING_URGENT_PLACE: ActionUrgentNumber,
}


class ActionPlaceGiven(Action):
    """Route a bare place to the question it answers; by default, where to find the service."""

    def name(self) -> str:
        return "action_place_given"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        action_class = NEXT_ACTION_BY_AWAITING.get(tracker.get_slot(slots.AWAITING) or "", ActionFindService)
        return await action_class().run(dispatcher, tracker, domain)
