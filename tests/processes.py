"""Real processes for the tests of process lifetime and ports."""

from __future__ import annotations

import subprocess
import sys

LISTEN = """
import socket, sys, time
sock = socket.socket()
sock.bind(("0.0.0.0", 0))
sock.listen()
print(sock.getsockname()[1], flush=True)
time.sleep(600)
"""


def start_listener(**popen: object) -> tuple[subprocess.Popen, int]:
    """A real process listening on a free port (all interfaces), like a server left running."""
    process = subprocess.Popen([sys.executable, "-c", LISTEN], stdout=subprocess.PIPE, text=True, **popen)
    port = int(process.stdout.readline())
    return process, port
