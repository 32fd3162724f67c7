"""Rasa's HTTP API and the action server are closed by default, over real HTTP (issue 10).

Against the running servers (`rasa_stack`): the API refuses calls without the token, the
action server refuses calls without the shared secret, both listen on loopback only, and
CORS answers only the allowed web origin, never `*`.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from tests.conftest import new_sender
from tests.security.listening import listening_addresses

FOREIGN_ORIGIN = "https://evil.example"


def call(url: str, method: str = "GET", body: bytes | None = None, headers: dict | None = None):
    """(status, body, headers) of one request; HTTP errors are answers too."""
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    if body is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/conversations/{sender}/tracker", None),
        ("GET", "/status", None),
        ("POST", "/model/parse", b'{"text": "hej"}'),
        ("PUT", "/model", b'{"model_file": "/tmp/nothing.tar.gz"}'),
        ("DELETE", "/model", None),
        ("POST", "/conversations/{sender}/tracker/events", b'{"event": "slot", "name": "x", "value": 1}'),
    ],
)
def test_api_refuses_calls_without_the_token(rasa_stack, method, path, body):
    sender = new_sender()
    rasa_stack.send("hej", sender)
    url = f"{rasa_stack.rasa_url}{path.format(sender=sender)}"
    assert call(url, method, body)[0] == 401
    assert call(url + "?token=wrong-token", method, body)[0] == 401


def test_api_answers_with_the_token_and_the_conversation_is_readable_only_so(rasa_stack):
    sender = new_sender()
    rasa_stack.send("hej", sender)
    status, body, _ = call(rasa_stack.api_url(f"/conversations/{sender}/tracker"))
    assert status == 200
    assert any(event["event"] == "user" for event in json.loads(body)["events"])
    status, body, _ = call(rasa_stack.api_url("/model/parse"), "POST", b'{"text": "hej"}')
    assert status == 200 and json.loads(body)["intent"]["name"]


def test_the_public_channels_stay_open(rasa_stack):
    assert rasa_stack.texts("hej", new_sender()).strip()


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/webhook", b'{"next_action": "action_answer_service", "tracker": {"sender_id": "x"}}'),
        ("GET", "/actions", None),
    ],
)
def test_action_server_refuses_calls_without_the_secret(rasa_stack, method, path, body):
    url = f"{rasa_stack.action_url}{path}"
    for attempt in (url, url + "?token=wrong-secret"):
        status, answer, _ = call(attempt, method, body)
        assert status == 401, answer
        assert b"tracker" not in answer  # nothing of the request echoed


def test_action_server_answers_rasa_with_the_secret(rasa_stack):
    secret = rasa_stack.stack.env["ACTION_SERVER_TOKEN"]
    status, body, _ = call(f"{rasa_stack.action_url}/actions?token={secret}")
    assert status == 200 and any(action["name"] for action in json.loads(body))
    status, _, _ = call(f"{rasa_stack.action_url}/actions", headers={"Authorization": f"Bearer {secret}"})
    assert status == 200
    # A whole conversation through Rasa -> action server works, so Rasa sends the secret.
    text = rasa_stack.texts("hvor kan jeg få taget en blodprøve i Helsingør?", new_sender())
    assert "Helsingør" in text


def test_health_stays_open_for_start_up_checks(rasa_stack):
    assert call(f"{rasa_stack.action_url}/health")[0] == 200


def test_both_servers_listen_on_loopback_only(rasa_stack):
    for port in (rasa_stack.stack.rasa_port, rasa_stack.stack.action_port):
        addresses = listening_addresses(port)
        assert addresses, f"nothing listens on {port}"
        assert addresses <= {"127.0.0.1", "::1"}, f"port {port} listens on {addresses}"


def test_cors_allows_the_web_page_origin_only(rasa_stack):
    allowed = f"http://127.0.0.1:{rasa_stack.web_port}"
    preflight = {"Access-Control-Request-Method": "POST"}
    url = f"{rasa_stack.rasa_url}/webhooks/rest/webhook"
    _, _, headers = call(url, "OPTIONS", headers={"Origin": allowed, **preflight})
    assert headers.get("Access-Control-Allow-Origin") == allowed
    _, _, headers = call(url, "OPTIONS", headers={"Origin": FOREIGN_ORIGIN, **preflight})
    assert headers.get("Access-Control-Allow-Origin") in (None, "")
