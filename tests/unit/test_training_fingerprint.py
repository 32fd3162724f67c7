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


def _import_with_the_cli(path: Path, database_url: str) -> None:
    """`python -m bot catalogue import PATH --replace`, as staff run it, on this test's database."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, DATABASE_URL=database_url)
    done = subprocess.run(
        [sys.executable, "-m", "bot", "catalogue", "import", str(path), "--replace"],
        cwd=training.settings.PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_renamed_house_retrains_and_the_same_catalogue_again_does_not(
    lookup_file_restored: Path, database_url: str, tmp_path: Path
) -> None:
    from tests.five_regions import HOUSES, catalogue_text

    first = tmp_path / "five-regions.yml"
    first.write_text(catalogue_text(), encoding="utf-8")
    _import_with_the_cli(first, database_url)
    nlu_lookups.write_lookups(database_url)
    before = training.fingerprint()
    assert "- Kildebrohuset" in lookup_file_restored.read_text(encoding="utf-8")

    _import_with_the_cli(first, database_url)  # the same names again: the model stays current
    nlu_lookups.write_lookups(database_url)
    assert training.fingerprint() == before

    renamed = dict(HOUSES)
    renamed["test-kildebro"] = ("Kildevældhuset", *HOUSES["test-kildebro"][1:])  # only a house's name
    second = tmp_path / "renamed.yml"
    second.write_text(catalogue_text(renamed), encoding="utf-8")
    _import_with_the_cli(second, database_url)
    nlu_lookups.write_lookups(database_url)
    written = lookup_file_restored.read_text(encoding="utf-8")
    assert "- Kildevældhuset" in written and "- Kildebrohuset" not in written
    assert training.fingerprint() != before


def test_house_names_are_no_nlu_feature_and_house_words_no_service(
    lookup_file_restored: Path,
    database_url: str,
    catalogue_data: dict[str, Any],
    write_catalogue: Callable[..., Path],
) -> None:
    """House names as a lookup table made DIET tag house words as `service` (docs/nlu.md)."""
    import yaml

    services = catalogue_data["houses"][0]["services"]
    services[0]["name"] = "Sundhedscentret"
    services[1]["name"] = "Helsingør Kommunes genoptræningscenter"
    catalogue_data["houses"][1]["services"][0]["name"] = "Vandgymnastik for gigtramte"
    result = import_catalogue(write_catalogue(catalogue_data), url=database_url)
    assert not getattr(result, "errors", None)
    nlu_lookups.write_lookups(database_url)

    written = lookup_file_restored.read_text(encoding="utf-8")
    tables = {block["lookup"]: block["examples"] for block in yaml.safe_load(written)["nlu"]}
    assert set(tables) == {"place", "service"}
    assert "- Vandgymnastik for gigtramte" in tables["service"]
    assert "Sundhedscentret" not in tables["service"] and "genoptræningscenter" not in tables["service"]
    house = catalogue_data["houses"][0]["name"]
    assert f"#   - {house}" in written  # still seen by the fingerprint
