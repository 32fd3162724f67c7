"""`make bench` in --quick mode against the real servers: ours and Rasa's `rasa init` bot, side by side.

No timing is asserted (the machine is shared); what is checked is that the machinery runs:
both bots start, answer the same messages without errors, are measured alternately, and
the results file and the table with the ratios come out. The `rasa init` bot is the one
`make bench` built in its own venv when there is one; otherwise it is built in the project's
venv (no download), cached under var/bench/ too.
"""

from __future__ import annotations

import json

from bot.bench import MESSAGES, report_lines, run_benchmark
from bot.bench_reference import PROJECT_VENV, ReferenceBot, default_root
from bot.stack import answers


def test_quick_bench_measures_ours_and_rasa_init_side_by_side(tmp_path):
    from bot.training import train_if_needed

    said: list[str] = []
    results_file = tmp_path / "latest.json"
    python = None if ReferenceBot().is_built() else PROJECT_VENV
    results = run_benchmark(
        rounds=2, users=2, duration=2.0, single_messages=len(MESSAGES),
        model=train_if_needed(), reference_python=python, results_file=results_file, say=said.append,
    )  # fmt: skip

    assert json.loads(results_file.read_text(encoding="utf-8")) == json.loads(json.dumps(results))
    for side in ("ours", "theirs"):
        measured = results[side]
        assert measured["load"]["requests"] > 0 and measured["load"]["errors"] == 0, side
        assert measured["single_user"]["requests"] == 2 * len(MESSAGES), side
        assert len(measured["throughput_per_round"]) == 2 and measured["throughput_per_s"] > 0, side
        assert measured["peak_rss_mb"]["rasa"] > 100, side
        cpu = measured["cpu_under_load"]  # the Rasa server works for every answer; so does the driver
        assert cpu["ms_per_answer"]["rasa"] > 0 and cpu["ms_per_answer"]["driver"] > 0, side
    assert set(results["ours"]["peak_rss_mb"]) == {"actions", "rasa"}
    assert results["ours"]["load"]["empty_answers"] == 0  # ours always answers
    # Alternating: round 1 ours, round 1 theirs, round 2 ours, round 2 theirs.
    rounds = [line for line in said if line.strip().startswith("runde ")]
    assert [("ours" in line, line.split(",")[0].strip()) for line in rounds] == [
        (True, "runde 1/2"), (False, "runde 1/2"), (True, "runde 2/2"), (False, "runde 2/2"),
    ]  # fmt: skip
    assert results["ratios"]["throughput"]["ratio"] > 0
    table = "\n".join(report_lines(results))
    assert "vores/deres" in table and "svar/s" in table
    cpu_lines = [line for line in table.splitlines() if line.startswith("CPU-ms pr. svar, vores: ")]
    assert len(cpu_lines) == 1 and " rasa " in cpu_lines[0] and " actions " in cpu_lines[0]

    # Both bots are stopped again: nothing answers on their ports.
    assert ReferenceBot(root=default_root(python), python=python).is_built()
    assert not answers(results["theirs"]["url"] + "/")
    assert not answers(results["ours"]["url"] + "/version")
