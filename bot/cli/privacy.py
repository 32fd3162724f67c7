"""`python -m bot privacy purge | forget`: delete personal data past retention, or one person's."""

from __future__ import annotations

import argparse

from bot import retention
from bot.contact import ContactError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("privacy", help="slet persondata (udløbet, eller på anmodning)")
    commands = parser.add_subparsers(dest="privacy_command", required=True)
    purge = commands.add_parser(
        "purge", help="slet samtaler, tilmeldinger og opkaldsanmodninger, der er ældre end opbevaringstiden"
    )
    purge.set_defaults(func=_purge)
    forget = commands.add_parser("forget", help="slet én persons data overalt")
    who = forget.add_mutually_exclusive_group(required=True)
    who.add_argument("--email", help="tilmeldinger med denne e-mailadresse")
    who.add_argument("--phone", help="opkaldsanmodninger med dette telefonnummer og deres samtaler")
    who.add_argument("--sender", help="samtalen med dette afsender-id og dens opkaldsanmodninger")
    forget.set_defaults(func=_forget)


def _purge(args: argparse.Namespace) -> int:
    print(f"Slettet: {retention.purge_expired()}.")
    return 0


def _forget(args: argparse.Namespace) -> int:
    try:
        deleted = retention.forget(email=args.email, phone=args.phone, sender=args.sender)
    except ContactError as error:
        print(error)
        return 2
    print(f"Slettet: {deleted}.")
    return 0
