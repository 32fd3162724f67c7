"""The typed cards, built by the real card builder from a real database, in all three renderers.

Text (every channel), the web widget's payload and the Teams Adaptive Card must show the same
facts: a fact lost in one of them (as the entry point's phone hours and note once were in Teams)
fails here.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timezone
from typing import Any

import pytest

from bot import answers, card_payload, card_text, events
from bot.cards import EventCard, HouseCard
from bot.catalogue import import_catalogue
from bot.channels import bf_cards
from bot.db import session_scope
from bot.directory import find_houses
from bot.places import resolve_place

# A Monday at 10.00 Danish time (09.00 UTC): the blood tests are open, the entry point answers.
MONDAY_MORNING = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)
NOTE = "Ring helst om formiddagen – om eftermiddagen er der travlt."
NOTICE = "Eksempeldata: ikke rigtige telefonnumre."


@pytest.fixture
def card_database(catalogue_data: dict[str, Any], write_catalogue, database_url: str) -> str:
    house = catalogue_data["houses"][0]
    # A real-looking number: a placeholder ("+45 00 00 00 00") is never shown as one to call.
    house["entry_point"]["phone"] = "+45 11 22 33 44"
    house["entry_point"]["note"] = NOTE
    house["entry_point"]["email"] = "indgang@eksempel.dk"
    house["services"][0]["booking"] = {
        "method": "phone",
        "phone": "+45 00 00 00 01",
        "url": "https://eksempel.dk/book",
        "note": "Hav din henvisning klar",
    }
    import_catalogue(write_catalogue(catalogue_data), url=database_url)
    return database_url


def built_card(service: str = "blodproever", where: str = "Albertslund", **options: Any) -> HouseCard:
    with session_scope() as session:
        offer = find_houses(session, service, resolve_place(where).place).offers[0]
        return answers.house_card(offer, MONDAY_MORNING, **options)


def teams_card(card: HouseCard | EventCard) -> dict[str, Any]:
    activity = bf_cards.custom_activity(card_payload.to_payload(card))
    assert activity is not None
    (attachment,) = activity["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    return attachment["content"]


def facts(card: dict[str, Any]) -> dict[str, str]:
    (fact_set,) = [block for block in card["body"] if block["type"] == "FactSet"]
    return {fact["title"]: fact["value"] for fact in fact_set["facts"]}


def test_the_teams_card_shows_the_entry_points_phone_hours_and_note(card_database: str) -> None:
    card = built_card()
    teams = teams_card(card)
    shown = facts(teams)
    assert shown["Telefontid"] == "man–tir 8.00–15.00; fre 8.00–13.00"
    assert (
        shown["Fælles indgang"]
        == "Sundhedshusets fælles indgang, tlf. 11 22 33 44, e-mail indgang@eksempel.dk"
    )
    assert NOTE in [block.get("text") for block in teams["body"]]


def test_the_teams_card_shows_what_the_text_shows(card_database: str) -> None:
    card = built_card()
    shown = facts(teams_card(card))
    assert shown["Åbningstider"] == "man 7.00–13.00"
    assert shown[""] == "ons 7.00–18.00"
    assert shown["Lige nu"] == "I dag 7.00–13.00 – åbent nu"
    assert shown["Tidsbestilling"] == (
        "Ring og bestil tid på tlf. 00 00 00 01: [eksempel.dk/book](https://eksempel.dk/book). "
        "Hav din henvisning klar"
    )
    assert shown["Henvisning"] == (
        "Kræver henvisning fra egen læge eller hospitalet. "
        "Tal med din egen læge, hvis du ikke har en henvisning"
    )
    text = card_text.house_text(card).replace("**", "")  # the same words, without the bold
    for value in shown.values():
        assert value in text, value
    assert "Bestil tid online" in [action["title"] for action in teams_card(card)["actions"]]


def test_the_text_answer(card_database: str) -> None:
    text = card_text.house_text(built_card())
    assert text.splitlines() == [
        "**Sundhedshuset Eksempelby** – Blodprøver (Eksempel Hospital)",
        "[Eksempelvej 1, 2620 Albertslund](https://www.openstreetmap.org/search?query="
        "Eksempelvej+1%2C+2620+Albertslund%2C+Danmark)",
        "**Åbningstid for blodprøver:** man 7.00–13.00; ons 7.00–18.00",
        "I dag 7.00–13.00 – **åbent nu**",
        "**Tidsbestilling:** Ring og bestil tid på tlf. 00 00 00 01: "
        "[eksempel.dk/book](https://eksempel.dk/book). Hav din henvisning klar",
        "**Henvisning:** Kræver henvisning fra egen læge eller hospitalet. "
        "Tal med din egen læge, hvis du ikke har en henvisning",
        "**Fælles indgang:** Sundhedshusets fælles indgang, tlf. 11 22 33 44, "
        "e-mail indgang@eksempel.dk, telefontid man–tir 8.00–15.00; fre 8.00–13.00",
        f"_{NOTE}_",
    ]


def test_focus_puts_that_line_first(card_database: str) -> None:
    lines = card_text.house_text(built_card(focus="referral")).splitlines()
    assert lines[2].startswith("**Henvisning:**")


def test_the_widget_payload_holds_the_same_card_and_the_same_facts(card_database: str) -> None:
    card = built_card()
    payload = card_payload.to_payload(card)
    assert json.loads(json.dumps(payload)) == payload  # plain JSON, as Rasa sends it
    assert card_payload.from_payload(payload) == card
    house = payload["house"]
    text = card_text.house_text(card)
    assert house["hours"] == [{"days": "man", "hours": "7.00–13.00"}, {"days": "ons", "hours": "7.00–18.00"}]
    assert house["status_text"] == "I dag 7.00–13.00 – åbent nu" and house["open_now"] is True
    assert house["entry_point"]["hours_text"] == "man–tir 8.00–15.00; fre 8.00–13.00"
    assert house["entry_point"]["note"] == NOTE
    for value in (
        house["name"],
        house["service"]["name"],
        house["service"]["provider"],
        house["map_url"],
        house["booking"]["text"],
        house["booking"]["phone"],
        house["booking"]["url"],
        house["booking"]["note"],
        house["referral"]["text"],
        house["entry_point"]["name"],
        house["entry_point"]["phone"],
        house["entry_point"]["email"],
        house["entry_point"]["hours_text"],
        house["entry_point"]["note"],
        *(row["hours"] for row in house["hours"]),
    ):
        assert value in text, value


def test_a_notice_is_shown_by_all_three_renderers(card_database: str) -> None:
    card = replace(built_card(), notice=NOTICE)
    assert NOTICE in card_text.house_text(card)
    assert card_payload.to_payload(card)["house"]["notice"] == NOTICE
    assert NOTICE in [block.get("text") for block in teams_card(card)["body"]]
    assert NOTICE not in card_text.house_text(built_card())


def test_a_house_without_hours_says_so_everywhere(card_database: str) -> None:
    card = built_card("genoptraening")  # no service hours: the house's hours apply
    assert card.hours
    bare = replace(card, hours=(), status=None, entry_point=None)
    assert "ikke oplyst – spørg stedet" in card_text.house_text(bare)
    assert card_payload.to_payload(bare)["house"]["hours_text"] == "ikke oplyst – spørg stedet"
    shown = facts(teams_card(bare))
    assert shown["Åbningstider"] == "ikke oplyst – spørg stedet"
    assert "Lige nu" not in shown  # unknown hours are said once, not twice
    assert "Fælles indgang" not in shown


def test_the_nearest_house_shows_its_distance(card_database: str) -> None:
    card = built_card("genoptraening", "Nordborg")  # only in Albertslund: the nearest, far away
    assert card.distance_km is not None and card.distance_km > 100
    assert f"Ca. {round(card.distance_km)} km væk" in card_text.house_text(card)
    assert facts(teams_card(card))["Afstand"].startswith("ca. ")


def test_a_malformed_card_payload_is_not_shown_in_teams() -> None:
    assert bf_cards.custom_activity({"type": "house_card", "house": {"name": "Uden resten"}}) is None
    with pytest.raises(card_payload.PayloadError):
        card_payload.from_payload({"type": "no_card"})
    with pytest.raises(card_payload.PayloadError):
        card_payload.from_payload({"type": "event_card", "event": {"title": "Uden tidspunkt"}})


def test_the_event_card_in_text_payload_and_teams(card_database: str) -> None:
    (event,) = events.upcoming_events(card_database, now=datetime(2026, 11, 1, tzinfo=timezone.utc))
    card = answers.event_card(event)
    text = card_text.event_text(card)
    assert text.splitlines() == [
        "**Dialogmøde om fælles sundhedshuse**",
        "torsdag 11. marts 2027 kl. 16.30–20.00",
        "Sted: Sundhedshuset Eksempelby, Eksempelvej 1, 2620 Albertslund",
        "For: kommuner, regionen, praksissektoren og brugerrepræsentanter",
        "Tilmeldingsfrist: mandag 1. marts 2027",
        "120 ledige pladser",
    ]
    payload = card_payload.to_payload(card)
    assert card_payload.from_payload(json.loads(json.dumps(payload))) == card
    teams = teams_card(card)
    assert teams["body"][0]["text"] == "Dialogmøde om fælles sundhedshuse"
    for value in facts(teams).values():
        assert value in text


def test_the_entry_point_card_falls_back_to_the_house_hours(card_database: str) -> None:
    with session_scope() as session:
        offer = find_houses(session, "blodproever", resolve_place("Albertslund").place).offers[0]
        house = offer.house
        with_own_hours = answers.entry_point_text(house, MONDAY_MORNING)
        house.entry_point.hours = None
        with_house_hours = answers.entry_point_text(house, MONDAY_MORNING)
        session.rollback()
    assert with_own_hours.splitlines()[3] == "Telefontid: man–tir 8.00–15.00; fre 8.00–13.00"
    lines = with_house_hours.splitlines()
    assert lines[:3] == [
        "**Sundhedshusets fælles indgang** – Sundhedshuset Eksempelby",
        "Telefon: 11 22 33 44",
        "E-mail: indgang@eksempel.dk",
    ]
    assert lines[3] == "Husets åbningstid: man–tir 7.00–21.00"
    assert lines[4] == "I dag 7.00–21.00 – **åbent nu**"
    assert lines[-1] == f"_{NOTE}_"
