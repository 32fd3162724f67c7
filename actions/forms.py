"""What every form shares: a question or an emergency in the middle is answered, then the form resumes.

Free-text slots take any message, so the validation action checks first whether
the message was really an answer. An emergency gets 112 and the region's urgent number; a clear question
(asked as a question, and recognised as one by the NLU) is answered by the action
that normally answers it; in both cases the slot is left empty and asked again.
"""

from __future__ import annotations

import re
from abc import abstractmethod
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import slots
from actions.urgent import utter_urgent_help
from bot.emergency import is_emergency

QUESTION_START = re.compile(
    r"^\s*(hvor|hvad|hvornår|hvordan|hvem|hvilke|hvilken|hvilket|kan|skal|er der|må|har)\b", re.IGNORECASE
)
MIN_QUESTION_CONFIDENCE = 0.7


def looks_like_question(text: str) -> bool:
    return text.rstrip().endswith("?") or bool(QUESTION_START.match(text))


def answering_action(intent: str | None) -> Action | None:
    """The action that answers a question of this intent outside a form."""
    from actions.entry_point import ActionEntryPoint
    from actions.events import ActionListEvents
    from actions.services import ActionFindService, ActionHouseServices

    by_intent: dict[str, type[Action]] = {
        "find_service": ActionFindService,
        "ask_hours": ActionFindService,
        "ask_referral": ActionFindService,
        "ask_booking": ActionFindService,
        "ask_house_services": ActionHouseServices,
        "list_events": ActionListEvents,
        "contact_entry_point": ActionEntryPoint,
    }
    action_class = by_intent.get(intent or "")
    return action_class() if action_class else None


async def answer_interruption(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
) -> list[dict[str, Any]] | None:
    """Answer an emergency or a question given instead of the asked value; None when it is an answer."""
    text = (tracker.latest_message.get("text") or "").strip()
    if text.startswith("/"):
        return None
    if is_emergency(text):
        utter_urgent_help(dispatcher, tracker, may_ask=False)
        return []
    intent = tracker.latest_message.get("intent") or {}
    if not looks_like_question(text) or (intent.get("confidence") or 0) < MIN_QUESTION_CONFIDENCE:
        return None
    if intent.get("name") == "bot_challenge":
        dispatcher.utter_message(response="utter_iamabot")
        return []
    action = answering_action(intent.get("name"))
    if action is None:
        return None
    events = await action.run(dispatcher, tracker, domain)
    # Keep what the answer learnt (service, place) but not its questions to the user.
    return [e for e in events if e.get("event") == "slot" and e.get("name") != slots.AWAITING]


class InterruptibleFormValidation(FormValidationAction):
    """Base for form validation actions: interruptions first, then the usual `validate_<slot>`."""

    @abstractmethod
    def name(self) -> str:
        """Abstract, so rasa-sdk never registers the base class as an action."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        handled = await answer_interruption(dispatcher, tracker, domain)
        if handled is None:
            return await super().run(dispatcher, tracker, domain)
        requested = tracker.get_slot(slots.REQUESTED_SLOT)
        return handled + ([SlotSet(requested, None)] if requested else [])
