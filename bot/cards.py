"""The typed answer cards: one house card, one event card.

`bot.answers` builds a card from the database; three renderers show the same card:
plain text for every channel (`bot.card_text`), the web widget's `custom` payload
(`bot.card_payload.to_payload`, drawn by bot/web/static/widget/widget.js) and the Teams
Adaptive Card (`bot.channels.bf_cards`, which reads the payload back with
`bot.card_payload.from_payload`). Texts in a card are already worded (from `bot/copy/`),
so no renderer composes or re-parses a sentence. `notice` is an optional warning (e.g. that
the catalogue is sample data) every renderer shows when it is set.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HoursRow:
    days: str  # "man–fre"
    hours: str  # "7.00–13.00"


@dataclass(frozen=True)
class OpenStatus:
    """Today's hours and whether the place is open now; worded by bot.card_text.status_sentence."""

    today: str  # "7.00–13.00" or "lukket"
    open_now: bool
    next_opening: str | None  # already worded: "i morgen kl. 7.00"
    holiday: str | None  # "juledag"


@dataclass(frozen=True)
class ServiceInfo:
    type: str
    name: str
    provider: str | None = None


@dataclass(frozen=True)
class Address:
    street: str
    postcode: str
    town: str


@dataclass(frozen=True)
class Booking:
    method: str | None
    text: str  # the method in words: "Bestil tid online"
    phone: str | None = None
    url: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Referral:
    status: str | None
    text: str  # the whole answer: status, the catalogue's note, advice


@dataclass(frozen=True)
class EntryPointInfo:
    name: str
    phone: str | None  # None: not given (a placeholder in sample data is never shown)
    email: str | None = None
    hours: tuple[HoursRow, ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class HouseCard:
    """One house offering one service: everything a channel may show about it."""

    id: str
    name: str
    service: ServiceInfo
    address: Address
    map_url: str
    distance_km: float | None  # only when the house is shown as the nearest, not at the place
    hours: tuple[HoursRow, ...]  # empty: not given
    status: OpenStatus | None  # None: no hours known
    booking: Booking
    referral: Referral
    entry_point: EntryPointInfo | None
    focus: str | None = None  # hours | booking | referral: shown first in text
    notice: str | None = None


@dataclass(frozen=True)
class EventCard:
    """One event; the texts are worded by bot.answers."""

    id: str
    title: str
    when: str
    venue: str | None
    audience: str
    deadline: str
    places: str
    open_for_registration: bool
    notice: str | None = None
