"""A house named by its name: "Hvor ligger Brohuset?" gets the address, "Hvad tilbyder Brohuset?" the
services. Names are resolved against the database at answer time (bot/catalogue_names.py), so a
catalogue imported after training is understood at once."""

from __future__ import annotations

import re
from typing import Any, Literal

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import context, slots
from bot import answers, card_text, catalogue_names, directory, hours, places, vocabulary, wording
from bot.danish import fold
from bot.db import session_scope
from bot.models import House
from bot.placeholders import real_phone

Want = Literal["address", "services"]
# What people write when they ask what a house offers, or where it is (what users type, no replies).
SERVICES_WORDS = ("tilbyder", "tilbud", "hvad har", "hvad kan", "hvilke ydelser", "hvad laver", "hvad sker")
# Words that ask for a house's whole list even when one service is named ("andet end læger",
# "hvad er der ud over genoptræning"); without them, "jordemoder i Nordborg" asks where to go for it.
WHOLE_LIST_WORDS = re.compile(
    r"\b(ud ?over|andet end|ellers|mere|både|kun|hvad (er|findes) der|hvilke|bruge|foregår)\b"
)
# The address card also gives the opening hours and the entry point's phone: "hvornår har Brohuset
# åbent?" and "hvad er nummeret til Brohuset?" get it too.
ADDRESS_WORDS = ("ligger", "adresse", "hvor er", "find vej", "finder jeg", "hvordan kommer jeg", "kort",
                 "åbent", "åbningstid", "lukker", "nummer", "telefon", "tlf", "ringe til")  # fmt: skip


# Where a house is, in words that ask for its place and not for a person: "Hvor ligger sundhedshuset
# i Skagen?" read as contact_entry_point (model aaed8d7e02fd) still gets the house card, which has the
# entry point's phone as well.
WHERE_WORDS = re.compile(r"\b(ligger|adresse\w*|find vej|hvordan kommer jeg|kort over)\b")


def asks_where_the_house_is(text: str) -> bool:
    return WHERE_WORDS.search(text.lower()) is not None


def asks_for_the_whole_list(text: str) -> bool:
    """Whether a message about a house's services wants all of them, not where to go for one."""
    lowered = text.lower()
    if any(word in lowered for word in SERVICES_WORDS) or WHOLE_LIST_WORDS.search(lowered):
        return True
    return len(vocabulary.find_service_types(text)) > 1


def names_only_the_house(text: str) -> bool:
    """'Hvor ligger sundhedscentret i Skagen?': the only service word is the word for the house itself.

    "sundhedscenter" is also a word for prevention (bot/data/service_words.yml), since many
    municipalities offer it there; a house named that way is asked about first.
    """
    matches = vocabulary.find_service_types(text)
    return bool(matches) and all(catalogue_names.HOUSE_WORD.match(fold(m.matched_text)) for m in matches)


def wanted(text: str, intent: str | None) -> Want | None:
    """What the message asks about a named house; None when it asks neither."""
    lowered = text.lower()
    if any(word in lowered for word in SERVICES_WORDS):
        return "services"
    # The words the person wrote before the classifier's guess: "Hvor ligger sundhedshuset i
    # Helsingør?" is often classified ask_house_services, but asks where the house is.
    if any(word in lowered for word in ADDRESS_WORDS):
        return "address"
    if intent == "ask_house_services":
        return "services"
    return None


def address_text(house: House) -> str:
    """Where the house is, its map link, opening hours and single entry point (and its notice)."""
    lines = [
        wording.text("houses.address", house=card_text.bold(house.name), address=answers.address_line(house)),
        card_text.link(wording.text("houses.map", house=house.name), answers.map_link(house)),
    ]
    if house.opening_hours:
        lines.append(wording.text("houses.opening_hours", hours=hours.format_week(house.opening_hours)))
    else:
        lines.append(wording.text("houses.no_opening_hours"))
    entry_point = house.entry_point
    if entry_point is not None:
        phone = real_phone(entry_point.phone)
        if phone:
            lines.append(wording.text("houses.contact", entry_point=entry_point.name, phone=phone))
        else:
            lines.append(wording.text("houses.contact_no_phone", entry_point=entry_point.name,
                                      phone_not_given=answers.PHONE_NOT_GIVEN))  # fmt: skip
    if house.notice:
        lines.append(card_text.italic(house.notice))
    return "\n".join(lines)


def services_text(house: House, audience: str, session: Any) -> str:
    labels = []
    for offer in directory.services_of_house(session, house.id, audience=audience):
        label = answers.service_name(offer.service)
        if offer.service.audience == ["staff"]:
            label = wording.text("services.staff_service", service=label)
        labels.append(f"- {label}")
    name = wording.text("services.house_name", house=house.name, address=answers.address_line(house))
    lines = [wording.text("services.house_offers", house=name), *labels]
    if house.notice:
        lines.append(card_text.italic(house.notice))
    return "\n".join(lines)


def answer_named_house(
    dispatcher: CollectingDispatcher, tracker: Tracker, want: Want | None = None
) -> list[dict[str, Any]] | None:
    """Answer about the house(s) the message names; None when it names none or asks neither."""
    text = context.message_text(tracker)
    if not text:
        return None
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    want = want or wanted(text, intent)
    if want is None:
        return None
    with session_scope() as session:
        named = catalogue_names.find_houses_named(session, text)
        if named is None:
            return None
        if len(named.houses) > 1:
            dispatcher.utter_message(text=wording.text("houses.several", typed=named.matched_text))
        audience = context.audience(tracker)
        for house in named.houses:
            if want == "address":
                dispatcher.utter_message(text=address_text(house))
            else:
                dispatcher.utter_message(text=services_text(house, audience, session))
        house_ids = [house.id for house in named.houses]
        home = places.municipality_place(named.houses[0].municipality) if len(named.houses) == 1 else None
    if want == "services":
        dispatcher.utter_message(response="utter_ask_which_service")
    events = [SlotSet(key, value) for key, value in context.place_slots(home).items()] if home else []
    return events + [SlotSet(slots.HOUSE_IDS, house_ids), SlotSet(slots.AWAITING, None)]


def named_house_ids(tracker: Tracker) -> list[str]:
    """The ids of the houses the latest message names by name (empty when none)."""
    text = context.message_text(tracker)
    if not text:
        return []
    with session_scope() as session:
        named = catalogue_names.find_houses_named(session, text)
        return [house.id for house in named.houses] if named else []
