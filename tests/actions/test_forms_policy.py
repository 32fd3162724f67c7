"""The one interruption policy all four forms share (actions/forms.py) and the one stop action."""

from __future__ import annotations

import pytest
from rasa_sdk.events import ActiveLoop, SlotSet

from actions import slots
from actions.callbacks import ValidateCallbackForm, ValidateWithdrawForm
from actions.events import ValidateCancellationForm, ValidateRegistrationForm
from actions.forms import (
    FORM_ENDINGS,
    ActionNothingToStop,
    ActionStopForm,
    looks_like_a_name,
    looks_like_question,
)
from tests.actions.support import form_tracker, make_tracker, run

QUESTION = "hvor kan jeg få taget en blodprøve i Helsingør?"
EMERGENCY = "min mand har ondt i brystet"

# Each form, the slot it asks first, and whether Rasa's mapping already took the text (from_text slots).
FORMS = [
    (ValidateRegistrationForm(), "registration_form", slots.REG_EMAIL, True),
    (ValidateCancellationForm(), "cancellation_form", slots.CANCEL_EMAIL, True),
    (ValidateCallbackForm(), "callback_form", slots.CALLBACK_NAME, False),
    (ValidateWithdrawForm(), "withdraw_form", slots.WITHDRAW_REFERENCE, False),
]
FORM_IDS = [form for _, form, _, _ in FORMS]


def asked(form: str, slot: str, text: str, intent: str, from_text: bool, confidence: float = 0.95):
    return form_tracker(form, slot, text, intent, confidence, extracted={slot: text} if from_text else None)


@pytest.mark.parametrize(("action", "form", "slot", "from_text"), FORMS, ids=FORM_IDS)
def test_a_question_mid_form_is_answered_and_asked_again(services_db, action, form, slot, from_text):
    outcome = run(action, asked(form, slot, QUESTION, "find_service", from_text))
    assert "Sundhedshuset i Helsingør" in outcome.said  # the answer itself, from the real database
    assert outcome.slot(slot) is None  # emptied, so the form asks again
    assert outcome.slot(slots.SERVICE_TYPE) == "blodproever"  # what the answer learnt is kept
    assert outcome.slot(slots.PLACE) == "municipality:217"  # as a stable place key
    assert slots.AWAITING not in outcome.slots  # the answer asks nothing of its own in a form
    assert outcome.slot(slots.REQUESTED_SLOT) == slot or slots.REQUESTED_SLOT not in outcome.slots


@pytest.mark.parametrize(("action", "form", "slot", "from_text"), FORMS, ids=FORM_IDS)
def test_an_emergency_mid_form_gets_112_and_the_question_again(services_db, action, form, slot, from_text):
    outcome = run(action, asked(form, slot, EMERGENCY, "emergency", from_text))
    # No region known and nothing asked back inside a form: 112 and all five regions' numbers.
    assert outcome.responses == ["utter_emergency_all_regions"]
    assert "1813" in outcome.said and "70 15 03 00" in outcome.said  # 112 first: in the domain text
    assert outcome.events == [SlotSet(slot, None)]


@pytest.mark.parametrize(("action", "form", "slot", "from_text"), FORMS, ids=FORM_IDS)
def test_stop_returns_nothing_so_the_form_is_rejected_and_its_stop_rule_runs(action, form, slot, from_text):
    outcome = run(action, form_tracker(form, slot, "annuller", "stop"))
    assert outcome.events == [] and outcome.messages == []


READ_FROM_WORDS = [{"name": "stop", "confidence": 0.5}, {"name": "nlu_fallback", "confidence": 0.5}]


def stop_from_words(slot: str, text: str):
    """The registration form asked `slot`; StopGuard read `text` as stop from its words alone."""
    tracker = form_tracker("registration_form", slot, text, "stop", 0.5, extracted={slot: text})
    tracker.latest_message["intent_ranking"] = READ_FROM_WORDS
    return tracker


def test_a_short_stop_read_from_the_words_ends_a_free_text_answer():
    outcome = run(ValidateRegistrationForm(), stop_from_words(slots.REG_NOTE, "jeg giver op"))
    assert outcome.events == [] and outcome.messages == []


def test_a_long_free_text_answer_with_a_stop_word_is_the_answer():
    note = "Jeg vil gerne vide om mødet afsluttes før kl. 15"
    outcome = run(ValidateRegistrationForm(), stop_from_words(slots.REG_NOTE, note))
    assert outcome.slot(slots.REG_NOTE) == note


@pytest.mark.parametrize(("action", "form", "slot", "from_text"), FORMS, ids=FORM_IDS)
def test_bot_challenge_mid_form_is_answered(action, form, slot, from_text):
    outcome = run(action, asked(form, slot, "er du en robot?", "bot_challenge", from_text))
    assert outcome.responses == ["utter_iamabot"]
    assert outcome.events == [SlotSet(slot, None)]


def test_an_unsure_question_is_taken_as_the_answer(services_db):
    # Below the confidence bar, "Har ingen" is the answer to "any note?", not a question.
    tracker = form_tracker(
        "registration_form", slots.REG_NOTE, "Har brug for en kørestol", "ask_house_services", 0.5,
        extracted={slots.REG_NOTE: "Har brug for en kørestol"},
    )  # fmt: skip
    outcome = run(ValidateRegistrationForm(), tracker)
    assert outcome.slot(slots.REG_NOTE) == "Har brug for en kørestol"
    assert outcome.messages == []


def test_the_shape_of_the_answer_beats_the_intent():
    # Asked what it is about, a question is the topic; asked for a phone number, digits are the number.
    question = "Hvornår kan jeg få svar på prøven?"
    tracker = form_tracker("callback_form", slots.CALLBACK_TOPIC, question, "ask_hours")
    topic = run(ValidateCallbackForm(), tracker)
    assert topic.slot(slots.CALLBACK_TOPIC) == question and topic.messages == []
    phone = run(
        ValidateCallbackForm(),
        form_tracker("callback_form", slots.CALLBACK_PHONE, "hvad med 22 33 44 55?", "contact_entry_point"),
    )
    # Checked as a phone number (and refused for its letters), not answered as a contact question.
    assert phone.slot(slots.CALLBACK_PHONE) is None and "kun indeholde tal" in phone.said
    assert "Telefon:" not in phone.said


def test_a_name_the_nlu_calls_an_emergency_is_a_name():
    tracker = form_tracker("callback_form", slots.CALLBACK_NAME, "Dorte Eksempel", "emergency", 0.9)
    outcome = run(ValidateCallbackForm(), tracker)
    assert outcome.slot(slots.CALLBACK_NAME) == "Dorte Eksempel" and outcome.responses == []


@pytest.mark.parametrize("form", list(FORM_ENDINGS))
def test_stop_action_ends_each_form_and_forgets_what_was_typed(form):
    response, cleared = FORM_ENDINGS[form]
    tracker = make_tracker("annuller", "stop", slots=dict.fromkeys(cleared, "x"), active_loop=form)
    outcome = run(ActionStopForm(), tracker)
    assert outcome.responses == [response]
    assert outcome.events[:2] == [ActiveLoop(None), SlotSet(slots.REQUESTED_SLOT, None)]
    assert outcome.slots == {slots.REQUESTED_SLOT: None, **dict.fromkeys(cleared)}


@pytest.mark.parametrize("action", [ActionStopForm(), ActionNothingToStop()])
def test_stop_outside_a_form_gets_the_help_topics(action):
    outcome = run(action, make_tracker("stop", "stop"))
    assert outcome.responses == ["utter_help_topics"] and outcome.events == []


@pytest.mark.parametrize(
    ("text", "payload"),
    [
        ("annuller min plads på holdet", "/cancel_registration"),
        ("stop min tilmelding til foredraget", "/cancel_registration"),
        ("afbryd opkaldet, I skal ikke ringe mig op alligevel", "/withdraw_callback"),
    ],
)
def test_stop_outside_a_form_naming_a_sign_up_or_call_back_offers_to_undo_it(text, payload):
    outcome = run(ActionNothingToStop(), make_tracker(text, "stop"))
    assert outcome.events == [] and outcome.responses == []
    assert "Der er ikke noget i gang her" in outcome.said
    payloads = [b["payload"] for m in outcome.messages for b in m.get("buttons") or []]
    assert payloads == [payload, "/contact_entry_point"]  # never a dead end


def test_every_form_in_the_domain_has_an_ending_and_a_validation_action():
    from tests.actions.support import domain

    assert set(domain()["forms"]) == set(FORM_ENDINGS) == set(FORM_IDS)


@pytest.mark.parametrize(
    ("text", "question"),
    [("hvor ligger huset?", True), ("Kan I ringe?", True), ("Anna Hansen", False), ("22 33 44 55", False)],
)
def test_looks_like_question(text, question):
    assert looks_like_question(text) is question


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Anna Hansen", True), ("Jens-Ole Ærø", True), ("Jo", True), ("Vi Nguyen", True),
        ("hvem er du", False), ("123", False), ("", False),
        ("jajamen", False), ("Okay", False), ("nix", False),
    ],
)  # fmt: skip
def test_looks_like_a_name(text, name):
    assert looks_like_a_name(text) is name
