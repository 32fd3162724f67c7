"""Speed and memory of the running assistant, measured over loopback and reported as numbers.

`run_benchmark()` starts the real stack (action server + Rasa server, `bot.stack.Stack`)
on free ports against a temporary database with the sample catalogue, then measures:
- REST webhook latency over sequential messages (mixed Danish questions);
- throughput with concurrent senders, for a bounded number of requests;
- /model/parse latency (NLU only);
- resident memory (RSS from /proc) of the Rasa and action servers, after warm-up and after the load.
Nothing is asserted: the numbers are printed and written to var/bench/latest.json.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import platform
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import aiohttp

from bot import settings
from bot.stack import Stack, isolated_stack

RESULTS_FILE = settings.VAR_DIR / "bench" / "latest.json"
REQUEST_TIMEOUT = aiohttp.ClientTimeout(total=120)

# Mixed questions as citizens and staff write them: services with places, follow-ups,
# chit-chat, events, contact, emergencies, out of scope.
QUESTIONS: tuple[str, ...] = (
    "hej",
    "hvor kan jeg få taget en blodprøve i Helsingør?",
    "hvornår har de åbent?",
    "skal jeg have en henvisning?",
    "hvordan bestiller jeg tid?",
    "genoptræning i Ballerup",
    "jeg er gravid, hvor finder jeg en jordemoder i Helsingør",
    "hvilke tilbud har sundhedshuset i Albertslund?",
    "fodpleje i Albertslund",
    "jeg vil gerne stoppe med at ryge, jeg bor i Hvidovre",
    "hvor kan jeg få taget en blodprøve?",
    "i Helsingør",
    "sundhedsplejerske i Vallensbæk",
    "psykolog i Sønderborg",
    "hvilke arrangementer er der?",
    "jeg vil tale med et menneske",
    "jeg har ondt i brystet",
    "hvad bliver vejret i morgen?",
    "er du en robot?",
    "tusind tak",
)
MESSAGES_PER_CONVERSATION = 10  # a new sender after this many, so trackers stay realistic


@dataclass
class Timings:
    """Latencies in seconds and the count of failed requests."""

    seconds: list[float] = field(default_factory=list)
    errors: int = 0

    def summary(self) -> dict[str, Any]:
        ms = sorted(s * 1000 for s in self.seconds)
        return {
            "requests": len(ms) + self.errors,
            "errors": self.errors,
            "p50_ms": round(percentile(ms, 50), 1),
            "p95_ms": round(percentile(ms, 95), 1),
            "max_ms": round(ms[-1], 1) if ms else math.nan,
            "mean_ms": round(sum(ms) / len(ms), 1) if ms else math.nan,
        }


def percentile(sorted_values: list[float], pct: float) -> float:
    """Nearest-rank percentile of already sorted values (NaN for none)."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(pct / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


# -- memory ---------------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    children: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            children += [int(c) for c in task.read_text().split()]
        except OSError:
            continue
    return children


def rss_bytes(pid: int) -> int:
    """Resident memory of a process and all its descendants, from /proc (0 when gone)."""
    total = 0
    for process in [pid, *_descendants(pid)]:
        try:
            for line in Path(f"/proc/{process}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            continue
    return total


def _descendants(pid: int) -> list[int]:
    found, pending = [], _children(pid)
    while pending:
        child = pending.pop()
        found.append(child)
        pending += _children(child)
    return found


def memory_mb(stack: Stack) -> dict[str, float]:
    return {name: round(rss_bytes(p.pid) / 2**20, 1) for name, p in stack.processes.items()}


# -- requests -------------------------------------------------------------------------


class Client:
    """REST webhook and /model/parse over one aiohttp session."""

    def __init__(self, session: aiohttp.ClientSession, rasa_url: str, auth_token: str) -> None:
        self.session = session
        self.rasa_url = rasa_url
        self.params = {"token": auth_token}  # /model/parse is Rasa's HTTP API, closed without it

    async def _timed_post(self, path: str, body: dict[str, Any], timings: Timings) -> None:
        started = time.perf_counter()
        try:
            async with self.session.post(f"{self.rasa_url}{path}", json=body, params=self.params) as response:
                await response.read()
                ok = response.status == 200
        except (aiohttp.ClientError, asyncio.TimeoutError):
            ok = False
        if ok:
            timings.seconds.append(time.perf_counter() - started)
        else:
            timings.errors += 1

    async def message(self, sender: str, text: str, timings: Timings) -> None:
        await self._timed_post("/webhooks/rest/webhook", {"sender": sender, "message": text}, timings)

    async def parse(self, text: str, timings: Timings) -> None:
        await self._timed_post("/model/parse", {"text": text}, timings)


def conversation_messages(count: int, prefix: str) -> list[tuple[str, str]]:
    """(sender, text) pairs cycling through QUESTIONS, a new sender every few messages."""
    return [
        (f"{prefix}-{i // MESSAGES_PER_CONVERSATION}", QUESTIONS[i % len(QUESTIONS)]) for i in range(count)
    ]


async def sequential_latency(client: Client, count: int) -> dict[str, Any]:
    timings = Timings()
    for sender, text in conversation_messages(count, "seq"):
        await client.message(sender, text, timings)
    return timings.summary()


async def concurrent_throughput(client: Client, senders: int, total: int) -> dict[str, Any]:
    """`senders` workers share a queue of `total` messages; requests per second over the wall time."""
    queue: asyncio.Queue[tuple[str, str]] = asyncio.Queue()
    for item in conversation_messages(total, "load"):
        queue.put_nowait(item)
    timings = Timings()

    async def worker(number: int) -> None:
        while not queue.empty():
            sender, text = queue.get_nowait()
            await client.message(f"{sender}-w{number}", text, timings)

    started = time.perf_counter()
    await asyncio.gather(*(worker(n) for n in range(senders)))
    elapsed = time.perf_counter() - started
    return {
        "senders": senders,
        "wall_s": round(elapsed, 2),
        "requests_per_s": round(len(timings.seconds) / elapsed, 2),
        **timings.summary(),
    }


async def parse_latency(client: Client, count: int) -> dict[str, Any]:
    timings = Timings()
    for i in range(count):
        await client.parse(QUESTIONS[i % len(QUESTIONS)], timings)
    return timings.summary()


async def _measure(stack: Stack, messages: int, senders: int, load_requests: int, parses: int) -> dict:
    connector = aiohttp.TCPConnector(limit=senders * 2)
    async with aiohttp.ClientSession(timeout=REQUEST_TIMEOUT, connector=connector) as session:
        client = Client(session, stack.rasa_url, stack.auth_token)
        warm_up = Timings()
        for sender, text in conversation_messages(len(QUESTIONS), "warm-up"):
            await client.message(sender, text, warm_up)
        memory_after_warm_up = memory_mb(stack)
        rest = await sequential_latency(client, messages)
        load = await concurrent_throughput(client, senders, load_requests)
        parse = await parse_latency(client, parses)
    return {
        "warm_up_errors": warm_up.errors,
        "rest_webhook_sequential": rest,
        "rest_webhook_concurrent": load,
        "model_parse": parse,
        "memory_mb": {"after_warm_up": memory_after_warm_up, "after_load": memory_mb(stack)},
    }


# -- the whole run ----------------------------------------------------------------------


def run_benchmark(
    messages: int = 100,
    senders: int = 8,
    load_requests: int = 160,
    parses: int = 50,
    model: Path | None = None,
    results_file: Path | None = RESULTS_FILE,
) -> dict[str, Any]:
    """Start the stack on a temporary copy of the sample catalogue, measure, stop; return the results."""
    from bot.nlp.pipeline import describe, summary_line
    from bot.training import current_model_path

    started_at = datetime.now(timezone.utc).astimezone()
    model = model or current_model_path()
    if not model.exists():
        raise FileNotFoundError(f"Ingen aktuel model ({model.name}): kør `make train` først.")
    with tempfile.TemporaryDirectory(prefix="bench-") as work_dir:
        work = Path(work_dir)
        stack, _database_url = isolated_stack(work, model)
        print(f"Starter action-server og Rasa-server med {model.name} ...", flush=True)
        started = time.perf_counter()
        stack.start()
        startup_s = time.perf_counter() - started
        try:
            print("Måler ...", flush=True)
            measured = asyncio.run(_measure(stack, messages, senders, load_requests, parses))
        finally:
            stack.stop()
    results = {
        "date": started_at.isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            # Other work on the machine skews the numbers; the load average says how much there was.
            "load_average_1_5_15": [round(v, 2) for v in os.getloadavg()],
        },
        "model": model.name,
        "spacy_pipeline": summary_line(describe()),
        "database": "SQLite (temporary file, sample catalogue)",
        "stack_startup_s": round(startup_s, 1),
        **measured,
    }
    if results_file is not None:
        results_file.parent.mkdir(parents=True, exist_ok=True)
        results_file.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return results


def report_lines(results: dict[str, Any]) -> list[str]:
    """The results as short Danish lines."""
    rest, load, parse = (
        results["rest_webhook_sequential"],
        results["rest_webhook_concurrent"],
        results["model_parse"],
    )
    memory = results["memory_mb"]

    def latency(row: dict[str, Any]) -> str:
        return (
            f"p50 {row['p50_ms']} ms, p95 {row['p95_ms']} ms, max {row['max_ms']} ms "
            f"({row['requests']} forespørgsler, {row['errors']} fejl)"
        )

    return [
        f"Dato: {results['date']}   model: {results['model']}   CPU'er: {results['machine']['cpus']}   "
        f"belastning: {results['machine']['load_average_1_5_15']}",
        f"spaCy: {results['spacy_pipeline']}",
        f"Opstart af serverne: {results['stack_startup_s']} s",
        f"REST-webhook, én ad gangen:   {latency(rest)}",
        f"REST-webhook, {load['senders']} samtidige: {load['requests_per_s']} svar/s "
        f"over {load['wall_s']} s; {latency(load)}",
        f"/model/parse:                 {latency(parse)}",
        "Hukommelse (RSS, MB) efter opvarmning: "
        + ", ".join(f"{k} {v}" for k, v in memory["after_warm_up"].items()),
        "Hukommelse (RSS, MB) efter belastning: "
        + ", ".join(f"{k} {v}" for k, v in memory["after_load"].items()),
    ]
