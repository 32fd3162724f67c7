"""Call-back requests and their withdrawal: the form's checks, the consent summary, storing, withdrawing."""

from __future__ import annotations

from rasa_sdk.events import FollowupAction, SlotSet
from sqlalchemy import select

from actions import slots
from actions.callbacks import (
    ActionAskCallbackConsent,
    ActionSubmitCallback,
    ActionSubmitWithdraw,
    ActionWithdrawCallback,
    ValidateCallbackForm,
    ValidateWithdrawForm,
)
from bot import callbacks
from bot.db import session_scope
from bot.models import CallbackRequest
from tests.actions.support import form_tracker, make_tracker, run

REQUEST = {
    slots.CALLBACK_NAME: "Anna Testesen",
    slots.CALLBACK_PHONE: "+4512345678",
    slots.CALLBACK_TOPIC: "Min fars udskrivelse",
}


def stored(database_url: str) -> list[CallbackRequest]:
    with session_scope(database_url) as session:
        return list(session.execute(select(CallbackRequest)).scalars())


def answer_callback(slot: str, text: str, intent: str = "inform_place", confidence: float = 0.95):
    return run(ValidateCallbackForm(), form_tracker("callback_form", slot, text, intent, confidence))


def answer_withdraw(slot: str, text: str, intent: str = "inform_place"):
    return run(ValidateWithdrawForm(), form_tracker("withdraw_form", slot, text, intent))


# --- validate_callback_form


def test_each_answer_is_checked_and_normalised():
    name = answer_callback(slots.CALLBACK_NAME, "Dorte Eksempel", "stop")  # the NLU's intent does not matter
    assert name.slot(slots.CALLBACK_NAME) == "Dorte Eksempel"
    assert answer_callback(slots.CALLBACK_PHONE, "12 34 56 78").slot(slots.CALLBACK_PHONE) == "+4512345678"
    assert answer_callback(slots.CALLBACK_TOPIC, "Genoptræning").slot(slots.CALLBACK_TOPIC) == "Genoptræning"
    assert answer_callback(slots.CALLBACK_CONSENT, "ja", "affirm").slot(slots.CALLBACK_CONSENT) is True
    assert answer_callback(slots.CALLBACK_CONSENT, "nej", "deny").slot(slots.CALLBACK_CONSENT) is False


def test_bad_answers_get_a_danish_reason_and_the_question_again():
    phone = answer_callback(slots.CALLBACK_PHONE, "+46 70 123 45 67")
    assert phone.slot(slots.CALLBACK_PHONE) is None and "Kun danske telefonnumre" in phone.said
    name = answer_callback(slots.CALLBACK_NAME, "123")
    assert name.slot(slots.CALLBACK_NAME) is None and "navn" in name.said.lower()
    consent = answer_callback(slots.CALLBACK_CONSENT, "måske", "nlu_fallback", 0.3)
    assert consent.slot(slots.CALLBACK_CONSENT) is None and "Svar ja eller nej" in consent.said


def test_a_cpr_number_is_never_kept():
    name = answer_callback(slots.CALLBACK_NAME, "010203-1234")
    assert name.slot(slots.CALLBACK_NAME) is None and "CPR" in name.said
    phone = answer_callback(slots.CALLBACK_PHONE, "0102031234")
    assert phone.slot(slots.CALLBACK_PHONE) is None and "CPR" in phone.said
    topic = answer_callback(slots.CALLBACK_TOPIC, "Om min mor, 010203-1234")
    assert "010203-1234" not in str(topic.slot(slots.CALLBACK_TOPIC)) and "CPR" in topic.said


def test_correct_starts_the_form_over():
    outcome = answer_callback(slots.CALLBACK_CONSENT, "ret", "nlu_fallback", 0.3)
    assert "forfra" in outcome.said
    assert all(outcome.slot(slot) is None for slot in slots.CALLBACK_FORM_SLOTS)


def test_withdrawing_during_the_call_back_form_ends_it_through_its_stop_rule():
    outcome = answer_callback(slots.CALLBACK_PHONE, "træk min anmodning tilbage", "withdraw_callback")
    assert outcome.events == [] and outcome.messages == []


# --- action_ask_callback_consent and action_submit_callback


def test_consent_summary_shows_what_is_stored_and_why(services_db):
    tracker = make_tracker("Min fars udskrivelse", slots={**REQUEST, slots.HOUSE_IDS: ["helsingoer"]})
    outcome = run(ActionAskCallbackConsent(), tracker)
    said = outcome.said
    assert "Navn: Anna Testesen" in said and "Telefon: 12 34 56 78" in said
    assert "Emne: Min fars udskrivelse" in said and "Sundhedshus: Sundhedshuset i Helsingør" in said
    assert "Må vi gemme" in said and "/affirm" in said and "/deny" in said
    assert outcome.events == [] and stored(services_db) == []


def test_consent_question_tells_purpose_retention_withdrawal_and_controller(services_db, monkeypatch):
    monkeypatch.setenv("CALLBACK_RETENTION_DAYS", "14")
    monkeypatch.delenv("DATA_CONTROLLER_NAME", raising=False)
    said = run(ActionAskCallbackConsent(), make_tracker("x", slots=REQUEST)).said
    assert "senest 14 dage efter din henvendelse" in said
    assert '"træk min anmodning tilbage"' in said
    assert "ikke angivet nogen dataansvarlig" in said  # honest when not configured
    assert said.index("dataansvarlig") < said.index("Må vi gemme")  # told before consent is asked
    assert stored(services_db) == []


def test_submit_with_consent_stores_the_request_with_a_reference(services_db):
    values = {**REQUEST, slots.CALLBACK_CONSENT: True, slots.PLACE: "municipality:217"}
    outcome = run(ActionSubmitCallback(), make_tracker("ja", "affirm", slots=values, sender="conversation-1"))
    [request] = stored(services_db)
    assert (request.name, request.phone, request.house_id) == ("Anna Testesen", "+4512345678", "helsingoer")
    assert request.sender_id == "conversation-1" and request.consent_at is not None
    assert request.reference in outcome.said and "12 34 56 78" in outcome.said
    assert outcome.slot(slots.CALLBACK_REFERENCE) == request.reference
    assert all(outcome.slot(slot) is None for slot in slots.CALLBACK_FORM_SLOTS)


def test_submit_without_consent_stores_nothing(services_db):
    values = {**REQUEST, slots.CALLBACK_CONSENT: False}
    outcome = run(ActionSubmitCallback(), make_tracker("nej", "deny", slots=values))
    assert outcome.responses == ["utter_callback_not_saved"] and stored(services_db) == []


# --- action_withdraw_callback, validate_withdraw_form, action_submit_withdraw


def test_withdraw_this_conversations_request_at_once(services_db):
    # Made in this conversation (make_tracker's sender): only then is no phone number asked.
    request = callbacks.create_callback(
        None, "Anna Testesen", "12345678", "Et emne", consent=True, sender_id="test-sender"
    )
    values = {slots.CALLBACK_REFERENCE: request.reference}
    outcome = run(
        ActionWithdrawCallback(),
        make_tracker("træk min anmodning tilbage", "withdraw_callback", slots=values),
    )
    assert f"Din anmodning {request.reference} er trukket tilbage" in outcome.said
    assert outcome.events == [SlotSet(slots.CALLBACK_REFERENCE, None)]
    [withdrawn] = stored(services_db)
    assert withdrawn.withdrawn_at is not None
    assert (withdrawn.name, withdrawn.phone, withdrawn.topic) == ("", "", "")  # withdrawing deletes


def test_withdraw_from_another_conversation_starts_the_form_with_the_reference_given(services_db):
    outcome = run(ActionWithdrawCallback(), make_tracker("træk RB-7K3Q tilbage", "withdraw_callback"))
    assert outcome.slot(slots.WITHDRAW_REFERENCE) == "RB-7K3Q" and outcome.slot(slots.WITHDRAW_PHONE) is None
    assert outcome.events[-1] == FollowupAction("withdraw_form")


def test_withdraw_form_checks_the_reference_and_the_phone():
    assert (
        answer_withdraw(slots.WITHDRAW_REFERENCE, "rb 7k3q", "stop").slot(slots.WITHDRAW_REFERENCE)
        == "RB-7K3Q"
    )
    bad = answer_withdraw(slots.WITHDRAW_REFERENCE, "ved ikke", "deny")
    assert bad.slot(slots.WITHDRAW_REFERENCE) is None and "RB-7K3Q" in bad.said
    assert answer_withdraw(slots.WITHDRAW_PHONE, "87 65 43 21").slot(slots.WITHDRAW_PHONE) == "+4587654321"


def test_submit_withdraw_needs_the_matching_phone(services_db):
    request = callbacks.create_callback(None, "Bent Prøvesen", "87654321", "Et emne", consent=True)
    wrong = {slots.WITHDRAW_REFERENCE: request.reference, slots.WITHDRAW_PHONE: "+4511223344"}
    outcome = run(ActionSubmitWithdraw(), make_tracker("11 22 33 44", slots=wrong))
    assert "Jeg kan ikke finde en anmodning" in outcome.said and stored(services_db)[0].withdrawn_at is None
    right = {**wrong, slots.WITHDRAW_PHONE: "+4587654321"}
    outcome = run(ActionSubmitWithdraw(), make_tracker("87 65 43 21", slots=right))
    assert f"Din anmodning {request.reference} er trukket tilbage" in outcome.said
    assert stored(services_db)[0].withdrawn_at is not None
    assert outcome.slots == dict.fromkeys(slots.WITHDRAW_FORM_SLOTS)


def test_a_reference_slot_from_another_conversation_withdraws_nothing(services_db):
    request = callbacks.create_callback(
        None, "Anna Testesen", "12345678", "Et emne", consent=True, sender_id="someone-else"
    )
    values = {slots.CALLBACK_REFERENCE: request.reference}
    outcome = run(
        ActionWithdrawCallback(),
        make_tracker("træk min anmodning tilbage", "withdraw_callback", slots=values),
    )
    assert "trukket tilbage" not in outcome.said
    assert stored(services_db)[0].withdrawn_at is None
