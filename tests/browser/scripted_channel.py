"""A scripted socket.io server that speaks Rasa's socket.io channel protocol.

It is not Rasa: it answers fixed payloads, so the rendering tests can show the
widget payloads the trained bot does not send (yet), such as a house card and
hostile Markdown. It uses python-socketio, the library Rasa's channel is built on,
with the same events: session_request -> session_confirm, user_uttered -> bot_uttered.
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import replace
from typing import Any

import socketio
from aiohttp import web
from browser_support import free_port

from bot.card_payload import to_payload
from bot.cards import (
    Address,
    Booking,
    EntryPointInfo,
    EventCard,
    HoursRow,
    HouseCard,
    OpenStatus,
    Referral,
    ServiceInfo,
)

# A typed card through the real payload builder, so the widget gets the shape the bot sends.
HOUSE = HouseCard(
    id="eksempelby",
    name="Sundhedshuset Eksempelby",
    service=ServiceInfo(type="blodproever", name="Blodprøvetagning", provider="Eksempel Hospital"),
    address=Address(street="Eksempelvej 1", postcode="2620", town="Albertslund"),
    map_url="https://www.openstreetmap.org/search?query=Eksempelvej%201%2C%202620%20Albertslund",
    distance_km=2.3,
    hours=(HoursRow(days="man–fre", hours="7.00–13.00"), HoursRow(days="ons", hours="7.00–18.00")),
    status=OpenStatus(today="7.00–13.00", open_now=True, next_opening=None, holiday=None),
    booking=Booking(
        method="online",
        text="Bestil tid online",
        url="https://example.invalid/book",
        note="Har hospitalet bestilt prøven, bestiller du tid på blodproever.dk. Tag din henvisning med.",
    ),
    referral=Referral(
        status="required",
        text="Kræver henvisning fra egen læge eller hospitalet. "
        "Tal med din egen læge, hvis du ikke har en henvisning",
    ),
    entry_point=EntryPointInfo(
        name="Sundhedshusets fælles indgang",
        phone="+45 00 00 00 00",
        hours=(HoursRow(days="man–fre", hours="8.00–15.00"),),
        note="Ring helst om formiddagen.",
    ),
    notice="Eksempeldata – ikke et rigtigt sundhedshus.",
)
HOUSE_CARD: dict[str, Any] = to_payload(HOUSE)
# A house whose hours the catalogue does not give: no status, so no status line.
UNKNOWN_HOURS_CARD: dict[str, Any] = to_payload(
    replace(HOUSE, id="ukendtby", name="Sundhedshuset Ukendtby", hours=(), status=None)
)

EVENT_CARD: dict[str, Any] = to_payload(
    EventCard(
        id="dialogmoede",
        title="Dialogmøde om fælles sundhedshuse",
        when="torsdag 11. marts 2027 kl. 16.30–20.00",
        venue="Sundhedshuset Eksempelby, Eksempelvej 1, 2620 Albertslund",
        audience="kommuner og regionen",
        deadline="mandag 1. marts 2027",
        places="120 ledige pladser",
        open_for_registration=True,
    )
)

HOSTILE_MARKDOWN = (
    "Se **fed tekst** og [bookingsiden](https://example.invalid/book).\n"
    '<img src="x" onerror="window.__xss = true"> og [ond](javascript:window.__xss=true)'
)

SCRIPT: dict[str, list[dict[str, Any]]] = {
    "kort": [{"text": "Her er huset:"}, {"custom": HOUSE_CARD}],
    "ukendt tid": [{"custom": UNKNOWN_HOURS_CARD}],
    "arrangement": [{"custom": EVENT_CARD}],
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
