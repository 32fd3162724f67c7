"""`python -m bot run` (what `make run` starts) cleans up after itself: real runner, servers and signals."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bot import migrate, ports, settings
from bot.catalogue import import_catalogue
from bot.stack import answers, free_port
from tests.processes import start_listener

EXIT_PORT_BUSY = 3


def runner_environment(tmp_path: Path, **ports_: int) -> dict[str, str]:
    database_url = f"sqlite:///{tmp_path / 'services.db'}"
    migrate.upgrade(database_url)
    import_catalogue(settings.SAMPLE_CATALOGUE, url=database_url)
    env = dict(
        os.environ,
        PYTHONPATH=str(settings.PROJECT_ROOT),
        DATABASE_URL=database_url,
        TRACKER_DB_DIALECT="sqlite",
        TRACKER_DB=str(tmp_path / "tracker.db"),
    )
    env.update({name: str(port) for name, port in ports_.items()})
    return env


def start_runner(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=settings.PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_for_line(process: subprocess.Popen, pattern: str, timeout: float) -> tuple[re.Match[str], str]:
    """The first output line matching `pattern`, and all output so far."""
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        for line in process.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            continue
        if line is None:
            break
        seen.append(line)
        if match := re.search(pattern, line):
            return match, "".join(seen)
    raise AssertionError(f"no line matching {pattern!r}; output:\n{''.join(seen)}")


def is_running(pid: int) -> bool:
    """True for a live process; a zombie (ended, not yet reaped) has stopped."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def test_a_busy_port_is_named_with_its_process_and_nothing_starts(tmp_path: Path) -> None:
    holder, busy = start_listener()
    try:
        env = runner_environment(tmp_path, ACTION_PORT=free_port(), RASA_PORT=busy, WEB_PORT=free_port())
        result = subprocess.run(
            [sys.executable, "-m", "bot", "run"],
            cwd=settings.PROJECT_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == EXIT_PORT_BUSY, result.stdout + result.stderr
    assert f"Port {busy} (Rasa-serveren) er optaget af proces {holder.pid} (" in result.stderr
    assert "RASA_PORT=..." in result.stderr
    assert "Starter" not in result.stdout and "Klar" not in result.stdout


@pytest.mark.timeout(600)
def test_no_server_outlives_a_runner_killed_with_sigkill(tmp_path: Path) -> None:
    from bot.training import train_if_needed

    train_if_needed()
    server_ports = {"ACTION_PORT": free_port(), "RASA_PORT": free_port(), "WEB_PORT": free_port()}
    runner = start_runner(runner_environment(tmp_path, **server_ports))
    server_pids: list[int] = []
    try:
        ready, output = wait_for_line(runner, r"^Klar \(pid (\d+); servere ([\d, ]+)\)", timeout=420)
        assert int(ready.group(1)) == runner.pid
        server_pids = [int(pid) for pid in ready.group(2).split(", ")]
        assert len(server_pids) == 3 and all(is_running(pid) for pid in server_pids)
        # "Ready" means these servers hold the ports and answer there.
        for port in server_ports.values():
            holders = {os.getpgid(h.pid) for h in ports.listeners(port) if h.pid is not None}
            assert holders and holders <= set(server_pids), (port, holders, server_pids)
        assert answers(f"http://127.0.0.1:{server_ports['RASA_PORT']}/version")

        runner.send_signal(signal.SIGKILL)
        assert runner.wait(timeout=10) == -signal.SIGKILL

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and any(is_running(pid) for pid in server_pids):
            time.sleep(0.5)
        assert [pid for pid in server_pids if is_running(pid)] == [], output
        assert all(ports.port_is_free(port) for port in server_ports.values())
    finally:
        if runner.poll() is None:
            runner.kill()
        for pid in server_pids:  # never leave a server behind, even when the test fails
            if is_running(pid):
                os.killpg(pid, signal.SIGKILL)
