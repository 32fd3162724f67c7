"""The action server: rasa_sdk's own Sanic app, closed to callers without the shared secret.

rasa-sdk 3.6 accepts any request. Rasa's `action_endpoint` sends its `token` (endpoints.yml:
ACTION_SERVER_TOKEN) as the query parameter `?token=...`; this wrapper refuses every call
except `/health` that does not carry it, and listens on loopback unless BIND_HOST says otherwise.

It is also the process that always runs, so it schedules the retention job (APScheduler,
which comes with Rasa): every RETENTION_INTERVAL_SECONDS, and once at start, it deletes
conversations, registrations and call-backs past their retention period (bot.retention).
With several action servers on one PostgreSQL database, one runs it at a time (an advisory
lock, bot.retention.purge_expired_once); the others skip that run.

    python -m rasa_adapters.action_server --port 5055 --actions actions
"""

from __future__ import annotations

import argparse
import hmac
import logging
import sys
from datetime import datetime, timezone

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from rasa_sdk import utils
from rasa_sdk.constants import DEFAULT_SERVER_PORT
from rasa_sdk.endpoint import create_app as create_sdk_app
from sanic import Sanic, response
from sanic.request import Request

from bot import retention, settings

logger = logging.getLogger(__name__)

OPEN_PATHS = frozenset({"/health"})
TOKEN_PARAMETER = "token"  # Rasa's EndpointConfig default token_name


def presented_token(request: Request) -> str:
    """The secret the caller sent: `?token=` (what Rasa sends) or `Authorization: Bearer`."""
    token = request.args.get(TOKEN_PARAMETER)
    if token:
        return token
    scheme, _, value = (request.headers.get("Authorization") or "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def create_app(actions_package: str, token: str) -> Sanic:
    """rasa_sdk's app with the secret check in front; `token` must not be empty."""
    if not token:
        raise ValueError("The action server needs a shared secret (ACTION_SERVER_TOKEN).")
    app = create_sdk_app(actions_package, cors_origins="")  # no browser ever calls it: no CORS

    @app.middleware("request")
    async def require_shared_secret(request: Request) -> response.HTTPResponse | None:
        if request.path in OPEN_PATHS:
            return None
        if hmac.compare_digest(presented_token(request).encode(), token.encode()):
            return None
        logger.warning("Action server: call to %s without the right token refused.", request.path)
        return response.json({"error": "Adgang nægtet."}, status=401)

    # rasa_sdk's own handler echoes the request body (a whole tracker) in the 500 answer.
    @app.exception(Exception)
    async def internal_error(request: Request, exception: Exception) -> response.HTTPResponse:
        logger.error("Action server: error while handling %s", request.path, exc_info=exception)
        return response.json({"error": "Intern fejl i action-serveren."}, status=500)

    return app


def purge_expired_data() -> None:
    """The scheduled job: never raises, so one failure does not stop the next run."""
    try:
        deleted = retention.purge_expired_once()
    except Exception:  # noqa: BLE001 - logged; the next run tries again
        logger.exception("Retention: deleting expired personal data failed")
        return
    if deleted is None:
        logger.info("Retention: another action server is deleting expired data now; skipped this run.")
        return
    logger.info("Retention: deleted %s past their retention period.", deleted)


def schedule_retention(app: Sanic, interval_seconds: int) -> None:
    """Run `purge_expired_data` at start and then every `interval_seconds`, while the server runs."""

    @app.listener("after_server_start")
    async def start_scheduler(app: Sanic, loop: object) -> None:
        scheduler = AsyncIOScheduler(event_loop=loop, timezone="UTC")
        scheduler.add_job(
            purge_expired_data,
            "interval",
            seconds=interval_seconds,
            next_run_time=datetime.now(timezone.utc),
            id="retention",
            coalesce=True,
            max_instances=1,
        )
        scheduler.start()
        app.ctx.retention_scheduler = scheduler

    @app.listener("before_server_stop")
    async def stop_scheduler(app: Sanic, loop: object) -> None:
        scheduler = getattr(app.ctx, "retention_scheduler", None)
        if scheduler is not None:
            scheduler.shutdown(wait=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Action server (rasa-sdk) with a shared-secret check")
    parser.add_argument("--port", type=int, default=DEFAULT_SERVER_PORT)
    parser.add_argument("--actions", default="actions")
    parser.add_argument("--host", default=None, help="listening address (default: BIND_HOST or 127.0.0.1)")
    parser.add_argument("--loglevel", default="INFO")
    args = parser.parse_args(argv)

    token = settings.action_server_token()
    if not token:
        print(
            f"action-server: {settings.ACTION_SERVER_TOKEN_VARIABLE} mangler; "
            "kør `python -m bot secrets ensure` eller sæt variablen.",
            file=sys.stderr,
        )
        return 2
    utils.configure_colored_logging(args.loglevel)
    utils.update_sanic_log_level()
    from bot.privacy import install_log_filter

    install_log_filter()
    app = create_app(args.actions, token)
    schedule_retention(app, settings.retention_interval_seconds())
    host = args.host or settings.server_host()
    logger.info("Action server on http://%s:%s (calls need the shared secret)", host, args.port)
    app.run(host, args.port, workers=1, access_log=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
