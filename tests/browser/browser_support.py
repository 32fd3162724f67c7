"""Helpers for the browser tests: free ports, a cuttable TCP proxy, the web server process, axe."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from bot import settings
from bot.stack import free_port

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_SCRIPT = settings.PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SETUP_HINT = "Kør scripts/setup-browser.sh (Chromium og npm ci) før browsertestene."


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise TimeoutError(f"{what} within {timeout:.0f} s")


def http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


class CuttableProxy:
    """A TCP proxy to the Rasa server whose connections the test can cut and restore.

    Cutting closes every open connection and stops listening, which is what a
    browser sees when the network or the server goes away; restoring listens
    on the same port again so the widget can reconnect.
    """

    def __init__(self, target_url: str) -> None:
        target = urlsplit(target_url)
        self.target_host = target.hostname or "127.0.0.1"
        self.target_port = target.port or (443 if target.scheme == "https" else 80)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.AbstractServer | None = None
        self._connections: set[asyncio.StreamWriter] = set()

    def start(self) -> CuttableProxy:
        self._thread.start()
        self.restore()
        return self

    def stop(self) -> None:
        self.cut()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)

    def restore(self) -> None:
        self._call(self._listen())

    def cut(self) -> None:
        self._call(self._cut())

    def _call(self, coroutine) -> None:
        asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=10)

    async def _listen(self) -> None:
        if self._server is None:
            self._server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)

    async def _cut(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        for writer in list(self._connections):
            writer.transport.abort()
        self._connections.clear()

    async def _handle(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        try:
            target_reader, target_writer = await asyncio.open_connection(self.target_host, self.target_port)
        except OSError:
            client_writer.transport.abort()
            return
        self._connections.update((client_writer, target_writer))
        await asyncio.gather(
            self._pipe(client_reader, target_writer), self._pipe(target_reader, client_writer)
        )
        self._connections.discard(client_writer)
        self._connections.discard(target_writer)

    @staticmethod
    async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.transport.abort()


@dataclass
class WebServer:
    """`python -m bot web` running as a subprocess."""

    url: str
    process: subprocess.Popen

    @classmethod
    def start(cls, rasa_url: str, port: int | None = None) -> WebServer:
        port = port or free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "web", "--port", str(port), "--rasa-url", rasa_url],
            cwd=settings.PROJECT_ROOT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        server = cls(url=f"http://127.0.0.1:{port}", process=process)
        try:
            wait_until(
                lambda: process.poll() is None and http_ok(server.url + "/healthz"), 30, "web server up"
            )
        except TimeoutError:
            server.stop()
            raise RuntimeError(f"`python -m bot web` did not start:\n{process.stdout.read()}") from None
        return server

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


VIEWPORT = {"width": 1280, "height": 800}


def new_context(browser, **options):
    """A Danish browser context with axe-core available on every page."""
    context = browser.new_context(locale="da-DK", viewport=options.pop("viewport", VIEWPORT), **options)
    # An init script is not subject to the page's Content-Security-Policy, unlike a script tag.
    context.add_init_script(path=str(AXE_SCRIPT))
    context.set_default_timeout(20_000)
    return context


def axe_violations(page) -> list[dict]:
    """Runs axe-core (injected by the browser context) with the WCAG 2.1 A/AA rules."""
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            return result.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map((n) => n.target.join(" ") + ": " + n.failureSummary),
            }));
        }""",
        AXE_TAGS,
    )


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines.extend(f"    {node}" for node in violation["nodes"])
    return "\n".join(lines)
