"""`python -m bot bench --scaling` in a short run: two real production profiles (1 and 2 instances).

No timing is asserted (the machine is shared); what is checked is that the machinery runs: both
profiles start, answer through nginx without errors, are measured alternately, every process's
CPU is counted, the ratio is computed from the rounds, and everything is stopped again.
"""

from __future__ import annotations

import json

from bot.bench_scaling import SCALING_TARGET, run_scaling, scaling_report_lines
from bot.stack import answers


def test_quick_scaling_run_measures_one_instance_against_two(tmp_path):
    from bot.training import train_if_needed

    said: list[str] = []
    results_file = tmp_path / "scaling.json"
    results = run_scaling(
        instances=2, rounds=2, users=2, duration=2.0, model=train_if_needed(),
        results_file=results_file, say=said.append,
    )  # fmt: skip

    assert json.loads(results_file.read_text(encoding="utf-8")) == json.loads(json.dumps(results))
    one, two = results["one_instance"], results["many_instances"]
    for side in (one, two):
        assert side["load"]["requests"] > 0 and side["load"]["errors"] == 0
        assert side["load"]["empty_answers"] == 0
        assert len(side["throughput_per_round"]) == 2
    assert {n for n in one["peak_rss_mb"] if n.startswith("rasa")} == {"rasa-1"}
    assert {n for n in two["peak_rss_mb"] if n.startswith("rasa")} == {"rasa-1", "rasa-2"}
    # nginx shares the load: both Rasa servers of the two-instance profile did work.
    cpu = two["cpu_under_load"]["ms_per_answer"]
    assert cpu["rasa-1"] > 0 and cpu["rasa-2"] > 0 and cpu["postgres"] > 0
    # Alternating rounds: 1x, 2x, 1x, 2x.
    rounds = [line.split(":")[0].strip() for line in said if line.strip().startswith("runde ")]
    assert rounds == ["runde 1/2, 1x", "runde 1/2, 2x", "runde 2/2, 1x", "runde 2/2, 2x"]
    pairs = zip(one["throughput_per_round"], two["throughput_per_round"], strict=True)
    assert results["scaling"]["ratio_per_round"] == [round(t / o, 2) for o, t in pairs]
    assert results["scaling"]["met"] == (results["scaling"]["ratio"] >= SCALING_TARGET)
    table = "\n".join(scaling_report_lines(results))
    assert "2 instanser / 1 instans" in table and "CPU-ms pr. svar, 2 instanser: " in table

    # Both profiles are stopped: nothing answers on their public ports any more.
    assert not answers(results["one_instance"]["url"] + "/")
