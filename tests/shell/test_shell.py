"""`make shell` (scripts/shell.sh) driven through a pseudo-terminal, as staff use it.

`rasa shell` shows a reply with buttons as an interactive menu (questionary): the last
entry, "Type out your own message...", leads back to a free-text prompt. The menu
wraps around, so "k" (up) from the first entry reaches it.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pexpect
import pytest

from bot import migrate, settings
from bot.stack import answers, free_port

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


@pytest.fixture
def terminal(shell_env: dict[str, str]) -> Iterator[Terminal]:
    child = pexpect.spawn(
        "bash",
        [str(SHELL_SCRIPT)],
        cwd=str(settings.PROJECT_ROOT),
        env=shell_env,
        encoding="utf-8",
        codec_errors="replace",
        dimensions=(60, 240),
    )
    term = Terminal(child)
    try:
        yield term
    finally:
        if child.isalive():
            child.kill(15)  # SIGTERM: the script's trap stops the action server
            term.read_to_end(timeout=30)



def process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_shell_answers_in_danish_and_stops_the_action_server(terminal, shell_env):
    terminal.wait_for("Bot loaded", timeout=STARTUP_TIMEOUT)
    started = re.search(r"action-server på (http://127\.0\.0\.1:\d+) \(pid (\d+)\)", terminal.text_since(0))
    assert started, terminal.text_since(0)
    action_url, action_pid = started.group(1), int(started.group(2))
    assert action_url.endswith(f":{shell_env['ACTION_PORT']}")
    assert answers(f"{action_url}/health")

    terminal.wait_for(TEXT_PROMPT)
    terminal.type_line("hej")
    # The greeting has buttons, so it comes as a menu; its text is the menu's question.
    mark = terminal.read_upto
    terminal.wait_for(FREE_TEXT_ENTRY)
    greeting = terminal.text_since(mark)
    assert "sundhedshusenes digitale assistent" in greeting, greeting
    assert "Tal med et menneske" in greeting
    terminal.leave_menu_for_free_text()

    mark = terminal.read_upto
    terminal.type_line("hvor kan jeg få taget en blodprøve i Helsingør?")
    terminal.wait_for("Sundhedshuset i Helsingør")
    then = terminal.wait_for(TEXT_PROMPT, FREE_TEXT_ENTRY)
    answer = terminal.text_since(mark)
    assert "Blodprøvetagning" in answer, answer
    assert "henvisning" in answer.lower(), answer
    assert "Oplysningerne er eksempeldata" in answer, answer  # the sample catalogue says so
    if then == FREE_TEXT_ENTRY:
        terminal.leave_menu_for_free_text()

    terminal.type_line("/stop")
    screen = terminal.read_to_end()
    assert terminal.child.exitstatus == 0, screen[-2000:]
    assert f"action-serveren (pid {action_pid}) er stoppet" in screen
    assert not process_exists(action_pid)
    assert not answers(f"{action_url}/health")
