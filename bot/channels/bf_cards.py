"""Rasa responses as Bot Framework message activities: markdown text, hero cards, house cards.

Buttons are `messageBack` actions: Teams shows the button's title as the user's message
(`displayText`), and delivers `value = {"payload": ...}` to the bot, which the channel turns
back into the Rasa payload. `imBack` would post the raw payload ("/find_service{...}") into
the chat for everyone to read, and Rasa 3.6's own channel sends a `payload` field Teams
ignores, so clicks never arrive.

Cards: an action sends a card payload (`bot.card_payload`: `{"type": "house_card", ...}` or
`{"type": "event_card", ...}`; `{"type": "house_cards", "houses": [...]}` is shown as a carousel).
It is read back into the typed card (`bot.cards`) and drawn as an Adaptive Card with the same
phrases the text answer uses (`bot.card_text`), so Teams shows what the other channels show.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from typing import Any

from bot import card_payload, card_text
from bot.cards import EventCard, HouseCard
from bot.wording import text

logger = logging.getLogger(__name__)

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
    if kind in (card_payload.HOUSE_CARD, "house_cards", card_payload.EVENT_CARD):
        attachments = [adaptive_card(card) for card in _cards(json_message)]
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


def _cards(json_message: Mapping[str, Any]) -> list[HouseCard | EventCard]:
    """The typed cards in a payload (bot.card_payload); a malformed one is logged and left out."""
    try:
        if json_message.get("type") == "house_cards":
            return [card_payload.house_from_dict(house) for house in json_message.get("houses") or []]
        return [card_payload.from_payload(json_message)]
    except card_payload.PayloadError as error:
        logger.warning("Card payload not shown in Teams: %s", error)
        return []


def adaptive_card(card: HouseCard | EventCard) -> dict[str, Any]:
    """An Adaptive Card 1.4 attachment for a house or an event card."""
    if isinstance(card, EventCard):
        return _attachment(_event_body(card), [])
    return house_card(card)


def house_card(card: HouseCard) -> dict[str, Any]:
    """Name, service, notice, then a FactSet, the entry point's note, and buttons to the map and booking."""
    body: list[dict[str, Any]] = [_title(card.name), _subtitle(_service_line(card))]
    if card.notice:
        body.append(_notice(card.notice))
    body.append({"type": "FactSet", "facts": _house_facts(card)})
    if card.entry_point is not None and card.entry_point.note:
        body.append({"type": "TextBlock", "text": card.entry_point.note, "isSubtle": True, "wrap": True})
    actions = [
        {"type": "Action.OpenUrl", "title": title, "url": url}
        for title, url in (
            (text("teams.house.show_map", house=card.name), card.map_url),
            (text("teams.house.book"), card.booking.url),
        )
        if url
    ]
    return _attachment(body, actions)


def _service_line(card: HouseCard) -> str:
    return " – ".join(part for part in (card.service.name, card.service.provider) if part)


def _house_facts(card: HouseCard) -> list[dict[str, str]]:
    facts: list[dict[str, str]] = []

    def add(title: str, value: str | None) -> None:
        if value:
            facts.append({"title": title, "value": value})

    add(text("teams.house.address"), card_text.link(card_text.address_text(card), card.map_url))
    if card.distance_km is not None:
        add(
            text("teams.house.distance"),
            text("teams.house.distance_value", km=f"{card.distance_km:.1f}".replace(".", ",")),
        )
    lines = [f"{row.days} {row.hours}".strip() for row in card.hours] or [card_text.week_text(())]
    for index, line in enumerate(lines):
        # One fact per line: a FactSet value shows no line breaks.
        add(text("teams.house.hours") if index == 0 else "", line)
    if card.status is not None:  # unknown hours are said once, on the hours line
        add(text("teams.house.status"), card_text.status_sentence(card.status))
    add(text("teams.house.booking"), card_text.booking_line(card.booking))
    add(text("teams.house.referral"), card.referral.text)
    if card.entry_point is not None:
        add(text("teams.house.entry_point"), card_text.entry_point_line(card.entry_point, with_hours=False))
        if card.entry_point.hours:
            add(text("teams.house.entry_point_hours"), card_text.week_text(card.entry_point.hours))
    return facts


def _event_body(card: EventCard) -> list[dict[str, Any]]:
    body: list[dict[str, Any]] = [_title(card.title)]
    if card.notice:
        body.append(_notice(card.notice))
    facts = [
        (text("teams.event.when"), card.when),
        (text("teams.event.venue"), card.venue),
        (text("teams.event.audience"), card.audience),
        (text("teams.event.deadline"), card.deadline),
        (text("teams.event.places"), card.places),
    ]
    body.append({"type": "FactSet", "facts": [{"title": title, "value": v} for title, v in facts if v]})
    if not card.open_for_registration:
        body.append(
            {"type": "TextBlock", "text": text("event_cards.closed"), "weight": "Bolder", "wrap": True}
        )
    return body


def _title(words: str) -> dict[str, Any]:
    return {"type": "TextBlock", "text": words, "weight": "Bolder", "size": "Medium", "wrap": True}


def _subtitle(words: str) -> dict[str, Any]:
    return {"type": "TextBlock", "text": words, "isSubtle": True, "spacing": "None", "wrap": True}


def _notice(words: str) -> dict[str, Any]:
    return {"type": "TextBlock", "text": words, "color": "Attention", "weight": "Bolder", "wrap": True}


def _attachment(body: list[dict[str, Any]], actions: list[dict[str, Any]]) -> dict[str, Any]:
    content: dict[str, Any] = {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": ADAPTIVE_CARD_VERSION,
        "body": body,
    }
    if actions:
        content["actions"] = actions
    return {"contentType": ADAPTIVE_CARD, "content": content}
