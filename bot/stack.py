"""Start and stop the assistant's processes: action server, Rasa server, web page.

Used by `python -m bot run` (what `make run` starts) and by the test suite, so
both run the assistant the same way.

The servers never outlive the process that started them: each runs in a
process group of its own (stopped as a whole), and on Linux asks the kernel
for SIGTERM when its parent dies, also when the parent is killed with SIGKILL
(prctl PR_SET_PDEATHSIG). The kernel ties that signal to the *thread* that
started the child, so start a Stack from a thread that lives as long as it.
A port already taken stops the start with `PortsBusyError`, naming the
process that holds it; "ready" means our own processes answer on our ports.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bot import ports, settings
from bot.server_secrets import new_secret

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>

# What each server is called in messages, and the variable that moves its port.
SERVER_NAMES = {"actions": ("action-serveren", "ACTION_PORT"), "rasa": ("Rasa-serveren", "RASA_PORT"),
                "web": ("websiden", "WEB_PORT")}  # fmt: skip


def _load_prctl() -> ctypes._CFuncPtr | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True).prctl
    except (OSError, AttributeError):
        return None


_PRCTL = _load_prctl()  # loaded before any fork: the child only calls it


def die_with_parent(parent_pid: int | None = None) -> bool:
    """Ask the kernel to send this process SIGTERM when its parent dies (Linux); False elsewhere.

    When `parent_pid` is given and the parent is already gone (it died before the
    request took effect), exit at once.
    """
    if _PRCTL is None or _PRCTL(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
        return False
    if parent_pid is not None and os.getppid() != parent_pid:
        os._exit(1)
    return True


def _child_setup(parent_pid: int) -> Callable[[], None]:
    """preexec_fn for a server: runs in the child between fork and exec."""
    return lambda: die_with_parent(parent_pid)


@dataclass(frozen=True)
class BusyPort:
    server: str  # "Rasa-serveren"
    variable: str  # "RASA_PORT"
    port: int
    holders: list[ports.Listener]

    def describe(self) -> str:
        holders = ", ".join(h.describe() for h in self.holders) or "en proces, vi ikke kan se"
        return f"Port {self.port} ({self.server}) er optaget af {holders}."


class PortsBusyError(RuntimeError):
    """A port a server needs is taken; the message says which and by whom, in Danish."""

    def __init__(self, busy: list[BusyPort]) -> None:
        self.busy = busy
        lines = [b.describe() for b in busy]
        pids = sorted({h.pid for b in busy for h in b.holders if h.pid is not None})
        stop = f"Stop den (kill {' '.join(map(str, pids))})" if pids else "Stop programmet, der bruger porten"
        variables = " eller ".join(f"{b.variable}=..." for b in busy)
        lines.append(f"{stop}, eller vælg en anden port med {variables}.")
        super().__init__("\n".join(lines))


class NotOurServerError(RuntimeError):
    """Another process answers on a port we started a server for."""


_EPHEMERAL_RANGE_FILE = Path("/proc/sys/net/ipv4/ip_local_port_range")
_handed_out: set[int] = set()


def _below_ephemeral_range() -> tuple[int, int]:
    """Ports the kernel never hands out for outgoing connections (Linux: below 32768)."""
    try:
        low = int(_EPHEMERAL_RANGE_FILE.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        low = 32768
    return max(1024, low - 12000), low - 1


def stop_process_groups(processes: Iterable[subprocess.Popen]) -> None:
    """SIGTERM to every server's process group, then up to 20 s each before SIGKILL.

    Each server runs in a group of its own (`start_new_session`), so its children go with it.
    """
    processes = list(processes)
    for process in processes:
        if process.poll() is None:
            _signal_group(process, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            _signal_group(process, signal.SIGKILL)
            process.wait()


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    # The group may have gone between poll() and the signal: then there is nothing left to stop.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)


def free_port() -> int:
    """A free port for a server we start, below the ephemeral range.

    The OS's own choice (bind to port 0) is an ephemeral port, and any outgoing connection may take
    it before our server binds it: a CI run lost the production profile's web server that way
    (port 45521, "address already in use", 2026-12-01).
    """
    low, high = _below_ephemeral_range()
    for _ in range(200 if low <= high else 0):  # no room below a range that starts at 1024
        port = random.randint(low, high)
        if port in _handed_out:
            continue
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        _handed_out.add(port)
        return port
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
    env = settings.child_environment()
    env["TRACKER_DB_DIALECT"] = settings.tracker_db_dialect()
    env["TRACKER_DB"] = settings.tracker_db()
    env["ACTION_SERVER_URL"] = f"http://127.0.0.1:{action_port}/webhook"
    env["DATABASE_URL"] = settings.database_url()
    # endpoints.yml sends ACTION_SERVER_TOKEN to the action server; both read it from here.
    # Without a configured one, a fresh secret for these processes only: never an open server.
    for variable in settings.SECRET_VARIABLES:
        env[variable] = (extra or {}).get(variable) or settings.secret(variable) or new_secret()
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
    log_prefix: str = ""  # "shell-": `make shell` writes shell-actions.log, shell-rasa.log
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

    def log_path(self, name: str) -> Path:
        """The log file of the server `name` ("actions", "rasa", "web")."""
        return self.log_dir / f"{self.log_prefix}{name}.log"

    def _spawn(self, name: str, args: list[str], env: dict[str, str]) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path(name), "ab")  # noqa: SIM115 - closed with the process
        self.processes[name] = subprocess.Popen(
            args,
            cwd=settings.PROJECT_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stop() signals the group
            preexec_fn=_child_setup(os.getpid()),
        )

    def server_ports(self) -> dict[str, int]:
        """Server name -> the port it listens on."""
        named = {"actions": self.action_port, "rasa": self.rasa_port, "web": self.web_port}
        return {name: port for name, port in named.items() if port}

    def busy_ports(self) -> list[BusyPort]:
        busy = []
        for name, port in self.server_ports().items():
            if not ports.port_is_free(port):
                server, variable = SERVER_NAMES[name]
                busy.append(BusyPort(server, variable, port, ports.listeners(port)))
        return busy

    def start(self, timeout: float = 600.0) -> Stack:  # generous: a busy 2-core machine starts Rasa slowly
        """Start the servers and wait until they answer; PortsBusyError when a port is taken."""
        busy = self.busy_ports()  # first: a taken port is named even before any model exists
        if busy:
            raise PortsBusyError(busy)
        model = self.model or latest_model()
        env = rasa_environment(self.action_port, self.env)
        self.auth_token = env[settings.RASA_AUTH_TOKEN_VARIABLE]
        host = env.get("BIND_HOST") or settings.server_host()
        self._spawn("actions", action_server_command(self.action_port, host), env)
        origins = env.get("CORS_ORIGINS") or ",".join(settings.allowed_origins(self.web_port))
        env["CORS_ORIGINS"] = origins  # the widget channel checks socket.io origins against it too
        # `rasa run` through our launcher (rasa_command): it reads the API token from RASA_AUTH_TOKEN
        # in `env`, so the token never appears on a command line (`ps` shows every process's arguments).
        rasa_args = rasa_command(
            self.rasa_port, model, host, origins.split(","), self.credentials, self.endpoints
        )
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
                        f"{name} stopped with exit code {process.returncode}; see {self.log_path(name)}"
                    )
                if answers(url) and self._listens_on_its_port(name):
                    del pending[name]
            if pending and time.monotonic() > deadline:
                raise TimeoutError(f"Not ready after {timeout:.0f} s: {', '.join(pending)}")
            time.sleep(0.5)

    def _listens_on_its_port(self, name: str) -> bool:
        """True when the process listening on the server's port is that server (or we cannot tell).

        A process we may look into that is not in the server's process group is
        someone else's server, answering in place of ours: NotOurServerError.
        """
        port = self.server_ports()[name]
        holders = [h for h in ports.listeners(port) if h.pid is not None]
        if not holders:
            return True
        group = self.processes[name].pid
        for holder in holders:
            try:
                if os.getpgid(holder.pid) == group:
                    return True
            except ProcessLookupError:
                continue
        server, variable = SERVER_NAMES[name]
        raise NotOurServerError(
            f"Port {port} besvares af {holders[0].describe()}, ikke af {server}, vi startede. "
            f"Stop den, eller vælg en anden port med {variable}=..."
        )

    def pids(self) -> list[int]:
        """The servers' process ids (each is also its process group's id)."""
        return [process.pid for process in self.processes.values()]

    def stop(self) -> None:
        stop_process_groups(self.processes.values())
        self.processes.clear()


def rasa_command(
    port: int, model: Path, host: str, origins: list[str], credentials: Path, endpoints: Path
) -> list[str]:
    """`rasa run` with CORS for `origins` only, started by rasa_adapters.rasa_server.

    The launcher puts the HTTP API behind the token in the child's RASA_AUTH_TOKEN (environment,
    never argv), so the caller must set that variable in the server's environment.
    """
    return [
        sys.executable, "-m", "rasa_adapters.rasa_server", "--enable-api",
        "--cors", *origins,
        "--interface", host,
        "--port", str(port),
        "--model", str(model),
        "--credentials", str(credentials),
        "--endpoints", str(endpoints),
    ]  # fmt: skip


def spawn_server(
    args: list[str], env: dict[str, str], log_file: Path, user: str | None = None
) -> subprocess.Popen:
    """A server in its own process group that gets SIGTERM when this process dies (see the module doc).

    `user`: run it as that user (we are root; e.g. PostgreSQL as `postgres`).
    """
    log_file.parent.mkdir(parents=True, exist_ok=True)
    with open(log_file, "ab") as log:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            args,
            cwd=settings.PROJECT_ROOT if user is None else log_file.parent,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            user=user,
            preexec_fn=_child_setup(os.getpid()),  # after the switch of user: the request survives it
        )


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
