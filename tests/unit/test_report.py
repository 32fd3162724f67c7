"""bot.report on a tracker store written by the project's own Rasa tracker store, and a real services DB."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot import privacy, report
from bot.callbacks import create_callback, withdraw_callback
from bot.cli import main as cli_main

CPH = ZoneInfo("Europe/Copenhagen")


def at(day: int, hour: int, minute: int = 0) -> float:
    """A moment in November 2026, Danish time, as Rasa's event timestamp."""
    return datetime(2026, 11, day, hour, minute, tzinfo=CPH).timestamp()


def user(text: str, intent: str, ts: float) -> UserUttered:
    return UserUttered(text, intent={"name": intent, "confidence": 0.9}, timestamp=ts)


def action(name: str, ts: float) -> ActionExecuted:
    return ActionExecuted(name, timestamp=ts)


def bot(text: str, ts: float) -> BotUttered:
    return BotUttered(text, timestamp=ts)


CONVERSATIONS = {
    # answered twice, then shown the entry point
    "anna": [
        action("action_session_start", at(10, 9)),
        user("hvor kan jeg få taget en blodprøve i Helsingør?", "find_service", at(10, 9)),
        action("action_find_service", at(10, 9)),
        user("hvem skal jeg kontakte?", "contact_entry_point", at(10, 9, 1)),
        action("action_entry_point", at(10, 9, 1)),
    ],
    # misunderstood twice (one with a CPR number), a button press, then a second session next day
    "bo": [
        action("action_session_start", at(11, 14)),
        user("hvad koster parkering", "nlu_fallback", at(11, 14)),
        action("action_fallback", at(11, 14)),
        bot("Mente du ...?", at(11, 14)),
        user("Hvad Koster  parkering", "out_of_scope", at(11, 14, 1)),
        action("action_fallback", at(11, 14, 1)),  # the core fallback: not understood either
        user("/contact_entry_point", "contact_entry_point", at(11, 14, 2)),
        action("action_entry_point", at(11, 14, 2)),
        action("action_session_start", at(12, 10)),
        user("mit cpr er 010190-1234", "nlu_fallback", at(12, 10)),
        action("action_fallback", at(12, 10)),
    ],
    # after the period (1 December 00:30 Danish time is still 30 November in UTC)
    "late": [
        action("action_session_start", datetime(2026, 12, 1, 0, 30, tzinfo=CPH).timestamp()),
        user("hvad koster parkering", "nlu_fallback", datetime(2026, 12, 1, 0, 30, tzinfo=CPH).timestamp()),
        action("action_fallback", datetime(2026, 12, 1, 0, 30, tzinfo=CPH).timestamp()),
    ],
}


@contextmanager
def logging_left_as_it_was() -> Iterator[None]:
    """rasa_adapters.tracker_store installs the CPR log filter for the whole process on import.

    Undo it afterwards.
    """
    factory, installed = logging.getLogRecordFactory(), privacy._installed_factory
    filterers = [*logging.getLogger().handlers]
    for name in privacy.LOGGERS_TO_FILTER:
        filterers += [logging.getLogger(name), *logging.getLogger(name).handlers]
    saved = {id(f): (f, list(f.filters)) for f in filterers}
    try:
        yield
    finally:
        logging.setLogRecordFactory(factory)
        privacy._installed_factory = installed
        for filterer, filters in saved.values():
            filterer.filters = filters


@pytest.fixture
def tracker_db(tmp_path: Path) -> Path:
    with logging_left_as_it_was():
        from rasa_adapters.tracker_store import MaskingSQLTrackerStore  # the class Rasa uses (endpoints.yml)

    path = tmp_path / "tracker.db"
    store = MaskingSQLTrackerStore(domain=Domain.empty(), dialect="sqlite", db=str(path))

    async def save_all() -> None:
        for sender, events in CONVERSATIONS.items():
            await store.save(DialogueStateTracker.from_events(sender, events))

    asyncio.run(save_all())
    store.engine.dispose()
    return path


def test_figures_for_a_period(tracker_db: Path, database_url: str):
    result = report.build_report(str(tracker_db), database_url, date(2026, 11, 1), date(2026, 11, 30))
    assert result.conversations == 3  # anna, and bo's two sessions
    assert result.user_messages == 5  # the button press is not counted
    assert result.answered == 2
    assert result.share_answered == pytest.approx(0.4)
    assert result.conversations_with_person == 2
    # The same question typed twice counts twice; the CPR number is masked.
    assert result.not_understood == [("hvad koster parkering", 2), ("mit cpr er [CPR fjernet]", 1)]


def test_period_is_danish_days_both_ends_included(tracker_db: Path, database_url: str):
    only_11th = report.build_report(str(tracker_db), database_url, date(2026, 11, 11), date(2026, 11, 11))
    assert (only_11th.conversations, only_11th.user_messages, only_11th.answered) == (1, 2, 0)
    december = report.build_report(str(tracker_db), database_url, date(2026, 12, 1), None)
    assert december.conversations == 1 and december.not_understood == [("hvad koster parkering", 1)]
    everything = report.build_report(str(tracker_db), database_url)
    assert everything.conversations == 4


def test_callbacks_in_the_period(tracker_db: Path, sample_database_url: str):
    kept = create_callback(
        sample_database_url, "Anna Hansen", "12345678", "Udskrivelse", house_id="helsingoer",
        now=datetime(2026, 11, 10, 12, tzinfo=CPH),
    )  # fmt: skip
    withdrawn = create_callback(
        sample_database_url, "Bo Jensen", "87654321", "Genoptræning",
        now=datetime(2026, 11, 11, 12, tzinfo=CPH),
    )  # fmt: skip
    withdraw_callback(sample_database_url, withdrawn.reference)
    create_callback(
        sample_database_url, "Senere", "22334455", "Andet", now=datetime(2026, 12, 2, 12, tzinfo=CPH)
    )
    result = report.build_report(str(tracker_db), sample_database_url, date(2026, 11, 1), date(2026, 11, 30))
    assert (result.callbacks_requested, result.callbacks_withdrawn) == (2, 1)
    assert sorted(result.callbacks_by_house) == [("helsingoer", 1), ("uden hus", 1)]
    text = report.format_report(result)
    assert "Anmodninger om opkald: 2 (1 trukket tilbage)" in text
    assert kept.name not in text  # no personal data in the report


def test_text_report(tracker_db: Path, database_url: str):
    text = report.format_report(
        report.build_report(str(tracker_db), database_url, date(2026, 11, 1), date(2026, 11, 30))
    )
    assert "Periode: 1. november 2026 – 30. november 2026" in text
    assert "Samtaler: 3" in text
    assert "Besvaret: 2 af 5 (40 %)" in text
    assert "2  hvad koster parkering" in text
    assert "010190" not in text


def test_command_line(tracker_db: Path, database_url: str, capsys: pytest.CaptureFixture[str]):
    status = cli_main(
        ["report", "--tracker-db", str(tracker_db), "--from", "2026-11-01", "--to", "2026-11-30"]
    )
    assert status == 0
    out = capsys.readouterr().out
    assert "Samtaler: 3" in out and "Ikke forstået: 3" in out


def test_tracker_from_the_environment(
    tracker_db: Path, database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    monkeypatch.delenv("TRACKER_DB_URL", raising=False)
    monkeypatch.setenv("TRACKER_DB", str(tracker_db))
    assert cli_main(["report"]) == 0
    assert "Samtaler: 4" in capsys.readouterr().out
    monkeypatch.setenv("TRACKER_DB_URL", f"sqlite:///{tracker_db}")
    assert report.tracker_url() == f"sqlite:///{tracker_db}"


def test_a_date_that_is_not_a_date_gets_a_danish_message(tracker_db: Path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli_main(["report", "--tracker-db", str(tracker_db), "--from", "1. november"])
    assert exit_info.value.code == 2
    assert "Skriv den som ÅÅÅÅ-MM-DD" in capsys.readouterr().err


def test_start_after_end_gets_a_danish_message(tracker_db: Path, database_url: str, capsys):
    arguments = ["--from", "2026-11-30", "--to", "2026-11-01"]
    assert cli_main(["report", "--tracker-db", str(tracker_db), *arguments]) == 2
    assert "Startdatoen ligger efter slutdatoen" in capsys.readouterr().err


def test_missing_tracker_store_is_said_in_danish(tmp_path: Path, database_url: str, capsys):
    assert cli_main(["report", "--tracker-db", str(tmp_path / "findes-ikke.db")]) == 2
    assert "Samtaledatabasen findes ikke" in capsys.readouterr().err


def test_empty_tracker_store_gives_zeros(tmp_path: Path, database_url: str):
    empty = tmp_path / "empty.db"
    empty.touch()
    result = report.build_report(str(empty), database_url)
    assert (result.conversations, result.user_messages, result.share_answered) == (0, 0, None)
    assert "Besvaret: 0 af 0\n" in report.format_report(result)
