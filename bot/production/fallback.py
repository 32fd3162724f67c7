"""The stand-in action server nginx calls when no action server answers (production profile).

Rasa 3.6 says nothing at all when its action server fails. In the production profile Rasa
calls the action servers through nginx; when none of them answers (or one fails with 5xx),
nginx passes the same request here, and this answers in the action server's format with a
short Danish apology and a number to call (bot.production.outage). It needs the same shared
secret as the action servers and listens on loopback only.

    python -m bot.production.fallback --port 5099
"""

from __future__ import annotations

import argparse
import hmac
import logging
import sys

from aiohttp import web

from bot import settings
from bot.production import outage

logger = logging.getLogger("bot.production.fallback")


def create_app(token: str, database_url: str | None = None) -> web.Application:
    if not token:
        raise ValueError("The fallback needs the shared secret (ACTION_SERVER_TOKEN).")

    async def health(_request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def webhook(request: web.Request) -> web.Response:
        if not hmac.compare_digest(request.query.get("token", "").encode(), token.encode()):
            return web.json_response({"error": "Adgang nægtet."}, status=401)
        try:
            body = await request.json()
            slots = (body.get("tracker") or {}).get("slots") or {}
            action = body.get("next_action")
        except Exception:  # noqa: BLE001 - a broken body still gets the general apology
            slots, action = {}, None
        logger.error("Ingen action-server svarede på %s: svarer med en undskyldning.", action)
        text = outage.apology(slots if isinstance(slots, dict) else {}, database_url)
        return web.json_response(outage.action_response(text))

    app = web.Application(client_max_size=16 * 1024 * 1024)
    app.router.add_get("/health", health)
    app.router.add_post("/webhook", webhook)
    return app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Nødsvar, når ingen action-server svarer")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args(argv)
    token = settings.action_server_token()
    if not token:
        print(f"fallback: {settings.ACTION_SERVER_TOKEN_VARIABLE} mangler.", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    web.run_app(create_app(token), host=args.host, port=args.port, access_log=None, print=None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
