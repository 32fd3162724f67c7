"""Events: register interest (a form), cancel a registration (a form); listing is actions/event_listing.py."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import context, slots
from actions.event_listing import MAX_LISTED, register_button, utter_notices
from actions.forms import InterruptibleFormValidation, latest_text, looks_like_a_name
from bot import answers, events, privacy, wording
from bot.contact import (
    ContactError,
    normalise_email,
    parse_role,
    validate_name,
    validate_note,
    validate_organisation,
)

NO_NOTE_WORDS = {"nej", "nej tak", "ingen", "intet", "nix", "-", "ingenting", "nope", "næ"}


def event_from_message(tracker: Tracker, session: Any) -> events.EventView | None:
    """The event the message points to: a button's id, or the title in the words."""
    event_id = next(iter(context.entity_values(tracker, ("event_id",))), None)
    if event_id:
        return events.get_event(session, event_id)
    text = context.message_text(tracker)
    return events.find_event_by_text(session, text) if text else None


class ActionStartRegistration(Action):
    """Find the event, check it takes registrations, say why we ask, then start the form."""

    def name(self) -> str:
        return "action_start_registration"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        event = event_from_message(tracker, None)
        if event is None and tracker.get_slot(slots.EVENT_ID):
            event = events.get_event(None, tracker.get_slot(slots.EVENT_ID))
        if event is None:
            open_events = [e for e in events.upcoming_events(None) if e.is_open_for_registration]
            if len(open_events) == 1:
                event = open_events[0]
            else:
                if open_events:
                    dispatcher.utter_message(
                        text=wording.text("events.which_event"),
                        buttons=[register_button(e) for e in open_events[:MAX_LISTED]],
                    )
                else:
                    dispatcher.utter_message(response="utter_no_events")
                return []
        if not event.is_open_for_registration:
            dispatcher.utter_message(
                text=wording.text(
                    "events.registration_closed",
                    title=event.title,
                    deadline=answers.danish_day(event.registration_deadline),
                    contact=answers.contact_text(event.contact),
                )
            )
            return [SlotSet(slots.EVENT_ID, None)]
        slot_events: list[dict[str, Any]] = [SlotSet(slots.EVENT_ID, event.id)]
        if event.is_full:
            dispatcher.utter_message(
                text=wording.text("events.full_offer_waiting_list", title=event.title),
                buttons=[
                    {"title": wording.text("events.buttons.join_waiting_list"), "payload": "/affirm"},
                    {"title": wording.text("events.buttons.no_thanks"), "payload": "/deny"},
                ],
            )
            return slot_events + [SlotSet(slots.AWAITING, "waiting_list")]
        return slot_events + start_registration_form(dispatcher, event, waiting_list=False)


def start_registration_form(
    dispatcher: CollectingDispatcher, event: events.EventView, waiting_list: bool
) -> list[dict[str, Any]]:
    if event.notice:
        # Before any personal data is asked: this is sample data, a registration is only a trial.
        dispatcher.utter_message(response="utter_registration_sample_notice", notice=event.notice)
    dispatcher.utter_message(
        text=wording.text(
            "events.registration_start",
            title=event.title,
            when=answers.event_time(event.start, event.end),
            purpose=privacy.registration_purpose(),
        )
    )
    return [
        SlotSet(slots.REG_WAITING_LIST, waiting_list),
        SlotSet(slots.REG_NOTE, None),
        SlotSet(slots.REG_CONFIRM, None),
        SlotSet(slots.AWAITING, None),
        FollowupAction("registration_form"),
    ]


def organiser_of(event_id: str | None) -> str | None:
    """The organiser's contact of an event, as the way out of an event form names it."""
    event = events.get_event(None, event_id) if event_id else None
    return answers.contact_text(event.contact) if event is not None else None


class ValidateRegistrationForm(InterruptibleFormValidation):
    """Validate each answer with bot.contact; a bad answer is asked again with the reason."""

    def name(self) -> str:
        return "validate_registration_form"

    def takes_as_answer(self, slot: str, tracker: Tracker) -> bool:
        text = latest_text(tracker)
        if slot == slots.REG_NAME:
            return looks_like_a_name(text)
        return slot == slots.REG_EMAIL and "@" in text

    def organiser_contact(self, tracker: Tracker) -> str | None:
        return organiser_of(tracker.get_slot(slots.EVENT_ID))

    @staticmethod
    def _reject(dispatcher: CollectingDispatcher, slot: str, error: ContactError) -> dict[str, Any]:
        dispatcher.utter_message(text=error.message)
        return {slot: None}

    async def validate_reg_name(self, value: Any, dispatcher, tracker, domain) -> dict[str, Any]:
        try:
            return {slots.REG_NAME: validate_name(value)}
        except ContactError as error:
            return self._reject(dispatcher, slots.REG_NAME, error)

    async def validate_reg_email(self, value: Any, dispatcher, tracker, domain) -> dict[str, Any]:
        try:
            return {slots.REG_EMAIL: normalise_email(value)}
        except ContactError as error:
            return self._reject(dispatcher, slots.REG_EMAIL, error)

    async def validate_reg_organisation(self, value: Any, dispatcher, tracker, domain) -> dict[str, Any]:
        if str(value or "").strip().lower() in NO_NOTE_WORDS:
            return {slots.REG_ORGANISATION: "ingen"}
        try:
            return {slots.REG_ORGANISATION: validate_organisation(value, required=True)}
        except ContactError as error:
            return self._reject(dispatcher, slots.REG_ORGANISATION, error)

    async def validate_reg_role(self, value: Any, dispatcher, tracker, domain) -> dict[str, Any]:
        try:
            return {slots.REG_ROLE: parse_role(value)}
        except ContactError as error:
            return self._reject(dispatcher, slots.REG_ROLE, error)

    async def validate_reg_note(self, value: Any, dispatcher, tracker, domain) -> dict[str, Any]:
        if value is None:  # cleared when the form starts: not an answer
            return {slots.REG_NOTE: None}
        if str(value).strip().lower().rstrip(".!") in NO_NOTE_WORDS:
            return {slots.REG_NOTE: "ingen"}
        try:
            return {slots.REG_NOTE: validate_note(value) or "ingen"}
        except ContactError as error:
            return self._reject(dispatcher, slots.REG_NOTE, error)


class ActionAskRegConfirm(Action):
    """Ask for confirmation with a summary of exactly what will be stored."""

    def name(self) -> str:
        return "action_ask_reg_confirm"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        event = events.get_event(None, tracker.get_slot(slots.EVENT_ID) or "")
        if event is None:
            dispatcher.utter_message(text=wording.text("events.event_gone"))
            return [ActiveLoop(None), SlotSet(slots.REQUESTED_SLOT, None)]
        dispatcher.utter_message(
            text=answers.registration_summary(
                event,
                tracker.get_slot(slots.REG_NAME),
                tracker.get_slot(slots.REG_EMAIL),
                _none_if_empty(tracker.get_slot(slots.REG_ORGANISATION)),
                tracker.get_slot(slots.REG_ROLE),
                _none_if_empty(tracker.get_slot(slots.REG_NOTE)),
            ),
            buttons=[
                {"title": wording.text("events.buttons.confirm_registration"), "payload": "/affirm"},
                {"title": wording.text("events.buttons.no"), "payload": "/deny"},
            ],
        )
        return []


def _none_if_empty(value: str | None) -> str | None:
    return None if not value or value == "ingen" else value


class ActionSubmitRegistration(Action):
    """Store the registration; the database enforces deadline, capacity and duplicates."""

    def name(self) -> str:
        return "action_submit_registration"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        reset = [SlotSet(slot, None) for slot in (slots.REG_NOTE, slots.REG_CONFIRM, slots.REG_WAITING_LIST)]
        if not tracker.get_slot(slots.REG_CONFIRM):
            dispatcher.utter_message(response="utter_registration_not_saved")
            return reset
        try:
            result = events.register(
                None,
                tracker.get_slot(slots.EVENT_ID) or "",
                name=tracker.get_slot(slots.REG_NAME),
                email=tracker.get_slot(slots.REG_EMAIL),
                organisation=_none_if_empty(tracker.get_slot(slots.REG_ORGANISATION)),
                role=tracker.get_slot(slots.REG_ROLE),
                note=_none_if_empty(tracker.get_slot(slots.REG_NOTE)),
                accept_waiting_list=bool(tracker.get_slot(slots.REG_WAITING_LIST)),
            )
        except ContactError as error:
            dispatcher.utter_message(text=wording.text("events.not_saved", reason=error.message))
            return reset
        dispatcher.utter_message(**registration_reply(result))
        if result.event is not None:
            utter_notices(dispatcher, [result.event])
        return reset


def registration_reply(result: events.RegistrationResult) -> dict[str, Any]:
    """The Danish answer for each outcome of bot.events.register."""
    event = result.event
    title = (
        wording.text("events.event_title", title=event.title) if event else wording.text("events.this_event")
    )
    when = answers.event_time(event.start, event.end) if event else ""
    venue = ", ".join(p for p in (event.venue_name, event.venue_address) if p) if event else ""
    status = result.status.value if hasattr(result.status, "value") else str(result.status)
    if status == "confirmed":
        return {
            "text": wording.text(
                "events.result.confirmed", title=title, when=when, venue=venue, code=result.cancel_code
            )
        }
    if status == "waiting_list":
        return {
            "text": wording.text(
                "events.result.waiting_list",
                position=result.waiting_position,
                title=title,
                code=result.cancel_code,
            )
        }
    if status == "full":
        return {
            "text": wording.text("events.result.full", title=title),
            "buttons": [
                {"title": wording.text("events.buttons.join_waiting_list"), "payload": "/register_event"}
            ],
        }
    if status == "already_registered":
        if result.registration_status == "waiting":
            return {"text": wording.text("events.result.already_on_waiting_list", title=title)}
        return {"text": wording.text("events.result.already_registered", title=title)}
    if status == "deadline_passed":
        contact = answers.contact_text(result.contact or (event.contact if event else None))
        return {"text": wording.text("events.result.deadline_passed", title=title, contact=contact)}
    if status == "event_cancelled":
        return {"text": wording.text("events.result.cancelled", title=title)}
    if status == "event_past":
        return {"text": wording.text("events.result.past", title=title)}
    return {"text": wording.text("events.result.not_found")}


class ActionYesNo(Action):
    """'ja'/'nej' answer what the assistant asked last; out of context they get the help topics."""

    def name(self) -> str:
        return "action_yes_no"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if tracker.get_slot(slots.AWAITING) == "waiting_list":
            if intent == "affirm":
                event = events.get_event(None, tracker.get_slot(slots.EVENT_ID) or "")
                if event is not None and event.is_open_for_registration:
                    return start_registration_form(dispatcher, event, waiting_list=True)
            dispatcher.utter_message(text=wording.text("events.not_on_waiting_list"))
            return [SlotSet(slots.AWAITING, None)]
        dispatcher.utter_message(response="utter_help_topics")
        return []


MAX_CANCEL_ATTEMPTS = 2  # wrong e-mail/code pairs before the form points to a person instead


class ActionStartCancellation(Action):
    """Start the cancellation form, reusing an e-mail and event known from the conversation."""

    def name(self) -> str:
        return "action_start_cancellation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        event = event_from_message(tracker, None)
        preset = [
            SlotSet(slots.CANCEL_EMAIL, tracker.get_slot(slots.REG_EMAIL)),
            SlotSet(slots.CANCEL_EVENT, event.id if event else None),
            SlotSet(slots.CANCEL_CODE, None),
            SlotSet(slots.CANCEL_ATTEMPTS, None),
            SlotSet(slots.CANCEL_CONFIRM, None),
        ]
        dispatcher.utter_message(text=wording.text("events.cancellation.start"))
        return preset + [FollowupAction("cancellation_form")]


class ValidateCancellationForm(InterruptibleFormValidation):
    """E-mail and cancellation code together find the registration; a wrong pair reveals nothing.

    The e-mail is only checked for its form. Every wrong pair gets the same answer
    (events.cancellation.no_match) and both are asked again; after the second the
    form ends and points to the organiser (event known from the conversation) or
    the entry point.
    """

    def name(self) -> str:
        return "validate_cancellation_form"

    def takes_as_answer(self, slot: str, tracker: Tracker) -> bool:
        if slot == slots.CANCEL_CODE:
            return events.normalise_code(latest_text(tracker)) is not None
        return slot == slots.CANCEL_EMAIL and "@" in latest_text(tracker)

    def organiser_contact(self, tracker: Tracker) -> str | None:
        return organiser_of(tracker.get_slot(slots.CANCEL_EVENT) or tracker.get_slot(slots.EVENT_ID))

    async def validate_cancel_email(self, value: Any, dispatcher, tracker, domain) -> dict[str, Any]:
        try:
            return {slots.CANCEL_EMAIL: normalise_email(value)}
        except ContactError as error:
            dispatcher.utter_message(text=error.message)
            return {slots.CANCEL_EMAIL: None}

    async def validate_cancel_code(self, value: Any, dispatcher, tracker, domain) -> dict[str, Any]:
        if value is None:  # emptied when the form starts or asks again: no attempt was made
            return {}
        email = tracker.get_slot(slots.CANCEL_EMAIL) or ""
        event_id = events.find_by_cancel_code(None, email, str(value or ""))
        if event_id is not None:
            return {slots.CANCEL_CODE: events.normalise_code(value), slots.CANCEL_EVENT: event_id}
        attempts = int(tracker.get_slot(slots.CANCEL_ATTEMPTS) or 0) + 1
        if attempts < MAX_CANCEL_ATTEMPTS:
            dispatcher.utter_message(text=wording.text("events.cancellation.no_match"))
            return {slots.CANCEL_EMAIL: None, slots.CANCEL_CODE: None, slots.CANCEL_ATTEMPTS: float(attempts)}
        dispatcher.utter_message(text=give_up_text(tracker.get_slot(slots.CANCEL_EVENT)))
        # Ending the form: with requested_slot empty Rasa deactivates it; the submit action says nothing more.
        return {
            slots.CANCEL_EMAIL: None,
            slots.CANCEL_CODE: None,
            slots.CANCEL_EVENT: None,
            slots.CANCEL_ATTEMPTS: float(attempts),
            slots.REQUESTED_SLOT: None,
        }


def give_up_text(known_event_id: str | None) -> str:
    """Who can help instead: the organiser of an event named in the conversation, else the entry point."""
    event = events.get_event(None, known_event_id) if known_event_id else None
    if event is not None and event.contact:
        contact = answers.contact_text(event.contact)
        return wording.text("events.cancellation.give_up_organiser", contact=contact)
    return wording.text("events.cancellation.give_up_entry_point")


class ActionAskCancelConfirm(Action):
    """Confirm before cancelling."""

    def name(self) -> str:
        return "action_ask_cancel_confirm"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        event = events.get_event(None, tracker.get_slot(slots.CANCEL_EVENT) or "")
        title = event.title if event else wording.text("events.this_event")
        dispatcher.utter_message(
            text=wording.text(
                "events.cancellation.confirm", email=tracker.get_slot(slots.CANCEL_EMAIL), title=title
            ),
            buttons=[
                {"title": wording.text("events.buttons.confirm_cancellation"), "payload": "/affirm"},
                {"title": wording.text("events.buttons.no"), "payload": "/deny"},
            ],
        )
        return []


class ActionSubmitCancellation(Action):
    """Cancel the registration the e-mail and code belong to; the first on the waiting list moves up."""

    def name(self) -> str:
        return "action_submit_cancellation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        reset = [SlotSet(slot, None) for slot in slots.CANCELLATION_FORM_SLOTS]
        if (tracker.get_slot(slots.CANCEL_ATTEMPTS) or 0) >= MAX_CANCEL_ATTEMPTS:
            return reset  # the validation already pointed to a person; nothing was cancelled
        if not tracker.get_slot(slots.CANCEL_CONFIRM):
            dispatcher.utter_message(response="utter_cancellation_stopped")
            return reset
        # The e-mail and code are checked again here: slots alone never cancel anything.
        result = events.cancel_with_code(
            None, tracker.get_slot(slots.CANCEL_EMAIL) or "", tracker.get_slot(slots.CANCEL_CODE) or ""
        )
        status = result.status.value if hasattr(result.status, "value") else str(result.status)
        title = result.event.title if result.event else wording.text("events.this_event")
        if status == "cancelled":
            dispatcher.utter_message(text=wording.text("events.cancellation.done", title=title))
        elif status == "event_past":
            dispatcher.utter_message(text=wording.text("events.cancellation.past", title=title))
        else:
            dispatcher.utter_message(text=wording.text("events.cancellation.nothing"))
        return reset
