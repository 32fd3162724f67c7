"""Build a tracker, run an action, read what it said: the style of rasa-sdk's own action tests."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.settings import PROJECT_ROOT


@lru_cache(maxsize=1)
def domain() -> dict[str, Any]:
    """The real domain.yml, as the action server receives it (slots, forms, responses)."""
    return yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))


def make_tracker(
    text: str = "",
    intent: str | None = None,
    confidence: float = 0.95,
    entities: list[dict[str, Any]] | None = None,
    slots: dict[str, Any] | None = None,
    active_loop: str | None = None,
    events: list[dict[str, Any]] | None = None,
    channel: str = "rest",
    ranking: list[dict[str, Any]] | None = None,
    sender: str = "test-sender",
) -> Tracker:
    """A tracker right after the user wrote `text`; `events` are those before it (e.g. earlier turns)."""
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": confidence} if intent else {},
        "entities": entities or [],
        "intent_ranking": ranking or ([{"name": intent, "confidence": confidence}] if intent else []),
    }
    user_event = {"event": "user", "text": text, "parse_data": latest, "input_channel": channel}
    return Tracker(
        sender_id=sender,
        slots=dict(slots or {}),
        latest_message=latest,
        events=[*(events or []), user_event],
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


def form_tracker(
    form: str,
    requested: str,
    text: str,
    intent: str,
    confidence: float = 0.95,
    slots: dict[str, Any] | None = None,
    extracted: dict[str, Any] | None = None,
) -> Tracker:
    """A form asked for `requested`; the user answered `text`. `extracted` are the values Rasa's
    slot mappings took from the message (a from_text slot), set after the message as Rasa does."""
    values = {**(slots or {}), "requested_slot": requested, **(extracted or {})}
    tracker = make_tracker(text, intent, confidence, slots=values, active_loop=form)
    tracker.events.extend(SlotSet(name, value) for name, value in (extracted or {}).items())
    return tracker


@dataclass
class Outcome:
    events: list[dict[str, Any]]
    messages: list[dict[str, Any]]

    @property
    def responses(self) -> list[str]:
        """The names of the domain responses uttered, in order."""
        return [m["response"] for m in self.messages if m.get("response")]

    @property
    def said(self) -> str:
        """Everything the user would read or could press: texts, responses' names and values, buttons."""
        parts: list[str] = []
        for message in self.messages:
            for key, value in message.items():
                if key == "buttons":
                    parts += [f"[{b.get('title')}] {b.get('payload')}" for b in value or []]
                elif key == "custom" and value:
                    parts.append(json.dumps(value, ensure_ascii=False))
                elif value and isinstance(value, str | int | float):
                    parts.append(str(value))
        return "\n".join(parts)

    def slot(self, name: str, default: Any = "<not set>") -> Any:
        """The last value this action set for slot `name`."""
        values = [e["value"] for e in self.events if e.get("event") == "slot" and e.get("name") == name]
        return values[-1] if values else default

    @property
    def slots(self) -> dict[str, Any]:
        return {e["name"]: e["value"] for e in self.events if e.get("event") == "slot"}


def run(action: Action, tracker: Tracker) -> Outcome:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, domain()))
    return Outcome(events=list(events), messages=dispatcher.messages)
