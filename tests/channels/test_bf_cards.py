"""Rasa responses rendered as Bot Framework activities."""

from __future__ import annotations

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


HOUSE = {
    "name": "Sundhedshus Nord",
    "service": "Blodprøver",
    "street": "Eksempelvej 1",
    "postcode": "9999",
    "town": "Prøveby",
    "hours": ["Mandag-torsdag 8-15", "Fredag 8-12"],
    "open_now": False,
    "booking": "Ingen tidsbestilling",
    "referral": "Kræver henvisning fra egen læge",
    "entry_point": {"name": "Én indgang", "phone": "11 22 33 44"},
    "booking_url": "https://booking.example.org/nord",
}


def test_a_house_card_is_an_adaptive_card_with_the_given_facts() -> None:
    activity = bf_cards.custom_activity({"type": "house_card", "house": HOUSE})
    assert activity is not None
    (attachment,) = activity["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.4"
    assert card["body"][0]["text"] == "Sundhedshus Nord"
    assert card["body"][1]["text"] == "Blodprøver"
    facts = {fact["title"]: fact["value"] for fact in card["body"][2]["facts"]}
    map_url = "https://www.openstreetmap.org/search?query=Eksempelvej+1%2C+9999+Pr%C3%B8veby%2C+Danmark"
    assert facts["Adresse"] == f"[Eksempelvej 1, 9999 Prøveby]({map_url})"
    assert facts["Åbningstider"] == "Mandag-torsdag 8-15"
    assert facts[""] == "Fredag 8-12"
    assert facts["Åben nu"] == "Nej, lukket lige nu"
    assert facts["Tidsbestilling"] == "Ingen tidsbestilling"
    assert facts["Henvisning"] == "Kræver henvisning fra egen læge"
    assert facts["Indgang"] == "Én indgang, 11 22 33 44"
    assert [action["title"] for action in card["actions"]] == ["Vis på kort", "Book tid"]
    assert activity["summary"] == "Sundhedshus Nord"


def test_a_house_card_shows_nothing_it_was_not_given() -> None:
    activity = bf_cards.custom_activity({"type": "house_card", "house": {"name": "Sundhedshus Syd"}})
    assert activity is not None
    card = activity["attachments"][0]["content"]
    assert card["body"] == [
        {"type": "TextBlock", "text": "Sundhedshus Syd", "weight": "Bolder", "size": "Medium", "wrap": True}
    ]
    assert "actions" not in card


def test_coordinates_give_a_map_pin() -> None:
    card = bf_cards.house_card({"name": "Sundhedshus Øst", "lat": 56.0, "lon": 12.5})
    (action,) = card["content"]["actions"]
    assert (
        action["url"] == "https://www.openstreetmap.org/?mlat=56.00000&mlon=12.50000#map=17/56.00000/12.50000"
    )


def test_several_houses_become_a_carousel() -> None:
    activity = bf_cards.custom_activity(
        {
            "type": "house_cards",
            "text": "Her er to steder:",
            "houses": [{"name": "A-huset"}, {"name": "B-huset"}],
        }
    )
    assert activity is not None
    assert activity["attachmentLayout"] == "carousel"
    assert activity["text"] == "Her er to steder:"
    assert len(activity["attachments"]) == 2


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


def test_a_house_card_shows_the_catalogue_notice_only_when_there_is_one() -> None:
    notice = "Eksempeldata: tjek oplysningerne med huset, før du møder op."
    with_notice = bf_cards.house_card({"name": "Sundhedshuset Eksempelby", "notice": notice})
    texts = [block.get("text") for block in with_notice["content"]["body"]]
    assert f"Bemærk: {notice}" in texts
    without = bf_cards.house_card({"name": "Sundhedshuset Eksempelby"})
    assert not any("Bemærk" in str(block.get("text")) for block in without["content"]["body"])
