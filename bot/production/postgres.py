"""The production profile's PostgreSQL: one cluster under PROD_DIR/postgres, password-protected.

PostgreSQL refuses to run as root; as root the cluster belongs to the `postgres` user and
the server runs as that user. Two databases: the services database (schema by Alembic) and
Rasa's tracker store (Rasa creates its one table itself).
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text

SERVER_USER = "postgres"
SERVICES_DB = "sundhedshuse"
TRACKER_DB = "tracker"


def server_user() -> str | None:
    """The user the server runs as: `postgres` when we are root, else ourselves (None)."""
    return SERVER_USER if os.geteuid() == 0 else None


@dataclass
class Postgres:
    bindir: Path
    root: Path  # PROD_DIR/postgres
    port: int
    password: str

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg2://postgres:{self.password}@127.0.0.1:{self.port}/{database}"

    def _chown(self, path: Path) -> None:
        user = server_user()
        if user:
            entry = pwd.getpwnam(user)
            os.chown(path, entry.pw_uid, entry.pw_gid)

    def init_cluster(self) -> bool:
        """Create the cluster unless it exists; True when it was created."""
        if (self.data_dir / "PG_VERSION").exists():
            return False
        self.root.mkdir(parents=True, exist_ok=True)
        os.chmod(self.root, 0o700)
        self._chown(self.root)
        password_file = self.root / "initdb-password"
        password_file.write_text(self.password, encoding="utf-8")
        os.chmod(password_file, 0o600)
        self._chown(password_file)
        try:
            subprocess.run(
                [str(self.bindir / "initdb"), "-D", str(self.data_dir), "-U", "postgres",
                 f"--pwfile={password_file}", "-A", "scram-sha-256", "-E", "UTF8", "--locale=C"],
                user=server_user(), check=True, capture_output=True, cwd=self.root,
            )  # fmt: skip
        except subprocess.CalledProcessError as error:
            shutil.rmtree(self.data_dir, ignore_errors=True)
            raise RuntimeError(f"initdb fejlede: {error.stderr.decode(errors='replace')[-500:]}") from error
        finally:
            password_file.unlink(missing_ok=True)
        return True

    def command(self) -> list[str]:
        """The server in the foreground: loopback only, no Unix socket (nothing outside PROD_DIR)."""
        return [
            str(self.bindir / "postgres"), "-D", str(self.data_dir),
            "-c", f"port={self.port}", "-c", "listen_addresses=127.0.0.1",
            "-c", "unix_socket_directories=", "-c", "max_connections=200",
        ]  # fmt: skip

    def ensure_databases(self) -> None:
        engine = create_engine(self.url("postgres"), isolation_level="AUTOCOMMIT", future=True)
        try:
            with engine.connect() as connection:
                existing = set(connection.execute(text("SELECT datname FROM pg_database")).scalars())
                for name in (SERVICES_DB, TRACKER_DB):
                    if name not in existing:
                        connection.execute(text(f'CREATE DATABASE "{name}"'))
        finally:
            engine.dispose()

    def answers(self) -> bool:
        engine = create_engine(self.url("postgres"), future=True, connect_args={"connect_timeout": 2})
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            return True
        except Exception:  # noqa: BLE001 - not up yet
            return False
        finally:
            engine.dispose()
