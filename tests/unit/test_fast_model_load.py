"""rasa_adapters/fast_model_load.py: the model loaded without tracing a training step predicts exactly
as the model loaded Rasa's own way (intents, confidences, entities), on the current model."""

from __future__ import annotations

import json
import subprocess
import sys

from bot import settings

MESSAGES = [
    "hvor kan jeg få taget en blodprøve i Helsingør?", "jeg skal til genoptræning efter min hofteoperation",
    "hvor finder jeg en jordemoder", "hvem ringer jeg til om en akutplads", "tilmeld mig dialogmødet",
    "min far er faldet og kan ikke rejse sig", "hej", "tak for hjælpen", "nej", "stop", "hvad er klokken",
    "ring mig op i morgen", "skal jeg have en henvisning til fysioterapi i Odense", "8000",
]  # fmt: skip

PREDICT = """
import asyncio, json, sys
from rasa.core.agent import Agent
if sys.argv[2] == "fast":
    from rasa_adapters.fast_model_load import install
    install()
agent = Agent.load(sys.argv[1])
async def parse():
    out = []
    for text in json.loads(sys.argv[3]):
        parsed = await agent.parse_message(text)
        ranking = [(r["name"], round(r["confidence"], 5)) for r in parsed["intent_ranking"]]
        out.append([ranking, [(e["entity"], e["value"], e["start"]) for e in parsed["entities"]]])
    return out
print("PREDICTIONS " + json.dumps(asyncio.run(parse())))
"""


def predictions(model: str, how: str) -> list:
    """Each message's intent ranking and entities, from a fresh process that loads the model `how`."""
    result = subprocess.run(
        [sys.executable, "-c", PREDICT, model, how, json.dumps(MESSAGES)],
        cwd=settings.PROJECT_ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    line = next(line for line in result.stdout.splitlines() if line.startswith("PREDICTIONS "))
    return json.loads(line.removeprefix("PREDICTIONS "))


def test_the_fast_load_predicts_exactly_as_rasas_own():
    from bot.training import train_if_needed

    model = str(train_if_needed())
    fast = predictions(model, "fast")
    assert len(fast) == len(MESSAGES) and all(ranking for ranking, _ in fast)
    assert fast == predictions(model, "rasa")
