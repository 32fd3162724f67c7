"""Retention done by the service itself, and one person's data forgotten on request (issue 10).

Records are aged in a real services database and a real tracker store (written by the
tracker store class Rasa uses); then the action server process, started as `make run`
starts it, deletes what is past retention on its own schedule, and keeps the rest.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select

from bot import migrate
from bot.db import session_scope
from bot.models import CallbackRequest, Event, Registration
from bot.settings import PROJECT_ROOT
from bot.stack import Stack, action_server_command, free_port

NOW = datetime.now(timezone.utc)
OLD, RECENT = NOW - timedelta(days=31), NOW - timedelta(days=2)


def save_conversation(tracker_db: Path, sender: str, texts_and_times: list[tuple[str, datetime]]) -> None:
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from rasa_adapters.tracker_store import MaskingSQLTrackerStore

    store = MaskingSQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tracker_db))
    tracker = DialogueStateTracker(sender, slots=[])
    for text, moment in texts_and_times:
        tracker.update(UserUttered(text, timestamp=moment.timestamp()))
    asyncio.run(store.save(tracker))


def tracker_texts(tracker_db: Path, sender: str) -> list[str]:
    with sqlite3.connect(tracker_db) as connection:
        rows = connection.execute("SELECT data FROM events WHERE sender_id = ? ORDER BY id", (sender,))
        return [row[0] for row in rows]


def add_event(session, event_id: str, end: datetime) -> None:
    session.add(
        Event(
            id=event_id, title=f"Arrangement {event_id}", start=end - timedelta(hours=2), end=end,
            start_raw="x", end_raw="x", registration_deadline_raw="x", registration_deadline=end,
        )
    )  # fmt: skip


def registration(event_id: str, email: str) -> Registration:
    return Registration(event_id=event_id, name="Anna Eksempel", email=email, role="citizen", created_at=OLD)


def callback(reference: str, phone: str, sender: str, created: datetime) -> CallbackRequest:
    return CallbackRequest(
        reference=reference, name="Bo Eksempel", phone=phone, topic="recept", sender_id=sender,
        consent_at=created, created_at=created,
    )  # fmt: skip


@pytest.fixture
def aged_data(tmp_path: Path) -> tuple[str, Path]:
    database_url = f"sqlite:///{tmp_path / 'services.db'}"
    migrate.upgrade(database_url)
    with session_scope(database_url) as session:
        add_event(session, "ended-long-ago", OLD - timedelta(days=1))
        add_event(session, "ended-lately", RECENT)
        session.flush()
        session.add_all(
            [
                registration("ended-long-ago", "gammel@eksempel.dk"),
                registration("ended-lately", "ny@eksempel.dk"),
                callback("OLD1", "+4520304050", "sender-old", OLD),
                callback("NEW1", "+4560708090", "sender-new", RECENT),
            ]
        )
        session.commit()
    tracker_db = tmp_path / "tracker.db"
    save_conversation(tracker_db, "sender-old", [("gammel besked", OLD)])
    save_conversation(tracker_db, "sender-new", [("gammel del", OLD), ("ny del", RECENT)])
    return database_url, tracker_db


def services(database_url: str) -> tuple[list[str], list[str]]:
    with session_scope(database_url) as session:
        emails = sorted(session.execute(select(Registration.email)).scalars())
        references = sorted(session.execute(select(CallbackRequest.reference)).scalars())
    return emails, references


def stores_env(database_url: str, tracker_db: Path) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": database_url, "TRACKER_DB_DIALECT": "sqlite"}
    env["TRACKER_DB"] = str(tracker_db)
    env.pop("TRACKER_DB_URL", None)
    return env


def test_the_running_action_server_deletes_what_is_past_retention(aged_data, tmp_path):
    database_url, tracker_db = aged_data
    assert services(database_url) == (["gammel@eksempel.dk", "ny@eksempel.dk"], ["NEW1", "OLD1"])
    stack = Stack(action_port=free_port(), rasa_port=free_port(), web_port=None, log_dir=tmp_path / "logs")
    env = {**stores_env(database_url, tracker_db), "ACTION_SERVER_TOKEN": "test-secret"}
    env["RETENTION_INTERVAL_SECONDS"] = "2"
    stack._spawn("actions", action_server_command(stack.action_port), env)
    try:
        deadline = time.monotonic() + 240
        while services(database_url) != (["ny@eksempel.dk"], ["NEW1"]) and time.monotonic() < deadline:
            time.sleep(1)
        assert services(database_url) == (["ny@eksempel.dk"], ["NEW1"])
        while len(tracker_texts(tracker_db, "sender-new")) != 1 and time.monotonic() < deadline:
            time.sleep(1)
        assert tracker_texts(tracker_db, "sender-old") == []
        [kept] = tracker_texts(tracker_db, "sender-new")
        assert "ny del" in kept
    finally:
        stack.stop()
    log = (tmp_path / "logs" / "actions.log").read_text()
    assert "Retention: deleted" in log


def run_cli(args: list[str], database_url: str, tracker_db: Path) -> subprocess.CompletedProcess[str]:
    env = stores_env(database_url, tracker_db)
    return subprocess.run(
        [sys.executable, "-m", "bot", "privacy", *args],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_forget_by_phone_deletes_the_call_back_and_its_conversation(aged_data):
    database_url, tracker_db = aged_data
    result = run_cli(["forget", "--phone", "60 70 80 90"], database_url, tracker_db)
    assert result.returncode == 0, result.stdout + result.stderr
    assert services(database_url)[1] == ["OLD1"]
    assert tracker_texts(tracker_db, "sender-new") == []
    assert len(tracker_texts(tracker_db, "sender-old")) == 1  # someone else's: kept


def test_forget_by_email_and_by_sender(aged_data):
    database_url, tracker_db = aged_data
    assert run_cli(["forget", "--email", "Gammel@Eksempel.dk"], database_url, tracker_db).returncode == 0
    assert services(database_url)[0] == ["ny@eksempel.dk"]
    assert run_cli(["forget", "--sender", "sender-old"], database_url, tracker_db).returncode == 0
    assert tracker_texts(tracker_db, "sender-old") == []
    assert services(database_url)[1] == ["NEW1"]


def test_forget_with_a_bad_phone_number_says_so_in_danish(aged_data):
    database_url, tracker_db = aged_data
    result = run_cli(["forget", "--phone", "abc"], database_url, tracker_db)
    assert result.returncode == 2 and "telefonnummer" in result.stdout
    assert services(database_url)[1] == ["NEW1", "OLD1"]
