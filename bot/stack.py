"""Start and stop the assistant's processes: action server, Rasa server, web page.

Used by `python -m bot run` (what `make run` starts) and by the test suite, so
both run the assistant the same way.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from bot import settings
from bot.server_secrets import new_secret

VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def latest_model(models_dir: Path | None = None) -> Path:
    models_dir = models_dir or settings.PROJECT_ROOT / "models"
    candidates = sorted(models_dir.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not candidates:
        raise FileNotFoundError(f"No trained model in {models_dir}: run `make train`.")
    return candidates[-1]


def rasa_environment(action_port: int, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment endpoints.yml and the servers read."""
    env = dict(os.environ)
    env.setdefault("TRACKER_DB_DIALECT", "sqlite")
    env.setdefault("TRACKER_DB", str(settings.VAR_DIR / "tracker.db"))
    env["ACTION_SERVER_URL"] = f"http://127.0.0.1:{action_port}/webhook"
    # endpoints.yml sends ACTION_SERVER_TOKEN to the action server; both read it from here.
    # Without a configured one, a fresh secret for these processes only: never an open server.
    for variable in settings.SECRET_VARIABLES:
        env[variable] = (extra or {}).get(variable) or settings.secret(variable) or new_secret()
    env.setdefault("DATABASE_URL", settings.database_url())
    env.setdefault("PYTHONPATH", str(settings.PROJECT_ROOT))
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("RASA_TELEMETRY_ENABLED", "false")
    env.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    env.update(extra or {})
    return env


@dataclass
class Stack:
    """The running processes, their ports and their log files."""

    action_port: int = settings.ACTION_PORT_DEFAULT
    rasa_port: int = settings.RASA_PORT_DEFAULT
    web_port: int | None = settings.WEB_PORT_DEFAULT
    model: Path | None = None
    credentials: Path = settings.PROJECT_ROOT / "credentials.yml"
    endpoints: Path = settings.PROJECT_ROOT / "endpoints.yml"
    log_dir: Path = settings.VAR_DIR / "logs"
    env: dict[str, str] = field(default_factory=dict)
    auth_token: str = ""  # Rasa's HTTP API token, set by start()
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def action_url(self) -> str:
        return f"http://127.0.0.1:{self.action_port}"

    @property
    def web_url(self) -> str | None:
        return f"http://127.0.0.1:{self.web_port}" if self.web_port else None

    def _spawn(self, name: str, args: list[str], env: dict[str, str]) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log = open(self.log_dir / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process
        self.processes[name] = subprocess.Popen(
            args,
            cwd=settings.PROJECT_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def start(self, timeout: float = 240.0) -> Stack:
        model = self.model or latest_model()
        env = rasa_environment(self.action_port, self.env)
        self.auth_token = env[settings.RASA_AUTH_TOKEN_VARIABLE]
        host = env.get("BIND_HOST") or settings.server_host()
        self._spawn("actions", action_server_command(self.action_port, host), env)
        origins = env.get("CORS_ORIGINS") or ",".join(settings.allowed_origins(self.web_port))
        env["CORS_ORIGINS"] = origins  # the widget channel checks socket.io origins against it too
        rasa_args = [
            str(VENV_BIN / "rasa"), "run", "--enable-api",
            "--auth-token", self.auth_token,
            "--cors", *origins.split(","),
            "--interface", host,
            "--port", str(self.rasa_port),
            "--model", str(model),
            "--credentials", str(self.credentials),
            "--endpoints", str(self.endpoints),
        ]  # fmt: skip
        self._spawn("rasa", rasa_args, env)
        if self.web_port:
            web_env = dict(env, RASA_URL=self.rasa_url, WEB_PORT=str(self.web_port))
            self._spawn("web", [sys.executable, "-m", "bot", "web", "--port", str(self.web_port)], web_env)
        try:
            self.wait_until_ready(timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def wait_until_ready(self, timeout: float) -> None:
        checks = {"actions": f"{self.action_url}/health", "rasa": f"{self.rasa_url}/version"}
        if self.web_port:
            checks["web"] = f"{self.web_url}/healthz"
        deadline = time.monotonic() + timeout
        pending = dict(checks)
        while pending:
            for name, url in list(pending.items()):
                process = self.processes[name]
                if process.poll() is not None:
                    raise RuntimeError(
                        f"{name} stopped with exit code {process.returncode}; see {self.log_dir / name}.log"
                    )
                if answers(url):
                    del pending[name]
            if pending and time.monotonic() > deadline:
                raise TimeoutError(f"Not ready after {timeout:.0f} s: {', '.join(pending)}")
            time.sleep(0.5)

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes.clear()


def action_server_command(port: int, host: str | None = None) -> list[str]:
    """The action server: rasa_sdk behind the shared-secret check (rasa_adapters.action_server)."""
    command = [sys.executable, "-m", "rasa_adapters.action_server", "--port", str(port)]
    return command + ["--actions", "actions"] + (["--host", host] if host else [])


def api_url(base_url: str, path: str, token: str) -> str:
    """A Rasa HTTP API URL with the auth token as `?token=` (how Rasa expects it)."""
    separator = "&" if "?" in path else "?"
    return f"{base_url}{path}{separator}{urllib.parse.urlencode({'token': token})}"


def answers(url: str) -> bool:
    """True when `url` answers 200 within two seconds."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def isolated_stack(
    work: Path,
    model: Path,
    *,
    load_sample: bool = True,
    credentials: Path | None = None,
    web_port: int | None = None,
    web_origins: list[str] | None = None,
) -> tuple[Stack, str]:
    """A Stack on free ports with its own database and tracker store under `work`.

    Used by the tests and the benchmarks, so neither touches the project's data (nor its
    secrets: each isolated stack has fresh ones). `web_origins` are the browser origins
    allowed to talk to it (default: the web page on `web_port`).
    Returns the (not yet started) stack and its database URL.
    """
    from bot import migrate
    from bot.catalogue import import_catalogue

    database_url = f"sqlite:///{work / 'services.db'}"
    migrate.upgrade(database_url)
    if load_sample:
        import_catalogue(settings.SAMPLE_CATALOGUE, url=database_url)
    stack = Stack(
        action_port=free_port(),
        rasa_port=free_port(),
        web_port=web_port,
        model=model,
        log_dir=work / "logs",
        env={
            "DATABASE_URL": database_url,
            "TRACKER_DB_DIALECT": "sqlite",
            "TRACKER_DB": str(work / "tracker.db"),
            **{variable: new_secret() for variable in settings.SECRET_VARIABLES},
            **({"CORS_ORIGINS": ",".join(web_origins)} if web_origins else {}),
        },
    )
    if credentials is not None:
        stack.credentials = credentials
    return stack, database_url
