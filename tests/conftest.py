"""Shared fixtures: the real assistant (action server + Rasa server) on a trained model.

`rasa_stack` trains a model if none is current, loads the sample catalogue into
a fresh SQLite database and starts the servers on free ports, once per test run.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from bot import settings  # noqa: E402

settings.quiet_tools_by_default()  # before any test imports Rasa

from bot.stack import Stack, api_url, free_port, isolated_stack  # noqa: E402

# Requests a minute from one address in the shared test stack. Every test talks from
# 127.0.0.1, and on a fast machine the suite sends more than 600 a minute in a row; the
# per-address limit itself is tested on the Teams stack, which nothing uses after it.
SHARED_STACK_ADDRESS_LIMIT = 100_000


@dataclass
class RasaStack:
    stack: Stack
    database_url: str
    tracker_db: Path
    log_dir: Path
    web_port: int  # the demo page's port whose origin the Rasa server allows

    @property
    def rasa_url(self) -> str:
        return self.stack.rasa_url

    @property
    def action_url(self) -> str:
        return self.stack.action_url

    def api_url(self, path: str) -> str:
        """A URL of Rasa's HTTP API (closed without the token), with the token."""
        return api_url(self.rasa_url, path, self.stack.auth_token)

    def send(self, message: str, sender: str | None = None) -> list[dict]:
        """One message over the REST channel; the bot's replies."""
        return rest_message(self.rasa_url, sender or new_sender(), message)

    def texts(self, message: str, sender: str) -> str:
        """The bot's replies to one message, joined as text (buttons' titles included)."""
        return reply_text(self.send(message, sender))


def new_sender() -> str:
    return f"test-{uuid.uuid4().hex[:12]}"


def http_post(
    url: str, body: bytes, content_type: str = "application/json", timeout: float = 60
) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": content_type}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def rest_message(rasa_url: str, sender: str, message: str) -> list[dict]:
    status, body = http_post(
        f"{rasa_url}/webhooks/rest/webhook",
        json.dumps({"sender": sender, "message": message}).encode("utf-8"),
    )
    assert status == 200, f"REST webhook answered {status}: {body[:300]!r}"
    return json.loads(body)


def reply_text(replies: list[dict]) -> str:
    parts = []
    for reply in replies:
        if reply.get("text"):
            parts.append(reply["text"])
        for button in reply.get("buttons") or []:
            parts.append(f"[{button.get('title')}]")
        if reply.get("custom"):
            parts.append(json.dumps(reply["custom"], ensure_ascii=False))
    return "\n".join(parts)


@pytest.fixture(scope="session")
def rasa_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RasaStack]:
    from bot.training import train_if_needed

    model = train_if_needed()
    work = tmp_path_factory.mktemp("stack")
    # A port reserved for the demo page the browser tests start: its origin is the one allowed.
    web_port = free_port()
    origins = [f"http://127.0.0.1:{web_port}", f"http://localhost:{web_port}"]
    stack, database_url = isolated_stack(work, model, web_origins=origins)
    # Every test talks from 127.0.0.1: room for the whole suite; the per-sender limit stays as shipped.
    stack.env["RATE_LIMIT_PER_ADDRESS"] = f"{SHARED_STACK_ADDRESS_LIMIT}/minute"
    tracker_db = work / "tracker.db"
    previous = os.environ.get("DATABASE_URL")
    stack.start()
    try:
        yield RasaStack(
            stack=stack,
            database_url=database_url,
            tracker_db=tracker_db,
            log_dir=work / "logs",
            web_port=web_port,
        )
    finally:
        stack.stop()
        if previous is None:
            os.environ.pop("DATABASE_URL", None)
