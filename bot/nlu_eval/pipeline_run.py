"""The held-out sets through the whole NLU pipeline, guards included: what a user's message gets.

`rasa test nlu` undoes the FallbackClassifier's verdict to score the classifier's own guess, and
the guards (SubjectGuard, EmergencyGuard, StopGuard: config.yml) answer with the same
`nlu_fallback`, so its F1 never shows a message that the guard turned into "Mente du ...?". A user
meets that verdict. This counts, per held-out file, how many examples the model *with* its
guards understood as meant, how many it did not understand, and how many it took for another
intent.

The parsing itself is Rasa's (rasa_adapters/pipeline_parse.py), run as a subprocess of
`make eval`, so TensorFlow stays out of the eval process and Rasa out of bot/.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot import settings

NOT_UNDERSTOOD = "nlu_fallback"
TIMEOUT = 3600  # seconds; loading the model and parsing a few thousand sentences on a busy machine


@dataclass
class PipelineFigures:
    examples: int = 0
    understood: int = 0
    not_understood: int = 0
    other_intent: int = 0
    not_understood_by_intent: dict[str, int] = field(default_factory=dict)
    other_intent_by_intent: dict[str, int] = field(default_factory=dict)


def summarise(pairs: list[tuple[str, str]]) -> PipelineFigures:
    """(meant intent, pipeline's intent) pairs -> the counts."""
    figures = PipelineFigures(examples=len(pairs))
    missed: Counter[str] = Counter()
    wrong: Counter[str] = Counter()
    for meant, got in pairs:
        if got == meant:
            figures.understood += 1
        elif got == NOT_UNDERSTOOD:
            figures.not_understood += 1
            missed[meant] += 1
        else:
            figures.other_intent += 1
            wrong[meant] += 1
    figures.not_understood_by_intent = dict(sorted(missed.items()))
    figures.other_intent_by_intent = dict(sorted(wrong.items()))
    return figures


def run(model: Path, files: list[Path], out: Path) -> dict[str, dict[str, Any]]:
    """Each file through the model's whole pipeline, in a subprocess; its figures by file name."""
    out.parent.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [sys.executable, "-m", "rasa_adapters.pipeline_parse", str(model), str(out), *map(str, files)],
        cwd=settings.PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-30:])
        raise RuntimeError(f"the pipeline run failed ({result.returncode}):\n{tail}")
    return json.loads(out.read_text(encoding="utf-8"))
