"""A real SQLite services database with the sample catalogue, a fresh copy of one template per test."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot import migrate, settings
from bot.catalogue import import_catalogue
from bot.db import get_engine


@pytest.fixture(scope="session")
def template_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "services.db"
    url = f"sqlite:///{path}"
    migrate.upgrade(url)
    import_catalogue(settings.SAMPLE_CATALOGUE, url=url)
    get_engine(url).dispose()
    return path


@pytest.fixture
def services_db(template_database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The URL of this test's own copy; DATABASE_URL points to it, as on the action server."""
    path = tmp_path / "services.db"
    shutil.copy(template_database, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("DATABASE_URL", url)
    yield url
    get_engine(url).dispose()


@pytest.fixture
def add_event(services_db: str) -> Callable[..., str]:
    """Import an event of the test's own, dated relative to now; returns its id."""

    def add(capacity: int | None = 50, deadline_days: int = 10, start_days: int = 30, title: str = "") -> str:
        event_id = f"test-{uuid.uuid4().hex[:8]}"
        now = datetime.now(timezone.utc).replace(microsecond=0)
        start, deadline = now + timedelta(days=start_days), now + timedelta(days=deadline_days)
        capacity_line = f"    capacity: {capacity}\n" if capacity else ""
        import_catalogue(
            f"""
version: 1
updated: 2026-11-20
houses: []
events:
  - id: {event_id}
    title: {title or "Testmøde " + event_id}
    start: {start.isoformat()}
    end: {(start + timedelta(hours=2)).isoformat()}
    venue: {{house: albertslund}}
    registration_deadline: {deadline.isoformat()}
{capacity_line}    contact: {{name: Testsekretariatet, email: test@example.invalid}}
""",
            url=services_db,
        )
        return event_id

    return add
