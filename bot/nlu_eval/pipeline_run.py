"""The held-out sets through the whole NLU pipeline, guards included: what a user's message gets.

`rasa test nlu` undoes the FallbackClassifier's verdict to score the classifier's own guess, and
the guards (SubjectGuard, EmergencyGuard, StopGuard: config.yml) answer with the same
`nlu_fallback`, so its F1 never shows a message that the guard turned into "Mente du ...?". A user
meets that verdict. This counts, per held-out file, how many examples the model *with* its
guards understood as meant, how many it did not understand, and how many it took for another
intent.

Run as `python -m bot.nlu_eval.pipeline_run MODEL OUT.json FILE...` (a subprocess of `make eval`,
so TensorFlow stays out of the eval process).
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections import Counter
from dataclasses import asdict, dataclass, field
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


async def _parse_all(model: Path, files: list[Path]) -> dict[str, dict[str, Any]]:
    from rasa.core.agent import Agent
    from rasa.shared.nlu.training_data.loading import load_data

    agent = Agent.load(str(model))
    results = {}
    for path in files:
        pairs = []
        for example in load_data(str(path)).intent_examples:
            parsed = await agent.parse_message(example.get("text"))
            pairs.append((example.get("intent"), (parsed.get("intent") or {}).get("name")))
        results[path.name] = asdict(summarise(pairs))
    return results


def run(model: Path, files: list[Path], out: Path) -> dict[str, dict[str, Any]]:
    """Each file through the model's whole pipeline, in a subprocess; its figures by file name."""
    out.parent.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [sys.executable, "-m", "bot.nlu_eval.pipeline_run", str(model), str(out), *map(str, files)],
        cwd=settings.PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-30:])
        raise RuntimeError(f"the pipeline run failed ({result.returncode}):\n{tail}")
    return json.loads(out.read_text(encoding="utf-8"))


def main(argv: list[str]) -> None:
    model, out, *files = argv
    figures = asyncio.run(_parse_all(Path(model), [Path(f) for f in files]))
    Path(out).write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
