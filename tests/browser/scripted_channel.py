"""A scripted socket.io server that speaks Rasa's socket.io channel protocol.

It is not Rasa: it answers fixed payloads, so the rendering tests can show the
widget payloads the trained bot does not send (yet), such as a house card and
hostile Markdown. It uses python-socketio, the library Rasa's channel is built on,
with the same events: session_request -> session_confirm, user_uttered -> bot_uttered.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import socketio
from aiohttp import web
from browser_support import free_port

HOUSE_CARD: dict[str, Any] = {
    "type": "house_card",
    "house": {
        "id": "eksempelby",
        "name": "Sundhedshuset Eksempelby",
        "address": {"street": "Eksempelvej 1", "postcode": "2620", "town": "Albertslund"},
        "distance_km": 2.34,
        "service": {"type": "blodproever", "name": "Blodprøvetagning", "provider": "Eksempel Hospital"},
        "open_now": True,
        "status_text": "Lukker kl. 13.00 i dag.",
        "hours": [{"days": "Mandag, tirsdag, torsdag og fredag", "hours": "07.00–13.00"},
                  {"days": "Onsdag", "hours": "07.00–18.00"}],
        "booking": {"method": "online", "url": "https://example.invalid/book"},
        "referral": {"status": "required", "text": "Henvisning fra egen læge eller hospitalet"},
        "entry_point": {"name": "Sundhedshusets fælles indgang", "phone": "+45 00 00 00 00",
                        "hours_text": "Hverdage 8.00–15.00"},
    },
}

HOSTILE_MARKDOWN = (
    "Se **fed tekst** og [bookingsiden](https://www.sundhed.dk/).\n"
    '<img src="x" onerror="window.__xss = true"> og [ond](javascript:window.__xss=true)'
)

SCRIPT: dict[str, list[dict[str, Any]]] = {
    "kort": [{"text": "Her er huset:"}, {"custom": HOUSE_CARD}],
    "markdown": [{"text": HOSTILE_MARKDOWN}],
}


class ScriptedChannel:
    """Runs in a background thread; `url` is what the widget's data-rasa-url points at."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._runner: web.AppRunner | None = None

    def start(self) -> ScriptedChannel:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._serve(), self._loop).result(timeout=10)
        return self

    def stop(self) -> None:
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)

    async def _serve(self) -> None:
        sio = socketio.AsyncServer(async_mode="aiohttp", cors_allowed_origins="*")
        app = web.Application()
        sio.attach(app)

        @sio.on("session_request")
        async def session_request(sid: str, data: dict) -> None:
            await sio.enter_room(sid, data["session_id"])
            await sio.emit("session_confirm", data["session_id"], room=sid)

        @sio.on("user_uttered")
        async def user_uttered(sid: str, data: dict) -> None:
            for payload in SCRIPT.get(data.get("message", ""), [{"text": "Det forstod jeg ikke."}]):
                await sio.emit("bot_uttered", payload, room=data["session_id"])

        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()
