"""The demo page: Danish, says it is a demo, passes axe (WCAG 2.1 A/AA), reflows at 200 % zoom."""

from __future__ import annotations

from browser_support import axe_violations, describe_violations, new_context
from chat_page import chat_input, launcher, open_chat, send
from playwright.sync_api import Browser, Page, expect


def test_page_is_danish_says_demo_and_has_no_axe_violations(page: Page, screenshot_dir) -> None:
    assert page.locator("html").get_attribute("lang") == "da"
    expect(page).to_have_title("Sundhedshuse – Region Hovedstaden (demo)")
    banner = page.locator(".demo-banner")
    expect(banner).to_contain_text("Dette er ikke Region Hovedstadens rigtige hjemmeside")
    expect(launcher(page)).to_have_attribute("aria-expanded", "false")

    violations = axe_violations(page)

    page.screenshot(path=str(screenshot_dir / "demo-page-closed.png"))
    assert violations == [], describe_violations(violations)


def test_open_chat_with_a_conversation_has_no_axe_violations(page: Page, screenshot_dir) -> None:
    open_chat(page)
    send(page, "hej")

    violations = axe_violations(page)

    page.screenshot(path=str(screenshot_dir / "demo-page-chat-open.png"))
    assert violations == [], describe_violations(violations)


def test_chat_fits_the_screen_at_200_percent_zoom(browser: Browser, web_server, screenshot_dir) -> None:
    # 200 % zoom of a 1280 x 800 window leaves 640 x 400 CSS pixels.
    context = new_context(browser, viewport={"width": 640, "height": 400})
    page = context.new_page()
    page.goto(web_server.url + "/")
    open_chat(page)
    send(page, "hej")

    viewport = page.viewport_size
    close_button = page.get_by_role("button", name="Luk chatten")
    for part in (chat_input(page), page.get_by_role("button", name="Send"), close_button):
        box = part.bounding_box()
        assert box is not None
        assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], part
        assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"], part
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(screenshot_dir / "chat-200-percent.png"))
    context.close()
