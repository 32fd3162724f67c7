"""The Danish lines channels send on their own (limits hit), from bot/data/channel_messages.yml."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

MESSAGES_FILE = Path(__file__).resolve().parent / "data" / "channel_messages.yml"


@lru_cache(maxsize=1)
def _messages() -> dict[str, str]:
    return yaml.safe_load(MESSAGES_FILE.read_text(encoding="utf-8"))


def channel_message(key: str, **values: object) -> str:
    """The line for `key`, with `{name}` placeholders filled from `values`."""
    return _messages()[key].format(**values)
