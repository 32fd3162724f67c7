"""`python -m bot web`: the demo page with the chat widget (aiohttp)."""

from __future__ import annotations

import argparse
import sys

from bot import settings


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "web",
        help="start demosiden med chat-widgetten",
        description="Starter demosiden med chat-widgetten. Widgetten forbinder til Rasas socket.io-kanal.",
    )
    parser.add_argument(
        "--host",
        default=settings.web_host(),
        help=f"adressen, serveren lytter på (env WEB_HOST; standard {settings.WEB_HOST_DEFAULT})",
    )
    parser.add_argument(
        "--port", type=int, default=None, help=f"porten (env WEB_PORT; standard {settings.WEB_PORT_DEFAULT})"
    )
    parser.add_argument(
        "--rasa-url",
        default=None,
        help=f"Rasa-serverens adresse (env RASA_URL; standard {settings.RASA_URL_DEFAULT})",
    )
    parser.set_defaults(func=run_web)


def run_web(args: argparse.Namespace) -> int:
    from bot.web import server

    rasa_url = args.rasa_url or server.rasa_url_from_env()
    try:
        port = args.port if args.port is not None else settings.web_port()
    except ValueError:
        print(f"WEB_PORT skal være et portnummer, fx {settings.WEB_PORT_DEFAULT}.", file=sys.stderr)
        return 2
    try:
        server.validated_rasa_url(rasa_url)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    try:
        server.run(args.host, port, rasa_url)
    except OSError as error:
        print(f"Kunne ikke starte demosiden på {args.host}:{port}: {error.strerror}", file=sys.stderr)
        return 1
    return 0
