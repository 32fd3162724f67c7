"""The training vocabulary: every word form the training inputs contain (for pruning the lemma table).

The offline spaCy build keeps only the lemma look-ups whose lemma is the lemma of a word
in here (bot/nlp/pipeline.py). The set is a deliberate superset: every string in the
training inputs (data/**/*.yml except the sample catalogue, and domain.yml), as written
and lower-cased (SpacyNLP lower-cases what it lemmatizes, `case_sensitive: false`), with
and without Rasa's entity mark-up, split by spaCy's own Danish tokenizer. A word too many
only keeps a few look-ups too many; a word too few would change a training text's lemma.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml

from bot import settings

# What `rasa train --data data --domain domain.yml` reads; the sample catalogue is content.
VOCABULARY_SOURCES = ("data", "domain.yml")
NOT_TRAINING_DATA = (settings.SAMPLE_CATALOGUE,)

# "[Helsingør](place)", "[Helsingør]{"entity": "place"}" -> "Helsingør"
_ENTITY_MARKUP = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")


def source_files(root: Path | None = None) -> list[Path]:
    """The files the vocabulary is read from, in a fixed order."""
    root = root or settings.PROJECT_ROOT
    files: list[Path] = []
    for name in VOCABULARY_SOURCES:
        path = root / name
        if path.is_dir():
            files += sorted(p for p in path.rglob("*.yml") if p.resolve() not in _excluded())
        elif path.exists():
            files.append(path)
    return files


def _excluded() -> set[Path]:
    return {p.resolve() for p in NOT_TRAINING_DATA}


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(key)
            yield from _strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item)


def _variants(text: str) -> set[str]:
    plain = _ENTITY_MARKUP.sub(r"\1", text)
    return {text, plain, text.lower(), plain.lower()}


def training_texts(files: Iterable[Path]) -> Iterator[str]:
    """Every string in the files, each example line on its own (Rasa's `examples: |` blocks)."""
    for path in files:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for text in _strings(document):
            for line in text.splitlines():
                line = line.strip().removeprefix("- ").strip()
                if line:
                    yield from _variants(line)


def training_vocabulary(tokenizer: Any, files: Iterable[Path] | None = None) -> set[str]:
    """The word forms spaCy's `tokenizer` makes of the training texts."""
    files = source_files() if files is None else files
    return {token.text for text in training_texts(files) for token in tokenizer(text)}


def digest(vocabulary: Iterable[str]) -> str:
    """A hash of the vocabulary (order-free), for the pipeline's source hash."""
    hashed = hashlib.sha256()
    for word in sorted(vocabulary):
        hashed.update(word.encode("utf-8") + b"\0")
    return hashed.hexdigest()
