"""What a test does with the chat widget, in one place (locators are the widget's class names)."""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

BOT_REPLIES = ".shc-log .shc-from-bot:not(.shc-greeting)"
USER_MESSAGES = ".shc-log .shc-from-user"


def launcher(page: Page) -> Locator:
    return page.locator(".shc-launcher")


def chat_input(page: Page) -> Locator:
    return page.get_by_label("Skriv din besked")


def bot_replies(page: Page) -> Locator:
    return page.locator(BOT_REPLIES)


def user_messages(page: Page) -> Locator:
    return page.locator(USER_MESSAGES)


def wait_connected(page: Page) -> None:
    page.wait_for_function("() => window.sundhedshusChat && window.sundhedshusChat.connected")


def open_chat(page: Page) -> None:
    launcher(page).click()
    expect(chat_input(page)).to_be_focused()
    wait_connected(page)


def send(page: Page, text: str) -> Locator:
    """Types and sends `text`; returns the first bot reply that arrives after it."""
    replies_before = bot_replies(page).count()
    chat_input(page).fill(text)
    chat_input(page).press("Enter")
    expect(user_messages(page).last).to_contain_text(text)
    reply = bot_replies(page).nth(replies_before)
    expect(reply).to_be_visible()
    return reply


def tab_to(page: Page, target: Locator, max_presses: int = 40) -> None:
    """Presses Tab until `target` has focus, as a keyboard user would."""
    for _ in range(max_presses):
        page.keyboard.press("Tab")
        if target.evaluate("(element) => element === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {target} in {max_presses} presses")
