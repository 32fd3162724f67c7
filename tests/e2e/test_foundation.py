"""The first conversations and robustness, over HTTP against the real servers."""

from __future__ import annotations

import json

import pytest

from bot import wording
from tests.conftest import http_post, new_sender, reply_text


def test_greeting_is_danish_with_privacy_notice(rasa_stack):
    text = rasa_stack.texts("hej", new_sender())
    assert "sundhedshus" in text.lower()
    assert "CPR-nummer" in text
    assert "[Tal med et menneske]" in text


@pytest.mark.parametrize(
    "message",
    ["jeg har ondt i brystet", "min mor er faldet og kan ikke rejse sig", "han trækker ikke vejret"],
)
def test_emergency_gets_112_at_once_and_is_asked_for_the_town(rasa_stack, message):
    text = rasa_stack.texts(message, new_sender())
    assert text.startswith("**Ring 112 nu")
    assert "1813" not in text  # the region is not known yet (tests/e2e/test_urgent_care.py)
    assert "Skriv din by" in text
    assert "ikke give råd om sygdom og behandling" in text


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("farvel", "Farvel"),
        ("tusind tak", "Det var så lidt"),
        ("er du en robot?", "digital assistent"),
        ("hvad bliver vejret i morgen?", "borger.dk"),
    ],
)
def test_small_talk(rasa_stack, message, expected):
    assert expected in rasa_stack.texts(message, new_sender())


def test_hej_hej_is_hello_first_and_goodbye_after_a_conversation(rasa_stack):
    sender = new_sender()
    assert "digitale assistent" in rasa_stack.texts("hej hej", sender)
    assert "Sundhedshuset" in rasa_stack.texts("hvor kan jeg få taget en blodprøve i Helsingør?", sender)
    text = rasa_stack.texts("hej hej", sender)
    assert "Farvel" in text and "digitale assistent" not in text


def test_a_sore_throat_is_for_the_doctor_not_112_and_gets_no_advice(rasa_stack):
    text = rasa_stack.texts("jeg har ondt i halsen og hoster", new_sender())
    assert "Jeg kan ikke give råd om sygdom og behandling. Kontakt din egen læge" in text
    assert "Ring 112 nu" not in text  # the emergency reply is for danger to life


def test_english_out_of_scope_answers_in_danish_and_english(rasa_stack):
    text = rasa_stack.texts("can you help me in English please", new_sender())
    assert "Det kan jeg desværre ikke hjælpe med" in text
    assert "I can only help" in text


def test_gibberish_goes_to_fallback_not_silence(rasa_stack):
    text = rasa_stack.texts("qwxz plimf vrrtk", new_sender())
    assert text.strip(), "the assistant must never leave the user without an answer"


@pytest.mark.parametrize(
    "message", ["", " ", "😀😀😀", "a" * 10_000, "æøå " * 2500, "<script>alert(1)</script>"]
)
def test_odd_input_gets_an_answer_and_the_server_keeps_serving(rasa_stack, message):
    sender = new_sender()
    status, body = http_post(
        f"{rasa_stack.rasa_url}/webhooks/rest/webhook",
        json.dumps({"sender": sender, "message": message}).encode(),
    )
    assert status == 200
    json.loads(body)  # well-formed JSON, whatever the reply
    # Odd input never raises the alarm. (The out-of-scope answer may end with its standing
    # "Ved fare for liv: ring 112." line; the emergency text is what must not come.)
    assert "Ring 112 nu" not in reply_text(json.loads(body))
    assert "Farvel" in rasa_stack.texts("farvel", sender)


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"", b'{"message": "hej"}', b'{"message": 42, "sender": "x"}', b"[1,2,3]", b"\xff\xfe"],
)
def test_malformed_requests_get_a_400_and_nothing_breaks(rasa_stack, body):
    status, _ = http_post(f"{rasa_stack.rasa_url}/webhooks/rest/webhook", body)
    assert status == 400
    assert "Farvel" in rasa_stack.texts("farvel", new_sender())


@pytest.mark.parametrize(
    ("body", "key"),
    [
        (b"[1,2,3]", "channels.request_not_an_object"),
        (b'{"message": "hej"}', "channels.sender_missing"),
        (b'{"message": 42, "sender": "x"}', "channels.message_not_text"),
    ],
)
def test_a_malformed_request_is_told_in_danish_what_is_wrong(rasa_stack, body, key):
    status, answer = http_post(f"{rasa_stack.rasa_url}/webhooks/rest/webhook", body)
    assert status == 400
    assert json.loads(answer)["message"] == wording.text(key)


def test_server_logs_which_spacy_pipeline_is_active(rasa_stack):
    from bot.nlp.pipeline import describe

    active = describe()
    log = (rasa_stack.log_dir / "rasa.log").read_text(encoding="utf-8", errors="replace")
    assert f"Active Danish spaCy pipeline: {active['name']} {active['version']}" in log
    if active["offline"]:
        assert "OFFLINE-build (ikke den trænede da_core_news_sm)" in log
