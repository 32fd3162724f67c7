"""Everything the project reads from the environment, in one place.

No other module reads `os.environ` (tests/unit/test_architecture.py checks it);
they call the functions here, which read the environment when called, so a
changed variable counts at once. Defaults live here and nowhere else (the
Makefile, bot/stack.py and scripts/shell.sh ask this module).
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("BOT_VAR_DIR", PROJECT_ROOT / "var"))
DATA_DIR = PROJECT_ROOT / "data"
SAMPLE_CATALOGUE = DATA_DIR / "catalogue.yml"
SPACY_PIPELINE_DIR = VAR_DIR / "spacy" / "da_pipeline"
LOG_DIR = VAR_DIR / "logs"

ACTION_PORT_DEFAULT = 5055
RASA_PORT_DEFAULT = 5005
WEB_PORT_DEFAULT = 8000
WEB_HOST_DEFAULT = "127.0.0.1"
RASA_URL_DEFAULT = f"http://localhost:{RASA_PORT_DEFAULT}"
TIMEZONE = "Europe/Copenhagen"

# Library noise off unless the environment says otherwise (TensorFlow's C++ log,
# Rasa's telemetry, SQLAlchemy 2.0 migration warnings).
QUIET_TOOLS = {
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "RASA_TELEMETRY_ENABLED": "false",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
}
# The Bot Framework channel's credentials, read when credentials.yml leaves them out.
BOT_FRAMEWORK_VARIABLES = (
    "MICROSOFT_APP_ID", "MICROSOFT_APP_PASSWORD", "MICROSOFT_APP_TENANT_ID", "MICROSOFT_APP_TYPE",
)  # fmt: skip


def _get(name: str) -> str | None:
    """The variable's value, None when unset or empty."""
    return os.environ.get(name) or None


def quiet_tools_by_default() -> None:
    """Put QUIET_TOOLS into this process's environment where it says nothing (before Rasa is imported)."""
    for name, value in QUIET_TOOLS.items():
        os.environ.setdefault(name, value)


def child_environment() -> dict[str, str]:
    """The environment a server started by us gets: ours, with the defaults above filled in."""
    return {**QUIET_TOOLS, "PYTHONPATH": str(PROJECT_ROOT), **os.environ}


# ------------------------------------------------------------------------ databases


def database_url() -> str:
    """The services database; an embedded SQLite file unless DATABASE_URL says otherwise."""
    url = _get("DATABASE_URL")
    if url:
        return url
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{VAR_DIR / 'sundhedshuse.db'}"


def tracker_db_dialect() -> str:
    """Rasa's conversation store dialect (endpoints.yml TRACKER_DB_DIALECT); SQLite by default."""
    return _get("TRACKER_DB_DIALECT") or "sqlite"


def tracker_db() -> str:
    """Rasa's conversation store database (endpoints.yml TRACKER_DB): for SQLite a file."""
    return _get("TRACKER_DB") or str(VAR_DIR / "tracker.db")


def tracker_store_url() -> str:
    """The conversation store as a database URL: TRACKER_DB_URL, else the SQLite file TRACKER_DB."""
    url = _get("TRACKER_DB_URL")
    if url:
        return url
    if tracker_db_dialect() == "sqlite":
        return f"sqlite:///{Path(tracker_db()).expanduser().resolve()}"
    return f"sqlite:///{VAR_DIR / 'tracker.db'}"


# ----------------------------------------------------------------- ports and servers


def port(name: str, default: int) -> int:
    """A port from the variable `name`; ValueError when it is not a number."""
    return int(_get(name) or default)


def action_port() -> int:
    return port("ACTION_PORT", ACTION_PORT_DEFAULT)


def rasa_port() -> int:
    return port("RASA_PORT", RASA_PORT_DEFAULT)


def web_port() -> int:
    return port("WEB_PORT", WEB_PORT_DEFAULT)


def rasa_shell_port() -> int:
    """`make shell`'s own Rasa server: RASA_SHELL_PORT, else the port after RASA_PORT."""
    return port("RASA_SHELL_PORT", rasa_port() + 1)


def web_host() -> str:
    return _get("WEB_HOST") or WEB_HOST_DEFAULT


def rasa_url() -> str:
    """The Rasa server the web page's widget connects to (RASA_URL)."""
    return _get("RASA_URL") or RASA_URL_DEFAULT


def rasa_auth_token() -> str | None:
    """The token Rasa's HTTP API requires (RASA_AUTH_TOKEN), if any."""
    return _get("RASA_AUTH_TOKEN")


def model_override() -> Path | None:
    """A model chosen by RASA_MODEL instead of the current one (`make shell`)."""
    value = _get("RASA_MODEL")
    return Path(value) if value else None


def shell_log_dir() -> Path:
    """Where `make shell` writes its action server's log (SHELL_LOG_DIR)."""
    value = _get("SHELL_LOG_DIR")
    return Path(value) if value else LOG_DIR


def spacy_offline() -> bool:
    """BOT_SPACY_OFFLINE=1: never download the Danish spaCy pipeline, build the offline one."""
    return _get("BOT_SPACY_OFFLINE") == "1"


def bot_framework_environment() -> dict[str, str]:
    """The Bot Framework variables that are set (BOT_FRAMEWORK_VARIABLES)."""
    return {name: value for name in BOT_FRAMEWORK_VARIABLES if (value := _get(name))}
