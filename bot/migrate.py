"""Bring a services database to the latest schema with Alembic, from Python (SQLite or PostgreSQL)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from bot import db_locks, settings
from bot.db import get_engine
from bot.models import Base

ALEMBIC_INI = settings.PROJECT_ROOT / "alembic.ini"
MIGRATIONS_DIR = settings.PROJECT_ROOT / "migrations"
MIGRATION_LOCK = "sundhedshus:migrations"


def alembic_config() -> Config:
    config = Config(str(ALEMBIC_INI))
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(url: str | None = None) -> str | None:
    with get_engine(url).connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(url: str | None = None, revision: str = "head") -> str | None:
    """Migrate the database at `url` (default: DATABASE_URL) to `revision`; returns the new revision.

    On PostgreSQL, concurrent upgrades (every new pod runs one) wait for each other; the later
    ones then find the schema current and change nothing.
    """
    config = alembic_config()
    with get_engine(url).begin() as connection:
        db_locks.wait_in_transaction(connection, MIGRATION_LOCK)
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    return current_revision(url)


def ensure_schema(url: str | None = None) -> None:
    """Make sure the tables exist and are current.

    A database whose tables were made by `Base.metadata.create_all` (some tests do) has
    no Alembic version yet; it is stamped as current instead of being created again.
    """
    engine = get_engine(url)
    existing = set(inspect(engine).get_table_names())
    model_tables = set(Base.metadata.tables)
    if "alembic_version" not in existing and model_tables <= existing:
        config = alembic_config()
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.stamp(config, "head")
        return
    if current_revision(url) != head_revision():
        upgrade(url)
