"""Limits on the public routes (issue 10), over real HTTP: 413 for big bodies, 429 for too many.

REST and Teams against the running Rasa server (`rasa_stack`); the socket.io limits are in
test_widget_sessions.py, the per-address limit at the end of tests/channels/test_teams_end_to_end.py.
"""

from __future__ import annotations

import json
import urllib.request

from bot import wording
from bot.rate_limits import RateLimiter
from bot.settings import MAX_MESSAGE_CHARS_DEFAULT as MAX_CHARS
from tests.conftest import http_post, new_sender

BIG = 64 * 1024 + 1


def test_rest_refuses_a_too_large_body_with_413(rasa_stack):
    body = json.dumps({"sender": new_sender(), "message": "x" * BIG}).encode()
    status, answer = http_post(f"{rasa_stack.rasa_url}/webhooks/rest/webhook", body)
    assert status == 413
    assert json.loads(answer)["error"] == wording.text("channels.request_too_large")


def test_teams_refuses_a_too_large_body_with_413(rasa_stack):
    status, answer = http_post(f"{rasa_stack.rasa_url}/webhooks/teams/webhook", b"{" + b" " * BIG + b"}")
    assert status == 413


def test_rest_too_long_message_gets_a_danish_line_and_is_not_stored(rasa_stack):
    sender = new_sender()
    status, answer = http_post(
        f"{rasa_stack.rasa_url}/webhooks/rest/webhook",
        json.dumps({"sender": sender, "message": "å" * (MAX_CHARS + 1)}).encode(),
    )
    assert status == 200
    assert json.loads(answer) == [
        {"recipient_id": sender, "text": wording.text("channels.message_too_long", max_chars=MAX_CHARS)}
    ]
    assert _user_events(rasa_stack, sender) == []


def test_rest_too_many_messages_from_one_sender_get_429_and_a_danish_line(rasa_stack):
    sender = new_sender()
    url = f"{rasa_stack.rasa_url}/webhooks/rest/webhook"
    # Too long: counted, answered at once, never processed.
    too_long = json.dumps({"sender": sender, "message": "x" * (MAX_CHARS + 1)}).encode()
    statuses = [http_post(url, too_long)[0] for _ in range(20)]
    assert statuses == [200] * 20
    status, answer = http_post(url, json.dumps({"sender": sender, "message": "hej"}).encode())
    assert status == 429
    too_many = wording.text("channels.too_many_messages")
    assert json.loads(answer) == [{"recipient_id": sender, "text": too_many}]
    assert _user_events(rasa_stack, sender) == []
    assert rasa_stack.texts("farvel", new_sender()).strip()  # another sender is served


def test_rate_limiter_counts_per_sender_and_per_address_and_keeps_neither_in_clear():
    limiter = RateLimiter(per_sender="2/minute", per_address="3/minute")
    assert limiter.allow(sender="anna", address="10.1.2.3")
    assert limiter.allow(sender="anna", address="10.1.2.3")
    assert not limiter.allow(sender="anna", address="10.1.2.3")  # third from anna
    assert not limiter.allow(sender="bo", address="10.1.2.3")  # fourth from the address
    assert limiter.allow(sender="bo", address="10.9.9.9")
    stored = repr(limiter.storage.events) + repr(limiter.storage.storage)
    assert "sundhedshus:sender:" in stored
    assert "anna" not in stored and "10.1.2.3" not in stored


def _user_events(rasa_stack, sender: str) -> list[dict]:
    url = rasa_stack.api_url(f"/conversations/{sender}/tracker")
    with urllib.request.urlopen(url, timeout=30) as response:
        return [event for event in json.loads(response.read())["events"] if event["event"] == "user"]
