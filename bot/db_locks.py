"""One runner at a time across processes and machines: PostgreSQL advisory locks.

In production several action servers share one database, and every new pod runs the
migrations. The scheduled retention job and an Alembic upgrade must not run twice at once:
on PostgreSQL an advisory lock (named by a string) serialises them. SQLite (`make run`, one
machine, one action server) takes no lock.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.engine import Connection

from bot.db import get_engine


def lock_key(name: str) -> int:
    """The advisory lock's number for `name`: a stable signed 64-bit integer."""
    return int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big", signed=True)


def wait_in_transaction(connection: Connection, name: str) -> None:
    """Wait for the lock `name`; it is held until `connection`'s transaction ends (PostgreSQL)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock_key(name)})


@contextmanager
def try_lock(name: str, url: str | None = None) -> Iterator[bool]:
    """Yield True when this process holds the lock `name` on the database at `url` (default
    DATABASE_URL), False when another one holds it now; released at the end of the block.
    SQLite: always True."""
    engine = get_engine(url)
    if engine.dialect.name != "postgresql":
        yield True
        return
    key = {"key": lock_key(name)}
    with engine.connect() as connection:
        ours = bool(connection.execute(text("SELECT pg_try_advisory_lock(:key)"), key).scalar())
        connection.commit()  # the lock belongs to the session, not to this transaction
        try:
            yield ours
        finally:
            if ours:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), key)
                connection.commit()
