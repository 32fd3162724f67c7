"""The benchmark's own arithmetic, memory reading and report (the full run is `make bench`)."""

from __future__ import annotations

import math
import os
import subprocess
import sys
import time

from bot.bench import CpuUse, Timings, comparison, cpu_line, percentile, ratio, report_lines, rss_bytes
from bot.process_memory import cpu_seconds


def test_percentile_is_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50.0
    assert percentile(values, 95) == 95.0
    assert percentile(values, 99) == 99.0
    assert percentile(values, 100) == 100.0
    assert percentile([7.0], 95) == 7.0
    assert math.isnan(percentile([], 50))


def test_timings_summary_counts_errors_and_empty_answers_apart():
    timings = Timings(seconds=[0.1, 0.2, 0.3], errors=2, empty=1)
    summary = timings.summary()
    assert summary["requests"] == 5 and summary["errors"] == 2 and summary["empty_answers"] == 1
    assert summary["p50_ms"] == 200.0 and summary["p99_ms"] == 300.0 and summary["max_ms"] == 300.0


def test_ratio_is_ours_over_theirs_and_nan_without_a_yardstick():
    assert ratio(30.0, 60.0) == 0.5
    assert math.isnan(ratio(30.0, 0.0))
    assert math.isnan(ratio(math.nan, 2.0))


def _side(throughput: float, p50: float, p95: float, single_p50: float, rss: float) -> dict:
    load = Timings(seconds=[p50 / 1000] * 50 + [p95 / 1000] * 50).summary()
    single = Timings(seconds=[single_p50 / 1000]).summary()
    return {"throughput_per_s": throughput, "throughput_per_round": [throughput], "load": load,
            "single_user": single, "peak_rss_mb": {"rasa": rss}}  # fmt: skip


def test_comparison_checks_the_issues_targets():
    ours, theirs = _side(50.0, 200, 300, 30, 1100.0), _side(60.0, 150, 250, 18, 1000.0)
    result = comparison(ours, theirs)
    assert result["throughput"]["ratio"] == 0.83 and result["throughput"]["met"] is True  # ≥ 0.8
    assert result["p95"]["ratio"] == 1.2 and result["p95"]["met"] is True  # ≤ 1.5
    assert result["single_p50"]["ratio"] == 1.67 and result["single_p50"]["met"] is False
    assert result["rasa_rss"]["ratio"] == 1.1 and "met" not in result["rasa_rss"]


def test_throughput_ratio_is_the_median_of_the_rounds_ratios():
    ours, theirs = _side(5.0, 200, 300, 30, 1100.0), _side(8.0, 150, 250, 18, 1000.0)
    ours["throughput_per_round"], theirs["throughput_per_round"] = [5.0, 3.0, 4.5], [8.0, 5.0, 5.0]
    row = comparison(ours, theirs)["throughput"]
    assert row["ratio_per_round"] == [0.62, 0.6, 0.9]
    assert row["ratio"] == 0.62 and row["met"] is False


def test_report_is_a_table_with_ratios_and_the_load_average():
    ours, theirs = _side(50.0, 200, 300, 30, 1100.0), _side(60.0, 150, 250, 18, 1000.0)
    results = {
        "date": "2026-11-30T08:00:00+00:00",
        "machine": {"cpus": 2, "load_average_before": [1.0, 1.0, 1.0], "load_average_after": [2.0, 1.5, 1.0]},
        "settings": {"rounds": 3, "users": 10, "duration_s": 30.0, "single_messages": 50},
        "ours": {"model": "m.tar.gz", "spacy_pipeline": "da", **ours},
        "theirs": {"bot": "rasa init --no-prompt", "rasa": "3.6.21", **theirs},
        "ratios": comparison(ours, theirs),
    }
    text = "\n".join(report_lines(results))
    assert "vores/deres" in text and "0.83" in text and "IKKE NÅET" in text
    assert "[1.0, 1.0, 1.0]" in text and "[2.0, 1.5, 1.0]" in text


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


def test_the_rasa_servers_memory_is_the_largest_rasa_process_in_either_profile() -> None:
    from bot.bench import rasa_server_rss

    assert rasa_server_rss({"rasa": 1400.0, "actions": 90.0}) == 1400.0
    assert rasa_server_rss({"rasa-1": 1400.0, "rasa-2": 1450.0, "redis": 12.0}) == 1450.0
    assert math.isnan(rasa_server_rss({"actions": 90.0}))


def test_cpu_time_includes_child_processes():
    busy = "import time\nend = time.process_time() + 0.6\nwhile time.process_time() < end: pass\n"
    busy += "time.sleep(30)"
    child = subprocess.Popen([sys.executable, "-c", busy])
    try:
        before = cpu_seconds(os.getpid())
        for _ in range(100):  # until the child has spun for its 0.6 s of CPU
            if cpu_seconds(child.pid) >= 0.6:
                break
            time.sleep(0.1)
        assert cpu_seconds(child.pid) >= 0.6
        # The child counts for the parent (to a clock tick: 20.3 + 0.6 is 20.900000000000002 in floats).
        assert cpu_seconds(os.getpid()) >= before + 0.6 - 0.02
    finally:
        child.kill()
        child.wait()
    assert cpu_seconds(child.pid) == 0.0  # gone


def test_cpu_use_is_per_answer_and_per_process():
    use = CpuUse()
    use.add({"rasa": 10.0, "driver": 1.0}, {"rasa": 12.0, "driver": 1.5}, wall_s=2.0, answers=50)
    use.add({"rasa": 20.0, "driver": 2.0}, {"rasa": 21.0, "driver": 2.5}, wall_s=2.0, answers=50)
    summary = use.summary()
    assert summary["ms_per_answer"] == {"rasa": 30.0, "driver": 10.0}
    assert summary["ms_per_answer_total"] == 40.0 and summary["cores_busy"] == 1.0
    line = cpu_line("vores", {"cpu_under_load": summary})
    assert line == "CPU-ms pr. svar, vores: rasa 30.0, driver 10.0 (i alt 40.0; 1.0 kerner i brug)"
    assert cpu_line("deres", {}) == "CPU-ms pr. svar, deres: ikke målt"


def test_instances_without_scaling_is_refused_not_ignored(capsys) -> None:
    from bot.cli import main

    assert main(["bench", "--instances", "3"]) == 2
    assert "--instances gælder kun sammen med --scaling" in capsys.readouterr().out
