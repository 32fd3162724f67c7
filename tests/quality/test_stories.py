"""The Rasa CLI's own checks: the training data validates, and the test stories predict as written."""

from __future__ import annotations

from bot import settings
from tests.quality.conftest import output_tail, run_rasa

STORIES_DIR = settings.PROJECT_ROOT / "tests" / "stories"


def test_training_data_validates(tmp_path):
    result = run_rasa(["data", "validate", "--domain", "domain.yml", "--data", "data"], tmp_path)
    assert result.returncode == 0, output_tail(result)


def test_stories_predict_the_expected_intents_and_actions(current_model, tmp_path):
    out = tmp_path / "core-results"
    result = run_rasa(
        [
            "test", "core", "--stories", str(STORIES_DIR), "--model", str(current_model),
            "--fail-on-prediction-errors", "--out", str(out),
        ],
        tmp_path,
    )  # fmt: skip
    failed = out / "failed_test_stories.yml"
    failed_text = failed.read_text(encoding="utf-8") if failed.exists() else ""
    assert result.returncode == 0, f"{output_tail(result)}\n{failed_text}"
    assert "None of the test stories failed" in failed_text, failed_text
