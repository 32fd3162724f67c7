"""Helpers for the Rasa CLI checks: the current model and a clean environment for `rasa ...`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot import settings
from bot.stack import free_port, rasa_environment

RASA = Path(sys.executable).parent / "rasa"
CLI_TIMEOUT = 900  # seconds; loading a model on a busy 2-core machine is slow


@pytest.fixture(scope="session")
def current_model() -> Path:
    """The model for the current data and config; trained first when the data changed."""
    from bot.training import train_if_needed

    return train_if_needed()


def run_rasa(args: list[str], work_dir: Path) -> subprocess.CompletedProcess[str]:
    """Run `rasa <args>` from the project root, with endpoints.yml's variables pointing into work_dir.

    `rasa test` does not call the action server, but endpoints.yml must still resolve.
    """
    env = rasa_environment(
        free_port(),
        {"TRACKER_DB_DIALECT": "sqlite", "TRACKER_DB": str(work_dir / "tracker.db")},
    )
    return subprocess.run(
        [str(RASA), *args],
        cwd=settings.PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT,
    )


def output_tail(result: subprocess.CompletedProcess[str], lines: int = 40) -> str:
    return "\n".join((result.stdout + result.stderr).splitlines()[-lines:])
