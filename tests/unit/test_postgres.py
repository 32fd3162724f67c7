"""The same schema, import and export on a real, throwaway PostgreSQL server."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import select

from bot import migrate, settings
from bot.catalogue import CatalogueInvalid, export_catalogue, import_catalogue
from bot.db import session_scope
from bot.models import Event, House, Registration


def test_migrations_reach_head(postgres_url: str) -> None:
    assert migrate.current_revision(postgres_url) == migrate.head_revision()
    migrate.ensure_schema(postgres_url)  # already current: nothing to do, no error


def test_sample_catalogue_round_trip(fresh_postgres_url: str, tmp_path: Path) -> None:
    url = fresh_postgres_url
    result = import_catalogue(settings.SAMPLE_CATALOGUE, url=url)
    assert len(result.houses_created) == 9 and len(result.events_created) == 4

    first = export_catalogue(url)
    exported = tmp_path / "export.yml"
    exported.write_text(first, encoding="utf-8")
    again = import_catalogue(exported, replace=True, url=url)

    assert not again.changed, again
    assert export_catalogue(url) == first
    with session_scope(url) as session:
        event = session.get(Event, "dialogmoede-sundhedshuse-2027")
        assert event.start == datetime(2027, 3, 11, 15, 30, tzinfo=timezone.utc)
        assert event.registration_deadline == datetime(2027, 3, 1, 22, 59, 59, 999999, tzinfo=timezone.utc)
        assert session.get(House, "nordborg").municipality == "Sønderborg"


def test_replace_with_registrations_and_invalid_file(
    fresh_postgres_url: str, catalogue_data: dict, write_catalogue: Callable[..., Path]
) -> None:
    url = fresh_postgres_url
    import_catalogue(write_catalogue(catalogue_data, "a.yml"), url=url)
    with session_scope(url) as session:
        session.add(
            Registration(
                event_id="dialogmoede-eksempel", name="Anne", email="anne@example.invalid", role="kommune"
            )
        )
    before = export_catalogue(url)
    broken = copy.deepcopy(catalogue_data)
    broken["houses"][0]["services"][0]["type"] = "blodprove"
    with pytest.raises(CatalogueInvalid):
        import_catalogue(write_catalogue(broken, "broken.yml"), url=url)
    assert export_catalogue(url) == before

    without = copy.deepcopy(catalogue_data)
    without["houses"] = [without["houses"][1]]
    without["events"] = []
    result = import_catalogue(write_catalogue(without, "b.yml"), replace=True, url=url)
    assert result.events_cancelled == ["dialogmoede-eksempel"] and result.houses_removed == ["eksempelby"]
    with session_scope(url) as session:
        assert session.get(Event, "dialogmoede-eksempel").cancelled is True
        assert len(session.scalars(select(Registration)).all()) == 1


def test_cli_upgrade_and_import(postgres_server, tmp_path: Path) -> None:  # noqa: ANN001
    """`python -m bot db upgrade` and `catalogue import` on a brand-new PostgreSQL database."""
    from sqlalchemy import create_engine, text

    engine = create_engine(postgres_server.url(), isolation_level="AUTOCOMMIT", future=True)
    with engine.connect() as connection:
        connection.execute(text('CREATE DATABASE "cli_test"'))
    engine.dispose()
    env = {**os.environ, "DATABASE_URL": postgres_server.url("cli_test")}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "bot", *args],
            cwd=settings.PROJECT_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    upgraded = run("db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    assert f"skema-revision {migrate.head_revision()}" in upgraded.stdout
    imported = run("catalogue", "import", str(settings.SAMPLE_CATALOGUE), "--replace")
    assert imported.returncode == 0, imported.stderr
    assert "Huse: 9 nye" in imported.stdout
