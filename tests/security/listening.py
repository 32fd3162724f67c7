"""Which local addresses a TCP port listens on, read from /proc/net/tcp and tcp6 (Linux)."""

from __future__ import annotations

import ipaddress
from pathlib import Path

LISTEN_STATE = "0A"


def _address(hex_address: str) -> str:
    raw = bytes.fromhex(hex_address)
    # The kernel prints each 32-bit word in host (little-endian) order.
    words = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
    return str(ipaddress.ip_address(words))


def listening_addresses(port: int) -> set[str]:
    """The addresses something listens on at `port`, e.g. {"127.0.0.1"} or {"0.0.0.0"}."""
    found = set()
    for table in (Path("/proc/net/tcp"), Path("/proc/net/tcp6")):
        if not table.exists():
            continue
        for line in table.read_text().splitlines()[1:]:
            fields = line.split()
            local, state = fields[1], fields[3]
            hex_address, _, hex_port = local.partition(":")
            if state == LISTEN_STATE and int(hex_port, 16) == port:
                found.add(_address(hex_address))
    return found
