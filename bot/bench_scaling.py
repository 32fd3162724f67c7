"""Scaling: the production profile with one instance against the same profile with more, side by side.

`python -m bot bench --scaling` (part of `make bench`) starts two production profiles at once
(bot.production: each with its own PostgreSQL, Redis and nginx), one with a single Rasa server
and action server, one with `instances` of each, and drives them through nginx's public address
with the same users and messages as the side-by-side benchmark (bot.bench). The rounds ALTERNATE
(one, many, one, many ...), so the machine's other work hits both alike; the profile not being
measured idles. Reported: answers per second per round, the ratio many/one per round and its
median against the issue's target (≥ 1.6 on 2 cores), p50/p95, and the CPU milliseconds per
answer of every process. Nothing is asserted; the results go to var/bench/scaling.json.
"""

from __future__ import annotations

import asyncio
import functools
import json
import os
import statistics
import tempfile
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from bot import settings
from bot.bench import (
    STARTUP_TIMEOUT_S,
    PublicEntrance,
    Target,
    cpu_line,
    machine_info,
    measure_side_by_side,
    production_stack_for_bench,
    ratio,
)

SCALING_RESULTS_FILE = settings.VAR_DIR / "bench" / "scaling.json"
SCALING_TARGET = 1.6  # the issue: throughput with more instances on 2 cores ≥ 1.6× one instance


def run_scaling(
    instances: int = 2,
    rounds: int = 3,
    users: int = 10,
    duration: float = 20.0,
    model: Path | None = None,
    extra_env: dict[str, str] | None = None,
    results_file: Path | None = SCALING_RESULTS_FILE,
    say: Callable[[str], None] = functools.partial(print, flush=True),
) -> dict[str, Any]:
    """Start both profiles, measure them alternately, stop them; return the results."""
    from bot.training import current_model_path

    if instances < 2:
        raise ValueError("--instances skal være mindst 2 for at måle skalering.")
    model = model or current_model_path()
    if not model.exists():
        raise FileNotFoundError(f"Ingen aktuel model ({model.name}): kør `make train` først.")
    started_at = datetime.now(timezone.utc).astimezone()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bench-scaling-") as work_dir:
        os.chmod(work_dir, 0o755)  # as root, PostgreSQL runs as `postgres`, which must pass through it
        stacks = {
            count: production_stack_for_bench(Path(work_dir) / f"x{count}", model, extra_env or {}, count)
            for count in (1, instances)
        }
        targets: list[Target] = []
        try:
            for count, stack in stacks.items():
                say(f"Starter produktionsprofilen med {count} instans(er) ({model.name}) ...")
                stack.start(timeout=STARTUP_TIMEOUT_S)
                targets.append(Target(f"{count}x", PublicEntrance(stack.public_url, stack.processes)))
            say(f"Måler skiftevis: {rounds} runder á {duration:g} s med {users} brugere ...")
            asyncio.run(measure_side_by_side(targets, rounds, users, duration, 0, say))
        finally:
            for stack in stacks.values():
                stack.stop()
    one, many = (target.results() for target in targets)
    rounds_paired = zip(one["throughput_per_round"], many["throughput_per_round"], strict=True)
    per_round = [ratio(m, o) for o, m in rounds_paired]
    median = round(statistics.median(per_round), 2)
    results = {
        "date": started_at.isoformat(timespec="seconds"),
        "machine": machine_info(load_before),
        "settings": {
            "instances": instances,
            "rounds": rounds,
            "users": users,
            "duration_s": duration,
            "model": model.name,
            "environment": extra_env or {},
        },
        "one_instance": {"url": stacks[1].public_url, **_without_single_user(one)},
        "many_instances": {"url": stacks[instances].public_url, **_without_single_user(many)},
        "scaling": {
            "ratio_per_round": per_round,
            "ratio": median,
            "target": f"≥ {SCALING_TARGET}",
            "met": median >= SCALING_TARGET,
        },
    }
    if results_file is not None:
        results_file.parent.mkdir(parents=True, exist_ok=True)
        results_file.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return results


def _without_single_user(results: dict[str, Any]) -> dict[str, Any]:
    """A target's results without the one-user run, which the scaling run does not make."""
    return {key: value for key, value in results.items() if key != "single_user"}


def scaling_report_lines(results: dict[str, Any]) -> list[str]:
    """The scaling run as a short table: one instance, many, the ratio and the target."""
    machine, s, verdict = results["machine"], results["settings"], results["scaling"]
    one, many = results["one_instance"], results["many_instances"]
    many_label = f"{s['instances']} instanser"

    def row(label: str, first: Any, second: Any) -> str:
        return f"{label:<20}{first!s:>24}{second!s:>24}"

    return [
        f"Skalering, produktionsprofilen ({s['model']}): 1 instans mod {s['instances']}, skiftevis, "
        f"{s['rounds']} runder á {s['duration_s']:g} s med {s['users']} brugere; CPU'er: {machine['cpus']}, "
        f"belastning før {machine['load_average_before']}, efter {machine['load_average_after']}",
        "",
        row("", "1 instans", many_label),
        row("svar/s (median)", one["throughput_per_s"], many["throughput_per_s"]),
        row("svar/s pr. runde", str(one["throughput_per_round"]), str(many["throughput_per_round"])),
        row("p50 ms", one["load"]["p50_ms"], many["load"]["p50_ms"]),
        row("p95 ms", one["load"]["p95_ms"], many["load"]["p95_ms"]),
        row("fejl", one["load"]["errors"], many["load"]["errors"]),
        "",
        f"{many_label} / 1 instans: {verdict['ratio']} (pr. runde {verdict['ratio_per_round']}); "
        f"mål {verdict['target']}: {'OK' if verdict['met'] else 'IKKE NÅET'}",
        cpu_line("1 instans", one),
        cpu_line(many_label, many),
    ]
