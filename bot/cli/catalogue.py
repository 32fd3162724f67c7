"""`python -m bot catalogue import|export|validate`: the services catalogue (see the catalogue format).

Exit status: 0 done, 2 the catalogue is invalid (nothing changed), 1 the database failed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from bot.catalogue import CatalogueInvalid, export_catalogue, import_catalogue, validate_catalogue
from bot.catalogue_schema import CatalogueError
from bot.migrate import ensure_schema

EXIT_INVALID = 2
EXIT_DATABASE = 1


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("catalogue", help="servicekataloget: indlæs, eksporter, kontroller")
    commands = parser.add_subparsers(dest="catalogue_command", required=True)

    load = commands.add_parser("import", help="kontroller og indlæs et katalog (alt eller intet)")
    load.add_argument("path", type=Path, help="katalogfil (YAML)")
    load.add_argument(
        "--replace",
        action="store_true",
        help="fjern huse, services og arrangementer som filen ikke nævner "
        "(arrangementer med tilmeldinger aflyses i stedet)",
    )
    load.set_defaults(func=run_import)

    export = commands.add_parser("export", help="skriv databasens indhold som katalog")
    export.add_argument("path", type=Path, nargs="?", help="fil at skrive til (standard: skærmen)")
    export.set_defaults(func=run_export)

    validate = commands.add_parser("validate", help="kontroller et katalog uden at ændre databasen")
    validate.add_argument("path", type=Path, help="katalogfil (YAML)")
    validate.add_argument("--replace", action="store_true", help="kontroller som til import med --replace")
    validate.set_defaults(func=run_validate)


def _print_errors(errors: list[CatalogueError], heading: str) -> None:
    count = "1 fejl" if len(errors) == 1 else f"{len(errors)} fejl"
    print(f"{heading} ({count}):", file=sys.stderr)
    for error in errors:
        print(f"  {error}", file=sys.stderr)


def _database_failed(error: SQLAlchemyError) -> int:
    print(
        f"Databasen kunne ikke bruges: {error.__class__.__name__}. Tjek DATABASE_URL og at databasen kører.",
        file=sys.stderr,
    )
    return EXIT_DATABASE


def run_import(args: argparse.Namespace) -> int:
    try:
        ensure_schema()
        result = import_catalogue(args.path, replace=args.replace)
    except CatalogueInvalid as invalid:
        _print_errors(invalid.errors, f"Kataloget {args.path} blev ikke indlæst; intet er ændret")
        return EXIT_INVALID
    except SQLAlchemyError as error:
        return _database_failed(error)
    print(result.summary())
    return 0


def run_export(args: argparse.Namespace) -> int:
    try:
        ensure_schema()
        text = export_catalogue()
    except SQLAlchemyError as error:
        return _database_failed(error)
    if args.path is None:
        sys.stdout.write(text)
        return 0
    try:
        args.path.write_text(text, encoding="utf-8")
    except OSError as error:
        print(f"Kunne ikke skrive {args.path}: {error.strerror}", file=sys.stderr)
        return EXIT_DATABASE
    print(f"Kataloget er skrevet til {args.path}.", file=sys.stderr)
    return 0


def run_validate(args: argparse.Namespace) -> int:
    try:
        errors = validate_catalogue(args.path, replace=args.replace)
    except SQLAlchemyError as error:
        return _database_failed(error)
    if errors:
        _print_errors(errors, f"Kataloget {args.path} er ugyldigt")
        return EXIT_INVALID
    print(f"Kataloget {args.path} er gyldigt.")
    return 0
