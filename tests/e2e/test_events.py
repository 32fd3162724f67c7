"""Events over REST on a trained model: listing, the registration rules, cancelling; DB checked after each."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading

import pytest
from sqlalchemy import select

from bot import events
from bot.db import session_scope
from bot.models import Registration
from tests.conftest import PROJECT_ROOT, new_sender
from tests.event_catalogues import add_test_event

add_event = add_test_event  # the name these tests have always used


CODE_IN_CONFIRMATION = re.compile(r"afmeldingskode er \W*([A-Z2-9]{6})")


def cancellation_code(confirmation: str) -> str:
    """The cancellation code the registration's confirmation gave."""
    found = CODE_IN_CONFIRMATION.search(confirmation)
    assert found, confirmation
    return found.group(1)


def wrong_code_for(code: str) -> str:
    return "".join(reversed(code)) if code != code[::-1] else ("ABCDEF" if code != "ABCDEF" else "FEDCBA")


def active(database_url: str, event_id: str) -> list:
    return [r for r in events.registrations_for_event(database_url, event_id) if r.status != "cancelled"]


def fill_form(stack, sender: str, event_id: str, name: str, email: str, confirm: bool = True) -> str:
    """Register through the form; return the last reply."""
    stack.texts(f'/register_event{{"event_id": "{event_id}"}}', sender)
    stack.texts(name, sender)
    stack.texts(email, sender)
    stack.texts("Albertslund Kommune", sender)
    stack.texts("kommune", sender)
    summary = stack.texts("nej", sender)
    assert "Er oplysningerne rigtige?" in summary, summary
    return stack.texts("ja" if confirm else "nej", sender)


def test_list_events_in_danish_with_places_left(rasa_stack):
    text = rasa_stack.texts("hvilke arrangementer er der?", new_sender())
    assert "Dialogmøde om fælles sundhedshuse i hovedstadsregionen" in text
    assert "torsdag 11. marts 2027 kl. 16.30–20.00" in text
    assert "Skolegangen 1, 2620 Albertslund" in text
    assert "ledige pladser" in text and "Tilmeldingsfrist" in text
    assert "[Tilmeld dig " in text


def test_list_events_filtered_by_season_and_place(rasa_stack):
    spring = rasa_stack.texts("er der dialogmøder i foråret?", new_sender())
    assert "11. marts 2027" in spring and "14. januar 2027" not in spring
    albertslund = rasa_stack.texts("hvad sker der i sundhedshuset i Albertslund?", new_sender())
    assert "Dialogmøde om fælles sundhedshuse" in albertslund
    assert "Rundvisning i Sundhedshuset i Nordborg" not in albertslund


def test_past_events_are_never_offered(rasa_stack):
    past = add_event(rasa_stack.database_url, start_days=-3, deadline_days=-5, title="Afholdt testmøde")
    assert "Afholdt testmøde" not in rasa_stack.texts("hvilke arrangementer er der?", new_sender())
    reply = rasa_stack.texts(f'/register_event{{"event_id": "{past}"}}', new_sender())
    assert "lukket" in reply or "afholdt" in reply
    assert active(rasa_stack.database_url, past) == []


def test_happy_path_then_duplicate_is_recognised(rasa_stack):
    event_id = add_event(rasa_stack.database_url)
    sender = new_sender()
    reply = fill_form(rasa_stack, sender, event_id, "Anna Jensen", "Anna.Jensen@example.dk")
    assert "Du er tilmeldt" in reply and "Albertslund" in reply
    rows = active(rasa_stack.database_url, event_id)
    assert [(r.name, r.email, r.role, r.status) for r in rows] == [
        ("Anna Jensen", "anna.jensen@example.dk", "kommune", "confirmed")
    ]
    # Details given earlier are not asked again: straight to the summary.
    again = rasa_stack.texts(f'/register_event{{"event_id": "{event_id}"}}', sender)
    again += rasa_stack.texts("nej", sender)
    assert "Anna Jensen" in again and "Hvad er dit fulde navn?" not in again
    assert "allerede tilmeldt" in rasa_stack.texts("ja", sender)
    assert len(active(rasa_stack.database_url, event_id)) == 1


def test_registration_by_name_right_after_listing(rasa_stack):
    sender = new_sender()
    rasa_stack.texts("hvad sker der i sundhedshuset i Albertslund?", sender)
    reply = rasa_stack.texts("tilmeld mig dialogmødet om sundhedshuse", sender)
    assert "Dialogmøde om fælles sundhedshuse" in reply and "Hvad er dit fulde navn?" in reply
    assert "sletter dem" in reply  # why and how long the data is kept
    assert "Intet er gemt" in rasa_stack.texts("annuller", sender)


def test_deadline_passed_is_refused_kindly_with_contact(rasa_stack):
    event_id = add_event(rasa_stack.database_url, deadline_days=-1)
    reply = rasa_stack.texts(f'/register_event{{"event_id": "{event_id}"}}', new_sender())
    assert "lukket" in reply and "Kontakt arrangøren: Testsekretariatet" in reply
    assert "example.invalid" not in reply  # a placeholder address is not one to write to
    assert active(rasa_stack.database_url, event_id) == []


def test_full_event_offers_waiting_list_and_cancel_moves_it_up(rasa_stack):
    event_id = add_event(rasa_stack.database_url, capacity=1)
    first, second = new_sender(), new_sender()
    confirmation = fill_form(rasa_stack, first, event_id, "Bo Berg", "bo@example.dk")
    assert "Du er tilmeldt" in confirmation
    offer = rasa_stack.texts(f'/register_event{{"event_id": "{event_id}"}}', second)
    assert "Alle pladser til" in offer and "venteliste" in offer
    rasa_stack.texts("ja", second)
    for answer in ("Cecilie Holm", "cecilie@example.dk", "Region Hovedstaden", "region", "nej"):
        rasa_stack.texts(answer, second)
    assert "nr. 1 på ventelisten" in rasa_stack.texts("ja", second)
    statuses = {r.email: r.status for r in active(rasa_stack.database_url, event_id)}
    assert statuses == {"bo@example.dk": "confirmed", "cecilie@example.dk": "waiting"}

    # Bo cancels; Cecilie moves up.
    asked = rasa_stack.texts("afmeld mig", first)  # the e-mail is known from the conversation
    assert "afmeldingskode" in asked
    assert "Vil du afmelde bo@example.dk" in rasa_stack.texts(cancellation_code(confirmation), first)
    confirm = rasa_stack.texts("ja", first)
    assert "afmeldt" in confirm
    statuses = {r.email: r.status for r in active(rasa_stack.database_url, event_id)}
    assert statuses == {"cecilie@example.dk": "confirmed"}


def test_cancel_needs_e_mail_and_code_and_a_wrong_pair_reveals_nothing(rasa_stack):
    event_id = add_event(rasa_stack.database_url)
    confirmation = fill_form(rasa_stack, new_sender(), event_id, "Dorte Dahl", "dorte@example.dk")
    code = cancellation_code(confirmation)
    with session_scope(rasa_stack.database_url) as session:
        stored = list(session.scalars(select(Registration.cancel_code_hash)))
    assert stored and all(code not in (value or "") for value in stored)  # only a hash is stored

    # A wrong code for a registered address changes nothing and gets the answer an unknown address gets.
    sender = new_sender()
    started = rasa_stack.texts("jeg vil afmelde mig", sender)
    assert "e-mailadresse" in started and "passer ikke" not in started
    assert "afmeldingskode" in rasa_stack.texts("dorte@example.dk", sender)
    wrong_code_reply = rasa_stack.texts(wrong_code_for(code), sender)
    statuses = [r.status for r in events.registrations_for_event(rasa_stack.database_url, event_id)]
    assert statuses == ["confirmed"]
    stranger = new_sender()
    rasa_stack.texts("jeg vil afmelde mig", stranger)
    rasa_stack.texts("ingen.tilmelding@example.dk", stranger)
    unknown_address_reply = rasa_stack.texts(code, stranger)
    assert wrong_code_reply == unknown_address_reply and "passer ikke" in wrong_code_reply
    assert "dorte" not in wrong_code_reply.lower() and "Testmøde" not in wrong_code_reply
    assert len(active(rasa_stack.database_url, event_id)) == 1

    # The right pair (asked for again after the wrong one) cancels.
    assert "afmeldingskode" in rasa_stack.texts("dorte@example.dk", sender)
    assert "Vil du afmelde dorte@example.dk" in rasa_stack.texts(code.lower(), sender)
    assert "afmeldt" in rasa_stack.texts("ja", sender)
    assert active(rasa_stack.database_url, event_id) == []
    # Withdrawing deletes: no row keeps Dorte's name or address.
    kept = events.registrations_for_event(rasa_stack.database_url, event_id)
    assert [(r.name, r.email, r.status) for r in kept] == [("", "", "cancelled")]


def test_registration_start_says_purpose_retention_withdrawal_and_controller(rasa_stack):
    event_id = add_event(rasa_stack.database_url)
    start = rasa_stack.texts(f'/register_event{{"event_id": "{event_id}"}}', new_sender())
    assert "sletter dem senest 30 dage efter arrangementet" in start
    assert '"afmeld mig"' in start and "dataansvarlig" in start
    assert "Hvad er dit fulde navn?" in start  # told before the first question


def test_two_wrong_pairs_end_the_cancellation_and_point_to_a_person(rasa_stack):
    event_id = add_event(rasa_stack.database_url)
    code = cancellation_code(fill_form(rasa_stack, new_sender(), event_id, "Erik Eg", "erik@example.dk"))
    sender = new_sender()
    rasa_stack.texts("jeg vil afmelde mig", sender)
    for _ in range(2):
        rasa_stack.texts("erik@example.dk", sender)
        last = rasa_stack.texts(wrong_code_for(code), sender)
    assert "fælles indgang" in last and "afmeldt" not in last
    assert len(active(rasa_stack.database_url, event_id)) == 1
    # The form has ended: the next message is not taken as an e-mail for it.
    assert "afmeldingskode" not in rasa_stack.texts("erik@example.dk", sender)


def test_last_place_taken_concurrently_exactly_one_gets_it(rasa_stack):
    event_id = add_event(rasa_stack.database_url, capacity=1)
    senders = [new_sender(), new_sender()]
    for index, sender in enumerate(senders):
        rasa_stack.texts(f'/register_event{{"event_id": "{event_id}"}}', sender)
        for answer in (f"Person Nummer{index}", f"p{index}@example.dk", "Ingen", "borger", "nej"):
            rasa_stack.texts(answer, sender)
    replies: dict[str, str] = {}
    barrier = threading.Barrier(len(senders))

    def confirm(sender: str) -> None:
        barrier.wait()
        replies[sender] = rasa_stack.texts("ja", sender)

    threads = [threading.Thread(target=confirm, args=(s,)) for s in senders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    confirmed = [r for r in active(rasa_stack.database_url, event_id) if r.status == "confirmed"]
    assert len(confirmed) == 1
    assert sum("Du er tilmeldt" in reply for reply in replies.values()) == 1
    assert sum("De sidste pladser til" in reply for reply in replies.values()) == 1


def test_question_mid_form_is_answered_and_the_form_resumes(rasa_stack):
    event_id = add_event(rasa_stack.database_url)
    sender = new_sender()
    rasa_stack.texts(f'/register_event{{"event_id": "{event_id}"}}', sender)
    rasa_stack.texts("Erik Enevoldsen", sender)
    answer = rasa_stack.texts("hvor kan jeg få taget en blodprøve i Helsingør?", sender)
    assert "Sundhedshuset i Helsingør" in answer
    assert "e-mailadresse" in answer  # the form asks again for what it was waiting for
    assert "Intet er gemt" in rasa_stack.texts("annuller", sender)
    assert active(rasa_stack.database_url, event_id) == []


@pytest.mark.parametrize(
    ("step", "bad", "expected"),
    [
        (0, "   ", "navn"),
        (0, "😀😀😀", "navn"),
        (0, "x" * 10_000, "navn"),
        (1, "ikke-en-mail", "e-mail"),
        (1, "anna@", "e-mail"),
        (1, "😀", "e-mail"),
        (3, "astronaut", "rolle"),
        (4, "y" * 10_000, "500"),
    ],
)
def test_bad_input_at_each_step_leaves_nothing_half_written(rasa_stack, step, bad, expected):
    event_id = add_event(rasa_stack.database_url)
    sender = new_sender()
    rasa_stack.texts(f'/register_event{{"event_id": "{event_id}"}}', sender)
    good = ["Frida Falk", "frida@example.dk", "Ingen", "borger"]
    for answer in good[:step]:
        rasa_stack.texts(answer, sender)
    reply = rasa_stack.texts(bad, sender)
    assert expected in reply.lower(), reply
    assert active(rasa_stack.database_url, event_id) == []
    assert "Intet er gemt" in rasa_stack.texts("stop", sender)
    assert active(rasa_stack.database_url, event_id) == []


def test_staff_export_registrations_csv(rasa_stack):
    event_id = add_event(rasa_stack.database_url)
    fill_form(rasa_stack, new_sender(), event_id, "Gitte Gram", "gitte@example.dk")
    env = dict(os.environ, DATABASE_URL=rasa_stack.database_url, PYTHONPATH=str(PROJECT_ROOT))
    result = subprocess.run(
        [sys.executable, "-m", "bot", "events", "registrations", event_id, "--csv"],
        capture_output=True, text=True, env=env, cwd=PROJECT_ROOT, check=True,
    )  # fmt: skip
    assert "gitte@example.dk" in result.stdout and "Gitte Gram" in result.stdout
