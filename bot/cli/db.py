"""`python -m bot db upgrade|current`: the services database's schema."""

from __future__ import annotations

import argparse
import sys

from sqlalchemy.exc import SQLAlchemyError

from bot import migrate
from bot.db import get_engine


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("db", help="databasens skema (migreringer)")
    commands = parser.add_subparsers(dest="db_command", required=True)
    upgrade = commands.add_parser("upgrade", help="opdater databasen til nyeste skema")
    upgrade.add_argument("--revision", default="head", help="mål-revision (standard: head)")
    upgrade.set_defaults(func=run_upgrade)
    current = commands.add_parser("current", help="vis databasens nuværende skema-revision")
    current.set_defaults(func=run_current)


def _database_label() -> str:
    return get_engine().url.render_as_string(hide_password=True)


def run_upgrade(args: argparse.Namespace) -> int:
    try:
        revision = migrate.upgrade(revision=args.revision)
    except SQLAlchemyError as error:
        print(
            f"Databasen kunne ikke opdateres ({_database_label()}): {error.__class__.__name__}: {error}",
            file=sys.stderr,
        )
        return 1
    print(f"Databasen er opdateret til skema-revision {revision} ({_database_label()}).")
    return 0


def run_current(_args: argparse.Namespace) -> int:
    try:
        revision = migrate.current_revision()
    except SQLAlchemyError as error:
        print(f"Databasen kunne ikke læses ({_database_label()}): {error}", file=sys.stderr)
        return 1
    head = migrate.head_revision()
    if revision is None:
        print(f"Databasen har intet skema endnu; kør `python -m bot db upgrade` (nyeste: {head}).")
    elif revision == head:
        print(f"Databasen har nyeste skema-revision {revision}.")
    else:
        print(f"Databasen har skema-revision {revision}; nyeste er {head}. Kør `python -m bot db upgrade`.")
    return 0
