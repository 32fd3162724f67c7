"""Parse held-out NLU files with a trained model's whole pipeline, for bot/nlu_eval/pipeline_run.py.

`python -m rasa_adapters.pipeline_parse MODEL OUT.json FILE...` writes, by file name, the counts of
`pipeline_run.summarise` (no example text, so a blind held-out set stays blind).
"""

from __future__ import annotations

import asyncio
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from rasa.core.agent import Agent
from rasa.shared.nlu.training_data.loading import load_data

from bot.nlu_eval.pipeline_run import summarise


async def _parse_all(model: Path, files: list[Path]) -> dict[str, dict[str, Any]]:
    from rasa_adapters.fast_model_load import install as load_models_fast

    load_models_fast()
    agent = Agent.load(str(model))
    results = {}
    for path in files:
        pairs = []
        for example in load_data(str(path)).intent_examples:
            parsed = await agent.parse_message(example.get("text"))
            pairs.append((example.get("intent"), (parsed.get("intent") or {}).get("name")))
        results[path.name] = asdict(summarise(pairs))
    return results


def main(argv: list[str]) -> None:
    model, out, *files = argv
    figures = asyncio.run(_parse_all(Path(model), [Path(f) for f in files]))
    Path(out).write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
