"""The benchmark's own arithmetic and memory reading (the full run is `make bench`)."""

from __future__ import annotations

import math
import os
import subprocess
import sys
import time

from bot.bench import (
    MESSAGES_PER_CONVERSATION,
    QUESTIONS,
    Timings,
    conversation_messages,
    percentile,
    rss_bytes,
)


def test_percentile_is_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50.0
    assert percentile(values, 95) == 95.0
    assert percentile(values, 100) == 100.0
    assert percentile([7.0], 95) == 7.0
    assert math.isnan(percentile([], 50))


def test_timings_summary_counts_errors_apart():
    timings = Timings(seconds=[0.1, 0.2, 0.3], errors=2)
    summary = timings.summary()
    assert summary["requests"] == 5 and summary["errors"] == 2
    assert summary["p50_ms"] == 200.0 and summary["max_ms"] == 300.0


def test_conversations_cycle_questions_and_change_sender():
    messages = conversation_messages(25, "x")
    assert [text for _, text in messages[: len(QUESTIONS)]] == list(QUESTIONS)
    senders = [sender for sender, _ in messages]
    assert senders[0] == senders[MESSAGES_PER_CONVERSATION - 1] != senders[MESSAGES_PER_CONVERSATION]


def test_rss_includes_child_processes():
    child = subprocess.Popen(
        [sys.executable, "-c", "import time; block = bytearray(80 * 2**20); time.sleep(30)"],
    )
    try:
        own = rss_bytes(os.getpid())
        # Wait until the child has allocated its 80 MB.
        for _ in range(100):
            if rss_bytes(child.pid) > 80 * 2**20:
                break
            time.sleep(0.1)
        assert rss_bytes(child.pid) > 80 * 2**20
        assert rss_bytes(os.getpid()) >= own + 80 * 2**20 - 10 * 2**20  # the child counts for the parent
    finally:
        child.kill()
        child.wait()
    assert rss_bytes(child.pid) == 0
