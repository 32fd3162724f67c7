"""`python -m bot report`: conversations, share answered, questions not understood, call-backs."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from bot.cli._table import database_errors_in_danish
from bot.report import ReportError, build_report, format_report


def danish_date_argument(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' er ikke en dato. Skriv den som ÅÅÅÅ-MM-DD, fx 2026-11-01."
        ) from None


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "report", help="rapport: samtaler, andel besvaret, spørgsmål der ikke blev forstået, opkald"
    )
    parser.add_argument(
        "--from",
        dest="start",
        type=danish_date_argument,
        metavar="DATO",
        help="første dag (dansk tid), fx 2026-11-01",
    )
    parser.add_argument(
        "--to",
        dest="end",
        type=danish_date_argument,
        metavar="DATO",
        help="sidste dag (dansk tid, medregnet), fx 2026-11-30",
    )
    parser.add_argument(
        "--tracker-db",
        metavar="FIL_ELLER_URL",
        help="samtaledatabasen (SQLite-fil eller database-URL); ellers TRACKER_DB_URL eller TRACKER_DB",
    )
    parser.add_argument("--top", type=int, default=10, metavar="N", help="antal spørgsmål i top-listen")
    parser.set_defaults(func=print_report)


@database_errors_in_danish
def print_report(args: argparse.Namespace) -> int:
    try:
        report = build_report(args.tracker_db, None, args.start, args.end, top=max(args.top, 1))
    except ReportError as error:
        print(str(error), file=sys.stderr)
        return 2
    print(format_report(report))
    return 0
