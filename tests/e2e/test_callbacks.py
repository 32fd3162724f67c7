"""Call-back requests over REST: the form, storing with consent, staff listing, withdrawing, bad input."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from sqlalchemy import select

from bot import answers
from bot.db import session_scope
from bot.models import CallbackRequest
from bot.settings import PROJECT_ROOT
from tests.conftest import new_sender

REFERENCE = re.compile(r"RB-[2-9A-HJ-NP-Z]{4}")


def requests_of(database_url: str, sender: str) -> list[CallbackRequest]:
    with session_scope(database_url) as session:
        query = select(CallbackRequest).where(CallbackRequest.sender_id == sender)
        return list(session.execute(query).scalars())


def staff_command(database_url: str, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "callbacks", *args],
        cwd=PROJECT_ROOT,
        env=dict(os.environ, DATABASE_URL=database_url, PYTHONPATH=str(PROJECT_ROOT)),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout


def fill_form(rasa_stack, sender: str, name: str, phone: str, topic: str) -> str:
    """Ask for a call-back and answer the three questions; the summary with the consent question."""
    intro = rasa_stack.texts("ring mig op", sender)
    assert "Hvad er dit fulde navn?" in intro
    assert "Hvilket telefonnummer" in rasa_stack.texts(name, sender)
    assert "Hvad drejer det sig om?" in rasa_stack.texts(phone, sender)
    return rasa_stack.texts(topic, sender)


def test_request_stored_confirmed_listed_and_withdrawn(rasa_stack):
    sender = new_sender()
    # The house comes from the conversation so far.
    assert "Sundhedshuset i Helsingør" in rasa_stack.texts("blodprøve i Helsingør", sender)
    summary = fill_form(
        rasa_stack, sender, "Anna Testesen", "12 34 56 78", "Min fars udskrivelse i næste uge"
    )
    assert "Navn: Anna Testesen" in summary and "Telefon: 12 34 56 78" in summary
    assert "Emne: Min fars udskrivelse i næste uge" in summary
    assert "Sundhedshus: Sundhedshuset i Helsingør" in summary
    assert "sletter oplysningerne senest 30 dage" in summary  # why we store it (bot.privacy)
    assert '"træk min anmodning tilbage"' in summary and "dataansvarlig" in summary
    assert "Må vi gemme" in summary and "[Ja, gem og ring mig op]" in summary
    assert requests_of(rasa_stack.database_url, sender) == []  # nothing before consent

    confirmation = rasa_stack.texts("ja", sender)
    reference = REFERENCE.search(confirmation).group(0)
    assert "12 34 56 78" in confirmation
    [stored] = requests_of(rasa_stack.database_url, sender)
    assert (stored.reference, stored.name, stored.phone) == (reference, "Anna Testesen", "+4512345678")
    assert stored.house_id == "helsingoer" and stored.consent_at is not None and stored.withdrawn_at is None

    listing = staff_command(rasa_stack.database_url, "list")
    assert reference in listing and "Anna Testesen" in listing and "12 34 56 78" in listing
    assert reference in staff_command(rasa_stack.database_url, "export", "--csv")

    withdrawn = rasa_stack.texts("træk min anmodning tilbage", sender)
    assert f"Din anmodning {reference} er trukket tilbage" in withdrawn
    [stored] = requests_of(rasa_stack.database_url, sender)
    assert stored.withdrawn_at is not None
    assert (stored.name, stored.phone, stored.topic) == ("", "", "")  # withdrawing deletes
    assert reference not in staff_command(rasa_stack.database_url, "list")
    assert reference in staff_command(rasa_stack.database_url, "list", "--all")


def test_withdraw_from_another_conversation_needs_reference_and_phone(rasa_stack):
    sender = new_sender()
    fill_form(rasa_stack, sender, "Bent Prøvesen", "87654321", "Spørgsmål om genoptræning")
    reference = REFERENCE.search(rasa_stack.texts("ja", sender)).group(0)

    other = new_sender()
    asked = rasa_stack.texts("jeg vil trække min anmodning tilbage", other)
    assert "Hvad er referencen" in asked
    assert "Det ligner ikke en reference" in rasa_stack.texts("ved ikke", other)
    assert "Hvilket telefonnummer skrev du" in rasa_stack.texts(reference.lower(), other)
    wrong = rasa_stack.texts("11 22 33 44", other)
    assert "Jeg kan ikke finde en anmodning" in wrong
    assert requests_of(rasa_stack.database_url, sender)[0].withdrawn_at is None

    rasa_stack.texts("træk min anmodning tilbage", other)
    rasa_stack.texts(reference, other)
    assert f"Din anmodning {reference} er trukket tilbage" in rasa_stack.texts("87 65 43 21", other)
    assert requests_of(rasa_stack.database_url, sender)[0].withdrawn_at is not None


def test_bad_phone_numbers_get_a_clear_danish_answer(rasa_stack):
    sender = new_sender()
    rasa_stack.texts("kan I ringe mig op?", sender)
    rasa_stack.texts("Carla Eksempel", sender)
    letters = rasa_stack.texts("tolv toogtredive", sender)
    assert "Et telefonnummer må kun indeholde tal" in letters and "Hvilket telefonnummer" in letters
    foreign = rasa_stack.texts("+46 70 123 45 67", sender)
    assert "Kun danske telefonnumre" in foreign and "Hvilket telefonnummer" in foreign
    short = rasa_stack.texts("1234", sender)
    assert "8 cifre" in short
    assert "Hvad drejer det sig om?" in rasa_stack.texts("+45 22 33 44 55", sender)
    assert requests_of(rasa_stack.database_url, sender) == []


def test_empty_name_is_asked_again(rasa_stack):
    sender = new_sender()
    rasa_stack.texts("ring mig op", sender)
    for empty in ("   ", "123"):
        text = rasa_stack.texts(empty, sender)
        assert "navn" in text.lower() and "Hvad er dit fulde navn?" in text, text
    assert "Hvilket telefonnummer" in rasa_stack.texts("Dorte Eksempel", sender)


def test_cancel_halfway_stores_nothing(rasa_stack):
    sender = new_sender()
    rasa_stack.texts("ring mig op", sender)
    rasa_stack.texts("Erik Eksempel", sender)
    rasa_stack.texts("22 33 44 55", sender)
    stopped = rasa_stack.texts("annuller", sender)
    assert "Intet er gemt" in stopped
    assert requests_of(rasa_stack.database_url, sender) == []
    # The form is over: the next message is an ordinary question again.
    assert "Sundhedshuset i Helsingør" in rasa_stack.texts("blodprøve i Helsingør", sender)
    assert requests_of(rasa_stack.database_url, sender) == []


@pytest.mark.parametrize(
    "words",
    [
        "hold nu op",
        "jeg gider ikke",
        "afslut samtalen",
        "jeg har skiftet mening",
        "jeg giver op",
        "jeg opgiver",
    ],
)
def test_everyday_ways_to_say_stop_end_the_form(rasa_stack, words):
    """The model reads these as stop, or does not understand them ("jeg giver op"); StopGuard makes
    both stop, or "hold nu op" is taken for a name."""
    sender = new_sender()
    assert "Hvad er dit fulde navn?" in rasa_stack.texts("ring mig op", sender)
    assert "Intet er gemt" in rasa_stack.texts(words, sender)
    assert requests_of(rasa_stack.database_url, sender) == []
    assert "Sundhedshuset i Helsingør" in rasa_stack.texts("blodprøve i Helsingør", sender)


def test_no_consent_stores_nothing_and_correcting_starts_over(rasa_stack):
    sender = new_sender()
    fill_form(rasa_stack, sender, "Frida Eksempel", "33445566", "Hjælp til min mor")
    again = rasa_stack.texts("ret", sender)
    assert "Hvad er dit fulde navn?" in again
    rasa_stack.texts("Frida Eksempel", sender)
    rasa_stack.texts("33 44 55 66", sender)
    assert "Må vi gemme" in rasa_stack.texts("Hjælp til min mor efter udskrivelse", sender)
    refused = rasa_stack.texts("nej", sender)
    assert "intet er gemt" in refused.lower()
    assert requests_of(rasa_stack.database_url, sender) == []


def test_nonsense_is_no_consent(rasa_stack):
    """Keyboard nonsense at "Må vi gemme ...?" stores nothing (the model once took "øøø bbb" for yes)."""
    sender = new_sender()
    summary = fill_form(rasa_stack, sender, "Karl Eksempel", "44556677", "Spørgsmål om genoptræning")
    assert "Må vi gemme" in summary
    for nonsense in ("øøø bbb", "trk prk"):
        assert rasa_stack.texts(nonsense, sender).strip()
        assert requests_of(rasa_stack.database_url, sender) == []
    stored = rasa_stack.texts("ja", sender)
    assert REFERENCE.search(stored), stored
    assert len(requests_of(rasa_stack.database_url, sender)) == 1


def test_question_in_the_middle_is_answered_and_the_form_resumes(rasa_stack):
    sender = new_sender()
    rasa_stack.texts("ring mig op", sender)
    answer = rasa_stack.texts("hvor kan jeg få taget en blodprøve i Helsingør?", sender)
    assert "Sundhedshuset i Helsingør" in answer
    assert "Hvad er dit fulde navn?" in answer  # the form asks again
    assert "Hvilket telefonnummer" in rasa_stack.texts("Gitte Eksempel", sender)
    answer = rasa_stack.texts("hvem skal jeg kontakte?", sender)
    assert ("Telefon: " in answer or answers.phone_line(None) in answer) and "Hvilket telefonnummer" in answer
    assert "Hvad drejer det sig om?" in rasa_stack.texts("44 55 66 77", sender)
    assert "Må vi gemme" in rasa_stack.texts("Et spørgsmål om blodprøver", sender)
    assert REFERENCE.search(rasa_stack.texts("ja", sender))
    [stored] = requests_of(rasa_stack.database_url, sender)
    assert stored.name == "Gitte Eksempel" and stored.topic == "Et spørgsmål om blodprøver"


def test_emergency_mid_form_gets_112_then_the_question_and_stop_ends_the_withdrawal(rasa_stack):
    sender = new_sender()
    rasa_stack.texts("ring mig op", sender)
    rasa_stack.texts("Hanne Eksempel", sender)
    urgent = rasa_stack.texts("min mand har ondt i brystet", sender)
    assert "112" in urgent and "Hvilket telefonnummer" in urgent  # 112 first, then the form asks again
    assert "Intet er gemt" in rasa_stack.texts("annuller", sender)
    assert requests_of(rasa_stack.database_url, sender) == []

    other = new_sender()
    assert "Hvad er referencen" in rasa_stack.texts("jeg vil trække min anmodning tilbage", other)
    assert "ikke trukket noget tilbage" in rasa_stack.texts("annuller", other)
    # The withdrawal form is over: the next message is an ordinary question again.
    assert "Sundhedshuset i Helsingør" in rasa_stack.texts("blodprøve i Helsingør", other)


@pytest.mark.parametrize("sentence", ["jeg skriver det senere", "det gider jeg ikke sige"])
def test_a_sentence_is_not_taken_for_a_name(rasa_stack, sentence):
    """A sentence (no stop, no question the bot answers) at the name question is refused, not stored."""
    sender = new_sender()
    rasa_stack.texts("ring mig op", sender)
    refused = rasa_stack.texts(sentence, sender)
    assert "ligner ikke et navn" in refused and "annuller" in refused, refused
    assert "Hvilket telefonnummer" not in refused
    assert "Hvilket telefonnummer" in rasa_stack.texts("Dorte Eksempel", sender)
    assert requests_of(rasa_stack.database_url, sender) == []
