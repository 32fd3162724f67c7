"""A real SQLite services database with the sample catalogue, a fresh copy of one template per test."""

from __future__ import annotations

import importlib
import logging
import pkgutil
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import actions
from bot import migrate, privacy, settings
from bot.catalogue import import_catalogue
from bot.db import get_engine
from tests.event_catalogues import add_test_event


@contextmanager
def logging_left_as_it_was() -> Iterator[None]:
    """Put back the process's logging as it was (the CPR filter installed meanwhile is taken off again)."""
    factory, installed = logging.getLogRecordFactory(), privacy._installed_factory
    filterers: list[logging.Filterer] = [*logging.getLogger().handlers]
    for name in privacy.LOGGERS_TO_FILTER:
        filterers += [logging.getLogger(name), *logging.getLogger(name).handlers]
    saved = [(filterer, list(filterer.filters)) for filterer in filterers]
    try:
        yield
    finally:
        logging.setLogRecordFactory(factory)
        privacy._installed_factory = installed
        for filterer, filters in saved:
            filterer.filters = filters


# actions.callbacks installs the CPR log filter for the whole process on import, as the action server
# needs. Import every action module here, before the tests do, and leave logging as it was, so the
# tests that run later (tests/unit/test_privacy.py) still see a process without the filter.
with logging_left_as_it_was():
    for module in pkgutil.iter_modules(actions.__path__):
        importlib.import_module(f"actions.{module.name}")


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
        return add_test_event(
            services_db,
            capacity=capacity,
            deadline_days=deadline_days,
            start_days=start_days,
            title=title or None,
        )

    return add
