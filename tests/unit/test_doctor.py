"""`python -m bot doctor` as a newcomer runs it: a subprocess, against temporary databases."""

from __future__ import annotations

import http.server
import os
import socket
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest
import yaml

from bot import settings
from bot.stack import free_port
from bot.training import current_model_path

PORT_VARIABLES = ("ACTION_PORT", "RASA_PORT", "WEB_PORT")


def run_doctor(database_url: str, **ports: int) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, DATABASE_URL=database_url, PYTHONPATH=str(settings.PROJECT_ROOT))
    for variable in PORT_VARIABLES:
        env[variable] = str(ports.get(variable, free_port()))
    return subprocess.run(
        [sys.executable, "-m", "bot", "doctor"],
        cwd=settings.PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def line_about(output: str, what: str) -> str:
    lines = [line for line in output.splitlines() if what in line]
    assert lines, f"no line about {what!r} in:\n{output}"
    return lines[0]


def test_sample_database_is_reported_with_counts_and_catalogue_date(sample_database_url):
    result = run_doctor(sample_database_url)
    output = result.stdout
    assert "Traceback" not in result.stderr, result.stderr
    assert line_about(output, "Python").startswith("✓ Python: 3.10")
    for package in ("rasa", "rasa-sdk", "spacy", "SQLAlchemy", "aiohttp"):
        assert line_about(output, f" {package}: ").startswith("✓"), output
    database = line_about(output, "Database:")
    assert database.startswith("✓") and sample_database_url in database and "nyeste" in database
    assert "huse" in line_about(output, "Katalog:")
    updated = str(yaml.safe_load(settings.SAMPLE_CATALOGUE.read_text(encoding="utf-8"))["updated"])
    assert updated in line_about(output, "Katalog opdateret:")
    pipeline = line_about(output, "spaCy-pipeline")
    assert "OFFLINE" in pipeline or "trænet model" in pipeline
    for name in ("action-server", "Rasa-server", "webside"):
        assert "ledig" in line_about(output, f"({name})")
    # Exit 0 exactly when nothing is ✗; a missing model is the one ✗ a fresh checkout may have.
    assert (result.returncode == 0) == ("✗" not in output), output
    if not current_model_path().exists():
        assert result.returncode == 1 and "make train" in output


def test_missing_database_fails_without_creating_it(tmp_path):
    missing = tmp_path / "nowhere.db"
    result = run_doctor(f"sqlite:///{missing}")
    assert result.returncode == 1
    assert line_about(result.stdout, "Database:").startswith("✗")
    assert "findes ikke" in result.stdout and "make setup" in result.stdout
    assert not missing.exists()


def test_database_without_schema_fails(tmp_path):
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    result = run_doctor(f"sqlite:///{empty}")
    assert result.returncode == 1
    assert "har skema intet" in line_about(result.stdout, "Database:")


def test_database_password_is_hidden_and_errors_are_plain(tmp_path):
    closed_port = free_port()
    result = run_doctor(f"postgresql+psycopg2://anna:hemmeligt@127.0.0.1:{closed_port}/sundhed")
    assert result.returncode == 1
    assert "hemmeligt" not in result.stdout + result.stderr
    assert "anna:***@127.0.0.1" in line_about(result.stdout, "Database:")
    assert "Traceback" not in result.stderr


@pytest.fixture
def silent_listener() -> Iterator[int]:
    """A port held by a program that does not speak HTTP."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


@pytest.fixture
def answering_rasa() -> Iterator[int]:
    """A port answering /version with 200, as a running Rasa server does."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
            self.send_response(200 if self.path == "/version" else 404)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_port_held_by_another_program_fails(sample_database_url, silent_listener):
    result = run_doctor(sample_database_url, RASA_PORT=silent_listener)
    assert result.returncode == 1
    line = line_about(result.stdout, f"Port {silent_listener}")
    assert line.startswith("✗") and "optaget" in line and "RASA_PORT" in result.stdout
    assert f"proces {os.getpid()} (" in line  # the holder (this test process) is named


def test_port_of_a_running_assistant_is_fine(sample_database_url, answering_rasa):
    result = run_doctor(sample_database_url, RASA_PORT=answering_rasa)
    line = line_about(result.stdout, f"Port {answering_rasa}")
    assert line.startswith("✓") and "svarer" in line


def test_lock_file_pins_are_read(tmp_path):
    from bot.cli.doctor import locked_versions

    lock = tmp_path / "requirements.lock"
    lock.write_text("rasa==3.6.21\nrasa_sdk==3.6.2  # via rasa\n-e git+x#egg=y\nSQLAlchemy==1.4.54\n")
    assert locked_versions(lock) == {"rasa": "3.6.21", "rasa-sdk": "3.6.2", "sqlalchemy": "1.4.54"}
    assert locked_versions(tmp_path / "missing.lock") == {}
