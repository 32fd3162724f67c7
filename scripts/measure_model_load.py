"""How long loading the model takes, Rasa's way or the fast way, and what it then predicts.

    python scripts/measure_model_load.py MODEL (rasa|fast) HELD_OUT_FILE OUT.json

Prints the load time and the parse time; writes every message's intent, confidence and entities
to OUT.json, so that two runs can be compared (docs/benchmarks.md, "Start-up").
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path


async def parse_all(agent: object, texts: list[str]) -> list[list]:
    out = []
    for text in texts:
        parsed = await agent.parse_message(text)  # type: ignore[attr-defined]
        entities = [(e["entity"], e["value"]) for e in parsed["entities"]]
        out.append([parsed["intent"]["name"], round(parsed["intent"]["confidence"], 5), entities])
    return out


def main(model: str, how: str, held_out: str, out: str) -> None:
    from rasa.core.agent import Agent
    from rasa.shared.nlu.training_data.loading import load_data

    if how == "fast":
        from rasa_adapters.fast_model_load import install

        install()
    started = time.monotonic()
    agent = Agent.load(model)
    loaded = time.monotonic()
    texts = [example.get("text") for example in load_data(held_out).intent_examples]
    predictions = asyncio.run(parse_all(agent, texts))
    parsed = time.monotonic() - loaded
    print(f"{how}: load {loaded - started:.1f} s, {len(texts)} messages parsed in {parsed:.1f} s")
    Path(out).write_text(json.dumps(predictions), encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:5])
