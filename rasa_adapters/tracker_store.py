"""Rasa's SQL tracker store, with CPR numbers masked before anything is written.

Rasa imports this module when the server starts (endpoints.yml names the class),
which is also where the CPR-masking log filter is installed for the whole process,
and where the Rasa server's check of action-server answers is made cheap
(rasa_adapters.action_response_check; docs/benchmarks.md says why).

On SQLite (the default; production uses PostgreSQL) the tracker database runs in WAL mode
with synchronous=NORMAL over pooled connections: a commit no longer waits for the disk (fsync
was an eighth of the Rasa server's time per answer). An application crash loses nothing; a
power cut may lose the last conversation turns, never the file's consistency.

On a database server (PostgreSQL in the production profile) the connections are checked
before use (`pool_pre_ping`), which Rasa's own store does not do: after a database restart
the next message gets a fresh connection instead of failing on a dead one.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import create_engine
from sqlalchemy import event as sqlalchemy_event
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import QueuePool

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
    """SQLTrackerStore that never stores a CPR number.

    On SQLite it does not wait for the disk; on a database server it survives a restart.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite":
            self._keep_sqlite_connections_open()
        else:
            url = self.engine.url
            self.engine.dispose()
            self.engine = create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
            self.sessionmaker = sessionmaker(bind=self.engine)

    def _keep_sqlite_connections_open(self) -> None:
        """Pooled connections with the pragmas, instead of SQLAlchemy 1.4's NullPool for SQLite files.

        With NullPool every save and load opened and closed a connection, and closing the last one
        checkpoints the WAL to the database file and waits for the disk: 6 % of the Rasa server's
        time. Pooled connections leave checkpoints to SQLite (every 1000 pages).
        """
        url = self.engine.url
        self.engine.dispose()
        # Rasa uses the store from its event loop; check_same_thread=False because a pooled
        # connection may be handed to another thread, never to two at once.
        self.engine = create_engine(url, poolclass=QueuePool, connect_args={"check_same_thread": False})
        sqlalchemy_event.listen(self.engine, "connect", _sqlite_pragmas)
        self.sessionmaker = sessionmaker(bind=self.engine)

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator:
        for event in super()._additional_events(session, tracker):
            yield _MaskedEvent(event)
