"""Rasa's socket.io channel, with the fixes the chat widget depends on.

Name it in credentials.yml instead of the built-in `socketio:` key:

    rasa_adapters.channels.socketio.WidgetSocketIOInput:
      user_message_evt: user_uttered
      bot_message_evt: bot_uttered
      session_persistence: true

What differs from Rasa 3.6.21's own channel:
- `session_request` awaits `enter_room`. python-socketio 5.9+ made it a coroutine and Rasa
  calls it without `await` (RasaHQ/rasa#13027), so with `session_persistence: true` the
  socket never joins its session's room and no reply reaches the browser.
- Custom payloads (`dispatcher.utter_message(json_message=...)`) arrive in the browser as
  `{"custom": {...}}`. Rasa passes the dict as keyword arguments to `emit()`, which fails
  for any key but emit's own.
- CPR numbers are masked in the user's text before Rasa sees it.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint

from bot.privacy import mask_cpr

logger = logging.getLogger(__name__)


class WidgetSocketIOOutput(SocketIOOutput):
    """Sends custom payloads as one `{"custom": ...}` message, like every other channel."""

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        await self._send_message(recipient_id, {"custom": json_message})


class WidgetSocketIOInput(SocketIOInput):
    """Rasa's socket.io input channel with session rooms and custom payloads that work."""

    def get_output_channel(self) -> OutputChannel | None:
        if self.sio is None:
            return super().get_output_channel()
        return WidgetSocketIOOutput(self.sio, self.bot_message_evt)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        socketio_blueprint = super().blueprint(on_new_message)
        sio = self.sio
        assert sio is not None  # set by super().blueprint()

        # Registering a handler again replaces Rasa's handler for the same event.
        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: Any) -> None:
            requested = data.get("session_id") if isinstance(data, dict) else None
            session_id = str(requested) if requested else uuid.uuid4().hex
            if self.session_persistence:
                await sio.enter_room(sid, session_id, namespace=self.namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: str, data: Any) -> None:
            if not isinstance(data, dict):
                return
            if self.session_persistence:
                if not data.get("session_id"):
                    logger.warning("Besked uden session_id ignoreret; klienten sender session_request først.")
                    return
                sender_id = str(data["session_id"])
            else:
                sender_id = sid
            metadata = data.get(self.metadata_key) or {}
            if isinstance(metadata, str):
                try:
                    metadata = json.loads(metadata)
                except ValueError:
                    metadata = {}
            message = UserMessage(
                mask_cpr(str(data.get("message", ""))),
                WidgetSocketIOOutput(sio, self.bot_message_evt),
                sender_id,
                input_channel=self.name(),
                metadata=metadata,
            )
            await on_new_message(message)

        return socketio_blueprint
