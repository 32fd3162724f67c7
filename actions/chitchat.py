"""Out of scope and low-confidence fallback."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot import wording
from bot.language import looks_english

ENGLISH_OUT_OF_SCOPE = wording.text("conversation.english_out_of_scope")


def answer_out_of_scope(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    """What the assistant can help with and where else to turn (in English too when asked in English)."""
    dispatcher.utter_message(response="utter_out_of_scope")
    if looks_english(tracker.latest_message.get("text") or ""):
        dispatcher.utter_message(text=ENGLISH_OUT_OF_SCOPE)
    return []


class ActionOutOfScope(Action):
    """Say what the assistant can help with and where else to turn (in English too when asked in English)."""

    def name(self) -> str:
        return "action_out_of_scope"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        return answer_out_of_scope(dispatcher, tracker)
