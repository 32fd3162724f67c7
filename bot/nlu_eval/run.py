"""One `make eval` run: held-out NLU test, out-of-domain rejection over REST, cross-validation."""

from __future__ import annotations

import dataclasses
import subprocess
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path
from typing import Any

from bot import settings
from bot.nlu_eval import ood_corpus, ood_run, pipeline_run, rasa_test, report
from bot.stack import isolated_stack

EVAL_RATE_LIMIT = "3000/minute"  # every sentence comes from 127.0.0.1
STACK_START_TIMEOUT = 900.0  # seconds; loading the model on a busy 2-core machine takes minutes


def kept_cross_validation(previous: dict) -> dict:
    """The last measured cross-validation and the date it was measured, for a run that skips it.

    The date is the one the previous results carried along when they skipped it too, so a chain of
    `--skip-cv` runs keeps naming the run that measured it. A cross-validation measured on its own
    (`--cv-only`) keeps its own record of when, on which commit and with which command.
    """
    if not previous.get("cross_validation"):
        return {}
    own_run = previous.get("cross_validation_run")
    measured = (
        previous.get("cross_validation_from")
        or (own_run or {}).get("date")
        or previous.get("run", {}).get("date")
    )
    kept = {"cross_validation": previous["cross_validation"], "cross_validation_from": measured}
    return {**kept, "cross_validation_run": own_run} if own_run else kept


def with_cross_validation(previous: dict, cross_validation: dict, run: dict) -> dict:
    """The previous run's figures with a cross-validation measured on its own put in.

    The slow step alone fits where a whole `make eval` does not; the other figures keep naming
    the run that measured them, and the cross-validation names its own.
    """
    kept = {k: v for k, v in previous.items() if not k.startswith("cross_validation")}
    return {**kept, "cross_validation": cross_validation, "cross_validation_run": run}


def cross_validation_only(folds: int, command: str, say: Callable[[str], None] = print) -> dict[str, Any]:
    """`--cv-only`: config.yml cross-validated on data/, set into the last run's results."""
    started = time.monotonic()
    commit = _commit()
    out = report.RESULTS_DIR / f"cv-{folds}"
    say(f"{folds}-fold cross-validation of config.yml (trains {folds} models: slow) ...")
    rasa_test.run_cross_validation(folds, out)
    cv = {**dataclasses.asdict(rasa_test.read_scores(out)), "folds": folds}
    say(f"   intent F1 {cv['intent_f1']:.3f}")
    run = {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "command": command,
        "commit": commit,
        "seconds": round(time.monotonic() - started),
    }
    return with_cross_validation(report.load(), cv, run)


def _commit() -> str:
    try:
        result = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=settings.PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=10,
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=settings.PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=10,
        )
        return result.stdout.strip() + (" (with uncommitted changes)" if dirty.stdout.strip() else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def ood_outcomes(model: Path, sentences: list[ood_corpus.OodSentence]) -> list[ood_run.OodResult]:
    """The sentences through a fresh assistant (sample catalogue, own database) over REST."""
    with tempfile.TemporaryDirectory(prefix="ood-eval-") as work:
        stack, _ = isolated_stack(Path(work), model)
        stack.env["RATE_LIMIT_PER_ADDRESS"] = EVAL_RATE_LIMIT
        stack.start(timeout=STACK_START_TIMEOUT)
        try:
            return ood_run.run_all(stack.rasa_url, stack.auth_token, sentences)
        finally:
            stack.stop()


def ood_figures(results: list[ood_run.OodResult]) -> dict[str, Any]:
    summary = ood_run.summarise(results)
    return {
        "sentences": summary.sentences,
        "domains": len({r.domain for r in results}),
        "counts": summary.counts,
        "rows": ood_run.as_rows(results),
    }


def compare_variant(name: str, folds: int, say: Callable[[str], None] = print) -> dict[str, Any]:
    """Cross-validate config.yml plus the variant's component; the figures, to set beside config.yml's."""
    out = report.RESULTS_DIR / f"cv-{folds}-{name}"
    config = rasa_test.variant_config(name, out)
    say(f"{folds}-fold cross-validation of config.yml + {name} ...")
    started = time.monotonic()
    rasa_test.run_cross_validation(folds, out, config=config)
    scores = dataclasses.asdict(rasa_test.read_scores(out))
    say(f"   intent F1 {scores['intent_f1']:.3f}")
    return {**scores, "folds": folds, "seconds": round(time.monotonic() - started)}


def evaluate(
    *,
    model: Path,
    folds: int,
    cross_validate: bool,
    ood_development: bool,
    command: str,
    say: Callable[[str], None] = print,
) -> dict[str, Any]:
    started = time.monotonic()
    commit = _commit()  # at the start: work committed while the run goes on is not what it measured
    out = report.RESULTS_DIR
    results: dict[str, Any] = {}
    say("1. Rasa's NLU test on the held-out set (tests/nlu/) ...")
    rasa_test.run_held_out(model, out / "held-out")
    results["held_out"] = dataclasses.asdict(rasa_test.read_scores(out / "held-out"))
    say(f"   intent F1 {results['held_out']['intent_f1']:.3f}")
    results["held_out_sets"] = {}
    for data in rasa_test.held_out_files():
        rasa_test.run_held_out(model, out / f"held-out-{data.stem}", data)
        scores = dataclasses.asdict(rasa_test.read_scores(out / f"held-out-{data.stem}"))
        results["held_out_sets"][data.name] = scores
        say(f"   {data.name}: intent F1 {scores['intent_f1']:.3f}")
    say("   the same sets through the whole pipeline, guards included (what a user meets) ...")
    results["pipeline"] = pipeline_run.run(model, rasa_test.held_out_files(), out / "pipeline.json")
    for name, figures in sorted(results["pipeline"].items()):
        say(f"   {name}: understood {figures['understood']}/{figures['examples']}")

    corpus = ood_corpus.load_corpus()
    held_out = ood_corpus.held_out_part(corpus)
    say(f"2. {len(held_out)} held-out out-of-domain sentences over REST ...")
    results["ood_held_out"] = ood_figures(ood_outcomes(model, held_out))
    say(f"   {results['ood_held_out']['counts']}")
    if ood_development:
        development = ood_corpus.development_part(corpus)
        say(f"   and the {len(development)} of the development part ...")
        results["ood_development"] = ood_figures(ood_outcomes(model, development))
        say(f"   {results['ood_development']['counts']}")

    if cross_validate:
        say(f"3. {folds}-fold cross-validation of config.yml (trains {folds} models: slow) ...")
        rasa_test.run_cross_validation(folds, out / f"cv-{folds}")
        cv = dataclasses.asdict(rasa_test.read_scores(out / f"cv-{folds}"))
        results["cross_validation"] = {**cv, "folds": folds}
        say(f"   intent F1 {cv['intent_f1']:.3f}")
    else:
        results.update(kept_cross_validation(report.load()))
    results["run"] = {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "command": command,
        "commit": commit,
        "model": model.name,
        "rasa": version("rasa"),
        "machine": report.machine(),
        "seconds": round(time.monotonic() - started),
        "ood_split": f"domains with int(sha256('{ood_corpus.SPLIT_SALT}' + domain), 16) % 10 "
        f"< {ood_corpus.HELD_OUT_TENTHS} held out",
    }
    return results
