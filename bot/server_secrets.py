"""Generate the assistant's own secrets into var/secrets/, readable only by their owner.

A secret given in the environment wins (see bot.settings.secret); a file is written
only for a secret that has neither an environment variable nor a file yet.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from bot import settings

SECRET_BYTES = 32


def new_secret() -> str:
    """Hex: safe in URLs (?token=) and on command lines (a urlsafe token may start with "-",
    which `rasa run --auth-token -x...` would read as an option)."""
    return secrets.token_hex(SECRET_BYTES)


def write_secret_file(path: Path, value: str) -> None:
    """Create `path` with mode 0600 from the start, so it is never readable by others."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(value + "\n")


def ensure_secrets() -> list[Path]:
    """Write the missing secret files; the paths written (empty when nothing was missing)."""
    written = []
    for variable in settings.SECRET_VARIABLES:
        if settings.secret(variable):
            continue
        path = settings.secret_file(variable)
        write_secret_file(path, new_secret())
        written.append(path)
    return written
