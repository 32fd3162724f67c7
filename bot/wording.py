"""Every sentence the assistant composes, read from the copy files in `bot/copy/` (one per topic).

Communications staff review and edit `bot/copy/*.yml` without reading Python; code asks for a
text by key, `text("events.closed", title=...)`, and gets it with the placeholders filled in.
A missing key, a missing placeholder value or a value the text has no place for raises
`WordingError` at once: a wrong key is a bug, never an empty answer to a citizen.

Keys are "<file>.<key>[.<key>...]": `text("answers.hours.unknown")` is the key `unknown` under
`hours` in `bot/copy/answers.yml`. `table(key)` returns a mapping of texts, for wording chosen by a
code from the database (booking methods, referral statuses, audiences). Fixed texts that Rasa
utters on its own stay `domain.yml` responses.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from string import Formatter
from typing import Any

import yaml

COPY_DIR = Path(__file__).with_name("copy")


class WordingError(LookupError):
    """A copy key that does not exist, or placeholders that do not match the values given."""


@lru_cache(maxsize=1)
def _copy() -> dict[str, Any]:
    copy: dict[str, Any] = {}
    for path in sorted(COPY_DIR.glob("*.yml")):
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(content, dict):
            raise WordingError(f"{path.name}: a copy file is a mapping of keys to texts")
        copy[path.stem] = content
    return copy


def _lookup(key: str) -> Any:
    node: Any = _copy()
    for part in key.split("."):
        if not isinstance(node, Mapping) or part not in node:
            raise WordingError(f"No copy text {key!r} in {COPY_DIR}")
        node = node[part]
    return node


def placeholders(template: str) -> set[str]:
    """The names of the `{placeholders}` in a copy text."""
    return {name for _literal, name, _spec, _conversion in Formatter().parse(template) if name is not None}


def text(key: str, **values: Any) -> str:
    """The copy text for `key` with its placeholders filled in; all of them, and only them."""
    template = _lookup(key)
    if not isinstance(template, str):
        raise WordingError(f"Copy key {key!r} is a table, not a text: use table()")
    wanted, given = placeholders(template), set(values)
    if wanted != given:
        raise WordingError(
            f"Copy text {key!r} has placeholders {sorted(wanted)}, but was given {sorted(given)}"
        )
    return template.format(**values)


def table(key: str) -> dict[str, str]:
    """A mapping of texts without placeholders, e.g. the wording for each booking method."""
    node = _lookup(key)
    if not isinstance(node, Mapping) or not all(isinstance(value, str) for value in node.values()):
        raise WordingError(f"Copy key {key!r} is not a table of texts")
    for name, value in node.items():
        if placeholders(value):
            raise WordingError(f"Copy table {key!r}: {name!r} has placeholders; use text()")
    return dict(node)


def section(key: str) -> dict[str, Any]:
    """The texts under `key` as nested dicts, placeholders left in: for a client that fills them in
    itself (the web widget's words, bot/copy/widget.yml)."""
    node = _lookup(key)
    if not isinstance(node, Mapping):
        raise WordingError(f"Copy key {key!r} is a text, not a section")

    def plain(value: Any) -> Any:
        if isinstance(value, Mapping):
            return {str(name): plain(child) for name, child in value.items()}
        if not isinstance(value, str):
            raise WordingError(f"Copy section {key!r} holds a value that is not a text: {value!r}")
        return value

    return plain(node)


def all_keys() -> Iterator[tuple[str, str]]:
    """Every text in the copy files as (key, text): for the review test and for staff tooling."""

    def walk(prefix: str, node: Any) -> Iterator[tuple[str, str]]:
        if isinstance(node, Mapping):
            for name, child in node.items():
                yield from walk(f"{prefix}.{name}" if prefix else str(name), child)
        else:
            yield prefix, node

    yield from walk("", _copy())
