"""Call-back requests ("ring mig op"): the form, storing with consent, and withdrawing.

The checks and the storing live in `bot.contact` and `bot.callbacks`; this module
only asks, shows the Danish error texts and says what happened.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions import context, slots
from actions.forms import (
    InterruptibleFormValidation,
    has_digits,
    latest_intent,
    latest_text,
    looks_like_a_name,
)
from bot import callbacks, directory, privacy, wording
from bot.contact import (
    ContactError,
    format_danish_phone,
    normalise_danish_phone,
    validate_name,
    validate_topic,
)
from bot.db import session_scope

# The action server logs too: mask CPR numbers there as well
# (the Rasa server does it in rasa_adapters.tracker_store).
privacy.install_log_filter()
logger = logging.getLogger(__name__)

CORRECT_WORDS = ("ret", "ret oplysningerne", "ændr", "ændre", "forkert", "det er forkert", "start forfra")
YES_WORDS = ("ja", "ja tak", "jo", "ok", "okay", "gerne", "ja, ring mig op", "ja gem")
NO_WORDS = ("nej", "nej tak", "gem ikke", "nej, gem ikke noget")
REFERENCE_IN_TEXT = re.compile(r"\bRB[\s\-_.]?[A-Z0-9]{4}\b", re.IGNORECASE)
CPR_IN_NAME = wording.text("callbacks.cpr_in_name")
CPR_IN_PHONE = wording.text("callbacks.cpr_in_phone")
CPR_REMOVED = wording.text("callbacks.cpr_removed")
SAVE_FAILED = wording.text("callbacks.save_failed")


def answer_to(tracker: Tracker, slot: str) -> bool:
    """True when the latest message answers the form's question for `slot`."""
    return tracker.get_slot(slots.REQUESTED_SLOT) == slot


def text_answer(tracker: Tracker, slot: str) -> dict[str, Any]:
    """The message as the value of `slot` when the form asked for it (interruptions are already answered)."""
    return {slot: latest_text(tracker)} if answer_to(tracker, slot) else {}


def yes_no_or_correct(tracker: Tracker) -> bool | str:
    """True, False, "correct" (start again) or "unclear" for the answer to the summary."""
    words = latest_text(tracker).lower().strip(" .!")
    if words in CORRECT_WORDS:
        return "correct"
    intent, _ = latest_intent(tracker)
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


class ValidateCallbackForm(InterruptibleFormValidation):
    """Check each answer with bot.contact; a bad answer gets the reason and the question again."""

    # Asking to withdraw while asked for a call-back ends the form too (its stop rule).
    ending_intents = frozenset({"stop", "withdraw_callback"})

    def name(self) -> str:
        return "validate_callback_form"

    def takes_as_answer(self, slot: str, tracker: Tracker) -> bool:
        # The NLU gives names any intent ("Dorte Eksempel" -> stop) and reads phone numbers as postcodes:
        # the shape of the message decides. Asked what it is about, a question is the answer.
        text = latest_text(tracker)
        if slot == slots.CALLBACK_NAME:
            return looks_like_a_name(text) or privacy.contains_cpr(text)
        if slot == slots.CALLBACK_PHONE:
            return has_digits(text)
        if slot == slots.CALLBACK_CONSENT:
            return yes_no_or_correct(tracker) != "unclear"
        return slot == slots.CALLBACK_TOPIC

    async def extract_callback_name(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return text_answer(tracker, slots.CALLBACK_NAME)

    async def extract_callback_phone(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return text_answer(tracker, slots.CALLBACK_PHONE)

    async def extract_callback_topic(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return text_answer(tracker, slots.CALLBACK_TOPIC)

    async def extract_callback_consent(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if not answer_to(tracker, slots.CALLBACK_CONSENT):
            return {}
        return {slots.CALLBACK_CONSENT: yes_no_or_correct(tracker)}

    @staticmethod
    def _parsed_or_refused(
        dispatcher: CollectingDispatcher,
        slot: str,
        value: Any,
        cpr_message: str,
        parse: Callable[[str], str],
    ) -> dict[str, Any]:
        """The parsed answer, or no value and the reason said; a CPR number is never kept in a slot."""
        text = str(value or "")
        if privacy.contains_cpr(text):
            dispatcher.utter_message(text=cpr_message)
            return {slot: None}
        try:
            return {slot: parse(text)}
        except ContactError as error:
            dispatcher.utter_message(text=error.message)
            return {slot: None}

    async def validate_callback_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._parsed_or_refused(dispatcher, slots.CALLBACK_NAME, value, CPR_IN_NAME, validate_name)

    async def validate_callback_phone(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._parsed_or_refused(
            dispatcher, slots.CALLBACK_PHONE, value, CPR_IN_PHONE, normalise_danish_phone
        )

    async def validate_callback_topic(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "")
        try:
            topic = validate_topic(text)
        except ContactError as error:
            dispatcher.utter_message(text=error.message)
            return {slots.CALLBACK_TOPIC: None}
        if privacy.contains_cpr(text):
            dispatcher.utter_message(text=CPR_REMOVED)
        return {slots.CALLBACK_TOPIC: topic}

    async def validate_callback_consent(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value is True or value is False:
            return {slots.CALLBACK_CONSENT: value}
        if value == "correct":
            dispatcher.utter_message(text=wording.text("callbacks.start_again"))
            return {slot: None for slot in slots.CALLBACK_FORM_SLOTS}
        dispatcher.utter_message(text=wording.text("callbacks.answer_yes_or_no"))
        return {slots.CALLBACK_CONSENT: None}


class ActionAskCallbackConsent(Action):
    """The summary of what will be stored, why, and the question whether we may store it."""

    def name(self) -> str:
        return "action_ask_callback_consent"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        lines = [
            wording.text("callbacks.summary.intro"),
            wording.text("callbacks.summary.name", name=tracker.get_slot(slots.CALLBACK_NAME)),
            wording.text(
                "callbacks.summary.phone",
                phone=format_danish_phone(tracker.get_slot(slots.CALLBACK_PHONE) or ""),
            ),
            wording.text("callbacks.summary.topic", topic=tracker.get_slot(slots.CALLBACK_TOPIC)),
        ]
        with session_scope() as session:
            house = conversation_house(tracker, session)
            if house is not None:
                lines.append(wording.text("callbacks.summary.house", house=house.name))
        lines += ["", privacy.callback_purpose(), privacy.CALLBACK_CONSENT_QUESTION]
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
        events = reset(slots.CALLBACK_FORM_SLOTS)
        if tracker.get_slot(slots.CALLBACK_CONSENT) is not True:
            dispatcher.utter_message(response="utter_callback_not_saved")
            return events
        try:
            with session_scope() as session:
                house = conversation_house(tracker, session)
                house_id, house_name = (house.id, house.name) if house is not None else (None, None)
            request = callbacks.create_callback(
                None,
                name=tracker.get_slot(slots.CALLBACK_NAME),
                phone=tracker.get_slot(slots.CALLBACK_PHONE),
                topic=tracker.get_slot(slots.CALLBACK_TOPIC),
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
        return events + [SlotSet(slots.CALLBACK_REFERENCE, request.reference)]


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
        own = tracker.get_slot(slots.CALLBACK_REFERENCE)
        given = reference_in_text(context.message_text(tracker))
        if own and given in (None, own):
            # Only this conversation's own request, without asking for the phone number.
            result = callbacks.withdraw_callback(None, own, sender_id=tracker.sender_id)
            dispatcher.utter_message(text=withdraw_message(result))
            return [SlotSet(slots.CALLBACK_REFERENCE, None)]
        return reset(slots.WITHDRAW_FORM_SLOTS) + [
            SlotSet(slots.WITHDRAW_REFERENCE, given),
            FollowupAction("withdraw_form"),
        ]


class ValidateWithdrawForm(InterruptibleFormValidation):
    """The reference and the phone number the request was made with."""

    def name(self) -> str:
        return "validate_withdraw_form"

    def takes_as_answer(self, slot: str, tracker: Tracker) -> bool:
        text = latest_text(tracker)
        if slot == slots.WITHDRAW_REFERENCE:
            return reference_in_text(text) is not None
        return slot == slots.WITHDRAW_PHONE and has_digits(text)

    async def extract_withdraw_reference(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return text_answer(tracker, slots.WITHDRAW_REFERENCE)

    async def extract_withdraw_phone(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return text_answer(tracker, slots.WITHDRAW_PHONE)

    async def validate_withdraw_reference(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "")
        reference = reference_in_text(text) or callbacks.normalise_reference(text)
        if reference is None:
            dispatcher.utter_message(text=wording.text("callbacks.not_a_reference"))
        return {slots.WITHDRAW_REFERENCE: reference}

    async def validate_withdraw_phone(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        try:
            return {slots.WITHDRAW_PHONE: normalise_danish_phone(str(value or ""))}
        except ContactError as error:
            dispatcher.utter_message(text=error.message)
            return {slots.WITHDRAW_PHONE: None}


class ActionSubmitWithdraw(Action):
    """Withdraw the request when the reference and the phone number match."""

    def name(self) -> str:
        return "action_submit_withdraw"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        reference = tracker.get_slot(slots.WITHDRAW_REFERENCE)
        phone = tracker.get_slot(slots.WITHDRAW_PHONE)
        result = callbacks.withdraw_callback(None, reference or "", phone=phone)
        dispatcher.utter_message(text=withdraw_message(result))
        events = reset(slots.WITHDRAW_FORM_SLOTS)
        if result.status != callbacks.WithdrawStatus.NOT_FOUND and reference == tracker.get_slot(
            slots.CALLBACK_REFERENCE
        ):
            events.append(SlotSet(slots.CALLBACK_REFERENCE, None))
        return events
