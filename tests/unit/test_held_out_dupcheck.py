"""scripts/nlu/held_out_dupcheck.py: a new held-out set's copies of known examples are found by line."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from bot import settings
from tests.quality.test_nlu_quality import load_examples

SCRIPT = settings.PROJECT_ROOT / "scripts" / "nlu" / "held_out_dupcheck.py"


def _dupcheck():
    spec = importlib.util.spec_from_file_location("held_out_dupcheck", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_copies_near_copies_and_repeats_are_reported_by_line_number(tmp_path: Path) -> None:
    known = load_examples(settings.DATA_DIR / "nlu" / "services.yml")[0][1]
    candidate = tmp_path / "test_nlu_data_blind99.yml"
    candidate.write_text(
        'version: "3.1"\nnlu:\n- intent: find_service\n  examples: |\n'
        f"    - {known}\n"  # line 5: a copy of training data
        f"    - {known.upper()}!!\n"  # line 6: the same in capitals, with punctuation
        "    - zebraen i kælderen synger om tirsdagen ved kanalen\n"  # line 7: new
        "    - zebraen i kælderen synger om tirsdagen ved kanalen.\n",  # line 8: repeats line 7
        encoding="utf-8",
    )
    assert _dupcheck().duplicate_lines(candidate) == [5, 6, 8]
