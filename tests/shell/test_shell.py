"""`make shell` (scripts/shell.sh) driven through a pseudo-terminal, as staff use it.

The shell (rasa_adapters/shell.py) starts the action server and our Rasa server, then runs
Rasa's own terminal loop against the REST webhook. Like `rasa shell`, it shows a reply with
buttons as an interactive menu (questionary): the last entry, "Type out your own message...",
leads back to a free-text prompt. The menu wraps around, so "k" (up) from the first entry reaches it.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pexpect
import pytest

from bot import migrate, settings
from bot.privacy import CPR_MASK
from bot.stack import answers, free_port
from tests.cpr_spellings import CPR_DIGITS, CPR_SPELLINGS, nothing_left_to_mask

SHELL_SCRIPT = settings.PROJECT_ROOT / "scripts" / "shell.sh"
FREE_TEXT_ENTRY = "Type out your own message"
TEXT_PROMPT = "Your input ->"
STARTUP_TIMEOUT = 600  # loading a model on a busy 2-core machine
REPLY_TIMEOUT = 120

# CSI sequences; "cursor forward n" stands for n spaces on screen.
CURSOR_FORWARD = re.compile(r"\x1b\[(\d*)C")
CONTROL_SEQUENCE = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][A-Za-z0-9]|\x1b[=>]|\r")


def screen_text(raw: str) -> str:
    """What a person reads: colours and cursor codes removed."""
    spaced = CURSOR_FORWARD.sub(lambda m: " " * int(m.group(1) or 1), raw)
    return CONTROL_SEQUENCE.sub("", spaced)


@dataclass
class Terminal:
    """A pseudo-terminal running the script, read as screen text."""

    child: pexpect.spawn
    transcript: str = ""
    read_upto: int = 0  # what earlier waits consumed

    def wait_for(self, *needles: str, timeout: float = REPLY_TIMEOUT) -> str:
        """Read until one of `needles` appears after what was read before; return that needle."""
        deadline = time.monotonic() + timeout
        while True:
            text = screen_text(self.transcript)
            found = [(text.find(n, self.read_upto), n) for n in needles if text.find(n, self.read_upto) >= 0]
            if found:
                position, needle = min(found)
                self.read_upto = position + len(needle)
                return needle
            if time.monotonic() > deadline:
                raise AssertionError(f"none of {needles} within {timeout:.0f} s; screen:\n{text[-3000:]}")
            try:
                self.transcript += self.child.read_nonblocking(65536, timeout=1)
            except pexpect.TIMEOUT:
                continue
            except pexpect.EOF as eof:
                message = f"the shell ended while waiting for {needles}; screen:\n{text[-3000:]}"
                raise AssertionError(message) from eof

    def followed_by(self, start: str, settle: float = 1.5) -> bool:
        """Whether what comes after the last needle read begins with `start` (waiting `settle` s)."""
        deadline = time.monotonic() + settle
        while time.monotonic() < deadline:
            following = screen_text(self.transcript)[self.read_upto :].lstrip()
            if following:
                return following.startswith(start)
            try:
                self.transcript += self.child.read_nonblocking(65536, timeout=0.2)
            except pexpect.TIMEOUT:
                continue
            except pexpect.EOF:
                break
        return False

    def text_since(self, mark: int) -> str:
        return screen_text(self.transcript)[mark:]

    def type_line(self, text: str) -> None:
        self.child.send(text + "\r")

    def leave_menu_for_free_text(self) -> None:
        """In a button menu: go to "Type out your own message..." and take it."""
        self.child.send("k")
        time.sleep(0.3)
        self.child.send("\r")
        self.wait_for(TEXT_PROMPT)

    def read_to_end(self, timeout: float = 120) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                self.transcript += self.child.read_nonblocking(65536, timeout=1)
            except pexpect.TIMEOUT:
                continue
            except pexpect.EOF:
                break
        self.child.close()
        return screen_text(self.transcript)


@pytest.fixture
def shell_env(tmp_path: Path) -> dict[str, str]:
    """A temporary database with the sample catalogue, as the rasa_stack fixture makes it."""
    from bot.catalogue import import_catalogue
    from bot.training import train_if_needed

    model = train_if_needed()
    database_url = f"sqlite:///{tmp_path / 'services.db'}"
    migrate.upgrade(database_url)
    import_catalogue(settings.SAMPLE_CATALOGUE, url=database_url)
    return dict(
        os.environ,
        DATABASE_URL=database_url,
        TRACKER_DB_DIALECT="sqlite",
        TRACKER_DB=str(tmp_path / "tracker.db"),
        ACTION_PORT=str(free_port()),
        RASA_SHELL_PORT=str(free_port()),
        RASA_MODEL=str(model),
        SHELL_LOG_DIR=str(tmp_path / "logs"),
        LANG="C.UTF-8",
        LC_ALL="C.UTF-8",
        PYTHONIOENCODING="utf-8",
        TERM="xterm",
    )


def spawn_shell(env: dict[str, str]) -> Terminal:
    child = pexpect.spawn(
        "bash",
        [str(SHELL_SCRIPT)],
        cwd=str(settings.PROJECT_ROOT),
        env=env,
        encoding="utf-8",
        codec_errors="replace",
        dimensions=(60, 240),
    )
    return Terminal(child)


@pytest.fixture
def terminal(shell_env: dict[str, str]) -> Iterator[Terminal]:
    term = spawn_shell(shell_env)
    try:
        yield term
    finally:
        if term.child.isalive():
            term.child.kill(15)  # SIGTERM: the shell stops its servers
            term.read_to_end(timeout=30)


@dataclass(frozen=True)
class Servers:
    action_url: str
    action_pid: int
    rasa_url: str
    rasa_pid: int


def wait_until_loaded(terminal: Terminal) -> Servers:
    """Wait for Rasa's 'Bot loaded' line; the servers the shell says it started."""
    terminal.wait_for("Bot loaded", timeout=STARTUP_TIMEOUT)
    screen = terminal.text_since(0)
    action = re.search(r"action-server på (http://127\.0\.0\.1:\d+) \(pid (\d+)\)", screen)
    rasa = re.search(r"Rasa-server på (http://127\.0\.0\.1:\d+) \(pid (\d+)\)", screen)
    assert action and rasa, screen
    return Servers(action.group(1), int(action.group(2)), rasa.group(1), int(rasa.group(2)))


def process_exists(pid: int) -> bool:
    """True for a live process; a zombie (ended, not yet reaped) has stopped."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def wait_until_stopped(pids: list[int], timeout: float = 60) -> list[int]:
    """The pids still running after `timeout` seconds (a server may take a moment to stop)."""
    deadline = time.monotonic() + timeout
    while (running := [pid for pid in pids if process_exists(pid)]) and time.monotonic() < deadline:
        time.sleep(0.5)
    return running


def processes_with_environment(marker: str) -> list[str]:
    """Processes (we may look into) whose environment mentions `marker`: what a shell left behind."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if marker.encode() in (entry / "environ").read_bytes():
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                found.append(f"{entry.name}: {command[:200]}")
        except OSError:
            continue
    return found


def wait_until_gone(marker: str, timeout: float = 30) -> list[str]:
    deadline = time.monotonic() + timeout
    while (left := processes_with_environment(marker)) and time.monotonic() < deadline:
        time.sleep(0.5)
    return left


def say(terminal: Terminal, text: str) -> str:
    """Type one message at the free-text prompt; the reply as screen text (back at a prompt).

    The prompt is drawn again with the typed text when Enter is pressed: that "Your input ->
    <text>" is the echo, not the next prompt, so it is passed over.
    """
    mark = terminal.read_upto
    terminal.type_line(text)
    while True:
        then = terminal.wait_for(TEXT_PROMPT, FREE_TEXT_ENTRY)
        if then == FREE_TEXT_ENTRY or not terminal.followed_by(text[:8]):
            break
    reply = terminal.text_since(mark)
    if then == FREE_TEXT_ENTRY:
        terminal.leave_menu_for_free_text()
    return reply


@pytest.fixture
def two_messages_a_minute(shell_env: dict[str, str]) -> None:
    """The REST channel's per-sender limit, low enough to reach in this test."""
    shell_env["RATE_LIMIT_PER_SENDER"] = "2/minute"


def test_shell_answers_in_danish_and_stops_both_servers(two_messages_a_minute, terminal, shell_env):  # noqa: ARG001
    servers = wait_until_loaded(terminal)
    assert servers.action_url.endswith(f":{shell_env['ACTION_PORT']}")
    assert servers.rasa_url.endswith(f":{shell_env['RASA_SHELL_PORT']}")
    assert answers(f"{servers.action_url}/health")

    terminal.wait_for(TEXT_PROMPT)
    terminal.type_line("hej")
    # The greeting has buttons, so it comes as a menu; its text is the menu's question.
    mark = terminal.read_upto
    terminal.wait_for(FREE_TEXT_ENTRY)
    greeting = terminal.text_since(mark)
    assert "sundhedshusenes digitale assistent" in greeting, greeting
    assert "Tal med et menneske" in greeting
    terminal.leave_menu_for_free_text()

    answer = say(terminal, "hvor kan jeg få taget en blodprøve i Helsingør?")
    assert "Sundhedshuset i Helsingør" in answer, answer
    assert "Blodprøvetagning" in answer, answer
    assert "henvisning" in answer.lower(), answer
    assert "Oplysningerne er eksempeldata" in answer, answer  # the sample catalogue says so
    # A third message within the minute: the channel refuses it (429); the shell says so and goes on.
    terminal.type_line("tak")
    terminal.wait_for("hurtigere, end jeg kan følge med")
    terminal.wait_for(TEXT_PROMPT)

    terminal.type_line("/stop")
    screen = terminal.read_to_end()
    assert terminal.child.exitstatus == 0, screen[-2000:]
    pids = f"action-serveren (pid {servers.action_pid}) og Rasa-serveren (pid {servers.rasa_pid})"
    assert f"{pids} er stoppet" in screen
    assert not process_exists(servers.action_pid)
    assert not process_exists(servers.rasa_pid)
    assert not answers(f"{servers.action_url}/health")
    assert not answers(f"{servers.rasa_url}/version")
    assert wait_until_gone(shell_env["TRACKER_DB"]) == []
    assert "Traceback" not in screen


@pytest.fixture
def many_messages_a_minute(shell_env: dict[str, str]) -> None:
    """All the spellings from one sender within a minute: above the default 20 per minute."""
    shell_env["RATE_LIMIT_PER_SENDER"] = "200/minute"


def test_cpr_numbers_typed_in_the_shell_are_masked_on_arrival(many_messages_a_minute, terminal, shell_env):  # noqa: ARG001
    """Every spelling goes through our masking REST channel: not stored, not logged, answered."""
    wait_until_loaded(terminal)
    terminal.wait_for(TEXT_PROMPT)
    for spelling in CPR_SPELLINGS:
        reply = say(terminal, f"mit cpr-nummer er {spelling}")
        # The terminal echoes what was typed (the number included); the bot's lines are the rest.
        answer = [line for line in reply.splitlines() if "mit cpr-nummer er" not in line and line.strip()]
        assert answer, f"no answer to {spelling!r}: {reply}"
        assert "Traceback" not in reply and "shell:" not in reply, reply  # no error line of ours
    terminal.type_line("/stop")
    screen = terminal.read_to_end()
    assert terminal.child.exitstatus == 0, screen[-2000:]
    assert wait_until_gone(shell_env["TRACKER_DB"]) == []

    with sqlite3.connect(shell_env["TRACKER_DB"]) as connection:
        user_events = [json.loads(data) for (data,) in connection.execute(
            "SELECT data FROM events WHERE type_name = 'user'")]  # fmt: skip
    assert len(user_events) == len(CPR_SPELLINGS)
    # Our REST channel (masking on arrival, before NLU and actions), not Rasa's "cmdline" channel.
    assert {event["input_channel"] for event in user_events} == {"rest"}
    assert all(event["text"] == f"mit cpr-nummer er {CPR_MASK}" for event in user_events), user_events
    with sqlite3.connect(shell_env["TRACKER_DB"]) as connection:
        stored = "\n".join(str(row) for row in connection.execute("SELECT * FROM events"))
    log_files = sorted(Path(shell_env["SHELL_LOG_DIR"]).glob("*.log"))
    assert {p.name for p in log_files} >= {"shell-actions.log", "shell-rasa.log"}
    logs = "\n".join(p.read_text(errors="replace") for p in log_files)
    for text in (stored, logs):
        assert CPR_DIGITS not in text
        assert not any(spelling in text for spelling in CPR_SPELLINGS)
        assert nothing_left_to_mask(text)


def test_shell_killed_hard_leaves_no_server_behind(terminal, shell_env):
    """SIGKILL gives the shell no chance to clean up: the kernel stops its servers (parent-death signal)."""
    servers = wait_until_loaded(terminal)
    terminal.child.kill(9)
    assert wait_until_stopped([servers.action_pid, servers.rasa_pid]) == []
    assert wait_until_gone(shell_env["TRACKER_DB"]) == []
    assert not answers(f"{servers.action_url}/health")
    assert not answers(f"{servers.rasa_url}/version")
