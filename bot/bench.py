"""Side by side: the assistant against Rasa's own `rasa init` bot, measured in the same run.

`run_benchmark()` starts both on free loopback ports: ours is the real stack (action server
+ Rasa server, `bot.stack.Stack`) against a temporary database with the sample catalogue;
theirs is the bot `rasa init --no-prompt` creates (bot.bench_reference, built once under
var/bench/rasa-init/). Then, ALTERNATING (ours, theirs, ours, theirs, ... for `rounds` rounds):
- `users` concurrent users over the REST webhook for `duration` seconds each, every user
  sending the same five Danish messages in turn (a new conversation after the five);
- one user alone, `single_messages` messages one at a time (its p50 is the "one-user p50").
The `rasa init` bot is English: it answers the Danish messages with whatever intent its
NLU picks. That is the comparison the issue made: what one answer costs each server.
Reported: answers per second, p50/p95/p99, errors, RSS per process, and ours/theirs ratios.
Nothing is asserted; the numbers are printed and written to var/bench/latest.json.
"""

from __future__ import annotations

import asyncio
import functools
import json
import math
import os
import platform
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol

import aiohttp

from bot import settings
from bot.process_memory import cpu_seconds, rss_bytes
from bot.stack import Stack, isolated_stack

RESULTS_FILE = settings.VAR_DIR / "bench" / "latest.json"
REQUEST_TIMEOUT = aiohttp.ClientTimeout(total=120)

# The same five Danish messages for both bots: greeting, a service in a town (custom action,
# database), a follow-up on it, another service, thanks.
MESSAGES: tuple[str, ...] = (
    "hej",
    "hvor kan jeg få taget en blodprøve i Helsingør?",
    "hvornår har de åbent?",
    "genoptræning i Ballerup",
    "tusind tak",
)
# Our rate limits are for the public; the benchmark's one address sends far more than a person.
BENCH_ENVIRONMENT = {"RATE_LIMIT_PER_ADDRESS": "1000000/minute", "RATE_LIMIT_PER_SENDER": "1000000/minute"}

# Targets from the issue (ours / theirs), single instance.
TARGETS = {"throughput": 0.8, "p95": 1.5, "single_p50": 1.5}
MEMORY_TARGET_MB = 1200
STARTUP_TIMEOUT_S = 900.0  # a busy shared machine loads TensorFlow and the models slowly


@dataclass
class Timings:
    """Latencies in seconds, the count of failed requests and of empty answers."""

    seconds: list[float] = field(default_factory=list)
    errors: int = 0
    empty: int = 0

    def add(self, other: Timings) -> None:
        self.seconds += other.seconds
        self.errors += other.errors
        self.empty += other.empty

    def summary(self) -> dict[str, Any]:
        ms = sorted(s * 1000 for s in self.seconds)
        return {
            "requests": len(ms) + self.errors,
            "errors": self.errors,
            "empty_answers": self.empty,
            "p50_ms": round(percentile(ms, 50), 1),
            "p95_ms": round(percentile(ms, 95), 1),
            "p99_ms": round(percentile(ms, 99), 1),
            "max_ms": round(ms[-1], 1) if ms else math.nan,
            "mean_ms": round(sum(ms) / len(ms), 1) if ms else math.nan,
        }


def percentile(sorted_values: list[float], pct: float) -> float:
    """Nearest-rank percentile of already sorted values (NaN for none)."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(pct / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def ratio(ours: float, theirs: float) -> float:
    """ours / theirs, rounded; NaN when either is missing or theirs is zero."""
    if not theirs or math.isnan(ours) or math.isnan(theirs):
        return math.nan
    return round(ours / theirs, 2)


# -- memory ---------------------------------------------------------------------------


def memory_mb(processes: dict[str, subprocess.Popen]) -> dict[str, float]:
    return {name: round(rss_bytes(p.pid) / 2**20, 1) for name, p in processes.items()}


# -- CPU --------------------------------------------------------------------------------

DRIVER = "driver"  # the benchmark's own load generator (this process)


def cpu_snapshot(processes: dict[str, subprocess.Popen]) -> dict[str, float]:
    """CPU seconds used so far by each process (with its children), and by this driver."""
    snapshot = {name: cpu_seconds(p.pid) for name, p in processes.items()}
    snapshot[DRIVER] = time.process_time()
    return snapshot


@dataclass
class CpuUse:
    """CPU seconds per process spent during the load runs, their wall time and answers."""

    seconds: dict[str, float] = field(default_factory=dict)
    wall_s: float = 0.0
    answers: int = 0

    def add(self, before: dict[str, float], after: dict[str, float], wall_s: float, answers: int) -> None:
        for name, used in after.items():
            self.seconds[name] = self.seconds.get(name, 0.0) + used - before.get(name, used)
        self.wall_s += wall_s
        self.answers += answers

    def summary(self) -> dict[str, Any]:
        """CPU milliseconds per answer by process, and the share of all cores used under load."""
        if not self.answers or not self.wall_s:
            return {}
        per_answer = {k: round(1000 * v / self.answers, 1) for k, v in self.seconds.items()}
        return {
            "ms_per_answer": per_answer,
            "ms_per_answer_total": round(sum(per_answer.values()), 1),
            "cores_busy": round(sum(self.seconds.values()) / self.wall_s, 2),
        }


# -- the two bots, as the driver sees them ------------------------------------------------


class Server(Protocol):
    rasa_url: str
    processes: dict[str, subprocess.Popen]


@dataclass
class PublicEntrance:
    """The production profile as the driver sees it: nginx's public address, and every process."""

    rasa_url: str
    processes: dict[str, subprocess.Popen]


@dataclass
class Target:
    """One bot under measurement and everything measured of it."""

    name: str  # "ours" / "theirs"
    server: Server
    load: Timings = field(default_factory=Timings)
    single: Timings = field(default_factory=Timings)
    throughput_per_round: list[float] = field(default_factory=list)
    peak_memory_mb: dict[str, float] = field(default_factory=dict)
    cpu: CpuUse = field(default_factory=CpuUse)

    def sample_memory(self) -> None:
        for process, mb in memory_mb(self.server.processes).items():
            self.peak_memory_mb[process] = max(mb, self.peak_memory_mb.get(process, 0.0))

    def results(self) -> dict[str, Any]:
        rounds = self.throughput_per_round
        return {
            "load": self.load.summary(),
            "throughput_per_s": round(statistics.median(rounds), 2) if rounds else math.nan,
            "throughput_per_round": rounds,
            "single_user": self.single.summary(),
            "peak_rss_mb": self.peak_memory_mb,
            # Under load: CPU per answer by process (the driver is the load generator, shared by
            # both bots' runs), and how many of the machine's cores were busy with these processes.
            "cpu_under_load": self.cpu.summary(),
        }


async def _post_message(
    session: aiohttp.ClientSession, url: str, sender: str, text: str, timings: Timings
) -> None:
    started = time.perf_counter()
    try:
        async with session.post(url, json={"sender": sender, "message": text}) as response:
            body = await response.read()
            ok = response.status == 200
    except (aiohttp.ClientError, asyncio.TimeoutError):
        ok, body = False, b""
    if not ok:
        timings.errors += 1
        return
    timings.seconds.append(time.perf_counter() - started)
    if body.strip() in (b"", b"[]"):
        timings.empty += 1


def _webhook(target: Target) -> str:
    return f"{target.server.rasa_url}/webhooks/rest/webhook"


async def load_run(
    session: aiohttp.ClientSession, target: Target, users: int, duration: float, label: str
) -> float:
    """`users` users, each sending MESSAGES in turn until `duration` is up; answers per second."""
    url, timings = _webhook(target), Timings()
    deadline = time.monotonic() + duration

    async def user(number: int) -> None:
        conversation = 0
        while time.monotonic() < deadline:
            sender = f"{label}-u{number}-c{conversation}"
            for text in MESSAGES:
                if time.monotonic() >= deadline:
                    break
                await _post_message(session, url, sender, text, timings)
            conversation += 1

    cpu_before, started = cpu_snapshot(target.server.processes), time.perf_counter()
    await asyncio.gather(*(user(n) for n in range(users)))
    elapsed = time.perf_counter() - started
    target.cpu.add(cpu_before, cpu_snapshot(target.server.processes), elapsed, len(timings.seconds))
    target.load.add(timings)
    return round(len(timings.seconds) / elapsed, 2)


async def single_user_run(session: aiohttp.ClientSession, target: Target, count: int, label: str) -> None:
    url = _webhook(target)
    for i in range(count):
        await _post_message(
            session, url, f"{label}-c{i // len(MESSAGES)}", MESSAGES[i % len(MESSAGES)], target.single
        )


async def measure_side_by_side(
    targets: list[Target],
    rounds: int,
    users: int,
    duration: float,
    single_messages: int,
    say: Callable[[str], None] = functools.partial(print, flush=True),
) -> None:
    """Warm both up, then alternate: load on each in turn, then one user on each in turn."""
    connector = aiohttp.TCPConnector(limit=users * 2)
    async with aiohttp.ClientSession(timeout=REQUEST_TIMEOUT, connector=connector) as session:
        for target in targets:
            warm_up = Timings()
            for i in range(2 * len(MESSAGES)):
                await _post_message(session, _webhook(target), f"warm-up-{i // len(MESSAGES)}",
                                    MESSAGES[i % len(MESSAGES)], warm_up)  # fmt: skip
            target.sample_memory()
        for number in range(1, rounds + 1):
            for target in targets:
                rate = await load_run(session, target, users, duration, f"r{number}-{target.name}")
                target.throughput_per_round.append(rate)
                target.sample_memory()
                say(f"  runde {number}/{rounds}, {target.name}: {rate} svar/s med {users} samtidige brugere")
            for target in targets:
                await single_user_run(session, target, single_messages, f"r{number}-{target.name}-single")
                target.sample_memory()


# -- the whole run ----------------------------------------------------------------------


def rasa_server_rss(peak_rss_mb: dict[str, float]) -> float:
    """The largest Rasa server's peak RSS ("rasa", or "rasa-1", "rasa-2" … in the production profile)."""
    sizes = [mb for name, mb in peak_rss_mb.items() if name == "rasa" or name.startswith("rasa-")]
    return max(sizes) if sizes else math.nan


def comparison(ours: dict[str, Any], theirs: dict[str, Any]) -> dict[str, Any]:
    """The ratios ours/theirs the issue's targets are about, each with its target and verdict."""
    rows = {
        "throughput": (ours["throughput_per_s"], theirs["throughput_per_s"]),
        "p50": (ours["load"]["p50_ms"], theirs["load"]["p50_ms"]),
        "p95": (ours["load"]["p95_ms"], theirs["load"]["p95_ms"]),
        "p99": (ours["load"]["p99_ms"], theirs["load"]["p99_ms"]),
        "single_p50": (ours["single_user"]["p50_ms"], theirs["single_user"]["p50_ms"]),
        "rasa_rss": (rasa_server_rss(ours["peak_rss_mb"]), rasa_server_rss(theirs["peak_rss_mb"])),
    }
    result = {}
    for name, (our_value, their_value) in rows.items():
        value = ratio(our_value, their_value)
        row: dict[str, Any] = {"ours": our_value, "theirs": their_value, "ratio": value}
        if name == "throughput":
            # Each round's pair ran back to back under the same load: the median of their ratios
            # is fairer on a shared machine than the ratio of the two medians.
            rounds = zip(ours["throughput_per_round"], theirs["throughput_per_round"], strict=False)
            pairs = [ratio(o, t) for o, t in rounds]
            row["ratio_per_round"] = pairs
            row["ratio"] = value = round(statistics.median(pairs), 2) if pairs else value
        if name in TARGETS:
            target = TARGETS[name]
            row["target"] = f"≥ {target}" if name == "throughput" else f"≤ {target}"
            row["met"] = value >= target if name == "throughput" else value <= target
        result[name] = row
    return result


def run_benchmark(
    rounds: int = 3,
    users: int = 10,
    duration: float = 30.0,
    single_messages: int = 50,
    model: Path | None = None,
    reference_python: str | None = None,
    reference_root: Path | None = None,
    results_file: Path | None = RESULTS_FILE,
    extra_env: dict[str, str] | None = None,
    endpoints: Path | None = None,
    production: bool = False,
    say: Callable[[str], None] = functools.partial(print, flush=True),
) -> dict[str, Any]:
    """Build (cached) and start both bots, measure them alternately, stop them; return the results.

    `production`: ours is the production profile (bot.production: PostgreSQL, Redis, two Rasa and
    two action servers behind nginx), measured through nginx's public address.
    """
    from bot.bench_reference import ReferenceBot, default_root
    from bot.nlp.pipeline import describe, summary_line
    from bot.training import current_model_path

    started_at = datetime.now(timezone.utc).astimezone()
    model = model or current_model_path()
    if not model.exists():
        raise FileNotFoundError(f"Ingen aktuel model ({model.name}): kør `make train` først.")
    reference = ReferenceBot(root=reference_root or default_root(reference_python), python=reference_python)
    reference_model = reference.ensure_built(say)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bench-") as work_dir:
        if production:
            stack = production_stack_for_bench(Path(work_dir), model, extra_env or {})
        else:
            stack = isolated_stack_for_bench(Path(work_dir), model)
            stack.env.update(extra_env or {})
            if endpoints is not None:
                stack.endpoints = endpoints
        say(f"Starter vores servere ({model.name}) og `rasa init`-botten ({reference_model.name}) ...")
        started = time.perf_counter()
        reference.launch()  # both load their models at once (start-up below is ours, with theirs loading too)
        try:
            stack.start(timeout=STARTUP_TIMEOUT_S)
        except BaseException:
            reference.stop()
            raise
        startup_s = time.perf_counter() - started
        try:
            reference.wait_until_ready(STARTUP_TIMEOUT_S)
            entrance = PublicEntrance(stack.public_url, stack.processes) if production else stack
            ours, theirs = Target("ours", entrance), Target("theirs", reference)
            say(f"Måler skiftevis: {rounds} runder á {duration:g} s med {users} brugere, "
                f"og {single_messages} beskeder fra én bruger ...")  # fmt: skip
            asyncio.run(measure_side_by_side([ours, theirs], rounds, users, duration, single_messages, say))
        finally:
            reference.stop()
            stack.stop()
    our_results, their_results = ours.results(), theirs.results()
    results = {
        "date": started_at.isoformat(timespec="seconds"),
        "machine": machine_info(load_before),
        "settings": {
            "rounds": rounds,
            "users": users,
            "duration_s": duration,
            "single_messages": single_messages,
            "messages": list(MESSAGES),
            "environment": {**BENCH_ENVIRONMENT, **(extra_env or {})},
            "endpoints": str(endpoints or "endpoints.yml"),
        },
        "ours": {
            "model": model.name,
            "spacy_pipeline": summary_line(describe()),
            "database": (
                "PostgreSQL, Redis locks, nginx in front (production profile)"
                if production
                else "SQLite (temporary file, sample catalogue)"
            ),
            "startup_s": round(startup_s, 1),
            "url": ours.server.rasa_url,
            **our_results,
        },
        "theirs": {
            "bot": "rasa init --no-prompt",
            "rasa": _rasa_version(),
            "model": reference_model.name,
            "url": reference.rasa_url,
            "venv": "project" if reference_python else str(reference.root / "venv"),
            **their_results,
        },
        "ratios": comparison(our_results, their_results),
    }
    if results_file is not None:
        results_file.parent.mkdir(parents=True, exist_ok=True)
        results_file.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return results


def machine_info(load_before: tuple[float, float, float]) -> dict[str, Any]:
    """The machine a run measured on, with its load average before the run and now."""
    return {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        # Other work on the machine skews the numbers; the load average says how much there was.
        "load_average_before": [round(v, 2) for v in load_before],
        "load_average_after": [round(v, 2) for v in os.getloadavg()],
    }


def _rasa_version() -> str:
    from bot.bench_reference import our_rasa_version

    return our_rasa_version()


def report_lines(results: dict[str, Any]) -> list[str]:
    """The results as a table: ours, theirs, ours/theirs and the issue's target."""
    machine = results["machine"]
    s = results["settings"]
    ratios = results["ratios"]

    def row(label: str, key: str) -> str:
        r = ratios[key]
        verdict = ""
        if "target" in r:
            verdict = f"{r['target']:>6}  {'OK' if r['met'] else 'IKKE NÅET'}"
        return f"{label:<28}{r['ours']:>10}{r['theirs']:>10}{r['ratio']:>12}  {verdict}".rstrip()

    ours, theirs = results["ours"], results["theirs"]
    lines = [
        f"Dato: {results['date']}  CPU'er: {machine['cpus']}  belastning før {machine['load_average_before']}"
        f", efter {machine['load_average_after']}",
        f"{s['rounds']} runder skiftevis, {s['users']} samtidige brugere á {s['duration_s']:g} s, "
        f"én bruger {s['single_messages']} beskeder; samme fem danske beskeder til begge.",
        f"Vores: {ours['model']} ({ours['spacy_pipeline']}); deres: {theirs['bot']}, Rasa {theirs['rasa']} "
        "(engelsk bot: svarer dansk med den hensigt, dens NLU gætter).",
        "",
        f"{'':<28}{'vores':>10}{'deres':>10}{'vores/deres':>12}  mål",
        row("svar/s (10 brugere)", "throughput"),
        row("p50 ms", "p50"),
        row("p95 ms", "p95"),
        row("p99 ms", "p99"),
        row("én bruger p50 ms", "single_p50"),
        row("Rasa-server RSS MB", "rasa_rss"),
        "",
        f"Fejl: vores {ours['load']['errors'] + ours['single_user']['errors']}, "
        f"deres {theirs['load']['errors'] + theirs['single_user']['errors']}; tomme svar: vores "
        f"{ours['load']['empty_answers']}, deres {theirs['load']['empty_answers']}.",
        f"Svar/s pr. runde: vores {ours['throughput_per_round']}, deres {theirs['throughput_per_round']}; "
        f"vores/deres pr. runde {ratios['throughput']['ratio_per_round']} (median i tabellen).",
        "RSS (MB, højeste) vores: "
        + ", ".join(f"{k} {v}" for k, v in ours["peak_rss_mb"].items())
        + "; deres: "
        + ", ".join(f"{k} {v}" for k, v in theirs["peak_rss_mb"].items()),
        cpu_line("vores", ours),
        cpu_line("deres", theirs),
        f"Rasa-serverens hukommelse, mål ≤ {MEMORY_TARGET_MB} MB: "
        + ("OK" if rasa_server_rss(ours["peak_rss_mb"]) <= MEMORY_TARGET_MB else "IKKE NÅET"),
    ]
    return lines


def cpu_line(label: str, results: dict[str, Any]) -> str:
    """CPU under load: "CPU-ms pr. svar, vores: rasa 38.0, driver 4.2 (i alt 42.2; 1.9 kerner i brug)"."""
    cpu = results.get("cpu_under_load") or {}
    if not cpu:
        return f"CPU-ms pr. svar, {label}: ikke målt"
    parts = ", ".join(f"{k} {v}" for k, v in cpu["ms_per_answer"].items())
    return (
        f"CPU-ms pr. svar, {label}: {parts} (i alt {cpu['ms_per_answer_total']}; "
        f"{cpu['cores_busy']} kerner i brug)"
    )


def production_stack_for_bench(
    work: Path, model: Path, extra_env: dict[str, str], instances: int | None = None
) -> Any:
    """The production profile under `work`, rate limits lifted as for the single stack.

    `instances`: Rasa servers and action servers (default PROD_INSTANCES, as `make run-prod`).
    """
    from bot.production import ProductionStack
    from bot.stack import free_port

    work.mkdir(parents=True, exist_ok=True)
    os.chmod(work, 0o755)  # as root, PostgreSQL runs as `postgres`, which must reach work/prod/postgres
    count = {"instances": instances} if instances else {}
    environment = {**BENCH_ENVIRONMENT, **extra_env}
    return ProductionStack(root=work / "prod", public_port=free_port(), model=model, env=environment, **count)


def isolated_stack_for_bench(work: Path, model: Path) -> Stack:
    """Our stack as the benchmark runs it (rate limits lifted for the one loopback address)."""
    stack, _ = isolated_stack(work, model)
    stack.env.update(BENCH_ENVIRONMENT)
    return stack
