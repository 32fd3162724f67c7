"""The aiohttp server behind the demo page (no browser needed)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.web.server import create_app, validated_rasa_url


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

    assert "<script>\"" not in body
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
