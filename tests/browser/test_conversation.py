"""Conversations with the real assistant through the widget, in headless Chromium."""

from __future__ import annotations

import re

from browser_support import CuttableProxy
from chat_page import (
    bot_replies,
    chat_input,
    launcher,
    open_chat,
    send,
    tab_to,
    user_messages,
    wait_connected,
)
from playwright.sync_api import Page, expect

DANISH_LETTERS_OR_WORDS = re.compile(r"[æøå]|\b(og|jeg|du|kan|hej)\b", re.IGNORECASE)


def test_keyboard_only_open_send_and_close(page: Page) -> None:
    tab_to(page, launcher(page))
    page.keyboard.press("Enter")
    expect(launcher(page)).to_have_attribute("aria-expanded", "true")
    expect(chat_input(page)).to_be_focused()
    wait_connected(page)

    page.keyboard.type("hej")
    page.keyboard.press("Enter")

    expect(user_messages(page).last).to_contain_text("hej")
    reply = bot_replies(page).first
    expect(reply).to_be_visible()
    assert DANISH_LETTERS_OR_WORDS.search(reply.inner_text())
    expect(chat_input(page)).to_be_focused()
    log = page.get_by_role("log")
    expect(log).to_have_attribute("aria-live", "polite")

    page.keyboard.press("Escape")
    expect(page.locator("#shc-panel")).to_be_hidden()
    expect(launcher(page)).to_be_focused()
    expect(launcher(page)).to_have_attribute("aria-expanded", "false")


def test_answer_buttons_are_reachable_by_tab_and_send_their_payload(page: Page) -> None:
    open_chat(page)
    send(page, "hej")
    first_choice = page.locator(".shc-choice:not([disabled])").first
    title = first_choice.inner_text()
    replies_before = bot_replies(page).count()

    tab_to(page, first_choice)
    page.keyboard.press("Enter")

    expect(user_messages(page).last).to_have_text(re.compile(re.escape(title)))
    expect(bot_replies(page).nth(replies_before)).to_be_visible()
    expect(page.locator(".shc-choice").first).to_be_disabled()


def test_blood_test_question_gets_the_answer_card(page: Page, screenshot_dir) -> None:
    open_chat(page)

    send(page, "hvor kan jeg få taget en blodprøve i Helsingør?")

    card = page.locator(".shc-card").first
    expect(card).to_be_visible(timeout=30_000)
    expect(card.locator(".shc-card-title")).to_have_text("Sundhedshuset i Helsingør")
    expect(card).to_contain_text("Prøvestenen, 3000 Helsingør")
    expect(card).to_contain_text("ikke oplyst")  # no current hours in the sources
    # The sample catalogue says so on the card; its placeholder number is not a link.
    expect(card.locator(".shc-card-notice")).to_contain_text("Eksempeldata")
    expect(card.locator('a[href^="tel:"]')).to_have_count(0)
    expect(card).not_to_contain_text("00 00 00 00")
    expect(card).to_contain_text("Kræver henvisning")
    # The line under the answer says it is sample data, not "opdateret …" as if it were current.
    expect(page.locator(".shc-log")).to_contain_text("Oplysningerne er eksempeldata")
    expect(page.locator(".shc-log")).not_to_contain_text("sundhedshusenes katalog, opdateret")
    card.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "blood-test-answer.png"))
    expect(card.get_by_role("link", name="Vis Sundhedshuset i Helsingør på kort")).to_have_attribute(
        "href", re.compile(r"^https://www\.openstreetmap\.org/")
    )
    # The follow-up buttons under the card are real buttons; the answer is about that house.
    replies_before = bot_replies(page).count()
    page.get_by_role("button", name="Skal jeg have en henvisning?").last.click()
    expect(user_messages(page).last).to_contain_text("Skal jeg have en henvisning?")
    answer = bot_replies(page).nth(replies_before)
    expect(answer).to_contain_text("Sundhedshuset i Helsingør", timeout=30_000)
    expect(answer).to_contain_text("Kræver henvisning")


def test_conversation_survives_a_reload(page: Page) -> None:
    open_chat(page)
    send(page, "hej")
    session_id = page.evaluate("window.sundhedshusChat.sessionId")
    shown_before = page.locator(".shc-log").inner_text()

    page.reload()

    expect(page.locator("#shc-panel")).to_be_visible()
    wait_connected(page)
    assert page.evaluate("window.sundhedshusChat.sessionId") == session_id
    assert page.locator(".shc-log").inner_text() == shown_before
    send(page, "tak")


def test_connection_drop_is_shown_and_recovers(page: Page, rasa_proxy: CuttableProxy) -> None:
    open_chat(page)
    notice = page.get_by_role("status")

    rasa_proxy.cut()
    expect(notice).to_have_text("Forbindelsen er afbrudt – vi prøver igen …")
    chat_input(page).fill("hej")
    chat_input(page).press("Enter")
    expect(notice).to_contain_text("Beskeden blev ikke sendt")
    expect(chat_input(page)).to_have_value("hej")

    rasa_proxy.restore()
    expect(notice).to_have_text("Forbindelsen er genoprettet")
    wait_connected(page)
    send(page, "hej")


def test_event_listing_from_sample_data_says_so(page: Page) -> None:
    open_chat(page)
    send(page, "hvilke arrangementer er der i Sønderborg?")  # the sample's Nordborg event
    expect(page.locator(".shc-log")).to_contain_text("Bemærk: Eksempeldata", timeout=30_000)


def test_a_catalogue_without_a_notice_shows_none(page: Page, rasa_stack) -> None:
    from bot.catalogue import import_catalogue

    import_catalogue(
        """
version: 1
updated: 2026-11-20
houses:
  - id: test-browser-viborg
    name: Testhuset Viborg
    municipality: Viborg
    address: {street: "Prøvegade 2", postcode: "8800", town: "Viborg"}
    entry_point: {name: Testhusets indgang, phone: "86 00 00 01"}
    services:
      - type: fodterapi
        referral: not_required
        booking: {method: drop_in}
""",
        url=rasa_stack.database_url,
    )
    open_chat(page)
    send(page, "fodterapi i Viborg")
    card = page.locator(".shc-card", has_text="Testhuset Viborg").first
    expect(card).to_be_visible(timeout=30_000)
    expect(card.locator(".shc-card-notice")).to_have_count(0)
    expect(card).not_to_contain_text("Eksempeldata")
    expect(card.get_by_role("link", name="86 00 00 01")).to_have_attribute("href", "tel:86000001")
    # Only Viborg's house is shown, from a catalogue without a notice: the plain freshness line.
    line = bot_replies(page).filter(has_text="Oplysningerne er").last
    expect(line).to_contain_text("Oplysningerne er fra sundhedshusenes katalog, opdateret")
    expect(line).not_to_contain_text("eksempeldata")
