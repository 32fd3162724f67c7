"""The way out of every form (actions/forms.py): two rejected answers to one question, then a person,
another try or stopping is offered; an accepted answer starts the count again."""

from __future__ import annotations

import pytest
from rasa_sdk.events import ActiveLoop, SlotSet

from actions import slots
from actions.callbacks import ValidateCallbackForm, ValidateWithdrawForm
from actions.events import ValidateCancellationForm, ValidateRegistrationForm
from bot import events
from tests.actions.support import form_tracker, make_tracker, run

WAY_OUT = "Du kan prøve igen, tale med et menneske eller stoppe"
BUTTONS = ["/contact_entry_point", "Prøv igen", "/stop"]

# Each form, a question it asks, an answer it rejects, an answer it accepts, and whether Rasa's
# mapping already took the text (from_text slots).
FORMS = [
    (
        ValidateRegistrationForm(),
        "registration_form",
        slots.REG_EMAIL,
        "anna(at)example",
        "anna@example.dk",
        True,
    ),
    (
        ValidateCancellationForm(),
        "cancellation_form",
        slots.CANCEL_EMAIL,
        "ingen@example.dk",
        "anna@example.dk",
        True,
    ),
    (ValidateCallbackForm(), "callback_form", slots.CALLBACK_PHONE, "123", "22 33 44 55", False),
    (ValidateWithdrawForm(), "withdraw_form", slots.WITHDRAW_PHONE, "12", "22 33 44 55", False),
]
FORM_IDS = [form[1] for form in FORMS]


@pytest.fixture
def event_with_anna(services_db, add_event) -> str:
    """An event Anna is registered for, so her e-mail is found by the cancellation form."""
    event_id = add_event()
    events.register(
        services_db,
        event_id,
        name="Anna Jensen",
        email="anna@example.dk",
        organisation=None,
        role="kommune",
        note=None,
    )
    return event_id


def user(text: str, intent: str = "inform_place") -> dict:
    parse = {"text": text, "intent": {"name": intent, "confidence": 0.95}, "entities": []}
    return {"event": "user", "text": text, "parse_data": parse}


def earlier(slot: str, *turns: tuple[str, object]) -> list[dict]:
    """The form started and asked for `slot`; each turn is (what the user wrote, the slot after it)."""
    history = [ActiveLoop("some_form"), SlotSet(slots.REQUESTED_SLOT, slot)]
    for text, value in turns:
        history += [user(text), SlotSet(slot, value), SlotSet(slots.REQUESTED_SLOT, slot)]
    return history


def answer(form: str, slot: str, text: str, from_text: bool, history: list[dict], **slots_before):
    extracted = {slot: text} if from_text else {}
    tracker = make_tracker(
        text, "inform_place", slots={**slots_before, slots.REQUESTED_SLOT: slot, **extracted},
        active_loop=form, events=history,
    )  # fmt: skip
    tracker.events.extend(SlotSet(name, value) for name, value in extracted.items())
    return tracker


def button_payloads(outcome) -> list[str]:
    return [button["payload"] for message in outcome.messages for button in message.get("buttons") or []]


P = pytest.mark.parametrize(("action", "form", "slot", "bad", "good", "from_text"), FORMS, ids=FORM_IDS)


@P
def test_the_first_rejection_asks_again_without_the_offer(
    event_with_anna, action, form, slot, bad, good, from_text
):
    outcome = run(action, answer(form, slot, bad, from_text, earlier(slot)))
    assert outcome.slot(slot) is None
    assert outcome.said and WAY_OUT not in outcome.said  # the reason; the form asks again
    assert button_payloads(outcome) == []


@P
def test_the_second_rejection_offers_a_person_another_try_or_stopping(
    event_with_anna, action, form, slot, bad, good, from_text
):
    outcome = run(action, answer(form, slot, bad, from_text, earlier(slot, (bad, None))))
    assert outcome.slot(slot) is None
    assert WAY_OUT in outcome.said
    assert button_payloads(outcome) == BUTTONS
    # Never the same question a third time without the offer: the third rejection offers it again.
    third = run(action, answer(form, slot, bad, from_text, earlier(slot, (bad, None), (bad, None))))
    assert WAY_OUT in third.said


@P
def test_questions_and_the_way_out_buttons_between_do_not_break_the_count(
    services_db, action, form, slot, bad, good, from_text
):
    history = earlier(slot, (bad, None), ("Prøv igen", None), ("/contact_entry_point", None), (bad, None))
    assert WAY_OUT in run(action, answer(form, slot, bad, from_text, history)).said


@P
def test_an_accepted_answer_starts_the_count_again(event_with_anna, action, form, slot, bad, good, from_text):
    accepted = run(action, answer(form, slot, good, from_text, earlier(slot, (bad, None))))
    assert accepted.slot(slot) not in (None, "<not set>") and WAY_OUT not in accepted.said
    # Asked the same question later (the person corrects the answers): the count starts from 0.
    history = earlier(slot, (bad, None), (good, accepted.slot(slot)))
    assert WAY_OUT not in run(action, answer(form, slot, bad, from_text, history)).said


@P
def test_another_try_asks_the_question_again_quietly(action, form, slot, bad, good, from_text):
    outcome = run(action, answer(form, slot, "Prøv igen", from_text, earlier(slot, (bad, None), (bad, None))))
    assert outcome.events == [SlotSet(slot, None)]
    assert outcome.messages == []


@P
def test_a_person_gives_the_entry_point_and_the_question_again(
    services_db, action, form, slot, bad, good, from_text
):
    tracker = form_tracker(
        form, slot, "/contact_entry_point", "contact_entry_point",
        slots={slots.PLACE: "municipality:217", slots.MUNICIPALITY: "Helsingør"},
    )  # fmt: skip
    outcome = run(action, tracker)
    assert "Sundhedshuset i Helsingør" in outcome.said  # the entry point, from the real database
    assert outcome.slot(slot) is None  # so the form asks again
    assert slots.AWAITING not in outcome.slots


def test_the_event_forms_name_the_organiser(event_with_anna):
    failed = earlier(slots.REG_EMAIL, ("anna(at)example", None))
    registration = run(
        ValidateRegistrationForm(),
        answer(
            "registration_form", slots.REG_EMAIL, "anna(at)example", True, failed, event_id=event_with_anna
        ),
    )
    assert "Testsekretariatet" in registration.said
    failed = earlier(slots.CANCEL_EMAIL, ("ingen@example.dk", None))
    cancellation = run(
        ValidateCancellationForm(),
        answer(
            "cancellation_form",
            slots.CANCEL_EMAIL,
            "ingen@example.dk",
            True,
            failed,
            event_id=event_with_anna,
        ),
    )
    assert "Testsekretariatet" in cancellation.said


def test_the_cancellation_form_given_an_unknown_e_mail_offers_the_way_out(services_db):
    # The issue: an e-mail it cannot find was asked for forever.
    asked = earlier(slots.CANCEL_EMAIL)
    first = run(
        ValidateCancellationForm(),
        answer("cancellation_form", slots.CANCEL_EMAIL, "x@example.dk", True, asked),
    )
    assert "x@example.dk" in first.said and WAY_OUT not in first.said
    again = earlier(slots.CANCEL_EMAIL, ("x@example.dk", None))
    second = run(
        ValidateCancellationForm(),
        answer("cancellation_form", slots.CANCEL_EMAIL, "x@example.dk", True, again),
    )
    assert WAY_OUT in second.said and "/stop" in button_payloads(second)


@P
def test_the_stop_button_ends_every_form(action, form, slot, bad, good, from_text):
    # Nothing extracted: Rasa rejects the form and its stop rule runs action_stop_form.
    outcome = run(action, form_tracker(form, slot, "/stop", "stop"))
    assert outcome.events == [] and outcome.messages == []
