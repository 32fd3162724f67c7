"""Where else to turn, for a message that is not for this assistant (out of scope).

What the assistant can help with (or, for illness and medicine, no advice but the way to the
doctor), the region's urgent number, and the same in English when asked in English. Used by
action_out_of_scope and by a "where do I go" with no service that the classifier nearly called
out of scope (actions/services.py).
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.urgent import conversation_region, utter_urgent_line
from bot import urgent_care, wording
from bot.language import looks_english
from bot.symptoms import is_about_illness


def say_where_else_to_turn(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    text = tracker.latest_message.get("text") or ""
    if is_about_illness(text):
        dispatcher.utter_message(response="utter_no_medical_advice")  # "jeg har ondt i halsen"
    else:
        dispatcher.utter_message(response="utter_out_of_scope")
    events = utter_urgent_line(dispatcher, tracker)
    if looks_english(text):
        number = urgent_care.for_region(conversation_region(tracker))
        if number is not None:
            urgent = f"{number.phone} ({number.region_name_en})"
        else:
            urgent = wording.text("conversation.english_urgent_unknown")
        dispatcher.utter_message(text=wording.text("conversation.english_out_of_scope", urgent=urgent))
    return events
