"""Composed Danish answers built from the database: the house and event cards, the sentences around them.

The words are in `bot/copy/answers.yml` and `bot/copy/event_cards.yml` (reviewed there, not
here); this module picks the facts and fills them in. Cards are typed (`bot.cards`) and rendered
by `bot.card_text` (text), `bot.card_payload` (the widget's payload) and `bot.channels.bf_cards`
(Teams); nothing here re-parses a text it has written.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import quote_plus

from bot import card_text, hours
from bot.cards import (
    Address,
    Booking,
    EntryPointInfo,
    EventCard,
    HoursRow,
    HouseCard,
    OpenStatus,
    Referral,
    ServiceInfo,
)
from bot.danish import MONTHS
from bot.directory import HouseOffer
from bot.models import EntryPoint, House, Service
from bot.placeholders import real_email, real_phone, real_url
from bot.vocabulary import service_display_name
from bot.wording import table, text


def process_note(service_code: str) -> str | None:
    """What citizens must know about the process for this service, if anything."""
    return table("answers.process_notes").get(service_code)


def map_link(house: House) -> str:
    """An OpenStreetMap link: the exact point where coordinates exist, else an address search."""
    if house.lat is not None and house.lon is not None:
        return (
            f"https://www.openstreetmap.org/?mlat={house.lat}&mlon={house.lon}#map=17/{house.lat}/{house.lon}"
        )
    query = quote_plus(f"{house.street}, {house.postcode} {house.town}, Danmark")
    return f"https://www.openstreetmap.org/search?query={query}"


def address_line(house: House) -> str:
    return f"{house.street}, {house.postcode} {house.town}"


def service_name(service: Service) -> str:
    return service.name or service_display_name(service.type)


def rows(hours_map: dict[str, Any]) -> tuple[HoursRow, ...]:
    return tuple(HoursRow(days=days, hours=times) for days, times in hours.week_rows(hours_map))


def open_status(hours_map: dict[str, Any] | None, now: datetime) -> OpenStatus | None:
    """Open now or not, today's hours, when it opens next; None when no hours are known."""
    if not hours_map:
        return None
    local = hours.to_danish(now)
    next_opening = hours.next_opening(hours_map, local)
    return OpenStatus(
        today=hours.format_day(hours_map, local.date()),
        open_now=hours.is_open(hours_map, local),
        next_opening=when(next_opening) if next_opening is not None else None,
        holiday=hours.holiday_name(local.date()),
    )


def when(moment: datetime) -> str:
    """'i dag kl. 8.00', 'i morgen kl. 7.00', 'mandag 24. november kl. 8.00' in Danish time."""
    local = hours.to_danish(moment)
    today = hours.danish_now().date()
    clock = hours.format_time(local.time())
    days = (local.date() - today).days
    if days == 0:
        return text("answers.when.today", time=clock)
    if days == 1:
        return text("answers.when.tomorrow", time=clock)
    return text(
        "answers.when.later",
        weekday=hours.WEEKDAY_LONG[local.weekday()],
        day=local.day,
        month=MONTHS[local.month - 1],
        time=clock,
    )


# Shown instead of a placeholder number from sample data: never something to call.
PHONE_NOT_GIVEN = text("answers.phone_not_given")


def booking(service: Service) -> Booking:
    method_text = table("answers.booking.methods").get(service.booking_method or "")
    return Booking(
        method=service.booking_method,
        text=method_text or text("answers.booking.unknown"),
        phone=real_phone(service.booking_phone),
        url=real_url(service.booking_url),
        note=service.booking_note or None,
    )


def _with_referral_note(sentence: str, note: str) -> str:
    """'Kræver henvisning fra egen læge', not 'Kræver henvisning: Henvisning fra egen læge'."""
    word = "henvisning"
    if sentence.lower().endswith(word) and note.lower().startswith(word + " "):
        return sentence + note[len(word) :]
    return text("answers.referral.with_note", referral=sentence, note=note)


def referral(service: Service) -> Referral:
    sentence = table("answers.referral.statuses").get(service.referral or "") or text(
        "answers.referral.unknown"
    )
    if service.referral_note:
        sentence = _with_referral_note(sentence, service.referral_note)
    if service.referral == "required":
        sentence = text("answers.referral.see_your_doctor", referral=sentence)
    return Referral(status=service.referral, text=sentence)


def entry_point_info(entry_point: EntryPoint | None) -> EntryPointInfo | None:
    if entry_point is None:
        return None
    return EntryPointInfo(
        name=entry_point.name,
        phone=real_phone(entry_point.phone),
        email=real_email(entry_point.email),
        hours=rows(entry_point.hours) if entry_point.hours else (),
        note=entry_point.note or None,
    )


def house_card(offer: HouseOffer, now: datetime, focus: str | None = None) -> HouseCard:
    """The card for one house offering a service. `focus` (hours|referral|booking) puts that line first."""
    house, service = offer.house, offer.service
    return HouseCard(
        id=house.id,
        name=house.name,
        service=ServiceInfo(type=service.type, name=service_name(service), provider=service.provider or None),
        address=Address(street=house.street, postcode=house.postcode, town=house.town),
        map_url=map_link(house),
        distance_km=_nearby_distance(offer),
        hours=rows(offer.hours) if offer.hours else (),
        status=open_status(offer.hours, now),
        booking=booking(service),
        referral=referral(service),
        entry_point=entry_point_info(house.entry_point),
        focus=focus,
        notice=house.notice or None,
    )


def _nearby_distance(offer: HouseOffer) -> float | None:
    if offer.match != "nearby" or offer.distance_km is None:
        return None
    return round(offer.distance_km, 1)


def focused_answer(offer: HouseOffer, now: datetime, focus: str) -> str:
    """A follow-up answer about one thing (hours, referral or booking) for a house already shown."""
    card = house_card(offer, now, focus)
    header = card_text.house_header(card, with_provider=False)
    if focus == "hours":
        if card.status is None:
            return text("answers.focused.hours_unknown", header=header)
        status = card_text.status_sentence(card.status, emphasise=card_text.bold)
        answer = f"{card_text.week_text(card.hours)}\n{status}"
        return text("answers.focused.line", header=header, answer=answer)
    if focus == "referral":
        return text("answers.focused.sentence", header=header, answer=card.referral.text)
    return text("answers.focused.sentence", header=header, answer=card_text.booking_line(card.booking))


def is_municipal(service_code: str) -> bool:
    """A service the citizen's own municipality gives (genoptræning, forebyggelse, ...)."""
    from bot.vocabulary import service_type

    return service_type(service_code).sector == "kommune"


def own_municipality_note(service_code: str, municipality: str) -> str:
    """Municipal services are given by the citizen's own municipality, wherever the nearest house is."""
    from bot.places import official_name

    if not is_municipal(service_code):
        return ""
    return text(
        "answers.own_municipality",
        service=service_display_name(service_code),
        municipality=official_name(municipality),
    )


def entry_point_text(house: House, now: datetime) -> str:
    """Who to contact: the entry point, its phone hours (else the house's), whether it is open now."""
    entry_point = house.entry_point
    lines = [
        text(
            "answers.entry_point_card.header", entry_point=card_text.bold(entry_point.name), house=house.name
        ),
        phone_line(real_phone(entry_point.phone)),
    ]
    if real_email(entry_point.email):
        lines.append(text("answers.entry_point_card.email", email=entry_point.email))
    if entry_point.hours:
        lines.append(text("answers.entry_point_card.phone_hours", hours=hours.format_week(entry_point.hours)))
        lines.append(card_text.status_sentence(open_status(entry_point.hours, now), emphasise=card_text.bold))
    elif house.opening_hours:
        lines.append(
            text("answers.entry_point_card.house_hours", hours=hours.format_week(house.opening_hours))
        )
        lines.append(
            card_text.status_sentence(open_status(house.opening_hours, now), emphasise=card_text.bold)
        )
    else:
        lines.append(text("answers.entry_point_card.no_hours"))
    lines.append(card_text.link(address_line(house), map_link(house)))
    if entry_point.note:
        lines.append(card_text.italic(entry_point.note))
    if house.notice:  # sample or test data says so on every answer
        lines.append(card_text.italic(house.notice))
    return "\n".join(lines)


def phone_line(phone: str | None) -> str:
    """'Telefon: 12 34 56 78', or that no number is given (never 'Telefon: telefonnummeret …')."""
    if phone is None:
        return text("answers.entry_point_card.no_phone")
    return text("answers.entry_point_card.phone", phone=phone)


def intro_sentence(service_code: str, place_name: str | None, count: int, nearby: bool) -> str:
    name = service_display_name(service_code).lower()
    if nearby and place_name:
        if count == 1:
            return text("answers.intro.nearby_one", service=name, place=place_name)
        return text("answers.intro.nearby_many", service=name, place=place_name, count=count)
    if place_name:
        return text("answers.intro.at_place", service=name, place=place_name) if count else ""
    return text("answers.intro.anywhere", service=name)


def updated_note(updated: str | None, sample: bool = False) -> str:
    """Where the answer comes from and how fresh it is; `sample` (a catalogue with a `notice`)
    says it is sample data, so the line never reads as the houses' own current information."""
    if not updated:
        return ""
    if sample:
        return text("answers.updated_sample", date=danish_date(updated))
    return text("answers.updated", date=danish_date(updated))


def danish_date(iso: str) -> str:
    year, month, day = (int(part) for part in iso[:10].split("-"))
    return text("answers.when.date", day=day, month=MONTHS[month - 1], year=year)


# ------------------------------------------------------------------ events


def danish_day(moment: datetime) -> str:
    """'torsdag 11. marts 2027' (Danish time)."""
    local = hours.to_danish(moment)
    return text(
        "answers.when.day",
        weekday=hours.WEEKDAY_LONG[local.weekday()],
        day=local.day,
        month=MONTHS[local.month - 1],
        year=local.year,
    )


def _day_and_time(local: datetime) -> str:
    return text("answers.when.day_and_time", day=danish_day(local), time=hours.format_time(local.time()))


def event_time(start: datetime, end: datetime) -> str:
    """'torsdag 11. marts 2027 kl. 16.30–20.00'."""
    start_local, end_local = hours.to_danish(start), hours.to_danish(end)
    if start_local.date() == end_local.date():
        return text(
            "answers.when.same_day_span",
            start=_day_and_time(start_local),
            end=hours.format_time(end_local.time()),
        )
    return text("answers.when.span", start=_day_and_time(start_local), end=_day_and_time(end_local))


def deadline_text(deadline: datetime) -> str:
    """A date-only deadline (the whole day) as the date alone; otherwise with the time."""
    local = hours.to_danish(deadline)
    if (local.hour, local.minute) == (23, 59):
        return danish_day(local)
    return _day_and_time(local)


def audience_text(codes: list[str]) -> str:
    audiences = table("event_cards.audiences")
    names = [audiences.get(code, code) for code in codes]
    if len(names) == len(audiences):
        return text("event_cards.all_audiences")
    if len(names) == 1:
        return names[0]
    return text("event_cards.list_and", items=", ".join(names[:-1]), last=names[-1])


def places_left_text(event: Any) -> str:
    if event.places_left is None:
        return text("event_cards.places_unlimited")
    if event.places_left == 0:
        return text("event_cards.places_full")
    if event.places_left == 1:
        return text("event_cards.places_one")
    return text("event_cards.places_many", count=event.places_left)


def contact_text(contact: dict | None) -> str:
    if not contact:
        return text("event_cards.contact_default")
    phone = real_phone(contact.get("phone"))
    phone_text = phone and text("event_cards.contact_phone", phone=phone)
    parts = (contact.get("name"), real_email(contact.get("email")), phone_text)
    return ", ".join(part for part in parts if part) or text("event_cards.contact_default")


def event_card(event: Any) -> EventCard:
    """One event (a bot.events view) as a card: title, when, where, for whom, deadline, places left."""
    venue = ", ".join(part for part in (event.venue_name, event.venue_address) if part)
    return EventCard(
        id=event.id,
        title=event.title,
        when=event_time(event.start, event.end),
        venue=venue or None,
        audience=audience_text(event.audience),
        deadline=deadline_text(event.registration_deadline),
        places=places_left_text(event),
        open_for_registration=bool(event.is_open_for_registration),
        notice=getattr(event, "notice", None),
    )


def event_text(event: Any) -> str:
    """The event card as text (every channel)."""
    return card_text.event_text(event_card(event))


def registration_summary(
    event: Any, name: str, email: str, organisation: str | None, role: str, note: str | None
) -> str:
    from bot.contact import role_display_name

    none = text("event_cards.summary.none")
    lines = [
        text(
            "event_cards.summary.intro",
            title=card_text.bold(event.title),
            when=event_time(event.start, event.end),
        ),
        text("event_cards.summary.name", name=name),
        text("event_cards.summary.email", email=email),
        text("event_cards.summary.organisation", organisation=organisation or none),
        text("event_cards.summary.role", role=role_display_name(role)),
        text("event_cards.summary.note", note=note or none),
        text("event_cards.summary.question"),
    ]
    return "\n".join(lines)
