"""`python -m bot callbacks ...`: call-back requests, for the entry point's staff."""

from __future__ import annotations

import argparse
import sys

from bot import callbacks
from bot.cli._table import database_errors_in_danish, print_table
from bot.contact import format_danish_phone
from bot.danish import format_datetime
from bot.privacy import CALLBACK_RETENTION_DAYS


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("callbacks", help="anmodninger om at blive ringet op")
    commands = parser.add_subparsers(dest="callbacks_command", required=True)

    listing = commands.add_parser("list", help="vis anmodninger, ældste først")
    listing.add_argument("--all", action="store_true", help="vis også dem, der er trukket tilbage")
    listing.set_defaults(func=list_requests)

    export = commands.add_parser("export", help="skriv anmodninger som CSV (UTF-8) til standard output")
    export.add_argument("--csv", action="store_true", default=True, help="CSV-format (det eneste format)")
    export.add_argument("--all", action="store_true", help="medtag også dem, der er trukket tilbage")
    export.add_argument(
        "--delimiter", default=",", choices=[",", ";"], help='skilletegn i CSV; ";" passer til dansk Excel'
    )
    export.set_defaults(func=export_requests)

    withdraw = commands.add_parser("withdraw", help="træk en anmodning tilbage")
    withdraw.add_argument("reference", metavar="REFERENCE", help="referencen, fx RB-7K3Q")
    withdraw.set_defaults(func=withdraw_request)

    purge = commands.add_parser(
        "purge", help=f"slet anmodninger, der er ældre end {CALLBACK_RETENTION_DAYS} dage"
    )
    purge.set_defaults(func=purge_requests)


@database_errors_in_danish
def list_requests(args: argparse.Namespace) -> int:
    requests = callbacks.list_callbacks(None, include_withdrawn=args.all)
    if not requests:
        print("Der er ingen anmodninger om opkald.")
        return 0
    print_table(
        ["Reference", "Oprettet", "Navn", "Telefon", "Emne", "Hus", "Status"],
        [
            [
                r.reference,
                format_datetime(r.created_at),
                r.name,
                format_danish_phone(r.phone),
                r.topic,
                r.house_id,
                callbacks.callback_status_name(r),
            ]
            for r in requests
        ],
    )
    return 0


@database_errors_in_danish
def export_requests(args: argparse.Namespace) -> int:
    text = callbacks.export_callbacks_csv(None, include_withdrawn=args.all, delimiter=args.delimiter)
    sys.stdout.write(text)
    return 0


@database_errors_in_danish
def withdraw_request(args: argparse.Namespace) -> int:
    result = callbacks.withdraw_callback(None, args.reference)
    if result.status == callbacks.WithdrawStatus.WITHDRAWN:
        print(f"Anmodningen {result.reference} er trukket tilbage.")
        return 0
    if result.status == callbacks.WithdrawStatus.ALREADY_WITHDRAWN:
        print(f"Anmodningen {result.reference} var allerede trukket tilbage.")
        return 0
    print(
        f"Der findes ingen anmodning med referencen '{args.reference}'. "
        "Se anmodningerne med: python -m bot callbacks list --all",
        file=sys.stderr,
    )
    return 2


@database_errors_in_danish
def purge_requests(args: argparse.Namespace) -> int:
    deleted = callbacks.purge_expired_callbacks(None)
    print(f"Slettede {deleted} gamle anmodninger om opkald.")
    return 0
