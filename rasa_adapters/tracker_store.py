"""Rasa's SQL tracker store, with CPR numbers masked before anything is written.

Rasa imports this module when the server starts (endpoints.yml names the class),
which is also where the CPR-masking log filter is installed for the whole process,
and where the Rasa server's check of action-server answers is made cheap
(rasa_adapters.action_response_check; docs/benchmarks.md says why).

On SQLite (the default; production uses PostgreSQL) the tracker database runs in WAL mode
with synchronous=NORMAL: a commit no longer waits for the disk (fsync was an eighth of the
Rasa server's time per answer). An application crash loses nothing; a power cut may lose
the last conversation turns, never the file's consistency.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import event as sqlalchemy_event

from bot.privacy import install_log_filter, mask_cpr
from rasa_adapters import action_response_check

install_log_filter()
action_response_check.install()

SQLITE_PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    for pragma in SQLITE_PRAGMAS:
        cursor.execute(pragma)
    cursor.close()


def mask_strings(value: Any) -> Any:
    """Mask CPR numbers in every string inside a JSON-like structure."""
    if isinstance(value, str):
        return mask_cpr(value)
    if isinstance(value, list):
        return [mask_strings(item) for item in value]
    if isinstance(value, dict):
        return {key: mask_strings(item) for key, item in value.items()}
    return value


class _MaskedEvent:
    """What SQLTrackerStore.save reads of an event, with CPR numbers masked."""

    def __init__(self, event: Any) -> None:
        self.type_name = event.type_name
        self._data = mask_strings(event.as_dict())

    def as_dict(self) -> dict[str, Any]:
        return self._data


class MaskingSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore that never stores a CPR number (and on SQLite, does not wait for the disk)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite":
            sqlalchemy_event.listen(self.engine, "connect", _sqlite_pragmas)
            self.engine.dispose()  # connections opened while creating the tables get them too

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator:
        for event in super()._additional_events(session, tracker):
            yield _MaskedEvent(event)
