"""How the widget renders payloads: house cards and Markdown, safely.

The widget here talks to the scripted socket.io channel (scripted_channel.py), which
sends payloads the trained bot does not send yet; the protocol is Rasa's.
"""

from __future__ import annotations

import re

from browser_support import axe_violations, describe_violations
from chat_page import bot_replies, open_chat, send
from playwright.sync_api import BrowserContext, Page, expect


def scripted_page(context: BrowserContext, scripted_web_server) -> Page:
    page = context.new_page()
    page.goto(scripted_web_server.url + "/")
    open_chat(page)
    return page


def test_house_card_shows_the_house_and_passes_axe(context, scripted_web_server, screenshot_dir) -> None:
    page = scripted_page(context, scripted_web_server)

    send(page, "kort")
    card = page.get_by_role("article", name="Sundhedshuset Eksempelby")

    expect(card.get_by_role("heading", name="Sundhedshuset Eksempelby")).to_be_visible()
    expect(card).to_contain_text("Blodprøvetagning – Eksempel Hospital")
    expect(card).to_contain_text("Eksempeldata – ikke et rigtigt sundhedshus.")
    expect(card).to_contain_text("Eksempelvej 1, 2620 Albertslund (ca. 2,3 km)")
    expect(card.locator(".shc-badge")).to_have_text("Åbent nu")
    # Beside the badge the sentence does not say "åbent nu" a second time.
    expect(card.locator(".shc-card-status")).to_have_text("Åbent nu I dag 7.00–13.00")
    expect(card).to_contain_text("ons: 7.00–18.00")
    # The booking line keeps the whole note, its warning included.
    expect(card).to_contain_text(
        "Bestil tid online. Har hospitalet bestilt prøven, bestiller du tid på blodproever.dk. "
        "Tag din henvisning med."
    )
    expect(card).to_contain_text("Kræver henvisning fra egen læge eller hospitalet")
    expect(card).not_to_contain_text("Kræver henvisning. Kræver henvisning")
    expect(card).not_to_contain_text("Kræver henvisning: Henvisning")
    expect(card).to_contain_text("Sundhedshusets fælles indgang, tlf. +45 00 00 00 00")
    expect(card).to_contain_text("Telefontid: man–fre 8.00–15.00")
    expect(card).to_contain_text("Ring helst om formiddagen.")
    map_link = card.get_by_role("link", name=re.compile(r"^Vis .+ på kort"))
    map_url = "https://www.openstreetmap.org/search?query=Eksempelvej%201%2C%202620%20Albertslund"
    expect(map_link).to_have_attribute("href", map_url)
    expect(map_link).to_have_attribute("target", "_blank")
    expect(map_link).to_have_attribute("rel", "noopener noreferrer")
    expect(card.get_by_role("link", name="+45 00 00 00 00")).to_have_attribute("href", "tel:+4500000000")

    violations = axe_violations(page)
    page.screenshot(path=str(screenshot_dir / "house-card.png"))
    assert violations == [], describe_violations(violations)


def test_unknown_hours_are_said_once_not_again_as_a_status(context, scripted_web_server) -> None:
    page = scripted_page(context, scripted_web_server)

    send(page, "ukendt tid")
    card = page.get_by_role("article", name="Sundhedshuset Ukendtby")
    expect(card).to_contain_text("Åbningstider")
    expect(card).to_contain_text("ikke oplyst – spørg stedet")
    expect(card.locator(".shc-card-status")).to_have_count(0)
    expect(card).not_to_contain_text("Åbningstid: spørg stedet")


def test_event_card_shows_the_event_and_passes_axe(context, scripted_web_server) -> None:
    page = scripted_page(context, scripted_web_server)

    send(page, "arrangement")
    card = page.get_by_role("article", name="Dialogmøde om fælles sundhedshuse")

    expect(card.get_by_role("heading", name="Dialogmøde om fælles sundhedshuse")).to_be_visible()
    expect(card).to_contain_text("torsdag 11. marts 2027 kl. 16.30–20.00")
    expect(card).to_contain_text("Sundhedshuset Eksempelby, Eksempelvej 1, 2620 Albertslund")
    expect(card).to_contain_text("kommuner og regionen")
    expect(card).to_contain_text("mandag 1. marts 2027")
    expect(card).to_contain_text("120 ledige pladser")
    violations = axe_violations(page)
    assert violations == [], describe_violations(violations)


def test_markdown_is_rendered_and_html_from_the_bot_is_shown_as_text(context, scripted_web_server) -> None:
    page = scripted_page(context, scripted_web_server)

    reply = send(page, "markdown")

    expect(reply.locator("strong")).to_have_text("fed tekst")
    booking = reply.get_by_role("link", name="bookingsiden")
    expect(booking).to_have_attribute("href", "https://example.invalid/book")
    expect(booking).to_have_attribute("target", "_blank")
    expect(booking).to_have_attribute("rel", "noopener noreferrer")
    expect(reply).to_contain_text('<img src="x" onerror="window.__xss = true">')
    expect(reply.locator("img")).to_have_count(0)
    expect(reply.locator("br")).to_have_count(1)
    expect(reply.get_by_role("link", name="ond")).to_have_count(0)
    assert page.evaluate("window.__xss") is None
    assert bot_replies(page).count() == 1
