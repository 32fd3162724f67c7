"""Install or build the Danish spaCy pipeline that Rasa's SpacyNLP loads from disk.

Two real paths, one destination (`settings.SPACY_PIPELINE_DIR`, the path in config.yml):
- the trained `da_core_news_sm`, when the package is installed or can be downloaded;
- otherwise an offline pipeline built from what the package registries give:
  spaCy's Danish language data, lemma look-ups from spacy-lookups-data, and an
  entity ruler for Danish place names. It is saved under its own name,
  `da_sundhedshus_offline`, so nobody mistakes it for the trained model.
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
OFFLINE_VERSION = "1.0.0"
PLACE_LABEL = "LOC"  # the label da_core_news_sm's NER uses for places


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
    }


def summary_line(info: dict[str, Any]) -> str:
    if not info.get("installed"):
        return f"ingen spaCy-pipeline i {info['path']}"
    kind = "OFFLINE-build (ikke den trænede da_core_news_sm)" if info["offline"] else "trænet model"
    return f"{info['name']} {info['version']} – {kind} – {info['path']}"


def place_names() -> list[str]:
    """Municipality, town, district and alias names from the place table.

    Towns that are also ordinary Danish words ("Ry", "Lem") are left out: a
    ruler cannot tell them apart, `bot.places` can from the context.
    """
    table = json.loads((settings.PROJECT_ROOT / "bot" / "data" / "places.json").read_text(encoding="utf-8"))
    names = set(table["municipalities"]) | set(table["districts"]) | set(table.get("aliases", {}))
    names |= {name for name, town in table["towns"].items() if not town.get("common_word")}
    return sorted(names)


def _source_hash(names: list[str]) -> str:
    digest = hashlib.sha256()
    digest.update(OFFLINE_VERSION.encode())
    for name in names:
        digest.update(name.encode("utf-8") + b"\0")
    return digest.hexdigest()[:16]


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
            "sundhedshus": {"source_hash": _source_hash(names)},
        }
    )
    _save(nlp, path)
    logger.warning("Built the OFFLINE Danish spaCy pipeline %s at %s", OFFLINE_NAME, path)
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
    wanted_hash = _source_hash(place_names())
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
