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


# -- security: secrets, listening address, allowed web origins ------------------------
# Each secret comes from its environment variable or, when that is unset, from the file
# `python -m bot secrets ensure` (run by `make setup`) writes under var/secrets/ (mode 0600).
SECRETS_DIR = VAR_DIR / "secrets"
RASA_AUTH_TOKEN_VARIABLE = "RASA_AUTH_TOKEN"  # Rasa's HTTP API (?token=...)
ACTION_SERVER_TOKEN_VARIABLE = "ACTION_SERVER_TOKEN"  # Rasa server -> action server
WIDGET_SESSION_SECRET_VARIABLE = "WIDGET_SESSION_SECRET"  # signs the widget's session ids
SECRET_VARIABLES = (RASA_AUTH_TOKEN_VARIABLE, ACTION_SERVER_TOKEN_VARIABLE, WIDGET_SESSION_SECRET_VARIABLE)


def secret_file(variable: str) -> Path:
    """Where setup keeps the secret for `variable` when the environment does not give it."""
    return SECRETS_DIR / variable.lower().replace("_", "-")


def secret(variable: str) -> str | None:
    """The secret from the environment, else from its file under var/secrets/, else None."""
    value = os.environ.get(variable, "").strip()
    if value:
        return value
    try:
        return secret_file(variable).read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def rasa_auth_token() -> str | None:
    return secret(RASA_AUTH_TOKEN_VARIABLE)


def action_server_token() -> str | None:
    return secret(ACTION_SERVER_TOKEN_VARIABLE)


def widget_session_secret() -> str | None:
    return secret(WIDGET_SESSION_SECRET_VARIABLE)


def server_host() -> str:
    """Where the Rasa server and the action server listen; loopback unless BIND_HOST opens them
    (e.g. BIND_HOST=0.0.0.0 in a container behind a reverse proxy)."""
    return os.environ.get("BIND_HOST", "127.0.0.1").strip() or "127.0.0.1"


def allowed_origins(web_port: int | None = None) -> list[str]:
    """Web origins allowed to call Rasa from a browser (CORS and the widget's socket.io).

    CORS_ORIGINS (comma-separated, e.g. `https://www.region.dk`) replaces the default, which
    is the demo page's own origin on WEB_PORT. Never `*`.
    """
    configured = [o.strip().rstrip("/") for o in os.environ.get("CORS_ORIGINS", "").split(",") if o.strip()]
    if configured:
        return [origin for origin in configured if origin != "*"]
    web_port = web_port if web_port is not None else port("WEB_PORT", WEB_PORT_DEFAULT)
    return [f"http://localhost:{web_port}", f"http://127.0.0.1:{web_port}"]


# -- limits on the public routes (REST, socket.io, Teams) --------------------------------
# Rates in the `limits` library's notation ("20/minute", "5 per second").


def rate_limit_per_sender() -> str:
    return os.environ.get("RATE_LIMIT_PER_SENDER", "20/minute")


def rate_limit_per_address() -> str:
    return os.environ.get("RATE_LIMIT_PER_ADDRESS", "120/minute")


def rate_limit_storage() -> str:
    """memory:// (one process) or a Redis URL shared by several processes."""
    return os.environ.get("RATE_LIMIT_STORAGE", "memory://")


MAX_MESSAGE_CHARS_DEFAULT = 10_000


def max_message_chars() -> int:
    """The longest chat message the channels accept."""
    return int(os.environ.get("MAX_MESSAGE_CHARS", MAX_MESSAGE_CHARS_DEFAULT))


def max_body_bytes() -> int:
    """The largest request body a public route accepts (413 above it)."""
    return int(os.environ.get("MAX_BODY_BYTES", 64 * 1024))


# -- retention: how long personal data is kept (defaults: what the privacy texts promise) --


def retention_days(kind: str, default: int) -> int:
    """Days `kind` (CONVERSATION, REGISTRATION, CALLBACK) is kept: env {KIND}_RETENTION_DAYS."""
    return int(os.environ.get(f"{kind}_RETENTION_DAYS", default))


def retention_interval_seconds() -> int:
    """How often the running assistant deletes what is past retention (default hourly)."""
    return int(os.environ.get("RETENTION_INTERVAL_SECONDS", 3600))
