"""The one policy every form follows when the user says something other than the answer.

All four forms (registration_form, cancellation_form, callback_form, withdraw_form)
validate with a subclass of `InterruptibleFormValidation`, which looks at each
message before the form's own extract_/validate_ methods:

1. "stop"/"annuller" (intent `stop`; the call-back form also `withdraw_callback`):
   the validation returns nothing, so Rasa rejects the form and the stop rule of
   that form (data/rules/) runs `action_stop_form`: the form ends, nothing is stored.
2. An emergency (the words of one, or an NLU sure of one in a message that is not
   just a name or a number): 112 and the region's urgent number, and the form asks its question again.
3. A question, asked as one and recognised by the NLU, that an answerer answers
   (actions/answerers.py): it is answered and the form asks its question again, unless
   the message has the shape of the answer the form asked for (`takes_as_answer`:
   a name when a name was asked, a number when a phone number was asked, ...).
4. Anything else is the answer.
5. The way out: when the form rejects the answer to the same question twice in a row
   (counted from the conversation's events by `rejected_in_a_row`: answers to that question
   since the form started that left it empty; an accepted answer starts the count again),
   the assistant offers a person (the house's entry point; for events also
   the organiser), another try, or stopping, as buttons; from then on with every rejection,
   so no question is asked a third time without the offer. The buttons send `/contact_entry_point`
   (answered here, then the question again), "Prøv igen" (the question again) and `/stop`.
There are no rules per question and no action calls another action's `run()`.
"""

from __future__ import annotations

import copy
import re
from abc import abstractmethod
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import context, slots
from actions.answerers import Answerer, answer_emergency, answerer_for
from actions.entry_point import AWAITING_CONTACT_PLACE, answer_entry_point
from bot import wording
from bot.emergency import is_emergency
from bot.events import get_event
from bot.intent_guard import NOT_UNDERSTOOD
from bot.language import is_stop_request, names_a_call_back, names_a_sign_up

QUESTION_START = re.compile(
    r"^\s*(hvor|hvad|hvornår|hvordan|hvem|hvilke|hvilken|hvilket|kan|skal|er der|må|har)\b", re.IGNORECASE
)
MIN_QUESTION_CONFIDENCE = 0.7  # below it, a message that looks like a question is taken as the answer
EMERGENCY_CONFIDENCE = 0.7  # below it, a name or a number the NLU calls "emergency" is just that
# Words no name is made of: a message with one of them is a question or an instruction.
NOT_NAME_WORDS = frozenset({
    "hvem", "hvad", "hvor", "hvordan", "hvornår", "hvilke", "hvilken", "jeg", "du", "skal", "kan", "vil",
    "er", "har", "det", "den", "en", "et", "i", "på", "med", "til", "om", "mig", "min", "mit", "ikke",
    "annuller", "annullér", "stop", "afbryd", "fortryd", "glem", "drop", "nej", "ja", "tak", "hej",
    # yes, no and hello answered to "Hvad er dit navn?" ("jajamen" was once saved as a name)
    "jajamen", "jep", "jeps", "jepper", "ok", "okay", "javel", "nix", "nope", "næ", "nå", "hejsa",
    "goddag", "farvel", "ingen", "intet",
})  # fmt: skip
FAILURES_BEFORE_WAY_OUT = 2  # rejected answers in a row to one question before the way out is offered
# Slots that hold what an answer asked the user; a question answered mid-form asks nothing.
QUESTION_STATE_SLOTS = frozenset({slots.AWAITING, slots.CONTACT_SERVICE})
# Answers in the person's own words: a stop word in them may belong to the answer.
FREE_TEXT_SLOTS = frozenset({slots.CALLBACK_TOPIC, slots.REG_ORGANISATION, slots.REG_ROLE, slots.REG_NOTE})
STOP_FROM_WORDS_MAX_WORDS = 6


def latest_text(tracker: Tracker) -> str:
    return (tracker.latest_message.get("text") or "").strip()


def stop_read_from_words(tracker: Tracker) -> bool:
    """True when `stop` came from the stop words alone: the classifier did not understand the message
    (StopGuard leaves "nlu_fallback" second in the ranking; the classifier's own stop has no fallback)."""
    ranking = tracker.latest_message.get("intent_ranking") or []
    return len(ranking) > 1 and ranking[1].get("name") == NOT_UNDERSTOOD


def latest_intent(tracker: Tracker) -> tuple[str, float]:
    intent = tracker.latest_message.get("intent") or {}
    return intent.get("name") or "", float(intent.get("confidence") or 0.0)


def looks_like_question(text: str) -> bool:
    return text.rstrip().endswith("?") or bool(QUESTION_START.match(text))


def looks_like_a_name(text: str) -> bool:
    """One to four words of letters, none of them the small words questions are made of."""
    words = text.replace("-", " ").replace(".", " ").replace("'", " ").split()
    return (
        0 < len(words) <= 4
        and all(word.isalpha() for word in words)
        and not any(word.lower() in NOT_NAME_WORDS for word in words)
    )


def has_digits(text: str) -> bool:
    return any(character.isdigit() for character in text)


def is_retry(text: str) -> bool:
    """The "Prøv igen" button of the way-out offer (its payload is its title)."""
    return text.strip().lower() == wording.text("forms.buttons.retry").lower()


def tracker_at(tracker: Tracker, user_event: dict[str, Any]) -> Tracker:
    """The tracker as it was when the user wrote `user_event` (as far as the policy looks at it)."""
    return Tracker(
        tracker.sender_id, tracker.slots, user_event.get("parse_data") or {"text": user_event.get("text")},
        [], False, None, tracker.active_loop, "action_listen",
    )  # fmt: skip


def was_rejected(requested: str, events: list[dict[str, Any]]) -> bool:
    """True when validation emptied the asked slot and accepted nothing else (a rejected answer)."""
    not_answers = (slots.REQUESTED_SLOT,)
    values = {
        event.get("name"): event.get("value")
        for event in events
        if event.get("event") == "slot" and event.get("name") not in not_answers
    }
    return requested in values and all(value is None for value in values.values())


def without_emptied_candidates(tracker: Tracker) -> Tracker:
    """The tracker without the empty slot candidates at the end of its events.

    rasa-sdk validates every slot set since the user's message (its trailing slot events). When a
    form starts, those are what the start action preset, mostly emptied slots; an emptied slot is not
    an answer, and validating it would say "Du har ikke skrevet ..." before the first question.
    """
    events = list(tracker.events)
    trailing = 0
    while trailing < len(events) and events[-1 - trailing].get("event") == "slot":
        trailing += 1
    candidates = events[len(events) - trailing :]
    kept = [event for event in candidates if event.get("value") is not None]
    starting = copy.copy(tracker)  # shares the slots, which the validation updates as it goes
    starting.events = events[: len(events) - trailing] + kept
    return starting


def is_emergency_message(tracker: Tracker) -> bool:
    """The words of an emergency (bot.emergency), or an NLU sure of one in what is not a name or a number."""
    text = latest_text(tracker)
    if is_emergency(text):
        return True
    intent, confidence = latest_intent(tracker)
    sure = intent == "emergency" and confidence >= EMERGENCY_CONFIDENCE
    return sure and not looks_like_a_name(text) and not has_digits(text)


def names_a_place(tracker: Tracker) -> bool:
    found = context.place_from_message(tracker)
    return found is not None and (found.found or found.is_ambiguous)


def gives_the_asked_place(tracker: Tracker) -> bool:
    """The place the way out's "a person" asked for (no place was known), given in the form."""
    return tracker.get_slot(slots.AWAITING) == AWAITING_CONTACT_PLACE and names_a_place(tracker)


def question_intent(tracker: Tracker) -> str | None:
    """The intent of a question the message asks (and an answerer answers); None when it asks none."""
    intent, confidence = latest_intent(tracker)
    if not looks_like_question(latest_text(tracker)) or confidence < MIN_QUESTION_CONFIDENCE:
        return None
    return intent if answerer_for(intent) is not None else None


class InterruptibleFormValidation(FormValidationAction):
    """Base of every form's validation action: the interruption policy first, then `validate_<slot>`."""

    # Intents that end the form (through its stop rule) instead of answering the question.
    ending_intents: frozenset[str] = frozenset({"stop"})

    @abstractmethod
    def name(self) -> str:
        """Abstract, so rasa-sdk never registers the base class as an action."""

    def ends_the_form(self, tracker: Tracker) -> bool:
        intent, _ = latest_intent(tracker)
        if intent == "stop":  # only with a stop word: a name misread as "stop" is still the name
            text = latest_text(tracker)
            if not is_stop_request(text):
                return False
            # A free-text answer may hold a stop word ("mødet afsluttes kl. 15"): read from the words
            # alone, only a short message stops there ("jeg giver op").
            long_answer = len(text.split()) > STOP_FROM_WORDS_MAX_WORDS
            free_text = tracker.get_slot(slots.REQUESTED_SLOT) in FREE_TEXT_SLOTS
            return not (free_text and long_answer and stop_read_from_words(tracker))
        return intent in self.ending_intents

    def takes_as_answer(self, slot: str, tracker: Tracker) -> bool:
        """True when the message has the shape of an answer for `slot`, even if it reads as a question."""
        return False

    def organiser_contact(self, tracker: Tracker) -> str | None:
        """Who organises what the form is about (the event forms say it); None when nobody in particular."""
        return None

    def offer_way_out(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        """A person, another try, or stopping: said before the form asks its question again."""
        lines = [wording.text("forms.way_out")]
        organiser = self.organiser_contact(tracker)
        if organiser:
            lines.append(wording.text("forms.organiser", contact=organiser))
        retry = wording.text("forms.buttons.retry")
        dispatcher.utter_message(
            text="\n".join(lines),
            buttons=[
                {"title": wording.text("forms.buttons.person"), "payload": "/contact_entry_point"},
                {"title": retry, "payload": retry},
                {"title": wording.text("forms.buttons.stop"), "payload": "/stop"},
            ],
        )

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        if tracker.get_slot(slots.REQUESTED_SLOT) is None:  # starting: only preset values are validated
            tracker = without_emptied_candidates(tracker)
        return await super().get_validation_events(dispatcher, tracker, domain)

    def is_an_answer(self, requested: str, tracker: Tracker) -> bool:
        """True when the policy takes the latest message as the answer (not a button, a stop, an
        emergency, "Prøv igen" or a question it answers)."""
        text = latest_text(tracker)
        if (
            text.startswith("/")
            or self.ends_the_form(tracker)
            or is_emergency_message(tracker)
            or is_retry(text)
        ):
            return False
        return answerer_for(question_intent(tracker)) is None or self.takes_as_answer(requested, tracker)

    def rejected_in_a_row(self, tracker: Tracker, requested: str) -> int:
        """Earlier answers to `requested` this form rejected, in a row, read back from the events.

        Each earlier user message is judged by this same policy; an answer counts when the asked
        slot was still empty at the next message. An accepted answer, another question asked by
        the form, or the form (re)starting sets the count back to 0.
        """
        events = tracker.events
        latest = max((i for i, event in enumerate(events) if event.get("event") == "user"), default=0)
        count, asked, pending = 0, None, False
        values: dict[str, Any] = {}

        def settle() -> None:
            nonlocal count, pending
            if pending:
                count = count + 1 if values.get(requested) is None else 0
            pending = False

        for event in events[:latest]:
            kind = event.get("event")
            awaiting_place = values.get(slots.AWAITING) == AWAITING_CONTACT_PLACE
            if kind == "active_loop":
                settle()
                count, asked = 0, None
            elif kind == "slot" and event.get("name") == slots.REQUESTED_SLOT:
                if event.get("value") != asked:
                    settle()
                    count, asked = 0, event.get("value")
            elif kind == "slot":
                values[event.get("name")] = event.get("value")
            elif kind == "user":
                settle()
                if asked == requested:
                    earlier = tracker_at(tracker, event)
                    pending = self.is_an_answer(requested, earlier) and not (
                        awaiting_place and names_a_place(earlier)
                    )
        settle()
        return count

    async def answer_the_form(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict, requested: str
    ) -> list[dict[str, Any]]:
        """The form's own extract_/validate_ methods; the way out after the second rejection in a row."""
        events = await super().run(dispatcher, tracker, domain)
        if tracker.get_slot(slots.AWAITING) == AWAITING_CONTACT_PLACE:
            events.append(SlotSet(slots.AWAITING, None))  # answered the form instead of the place
        if (
            was_rejected(requested, events)
            and self.rejected_in_a_row(tracker, requested) + 1 >= FAILURES_BEFORE_WAY_OUT
        ):
            self.offer_way_out(dispatcher, tracker)
        return events

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        requested = tracker.get_slot(slots.REQUESTED_SLOT)
        if requested is None:  # starting
            return await super().run(dispatcher, tracker, domain)
        if latest_text(tracker).startswith("/"):  # a button
            intent, _ = latest_intent(tracker)
            if intent in self.ending_intents:  # the way out's "Stop" (a slot mapping may not take it)
                return []
            if intent == "contact_entry_point":  # the way out's "a person"
                return self.answer_question(answer_entry_point, dispatcher, tracker, requested)
            return await super().run(dispatcher, tracker, domain)
        if self.ends_the_form(tracker):
            return []  # nothing extracted: Rasa rejects the form and its stop rule ends it
        if is_emergency_message(tracker):
            answer_emergency(dispatcher, tracker)
            return [SlotSet(requested, None)]
        if is_retry(latest_text(tracker)):  # the way out's "another try": the question again
            return [SlotSet(requested, None)]
        if gives_the_asked_place(tracker):  # "a person" asked where: the entry point, then the question
            events = self.answer_question(answer_entry_point, dispatcher, tracker, requested)
            if not any(event.get("name") == slots.AWAITING for event in events):
                events += [SlotSet(slots.AWAITING, None), SlotSet(slots.CONTACT_SERVICE, None)]
            return events
        question = question_intent(tracker)
        answerer = answerer_for(question)
        if answerer is None or self.takes_as_answer(requested, tracker):
            return await self.answer_the_form(dispatcher, tracker, domain, requested)
        return self.answer_question(answerer, dispatcher, tracker, requested)

    @staticmethod
    def answer_question(
        answerer: Answerer, dispatcher: CollectingDispatcher, tracker: Tracker, requested: str
    ) -> list[dict[str, Any]]:
        """Answer a question mid-form; the form then asks its own question again."""
        answered = answerer(dispatcher, tracker)
        # The entry point asked for the place (no place known): remember that, so the place that
        # comes next is taken as the place, not as a wrong answer to the form (no loop).
        asks_place = any(
            event.get("name") == slots.AWAITING and event.get("value") == AWAITING_CONTACT_PLACE
            for event in answered
        )
        learnt = [
            event
            for event in answered
            if event.get("event") == "slot" and (asks_place or event.get("name") not in QUESTION_STATE_SLOTS)
        ]
        # Keep what the answer learnt (service, place, houses); empty the asked slot, so it is asked again.
        return learnt + [SlotSet(requested, None)]


# What stopping each form says, and the slots it forgets.
FORM_ENDINGS: dict[str, tuple[str, tuple[str, ...]]] = {
    "registration_form": (
        "utter_registration_stopped",
        slots.REGISTRATION_FORM_SLOTS + (slots.REG_WAITING_LIST,),
    ),
    "cancellation_form": ("utter_cancellation_stopped", slots.CANCELLATION_FORM_SLOTS),
    "callback_form": ("utter_callback_stopped", slots.CALLBACK_FORM_SLOTS),
    "withdraw_form": ("utter_withdraw_stopped", slots.WITHDRAW_FORM_SLOTS),
}


class ActionStopForm(Action):
    """'annuller'/'stop' in any form: end it, store nothing, forget what was typed."""

    def name(self) -> str:
        return "action_stop_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        ending = FORM_ENDINGS.get((tracker.active_loop or {}).get("name") or "")
        if ending is None:
            _nothing_to_stop(dispatcher, context.message_text(tracker) or "")
            return []
        response, cleared = ending
        dispatcher.utter_message(response=response)
        return [ActiveLoop(None), SlotSet(slots.REQUESTED_SLOT, None)] + [SlotSet(s, None) for s in cleared]


class ActionNothingToStop(Action):
    """'Stop' with no form running (data/rules/chitchat.yml): the way to undo what the words name."""

    def name(self) -> str:
        return "action_nothing_to_stop"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        if _asked_about_a_sign_up(tracker):
            # "Which event?" or "the waiting list?" comes before the form starts: the stop ends the sign-up.
            dispatcher.utter_message(response="utter_registration_stopped")
            return [SlotSet(slots.AWAITING, None), SlotSet(slots.EVENT_ID, None)]
        _nothing_to_stop(dispatcher, context.message_text(tracker) or "")
        return []


def _asked_about_a_sign_up(tracker: Tracker) -> bool:
    """The assistant's last message asked which event to sign up for, or offered the waiting list."""
    said = context.last_bot_texts(tracker)
    if wording.text("events.which_event") in said:
        return True
    event_id = tracker.get_slot(slots.EVENT_ID)
    if tracker.get_slot(slots.AWAITING) != "waiting_list" or not event_id:
        return False
    event = get_event(None, event_id)
    return event is not None and wording.text("events.full_offer_waiting_list", title=event.title) in said


def _nothing_to_stop(dispatcher: CollectingDispatcher, text: str) -> None:
    """No form runs. "Annuller min tilmelding" means a sign-up made earlier, "stop opkaldet" a
    call-back: offer the way to undo it (the classifier read the words as stop). Else the help topics."""
    if names_a_call_back(text):
        question = wording.text("conversation.stop_nothing_running_call_back")
        button, payload = wording.text("conversation.withdraw_call_back_button"), "/withdraw_callback"
    elif names_a_sign_up(text):
        question = wording.text("conversation.stop_nothing_running_sign_up")
        button, payload = wording.text("conversation.cancel_sign_up_button"), "/cancel_registration"
    else:
        dispatcher.utter_message(response="utter_help_topics")
        return
    something_else = {"title": wording.text("conversation.something_else"), "payload": "/contact_entry_point"}
    dispatcher.utter_message(text=question, buttons=[{"title": button, "payload": payload}, something_else])
