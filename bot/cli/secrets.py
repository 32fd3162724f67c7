"""`python -m bot secrets ensure`: create the API token and the other secrets under var/secrets/."""

from __future__ import annotations

import argparse

from bot import settings
from bot.server_secrets import ensure_secrets


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("secrets", help="opret API-token og andre hemmeligheder i var/secrets/")
    actions = parser.add_subparsers(dest="secrets_command", required=True)
    ensure = actions.add_parser("ensure", help="opret de hemmeligheder, der mangler (andre røres ikke)")
    ensure.set_defaults(func=_ensure)


def _ensure(args: argparse.Namespace) -> int:
    for path in ensure_secrets():
        print(f"setup: created {path} (mode 0600).")
    token_file = settings.secret_file(settings.RASA_AUTH_TOKEN_VARIABLE)
    if settings.rasa_auth_token() and not token_file.exists():
        print(f"setup: Rasa's HTTP API token comes from {settings.RASA_AUTH_TOKEN_VARIABLE}.")
    else:
        print(
            f"setup: Rasa's HTTP API needs ?token=...; the token is in {token_file} "
            f"(or set {settings.RASA_AUTH_TOKEN_VARIABLE})."
        )
    return 0
