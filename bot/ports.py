"""Which process listens on a TCP port (Linux), so a busy port can be named with its owner.

Reads /proc/net/tcp and /proc/net/tcp6 for listening sockets, then /proc/<pid>/fd
for the process holding the socket. Processes of other users cannot be looked
into; their sockets are reported with pid None. On a system without /proc the
lists are empty and only `port_is_free` answers.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")
_LISTEN_STATE = "0A"  # TCP_LISTEN in /proc/net/tcp's "st" column


@dataclass(frozen=True)
class Listener:
    """A process listening on a port; pid and command are None when we may not look."""

    port: int
    pid: int | None
    command: str | None

    def describe(self) -> str:
        """'proces 1234 (rasa run --port 5005 ...)' or a sentence saying we cannot see it."""
        if self.pid is None:
            return "en proces, vi ikke kan se (måske en anden brugers)"
        return f"proces {self.pid} ({self.command})" if self.command else f"proces {self.pid}"


def port_is_free(port: int) -> bool:
    """True when a server could listen on `port` on every interface now."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("0.0.0.0", port))
        except OSError:
            return False
    return True


def _listening_inodes(port: int) -> set[str]:
    inodes: set[str] = set()
    for table in ("tcp", "tcp6"):
        try:
            lines = (PROC / "net" / table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            # sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
            if len(fields) > 9 and fields[3] == _LISTEN_STATE:
                local_port = int(fields[1].rsplit(":", 1)[1], 16)
                if local_port == port:
                    inodes.add(fields[9])
    return inodes


def _command_line(pid: int) -> str | None:
    try:
        raw = (PROC / str(pid) / "cmdline").read_bytes()
    except OSError:
        return None
    text = " ".join(part.decode("utf-8", "replace") for part in raw.split(b"\0") if part)
    return text if len(text) <= 120 else text[:117] + "..."


def _socket_owners(inodes: set[str]) -> dict[str, int]:
    """Socket inode -> pid of a process holding it, for the processes we may look into."""
    wanted = {f"socket:[{inode}]" for inode in inodes}
    owners: dict[str, int] = {}
    for entry in PROC.iterdir() if PROC.is_dir() else ():
        if not entry.name.isdigit():
            continue
        try:
            descriptors = list((entry / "fd").iterdir())
        except OSError:  # another user's process, or it just ended
            continue
        for descriptor in descriptors:
            try:
                target = os.readlink(descriptor)
            except OSError:
                continue
            if target in wanted:
                owners.setdefault(target[len("socket:[") : -1], int(entry.name))
    return owners


def listeners(port: int) -> list[Listener]:
    """The processes listening on `port` (one entry per socket found)."""
    inodes = _listening_inodes(port)
    if not inodes:
        return []
    owners = _socket_owners(inodes)
    found = {}
    for inode in sorted(inodes):
        pid = owners.get(inode)
        found[pid] = Listener(port, pid, _command_line(pid) if pid is not None else None)
    return list(found.values())
