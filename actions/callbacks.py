"""Call-back requests ("ring mig op"): the form, storing with consent, and withdrawing.

The checks and the storing live in `bot.contact` and `bot.callbacks`; this module
only asks, shows the Danish error texts and says what happened.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions import context, slots
from actions.forms import looks_like_question
from bot import callbacks, directory, privacy, wording
from bot.contact import (
    ContactError,
    format_danish_phone,
    normalise_danish_phone,
    validate_name,
    validate_topic,
)
from bot.db import session_scope
from bot.emergency import is_emergency

# The action server logs too: mask CPR numbers there as well
# (the Rasa server does it in rasa_adapters.tracker_store).
privacy.install_log_filter()
logger = logging.getLogger(__name__)

CALLBACK_NAME = "callback_name"
CALLBACK_PHONE = "callback_phone"
CALLBACK_TOPIC = "callback_topic"
CALLBACK_CONSENT = "callback_consent"
CALLBACK_REFERENCE = "callback_reference"
WITHDRAW_REFERENCE = "withdraw_reference"
WITHDRAW_PHONE = "withdraw_phone"
REQUESTED_SLOT = "requested_slot"
CALLBACK_FORM_SLOTS = (CALLBACK_NAME, CALLBACK_PHONE, CALLBACK_TOPIC, CALLBACK_CONSENT)
WITHDRAW_FORM_SLOTS = (WITHDRAW_REFERENCE, WITHDRAW_PHONE)

# A form step takes the message as its answer unless it is an emergency, an explicit "annuller"/"stop",
# or a question: then the form rejects it, a rule answers it (data/rules/callbacks.yml) and the form
# asks again. Names and phone numbers get any intent from the NLU, so the words decide, not the intent alone.
QUESTION_INTENTS = frozenset({
    "find_service", "ask_hours", "ask_referral", "ask_booking", "ask_house_services", "contact_entry_point",
    "list_events", "out_of_scope", "bot_challenge",
})  # fmt: skip
EMERGENCY_CONFIDENCE = 0.7  # below it, a name or a number the NLU calls "emergency" is just that
STOP_WORDS = ("annuller", "annullér", "stop", "afbryd", "fortryd", "glem det", "drop det")
# Words no name is made of: a message with one of them is a question or an instruction.
NOT_NAME_WORDS = frozenset({
    "hvem", "hvad", "hvor", "hvordan", "hvornår", "hvilke", "hvilken", "jeg", "du", "skal", "kan", "vil",
    "er", "har", "det", "den", "en", "et", "i", "på", "med", "til", "om", "mig", "min", "mit", "ikke",
    "annuller", "annullér", "stop", "afbryd", "fortryd", "glem", "drop", "nej", "ja", "tak", "hej",
})  # fmt: skip
CORRECT_WORDS = ("ret", "ret oplysningerne", "ændr", "ændre", "forkert", "det er forkert", "start forfra")
YES_WORDS = ("ja", "ja tak", "jo", "ok", "okay", "gerne", "ja, ring mig op", "ja gem")
NO_WORDS = ("nej", "nej tak", "gem ikke", "nej, gem ikke noget")
REFERENCE_IN_TEXT = re.compile(r"\bRB[\s\-_.]?[A-Z0-9]{4}\b", re.IGNORECASE)
CPR_IN_NAME = wording.text("callbacks.cpr_in_name")
CPR_IN_PHONE = wording.text("callbacks.cpr_in_phone")
CPR_REMOVED = wording.text("callbacks.cpr_removed")
SAVE_FAILED = wording.text("callbacks.save_failed")


def latest_intent(tracker: Tracker) -> str:
    return (tracker.latest_message.get("intent") or {}).get("name") or ""


def latest_text(tracker: Tracker) -> str:
    return (tracker.latest_message.get("text") or "").strip()


def is_stop(tracker: Tracker) -> bool:
    words = latest_text(tracker).lower()
    return latest_intent(tracker) == "stop" and any(word in words for word in STOP_WORDS)


def is_emergency_message(tracker: Tracker) -> bool:
    """The words of an emergency (bot.emergency), or an NLU sure of one in something that is not a name."""
    text = latest_text(tracker)
    if is_emergency(text):
        return True
    intent = tracker.latest_message.get("intent") or {}
    sure = intent.get("name") == "emergency" and (intent.get("confidence") or 0) >= EMERGENCY_CONFIDENCE
    return sure and not looks_like_a_name(text)


def is_interruption(tracker: Tracker) -> bool:
    """An emergency, "annuller"/"stop", or a question the NLU recognises, instead of an answer."""
    if is_emergency_message(tracker) or is_stop(tracker):
        return True
    return latest_intent(tracker) in QUESTION_INTENTS and looks_like_question(latest_text(tracker))


def looks_like_a_name(text: str) -> bool:
    """One to four words of letters, none of them the small words questions are made of."""
    words = text.replace("-", " ").replace(".", " ").replace("'", " ").split()
    return (
        0 < len(words) <= 4
        and all(word.isalpha() for word in words)
        and not any(word.lower() in NOT_NAME_WORDS for word in words)
    )


def answer_to(tracker: Tracker, slot: str) -> bool:
    """True when the latest message answers the form's question for `slot`."""
    return tracker.get_slot(REQUESTED_SLOT) == slot


def yes_no_or_correct(tracker: Tracker) -> bool | str:
    """True, False, "correct" (start again) or "unclear" for the answer to the summary."""
    words = latest_text(tracker).lower().strip(" .!")
    if words in CORRECT_WORDS:
        return "correct"
    intent = latest_intent(tracker)
    if intent == "affirm" or words in YES_WORDS:
        return True
    if intent == "deny" or words in NO_WORDS:
        return False
    return "unclear"


def reference_in_text(text: str) -> str | None:
    """The first call-back reference ("RB-7K3Q", "rb 7k3q") in a message; None when there is none."""
    for match in REFERENCE_IN_TEXT.finditer(text or ""):
        reference = callbacks.normalise_reference(match.group(0))
        if reference is not None:
            return reference
    return None


def conversation_house(tracker: Tracker, session: Any) -> Any | None:
    """The house the conversation is about: the one last shown, else the entry point for the place given."""
    shown = tracker.get_slot(slots.HOUSE_IDS) or []
    if shown:
        house = directory.get_house(session, shown[0])
        if house is not None:
            return house
    place = context.remembered_place(tracker)
    if place is not None:
        found = directory.entry_point_for(session, place=place, nearest=True)
        if found is not None:
            return found[0]
    return None


def reset(names: tuple[str, ...]) -> list[dict[str, Any]]:
    return [SlotSet(name, None) for name in names]


class ValidateCallbackForm(FormValidationAction):
    """Check each answer with bot.contact; a bad answer gets the reason and the question again."""

    def name(self) -> str:
        return "validate_callback_form"

    async def extract_callback_name(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        # The NLU gives names any intent ("Dorte Eksempel" -> stop): a name-like answer is the name,
        # whatever the intent; otherwise a question or "stop" interrupts.
        if not answer_to(tracker, CALLBACK_NAME):
            return {}
        text = latest_text(tracker)
        if is_emergency_message(tracker) or is_stop(tracker):
            return {}  # a rule answers (112/1813, or the form stops)
        if looks_like_a_name(text) or privacy.contains_cpr(text) or not is_interruption(tracker):
            return {CALLBACK_NAME: text}
        return {}

    async def extract_callback_phone(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        # A phone number looks like a postcode to the NLU, so any intent may come with it:
        # only a message without digits that is clearly a question or "stop" interrupts.
        if not answer_to(tracker, CALLBACK_PHONE):
            return {}
        text = latest_text(tracker)
        if is_interruption(tracker) and not any(ch.isdigit() for ch in text):
            return {}
        return {CALLBACK_PHONE: text}

    async def extract_callback_topic(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        # Asked what it is about, a question is the answer: only an emergency or "stop" interrupts.
        if not answer_to(tracker, CALLBACK_TOPIC) or is_emergency_message(tracker) or is_stop(tracker):
            return {}
        return {CALLBACK_TOPIC: latest_text(tracker)}

    async def extract_callback_consent(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if not answer_to(tracker, CALLBACK_CONSENT):
            return {}
        answer = yes_no_or_correct(tracker)
        if answer == "unclear" and is_interruption(tracker):
            return {}
        return {CALLBACK_CONSENT: answer}

    async def validate_callback_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "")
        if privacy.contains_cpr(text):
            dispatcher.utter_message(text=CPR_IN_NAME)
            return {CALLBACK_NAME: None}
        try:
            return {CALLBACK_NAME: validate_name(text)}
        except ContactError as error:
            dispatcher.utter_message(text=error.message)
            return {CALLBACK_NAME: None}

    async def validate_callback_phone(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "")
        if privacy.contains_cpr(text):
            dispatcher.utter_message(text=CPR_IN_PHONE)
            return {CALLBACK_PHONE: None}
        try:
            return {CALLBACK_PHONE: normalise_danish_phone(text)}
        except ContactError as error:
            dispatcher.utter_message(text=error.message)
            return {CALLBACK_PHONE: None}

    async def validate_callback_topic(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "")
        try:
            topic = validate_topic(text)
        except ContactError as error:
            dispatcher.utter_message(text=error.message)
            return {CALLBACK_TOPIC: None}
        if privacy.contains_cpr(text):
            dispatcher.utter_message(text=CPR_REMOVED)
        return {CALLBACK_TOPIC: topic}

    async def validate_callback_consent(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value is True or value is False:
            return {CALLBACK_CONSENT: value}
        if value == "correct":
            dispatcher.utter_message(text=wording.text("callbacks.start_again"))
            return {slot: None for slot in CALLBACK_FORM_SLOTS}
        dispatcher.utter_message(text=wording.text("callbacks.answer_yes_or_no"))
        return {CALLBACK_CONSENT: None}


class ActionAskCallbackConsent(Action):
    """The summary of what will be stored, why, and the question whether we may store it."""

    def name(self) -> str:
        return "action_ask_callback_consent"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        lines = [
            wording.text("callbacks.summary.intro"),
            wording.text("callbacks.summary.name", name=tracker.get_slot(CALLBACK_NAME)),
            wording.text(
                "callbacks.summary.phone", phone=format_danish_phone(tracker.get_slot(CALLBACK_PHONE) or "")
            ),
            wording.text("callbacks.summary.topic", topic=tracker.get_slot(CALLBACK_TOPIC)),
        ]
        with session_scope() as session:
            house = conversation_house(tracker, session)
            if house is not None:
                lines.append(wording.text("callbacks.summary.house", house=house.name))
        lines += ["", privacy.CALLBACK_PURPOSE, privacy.CALLBACK_CONSENT_QUESTION]
        dispatcher.utter_message(
            text="\n".join(lines),
            buttons=[
                {"title": wording.text("callbacks.buttons.save"), "payload": "/affirm"},
                {"title": wording.text("callbacks.buttons.correct"), "payload": "ret"},
                {"title": wording.text("callbacks.buttons.dont_save"), "payload": "/deny"},
            ],
        )
        return []


class ActionSubmitCallback(Action):
    """Store the request (only with consent) and give the reference."""

    def name(self) -> str:
        return "action_submit_callback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        events = reset(CALLBACK_FORM_SLOTS)
        if tracker.get_slot(CALLBACK_CONSENT) is not True:
            dispatcher.utter_message(response="utter_callback_not_saved")
            return events
        try:
            with session_scope() as session:
                house = conversation_house(tracker, session)
                house_id, house_name = (house.id, house.name) if house is not None else (None, None)
            request = callbacks.create_callback(
                None,
                name=tracker.get_slot(CALLBACK_NAME),
                phone=tracker.get_slot(CALLBACK_PHONE),
                topic=tracker.get_slot(CALLBACK_TOPIC),
                house_id=house_id,
                sender_id=tracker.sender_id,
                consent=True,
            )
        except ContactError as error:
            dispatcher.utter_message(text=wording.text("callbacks.try_again", reason=error.message))
            return events
        except (SQLAlchemyError, RuntimeError) as error:
            logger.error("Call-back request not stored: %s", type(error).__name__)
            dispatcher.utter_message(text=SAVE_FAILED)
            return events
        who = (
            wording.text("callbacks.who_house", house=house_name)
            if house_name
            else wording.text("callbacks.who_default")
        )
        dispatcher.utter_message(
            text=wording.text(
                "callbacks.saved",
                name=request.name,
                reference=request.reference,
                who=who,
                phone=format_danish_phone(request.phone),
            )
        )
        return events + [SlotSet(CALLBACK_REFERENCE, request.reference)]


class ActionStopCallback(Action):
    """'annuller'/'stop' halfway: end the form and forget what was typed; nothing is stored."""

    def name(self) -> str:
        return "action_stop_callback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(response="utter_callback_stopped")
        return [ActiveLoop(None), SlotSet(REQUESTED_SLOT, None)] + reset(CALLBACK_FORM_SLOTS)


def withdraw_message(result: callbacks.WithdrawResult) -> str:
    if result.status == callbacks.WithdrawStatus.WITHDRAWN:
        return wording.text("callbacks.withdrawn", reference=result.reference)
    if result.status == callbacks.WithdrawStatus.ALREADY_WITHDRAWN:
        return wording.text("callbacks.already_withdrawn", reference=result.reference)
    return wording.text("callbacks.withdraw_not_found", reference=result.reference)


class ActionWithdrawCallback(Action):
    """Withdraw this conversation's request at once; otherwise ask for the reference and the phone."""

    def name(self) -> str:
        return "action_withdraw_callback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        own = tracker.get_slot(CALLBACK_REFERENCE)
        given = reference_in_text(context.message_text(tracker))
        if own and given in (None, own):
            # Only this conversation's own request, without asking for the phone number.
            result = callbacks.withdraw_callback(None, own, sender_id=tracker.sender_id)
            dispatcher.utter_message(text=withdraw_message(result))
            return [SlotSet(CALLBACK_REFERENCE, None)]
        return reset(WITHDRAW_FORM_SLOTS) + [
            SlotSet(WITHDRAW_REFERENCE, given),
            FollowupAction("withdraw_form"),
        ]


class ValidateWithdrawForm(FormValidationAction):
    """The reference and the phone number the request was made with."""

    def name(self) -> str:
        return "validate_withdraw_form"

    async def extract_withdraw_reference(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if not answer_to(tracker, WITHDRAW_REFERENCE):
            return {}
        text = latest_text(tracker)
        if is_interruption(tracker) and reference_in_text(text) is None:
            return {}
        return {WITHDRAW_REFERENCE: text}

    async def extract_withdraw_phone(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if not answer_to(tracker, WITHDRAW_PHONE):
            return {}
        text = latest_text(tracker)
        if is_interruption(tracker) and not any(ch.isdigit() for ch in text):
            return {}
        return {WITHDRAW_PHONE: text}

    async def validate_withdraw_reference(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "")
        reference = reference_in_text(text) or callbacks.normalise_reference(text)
        if reference is None:
            dispatcher.utter_message(text=wording.text("callbacks.not_a_reference"))
        return {WITHDRAW_REFERENCE: reference}

    async def validate_withdraw_phone(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        try:
            return {WITHDRAW_PHONE: normalise_danish_phone(str(value or ""))}
        except ContactError as error:
            dispatcher.utter_message(text=error.message)
            return {WITHDRAW_PHONE: None}


class ActionSubmitWithdraw(Action):
    """Withdraw the request when the reference and the phone number match."""

    def name(self) -> str:
        return "action_submit_withdraw"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        reference = tracker.get_slot(WITHDRAW_REFERENCE)
        result = callbacks.withdraw_callback(None, reference or "", phone=tracker.get_slot(WITHDRAW_PHONE))
        dispatcher.utter_message(text=withdraw_message(result))
        events = reset(WITHDRAW_FORM_SLOTS)
        if result.status != callbacks.WithdrawStatus.NOT_FOUND and reference == tracker.get_slot(
            CALLBACK_REFERENCE
        ):
            events.append(SlotSet(CALLBACK_REFERENCE, None))
        return events


class ActionStopWithdraw(Action):
    """'annuller' while asked for the reference: nothing is withdrawn."""

    def name(self) -> str:
        return "action_stop_withdraw"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(response="utter_withdraw_stopped")
        return [ActiveLoop(None), SlotSet(REQUESTED_SLOT, None)] + reset(WITHDRAW_FORM_SLOTS)
