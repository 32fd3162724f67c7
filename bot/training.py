"""Train a model only when none is current for the data, config, domain and spaCy pipeline."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bot import settings
from bot.nlp.pipeline import describe

TRAINING_INPUTS = ("config.yml", "domain.yml", "data")
MODELS_DIR = settings.PROJECT_ROOT / "models"
# The sample catalogue is content, not training data: the NLU sees the catalogue only through the
# lookup tables written from the database (data/nlu/lookups/catalogue.yml), and those DO count.
NOT_TRAINING_DATA = (settings.SAMPLE_CATALOGUE,)


def _training_files() -> list[Path]:
    files: list[Path] = []
    for name in TRAINING_INPUTS:
        path = settings.PROJECT_ROOT / name
        if path.is_dir():
            files += sorted(p for p in path.rglob("*.yml") if p not in NOT_TRAINING_DATA)
        elif path.exists():
            files.append(path)
    return files


def fingerprint() -> str:
    """A hash of everything a trained model depends on."""
    digest = hashlib.sha256()
    for path in _training_files():
        digest.update(str(path.relative_to(settings.PROJECT_ROOT)).encode())
        digest.update(path.read_bytes())
    pipeline = describe()
    digest.update(f"{pipeline.get('name')}:{pipeline.get('version')}:{pipeline.get('source_hash')}".encode())
    return digest.hexdigest()[:12]


def current_model_path() -> Path:
    return MODELS_DIR / f"sundhedshus-{fingerprint()}.tar.gz"


def train_if_needed(force: bool = False) -> Path:
    """Train unless a model for the current inputs exists; return its path.

    The lookup tables are written from the catalogue first, so new names count; then the
    spaCy pipeline is brought up to date (the offline build's lemma table follows the
    training vocabulary, bot/nlp/vocabulary.py), without trying to download anything.
    """
    from bot.nlp.pipeline import ensure_pipeline
    from bot.nlu_lookups import write_lookups

    write_lookups()
    ensure_pipeline(allow_download=False)
    target = current_model_path()
    if target.exists() and not force:
        print(f"Model is current: {target.relative_to(settings.PROJECT_ROOT)}")
        return target
    print(f"Training {target.name} (this takes a few minutes) ...", flush=True)
    rasa = Path(sys.executable).parent / "rasa"
    # Train into a private folder and move the finished file in, so a server or a test
    # that looks at models/ never loads a half-written model.
    MODELS_DIR.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".training-", dir=MODELS_DIR) as work:
        subprocess.run(
            [
                str(rasa), "train",
                "--config", "config.yml", "--domain", "domain.yml", "--data", "data",
                "--out", work, "--fixed-model-name", target.name.removesuffix(".tar.gz"),
            ],
            cwd=settings.PROJECT_ROOT,
            check=True,
        )  # fmt: skip
        os.replace(Path(work) / target.name, target)
    prune_old_models()
    return target


def prune_old_models(keep: int = 3) -> None:
    """Models are large; keep the newest few."""
    models = sorted(MODELS_DIR.glob("sundhedshus-*.tar.gz"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in models[keep:]:
        old.unlink(missing_ok=True)
