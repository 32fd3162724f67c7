"""Who answers a question of each intent: plain functions, shared by the actions and by the forms.

An answerer writes its answer to the dispatcher and returns the events it learnt
(service, place, the houses shown, what it asked). The actions' `run()` call them,
and so does the one form-interruption policy (actions/forms.py) when a question
comes in the middle of a form. No action calls another action's `run()`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.chitchat import answer_out_of_scope
from actions.entry_point import answer_entry_point
from actions.event_listing import answer_list_events
from actions.services import answer_find_service, answer_house_services

Answerer = Callable[[CollectingDispatcher, Tracker], list[dict[str, Any]]]


def answer_emergency(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    """112 when life may be in danger, 1813 when it is urgent; no medical advice."""
    dispatcher.utter_message(response="utter_emergency")
    return []


def answer_bot_challenge(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    dispatcher.utter_message(response="utter_iamabot")
    return []


BY_INTENT: dict[str, Answerer] = {
    "find_service": answer_find_service,
    "ask_hours": answer_find_service,
    "ask_referral": answer_find_service,
    "ask_booking": answer_find_service,
    "ask_house_services": answer_house_services,
    "contact_entry_point": answer_entry_point,
    "list_events": answer_list_events,
    "out_of_scope": answer_out_of_scope,
    "bot_challenge": answer_bot_challenge,
    "emergency": answer_emergency,
}


def answerer_for(intent: str | None) -> Answerer | None:
    """The function that answers a question of this intent; None for intents that are no question."""
    return BY_INTENT.get(intent or "")
