"""Install or build the Danish spaCy pipeline that Rasa's SpacyNLP loads from disk.

Two real paths, one destination (`settings.SPACY_PIPELINE_DIR`, the path in config.yml):
- the trained `da_core_news_sm`, when the package is installed or can be downloaded;
- otherwise an offline pipeline built from what the package registries give:
  spaCy's Danish language data, lemma look-ups from spacy-lookups-data, and an
  entity ruler for Danish place names. It is saved under its own name,
  `da_sundhedshus_offline`, so nobody mistakes it for the trained model.

The offline build keeps only the lemma look-ups whose lemma is the lemma of a word in the
training inputs (bot/nlp/vocabulary.py): every training text gets exactly the lemmas the
full table gives it, and the Rasa server holds ~5,000 look-ups instead of 553,116 (about
150 MB less). A held-out word whose lemma no training word has keeps its own form as lemma;
the count-vector features see an unknown word either way. The training inputs are part of
the build's source hash, so `python -m bot train` rebuilds it when they change.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import subprocess
import sys
from pathlib import Path
from typing import Any

from bot import settings
from bot.danish import spell_out_letters

logger = logging.getLogger(__name__)

REAL_MODEL = "da_core_news_sm"
OFFLINE_NAME = "da_sundhedshus_offline"
OFFLINE_VERSION = "1.1.0"  # 1.1: the lemma table pruned to the training vocabulary
PLACE_LABEL = "LOC"  # the label da_core_news_sm's NER uses for places
LEMMA_TABLE = "lemma_lookup"


def describe(path: Path | None = None) -> dict[str, Any]:
    """What pipeline is saved at `path`: name, version, and whether it is the offline build."""
    path = path or settings.SPACY_PIPELINE_DIR
    meta_file = path / "meta.json"
    if not meta_file.exists():
        return {"installed": False, "path": str(path)}
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    name = f"{meta.get('lang', '?')}_{meta.get('name', '?')}"
    return {
        "installed": True,
        "path": str(path),
        "name": name,
        "version": meta.get("version"),
        "offline": name == OFFLINE_NAME,
        "pipeline": meta.get("pipeline", []),
        "source_hash": meta.get("sundhedshus", {}).get("source_hash"),
        "lemma_forms": meta.get("sundhedshus", {}).get("lemma_forms"),
        "lemma_forms_full": meta.get("sundhedshus", {}).get("lemma_forms_full"),
    }


def summary_line(info: dict[str, Any]) -> str:
    if not info.get("installed"):
        return f"ingen spaCy-pipeline i {info['path']}"
    kind = "OFFLINE-build (ikke den trænede da_core_news_sm)" if info["offline"] else "trænet model"
    line = f"{info['name']} {info['version']} – {kind} – {info['path']}"
    if info.get("lemma_forms") is not None and info.get("lemma_forms_full"):
        line += (
            f" – lemma-opslag: {info['lemma_forms']:,} af {info['lemma_forms_full']:,} ordformer "
            "(kun lemmaer fra træningsdataene)"
        ).replace(",", ".")
    return line


def place_names() -> list[str]:
    """Municipality, town, district and alias names from the place table.

    Towns that are also ordinary Danish words ("Ry", "Lem") are left out: a
    ruler cannot tell them apart, `bot.places` can from the context.
    """
    table = json.loads((settings.PROJECT_ROOT / "bot" / "data" / "places.json").read_text(encoding="utf-8"))
    names = set(table["municipalities"]) | set(table["districts"]) | set(table.get("aliases", {}))
    names |= {name for name, town in table["towns"].items() if not town.get("common_word")}
    return sorted(names)


def _source_hash(names: list[str], vocabulary_digest: str = "") -> str:
    """What a build depends on: the build's version, the place names and (offline) the vocabulary."""
    digest = hashlib.sha256()
    digest.update(OFFLINE_VERSION.encode())
    for name in names:
        digest.update(name.encode("utf-8") + b"\0")
    if vocabulary_digest:
        digest.update(b"vocabulary\0" + vocabulary_digest.encode() + _lookups_data_version().encode())
    return digest.hexdigest()[:16]


def _lookups_data_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("spacy-lookups-data")
    except PackageNotFoundError:
        return "?"


def offline_source_hash(names: list[str] | None = None) -> str:
    """The source hash an offline build of the current training inputs gets."""
    import spacy

    from bot.nlp.vocabulary import digest, training_vocabulary

    names = place_names() if names is None else names
    return _source_hash(names, digest(training_vocabulary(spacy.blank("da").tokenizer)))


def prune_lemma_table(nlp: Any, vocabulary: set[str]) -> tuple[int, int]:
    """Keep the look-ups whose lemma is the lemma of a word in `vocabulary`: (kept, before).

    Every word of the vocabulary keeps its lemma (its own look-up's lemma is kept). The table
    is keyed by string hashes, so it is filtered on the lemmas (the values), in key order:
    the same inputs give the same file.
    """
    from spacy.lookups import Lookups

    lemmatizer = nlp.get_pipe("lemmatizer")
    full = lemmatizer.lookups.get_table(LEMMA_TABLE)
    lemmas = {full.get(word, word) for word in vocabulary}
    pruned = Lookups()
    table = pruned.add_table(LEMMA_TABLE)
    for key in sorted(full.keys()):
        if full[key] in lemmas:
            table.set(key, full[key])
    lemmatizer.lookups = pruned
    return len(table), len(full)


def _place_patterns(names: list[str]) -> list[dict[str, Any]]:
    patterns = []
    for name in names:
        for variant in {name, spell_out_letters(name)}:
            patterns.append({"label": PLACE_LABEL, "pattern": variant, "id": name})
    return patterns


def _add_place_ruler(nlp: Any, names: list[str], before: str | None = None) -> None:
    config = {"phrase_matcher_attr": "LOWER", "overwrite_ents": True}
    kwargs = {"before": before} if before else {}
    ruler = nlp.add_pipe("entity_ruler", name="sundhedshus_places", config=config, **kwargs)
    ruler.add_patterns(_place_patterns(names))


def build_offline(path: Path | None = None) -> Path:
    """Build and save the offline Danish pipeline."""
    import spacy

    path = path or settings.SPACY_PIPELINE_DIR
    names = place_names()
    nlp = spacy.blank("da")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})  # tables from spacy-lookups-data
    nlp.initialize()  # loads the lemma tables; the ruler's patterns are parsed with them
    from bot.nlp.vocabulary import digest, training_vocabulary

    vocabulary = training_vocabulary(nlp.tokenizer)
    kept, full = prune_lemma_table(nlp, vocabulary)
    _add_place_ruler(nlp, names)
    nlp.meta.update(
        {
            "name": OFFLINE_NAME.removeprefix("da_"),
            "version": OFFLINE_VERSION,
            "description": (
                "Offline Danish pipeline for the health-house assistant: spaCy's Danish "
                "language data, lookup lemmas (spacy-lookups-data) and an entity ruler for "
                "Danish places. Not the trained da_core_news_sm."
            ),
            "sundhedshus": {
                "source_hash": _source_hash(names, digest(vocabulary)),
                "lemma_forms": kept,
                "lemma_forms_full": full,
            },
        }
    )
    _save(nlp, path)
    logger.warning(
        "Built the OFFLINE Danish spaCy pipeline %s at %s (%d of %d lemma look-ups: training vocabulary)",
        OFFLINE_NAME, path, kept, full,
    )  # fmt: skip
    return path


def real_model_available() -> bool:
    return importlib.util.find_spec(REAL_MODEL) is not None


def download_real_model(timeout: float = 300) -> bool:
    """`python -m spacy download da_core_news_sm`; False when it cannot be reached."""
    try:
        result = subprocess.run(
            [sys.executable, "-m", "spacy", "download", REAL_MODEL],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        logger.warning("spacy download timed out after %.0f s", timeout)
        return False
    if result.returncode != 0:
        last = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["?"]
        logger.warning("spacy download %s failed: %s", REAL_MODEL, last[0])
        return False
    importlib.invalidate_caches()
    return real_model_available()


def save_real_model(path: Path | None = None) -> Path:
    """Save the installed da_core_news_sm, with the place ruler added, where config.yml looks."""
    import spacy

    path = path or settings.SPACY_PIPELINE_DIR
    names = place_names()
    nlp = spacy.load(REAL_MODEL)
    _add_place_ruler(nlp, names, before="ner" if "ner" in nlp.pipe_names else None)
    nlp.meta.setdefault("sundhedshus", {})["source_hash"] = _source_hash(names)
    _save(nlp, path)
    logger.info("Saved the trained %s pipeline at %s", REAL_MODEL, path)
    return path


def _save(nlp: Any, path: Path) -> None:
    tmp = path.with_name(path.name + ".tmp")
    if tmp.exists():
        import shutil

        shutil.rmtree(tmp)
    tmp.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(tmp)
    if path.exists():
        import shutil

        shutil.rmtree(path)
    tmp.rename(path)


def ensure_pipeline(allow_download: bool = True, path: Path | None = None) -> dict[str, Any]:
    """Make sure a pipeline is at `path`, preferring the trained model. Returns `describe()`."""
    path = path or settings.SPACY_PIPELINE_DIR
    current = describe(path)
    names = place_names()
    wanted_hash = offline_source_hash(names) if current.get("offline") else _source_hash(names)
    up_to_date = current.get("installed") and current.get("source_hash") == wanted_hash
    # An offline build is replaced as soon as the real model is available.
    if up_to_date and (not current["offline"] or not real_model_available()):
        return current
    if not real_model_available() and allow_download:
        logger.info("Trying to download %s ...", REAL_MODEL)
        download_real_model()
    if real_model_available():
        save_real_model(path)
    else:
        logger.warning(
            "%s could not be installed (no access to its download). Using the offline build %s.",
            REAL_MODEL,
            OFFLINE_NAME,
        )
        build_offline(path)
    return describe(path)
