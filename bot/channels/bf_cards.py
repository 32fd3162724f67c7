"""Rasa responses as Bot Framework message activities: markdown text, hero cards, house cards.

Buttons are `messageBack` actions: Teams shows the button's title as the user's message
(`displayText`), and delivers `value = {"payload": ...}` to the bot, which the channel turns
back into the Rasa payload. `imBack` would post the raw payload ("/find_service{...}") into
the chat for everyone to read, and Rasa 3.6's own channel sends a `payload` field Teams
ignores, so clicks never arrive.

House cards: an action sends `json_message={"type": "house_card", "house": {...}}`
(or `"houses": [...]`, shown as a carousel). The house keys, all optional except `name`:
  name, service, address | (street, postcode, town), map_url | (lat, lon), distance_km,
  hours (str or list of lines), open_now (bool), open_now_text, booking, booking_url,
  referral, entry_point (str or {name, phone, email, hours, note}), phone, email, website.
Only what is given is shown; nothing is filled in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote_plus

HERO_CARD = "application/vnd.microsoft.card.hero"
ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
ADAPTIVE_CARD_VERSION = "1.4"
# Teams renders at most six buttons on a hero card.
MAX_BUTTONS_PER_CARD = 6

NEWLINES = re.compile(r"\s*\n\s*(?:\n\s*)*")


def markdown_text(text: str) -> str:
    """Teams' markdown needs a blank line for a visible line break; one newline would be a space."""
    text = text.replace("\r\n", "\n").strip()
    return NEWLINES.sub("\n\n", text)


def message_activity(text: str | None = None, attachments: list[dict] | None = None) -> dict[str, Any]:
    activity: dict[str, Any] = {"type": "message"}
    if text:
        activity["text"] = markdown_text(text)
        activity["textFormat"] = "markdown"
    if attachments:
        activity["attachments"] = attachments
    return activity


def button_action(button: Mapping[str, Any]) -> dict[str, Any]:
    """One Rasa button (`title`, `payload`, or `url`) as a Bot Framework CardAction."""
    title = str(button.get("title") or button.get("payload") or "")
    url = button.get("url")
    if url or button.get("type") == "web_url":
        return {"type": "openUrl", "title": title, "value": str(url or button.get("payload"))}
    payload = str(button.get("payload") or title)
    return {
        "type": "messageBack",
        "title": title,
        # `text` reaches the bot too: a client that drops `value` still sends words NLU knows.
        "text": title,
        "displayText": title,
        "value": {"payload": payload},
    }


def buttons_activity(text: str | None, buttons: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    actions = [button_action(button) for button in buttons]
    cards = [
        {"contentType": HERO_CARD, "content": {"buttons": actions[start : start + MAX_BUTTONS_PER_CARD]}}
        for start in range(0, len(actions), MAX_BUTTONS_PER_CARD)
    ]
    return message_activity(text, cards)


def image_activity(url: str) -> dict[str, Any]:
    return message_activity(None, [{"contentType": HERO_CARD, "content": {"images": [{"url": url}]}}])


def custom_activity(json_message: Mapping[str, Any]) -> dict[str, Any] | None:
    """A `custom` response as an activity; None when it is nothing this channel can show."""
    kind = json_message.get("type")
    if kind in ("house_card", "house_cards"):
        houses = json_message.get("houses") or [json_message.get("house")]
        attachments = [
            house_card(house) for house in houses if isinstance(house, Mapping) and house.get("name")
        ]
        if not attachments:
            return None
        activity = message_activity(json_message.get("text"), attachments)
        if len(attachments) > 1:
            activity["attachmentLayout"] = "carousel"
        activity["summary"] = ", ".join(card["content"]["body"][0]["text"] for card in attachments)
        return activity
    if kind in (None, "message") and (json_message.get("attachments") or json_message.get("text")):
        # Already a Bot Framework activity (e.g. a channel-specific response in domain.yml).
        activity = dict(json_message)
        activity["type"] = "message"
        return activity
    return None


def house_card(house: Mapping[str, Any]) -> dict[str, Any]:
    """An Adaptive Card 1.4: name, service, then a FactSet, then buttons to the map and booking."""
    body: list[dict[str, Any]] = [
        {"type": "TextBlock", "text": str(house["name"]), "weight": "Bolder", "size": "Medium", "wrap": True}
    ]
    if house.get("service"):
        body.append(
            {
                "type": "TextBlock",
                "text": _plain(house["service"]),
                "isSubtle": True,
                "spacing": "None",
                "wrap": True,
            }
        )
    facts = _house_facts(house)
    if facts:
        body.append({"type": "FactSet", "facts": facts})
    if house.get("notice"):
        # The catalogue's notice (sample data) belongs on every card from that catalogue.
        notice = f"Bemærk: {house['notice']}"
        body.append({"type": "TextBlock", "text": notice, "wrap": True, "weight": "Bolder"})
    actions = [
        {"type": "Action.OpenUrl", "title": title, "url": url}
        for title, url in (
            ("Vis på kort", _map_url(house)),
            ("Book tid", house.get("booking_url")),
            ("Hjemmeside", house.get("website")),
        )
        if url
    ]
    content: dict[str, Any] = {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": ADAPTIVE_CARD_VERSION,
        "body": body,
    }
    if actions:
        content["actions"] = actions
    return {"contentType": ADAPTIVE_CARD, "content": content}


def _house_facts(house: Mapping[str, Any]) -> list[dict[str, str]]:
    facts: list[dict[str, str]] = []

    def add(title: str, value: Any) -> None:
        if value not in (None, "", []):
            facts.append({"title": title, "value": str(value)})

    address = _address(house)
    map_url = _map_url(house)
    add("Adresse", f"[{address}]({map_url})" if address and map_url else address)
    if house.get("distance_km") is not None:
        add("Afstand", f"ca. {float(house['distance_km']):.1f} km".replace(".", ","))
    hours = house.get("hours")
    # Display lines only; a raw hours mapping is the caller's to word (bot.hours), not ours.
    lines = [hours] if isinstance(hours, str) else list(hours) if isinstance(hours, (list, tuple)) else []
    lines = [_plain(line) for line in lines]
    for index, line in enumerate(lines):
        # One fact per line: a FactSet value shows no line breaks.
        add("Åbningstider" if index == 0 else "", line)
    if house.get("open_now_text") or house.get("status_text"):
        add("Åben nu", house.get("open_now_text") or house["status_text"])
    elif house.get("open_now") is not None:
        add("Åben nu", "Ja" if house["open_now"] else "Nej, lukket lige nu")
    add("Tidsbestilling", _plain(house.get("booking")))
    add("Henvisning", _plain(house.get("referral")))
    add("Indgang", _entry_point(house.get("entry_point")))
    add("Telefon", house.get("phone"))
    add("E-mail", house.get("email"))
    return facts


def _plain(value: Any) -> Any:
    """The web widget's structured fields as one line of text (service, booking, referral, hours rows)."""
    if not isinstance(value, Mapping):
        return value
    if "days" in value or "hours" in value:
        return " ".join(str(value[key]) for key in ("days", "hours") if value.get(key))
    if "text" in value:
        return ". ".join(str(value[key]) for key in ("text", "note") if value.get(key))
    return " – ".join(str(value[key]) for key in ("name", "provider") if value.get(key)) or None


def _address(house: Mapping[str, Any]) -> str:
    address = house.get("address")
    if isinstance(address, Mapping):
        town = " ".join(str(address[key]) for key in ("postcode", "town") if address.get(key))
        return ", ".join(part for part in (str(address.get("street") or ""), town) if part)
    if address:
        return str(address)
    town = " ".join(str(part) for part in (house.get("postcode"), house.get("town")) if part)
    return ", ".join(part for part in (str(house.get("street") or ""), town) if part)


def _map_url(house: Mapping[str, Any]) -> str | None:
    if house.get("map_url"):
        return str(house["map_url"])
    if house.get("lat") is not None and house.get("lon") is not None:
        lat, lon = float(house["lat"]), float(house["lon"])
        return f"https://www.openstreetmap.org/?mlat={lat:.5f}&mlon={lon:.5f}#map=17/{lat:.5f}/{lon:.5f}"
    address = _address(house)
    return (
        f"https://www.openstreetmap.org/search?query={quote_plus(address + ', Danmark')}" if address else None
    )


def _entry_point(entry_point: Any) -> str | None:
    if not entry_point:
        return None
    if isinstance(entry_point, str):
        return entry_point
    parts = [entry_point.get(key) for key in ("name", "phone", "email", "hours", "note")]
    return ", ".join(part for part in parts if isinstance(part, str) and part) or None
