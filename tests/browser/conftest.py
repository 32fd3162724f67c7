"""Fixtures for the browser tests: headless Chromium, the web server, a proxy to Rasa.

`rasa_stack` (tests/conftest.py) starts the action server and the Rasa server with
the trained model. The widget reaches Rasa through `CuttableProxy`, so a test can
cut the connection the way a network drop would.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import (
    AXE_SCRIPT,
    CHROMIUM,
    CHROMIUM_ARGS,
    SETUP_HINT,
    CuttableProxy,
    WebServer,
    new_context,
)
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright
from scripted_channel import ScriptedChannel

# Replies come from a real Rasa server on a shared machine; give them time.
expect.set_options(timeout=20_000)


# Module scope: the sync API keeps an event loop running in this thread until it is closed,
# which would break later asyncio.run() users in the same test run.
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists() or not AXE_SCRIPT.exists():
        pytest.fail(SETUP_HINT)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def rasa_proxy(rasa_stack) -> Iterator[CuttableProxy]:
    proxy = CuttableProxy(rasa_stack.rasa_url).start()
    yield proxy
    proxy.stop()


@pytest.fixture(scope="session")
def web_server(rasa_stack, rasa_proxy: CuttableProxy) -> Iterator[WebServer]:
    """The demo page, with the widget pointed at the real Rasa server (through the proxy).

    On the port whose origin the Rasa server allows (CORS and the socket.io origin check).
    """
    server = WebServer.start(rasa_proxy.url, port=rasa_stack.web_port)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def scripted_web_server() -> Iterator[WebServer]:
    """The demo page, with the widget pointed at the scripted channel (rendering tests only)."""
    channel = ScriptedChannel().start()
    server = WebServer.start(channel.url)
    yield server
    server.stop()
    channel.stop()


@pytest.fixture(autouse=True)
def _proxy_restored(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test that cuts the connection must not leave it cut for the next one."""
    yield
    if "rasa_proxy" in request.fixturenames:
        request.getfixturevalue("rasa_proxy").restore()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = new_context(browser)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext, web_server: WebServer) -> Page:
    page = context.new_page()
    page.goto(web_server.url + "/")
    return page


@pytest.fixture
def screenshot_dir(tmp_path: Path) -> Path:
    """Where screenshots go: $SCREENSHOT_DIR (e.g. var/screenshots) to look at them, else tmp."""
    directory = Path(os.environ.get("SCREENSHOT_DIR", tmp_path))
    directory.mkdir(parents=True, exist_ok=True)
    return directory
