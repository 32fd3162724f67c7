"""Out of scope and low-confidence fallback."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.urgent import conversation_region, utter_urgent_line
from bot import urgent_care
from bot.language import looks_english

ENGLISH_OUT_OF_SCOPE = (
    "I can only help in Danish with questions about the health houses (sundhedshuse): "
    "where to go for blood tests, rehabilitation, a midwife and more. "
    "For other health questions see sundhed.dk or borger.dk; in an emergency call 112, "
    "and for urgent help outside your doctor's hours call {urgent}."
)
ENGLISH_URGENT_UNKNOWN = (
    "the out-of-hours number of your region (write your town, and I will give you the number)"
)


class ActionOutOfScope(Action):
    """Say what the assistant can help with and where else to turn (in English too when asked in English)."""

    def name(self) -> str:
        return "action_out_of_scope"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(response="utter_out_of_scope")
        events = utter_urgent_line(dispatcher, tracker)
        if looks_english(tracker.latest_message.get("text") or ""):
            number = urgent_care.for_region(conversation_region(tracker))
            urgent = f"{number.phone} ({number.region_name_en})" if number else ENGLISH_URGENT_UNKNOWN
            dispatcher.utter_message(text=ENGLISH_OUT_OF_SCOPE.format(urgent=urgent))
        return events
