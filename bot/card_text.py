"""The cards as text: what `rasa shell`, the REST channel and every other channel show.

Markdown-ish (**bold**, _italic_, [link](url)); the words come from `bot/copy/answers.yml`
and `bot/copy/event_cards.yml`. The phrases here (status, booking, entry point) are shared
with the Teams renderer, so both say the same thing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from bot.cards import Booking, EntryPointInfo, EventCard, HoursRow, HouseCard, OpenStatus
from bot.wording import text


def bold(words: str) -> str:
    return f"**{words}**"


def italic(words: str) -> str:
    return f"_{words}_"


def link(label: str, url: str) -> str:
    return f"[{label}]({url})"


def short_url(url: str) -> str:
    return url.split("://", 1)[-1].rstrip("/")


def week_text(rows: Iterable[HoursRow]) -> str:
    """'man–fre 7.00–13.00; ons 7.00–18.00'; 'ikke oplyst – spørg stedet' without rows."""
    parts = [f"{row.days} {row.hours}".strip() for row in rows]
    return "; ".join(parts) if parts else text("answers.house_card.hours_unknown")


def status_sentence(
    status: OpenStatus | None, emphasise: Callable[[str], str] = str, beside_badge: bool = False
) -> str:
    """'I dag 7.00–13.00 – åbent nu', 'Lukket i dag, åbner i morgen kl. 7.00', ...

    `beside_badge`: the widget shows an "Åbent nu"/"Lukket nu" badge before the sentence, so the
    sentence leaves those words out ('I dag 7.00–13.00') instead of saying them twice.
    """
    if status is None:
        return text("answers.status.unknown")
    closed_today = status.today == "lukket"
    if beside_badge and not closed_today:
        sentence = text("answers.status.today", today=status.today)
    elif status.open_now:
        sentence = text(
            "answers.status.open_now", today=status.today, open=emphasise(text("answers.status.open_word"))
        )
    elif closed_today:
        sentence = text("answers.status.closed_today")
    else:
        sentence = text("answers.status.closed_now", today=status.today)
    if not status.open_now and status.next_opening is not None:
        sentence = text("answers.status.opens", closed=sentence, when=status.next_opening)
    if status.holiday:
        sentence = text("answers.status.holiday", status=sentence, holiday=status.holiday)
    return sentence


def booking_line(booking: Booking, markdown: bool = True) -> str:
    """'Ring og bestil tid på tlf. 12 34 56 78', with the booking link and the catalogue's note."""
    line = booking.text
    if booking.phone:
        line = text("answers.booking.with_phone", booking=line, phone=booking.phone)
    if booking.url:
        shown = link(short_url(booking.url), booking.url) if markdown else booking.url
        line = text("answers.booking.with_link", booking=line, link=shown)
    if booking.note:
        line = text("answers.booking.with_note", booking=line, note=booking.note)
    return line


def entry_point_line(entry_point: EntryPointInfo, with_hours: bool = True) -> str:
    """'Sundhedshusets fælles indgang, tlf. 12 34 56 78, e-mail ..., telefontid man–fre 8.00–15.00'."""
    if entry_point.phone:
        line = text("answers.house_card.entry_point", name=entry_point.name, phone=entry_point.phone)
    else:
        line = text("answers.house_card.entry_point_no_phone", name=entry_point.name)
    if entry_point.email:
        line = text("answers.house_card.entry_point_email", entry_point=line, email=entry_point.email)
    if with_hours and entry_point.hours:
        line = text(
            "answers.house_card.entry_point_hours", entry_point=line, hours=week_text(entry_point.hours)
        )
    return line


def house_header(card: HouseCard, emphasise: Callable[[str], str] = bold, with_provider: bool = True) -> str:
    if card.service.provider and with_provider:
        return text(
            "answers.house_card.header_with_provider",
            house=emphasise(card.name),
            service=card.service.name,
            provider=card.service.provider,
        )
    return text("answers.house_card.header", house=emphasise(card.name), service=card.service.name)


def address_text(card: HouseCard) -> str:
    return f"{card.address.street}, {card.address.postcode} {card.address.town}"


def labelled(label: str, value: str) -> str:
    return f"{bold(label + ':')} {value}"


def house_text(card: HouseCard) -> str:
    """The house card as text; `card.focus` (hours|booking|referral) puts that line first."""
    hours_line = labelled(
        text("answers.house_card.hours_label", service=card.service.name.lower()), week_text(card.hours)
    )
    if card.status is not None:
        hours_line += "\n" + status_sentence(card.status, emphasise=bold)
    lines = {
        "hours": hours_line,
        "booking": labelled(text("answers.house_card.booking_label"), booking_line(card.booking)),
        "referral": labelled(text("answers.house_card.referral_label"), card.referral.text),
    }
    order = ["hours", "booking", "referral"]
    if card.focus in order:
        order.remove(card.focus)
        order.insert(0, card.focus)
    body = [house_header(card)]
    if card.notice:
        body.append(italic(card.notice))
    body.append(link(address_text(card), card.map_url))
    if card.distance_km is not None:
        body.append(text("answers.house_card.distance", km=round(card.distance_km)))
    body += [lines[key] for key in order]
    if card.entry_point is not None:
        body.append(
            labelled(text("answers.house_card.entry_point_label"), entry_point_line(card.entry_point))
        )
        if card.entry_point.note:
            body.append(italic(card.entry_point.note))
    return "\n".join(body)


def event_text(card: EventCard) -> str:
    """One event: title, when, where, for whom, deadline, places left."""
    lines = [bold(card.title)]
    if card.notice:
        lines.append(italic(card.notice))
    lines.append(card.when)
    if card.venue:
        lines.append(text("event_cards.venue", venue=card.venue))
    lines += [
        text("event_cards.audience", audience=card.audience),
        text("event_cards.deadline", deadline=card.deadline),
        card.places,
    ]
    if not card.open_for_registration:
        lines.append(text("event_cards.closed"))
    return "\n".join(lines)
