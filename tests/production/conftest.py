"""One production profile (bot.production.ProductionStack) per module: PostgreSQL, Redis, two Rasa
servers and two action servers behind nginx, all real processes; the tests talk through nginx.

Missing server programs (postgres, redis-server, nginx) FAIL the tests: `make test` installs them.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import settings
from bot.production import ProductionStack
from bot.server_secrets import new_secret
from bot.stack import api_url, free_port

MEASUREMENTS = settings.VAR_DIR / "bench" / "production-profile.json"


@pytest.fixture(scope="module")
def production() -> Iterator[ProductionStack]:
    from bot.training import train_if_needed

    model = train_if_needed()
    # Not under pytest's tmp dir: as root that is private (0700) and PostgreSQL's user must enter it.
    root = Path(tempfile.mkdtemp(prefix="bot-prod-"))
    stack = ProductionStack(
        root=root,
        instances=2,
        public_port=free_port(),
        model=model,
        env={
            **{variable: new_secret() for variable in settings.SECRET_VARIABLES},
            # Every test talks from 127.0.0.1: room for the 100 concurrent registrations.
            "RATE_LIMIT_PER_ADDRESS": "100000/minute",
        },
    )
    stack.start()
    record = {"start_seconds": round(stack.start_seconds, 1), "instances": stack.instances}
    record["rss_mib_after_start"] = {name: round(b / 2**20, 1) for name, b in stack.memory().items()}
    MEASUREMENTS.parent.mkdir(parents=True, exist_ok=True)
    MEASUREMENTS.write_text(json.dumps(record, indent=2), encoding="utf-8")
    print(f"\nProfil klar på {stack.start_seconds:.0f} s; RSS (MiB): {record['rss_mib_after_start']}",
          flush=True)  # fmt: skip
    try:
        yield stack
    finally:
        stack.stop()
        shutil.rmtree(root, ignore_errors=True)


def say(stack: ProductionStack, sender: str, message: str, timeout: float = 120) -> list[dict]:
    """One message through nginx's public REST route; the replies."""
    request = urllib.request.Request(
        f"{stack.public_url}/webhooks/rest/webhook",
        data=json.dumps({"sender": sender, "message": message}).encode("utf-8"),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        assert response.status == 200
        return json.loads(response.read())


def text_of(replies: list[dict]) -> str:
    parts = []
    for reply in replies:
        parts.append(reply.get("text") or "")
        parts += [f"[{button.get('title')}]" for button in reply.get("buttons") or []]
    return "\n".join(part for part in parts if part)


def says(stack: ProductionStack, sender: str, message: str) -> str:
    return text_of(say(stack, sender, message))


def get(url: str, timeout: float = 10) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def tracker(stack: ProductionStack, sender: str, index: int = 0) -> dict:
    """The conversation as the Rasa server `index` reads it from the shared tracker store (internal API)."""
    status, body = get(api_url(stack.rasa_url(index), f"/conversations/{sender}/tracker", stack.auth_token))
    assert status == 200, body[:300]
    return json.loads(body)


class AccessLog:
    """nginx's access log from a point on: which upstream served each request."""

    UPSTREAM = re.compile(r'"(?P<request>[^"]*)" (?P<status>\d+) upstream=(?P<upstreams>.+)$')

    def __init__(self, stack: ProductionStack) -> None:
        self.path = stack.log_dir / "nginx-access.log"
        self.offset = self.path.stat().st_size if self.path.exists() else 0

    def upstreams(self, path_part: str) -> list[str]:
        """The upstream that answered each request (nginx lists the ones it tried; the last answered)."""
        time.sleep(0.5)  # nginx writes the line when the response is done
        with open(self.path, encoding="utf-8", errors="replace") as log:
            log.seek(self.offset)
            lines = log.read().splitlines()
        found = []
        for line in lines:
            match = self.UPSTREAM.search(line)
            if match and path_part in match.group("request"):
                found.append(match.group("upstreams").split(", ")[-1].strip())
        return found


def log_text(stack: ProductionStack, *names: str) -> str:
    return "\n".join(
        (stack.log_dir / f"{name}.log").read_text(encoding="utf-8", errors="replace")
        for name in names
        if (stack.log_dir / f"{name}.log").exists()
    )
