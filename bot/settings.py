"""Everything the project reads from the environment, in one place."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("BOT_VAR_DIR", PROJECT_ROOT / "var"))
DATA_DIR = PROJECT_ROOT / "data"
SAMPLE_CATALOGUE = DATA_DIR / "catalogue.yml"
SPACY_PIPELINE_DIR = VAR_DIR / "spacy" / "da_pipeline"


def database_url() -> str:
    """The services database; an embedded SQLite file unless DATABASE_URL says otherwise."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{VAR_DIR / 'sundhedshuse.db'}"


def tracker_store_url() -> str:
    """Rasa's conversation store; a separate SQLite file by default."""
    return os.environ.get("TRACKER_DB_URL", f"sqlite:///{VAR_DIR / 'tracker.db'}")


def port(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


ACTION_PORT_DEFAULT = 5055
RASA_PORT_DEFAULT = 5005
WEB_PORT_DEFAULT = 8000
TIMEZONE = "Europe/Copenhagen"
