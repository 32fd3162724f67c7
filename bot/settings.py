"""Everything the project reads from the environment, in one place.

No other module reads `os.environ` (tests/unit/test_architecture.py checks it);
they call the functions here, which read the environment when called, so a
changed variable counts at once. Defaults live here and nowhere else (the
Makefile, bot/stack.py and rasa_adapters/shell.py ask this module).
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
# Memory of the servers we start (docs/benchmarks.md, "Memory"): glibc otherwise gives each
# thread that allocates its own malloc arena (up to 8 per core), where freed memory stays
# resident. Two arenas: 11 MB less for the Rasa server in our measurement (small, kept: no cost).
SERVER_RUNTIME = {"MALLOC_ARENA_MAX": "2"}
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
    return {**QUIET_TOOLS, **SERVER_RUNTIME, "PYTHONPATH": str(PROJECT_ROOT), **os.environ}


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


def model_override() -> Path | None:
    """A model chosen by RASA_MODEL instead of the current one (`make shell`)."""
    value = _get("RASA_MODEL")
    return Path(value) if value else None


def shell_log_dir() -> Path:
    """Where `make shell` writes its servers' logs, shell-*.log (SHELL_LOG_DIR)."""
    value = _get("SHELL_LOG_DIR")
    return Path(value) if value else LOG_DIR


def spacy_offline() -> bool:
    """BOT_SPACY_OFFLINE=1: never download the Danish spaCy pipeline, build the offline one."""
    return _get("BOT_SPACY_OFFLINE") == "1"


def bot_framework_environment() -> dict[str, str]:
    """The Bot Framework variables that are set (BOT_FRAMEWORK_VARIABLES)."""
    return {name: value for name in BOT_FRAMEWORK_VARIABLES if (value := _get(name))}


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
    value = (_get(variable) or "").strip()
    if value:
        return value
    try:
        return secret_file(variable).read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def rasa_auth_token() -> str | None:
    """The token Rasa's HTTP API requires: RASA_AUTH_TOKEN, else the file setup wrote."""
    return secret(RASA_AUTH_TOKEN_VARIABLE)


def action_server_token() -> str | None:
    return secret(ACTION_SERVER_TOKEN_VARIABLE)


def widget_session_secret() -> str | None:
    return secret(WIDGET_SESSION_SECRET_VARIABLE)


def server_host() -> str:
    """Where the Rasa server and the action server listen; loopback unless BIND_HOST opens them
    (e.g. BIND_HOST=0.0.0.0 in a container behind a reverse proxy)."""
    return (_get("BIND_HOST") or "127.0.0.1").strip() or "127.0.0.1"


def allowed_origins(web_port: int | None = None) -> list[str]:
    """Web origins allowed to call Rasa from a browser (CORS and the widget's socket.io).

    CORS_ORIGINS (comma-separated, e.g. `https://www.region.dk`) replaces the default, which
    is the demo page's own origin on WEB_PORT. Never `*`.
    """
    configured = [o.strip().rstrip("/") for o in (_get("CORS_ORIGINS") or "").split(",") if o.strip()]
    if configured:
        return [origin for origin in configured if origin != "*"]
    web_port = web_port if web_port is not None else port("WEB_PORT", WEB_PORT_DEFAULT)
    return [f"http://localhost:{web_port}", f"http://127.0.0.1:{web_port}"]


# -- limits on the public routes (REST, socket.io, Teams) --------------------------------
# Rates in the `limits` library's notation ("20/minute", "5 per second").


def rate_limit_per_sender() -> str:
    return _get("RATE_LIMIT_PER_SENDER") or "20/minute"


def rate_limit_per_address() -> str:
    return _get("RATE_LIMIT_PER_ADDRESS") or "120/minute"


def rate_limit_storage() -> str:
    """memory:// (one process) or a Redis URL shared by several processes."""
    return _get("RATE_LIMIT_STORAGE") or "memory://"


MAX_MESSAGE_CHARS_DEFAULT = 10_000


def max_message_chars() -> int:
    """The longest chat message the channels accept."""
    return int(_get("MAX_MESSAGE_CHARS") or MAX_MESSAGE_CHARS_DEFAULT)


def max_body_bytes() -> int:
    """The largest request body a public route accepts (413 above it)."""
    return int(_get("MAX_BODY_BYTES") or 64 * 1024)


# -- retention: how long personal data is kept (defaults: what the privacy texts promise) --


def retention_days(kind: str, default: int) -> int:
    """Days `kind` (CONVERSATION, REGISTRATION, CALLBACK) is kept: env {KIND}_RETENTION_DAYS."""
    return int(_get(f"{kind}_RETENTION_DAYS") or default)


def data_controller_name() -> str | None:
    """Who is responsible for the personal data (env DATA_CONTROLLER_NAME); None: not configured."""
    return _get("DATA_CONTROLLER_NAME")


def data_controller_contact() -> str | None:
    """How to reach the data controller, e.g. an e-mail address (env DATA_CONTROLLER_CONTACT)."""
    return _get("DATA_CONTROLLER_CONTACT")


def retention_interval_seconds() -> int:
    """How often the running assistant deletes what is past retention (default hourly)."""
    return int(_get("RETENTION_INTERVAL_SECONDS") or 3600)


# -- the production profile (`make run-prod`, `python -m bot run --production`) --------------
# PostgreSQL, Redis, N Rasa servers and N action servers behind nginx, all on loopback.
PROD_INSTANCES_DEFAULT = 2
PROD_PUBLIC_PORT_DEFAULT = 8080


def prod_dir() -> Path:
    """Where the production profile keeps its state (databases, configs, logs): PROD_DIR."""
    value = _get("PROD_DIR")
    return Path(value) if value else VAR_DIR / "prod"


def prod_instances() -> int:
    """How many Rasa servers and how many action servers the production profile runs (PROD_INSTANCES)."""
    return int(_get("PROD_INSTANCES") or PROD_INSTANCES_DEFAULT)


def prod_public_port() -> int:
    """The one public port of the production profile: nginx (PROD_PUBLIC_PORT)."""
    return port("PROD_PUBLIC_PORT", PROD_PUBLIC_PORT_DEFAULT)


def postgres_bindir() -> Path | None:
    """Where PostgreSQL's initdb and postgres are (PG_BINDIR); None: look them up."""
    value = _get("PG_BINDIR")
    return Path(value) if value else None
