"""`python -m bot setup-data`: migrate the database; load the sample catalogue into an empty one."""

from __future__ import annotations

import argparse

from sqlalchemy import func, select

from bot import migrate, settings
from bot.db import get_engine, session_scope
from bot.models import House


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "setup-data", help="opdatér databasens skema og indlæs eksempelkataloget i en tom database"
    )
    parser.set_defaults(func=_setup_data)


def _setup_data(args: argparse.Namespace) -> int:
    from bot.catalogue import import_catalogue

    migrate.upgrade()
    label = get_engine().url.render_as_string(hide_password=True)
    with session_scope() as session:
        houses = session.execute(select(func.count()).select_from(House)).scalar_one()
    if houses:
        print(f"setup: database {label} has {houses} houses; the catalogue is left as it is.")
        return 0
    result = import_catalogue(settings.SAMPLE_CATALOGUE)
    if getattr(result, "errors", None):
        for error in result.errors:
            print(f"{error.where}: {error.what}")
        return 2
    print(f"setup: loaded the sample catalogue {settings.SAMPLE_CATALOGUE.name} into {label}.")
    return 0
