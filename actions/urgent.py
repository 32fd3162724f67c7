"""Urgent help: 112 first, then the urgent number of the person's own region; the crisis reply.

The region comes from the place in the message, the place given earlier, or
the houses shown in the conversation (bot.urgent_care); when none is known the
assistant asks for the town, except inside a form or a crisis, where it lists
the regions instead of asking anything. The texts are `domain.yml` responses.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import context, slots
from bot import directory, places, urgent_care
from bot.db import session_scope
from bot.emergency import is_crisis

AWAITING_URGENT_PLACE = "urgent_place"


def _region_of_houses(house_ids: list[str] | None) -> str | None:
    if not house_ids:
        return None
    try:
        with session_scope() as session:
            houses = [directory.get_house(session, house_id) for house_id in house_ids]
            municipalities = [house.municipality for house in houses if house is not None]
    except Exception:  # noqa: BLE001 - the safety reply must never fail on the database
        return None
    return urgent_care.region_of_municipalities(municipalities)


def conversation_region(tracker: Tracker) -> str | None:
    """The person's region: the place or region named now, the place given before, the houses shown."""
    from_message = urgent_care.region_of_resolution(context.place_from_message(tracker))
    if from_message:
        return from_message
    named = urgent_care.region_named_in(context.message_text(tracker))
    if named:
        return named
    remembered = urgent_care.region_of_place(context.remembered_place(tracker))
    if remembered:
        return remembered
    return _region_of_houses(tracker.get_slot(slots.HOUSE_IDS))


def number_params(number: urgent_care.UrgentNumber) -> dict[str, str]:
    return {
        "urgent_phone": number.phone,
        "urgent_service": number.service,
        "region_name": number.region_name,
    }


def all_numbers_text(regions: list[str] | None = None) -> str:
    """One line per region (all five, or the ones given): '- Region Sjælland: 1818'."""
    numbers = urgent_care.all_numbers()
    if regions:
        numbers = [n for n in numbers if n.region in regions]
    return "\n".join(f"- {n.region_name}: {n.phone} ({n.service})" for n in numbers)


def helpline_params() -> dict[str, str]:
    line = urgent_care.suicide_helpline()
    return {"helpline_name": line.name, "helpline_phone": line.phone, "helpline_web": line.web}


def utter_urgent_help(
    dispatcher: CollectingDispatcher, tracker: Tracker, *, may_ask: bool = True
) -> list[dict[str, Any]]:
    """The crisis or emergency reply for the latest message; asks for the town when allowed and needed."""
    text = tracker.latest_message.get("text") or ""
    number = urgent_care.for_region(conversation_region(tracker))
    if is_crisis(text):
        if number is not None:
            dispatcher.utter_message(response="utter_crisis", **helpline_params(), **number_params(number))
        else:
            dispatcher.utter_message(
                response="utter_crisis_all_regions", **helpline_params(), urgent_numbers=all_numbers_text()
            )
        return []
    if number is not None:
        dispatcher.utter_message(response="utter_emergency", **number_params(number))
        return []
    # "Sjælland" is two regions: their numbers, rather than a question the person has already answered.
    area_regions = urgent_care.regions_of_area_named_in(text)
    if area_regions or not may_ask:
        numbers = all_numbers_text(area_regions)
        dispatcher.utter_message(response="utter_emergency_all_regions", urgent_numbers=numbers)
        return []
    dispatcher.utter_message(response="utter_emergency_ask_place")
    return [SlotSet(slots.AWAITING, AWAITING_URGENT_PLACE)]


def utter_urgent_line(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    """One line for other answers (out of scope): the region's number, or ask for the town."""
    number = urgent_care.for_region(conversation_region(tracker))
    if number is not None:
        dispatcher.utter_message(response="utter_urgent_line", **number_params(number))
        return []
    dispatcher.utter_message(response="utter_urgent_line_ask_place")
    return [SlotSet(slots.AWAITING, AWAITING_URGENT_PLACE)]


def answer_akutklinik_elsewhere(
    dispatcher: CollectingDispatcher, house_municipalities: list[str], place: places.Place
) -> bool:
    """An akutklinik only in another region is no answer: give the person's own region's number instead.

    Each region decides where its own citizens go (you call first), and a card from another
    region would show that region's number. True when this answered.
    """
    region = urgent_care.region_of_place(place)
    number = urgent_care.for_region(region)
    if number is None or any(places.region_of(name) == region for name in house_municipalities):
        return False
    dispatcher.utter_message(response="utter_urgent_number", **number_params(number))
    return True


class ActionEmergency(Action):
    """112 at once; the region's urgent number; the crisis reply for thoughts of suicide or self-harm."""

    def name(self) -> str:
        return "action_emergency"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        return utter_urgent_help(dispatcher, tracker, may_ask=tracker.active_loop_name is None)


def answer_urgent_number(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    """The answer to "which town?" after the assistant asked for it to give the urgent number."""
    resolution = context.place_from_message(tracker)
    region = urgent_care.region_of_resolution(resolution) or urgent_care.region_named_in(
        context.message_text(tracker)
    )
    if region is None and resolution is not None and resolution.is_ambiguous:
        question = context.ambiguity_question(resolution)
        dispatcher.utter_message(text=question.text, buttons=question.buttons)
        return [SlotSet(slots.AWAITING, AWAITING_URGENT_PLACE)]
    number = urgent_care.for_region(region)
    if number is None:
        # A part of the country in two regions ("Sjælland") gets those two numbers; nothing known, all five.
        numbers = all_numbers_text(urgent_care.regions_of_area_named_in(context.message_text(tracker)))
        dispatcher.utter_message(response="utter_emergency_all_regions", urgent_numbers=numbers)
        return [SlotSet(slots.AWAITING, None)]
    dispatcher.utter_message(response="utter_urgent_number", **number_params(number))
    place_events = (
        [SlotSet(k, v) for k, v in context.place_slots(resolution.place).items()]
        if (resolution is not None and resolution.place is not None)
        else []
    )
    return place_events + [SlotSet(slots.AWAITING, None)]


class ActionUrgentNumber(Action):
    """The answer to "which town?" after the assistant asked for it to give the urgent number."""

    def name(self) -> str:
        return "action_urgent_number"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        return answer_urgent_number(dispatcher, tracker)
