"""Rasa's own `rasa init` bot, built once and served beside ours, as the benchmark's yardstick.

`make bench` compares the assistant with the bot `rasa init --no-prompt` creates (English
moodbot: in-memory tracker store, no action server, a small DIET/TED model). It is built
under var/bench/rasa-init/ and re-used while the Rasa version matches ours:

    venv/      a venv of its own with `rasa==<our version>`, pinned with our requirements.lock
               as constraints (same TensorFlow, Sanic, ...), so only the bot differs;
    project/   `rasa init --no-prompt` there, which also trains its model once;
    built.json what was built with which Rasa version.

`python="project"` builds the project in the project's own venv instead (no download; the tests
use it): the same Rasa version, but our packages are importable beside it.
The servers run in process groups of their own and die with their starter (bot.stack).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import yaml

from bot import settings
from bot.stack import answers, die_with_parent, free_port, stop_process_groups

REFERENCE_DIR = settings.VAR_DIR / "bench" / "rasa-init"
PROJECT_VENV = "project"  # build with the project's own venv (no install)
PROJECT_VENV_REFERENCE_DIR = settings.VAR_DIR / "bench" / "rasa-init-project-venv"


def default_root(python: str | None) -> Path:
    """Where the bot is built: one place per kind of venv, so neither undoes the other."""
    return PROJECT_VENV_REFERENCE_DIR if python == PROJECT_VENV else REFERENCE_DIR


def our_rasa_version() -> str:
    return metadata.version("rasa")


def _environment() -> dict[str, str]:
    """Ours without PYTHONPATH: none of the assistant's code is importable by the reference bot."""
    env = settings.child_environment()
    env.pop("PYTHONPATH", None)
    return env


def _run(args: list[str], cwd: Path, log: Path) -> None:
    """Run a build step, its output appended to `log`; RuntimeError naming the log when it fails."""
    with log.open("ab") as out:
        out.write(f"\n$ {' '.join(args)}\n".encode())
        out.flush()
        result = subprocess.run(args, cwd=cwd, env=_environment(), stdout=out, stderr=subprocess.STDOUT)
    if result.returncode != 0:
        raise RuntimeError(f"`{' '.join(args[:4])} ...` fejlede (exit {result.returncode}); se {log}")


@dataclass
class ReferenceBot:
    """The `rasa init` bot: built (cached) by `ensure_built`, served by `start`, stopped by `stop`."""

    root: Path = REFERENCE_DIR
    python: str | None = None  # None: a venv of its own under root; PROJECT_VENV: ours
    rasa_port: int = 0
    action_port: int = 0
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def project(self) -> Path:
        return self.root / "project"

    @property
    def bin_dir(self) -> Path:
        return Path(sys.executable).parent if self.python == PROJECT_VENV else self.root / "venv" / "bin"

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def marker(self) -> Path:
        return self.root / "built.json"

    def is_built(self) -> bool:
        try:
            built = json.loads(self.marker.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        return (
            built.get("rasa") == our_rasa_version()
            and built.get("python") == (self.python or "venv")
            and self.model() is not None
        )

    def _venv_rasa_version(self) -> str | None:
        """The Rasa version installed in the own venv (None when there is none)."""
        python = self.root / "venv" / "bin" / "python"
        if not python.exists():
            return None
        probe = "import importlib.metadata as m; print(m.version('rasa'))"
        result = subprocess.run(
            [str(python), "-c", probe], capture_output=True, text=True, env=_environment(), check=False
        )
        return result.stdout.strip() if result.returncode == 0 else None

    def model(self) -> Path | None:
        models = sorted((self.project / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
        return models[-1] if models else None

    def ensure_built(self, say: Callable[[str], None] = print) -> Path:
        """Build the venv and the trained `rasa init` project unless built for our Rasa version."""
        if self.is_built():
            return self.model()  # type: ignore[return-value]
        version = our_rasa_version()
        self.root.mkdir(parents=True, exist_ok=True)
        log = self.root / "build.log"
        if self.python != PROJECT_VENV and self._venv_rasa_version() != version:
            say(f"Bygger Rasas `rasa init`-bot: venv med rasa=={version} (første gang: minutter) ...")
            venv = self.root / "venv"
            shutil.rmtree(venv, ignore_errors=True)
            _run([sys.executable, "-m", "venv", str(venv)], self.root, log)
            pip = [str(self.bin_dir / "python"), "-m", "pip", "install", "--quiet"]
            _run([*pip, "pip==24.0"], self.root, log)
            lock = settings.PROJECT_ROOT / "requirements.lock"
            _run([*pip, f"rasa=={version}", "-c", str(lock)], self.root, log)
        shutil.rmtree(self.project, ignore_errors=True)
        say("Bygger Rasas `rasa init`-bot: rasa init --no-prompt (træner dens model) ...")
        self.project.mkdir()
        _run(
            [str(self.bin_dir / "rasa"), "init", "--no-prompt", "--init-dir", str(self.project)],
            self.root,
            log,
        )
        model = self.model()
        if model is None:
            raise RuntimeError(f"`rasa init` gav ingen model; se {log}")
        self.marker.write_text(
            json.dumps({"rasa": version, "python": self.python or "venv", "model": model.name}) + "\n",
            encoding="utf-8",
        )
        return model

    def action_endpoint(self) -> bool:
        """True when the init project's endpoints.yml names an action server (3.6's does not)."""
        endpoints = yaml.safe_load((self.project / "endpoints.yml").read_text(encoding="utf-8")) or {}
        return bool(endpoints.get("action_endpoint"))

    def _spawn(self, name: str, args: list[str]) -> None:
        log = open(self.root / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process
        parent = os.getpid()
        self.processes[name] = subprocess.Popen(
            args, cwd=self.project, env=_environment(), stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True, preexec_fn=lambda: die_with_parent(parent),
        )  # fmt: skip

    def start(self, timeout: float = 240.0) -> ReferenceBot:
        """Serve the built bot (REST channel) on a free port, with its action server if it has one."""
        self.launch()
        self.wait_until_ready(timeout)
        return self

    def launch(self) -> None:
        """Start the servers without waiting for them (`wait_until_ready` does; stops them on failure)."""
        model = self.ensure_built()
        self.rasa_port = free_port()
        endpoints = self.project / "endpoints.yml"
        if self.action_endpoint():
            self.action_port = free_port()
            self._spawn(
                "actions", [str(self.bin_dir / "rasa"), "run", "actions", "--port", str(self.action_port)]
            )
            endpoints = self.root / "bench-endpoints.yml"
            url = f"http://127.0.0.1:{self.action_port}/webhook"
            endpoints.write_text(yaml.safe_dump({"action_endpoint": {"url": url}}), encoding="utf-8")
        self._spawn("rasa", [
            str(self.bin_dir / "rasa"), "run", "--interface", "127.0.0.1", "--port", str(self.rasa_port),
            "--model", str(model), "--credentials", str(self.project / "credentials.yml"),
            "--endpoints", str(endpoints),
        ])  # fmt: skip

    def wait_until_ready(self, timeout: float) -> None:
        try:
            self._wait(timeout)
        except BaseException:
            self.stop()
            raise

    def _wait(self, timeout: float) -> None:
        checks = {"rasa": f"{self.rasa_url}/"}  # "Hello from Rasa: ..."; /version needs --enable-api
        if "actions" in self.processes:
            checks["actions"] = f"http://127.0.0.1:{self.action_port}/health"
        deadline = time.monotonic() + timeout
        while checks:
            for name, url in list(checks.items()):
                if self.processes[name].poll() is not None:
                    raise RuntimeError(f"`rasa init`-bottens {name} stoppede; se {self.root / name}.log")
                if answers(url):
                    del checks[name]
            if checks and time.monotonic() > deadline:
                raise TimeoutError(f"`rasa init`-botten svarede ikke efter {timeout:.0f} s")
            time.sleep(0.5)

    def stop(self) -> None:
        stop_process_groups(self.processes.values())
        self.processes.clear()
