"""Never a dead end: "Mente du ...?" first, a person after two misunderstandings in a row.

Also the core fallback (config.yml: `core_fallback_action_name`), so a message no
rule or story covers gets the same help instead of silence.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import context, slots
from actions.entry_point import entry_point_text
from actions.houses import answer_named_house
from actions.place_given import answer_place_given
from actions.services import answer_find_service
from actions.urgent import AWAITING_URGENT_PLACE
from bot import directory, places, urgent_care, vocabulary, wording
from bot.db import session_scope
from bot.emergency import mentions_serious_condition
from bot.intent_guard import has_subject_words, wants_another_form

FALLBACK_ACTIONS = frozenset({"action_fallback", "action_default_fallback"})
# What each guessable intent means, as a button title a citizen understands.
INTENT_TITLES: dict[str, str] = wording.table("conversation.intent_titles")
MAX_GUESSES = 3
OFFER_PERSON = wording.text("contact.offer_person")
CALLBACK_BUTTON = {"title": wording.text("contact.call_me_button"), "payload": "/request_callback"}
ENTRY_POINT_BUTTON = {"title": wording.text("contact.entry_point_button"), "payload": "/contact_entry_point"}


def _misunderstood(turn: list[dict[str, Any]]) -> bool:
    """A user message and what followed it: was it not understood?"""
    user = turn[0]
    if (user.get("parse_data") or {}).get("intent", {}).get("name") == "nlu_fallback":
        return True
    return any(e.get("event") == "action" and e.get("name") in FALLBACK_ACTIONS for e in turn[1:])


def consecutive_fallbacks(tracker: Tracker) -> int:
    """How many of the latest user messages in a row were not understood (this one included)."""
    turns: list[list[dict[str, Any]]] = []
    for event in tracker.events:
        if event.get("event") == "user":
            turns.append([event])
        elif turns:
            turns[-1].append(event)
    count = 1  # the message being answered now
    for turn in reversed(turns[:-1]):
        if not _misunderstood(turn):
            break
        count += 1
    return count


def best_guesses(tracker: Tracker) -> list[str]:
    """The classifier's next guesses, less a form the words rule out (a sign-up offered as a cancellation)."""
    text = tracker.latest_message.get("text") or ""
    ranking = tracker.latest_message.get("intent_ranking") or []
    guesses = [
        item["name"]
        for item in ranking
        if item.get("name") in INTENT_TITLES and not wants_another_form(text, item.get("name"))
    ]
    return guesses[:MAX_GUESSES]


def might_be_an_emergency(tracker: Tracker) -> bool:
    """A guess of emergency with words about health (the threshold held it back), or a serious
    condition named: the person must not have to pick a button to read "112". Nonsense that the
    model happens to rank as an emergency ("øøø bbb") gets no alarm."""
    text = tracker.latest_message.get("text") or ""
    guessed = "emergency" in best_guesses(tracker) and has_subject_words(text, "emergency")
    return guessed or mentions_serious_condition(text)


def guess_payload(intent: str, entities: list[dict[str, Any]]) -> str:
    """Re-send the guess as an intent payload, keeping the words the user gave."""
    values = {e["entity"]: e["value"] for e in entities if e.get("entity") in ("service", "place")}
    return f"/{intent}{json.dumps(values, ensure_ascii=False)}" if values else f"/{intent}"


def answers_a_place_question(tracker: Tracker) -> bool:
    """A bare place ("i Lemvig") the NLU did not recognise, in answer to 'where?' or on its own.

    Asked for the town to give the urgent number, a region ("Region Midtjylland", "Fyn") answers too.
    """
    text = context.message_text(tracker)
    if not text:
        return False
    if places.resolve_place(text).found:
        return True
    if tracker.get_slot(slots.AWAITING) == AWAITING_URGENT_PLACE and (
        urgent_care.region_named_in(text) or urgent_care.regions_of_area_named_in(text)
    ):
        return True
    found = places.find_place_in_text(text)
    return bool(tracker.get_slot(slots.AWAITING)) and found is not None and found.found


def names_a_service_and_a_place(tracker: Tracker) -> bool:
    """The words name both a service and a place: where to find it is what is asked."""
    text = context.message_text(tracker)
    if not text or not vocabulary.find_service_types(text):
        return False
    found = places.find_place_in_text(text)
    return found is not None and (found.found or found.is_ambiguous)


def known_entry_point_text(tracker: Tracker) -> tuple[str, str] | None:
    """The entry point card of the house the conversation is about, and its id; None when unknown."""
    shown = tracker.get_slot(slots.HOUSE_IDS) or []
    place = context.remembered_place(tracker)
    now = datetime.now(timezone.utc)
    with session_scope() as session:
        found = directory.entry_point_for(session, house_id=shown[0]) if shown else None
        if found is None and place is not None:
            found = directory.entry_point_for(session, place=place, nearest=True)
        if found is None:
            return None
        return entry_point_text(found[0], now), found[0].id


class ActionFallback(Action):
    """Two-stage fallback: best guesses as buttons, then a person (the entry point, or a call-back)."""

    def name(self) -> str:
        return "action_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if might_be_an_emergency(tracker):  # 112 first, before any question back
            dispatcher.utter_message(text=wording.text("conversation.fallback_life_danger"))
        if answers_a_place_question(tracker):
            return answer_place_given(dispatcher, tracker)
        about_house = answer_named_house(dispatcher, tracker)  # "Hvad tilbyder Brohuset?"
        if about_house is not None:
            return about_house
        if names_a_service_and_a_place(tracker):  # "hjælp til at tabe mig, jeg bor i Skagen"
            return answer_find_service(dispatcher, tracker)
        if consecutive_fallbacks(tracker) >= 2:
            return self.offer_person(dispatcher, tracker)
        guesses = best_guesses(tracker)
        if guesses:
            entities = tracker.latest_message.get("entities") or []
            buttons = [{"title": INTENT_TITLES[g], "payload": guess_payload(g, entities)} for g in guesses]
            buttons.append(
                {"title": wording.text("conversation.something_else"), "payload": "/contact_entry_point"}
            )
            dispatcher.utter_message(response="utter_did_you_mean", buttons=buttons)
        else:
            dispatcher.utter_message(response="utter_rephrase")
        return []

    @staticmethod
    def offer_person(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        """No third guess: the entry point's contact when the house is known, else the way to it."""
        known = known_entry_point_text(tracker)
        if known is None:
            dispatcher.utter_message(text=OFFER_PERSON, buttons=[ENTRY_POINT_BUTTON, CALLBACK_BUTTON])
            return [SlotSet(slots.AWAITING, None)]
        card, house_id = known
        dispatcher.utter_message(text=wording.text("contact.offer_person_entry_point"))
        dispatcher.utter_message(text=card, buttons=[CALLBACK_BUTTON])
        return [SlotSet(slots.AWAITING, None), SlotSet(slots.HOUSE_IDS, [house_id])]
