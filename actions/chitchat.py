"""Hello (or goodbye), out of scope and low-confidence fallback."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import context
from actions.elsewhere import say_where_else_to_turn
from actions.houses import answer_named_house
from actions.services import answer_find_service
from bot import catalogue_names
from bot.db import session_scope
from bot.language import says_hej_hej


def answer_out_of_scope(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    """What the assistant can help with and where else to turn (in English too when asked in English).

    A question about a house named by its name ("Hvad er adressen på Brohuset?") is answered instead,
    and so is one naming a local service of the catalogue ("vandgymnastik i Odense"): the model never
    learnt those names (they are resolved at answer time), so it may call them out of scope.
    Illness or medicine ("jeg har ondt i halsen") gets no advice but the way to the doctor.
    """
    about_house = answer_named_house(dispatcher, tracker)
    if about_house is not None:
        return about_house
    if _names_a_local_service(tracker):
        return answer_find_service(dispatcher, tracker)
    return say_where_else_to_turn(dispatcher, tracker)


def _names_a_local_service(tracker: Tracker) -> bool:
    text = context.message_text(tracker)
    if not text:
        return False
    with session_scope() as session:
        return catalogue_names.find_local_service(session, text) is not None


class ActionOutOfScope(Action):
    """Say what the assistant can help with and where else to turn (in English too when asked in English)."""

    def name(self) -> str:
        return "action_out_of_scope"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        return answer_out_of_scope(dispatcher, tracker)


def talked_before(tracker: Tracker) -> bool:
    """True when an earlier message of this session was more than a hello."""
    for event in reversed(tracker.events[:-1]):
        kind = event.get("event")
        if kind in {"session_started", "restart"}:
            return False
        if kind == "user" and ((event.get("parse_data") or {}).get("intent") or {}).get("name") != "greet":
            return True
    return False


class ActionGreet(Action):
    """Hello; but "hej hej" after a conversation is goodbye, as Danes use it."""

    def name(self) -> str:
        return "action_greet"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        text = tracker.latest_message.get("text") or ""
        farewell = says_hej_hej(text) and talked_before(tracker)
        dispatcher.utter_message(response="utter_goodbye" if farewell else "utter_greet")
        return []
