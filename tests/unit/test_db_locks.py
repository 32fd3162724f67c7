"""Several processes on one PostgreSQL database (production: 2+ action servers, a migration in
every new pod): migrations and the retention job run one at a time. And the backup procedure in
docs/deploy.md (pg_dump / pg_restore) gives back every registration and call-back."""

from __future__ import annotations

import os
import subprocess
import threading
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from bot import db_locks, migrate, retention, settings
from bot.catalogue import export_catalogue, import_catalogue
from bot.db import get_engine, session_scope
from bot.models import CallbackRequest, Registration, utcnow

ROOT = Path(__file__).resolve().parents[2]


def empty_database(server) -> str:  # noqa: ANN001 - the PostgresServer fixture
    name = f"empty_{uuid.uuid4().hex[:10]}"
    engine = create_engine(server.url(), isolation_level="AUTOCOMMIT", future=True)
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return server.url(name)


def test_concurrent_migrations_wait_for_each_other(postgres_server) -> None:  # noqa: ANN001
    url = empty_database(postgres_server)
    start = threading.Barrier(3)
    results: list[object] = []

    def upgrade() -> None:
        start.wait()
        try:
            results.append(migrate.upgrade(url))
        except Exception as error:  # noqa: BLE001 - the test reports it
            results.append(error)

    threads = [threading.Thread(target=upgrade) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert results == [migrate.head_revision()] * 3


def test_the_migrate_role_of_the_image_upgrades_the_database(postgres_server, tmp_path: Path) -> None:  # noqa: ANN001
    """deploy/entrypoint.sh `migrate`, with the URL given as a secret file, as compose and Helm run it."""
    url = empty_database(postgres_server)
    secret = tmp_path / "database_url"
    secret.write_text(url, encoding="utf-8")
    environment = {
        **settings.QUIET_TOOLS,
        "PATH": f"{ROOT / '.venv' / 'bin'}:{os.environ['PATH']}",
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL_FILE": str(secret),
    }
    result = subprocess.run(
        ["sh", str(ROOT / "deploy" / "entrypoint.sh"), "migrate"],
        env=environment, cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert migrate.current_revision(url) == migrate.head_revision()
    assert "password" not in result.stdout.lower()


def test_only_one_process_runs_the_retention_job_at_a_time(fresh_postgres_url: str, tmp_path: Path) -> None:
    tracker = f"sqlite:///{tmp_path / 'tracker.db'}"
    with db_locks.try_lock(retention.RETENTION_LOCK, fresh_postgres_url) as ours:
        assert ours
        # Another action server (another database session) now skips its run.
        assert retention.purge_expired_once(fresh_postgres_url, tracker) is None
        with db_locks.try_lock(retention.RETENTION_LOCK, fresh_postgres_url) as second:
            assert not second
    deleted = retention.purge_expired_once(fresh_postgres_url, tracker)
    assert deleted is not None and deleted.registrations == 0


def test_sqlite_needs_no_lock(database_url: str) -> None:
    with db_locks.try_lock(retention.RETENTION_LOCK, database_url) as ours:
        assert ours


def pg_tool(name: str) -> str:
    from tests.unit.conftest import _postgres_bindir

    bindir = _postgres_bindir()
    assert bindir is not None and (bindir / name).exists(), f"{name} missing (apt-get install postgresql)"
    return str(bindir / name)


def libpq_url(url: str) -> str:
    return url.replace("postgresql+psycopg2://", "postgresql://")


def test_backup_and_restore_give_back_everything(
    postgres_server, fresh_postgres_url: str, tmp_path: Path
) -> None:  # noqa: ANN001
    """The commands docs/deploy.md gives: pg_dump -Fc, then pg_restore into an empty database."""
    source = fresh_postgres_url
    import_catalogue(settings.SAMPLE_CATALOGUE, url=source)
    with session_scope(source) as session:
        session.add(Registration(event_id="dialogmoede-sundhedshuse-2027", name="Anne",
                                 email="anne@example.invalid", role="kommune"))  # fmt: skip
        session.add(CallbackRequest(reference="ABC123", sender_id="s1", name="Bo", phone="+4512345678",
                                    topic="Blodprøve", house_id="nordborg", consent_at=utcnow()))  # fmt: skip
    dump = tmp_path / "sundhedshus.dump"
    subprocess.run([pg_tool("pg_dump"), "-Fc", "-f", str(dump), libpq_url(source)], check=True, timeout=120)
    target = empty_database(postgres_server)
    subprocess.run(
        [pg_tool("pg_restore"), "--no-owner", "--exit-on-error", "-d", libpq_url(target), str(dump)],
        check=True, timeout=120,
    )  # fmt: skip
    assert export_catalogue(target) == export_catalogue(source)
    for model in (Registration, CallbackRequest):
        with session_scope(source) as a, session_scope(target) as b:
            count = select(func.count()).select_from(model)
            assert b.execute(count).scalar_one() == a.execute(count).scalar_one() >= 1
    assert migrate.current_revision(target) == migrate.head_revision()
    get_engine(target).dispose()


@pytest.mark.parametrize("name", ["sundhedshus:retention", "sundhedshus:migrations"])
def test_lock_keys_are_stable_64_bit_numbers(name: str) -> None:
    key = db_locks.lock_key(name)
    assert key == db_locks.lock_key(name) and -(2**63) <= key < 2**63
