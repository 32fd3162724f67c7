"""Registration and cancellation: starting the forms, checking each answer, summaries, storing, cancelling."""

from __future__ import annotations

from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from sqlalchemy import select

from actions import slots
from actions.events import (
    ActionAskCancelConfirm,
    ActionAskRegConfirm,
    ActionStartCancellation,
    ActionStartRegistration,
    ActionSubmitCancellation,
    ActionSubmitRegistration,
    ActionYesNo,
    ValidateCancellationForm,
    ValidateRegistrationForm,
)
from actions.forms import ActionNothingToStop
from bot import events, wording
from bot.db import session_scope
from bot.models import Registration
from tests.actions.support import Outcome, form_tracker, make_tracker, run

PERSON = {
    slots.REG_NAME: "Anna Jensen",
    slots.REG_EMAIL: "anna.jensen@example.dk",
    slots.REG_ORGANISATION: "Albertslund Kommune",
    slots.REG_ROLE: "kommune",
    slots.REG_NOTE: "ingen",
}


def register_payload(event_id: str) -> str:
    return f'/register_event{{"event_id": "{event_id}"}}'


def event_entity(event_id: str) -> list[dict]:
    return [{"entity": "event_id", "value": event_id}]


def active(database_url: str, event_id: str) -> list[events.RegistrationView]:
    return [r for r in events.registrations_for_event(database_url, event_id) if r.status != "cancelled"]


def register(database_url: str, event_id: str, email: str = "anna.jensen@example.dk") -> str:
    """Register; the cancellation code the confirmation gave."""
    person = {**PERSON, slots.REG_EMAIL: email}
    return events.register(
        database_url, event_id, name=person[slots.REG_NAME], email=email,
        organisation=person[slots.REG_ORGANISATION], role="kommune",
    ).cancel_code  # fmt: skip


# --- action_start_registration


def test_start_registration_says_why_and_starts_the_form(add_event):
    event_id = add_event()
    tracker = make_tracker(register_payload(event_id), "register_event", entities=event_entity(event_id))
    outcome = run(ActionStartRegistration(), tracker)
    assert "Du tilmelder dig" in outcome.said and "annuller" in outcome.said
    assert outcome.slot(slots.EVENT_ID) == event_id and outcome.slot(slots.REG_WAITING_LIST) is False
    assert outcome.events[-1] == FollowupAction("registration_form")


def test_start_registration_tells_purpose_retention_withdrawal_and_controller(add_event, monkeypatch):
    monkeypatch.setenv("REGISTRATION_RETENTION_DAYS", "45")
    monkeypatch.setenv("DATA_CONTROLLER_NAME", "Region Testland")
    monkeypatch.setenv("DATA_CONTROLLER_CONTACT", "privacy@example.invalid")
    event_id = add_event()
    tracker = make_tracker(register_payload(event_id), "register_event", entities=event_entity(event_id))
    said = run(ActionStartRegistration(), tracker).said
    assert "senest 45 dage efter arrangementet" in said
    assert '"afmeld mig"' in said and "sletter vi" in said
    assert "Region Testland er ansvarlig for dine oplysninger" in said and "privacy@example.invalid" in said


def test_start_registration_closed_event_gives_the_organisers_contact(add_event):
    event_id = add_event(deadline_days=-1)
    tracker = make_tracker(register_payload(event_id), "register_event", entities=event_entity(event_id))
    outcome = run(ActionStartRegistration(), tracker)
    assert "lukket" in outcome.said and "Testsekretariatet" in outcome.said
    assert "example.invalid" not in outcome.said  # a placeholder address is never offered
    assert outcome.events == [SlotSet(slots.EVENT_ID, None)]


def test_start_registration_full_event_offers_the_waiting_list(services_db, add_event):
    event_id = add_event(capacity=1)
    register(services_db, event_id, "first@example.dk")
    tracker = make_tracker(register_payload(event_id), "register_event", entities=event_entity(event_id))
    outcome = run(ActionStartRegistration(), tracker)
    assert "Alle pladser" in outcome.said and outcome.slot(slots.AWAITING) == "waiting_list"
    assert not any(e.get("event") == "followup" for e in outcome.events)


def test_start_registration_without_an_event_asks_which(services_db):
    outcome = run(ActionStartRegistration(), make_tracker("jeg vil gerne tilmelde mig", "register_event"))
    assert "Hvilket arrangement" in outcome.said and "/register_event" in outcome.said
    assert outcome.events == []


# --- validate_registration_form


def answer_registration(slot: str, text: str, intent: str = "inform_place", **slots_before):
    tracker = form_tracker(
        "registration_form", slot, text, intent, slots=slots_before, extracted={slot: text}
    )
    return run(ValidateRegistrationForm(), tracker)


def test_registration_answers_are_validated_and_normalised():
    assert answer_registration(slots.REG_NAME, "Anna Jensen").slot(slots.REG_NAME) == "Anna Jensen"
    email = answer_registration(slots.REG_EMAIL, "Anna.Jensen@Example.dk")
    assert email.slot(slots.REG_EMAIL) == "anna.jensen@example.dk"
    assert answer_registration(slots.REG_ORGANISATION, "nej").slot(slots.REG_ORGANISATION) == "ingen"
    assert answer_registration(slots.REG_ROLE, "kommune").slot(slots.REG_ROLE) == "kommune"
    assert answer_registration(slots.REG_NOTE, "nej tak").slot(slots.REG_NOTE) == "ingen"


def test_bad_registration_answers_get_the_reason_and_are_asked_again():
    for slot, bad, reason in [
        (slots.REG_NAME, "😀😀😀", "navn"),
        (slots.REG_EMAIL, "ikke-en-mail", "e-mail"),
        (slots.REG_ROLE, "astronaut", "rolle"),
        (slots.REG_NOTE, "y" * 10_000, "500"),
    ]:
        outcome = answer_registration(slot, bad)
        assert outcome.slot(slot) is None, slot
        assert reason in outcome.said.lower(), (slot, outcome.said)


def test_an_e_mail_is_the_answer_even_when_the_nlu_calls_it_a_question():
    outcome = answer_registration(slots.REG_EMAIL, "har@example.dk", intent="ask_hours")
    assert outcome.slot(slots.REG_EMAIL) == "har@example.dk" and outcome.messages == []


# --- action_ask_reg_confirm and action_submit_registration


def test_registration_summary_shows_exactly_what_will_be_stored(add_event):
    event_id = add_event()
    tracker = make_tracker("nej", "deny", slots={**PERSON, slots.EVENT_ID: event_id})
    outcome = run(ActionAskRegConfirm(), tracker)
    assert "Anna Jensen" in outcome.said and "anna.jensen@example.dk" in outcome.said
    assert "/affirm" in outcome.said and "/deny" in outcome.said and outcome.events == []


def test_registration_summary_for_a_vanished_event_ends_the_form(services_db):
    outcome = run(ActionAskRegConfirm(), make_tracker("nej", "deny", slots={slots.EVENT_ID: "findes-ikke"}))
    assert outcome.events == [ActiveLoop(None), SlotSet(slots.REQUESTED_SLOT, None)]


def test_submit_registration_stores_it_once(services_db, add_event):
    event_id = add_event()
    values = {**PERSON, slots.EVENT_ID: event_id, slots.REG_CONFIRM: True}
    outcome = run(ActionSubmitRegistration(), make_tracker("ja", "affirm", slots=values))
    assert "Du er tilmeldt" in outcome.said
    [stored] = active(services_db, event_id)
    assert (stored.name, stored.email, stored.role, stored.status) == (
        "Anna Jensen", "anna.jensen@example.dk", "kommune", "confirmed"
    )  # fmt: skip
    assert outcome.slots == {slots.REG_NOTE: None, slots.REG_CONFIRM: None, slots.REG_WAITING_LIST: None}
    again = run(ActionSubmitRegistration(), make_tracker("ja", "affirm", slots=values))
    assert "allerede tilmeldt" in again.said and len(active(services_db, event_id)) == 1


def test_submit_registration_without_confirmation_stores_nothing(services_db, add_event):
    event_id = add_event()
    values = {**PERSON, slots.EVENT_ID: event_id, slots.REG_CONFIRM: False}
    outcome = run(ActionSubmitRegistration(), make_tracker("nej", "deny", slots=values))
    assert outcome.responses == ["utter_registration_not_saved"] and active(services_db, event_id) == []


def test_submit_registration_on_the_waiting_list(services_db, add_event):
    event_id = add_event(capacity=1)
    register(services_db, event_id, "first@example.dk")
    values = {**PERSON, slots.EVENT_ID: event_id, slots.REG_CONFIRM: True, slots.REG_WAITING_LIST: True}
    outcome = run(ActionSubmitRegistration(), make_tracker("ja", "affirm", slots=values))
    assert "nr. 1 på ventelisten" in outcome.said
    assert {r.email: r.status for r in active(services_db, event_id)} == {
        "first@example.dk": "confirmed", "anna.jensen@example.dk": "waiting"
    }  # fmt: skip


# --- action_yes_no


def test_yes_to_the_waiting_list_starts_the_form(add_event):
    event_id = add_event()
    values = {slots.AWAITING: "waiting_list", slots.EVENT_ID: event_id}
    outcome = run(ActionYesNo(), make_tracker("ja", "affirm", slots=values))
    assert outcome.slot(slots.REG_WAITING_LIST) is True and outcome.events[-1] == FollowupAction(
        "registration_form"
    )


def test_no_to_the_waiting_list(add_event):
    values = {slots.AWAITING: "waiting_list", slots.EVENT_ID: add_event()}
    outcome = run(ActionYesNo(), make_tracker("nej", "deny", slots=values))
    assert "ikke skrevet på ventelisten" in outcome.said and outcome.events == [SlotSet(slots.AWAITING, None)]


def _stop_after(outcome: Outcome, slot_values: dict) -> Outcome:
    """A plain "stop" right after what the action said, as Rasa would send it."""
    before = [{"event": "user", "text": "jeg vil gerne tilmelde mig"}]
    said = [{"event": "bot", "text": message.get("text")} for message in outcome.messages]
    return run(ActionNothingToStop(), make_tracker("stop", "stop", slots=slot_values, events=before + said))


def test_stop_when_asked_which_event_stops_the_sign_up(services_db):
    asked = run(ActionStartRegistration(), make_tracker("jeg vil gerne tilmelde mig", "register_event"))
    outcome = _stop_after(asked, {})
    assert outcome.responses == ["utter_registration_stopped"]
    assert outcome.slot(slots.AWAITING) is None and outcome.slot(slots.EVENT_ID) is None


def test_stop_when_offered_the_waiting_list_stops_the_sign_up(services_db, add_event):
    event_id = add_event(capacity=1)
    register(services_db, event_id, "first@example.dk")
    tracker = make_tracker(register_payload(event_id), "register_event", entities=event_entity(event_id))
    offered = run(ActionStartRegistration(), tracker)
    outcome = _stop_after(offered, {slots.AWAITING: "waiting_list", slots.EVENT_ID: event_id})
    assert outcome.responses == ["utter_registration_stopped"]
    assert outcome.slot(slots.AWAITING) is None and outcome.slot(slots.EVENT_ID) is None


def test_stop_a_turn_after_the_question_is_not_taken_for_it(services_db, add_event):
    """The `awaiting` slot can outlive its question; only what was said in the last turn counts."""
    values = {slots.AWAITING: "waiting_list", slots.EVENT_ID: add_event(capacity=1)}
    earlier = [
        {"event": "bot", "text": wording.text("events.which_event")},
        {"event": "user", "text": "hvor kan jeg få taget en blodprøve i Helsingør?"},
        {"event": "bot", "text": "Sundhedshuset i Helsingør har blodprøver."},
    ]
    outcome = run(ActionNothingToStop(), make_tracker("stop", "stop", slots=values, events=earlier))
    assert outcome.responses == ["utter_help_topics"] and outcome.events == []


def test_yes_out_of_context_gets_the_help_topics():
    outcome = run(ActionYesNo(), make_tracker("ja", "affirm"))
    assert outcome.responses == ["utter_help_topics"] and outcome.events == []


# --- cancellation


def test_start_cancellation_reuses_the_e_mail_known_from_the_conversation(services_db):
    tracker = make_tracker(
        "afmeld mig", "cancel_registration", slots={slots.REG_EMAIL: "anna.jensen@example.dk"}
    )
    outcome = run(ActionStartCancellation(), tracker)
    assert (
        outcome.slot(slots.CANCEL_EMAIL) == "anna.jensen@example.dk"
        and outcome.slot(slots.CANCEL_EVENT) is None
    )
    assert outcome.events[-1] == FollowupAction("cancellation_form") and "annuller" in outcome.said


def test_cancellation_e_mail_is_taken_without_saying_whether_it_is_registered(services_db):
    tracker = form_tracker(
        "cancellation_form", slots.CANCEL_EMAIL, "Ingen@Example.dk", "inform_place",
        extracted={slots.CANCEL_EMAIL: "Ingen@Example.dk"},
    )  # fmt: skip
    outcome = run(ValidateCancellationForm(), tracker)
    assert outcome.slot(slots.CANCEL_EMAIL) == "ingen@example.dk" and outcome.said == ""


def code_tracker(code: str | None, email: str = "anna.jensen@example.dk", **values) -> object:
    return form_tracker(
        "cancellation_form", slots.CANCEL_CODE, code, "inform_place",
        slots={slots.CANCEL_EMAIL: email, **values}, extracted={slots.CANCEL_CODE: code},
    )  # fmt: skip


def test_right_e_mail_and_code_choose_the_registration(services_db, add_event):
    event_id = add_event()
    code = register(services_db, event_id)
    register(services_db, add_event(title="Rundvisning for naboer"))
    outcome = run(ValidateCancellationForm(), code_tracker(code.lower()))
    assert outcome.slot(slots.CANCEL_CODE) == code and outcome.slot(slots.CANCEL_EVENT) == event_id
    assert outcome.said == ""


def test_wrong_code_and_unknown_e_mail_get_the_same_answer(services_db, add_event):
    event_id = add_event(title="Temadag om genoptræning")
    code = register(services_db, event_id)
    wrong = "".join(reversed(code)) if code != code[::-1] else "ABCDEF"
    wrong_code = run(ValidateCancellationForm(), code_tracker(wrong))
    unknown_address = run(ValidateCancellationForm(), code_tracker(code, email="ingen@example.dk"))
    assert wrong_code.messages == unknown_address.messages and wrong_code.events == unknown_address.events
    assert "passer ikke" in wrong_code.said and "genoptræning" not in wrong_code.said
    assert wrong_code.slot(slots.CANCEL_EMAIL) is None and wrong_code.slot(slots.CANCEL_CODE) is None
    assert wrong_code.slot(slots.CANCEL_ATTEMPTS) == 1
    assert len(active(services_db, event_id)) == 1


def test_second_wrong_pair_ends_the_form_and_points_to_the_organiser(services_db, add_event):
    event_id = add_event(title="Temadag om genoptræning")
    register(services_db, event_id)
    known = {slots.CANCEL_ATTEMPTS: 1, slots.CANCEL_EVENT: event_id}
    outcome = run(ValidateCancellationForm(), code_tracker("ABCDEF", **known))
    assert "Kontakt arrangøren" in outcome.said and "Testsekretariatet" in outcome.said
    assert outcome.slot(slots.REQUESTED_SLOT) is None and outcome.slot(slots.CANCEL_ATTEMPTS) == 2
    assert len(active(services_db, event_id)) == 1
    # Without an event from the conversation: the entry point.
    outcome = run(ValidateCancellationForm(), code_tracker("ABCDEF", **{slots.CANCEL_ATTEMPTS: 1}))
    assert "fælles indgang" in outcome.said and outcome.slot(slots.REQUESTED_SLOT) is None


def test_an_emptied_code_is_no_attempt(services_db):
    outcome = run(ValidateCancellationForm(), code_tracker(None))
    assert outcome.said == "" and outcome.slot(slots.CANCEL_ATTEMPTS) == "<not set>"


def test_a_code_typed_as_a_question_is_still_the_answer(services_db, add_event):
    event_id = add_event()
    code = register(services_db, event_id)
    tracker = form_tracker(
        "cancellation_form", slots.CANCEL_CODE, code, "find_service", confidence=0.99,
        slots={slots.CANCEL_EMAIL: "anna.jensen@example.dk"}, extracted={slots.CANCEL_CODE: code},
    )  # fmt: skip
    assert ValidateCancellationForm().takes_as_answer(slots.CANCEL_CODE, tracker)
    assert run(ValidateCancellationForm(), tracker).slot(slots.CANCEL_EVENT) == event_id


def test_ask_cancel_confirm_names_e_mail_and_event(add_event):
    event_id = add_event(title="Temadag om genoptræning")
    values = {slots.CANCEL_EMAIL: "anna.jensen@example.dk", slots.CANCEL_EVENT: event_id}
    outcome = run(ActionAskCancelConfirm(), make_tracker(slots=values))
    assert "anna.jensen@example.dk" in outcome.said and "Temadag om genoptræning" in outcome.said


def test_submit_cancellation_cancels_and_moves_the_waiting_list_up(services_db, add_event):
    event_id = add_event(capacity=1)
    code = register(services_db, event_id, "first@example.dk")
    events.register(
        services_db, event_id, name="Bo Berg", email="bo@example.dk", organisation=None, role="borger",
        accept_waiting_list=True,
    )  # fmt: skip
    values = {
        slots.CANCEL_EMAIL: "first@example.dk",
        slots.CANCEL_CODE: code,
        slots.CANCEL_EVENT: event_id,
        slots.CANCEL_CONFIRM: True,
    }
    outcome = run(ActionSubmitCancellation(), make_tracker("ja", "affirm", slots=values))
    assert "afmeldt" in outcome.said
    assert {r.email: r.status for r in active(services_db, event_id)} == {"bo@example.dk": "confirmed"}
    assert outcome.slots == dict.fromkeys(slots.CANCELLATION_FORM_SLOTS)


def test_submit_cancellation_checks_the_code_again_slots_alone_cancel_nothing(services_db, add_event):
    event_id = add_event()
    register(services_db, event_id)
    values = {
        slots.CANCEL_EMAIL: "anna.jensen@example.dk",
        slots.CANCEL_CODE: "ABCDEF",  # forged: not this registration's code
        slots.CANCEL_EVENT: event_id,
        slots.CANCEL_CONFIRM: True,
    }
    outcome = run(ActionSubmitCancellation(), make_tracker("ja", "affirm", slots=values))
    assert "afmeldt" not in outcome.said and len(active(services_db, event_id)) == 1


def test_submit_after_two_wrong_pairs_says_nothing_more(services_db, add_event):
    event_id = add_event()
    register(services_db, event_id)
    tracker = make_tracker("ABCDEF", "inform_place", slots={slots.CANCEL_ATTEMPTS: 2})
    outcome = run(ActionSubmitCancellation(), tracker)
    assert outcome.messages == [] and outcome.slots == dict.fromkeys(slots.CANCELLATION_FORM_SLOTS)
    assert len(active(services_db, event_id)) == 1


def test_submit_cancellation_deletes_the_persons_data(services_db, add_event):
    event_id = add_event()
    code = register(services_db, event_id, "first@example.dk")
    values = {
        slots.CANCEL_EMAIL: "first@example.dk",
        slots.CANCEL_CODE: code,
        slots.CANCEL_EVENT: event_id,
        slots.CANCEL_CONFIRM: True,
    }
    run(ActionSubmitCancellation(), make_tracker("ja", "affirm", slots=values))
    with session_scope(services_db) as session:
        [row] = session.scalars(select(Registration).where(Registration.event_id == event_id)).all()
        assert row.status == "cancelled"
        assert (row.name, row.email, row.organisation, row.note) == ("", "", None, None)


def test_submit_cancellation_without_confirmation_keeps_the_registration(services_db, add_event):
    event_id = add_event()
    register(services_db, event_id)
    values = {
        slots.CANCEL_EMAIL: "anna.jensen@example.dk",
        slots.CANCEL_EVENT: event_id,
        slots.CANCEL_CONFIRM: False,
    }
    outcome = run(ActionSubmitCancellation(), make_tracker("nej", "deny", slots=values))
    assert outcome.responses == ["utter_cancellation_stopped"] and len(active(services_db, event_id)) == 1
