"""Each form's first turn over REST: the opening message is not taken for an answer, so the form
says what it does and asks its first question, without "Du har ikke skrevet ..." before it."""

from __future__ import annotations

import pytest

from tests.conftest import new_sender
from tests.e2e.test_callbacks import REFERENCE, fill_form
from tests.e2e.test_events import add_event

# What a rejected answer sounds like (bot/copy/): none of it belongs in a form's first turn.
COMPLAINTS = ("Du har ikke skrevet", "Det ligner ikke", "passer ikke")


@pytest.mark.parametrize(
    ("opening", "first_question"),
    [
        ("jeg vil afmelde mig", "Hvilken e-mailadresse brugte du"),
        ("jeg vil trække min anmodning tilbage", "Hvad er referencen"),
        ("kan I ringe mig op?", "Hvad er dit fulde navn"),
    ],
)
def test_the_opening_message_is_not_an_answer(rasa_stack, opening, first_question):
    reply = rasa_stack.texts(opening, new_sender())
    assert first_question in reply
    assert not [complaint for complaint in COMPLAINTS if complaint in reply], reply


def test_registration_starts_with_its_first_question(rasa_stack):
    event_id = add_event(rasa_stack.database_url)
    reply = rasa_stack.texts(f'/register_event{{"event_id": "{event_id}"}}', new_sender())
    assert "navn" in reply.lower()
    assert not [complaint for complaint in COMPLAINTS if complaint in reply], reply


def test_a_reference_in_the_opening_message_is_kept_and_the_phone_asked(rasa_stack):
    # A value the start action takes from the message is validated as before: the form goes on.
    sender = new_sender()
    fill_form(rasa_stack, sender, "Karen Prøvesen", "87654321", "Spørgsmål om genoptræning")
    reference = REFERENCE.search(rasa_stack.texts("ja", sender)).group(0)
    reply = rasa_stack.texts(f"jeg vil trække min anmodning {reference} tilbage", new_sender())
    assert "Hvilket telefonnummer skrev du" in reply and "Hvad er referencen" not in reply
    assert not [complaint for complaint in COMPLAINTS if complaint in reply], reply
