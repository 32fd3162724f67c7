"""'Where do I go for X?': the answer cards, and what a house offers."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions import context, elsewhere, houses, slots, urgent
from bot import (
    answers,
    card_payload,
    card_text,
    directory,
    distance,
    places,
    urgent_care,
    vocabulary,
    wording,
)
from bot.db import session_scope
from bot.models import CatalogueInfo

AKUTKLINIK = "akutklinik"
FOCUS_BY_INTENT = {"ask_hours": "hours", "ask_referral": "referral", "ask_booking": "booking"}
POPULAR_SERVICES = ["blodproever", "genoptraening", "jordemoder", "roentgen", "tandpleje", "sygeplejeklinik"]
FOLLOW_UP_BUTTONS = [
    {"title": wording.text("services.follow_up_buttons.hours"), "payload": "/ask_hours"},
    {"title": wording.text("services.follow_up_buttons.referral"), "payload": "/ask_referral"},
    {"title": wording.text("services.follow_up_buttons.booking"), "payload": "/ask_booking"},
    {"title": wording.text("services.follow_up_buttons.person"), "payload": "/contact_entry_point"},
]


def catalogue_updated(session: Any) -> str | None:
    info = session.execute(select(CatalogueInfo).order_by(CatalogueInfo.id.desc())).scalars().first()
    return info.updated if info else None


def process_note(service_code: str, place: places.Place) -> str | None:
    """The process note; the akutklinik note names the urgent number of the person's own region."""
    if service_code != AKUTKLINIK:
        return answers.process_note(service_code)
    number = urgent_care.for_region(urgent_care.region_of_place(place))
    if number is None:
        return wording.text("answers.akutklinik_note_any_region")
    return wording.text("answers.akutklinik_note", urgent_phone=number.phone, urgent_service=number.service)


def service_buttons() -> list[dict[str, str]]:
    return [
        {"title": vocabulary.service_display_name(code), "payload": f'/find_service{{"service": "{code}"}}'}
        for code in POPULAR_SERVICES
    ]


def answer_find_service(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    """Where to go for a service at a place, with hours, booking and referral; asks for what is missing."""
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    events: list[dict[str, Any]] = []

    named_service = context.service_from_message(tracker)
    # "Hvor ligger Brohuset?", "Hvor ligger sundhedscentret i Skagen?": a house named by its name
    if named_service is None or houses.names_only_the_house(context.message_text(tracker) or ""):
        about_house = houses.answer_named_house(dispatcher, tracker)
        if about_house is not None:
            return about_house
    service_code = named_service or tracker.get_slot(slots.SERVICE_TYPE)
    if service_code:
        events.append(SlotSet(slots.SERVICE_TYPE, service_code))

    resolution = context.place_from_message(tracker)
    audience = context.audience(tracker)
    if resolution is not None and resolution.is_ambiguous and service_code:
        # A postcode spanning municipalities: asked about only when the answer would differ.
        with session_scope() as session:
            settled = same_answer_for_all(session, service_code, resolution.candidates, audience)
        if settled is not None:
            resolution = places.PlaceResolution("exact", settled, (), resolution.matched_text)
    if resolution is not None and resolution.is_ambiguous:
        question = context.ambiguity_question(resolution)
        dispatcher.utter_message(text=question.text, buttons=question.buttons)
        return events + [SlotSet(slots.AWAITING, "place")]
    place = resolution.place if resolution is not None else context.remembered_place(tracker)
    if place is not None:
        events += [SlotSet(key, value) for key, value in context.place_slots(place).items()]

    nearly_out_of_scope = context.runner_up_when_unsure(tracker) == "out_of_scope"
    if nearly_out_of_scope and not service_code and not context.entity_values(tracker, ("service",)):
        # "kan du hjælpe mig med min selvangivelse? jeg bor i Roskilde": no service named, and the
        # classifier nearly said "not for us". Where else to turn beats "Hvad leder du efter?".
        return events + elsewhere.say_where_else_to_turn(dispatcher, tracker)
    if not service_code:
        # Also a person: a service the catalogue does not name ("hørelse") must not end here.
        buttons = service_buttons() + FOLLOW_UP_BUTTONS[3:]
        if context.entity_values(tracker, ("service",)):  # named, but not in the catalogue: say so
            dispatcher.utter_message(text=wording.text("services.not_in_catalogue"), buttons=buttons)
        else:
            dispatcher.utter_message(response="utter_ask_service", buttons=buttons)
        return events + [SlotSet(slots.AWAITING, "service")]
    if place is None:
        dispatcher.utter_message(
            response="utter_ask_place", service=vocabulary.service_display_name(service_code).lower()
        )
        return events + [SlotSet(slots.AWAITING, "place")]

    now = datetime.now(timezone.utc)
    with session_scope() as session:
        result = directory.find_houses(session, service_code, place, audience=audience)
        staff_only = False
        if not result.found and audience == "citizen":
            staff_result = directory.find_houses(session, service_code, place, audience="staff")
            if staff_result.found:
                result, staff_only = staff_result, True
        if not result.found:
            dispatcher.utter_message(
                response="utter_service_nowhere",
                service=vocabulary.service_display_name(service_code).lower(),
            )
            return events + [SlotSet(slots.AWAITING, None), SlotSet(slots.HOUSE_IDS, [])]
        if service_code == AKUTKLINIK and urgent.answer_akutklinik_elsewhere(
            dispatcher, [offer.house.municipality for offer in result.offers], place
        ):
            return events + [SlotSet(slots.AWAITING, None), SlotSet(slots.HOUSE_IDS, [])]
        shown = _write_answer(dispatcher, tracker, result, place, intent, now, staff_only)
        if result.nearby and not FOCUS_BY_INTENT.get(intent or ""):
            _offer_related_nearby(dispatcher, tracker, session, result, place, audience, now)
        updated = catalogue_updated(session)
    sample = any(offer.house.notice for offer in result.offers)
    # Questions about "their" hours or booking need a house on the screen; a person is always offered.
    buttons = FOLLOW_UP_BUTTONS if shown else FOLLOW_UP_BUTTONS[3:]
    dispatcher.utter_message(text=answers.updated_note(updated, sample=sample), buttons=buttons)
    return events + [SlotSet(slots.HOUSE_IDS, shown), SlotSet(slots.AWAITING, None)]


def _write_answer(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    result: directory.DirectoryResult,
    place: places.Place,
    intent: str | None,
    now: datetime,
    staff_only: bool,
) -> list[str]:
    """The answer's texts and house cards; returns the ids of the houses shown."""
    house_ids = [offer.house.id for offer in result.offers]
    focus = FOCUS_BY_INTENT.get(intent or "")
    if focus and tracker.get_slot(slots.HOUSE_IDS) == house_ids:
        # A follow-up about the houses just shown: answer just that.
        for offer in result.offers:
            dispatcher.utter_message(text=answers.focused_answer(offer, now, focus))
        return house_ids
    intro = answers.intro_sentence(result.service_code, place.name, len(result.offers), result.nearby)
    far = distance.how_far(place, result.offers[0]) if result.nearby else None
    # A municipal service far away is for that house's own citizens: say so, show no cards.
    far_and_municipal = far is not None and answers.is_municipal(result.service_code)
    if far is not None:
        intro = far_intro(result.service_code, place, far, municipal=far_and_municipal)
    if staff_only:
        intro = wording.text("services.staff_only", intro=intro)
    # What the person must know first, then the houses.
    notes = []
    if not focus:
        notes.append(process_note(result.service_code, place))
    if result.nearby:
        notes.append(answers.own_municipality_note(result.service_code, place.municipality))
    for note in filter(None, notes):
        dispatcher.utter_message(text=note)
    if intro:
        dispatcher.utter_message(text=intro)
    if far_and_municipal:
        return []
    for offer in result.offers:
        _utter_card(dispatcher, tracker, answers.house_card(offer, now, focus=focus))
    return house_ids


def _utter_card(dispatcher: CollectingDispatcher, tracker: Tracker, card: Any) -> None:
    if context.wants_rich_cards(tracker):
        payload = card_payload.to_payload(card)
        dispatcher.utter_message(json_message=dict(payload, text=card_text.house_text(card)))
    else:
        dispatcher.utter_message(text=card_text.house_text(card))


def same_answer_for_all(
    session: Any, service_code: str, candidates: tuple[places.Place, ...], audience: str
) -> places.Place | None:
    """The first candidate place when every candidate gets the same nearest house; else None."""
    first_houses = set()
    for candidate in candidates:
        result = directory.find_houses(session, service_code, candidate, audience=audience, limit=1)
        if not result.found:
            result = directory.find_houses(session, service_code, candidate, audience="staff", limit=1)
        first_houses.add(result.offers[0].house.id if result.found else None)
        if len(first_houses) > 1:
            return None
    return candidates[0] if candidates else None


def far_intro(service_code: str, place: places.Place, far: distance.Far, *, municipal: bool = False) -> str:
    """'Der er ikke et sundhedshus med X i nærheden af Y. Det nærmeste ligger ca. 150 km væk, i Region Z:'

    For a municipal service (no cards follow) the sentence ends by saying whose the house is.
    """
    service = vocabulary.service_display_name(service_code).lower()
    region = wording.text("answers.far.region", region=far.other_region) if far.other_region else ""
    where = {"service": service, "place": place.name, "region": region}
    if far.km is None and municipal:
        return wording.text("answers.far.municipal_no_distance", **where)
    if far.km is None:
        return wording.text("answers.far.no_distance", **where)
    if municipal:
        return wording.text("answers.far.municipal_km", **where, km=round(far.km))
    return wording.text("answers.far.km", **where, km=round(far.km))


def _offer_related_nearby(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    session: Any,
    result: directory.DirectoryResult,
    place: places.Place,
    audience: str,
    now: datetime,
) -> None:
    """When the nearest house is far: a related service at the person's own place, if there is one."""
    if distance.how_far(place, result.offers[0]) is None:
        return
    text = context.message_text(tracker)
    also_named = [m.code for m in vocabulary.find_service_types(text)] if text else []
    codes = [c for c in also_named + distance.related_types(result.service_code) if c != result.service_code]
    offer = distance.related_offer_at_place(session, list(dict.fromkeys(codes)), place, audience)
    if offer is None:
        return
    dispatcher.utter_message(
        text=wording.text(
            "answers.far.related",
            place=place.name,
            service=answers.service_name(offer.service).lower(),
            house=offer.house.name,
        )
    )
    _utter_card(dispatcher, tracker, answers.house_card(offer, now))


def _nearest_house_item(place: places.Place, house: Any) -> str:
    """'Sundhedshus Helsingør (Helsingør, ca. 310 km væk, i Region Hovedstaden)': one of the nearest."""
    km = directory.house_distance_km(place, house)
    if km is None:
        return wording.text("services.house_list_item", house=house.name, town=house.town)
    far = distance.how_far_house(place, house, km)
    if far is not None and far.other_region:
        where = {"house": house.name, "town": house.town, "km": round(km), "region": far.other_region}
        return wording.text("services.house_list_item_region", **where)
    return wording.text("services.house_list_item_km", house=house.name, town=house.town, km=round(km))


def answer_house_services(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    """What the health house at a place offers (staff see staff-only services too); asks for the place."""
    # "Hvad tilbyder Brohuset?" gets the services; "Hvor ligger sundhedshuset i X?", which the
    # classifier often sends here too, gets the address.
    text = context.message_text(tracker) or ""
    service = context.service_from_message(tracker)
    names_a_service = service is not None and not houses.asks_for_the_whole_list(text)
    names_a_service = names_a_service and not houses.names_only_the_house(text)
    if names_a_service and context.place_from_message(tracker) is not None:
        # "er der en patientforening i sundhedshuset i Albertslund?": that service there, not the house card.
        return answer_find_service(dispatcher, tracker)
    want = houses.wanted(tracker.latest_message.get("text") or "", "ask_house_services")
    about_house = houses.answer_named_house(dispatcher, tracker, want=want)
    if about_house is not None:
        return about_house
    if names_a_service:
        # "jordemoder i Nordborg" names what is wanted: where to go for it, not the house's whole list.
        return answer_find_service(dispatcher, tracker)
    resolution = context.place_from_message(tracker)
    if resolution is not None and resolution.is_ambiguous:
        question = context.ambiguity_question(resolution)
        dispatcher.utter_message(text=question.text, buttons=question.buttons)
        return [SlotSet(slots.AWAITING, "house_place")]
    place = resolution.place if resolution is not None else context.remembered_place(tracker)
    if place is None:
        dispatcher.utter_message(response="utter_ask_place_for_house")
        return [SlotSet(slots.AWAITING, "house_place")]
    audience = context.audience(tracker)
    with session_scope() as session:
        offers = directory.services_of_house(session, place, audience=audience)
        if not offers:
            nearest = directory.nearest_houses(session, place, limit=3)
            far = [distance.how_far_house(place, h, directory.house_distance_km(place, h)) for h in nearest]
            names = ", ".join(_nearest_house_item(place, h) for h in nearest)
            if nearest and all(far):
                # Honest distance: 300 km across Storebælt is not "nearby" (issue 12).
                far_text = wording.text("services.no_house_near_place", place=place.name, nearest=names)
                dispatcher.utter_message(text=far_text)
            else:
                dispatcher.utter_message(response="utter_no_house_at_place", place=place.name, nearest=names)
            for notice in dict.fromkeys(h.notice for h in nearest if h.notice):  # sample data says so
                dispatcher.utter_message(response="utter_catalogue_notice", notice=notice)
            return [SlotSet(key, value) for key, value in context.place_slots(place).items()]
        by_house: dict[str, list[str]] = {}
        names: dict[str, str] = {}
        notices: dict[str, str] = {}
        for offer in offers:
            label = answers.service_name(offer.service)
            if offer.service.audience == ["staff"]:
                label = wording.text("services.staff_service", service=label)
            by_house.setdefault(offer.house.id, []).append(label)
            names[offer.house.id] = wording.text(
                "services.house_name", house=offer.house.name, address=answers.address_line(offer.house)
            )
            if offer.house.notice:
                notices[offer.house.id] = card_text.italic(offer.house.notice)
    for house_id, labels in by_house.items():
        lines = [wording.text("services.house_offers", house=names[house_id])]
        lines += [f"- {label}" for label in labels]
        if house_id in notices:  # sample or test data says so on every answer
            lines.append(notices[house_id])
        dispatcher.utter_message(text="\n".join(lines))
    dispatcher.utter_message(response="utter_ask_which_service", buttons=FOLLOW_UP_BUTTONS[3:])
    return [SlotSet(key, value) for key, value in context.place_slots(place).items()] + [
        SlotSet(slots.HOUSE_IDS, list(by_house))
    ]


class ActionFindService(Action):
    """Answer where to go for a service at a place, with hours, booking and referral."""

    def name(self) -> str:
        return "action_find_service"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        return answer_find_service(dispatcher, tracker)


class ActionHouseServices(Action):
    """List what the health house at a place offers."""

    def name(self) -> str:
        return "action_house_services"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        return answer_house_services(dispatcher, tracker)
