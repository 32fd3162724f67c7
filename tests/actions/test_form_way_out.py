"""The way out of every form (actions/forms.py): two rejected answers to one question, then a person,
another try or stopping is offered; an accepted answer starts the count again."""

from __future__ import annotations

import pytest

from actions import slots
from actions.callbacks import ValidateCallbackForm, ValidateWithdrawForm
from actions.events import ValidateCancellationForm, ValidateRegistrationForm
from bot import events
from tests.actions.support import form_tracker, run

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


def answer(form: str, slot: str, text: str, from_text: bool, failures: int | None, **slots_before):
    return form_tracker(
        form, slot, text, "inform_place", slots={slots.FORM_FAILURES: failures, **slots_before},
        extracted={slot: text} if from_text else None,
    )  # fmt: skip


def button_payloads(outcome) -> list[str]:
    return [button["payload"] for message in outcome.messages for button in message.get("buttons") or []]


@pytest.mark.parametrize(("action", "form", "slot", "bad", "good", "from_text"), FORMS, ids=FORM_IDS)
def test_the_first_rejection_asks_again_without_the_offer(
    event_with_anna, action, form, slot, bad, good, from_text
):
    outcome = run(action, answer(form, slot, bad, from_text, None))
    assert outcome.slot(slot) is None and outcome.slot(slots.FORM_FAILURES) == 1
    assert outcome.said and WAY_OUT not in outcome.said  # the reason, and the question again
    assert button_payloads(outcome) == []


@pytest.mark.parametrize(("action", "form", "slot", "bad", "good", "from_text"), FORMS, ids=FORM_IDS)
def test_the_second_rejection_offers_a_person_another_try_or_stopping(
    event_with_anna, action, form, slot, bad, good, from_text
):
    outcome = run(action, answer(form, slot, bad, from_text, 1))
    assert outcome.slot(slot) is None and outcome.slot(slots.FORM_FAILURES) == 2
    assert WAY_OUT in outcome.said
    assert button_payloads(outcome) == BUTTONS
    # Never the same question a third time without the offer: the third rejection offers it again.
    third = run(action, answer(form, slot, bad, from_text, 2))
    assert WAY_OUT in third.said and third.slot(slots.FORM_FAILURES) == 3


@pytest.mark.parametrize(("action", "form", "slot", "bad", "good", "from_text"), FORMS, ids=FORM_IDS)
def test_an_accepted_answer_starts_the_count_again(event_with_anna, action, form, slot, bad, good, from_text):
    outcome = run(action, answer(form, slot, good, from_text, 1))
    assert outcome.slot(slot) not in (None, "<not set>")
    assert outcome.slot(slots.FORM_FAILURES) == 0 and WAY_OUT not in outcome.said


@pytest.mark.parametrize(("action", "form", "slot", "bad", "good", "from_text"), FORMS, ids=FORM_IDS)
def test_another_try_asks_the_question_again_quietly(action, form, slot, bad, good, from_text):
    outcome = run(action, answer(form, slot, "Prøv igen", from_text, 2))
    assert outcome.events == [{"event": "slot", "timestamp": None, "name": slot, "value": None}]
    assert outcome.messages == []


@pytest.mark.parametrize(("action", "form", "slot", "bad", "good", "from_text"), FORMS, ids=FORM_IDS)
def test_a_person_gives_the_entry_point_and_the_question_again(
    services_db, action, form, slot, bad, good, from_text
):
    tracker = form_tracker(
        form, slot, "/contact_entry_point", "contact_entry_point",
        slots={slots.FORM_FAILURES: 2, slots.PLACE: "municipality:217", slots.MUNICIPALITY: "Helsingør"},
    )  # fmt: skip
    outcome = run(action, tracker)
    assert "Sundhedshuset i Helsingør" in outcome.said  # the entry point, from the real database
    assert outcome.slot(slot) is None  # so the form asks again
    assert slots.AWAITING not in outcome.slots


def test_the_event_forms_name_the_organiser(event_with_anna):
    registration = run(
        ValidateRegistrationForm(),
        answer("registration_form", slots.REG_EMAIL, "anna(at)example", True, 1, event_id=event_with_anna),
    )
    assert "Testsekretariatet" in registration.said
    cancellation = run(
        ValidateCancellationForm(),
        answer(
            "cancellation_form", slots.CANCEL_EMAIL, "ingen@example.dk", True, 1, event_id=event_with_anna
        ),
    )
    assert "Testsekretariatet" in cancellation.said


def test_the_cancellation_form_given_an_unknown_e_mail_offers_the_way_out(services_db):
    # The issue: an e-mail it cannot find was asked for forever.
    first = run(
        ValidateCancellationForm(), answer("cancellation_form", slots.CANCEL_EMAIL, "x@example.dk", True, 0)
    )
    assert "x@example.dk" in first.said and WAY_OUT not in first.said
    second = run(
        ValidateCancellationForm(), answer("cancellation_form", slots.CANCEL_EMAIL, "x@example.dk", True, 1)
    )
    assert WAY_OUT in second.said and "/stop" in button_payloads(second)


@pytest.mark.parametrize(("action", "form", "slot", "bad", "good", "from_text"), FORMS, ids=FORM_IDS)
def test_starting_a_form_starts_the_count(action, form, slot, bad, good, from_text):
    tracker = form_tracker(form, slot, "start", "inform_place", slots={slots.FORM_FAILURES: 3})
    tracker.slots[slots.REQUESTED_SLOT] = None
    outcome = run(action, tracker)
    assert outcome.slot(slots.FORM_FAILURES) == 0
