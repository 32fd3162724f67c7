"""bot.ports and bot.stack's port rules, with real processes listening on real ports."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from bot import ports, settings
from bot.stack import SERVER_NAMES, NotOurServerError, PortsBusyError, Stack, free_port
from tests.processes import start_listener


@pytest.fixture
def listener() -> Iterator[tuple[subprocess.Popen, int]]:
    process, port = start_listener()
    yield process, port
    process.kill()
    process.wait()


def test_listeners_names_the_process_and_its_command(listener) -> None:
    process, port = listener
    found = ports.listeners(port)
    assert [holder.pid for holder in found] == [process.pid]
    assert "socket" in found[0].command and sys.executable in found[0].command
    assert found[0].describe().startswith(f"proces {process.pid} (")
    assert not ports.port_is_free(port)


def test_a_free_port_has_no_listeners() -> None:
    port = free_port()
    assert ports.port_is_free(port)
    assert ports.listeners(port) == []


def test_busy_ports_are_named_with_the_process_and_the_variable(listener) -> None:
    process, port = listener
    stack = Stack(action_port=free_port(), rasa_port=port, web_port=None)
    busy = stack.busy_ports()
    assert [(b.server, b.variable, b.port) for b in busy] == [(*SERVER_NAMES["rasa"], port)]
    message = str(PortsBusyError(busy))
    assert f"Port {port} (Rasa-serveren) er optaget af proces {process.pid}" in message
    assert f"kill {process.pid}" in message and "RASA_PORT=..." in message
    with pytest.raises(PortsBusyError):
        stack.start(timeout=5)
    assert stack.processes == {}  # nothing was started


def test_an_answer_from_another_process_is_not_ready(listener) -> None:
    _, port = listener
    ours = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"], start_new_session=True)
    try:
        stack = Stack(action_port=free_port(), rasa_port=port, web_port=None, processes={"rasa": ours})
        with pytest.raises(NotOurServerError, match=f"Port {port} besvares af proces"):
            stack._listens_on_its_port("rasa")
    finally:
        ours.kill()
        ours.wait()


def test_our_own_server_on_its_port_is_ready() -> None:
    ours, port = start_listener(start_new_session=True)
    try:
        stack = Stack(action_port=free_port(), rasa_port=port, web_port=None, processes={"rasa": ours})
        assert stack._listens_on_its_port("rasa")
    finally:
        os.killpg(ours.pid, signal.SIGKILL)
        ours.wait()


STARTER = """
import os, sys, time
from pathlib import Path
from bot.stack import Stack
stack = Stack(log_dir=Path(sys.argv[1]))
stack._spawn("sleeper", [sys.executable, "-c", "import time; time.sleep(600)"], dict(os.environ))
print(stack.processes["sleeper"].pid, flush=True)
time.sleep(600)
"""


def is_running(pid: int) -> bool:
    """True for a live process; a zombie (ended, not yet reaped) has stopped."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def gone_within(pid: int, seconds: float) -> bool:
    """True once the process has stopped, waiting up to `seconds` (signals take a moment)."""
    deadline = time.monotonic() + seconds
    while is_running(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    return not is_running(pid)


def test_a_started_process_dies_with_its_starter_even_on_sigkill(tmp_path) -> None:
    starter = subprocess.Popen(
        [sys.executable, "-c", STARTER, str(tmp_path)],
        stdout=subprocess.PIPE,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(settings.PROJECT_ROOT)),
    )
    child = int(starter.stdout.readline())
    try:
        assert is_running(child) and os.getpgid(child) == child  # its own process group
        starter.send_signal(signal.SIGKILL)
        starter.wait(timeout=10)
        assert gone_within(child, seconds=15)
    finally:
        if is_running(child):
            os.killpg(child, signal.SIGKILL)


def test_free_ports_lie_below_the_ephemeral_range_and_are_never_handed_out_twice():
    # An outgoing connection can take an ephemeral port between picking it and binding it.
    from bot.stack import _below_ephemeral_range, free_port

    low, high = _below_ephemeral_range()
    ports = [free_port() for _ in range(50)]
    assert len(set(ports)) == 50
    assert all(low <= port <= high for port in ports)


def test_stopping_a_server_also_stops_the_children_it_started() -> None:
    """A server's helpers (a shell's background job here) go with it: nothing is left listening."""
    from bot.stack import stop_process_groups

    server = subprocess.Popen(
        ["sh", "-c", "sleep 300 & echo $!; wait"], stdout=subprocess.PIPE, text=True, start_new_session=True
    )
    child = int(server.stdout.readline())
    try:
        assert is_running(child)
        stop_process_groups([server])
        assert server.poll() is not None
        assert gone_within(child, seconds=5)
    finally:
        if is_running(child):
            os.kill(child, signal.SIGKILL)


def test_signalling_a_group_that_has_already_gone_is_no_error() -> None:
    """A server may exit between `poll()` and the signal: stopping it must not fail then."""
    from bot.stack import _signal_group

    finished = subprocess.Popen(["true"], start_new_session=True)
    finished.wait()
    _signal_group(finished, signal.SIGTERM)  # os.killpg alone raises ProcessLookupError here
