"""No secret on any command line: `ps` shows every local user every process's arguments (issue 10).

The running assistant (`rasa_stack`: action server + Rasa server started by bot.stack, as
`make run` starts them) gets its secrets through the environment (readable only by the same
user); Rasa's API token reaches Rasa's CLI in-process (rasa_adapters/rasa_server.py). The
API is still closed without the token and open with it.
"""

from __future__ import annotations

import os
from pathlib import Path

from bot import settings
from tests.security.test_closed_api import call

PROC = Path("/proc")


def command_lines() -> dict[int, bytes]:
    """pid -> the process's argv as the kernel keeps it (/proc/PID/cmdline, what `ps` shows)."""
    lines = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            try:
                lines[int(entry.name)] = (entry / "cmdline").read_bytes()
            except OSError:
                continue  # gone meanwhile
    return lines


def test_no_process_has_a_secret_on_its_command_line(rasa_stack):
    stack = rasa_stack.stack
    secrets = {variable: stack.env[variable] for variable in settings.SECRET_VARIABLES}
    assert secrets[settings.RASA_AUTH_TOKEN_VARIABLE] == stack.auth_token
    lines = command_lines()
    # The check sees our servers (it is not vacuous) ...
    rasa_pid, action_pid = stack.processes["rasa"].pid, stack.processes["actions"].pid
    assert b"rasa_adapters.rasa_server" in lines[rasa_pid]
    assert b"rasa_adapters.action_server" in lines[action_pid]
    # ... and the secrets are in their environment, where only the same user can read them.
    rasa_environment = (PROC / str(rasa_pid) / "environ").read_bytes()
    assert f"{settings.RASA_AUTH_TOKEN_VARIABLE}={stack.auth_token}".encode() in rasa_environment
    assert oct((PROC / str(rasa_pid) / "environ").stat().st_mode & 0o777) == oct(0o400)
    offenders = [
        f"{variable} in the command line of process {pid}"
        for pid, line in lines.items()
        for variable, value in secrets.items()
        if value.encode() in line
    ]
    assert offenders == []
    assert os.getpid() in lines  # our own process was read too


def test_the_api_still_needs_the_token(rasa_stack):
    url = f"{rasa_stack.rasa_url}/status"
    assert call(url)[0] == 401
    assert call(f"{url}?token=not-the-token")[0] == 401
    assert call(rasa_stack.api_url("/status"))[0] == 200
