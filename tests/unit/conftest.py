"""Shared fixtures for unit tests: databases and catalogues.

database_url          a migrated, empty SQLite file in tmp_path; DATABASE_URL points to it
sample_database_url   the same, with data/catalogue.yml imported
write_catalogue       write_catalogue(data_or_text, name="catalogue.yml") -> Path in tmp_path
catalogue_data        a small valid catalogue as a dict (a fresh copy per test; edit freely)
postgres_server       a throwaway PostgreSQL server for the test session (skips without binaries)
postgres_url          a migrated, empty PostgreSQL database shared by the session
fresh_postgres_url    a new migrated PostgreSQL database for one test
"""

from __future__ import annotations

import copy
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import create_engine, text

from bot import migrate, settings
from bot.db import get_engine

MINIMAL_CATALOGUE: dict[str, Any] = {
    "version": 1,
    "updated": "2026-11-01",
    "houses": [
        {
            "id": "eksempelby",
            "name": "Sundhedshuset Eksempelby",
            "municipality": "Albertslund",
            "address": {"street": "Eksempelvej 1", "postcode": "2620", "town": "Albertslund"},
            "entry_point": {
                "name": "Sundhedshusets fælles indgang",
                "phone": "+45 00 00 00 00",
                "hours": {"mon": "08:00-15:00", "tue": "08:00-15:00", "fri": "08:00-13:00"},
            },
            "opening_hours": {"mon": "07:00-21:00", "tue": "07:00-21:00", "sat": "closed"},
            "services": [
                {
                    "type": "blodproever",
                    "provider": "Eksempel Hospital",
                    "hours": {"mon": "07:00-13:00", "wed": "07:00-18:00", "closed_dates": ["2026-12-24"]},
                    "referral": "required",
                    "referral_note": "Henvisning fra egen læge eller hospitalet",
                    "booking": {"method": "online", "url": "https://example.invalid/book"},
                },
                {
                    "type": "genoptraening",
                    "referral": "depends",
                    "booking": {"method": "via_municipality"},
                    "audience": ["citizen"],
                },
            ],
        },
        {
            "id": "andenby",
            "name": "Sundhedshuset Andenby",
            "municipality": "Sønderborg",
            "address": {"street": "Eksempelgade 2", "postcode": "6430", "town": "Nordborg"},
            "geo": {"lat": 55.058, "lon": 9.742},
            "entry_point": {"name": "Indgangen", "phone": "+45 00 00 00 00"},
            "services": [
                {
                    "type": "akutpladser",
                    "referral": "required",
                    "booking": {"method": "via_municipality"},
                    "audience": ["staff"],
                }
            ],
        },
    ],
    "events": [
        {
            "id": "dialogmoede-eksempel",
            "title": "Dialogmøde om fælles sundhedshuse",
            "start": "2027-03-11T16:30:00+01:00",
            "end": "2027-03-11T20:00:00+01:00",
            "venue": {"house": "eksempelby"},
            "audience": ["kommune", "region", "praksis", "brugerrepraesentant"],
            "registration_deadline": "2027-03-01",
            "capacity": 120,
            "contact": {"email": "moede@example.invalid"},
        }
    ],
}


def catalogue_yaml(data: dict[str, Any]) -> str:
    """A catalogue dict as YAML text (strings that look like dates stay quoted, which the format allows)."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@pytest.fixture
def catalogue_data() -> dict[str, Any]:
    return copy.deepcopy(MINIMAL_CATALOGUE)


@pytest.fixture
def write_catalogue(tmp_path: Path) -> Callable[..., Path]:
    def write(data: dict[str, Any] | str, name: str = "catalogue.yml") -> Path:
        path = tmp_path / name
        path.write_text(data if isinstance(data, str) else catalogue_yaml(data), encoding="utf-8")
        return path

    return write


@pytest.fixture
def database_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'services.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    migrate.upgrade(url)
    yield url
    get_engine(url).dispose()


@pytest.fixture
def sample_database_url(database_url: str) -> str:
    from bot.catalogue import import_catalogue

    import_catalogue(settings.SAMPLE_CATALOGUE, url=database_url)
    return database_url


# ---------------------------------------------------------------- PostgreSQL


@dataclass
class PostgresServer:
    port: int
    data_dir: Path

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg2://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, prefix: str = "test") -> str:
        """A new empty database, migrated to the latest schema; its URL."""
        name = f"{prefix}_{uuid.uuid4().hex[:10]}"
        engine = create_engine(self.url(), isolation_level="AUTOCOMMIT", future=True)
        try:
            with engine.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
        finally:
            engine.dispose()
        url = self.url(name)
        migrate.upgrade(url)
        return url


def _postgres_bindir() -> Path | None:
    candidates: list[str] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        result = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
        candidates.append(result.stdout.strip())
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    if shutil.which("initdb"):
        candidates.append(str(Path(shutil.which("initdb")).parent))
    for candidate in candidates:
        if candidate and (Path(candidate) / "initdb").exists() and (Path(candidate) / "pg_ctl").exists():
            return Path(candidate)
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_server_user(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root; as root, run it as the `postgres` user."""
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    bindir = _postgres_bindir()
    if bindir is None:
        # Production runs PostgreSQL, and `make test` installs it: a missing server fails the run.
        pytest.fail("PostgreSQL-serverprogrammerne (initdb, pg_ctl) mangler: apt-get install postgresql")
    # Not under pytest's tmp dir: as root that is private (0700) and the postgres user cannot enter it.
    data_dir = Path(tempfile.mkdtemp(prefix="bot-pg-"))
    if os.geteuid() == 0:
        shutil.chown(data_dir, "postgres", "postgres")
    port = _free_port()
    log_file = data_dir / "server.log"
    subprocess.run(
        _as_server_user(
            [
                str(bindir / "initdb"),
                "-D",
                str(data_dir / "data"),
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--locale=C",
            ]
        ),
        check=True,
        capture_output=True,
    )
    options = (
        f"-c port={port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={data_dir} -c fsync=off"
    )
    subprocess.run(
        _as_server_user(
            [
                str(bindir / "pg_ctl"),
                "-D",
                str(data_dir / "data"),
                "-l",
                str(log_file),
                "-o",
                options,
                "-w",
                "-t",
                "60",
                "start",
            ]
        ),
        check=True,
        capture_output=True,
    )
    try:
        yield PostgresServer(port=port, data_dir=data_dir)
    finally:
        subprocess.run(
            _as_server_user(
                [str(bindir / "pg_ctl"), "-D", str(data_dir / "data"), "-m", "immediate", "-w", "stop"]
            ),
            check=False,
            capture_output=True,
        )
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_url(postgres_server: PostgresServer) -> str:
    return postgres_server.create_database("bot")


@pytest.fixture
def fresh_postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    url = postgres_server.create_database()
    yield url
    get_engine(url).dispose()
