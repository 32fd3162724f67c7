"""The single entry point ("én indgang"): who to contact when a person is needed.

The right house comes from the message (a place, perhaps a service such as
"akutpladser"), else from the conversation (the houses last shown, the place
given). Without either, the assistant asks for the place and answers when it
comes (`action_place_given` routes by the `awaiting` slot).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import context, houses, slots
from bot import answers, directory, vocabulary, wording
from bot.danish import name_in_town
from bot.db import session_scope
from bot.models import House
from bot.places import Place

AWAITING_CONTACT_PLACE = "contact_place"  # the `awaiting` value while the place for the entry point is asked
CONTACT_BUTTONS = [{"title": wording.text("contact.call_me_button"), "payload": "/request_callback"}]
INTRO = wording.text("contact.intro")
CROSS_SECTOR_WORDS = ("udskriv", "indlagt", "indlæggelse", "hospital", "sygehus", "koordin")
CROSS_SECTOR_INTRO = wording.text("contact.cross_sector_intro")


@dataclass
class EntryPointAnswer:
    """What to say: intro sentences and the entry point card(s); or that a place is needed."""

    texts: list[str] = field(default_factory=list)
    house_ids: list[str] = field(default_factory=list)
    needs_place: bool = False


def entry_point_text(house: House, now: datetime) -> str:
    """The entry point card; without its own hours, the house's opening hours (or that none are given)."""
    return answers.entry_point_text(house, now)


def is_cross_sector(text: str) -> bool:
    lowered = text.lower()
    return any(word in lowered for word in CROSS_SECTOR_WORDS)


def place_intro(place: Place, house: House, session: Any) -> str | None:
    """'Der er ikke et sundhedshus i X' when the entry point given is the nearest, not one at the place."""
    if any(h.id == house.id for h in directory.houses_at(session, place)):
        return None
    km = directory.house_distance_km(place, house)
    in_town = name_in_town(house.name, house.town)
    if km is None:
        return wording.text("contact.no_house_at_place_no_distance", place=place.name, house_in_town=in_town)
    return wording.text("contact.no_house_at_place", place=place.name, house_in_town=in_town, km=round(km))


def service_answer(session: Any, service_code: str, place: Place, now: datetime) -> EntryPointAnswer:
    """Who to contact about a service at a place (staff-only services included), else the nearest."""
    name = vocabulary.service_display_name(service_code).lower()
    result = directory.find_houses(session, service_code, place, audience="staff", limit=1)
    if not result.found:
        found = directory.entry_point_for(session, place=place, nearest=True)
        texts = [wording.text("contact.service_nowhere", service=name)]
        if found is None:
            return EntryPointAnswer(texts=texts)
        texts.append(wording.text("contact.nearest_entry_point"))
        return EntryPointAnswer(texts=texts + [entry_point_text(found[0], now)], house_ids=[found[0].id])
    offer = result.offers[0]
    house = offer.house
    staff_note = wording.text("contact.staff_note") if offer.service.audience == ["staff"] else ""
    where = {"service": name, "place": place.name, "for_staff": staff_note}
    in_town = name_in_town(house.name, house.town)
    if result.nearby and offer.distance_km is not None:
        intro = wording.text(
            "contact.service_nearby", house_in_town=in_town, km=round(offer.distance_km), **where
        )
    elif result.nearby:
        intro = wording.text("contact.service_nearby_no_distance", house_in_town=in_town, **where)
    else:
        intro = wording.text("contact.service_at_place", house=house.name, **where)
    texts = [intro]
    if house.entry_point is not None:
        texts.append(entry_point_text(house, now))
    service = answers.service_name(offer.service)
    if offer.service.description:
        service_line = wording.text(
            "contact.offer_with_description",
            service=service,
            for_staff=staff_note,
            description=offer.service.description,
        )
    else:
        service_line = wording.text("contact.offer", service=service, for_staff=staff_note)
    texts.append(service_line)
    return EntryPointAnswer(texts=texts, house_ids=[house.id])


def house_answer(
    tracker: Tracker, session: Any, place: Place | None, from_message: bool, now: datetime
) -> EntryPointAnswer:
    """The entry point of the house the place or the conversation points to."""
    shown = tracker.get_slot(slots.HOUSE_IDS) or []
    found = None
    if not from_message and shown:
        found = directory.entry_point_for(session, house_id=shown[0])
    via_place = False
    if found is None and place is not None:
        found = directory.entry_point_for(session, place=place, nearest=True)
        via_place = found is not None
    if found is None and place is None and not shown:
        found = directory.entry_point_for(session)  # a catalogue with a single house
    if found is None:
        return EntryPointAnswer(needs_place=place is None)
    house = found[0]
    # The nearest house for a place named now or earlier: say it is not in that town, and how far.
    intro = place_intro(place, house, session) if place is not None and via_place else None
    return EntryPointAnswer(texts=[intro or INTRO, entry_point_text(house, now)], house_ids=[house.id])


def asking_for_place(service_code: str | None) -> list[dict[str, Any]]:
    """Remember that the place is asked for and the service named meanwhile; `action_place_given` answers."""
    return [SlotSet(slots.AWAITING, AWAITING_CONTACT_PLACE), SlotSet(slots.CONTACT_SERVICE, service_code)]


def answer_entry_point(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    """The single entry point of the right house: phone, e-mail, hours, open now or when it opens."""
    if houses.asks_where_the_house_is(context.message_text(tracker)):
        answered = houses.answer_named_house(dispatcher, tracker, want="address")
        if answered is not None:
            return answered
    resolution = context.place_from_message(tracker)
    service_code = context.service_from_message(tracker)
    if service_code is None and tracker.get_slot(slots.AWAITING) == AWAITING_CONTACT_PLACE:
        service_code = tracker.get_slot(slots.CONTACT_SERVICE)
    if resolution is not None and resolution.is_ambiguous:
        question = context.ambiguity_question(resolution)
        dispatcher.utter_message(text=question.text, buttons=question.buttons)
        return asking_for_place(service_code)

    events: list[dict[str, Any]] = []
    place = resolution.place if resolution is not None and resolution.found else None
    from_message = place is not None
    if place is not None:
        events += [SlotSet(key, value) for key, value in context.place_slots(place).items()]
    else:
        place = context.remembered_place(tracker)

    text = context.message_text(tracker)
    if is_cross_sector(text):
        dispatcher.utter_message(text=CROSS_SECTOR_INTRO)

    now = datetime.now(timezone.utc)
    with session_scope() as session:
        named = houses.named_house_ids(tracker) if not from_message and not service_code else []
        found = directory.entry_point_for(session, house_id=named[0]) if named else None
        if found is not None:  # "hvem kan jeg ringe til i Brohuset?"
            answer = EntryPointAnswer(texts=[INTRO, entry_point_text(found[0], now)], house_ids=[found[0].id])
        elif service_code and place is not None:
            answer = service_answer(session, service_code, place, now)
        elif service_code:
            answer = EntryPointAnswer(needs_place=True)
        else:
            answer = house_answer(tracker, session, place, from_message, now)

    if answer.needs_place:
        dispatcher.utter_message(response="utter_ask_place_for_contact")
        return events + asking_for_place(service_code)
    for text in answer.texts[:-1]:
        dispatcher.utter_message(text=text)
    if answer.texts:
        dispatcher.utter_message(text=answer.texts[-1], buttons=CONTACT_BUTTONS)
    if answer.house_ids:
        events.append(SlotSet(slots.HOUSE_IDS, answer.house_ids))
    return events + [SlotSet(slots.AWAITING, None), SlotSet(slots.CONTACT_SERVICE, None)]


class ActionEntryPoint(Action):
    """Give the single entry point of the right house: phone, e-mail, hours, open now or when it opens."""

    def name(self) -> str:
        return "action_entry_point"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        return answer_entry_point(dispatcher, tracker)
