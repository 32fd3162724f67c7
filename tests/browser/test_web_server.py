"""The aiohttp server behind the demo page (no browser needed)."""

from __future__ import annotations

import asyncio
import json
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot import wording
from bot.web import widget_texts
from bot.web.server import create_app, validated_rasa_url
from bot.web.widget_texts import MARKER, WIDGET_SCRIPT
from tests.unit.test_wording import is_danish_sentence


def fetch(app, path: str) -> tuple[int, dict[str, str], str]:
    async def get() -> tuple[int, dict[str, str], str]:
        async with TestClient(TestServer(app)) as client:
            response = await client.get(path)
            return response.status, dict(response.headers), await response.text()

    # Own thread: Playwright's sync API may already run an event loop in this one.
    with ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(asyncio.run, get()).result()


def test_demo_page_is_danish_and_embeds_the_widget_with_the_rasa_url() -> None:
    status, headers, body = fetch(create_app("https://rasa.example.dk/"), "/")

    assert status == 200
    assert '<html lang="da">' in body
    assert '<script src="/widget/widget.js" data-rasa-url="https://rasa.example.dk"' in body
    policy = headers["Content-Security-Policy"]
    assert "connect-src 'self' https://rasa.example.dk wss://rasa.example.dk" in policy
    assert "script-src 'self';" in policy


def test_rasa_url_is_escaped_into_the_page() -> None:
    _, _, body = fetch(create_app('http://rasa.example.dk/?a="><script>'), "/")

    assert '<script>"' not in body
    assert "&quot;&gt;&lt;script&gt;" in body


@pytest.mark.parametrize("bad_url", ["rasa.example.dk", "ftp://rasa.example.dk", "http://", ""])
def test_rasa_url_must_be_http_or_https(bad_url: str) -> None:
    with pytest.raises(ValueError, match="Rasa-adressen skal være en http- eller https-adresse"):
        validated_rasa_url(bad_url)


def test_widget_files_and_socket_io_client_are_served() -> None:
    def app():  # an aiohttp app belongs to one event loop, and each fetch runs its own
        return create_app("http://localhost:5005")

    assert fetch(app(), "/widget/widget.js")[0] == 200
    assert fetch(app(), "/widget/widget.css")[0] == 200
    status, headers, body = fetch(app(), "/widget/vendor/socket.io.min.js")
    assert status == 200, "run scripts/setup-browser.sh (npm ci)"
    assert headers["Content-Type"].startswith("application/javascript")
    assert "Socket.IO v4" in body[:200]


def test_missing_socket_io_client_gets_a_danish_message(tmp_path: Path) -> None:
    app = create_app("http://localhost:5005", socket_io_client_path=tmp_path / "missing.js")

    status, _, body = fetch(app, "/widget/vendor/socket.io.min.js")

    assert status == 503
    assert "Kør scripts/setup-browser.sh" in body


def test_unknown_page_gets_a_danish_404() -> None:
    status, _, body = fetch(create_app("http://localhost:5005"), "/findes-ikke")

    assert status == 404
    assert body == "Siden findes ikke."


def test_privacy_page_is_served_in_danish_and_linked_from_the_page_and_the_widget(monkeypatch) -> None:
    monkeypatch.setenv("CONVERSATION_RETENTION_DAYS", "9")

    def app():
        return create_app("http://localhost:5005")

    status, headers, body = fetch(app(), "/privatliv")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert '<html lang="da">' in body and "<h1>Sådan bruger vi dine oplysninger</h1>" in body
    assert "9 dage" in body and "afmeld mig" in body and "dataansvarlig" in body
    assert "Content-Security-Policy" in headers
    assert '<a href="/privatliv">Sådan bruger vi dine oplysninger</a>' in fetch(app(), "/")[2]
    widget = fetch(app(), "/widget/widget.js")[2]
    assert 'new URL("/privatliv", script.src)' in widget and "Sådan bruger vi dine oplysninger" in widget


def _texts_in(node: object) -> list[str]:
    if isinstance(node, dict):
        return [text for child in node.values() for text in _texts_in(child)]
    return [str(node)]


def test_widget_js_is_served_with_every_word_of_its_copy_file_and_nothing_left_to_fill() -> None:
    status, headers, script = fetch(create_app("http://localhost:5005"), "/widget/widget.js")

    assert status == 200 and headers["Content-Type"].startswith("application/javascript")
    assert MARKER not in script
    served = json.loads(script.split("var TEXT = ", 1)[1].split(";\n", 1)[0])
    assert served == wording.section("widget")
    words = _texts_in(served)
    assert len(words) > 40 and "Åbent nu" in words and "Tilmeldingsfrist" in words


def test_the_widget_script_in_the_repository_has_no_danish_of_its_own() -> None:
    """Its words live in bot/copy/widget.yml, where communications staff review them."""
    source = WIDGET_SCRIPT.read_text(encoding="utf-8")
    # Comments may explain in Danish: leave out whole-line // comments and /* */ blocks opening a line.
    code = re.sub(r"^[ \t]*/\*.*?\*/|^[ \t]*//[^\n]*", "", source, flags=re.S | re.M)
    literals = re.findall(r'"((?:[^"\\\n]|\\.)*)"', code)
    assert len(literals) > 50  # the scan sees the script's strings
    danish = [text for text in literals if is_danish_sentence(text)]
    assert not danish, f"Move these to bot/copy/widget.yml: {danish}"


def test_a_copy_text_cannot_end_the_script_early(monkeypatch) -> None:
    monkeypatch.setattr(
        widget_texts, "widget_texts", lambda: {**wording.section("widget"), "title": "</script><b>x"}
    )
    widget_texts.widget_script.cache_clear()
    try:
        served = widget_texts.widget_script().split("var TEXT = ", 1)[1].split(";\n", 1)[0]
        assert "</script>" not in served and json.loads(served)["title"] == "</script><b>x"
    finally:
        widget_texts.widget_script.cache_clear()
