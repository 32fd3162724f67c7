"""Duplicate check for a new held-out NLU set, kept blind: prints only line numbers of the new file.

    .venv/bin/python scripts/nlu/held_out_dupcheck.py tests/nlu/test_nlu_data_blind<N>.yml

A line of the new set counts as a duplicate when, normalised (lower case, annotations removed, no
punctuation, single spaces), it equals or nearly equals (rapidfuzz ratio >= 90) an example in data/
or in another file of tests/nlu/, or another line of the new set. The writer of the set replaces
those lines and runs it again until it prints "duplicates: 0"; it never shows the other texts, so
the writer stays blind to the training data. tests/quality/test_nlu_quality.py checks exact copies.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

PROJECT_ROOT = Path(__file__).resolve().parents[2]
ANNOTATION = re.compile(r"\[([^\]]*)\](\([^)]*\)|\{[^}]*\})")
NEAR = 90


def normalised(text: str) -> str:
    text = ANNOTATION.sub(r"\1", text)
    text = re.sub(r"[^\wæøå ]", " ", text.lower())
    return re.sub(r"\s+", " ", text).strip()


def examples(path: Path) -> list[str]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(document, dict):
        return []
    found = []
    for block in document.get("nlu") or []:
        for line in str(block.get("examples", "")).splitlines():
            if line.strip().startswith("- "):
                found.append(normalised(line.strip()[2:]))
    return found


def duplicate_lines(candidate: Path) -> list[int]:
    known: list[str] = []
    for folder in (PROJECT_ROOT / "data", PROJECT_ROOT / "tests" / "nlu"):
        known += [text for path in sorted(folder.rglob("*.yml")) if path.resolve() != candidate
                  for text in examples(path)]  # fmt: skip
    exact = set(known)
    own: list[str] = []
    bad = []
    for number, raw in enumerate(candidate.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line.startswith("- ") or line.startswith("- intent:"):
            continue
        text = normalised(line[2:])
        if (
            text in exact
            or process.extractOne(text, known, scorer=fuzz.ratio, score_cutoff=NEAR)
            or process.extractOne(text, own, scorer=fuzz.ratio, score_cutoff=NEAR)
        ):
            bad.append(number)
        own.append(text)
    return bad


if __name__ == "__main__":
    lines = duplicate_lines(Path(sys.argv[1]).resolve())
    print("lines to replace:", " ".join(map(str, lines)))
    print("duplicates:", len(lines))
