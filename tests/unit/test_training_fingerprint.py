"""`make train` retrains when the names the NLU learns from the catalogue change, and only then."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot import nlu_lookups, training
from bot.catalogue import import_catalogue


@pytest.fixture
def lookup_file_restored() -> Iterator[Path]:
    """The generated lookup file is the real one training reads: put it back as it was."""
    path = nlu_lookups.LOOKUP_FILE
    before = path.read_bytes() if path.exists() else None
    try:
        yield path
    finally:
        if before is None:
            path.unlink(missing_ok=True)
        else:
            path.write_bytes(before)


def test_generated_lookups_count_and_the_sample_catalogue_does_not() -> None:
    files = training._training_files()
    assert nlu_lookups.LOOKUP_FILE in files or not nlu_lookups.LOOKUP_FILE.exists()
    assert training.settings.SAMPLE_CATALOGUE not in files


def test_a_catalogue_with_new_names_changes_the_fingerprint(
    lookup_file_restored: Path,
    database_url: str,
    catalogue_data: dict[str, Any],
    write_catalogue: Callable[..., Path],
) -> None:
    nlu_lookups.write_lookups(database_url)
    before = training.fingerprint()
    nlu_lookups.write_lookups(database_url)
    assert training.fingerprint() == before, "the same names must not retrain"

    catalogue_data["houses"][0]["address"]["town"] = "Skærbæk"
    catalogue_data["houses"][0]["services"][0]["name"] = "Vandgymnastik for gigtramte"
    result = import_catalogue(write_catalogue(catalogue_data), url=database_url)
    assert not getattr(result, "errors", None)
    nlu_lookups.write_lookups(database_url)

    written = lookup_file_restored.read_text(encoding="utf-8")
    assert "- Skærbæk" in written and "- Vandgymnastik for gigtramte" in written
    assert training.fingerprint() != before
