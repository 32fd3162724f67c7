"""Composed Danish answers: one card per house, and the process notes citizens must know.

Fixed texts live in domain.yml; everything that combines database content lives
here, so the wording can be reviewed in one place. Each card is returned both as
Markdown-ish text (every channel shows it) and as a structured `house_card`
payload the web widget and Teams render as a card.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import quote_plus

from bot import hours
from bot.danish import MONTHS
from bot.directory import HouseOffer
from bot.models import EntryPoint, House, Service
from bot.vocabulary import service_display_name

BOOKING_TEXT = {
    "phone": "Ring og bestil tid",
    "online": "Bestil tid online",
    "drop_in": "Mød op – der er ingen tidsbestilling",
    "via_referral": "Du får en tid, når du er henvist – stedet kontakter dig",
    "via_municipality": "Tildeles gennem kommunen – kontakt kommunen eller den fælles indgang",
}

REFERRAL_TEXT = {
    "required": "Kræver henvisning",
    "not_required": "Ingen henvisning nødvendig",
    "depends": "Henvisning kan være nødvendig",
}

# What citizens must know about the process (facts from the shared reference).
PROCESS_NOTES = {
    "blodproever": (
        "Blodprøver tages med en henvisning fra en læge. Er prøven bestilt af hospitalet, "
        "skal du ofte booke tid først. Din egen læge kan også tage blodprøver i praksis."
    ),
    "genoptraening": (
        "Genoptræning efter en indlæggelse starter med en genoptræningsplan, som hospitalet laver før du "
        "bliver udskrevet og sender til kommunen. Kommunen kontakter dig – og skal tilbyde dig en start "
        "inden 7 dage efter udskrivelsen. Genoptræningen er gratis."
    ),
    "jordemoder": (
        "Er du gravid, så start hos din egen læge. Lægen laver den første undersøgelse og henviser dig til "
        "fødestedet, som derefter booker dine jordemoderkonsultationer. Lægetjek i uge 8-10, 25 og 32 "
        "bestiller du selv."
    ),
    "akutklinik": (
        "Ring altid 1813 (Akuttelefonen), før du tager på en akutklinik. Ved fare for liv: ring 112."
    ),
}


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


@dataclass(frozen=True)
class OpenState:
    today: str  # "7.00–13.00" or "lukket"
    open_now: bool | None  # None: no hours known
    next_opening: datetime | None
    holiday: str | None

    def sentence(self) -> str:
        if self.open_now is None:
            return "Åbningstid: spørg stedet"
        closed_today = self.today == "lukket"
        if self.open_now:
            text = f"I dag {self.today} – **åbent nu**"
        elif self.next_opening is not None:
            today = "Lukket i dag" if closed_today else f"I dag {self.today} – lukket nu"
            text = f"{today}, åbner {when(self.next_opening)}"
        else:
            text = "Lukket i dag" if closed_today else f"I dag {self.today} – lukket nu"
        if self.holiday:
            text += f" (i dag er det {self.holiday} – tjek åbningstiden med stedet)"
        return text


def open_state(hours_map: dict[str, Any] | None, now: datetime) -> OpenState:
    if not hours_map:
        return OpenState(today="", open_now=None, next_opening=None, holiday=None)
    local = hours.to_danish(now)
    return OpenState(
        today=hours.format_day(hours_map, local.date()),
        open_now=hours.is_open(hours_map, local),
        next_opening=hours.next_opening(hours_map, local),
        holiday=hours.holiday_name(local.date()),
    )


def when(moment: datetime) -> str:
    """'i dag kl. 8.00', 'i morgen kl. 7.00', 'mandag 24. november kl. 8.00' in Danish time."""
    local = hours.to_danish(moment)
    today = hours.danish_now().date()
    clock = f"kl. {hours.format_time(local.time())}"
    days = (local.date() - today).days
    if days == 0:
        return f"i dag {clock}"
    if days == 1:
        return f"i morgen {clock}"
    return f"{hours.WEEKDAY_LONG[local.weekday()]} {local.day}. {MONTHS[local.month - 1]} {clock}"


def booking_line(service: Service) -> str:
    text = BOOKING_TEXT.get(service.booking_method, "Spørg stedet om tidsbestilling")
    if service.booking_phone:
        text += f" på tlf. {service.booking_phone}"
    if service.booking_url:
        text += f": [{_short_url(service.booking_url)}]({service.booking_url})"
    if service.booking_note:
        text += f". {service.booking_note}"
    return text


def referral_line(service: Service) -> str:
    text = REFERRAL_TEXT.get(service.referral, "Spørg stedet om henvisning")
    if service.referral_note:
        text += f": {service.referral_note}"
    if service.referral == "required":
        text += ". Tal med din egen læge, hvis du ikke har en henvisning"
    return text


def entry_point_line(entry_point: EntryPoint | None) -> str:
    if entry_point is None:
        return ""
    parts = [f"{entry_point.name}, tlf. {entry_point.phone}"]
    if entry_point.email:
        parts.append(f"e-mail {entry_point.email}")
    return ", ".join(parts)


def _short_url(url: str) -> str:
    return url.split("://", 1)[-1].rstrip("/")


@dataclass
class Card:
    """One house's answer: text for every channel, and the structured payload for cards."""

    text: str
    payload: dict[str, Any] = field(default_factory=dict)


def house_card(offer: HouseOffer, now: datetime, focus: str | None = None) -> Card:
    """The card for one house offering a service. `focus` (hours|referral|booking) puts that line first."""
    house, service = offer.house, offer.service
    state = open_state(offer.hours, now)
    week = hours.format_week(offer.hours) if offer.hours else "ikke oplyst – spørg stedet"
    hours_text = f"**Åbningstid for {service_name(service).lower()}:** {week}"
    if state.open_now is not None:
        hours_text += f"\n{state.sentence()}"
    lines = {
        "hours": hours_text,
        "booking": f"**Tidsbestilling:** {booking_line(service)}",
        "referral": f"**Henvisning:** {referral_line(service)}",
    }
    order = ["hours", "booking", "referral"]
    if focus in order:
        order.remove(focus)
        order.insert(0, focus)
    header = f"**{house.name}** – {service_name(service)}"
    if service.provider:
        header += f" ({service.provider})"
    body = [header, f"[{address_line(house)}]({map_link(house)})"]
    if offer.match == "nearby" and offer.distance_km is not None:
        body.append(f"Ca. {round(offer.distance_km)} km væk")
    body += [lines[key] for key in order]
    ep_line = entry_point_line(house.entry_point)
    if ep_line:
        body.append(f"**Fælles indgang:** {ep_line}")
    if house.entry_point is not None and house.entry_point.note:
        body.append(f"_{house.entry_point.note}_")
    entry_point = house.entry_point
    payload = {
        "type": "house_card",
        "house": {
            "id": house.id,
            "name": house.name,
            "service": {"type": service.type, "name": service_name(service), "provider": service.provider},
            "address": {"street": house.street, "postcode": house.postcode, "town": house.town},
            "map_url": map_link(house),
            "distance_km": _nearby_distance(offer),
            "hours": hours_rows(week),
            "open_now": state.open_now,
            "status_text": state.sentence().replace("**", ""),
            "booking": {
                "method": service.booking_method,
                "text": booking_line(service).split(":")[0].split(" på tlf.")[0],
                "phone": service.booking_phone,
                "url": service.booking_url,
            },
            "referral": {"status": service.referral, "text": referral_line(service)},
            "entry_point": {
                "name": entry_point.name,
                "phone": entry_point.phone,
                "email": entry_point.email,
                "hours_text": hours.format_week(entry_point.hours) if entry_point.hours else None,
            }
            if entry_point is not None
            else None,
            "note": entry_point.note if entry_point is not None else None,
        },
    }
    return Card(text="\n".join(body), payload=payload)


def _nearby_distance(offer: HouseOffer) -> float | None:
    return round(offer.distance_km, 1) if offer.match == "nearby" and offer.distance_km else None


def hours_rows(week: str) -> list[dict[str, str]]:
    """'man–fre 7.00–13.00; ons 7.00–18.00' as rows {days, hours} for the cards."""
    rows = []
    for part in week.split("; "):
        days, _, times = part.partition(" ")
        rows.append({"days": days, "hours": times} if times else {"days": "", "hours": part})
    return rows


def focused_answer(offer: HouseOffer, now: datetime, focus: str) -> str:
    """A follow-up answer about one thing (hours, referral or booking) for a house already shown."""
    house, service = offer.house, offer.service
    header = f"**{house.name}** – {service_name(service)}"
    if focus == "hours":
        if not offer.hours:
            return f"{header}: åbningstiden er ikke oplyst – spørg stedet."
        return f"{header}: {hours.format_week(offer.hours)}\n{open_state(offer.hours, now).sentence()}"
    if focus == "referral":
        return f"{header}: {referral_line(service)}."
    return f"{header}: {booking_line(service)}."


def own_municipality_note(service_code: str, municipality: str) -> str:
    """Municipal services are given by the citizen's own municipality, wherever the nearest house is."""
    from bot.places import official_name
    from bot.vocabulary import service_type

    if service_type(service_code).sector != "kommune":
        return ""
    return (
        f"{service_display_name(service_code)} er et kommunalt tilbud, som du normalt får i din egen "
        f"kommune. Bor du i {official_name(municipality)}, så kontakt kommunen."
    )


def entry_point_card(house: House, now: datetime) -> Card:
    """Who to contact: the house's single entry point, its hours and whether it is open now."""
    entry_point = house.entry_point
    lines = [f"**{entry_point.name}** – {house.name}", f"Telefon: {entry_point.phone}"]
    if entry_point.email:
        lines.append(f"E-mail: {entry_point.email}")
    if entry_point.hours:
        state = open_state(entry_point.hours, now)
        lines.append(f"Telefontid: {hours.format_week(entry_point.hours)}")
        lines.append(state.sentence())
    lines.append(f"[{address_line(house)}]({map_link(house)})")
    if entry_point.note:
        lines.append(f"_{entry_point.note}_")
    return Card(text="\n".join(lines))


def intro_sentence(service_code: str, place_name: str | None, count: int, nearby: bool) -> str:
    name = service_display_name(service_code)
    if nearby and place_name:
        return (
            f"Der er ikke et sundhedshus med {name.lower()} i {place_name}. "
            f"Her er {'det nærmeste' if count == 1 else f'de {count} nærmeste'}:"
        )
    if place_name:
        return f"Her kan du få {name.lower()} i {place_name}:" if count else ""
    return f"Her tilbydes {name.lower()}:"


def updated_note(updated: str | None) -> str:
    if not updated:
        return ""
    return f"Oplysningerne er fra sundhedshusenes katalog, opdateret {danish_date(updated)}."


def danish_date(iso: str) -> str:
    year, month, day = (int(part) for part in iso[:10].split("-"))
    return f"{day}. {MONTHS[month - 1]} {year}"


# ------------------------------------------------------------------ events

AUDIENCE_NAMES = {
    "kommune": "kommuner",
    "region": "regionen",
    "praksis": "praksissektoren",
    "brugerrepraesentant": "brugerrepræsentanter",
    "borger": "borgere",
}


def danish_day(moment: datetime) -> str:
    """'torsdag 11. marts 2027' (Danish time)."""
    local = hours.to_danish(moment)
    return f"{hours.WEEKDAY_LONG[local.weekday()]} {local.day}. {MONTHS[local.month - 1]} {local.year}"


def event_time(start: datetime, end: datetime) -> str:
    """'torsdag 11. marts 2027 kl. 16.30–20.00'."""
    start_local, end_local = hours.to_danish(start), hours.to_danish(end)
    text = f"{danish_day(start_local)} kl. {hours.format_time(start_local.time())}"
    if start_local.date() == end_local.date():
        return f"{text}–{hours.format_time(end_local.time())}"
    return f"{text} til {danish_day(end_local)} kl. {hours.format_time(end_local.time())}"


def deadline_text(deadline: datetime) -> str:
    """A date-only deadline (the whole day) as the date alone; otherwise with the time."""
    local = hours.to_danish(deadline)
    if (local.hour, local.minute) == (23, 59):
        return danish_day(local)
    return f"{danish_day(local)} kl. {hours.format_time(local.time())}"


def audience_text(codes: list[str]) -> str:
    names = [AUDIENCE_NAMES.get(code, code) for code in codes]
    if len(names) == len(AUDIENCE_NAMES):
        return "alle"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " og " + names[-1]


def places_left_text(event: Any) -> str:
    if event.places_left is None:
        return "Ingen begrænsning på antal pladser"
    if event.places_left == 0:
        return "Fuldt booket – du kan komme på venteliste"
    return f"{event.places_left} {'ledig plads' if event.places_left == 1 else 'ledige pladser'}"


def contact_text(contact: dict | None) -> str:
    if not contact:
        return "sundhedshusets fælles indgang"
    parts = [contact.get("name"), contact.get("email"), contact.get("phone") and f"tlf. {contact['phone']}"]
    return ", ".join(part for part in parts if part)


def event_card(event: Any) -> str:
    """One event: title, when, where, for whom, deadline, places left."""
    venue = ", ".join(part for part in (event.venue_name, event.venue_address) if part)
    lines = [
        f"**{event.title}**",
        event_time(event.start, event.end),
        f"Sted: {venue}" if venue else "",
        f"For: {audience_text(event.audience)}",
        f"Tilmeldingsfrist: {deadline_text(event.registration_deadline)}",
        places_left_text(event),
    ]
    if not event.is_open_for_registration:
        lines.append("Tilmeldingen er lukket.")
    return "\n".join(line for line in lines if line)


def registration_summary(
    event: Any, name: str, email: str, organisation: str | None, role: str, note: str | None
) -> str:
    from bot.contact import role_display_name

    lines = [
        f"Du er ved at tilmelde dig **{event.title}**, {event_time(event.start, event.end)}.",
        f"Navn: {name}",
        f"E-mail: {email}",
        f"Organisation: {organisation or 'ingen'}",
        f"Rolle: {role_display_name(role)}",
        f"Bemærkning: {note or 'ingen'}",
        "Er oplysningerne rigtige?",
    ]
    return "\n".join(lines)
