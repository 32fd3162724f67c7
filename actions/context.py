"""What the user said and what the conversation already knows: service, place, audience.

Shared by the actions. Words are resolved in `bot/` (vocabulary, places); this
module only decides where to look: the message, its entities, then the slots.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rasa_sdk import Tracker

from actions import slots
from bot import catalogue_names, places, vocabulary, wording
from bot.db import session_scope
from bot.places import Place, PlaceResolution

PLACE_ENTITIES = ("place", "LOC")
# A first guess at or above this is taken as it is; below it, the runner-up may tell more.
SURE = 0.7
RICH_CHANNELS = frozenset({"socketio", "teams"})
STAFF_CUES = (
    "sygeplejerske", "visitator", "visitation", "medarbejder", "kollega", "borgeren", "en borger",
    "vi har en borger", "fagperson", "sagsbehandler", "kommunen her", "jeg arbejder", "hjemmeplejen",
    "terapeut", "som ansat", "personale",
)  # fmt: skip


def is_payload(text: str) -> bool:
    return text.startswith("/")


def message_text(tracker: Tracker) -> str:
    """The user's latest words; empty when the message was a button payload."""
    text = (tracker.latest_message.get("text") or "").strip()
    return "" if is_payload(text) else text


def last_bot_texts(tracker: Tracker) -> list[str]:
    """What the assistant said in its last turn, before the user's latest message (in order)."""
    said: list[str] = []
    users_seen = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            users_seen += 1
            if users_seen == 2:  # the message before the latest: that turn is over
                break
        elif event.get("event") == "bot" and users_seen == 1:
            said.insert(0, (event.get("text") or "").strip())
    return said


def entity_values(tracker: Tracker, names: tuple[str, ...]) -> list[str]:
    return [
        str(e["value"])
        for e in tracker.latest_message.get("entities") or []
        if e.get("entity") in names and e.get("value")
    ]


def runner_up_when_unsure(tracker: Tracker) -> str | None:
    """The classifier's second guess when its first was not sure (below `SURE`); None otherwise."""
    ranking = tracker.latest_message.get("intent_ranking") or []
    if not message_text(tracker) or len(ranking) < 2 or float(ranking[0].get("confidence") or 0.0) >= SURE:
        return None
    return ranking[1].get("name")


def service_from_message(tracker: Tracker) -> str | None:
    """The service type the latest message names (words, then local names in the catalogue, then entities)."""
    text = message_text(tracker)
    matches = vocabulary.find_service_types(text) if text else []
    if len(matches) > 1 and audience(tracker) == "staff":
        # "jeg er sygeplejerske, hvem ringer jeg til om en akutplads?": who is writing names no service.
        about_service = [m for m in matches if not any(cue in m.matched_text.lower() for cue in STAFF_CUES)]
        matches = about_service or matches
    if matches:
        return matches[0].code
    if text:  # a local service name from the catalogue ("vandgymnastik"), read at answer time
        with session_scope() as session:
            local = catalogue_names.find_local_service(session, text)
        if local:
            return local
    for value in entity_values(tracker, ("service",)):
        if vocabulary.is_service_type(value):
            return value
        code = vocabulary.best_service_type(value)
        if code:
            return code
    return None


def place_from_message(tracker: Tracker) -> PlaceResolution | None:
    """The place the latest message names, exact or ambiguous; None when it names none."""
    text = message_text(tracker)
    if text:
        found = places.find_place_in_text(text)
        if found is not None and (found.found or found.is_ambiguous):
            return found
    for value in entity_values(tracker, PLACE_ENTITIES):
        resolution = places.resolve_place(value)
        if resolution.found or resolution.is_ambiguous:
            return resolution
    return None


def remembered_place(tracker: Tracker) -> Place | None:
    """The place given earlier in the conversation, from its stable key (else its municipality)."""
    place = places.place_by_key(tracker.get_slot(slots.PLACE))
    if place is not None:
        return place
    municipality = tracker.get_slot(slots.MUNICIPALITY)
    return places.municipality_place(municipality) if municipality else None


def place_slots(place: Place) -> dict[str, Any]:
    """The slots that remember a place: its key (bot.places.Place.key) and its municipality."""
    return {slots.PLACE: place.key, slots.MUNICIPALITY: place.municipality}


def audience(tracker: Tracker) -> str:
    """'staff' when the user writes as a professional, else 'citizen'."""
    if tracker.get_slot(slots.AUDIENCE) == "staff":
        return "staff"
    text = message_text(tracker).lower()
    return "staff" if any(cue in text for cue in STAFF_CUES) else "citizen"


def wants_rich_cards(tracker: Tracker) -> bool:
    """Channels that render the structured house cards (the web widget, Teams)."""
    return (tracker.get_latest_input_channel() or "") in RICH_CHANNELS


@dataclass(frozen=True)
class PlaceQuestion:
    """How to ask which of several places the user meant."""

    text: str
    buttons: list[dict[str, str]]


def ambiguity_question(resolution: PlaceResolution) -> PlaceQuestion:
    buttons = []
    seen: set[str] = set()
    for candidate in resolution.candidates[:5]:
        if candidate.municipality in seen:
            continue
        seen.add(candidate.municipality)
        payload = '/inform_place{"place": "' + places.official_name(candidate.municipality) + '"}'
        buttons.append({"title": candidate.describe(), "payload": payload})
    typed = resolution.matched_text or wording.text("conversation.the_place")
    return PlaceQuestion(text=wording.text("conversation.which_place", typed=typed), buttons=buttons)
