"""No CPR number reaches the tracker store, the logs or the database, at INFO and at DEBUG logging.

The servers are the real ones (fixture `rasa_stack`, which logs at INFO). A second
stack, started here with LOG_LEVEL=DEBUG (read by Rasa) and COLOREDLOGS_LOG_LEVEL=DEBUG
(read by the action server), shows the masking holds when the servers log every message.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from bot import migrate
from bot.catalogue import import_catalogue
from bot.db import session_scope
from bot.models import CallbackRequest
from bot.privacy import CPR_MASK
from bot.settings import PROJECT_ROOT, SAMPLE_CATALOGUE
from bot.stack import Stack, free_port
from tests.conftest import new_sender, reply_text, rest_message


def tracker_text(tracker_db: Path) -> str:
    """Everything the tracker store holds, as one text."""
    with sqlite3.connect(tracker_db) as connection:
        rows = connection.execute("SELECT sender_id, type_name, intent_name, action_name, data FROM events")
        return "\n".join(" ".join(str(value) for value in row) for row in rows)


def log_text(log_dir: Path) -> str:
    return "\n".join(path.read_text(errors="replace") for path in sorted(log_dir.glob("*.log")))


def digits_of(cpr: str) -> list[str]:
    """The ways a CPR number could show: as typed and without the dash."""
    return [cpr, cpr.replace("-", "")]


def assert_nowhere(cpr: str, *texts: str) -> None:
    for text in texts:
        for form in digits_of(cpr):
            assert form not in text


def test_cpr_in_a_message_is_masked_in_tracker_store_and_logs(rasa_stack):
    cpr = "240385-1234"
    sender = new_sender()
    reply = rasa_stack.texts(
        f"mit cpr-nummer er {cpr}, hvor kan jeg få taget en blodprøve i Helsingør?", sender
    )
    assert reply.strip()
    rasa_stack.texts(f"{cpr.replace('-', '')}", sender)  # on its own, without the dash
    stored = tracker_text(rasa_stack.tracker_db)
    assert sender in stored and CPR_MASK in stored  # the messages are there, masked
    assert_nowhere(cpr, stored, log_text(rasa_stack.log_dir))


def test_cpr_in_the_call_back_form_is_refused_or_masked(rasa_stack):
    cpr = "311272-4321"
    sender = new_sender()
    rasa_stack.texts("ring mig op", sender)
    assert "CPR-nummer" in rasa_stack.texts(f"Hanne {cpr}", sender)  # not a name: asked again
    assert "Hvilket telefonnummer" in rasa_stack.texts("Hanne Eksempel", sender)
    assert "CPR-nummer" in rasa_stack.texts(cpr.replace("-", ""), sender)  # not a phone number
    rasa_stack.texts("55 66 77 88", sender)
    summary = rasa_stack.texts(f"Om min recept, mit cpr er {cpr}", sender)
    assert "fjernet CPR-nummeret" in summary and CPR_MASK in summary
    rasa_stack.texts("ja", sender)
    with session_scope(rasa_stack.database_url) as session:
        [request] = session.execute(
            select(CallbackRequest).where(CallbackRequest.sender_id == sender)
        ).scalars()
        assert request.topic == f"Om min recept, mit cpr er {CPR_MASK}"
        assert request.name == "Hanne Eksempel"
    assert_nowhere(cpr, tracker_text(rasa_stack.tracker_db), log_text(rasa_stack.log_dir))


@dataclass
class DebugStack:
    stack: Stack
    tracker_db: Path
    log_dir: Path


@pytest.fixture(scope="module")
def debug_stack(rasa_stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DebugStack]:
    """A second assistant on the same model whose servers log at DEBUG."""
    work = tmp_path_factory.mktemp("debug-stack")
    database_url = f"sqlite:///{work / 'services.db'}"
    migrate.upgrade(database_url)
    import_catalogue(SAMPLE_CATALOGUE, url=database_url)
    tracker_db = work / "tracker.db"
    stack = Stack(
        action_port=free_port(),
        rasa_port=free_port(),
        web_port=None,
        model=rasa_stack.stack.model,
        log_dir=work / "logs",
        env={
            "DATABASE_URL": database_url,
            "TRACKER_DB_DIALECT": "sqlite",
            "TRACKER_DB": str(tracker_db),
            "LOG_LEVEL": "DEBUG",  # the Rasa server
            "COLOREDLOGS_LOG_LEVEL": "DEBUG",  # the action server (rasa_sdk logs through coloredlogs)
        },
    )
    stack.start()
    try:
        yield DebugStack(stack=stack, tracker_db=tracker_db, log_dir=work / "logs")
    finally:
        stack.stop()


def test_cpr_is_masked_when_the_servers_log_at_debug(debug_stack):
    cpr = "150790-2468"
    sender = new_sender()
    for message in (f"hej, mit cpr er {cpr}", f"blodprøve i Helsingør {cpr.replace('-', '')}"):
        assert reply_text(rest_message(debug_stack.stack.rasa_url, sender, message)).strip()
    logs = log_text(debug_stack.log_dir)
    debug_markers = (" DEBUG ", '"level": "debug"', "[debug")
    assert any(marker in logs for marker in debug_markers)  # the servers really log at DEBUG
    assert CPR_MASK in logs  # the messages were logged, masked
    assert_nowhere(cpr, logs, tracker_text(debug_stack.tracker_db))


def test_staff_report_reads_the_real_tracker_store(rasa_stack):
    cpr = "010203-4567"
    sender = new_sender()
    rasa_stack.texts(f"zzkj vbnm {cpr}", sender)
    result = subprocess.run(
        [sys.executable, "-m", "bot", "report", "--tracker-db", str(rasa_stack.tracker_db)],
        cwd=PROJECT_ROOT,
        env=dict(os.environ, DATABASE_URL=rasa_stack.database_url, PYTHONPATH=str(PROJECT_ROOT)),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    conversations = int(re.search(r"Samtaler: (\d+)", result.stdout).group(1))
    assert conversations >= 1 and "Besvaret:" in result.stdout and "Anmodninger om opkald:" in result.stdout
    assert_nowhere(cpr, result.stdout)
