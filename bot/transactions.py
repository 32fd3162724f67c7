"""Short transactions for the domain functions that take "a session or a database URL".

Reads may use the caller's session. Writes always run in their own session
(own connection, own transaction) so a rule checked inside it holds until
commit, and the caller's unit of work is never committed behind its back.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.orm import Session

from bot import settings
from bot.db import managed, session_factory

SessionOrUrl = Session | str | None  # None: the URL from bot.settings


@contextmanager
def read_session(session_or_url: SessionOrUrl) -> Iterator[Session]:
    """The caller's session as it is, or a new one for the URL (closed afterwards)."""
    if isinstance(session_or_url, Session):
        yield session_or_url
        return
    session = session_factory(_url(session_or_url))()
    try:
        yield session
    finally:
        session.close()


@contextmanager
def write_session(session_or_url: SessionOrUrl, serialise_sqlite: bool = False) -> Iterator[Session]:
    """A new session in one transaction: committed on success, rolled back on error.

    With `serialise_sqlite`, a SQLite transaction starts with BEGIN IMMEDIATE: it
    takes the database's write lock before the first read, so a check-then-insert
    (is there a place left?) cannot interleave with another writer. Waiting for the
    lock is bounded by the driver's busy timeout (see bot.db). PostgreSQL callers
    lock rows with SELECT ... FOR UPDATE instead.
    """
    if isinstance(session_or_url, Session):
        session = Session(bind=session_or_url.get_bind(), future=True, expire_on_commit=False)
    else:
        session = session_factory(_url(session_or_url))()
    with managed(session):
        if serialise_sqlite and session.get_bind().dialect.name == "sqlite":
            # pysqlite (legacy transaction mode) emits no BEGIN of its own before a
            # SELECT, so this is the first statement of the transaction; COMMIT and
            # ROLLBACK from SQLAlchemy end it as usual.
            session.execute(text("BEGIN IMMEDIATE"))
        yield session


def _url(url: str | None) -> str:
    # Resolved here, not left as None: bot.db caches one engine per argument, and a
    # cached None would keep the first DATABASE_URL even after the environment changes.
    return url or settings.database_url()


def dialect_name(session: Session) -> str:
    return session.get_bind().dialect.name
