"""`python -m bot events ...`: upcoming events and their registrations, for staff."""

from __future__ import annotations

import argparse
import sys

from bot import events
from bot.cli._table import database_errors_in_danish, print_table
from bot.danish import format_datetime
from bot.privacy import REGISTRATION_RETENTION_DAYS


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("events", help="arrangementer og tilmeldinger")
    commands = parser.add_subparsers(dest="events_command", required=True)

    listing = commands.add_parser("list", help="vis kommende arrangementer")
    listing.set_defaults(func=list_events)

    registrations = commands.add_parser("registrations", help="vis tilmeldinger til et arrangement")
    registrations.add_argument("event_id", metavar="EVENT_ID", help="arrangementets id fra kataloget")
    registrations.add_argument("--csv", action="store_true", help="skriv CSV (UTF-8) til standard output")
    registrations.add_argument(
        "--delimiter", default=",", choices=[",", ";"], help='skilletegn i CSV; ";" passer til dansk Excel'
    )
    registrations.set_defaults(func=show_registrations)

    purge = commands.add_parser(
        "purge",
        help=f"slet tilmeldinger til arrangementer, der sluttede for over {REGISTRATION_RETENTION_DAYS} dage "
        "siden",
    )
    purge.set_defaults(func=purge_registrations)


def _places(view: events.EventView) -> str:
    if view.places_left is None:
        return "ingen grænse"
    text = f"{view.places_left} af {view.capacity}"
    return text + (f" (venteliste: {view.waiting_list_length})" if view.waiting_list_length else "")


@database_errors_in_danish
def list_events(args: argparse.Namespace) -> int:
    upcoming = events.upcoming_events(None)
    if not upcoming:
        print("Der er ingen kommende arrangementer.")
        return 0
    print_table(
        ["Id", "Titel", "Start (dansk tid)", "Sted", "Tilmelding senest", "Ledige pladser", "Åben"],
        [
            [
                view.id,
                view.title,
                format_datetime(view.start),
                view.venue_name,
                format_datetime(view.registration_deadline),
                _places(view),
                "ja" if view.is_open_for_registration else "nej",
            ]
            for view in upcoming
        ],
    )
    return 0


@database_errors_in_danish
def show_registrations(args: argparse.Namespace) -> int:
    try:
        registrations = events.registrations_for_event(None, args.event_id)
    except events.EventNotFoundError:
        print(
            f"Der findes intet arrangement med id '{args.event_id}'. "
            "Se de kommende arrangementer med: python -m bot events list",
            file=sys.stderr,
        )
        return 2
    if args.csv:
        sys.stdout.write(events.registrations_csv(registrations, delimiter=args.delimiter))
        return 0
    if not registrations:
        print("Der er ingen tilmeldinger til arrangementet endnu.")
        return 0
    print_table(
        ["Navn", "E-mail", "Organisation", "Rolle", "Status", "Tilmeldt", "Bemærkning"],
        [
            [
                r.name,
                r.email,
                r.organisation,
                r.role_name,
                r.status_name,
                format_datetime(r.created_at),
                r.note,
            ]
            for r in registrations
        ],
    )
    confirmed = sum(r.status == events.CONFIRMED for r in registrations)
    waiting = sum(r.status == events.WAITING for r in registrations)
    print(f"\nTilmeldt: {confirmed}. På venteliste: {waiting}.")
    return 0


@database_errors_in_danish
def purge_registrations(args: argparse.Namespace) -> int:
    deleted = events.purge_expired_registrations(None)
    print(f"Slettede {deleted} tilmeldinger til arrangementer, der er slut.")
    return 0
