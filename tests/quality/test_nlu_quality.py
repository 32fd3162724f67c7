"""The held-out NLU test set: unseen phrasings, and how well the current model understands them.

`rasa test nlu` evaluates the model on the newest held-out sets in tests/nlu/; the weighted-average
F1 of intents (intent_report.json) and of DIET's entities (DIETClassifier_report.json) are printed
(`pytest -s` shows them) and must stay above the thresholds.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from bot import settings
from tests.quality.conftest import output_tail, run_rasa

HELD_OUT_DIR = settings.PROJECT_ROOT / "tests" / "nlu"
# Regression guards below the measured figures. Issue 12's targets (0.95 overall, no intent below
# 0.90) are what `make eval` reports against in docs/nlu.md: met on all held-out sets together, not on
# each of the newest sets alone.
INTENT_F1_MIN = 0.85
INTENT_F1_FLOOR = 0.65  # no intent below
ENTITY_F1_MIN = 0.75
MIN_EXAMPLES_PER_INTENT = 8
# The F1 guard reads the newest five sets (about 1,700 examples): all of them took five minutes of a
# CI run that must finish in 90. `make eval` measures every set (docs/nlu.md).
NEWEST_SETS = 5
SET_NUMBER = re.compile(r"blind(\d+)\.yml$")


def normalised(text: str) -> str:
    """Lower-case, single spaces, no trailing punctuation: near-copies count as copies."""
    return re.sub(r"\s+", " ", text.lower()).strip().rstrip(".?!").strip()


def load_examples(path: Path) -> list[tuple[str, str]]:
    """(intent, plain text) for every example in the NLU files under `path`, annotations removed."""
    from rasa.shared.data import get_data_files, is_nlu_file
    from rasa.shared.nlu.training_data.loading import load_data

    examples = []
    for nlu_file in sorted(get_data_files([str(path)], is_nlu_file)):  # data/catalogue.yml is not NLU
        examples += [(m.get("intent"), m.get("text")) for m in load_data(nlu_file).intent_examples]
    return examples


@pytest.fixture(scope="module")
def held_out() -> list[tuple[str, str]]:
    return load_examples(HELD_OUT_DIR)


def test_held_out_phrasings_are_not_in_the_training_data(held_out):
    training_examples = load_examples(settings.DATA_DIR)
    assert len(training_examples) > 300, "the training data was not found"
    training = {normalised(text) for _, text in training_examples}
    copied = [text for _, text in held_out if normalised(text) in training]
    assert not copied, f"held-out phrasings also in data/: {copied}"


def test_held_out_sets_do_not_share_phrasings():
    """Each held-out file is measured alone as well: a phrasing in two of them would count twice."""
    seen: dict[str, str] = {}
    shared = []
    for held_out_file in sorted(HELD_OUT_DIR.glob("*.yml")):
        for _, text in load_examples(held_out_file):
            key = normalised(text)
            if key in seen and seen[key] != held_out_file.name:
                shared.append((text, seen[key], held_out_file.name))
            seen.setdefault(key, held_out_file.name)
    assert not shared, f"phrasings in more than one held-out file: {shared}"


def test_held_out_set_covers_every_intent(held_out):
    counts = Counter(intent for intent, _ in held_out)
    domain_intents = set(yaml.safe_load((settings.PROJECT_ROOT / "domain.yml").read_text())["intents"])
    too_few = {i: counts[i] for i in sorted(domain_intents) if counts[i] < MIN_EXAMPLES_PER_INTENT}
    assert not too_few, f"fewer than {MIN_EXAMPLES_PER_INTENT} held-out examples: {too_few}"
    assert set(counts) <= domain_intents, f"not in domain.yml: {set(counts) - domain_intents}"


def test_held_out_entities_are_annotated(held_out):
    text = "".join(p.read_text(encoding="utf-8") for p in HELD_OUT_DIR.glob("*.yml"))
    labels = Counter(re.findall(r"\]\((\w+)\)", text))
    assert labels["service"] >= 15 and labels["place"] >= 15, labels


def weighted_f1(report_file: Path) -> float:
    return json.loads(report_file.read_text(encoding="utf-8"))["weighted avg"]["f1-score"]


def newest_sets(count: int = NEWEST_SETS) -> list[Path]:
    """The `count` held-out sets written last (test_nlu_data_blind<N>.yml, by N)."""
    numbered = [(int(m.group(1)), p) for p in HELD_OUT_DIR.glob("*.yml") if (m := SET_NUMBER.search(p.name))]
    return [path for _, path in sorted(numbered)[-count:]]


def test_intent_and_entity_f1_on_held_out_set(current_model, tmp_path):
    sets = tmp_path / "newest-sets"
    sets.mkdir()
    for path in newest_sets():
        (sets / path.name).symlink_to(path)
    out = tmp_path / "nlu-results"
    result = run_rasa(
        ["test", "nlu", "--nlu", str(sets), "--model", str(current_model), "--out", str(out)],
        tmp_path,
    )
    assert result.returncode == 0, output_tail(result)
    intent_f1 = weighted_f1(out / "intent_report.json")
    entity_f1 = weighted_f1(out / "DIETClassifier_report.json")
    errors = json.loads((out / "intent_errors.json").read_text(encoding="utf-8"))
    per_intent = json.loads((out / "intent_report.json").read_text(encoding="utf-8"))
    print(f"\nHeld-out NLU, {current_model.name}:")
    print(f"  intent F1 {intent_f1:.3f}, entity F1 (DIET) {entity_f1:.3f}")
    averages = ("macro avg", "weighted avg", "micro avg")
    tested = {
        i: v["f1-score"]
        for i, v in per_intent.items()
        if i not in averages and isinstance(v, dict) and v.get("support")  # only intents of the test set
    }
    print("  per intent: " + ", ".join(f"{i} {f1:.2f}" for i, f1 in sorted(tested.items())))
    # Counts only, never the texts: a set written blind stays blind even in a failing run's log.
    confusions = Counter(f"{e['intent']} -> {e['intent_prediction']['name']}" for e in errors)
    print("  errors: " + ", ".join(f"{pair} {n}" for pair, n in confusions.most_common()))
    assert intent_f1 >= INTENT_F1_MIN, f"intent F1 {intent_f1:.3f} < {INTENT_F1_MIN}"
    assert entity_f1 >= ENTITY_F1_MIN, f"entity F1 {entity_f1:.3f} < {ENTITY_F1_MIN}"
    below = {i: round(f1, 2) for i, f1 in tested.items() if f1 < INTENT_F1_FLOOR}
    assert not below, f"intents below F1 {INTENT_F1_FLOOR}: {below}"


def test_the_whole_pipeline_is_measured_as_a_user_meets_it(current_model, tmp_path):
    """make eval's second view: the guards have their say, which `rasa test nlu` undoes."""
    from bot.nlu_eval import pipeline_run

    data = tmp_path / "few.yml"
    data.write_text(
        'version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - hej med dig\n'
        "- intent: affirm\n  examples: |\n    - øøø bbb\n",  # nonsense is no yes, whatever DIET says
        encoding="utf-8",
    )
    figures = pipeline_run.run(current_model, [data], tmp_path / "pipeline.json")["few.yml"]
    assert figures["examples"] == 2
    assert figures["understood"] == 1, figures
    assert figures["not_understood"] + figures["other_intent"] == 1
