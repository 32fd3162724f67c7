"""The server programs the production profile runs, found on this machine or named as missing."""

from __future__ import annotations

import glob
import shutil
from dataclasses import dataclass
from pathlib import Path

from bot import settings

APT_PACKAGES = {"postgres": "postgresql", "redis-server": "redis-server", "nginx": "nginx"}


class MissingToolsError(RuntimeError):
    """Server programs are missing; the message says which and how to install them, in Danish."""

    def __init__(self, missing: list[str]) -> None:
        self.missing = missing
        packages = " ".join(APT_PACKAGES[name] for name in missing)
        super().__init__(
            f"Produktionsprofilen mangler {', '.join(missing)}. "
            f"Installer med `apt-get install -y {packages}` (eller `make test-setup` som root)."
        )


@dataclass(frozen=True)
class Tools:
    postgres_bindir: Path  # initdb, postgres
    redis_server: Path
    nginx: Path


def postgres_bindir() -> Path | None:
    configured = settings.postgres_bindir()
    candidates = [configured] if configured else []
    candidates += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)]
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(Path(initdb).resolve().parent)
    for candidate in candidates:
        if (candidate / "initdb").exists() and (candidate / "postgres").exists():
            return candidate
    return None


def _program(name: str) -> Path | None:
    in_sbin = [p for p in (f"/usr/sbin/{name}", f"/usr/bin/{name}") if Path(p).exists()]
    found = shutil.which(name) or (in_sbin[0] if in_sbin else None)
    return Path(found) if found else None


def find_tools() -> Tools:
    """The programs, or MissingToolsError naming every missing one."""
    bindir, redis, nginx = postgres_bindir(), _program("redis-server"), _program("nginx")
    missing = [name for name, found in (("postgres", bindir), ("redis-server", redis), ("nginx", nginx))
               if found is None]  # fmt: skip
    if missing:
        raise MissingToolsError(missing)
    return Tools(postgres_bindir=bindir, redis_server=redis, nginx=nginx)
