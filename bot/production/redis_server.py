"""The production profile's Redis: Rasa's lock store, loopback only, with a password, no persistence.

The password is in a 0600 config file, not on the command line. Locks live for seconds, so
nothing is saved to disk: a restarted Redis starts empty, which is what the lock store expects.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Redis:
    program: Path
    root: Path  # PROD_DIR/redis
    port: int
    password: str

    @property
    def config_file(self) -> Path:
        return self.root / "redis.conf"

    def write_config(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.config_file.write_text(
            "\n".join([
                f"port {self.port}", "bind 127.0.0.1", "protected-mode yes", "daemonize no",
                f"dir {self.root}", 'save ""', "appendonly no", f"requirepass {self.password}",
                "loglevel notice", "",
            ]),
            encoding="utf-8",
        )  # fmt: skip
        os.chmod(self.config_file, 0o600)

    def command(self) -> list[str]:
        return [str(self.program), str(self.config_file)]

    def answers(self) -> bool:
        """True when Redis answers PING (with the password) within two seconds."""
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=2) as sock:
                sock.sendall(f"AUTH {self.password}\r\nPING\r\n".encode())
                reply = b""
                while b"PONG" not in reply and len(reply) < 200:
                    chunk = sock.recv(100)
                    if not chunk:
                        break
                    reply += chunk
                return b"PONG" in reply
        except OSError:
            return False
