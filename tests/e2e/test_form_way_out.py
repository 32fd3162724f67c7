"""The way out of a form over REST: two bad answers to one question, then a person, another try or
stopping; stopping stores nothing (the database is checked)."""

from __future__ import annotations

from tests.conftest import new_sender
from tests.e2e.test_callbacks import requests_of
from tests.e2e.test_events import active, add_event

WAY_OUT = "Du kan prøve igen, tale med et menneske eller stoppe"


def payloads(replies: list[dict]) -> list[str]:
    return [button["payload"] for reply in replies for button in reply.get("buttons") or []]


def text_of(replies: list[dict]) -> str:
    return "\n".join(reply.get("text") or "" for reply in replies)


def test_callback_form_bad_phone_twice_offers_the_entry_point_and_stop_stores_nothing(rasa_stack):
    sender = new_sender()
    assert "Sundhedshuset i Helsingør" in rasa_stack.texts("blodprøve i Helsingør", sender)
    rasa_stack.texts("kan I ringe mig op?", sender)
    assert "Hvilket telefonnummer" in rasa_stack.texts("Carla Eksempel", sender)
    first = rasa_stack.send("1234", sender)
    assert "8 cifre" in text_of(first) and WAY_OUT not in text_of(first)
    second = rasa_stack.send("tolv toogtredive", sender)
    assert WAY_OUT in text_of(second) and "Hvilket telefonnummer" in text_of(second)
    assert payloads(second) == ["/contact_entry_point", "Prøv igen", "/stop"]
    person = rasa_stack.texts("/contact_entry_point", sender)
    # The entry point of the house in the conversation, then the question again.
    assert "Sundhedshuset i Helsingør" in person and "Hvilket telefonnummer" in person
    third = rasa_stack.texts("12", sender)
    assert WAY_OUT in third  # never the same question a third time without the way out
    assert "Intet er gemt" in rasa_stack.texts("/stop", sender)
    assert requests_of(rasa_stack.database_url, sender) == []


def test_registration_form_bad_e_mail_twice_offers_the_organiser_and_stop_stores_nothing(rasa_stack):
    event_id = add_event(rasa_stack.database_url)
    sender = new_sender()
    rasa_stack.texts(f'/register_event{{"event_id": "{event_id}"}}', sender)
    assert "e-mail" in rasa_stack.texts("Frida Falk", sender).lower()
    assert WAY_OUT not in rasa_stack.texts("ikke-en-mail", sender)
    second = rasa_stack.send("frida(at)example", sender)
    assert WAY_OUT in text_of(second) and "Testsekretariatet" in text_of(second)
    assert payloads(second) == ["/contact_entry_point", "Prøv igen", "/stop"]
    again = rasa_stack.texts("Prøv igen", sender)
    assert "e-mail" in again.lower() and WAY_OUT not in again
    assert "Intet er gemt" in rasa_stack.texts("/stop", sender)
    assert active(rasa_stack.database_url, event_id) == []


def test_stop_with_nothing_running_leads_to_the_cancellation_a_sign_up_needs(rasa_stack):
    """ "annuller min plads på holdet" as the first message: no form to stop, but a sign-up to undo.
    The classifier may read it as stop (then a button offers the cancellation) or as the
    cancellation itself; either way the person reaches the cancellation's first question."""
    sender = new_sender()
    replies = rasa_stack.send("annuller min plads på holdet", sender)
    asks_e_mail = "Hvilken e-mailadresse brugte du" in text_of(replies)
    if not asks_e_mail:
        assert "Der er ikke noget i gang her" in text_of(replies)
        assert payloads(replies) == ["/cancel_registration", "/contact_entry_point"]
        asks_e_mail = "Hvilken e-mailadresse brugte du" in rasa_stack.texts("/cancel_registration", sender)
    assert asks_e_mail
    assert "Okay, jeg stopper afmeldingen" in rasa_stack.texts("stop", sender)


def test_stop_when_asked_which_event_ends_the_sign_up(rasa_stack):
    """The question "which event?" comes before the form starts; "stop" there still stops the sign-up."""
    for _ in range(2):  # more than one open event, so the assistant has to ask which
        add_event(rasa_stack.database_url)
    sender = new_sender()
    asked = rasa_stack.texts("jeg vil gerne tilmelde mig", sender)
    assert "Hvilket arrangement vil du tilmelde dig?" in asked
    stopped = rasa_stack.texts("stop", sender)
    assert "Okay, jeg stopper tilmeldingen. Intet er gemt." in stopped
    assert "Jeg kan finde det rette sted" not in stopped  # not the help topics as if nothing was asked
