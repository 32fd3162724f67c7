"""What the assistant did with one message, read from the conversation's events (Rasa's tracker).

Four outcomes, worst first: the emergency text, a form started, a service answer,
a rejection (out of scope, "Mente du ...?", or harmless chit-chat). An action
that is not known to be harmless counts as a service answer, so a new action
can only make the measurement stricter.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from typing import Any


class Outcome(str, Enum):
    EMERGENCY = "emergency"
    FORM = "form"
    SERVICE = "service"
    REJECTION = "rejection"


EMERGENCY_ACTIONS = frozenset({"action_emergency"})
# Actions that answer without offering a service: rejections, chit-chat, the help topics.
HARMLESS_ACTIONS = frozenset(
    {
        "action_listen",
        "action_session_start",
        "action_restart",
        "action_out_of_scope",
        "action_fallback",
        "action_default_fallback",
        "action_greet",
        "utter_greet",
        "utter_goodbye",
        "utter_you_are_welcome",
        "utter_iamabot",
        "utter_help_topics",
        "action_yes_no",
        "action_stop_form",
        "action_nothing_to_stop",  # asks whether a sign-up or call-back is to be undone
        "action_unlikely_intent",
    }
)


def actions_run(events: Iterable[dict[str, Any]]) -> list[str]:
    return [e["name"] for e in events if e.get("event") == "action" and e.get("name")]


def forms_started(events: Iterable[dict[str, Any]]) -> list[str]:
    return [e["name"] for e in events if e.get("event") == "active_loop" and e.get("name")]


def classify(events: list[dict[str, Any]]) -> Outcome:
    """The outcome of the last user message in `events` (the events after it)."""
    last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=-1)
    after = events[last_user + 1 :]
    actions = actions_run(after)
    if EMERGENCY_ACTIONS.intersection(actions):
        return Outcome.EMERGENCY
    if forms_started(after):
        return Outcome.FORM
    if any(a not in HARMLESS_ACTIONS for a in actions):
        return Outcome.SERVICE
    return Outcome.REJECTION


def last_intent(events: list[dict[str, Any]]) -> tuple[str | None, float | None]:
    """The intent (and its confidence) of the last user message."""
    for event in reversed(events):
        if event.get("event") == "user":
            intent = (event.get("parse_data") or {}).get("intent") or {}
            return intent.get("name"), intent.get("confidence")
    return None, None
