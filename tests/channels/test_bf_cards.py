"""Rasa responses rendered as Bot Framework activities."""

from __future__ import annotations

from dataclasses import replace

from bot.card_payload import to_payload
from bot.cards import Address, Booking, HouseCard, Referral, ServiceInfo
from bot.channels import bf_cards


def test_single_newlines_become_visible_line_breaks_in_teams_markdown() -> None:
    text = "Hej!\nSkriv ikke dit CPR-nummer her.\r\n\n\n**Åbent** i dag"
    activity = bf_cards.message_activity(text)
    assert activity["text"] == "Hej!\n\nSkriv ikke dit CPR-nummer her.\n\n**Åbent** i dag"
    assert activity["textFormat"] == "markdown"


def test_buttons_are_message_back_actions_carrying_the_payload() -> None:
    activity = bf_cards.buttons_activity(
        "Hvad vil du?",
        [
            {"title": "Arrangementer", "payload": "/list_events"},
            {"title": "Blodprøve", "payload": "Blodprøve"},
        ],
    )
    assert activity["text"] == "Hvad vil du?"
    (card,) = activity["attachments"]
    assert card["contentType"] == "application/vnd.microsoft.card.hero"
    first, second = card["content"]["buttons"]
    assert first == {
        "type": "messageBack",
        "title": "Arrangementer",
        "text": "Arrangementer",
        "displayText": "Arrangementer",
        "value": {"payload": "/list_events"},
    }
    assert second["value"] == {"payload": "Blodprøve"}


def test_link_buttons_open_the_url() -> None:
    activity = bf_cards.buttons_activity(
        "Læs mere", [{"title": "sundhed.dk", "type": "web_url", "url": "https://www.sundhed.dk"}]
    )
    assert activity["attachments"][0]["content"]["buttons"] == [
        {"type": "openUrl", "title": "sundhed.dk", "value": "https://www.sundhed.dk"}
    ]


def test_more_than_six_buttons_are_spread_over_several_cards() -> None:
    buttons = [{"title": f"Valg {n}", "payload": f"/valg{n}"} for n in range(8)]
    cards = bf_cards.buttons_activity("Vælg", buttons)["attachments"]
    assert [len(card["content"]["buttons"]) for card in cards] == [6, 2]


# House and event cards are built by the real card builder from a real database and checked
# against the text answer in tests/unit/test_cards.py; here, how the payload becomes activities.
HOUSE = HouseCard(
    id="a-huset",
    name="A-huset",
    service=ServiceInfo(type="blodproever", name="Blodprøver"),
    address=Address(street="Eksempelvej 1", postcode="2620", town="Albertslund"),
    map_url="https://www.openstreetmap.org/?mlat=56.0&mlon=12.5#map=17/56.0/12.5",
    distance_km=None,
    hours=(),
    status=None,
    booking=Booking(method="drop_in", text="Mød op – der er ingen tidsbestilling"),
    referral=Referral(status="not_required", text="Ingen henvisning nødvendig"),
    entry_point=None,
)


def test_a_house_card_is_an_adaptive_card_with_a_summary() -> None:
    activity = bf_cards.custom_activity(dict(to_payload(HOUSE), text="Her er stedet:"))
    assert activity is not None
    assert activity["text"] == "Her er stedet:"
    assert activity["summary"] == "A-huset"
    (attachment,) = activity["attachments"]
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.4"
    assert [action["title"] for action in card["actions"]] == ["Vis A-huset på kort"]


def test_several_houses_become_a_carousel() -> None:
    houses = [to_payload(HOUSE)["house"], to_payload(replace(HOUSE, id="b", name="B-huset"))["house"]]
    activity = bf_cards.custom_activity(
        {"type": "house_cards", "text": "Her er to steder:", "houses": houses}
    )
    assert activity is not None
    assert activity["attachmentLayout"] == "carousel"
    assert activity["text"] == "Her er to steder:"
    assert activity["summary"] == "A-huset, B-huset"


def test_custom_responses_without_a_teams_form_are_skipped_and_activities_pass_through() -> None:
    assert bf_cards.custom_activity({"type": "something_for_the_web_widget", "x": 1}) is None
    assert bf_cards.custom_activity({"type": "house_card", "house": {}}) is None
    passed = bf_cards.custom_activity(
        {"attachments": [{"contentType": "text/html", "content": "<b>Hej</b>"}]}
    )
    assert passed == {
        "type": "message",
        "attachments": [{"contentType": "text/html", "content": "<b>Hej</b>"}],
    }
