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
- Sessions cannot be taken over: the server issues each session id, signed with its secret
  (bot.session_ids); a socket joins only a session it was given, and messages go to the
  socket's own session whatever `session_id` the client writes in them. A forged or unknown
  id gets a fresh session.
- Only pages on the allowed origins (CORS_ORIGINS, see bot.settings.allowed_origins) may
  connect, and each session may send only so many messages, each of limited size; the
  user gets a short Danish line (bot/copy/channels.yml) when a limit is hit.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint

from bot import rate_limits, session_ids, settings, wording
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
        secret = settings.widget_session_secret() or secrets.token_urlsafe(32)  # unset: this process only
        allowed_origins = set(settings.allowed_origins())
        limiter = rate_limits.from_settings()
        max_chars = settings.max_message_chars()
        # The largest socket.io packet accepted at all (engine.io closes the socket above it).
        sio.eio.max_http_buffer_size = settings.max_body_bytes()

        async def say(sid: str, text: str) -> None:
            await sio.emit(self.bot_message_evt, {"text": text}, room=sid, namespace=self.namespace)

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: str, environ: dict, auth: Any = None) -> bool:
            origin = environ.get("HTTP_ORIGIN", "").rstrip("/")
            if origin not in allowed_origins:
                logger.warning("socket.io: forbindelse fra en ikke-tilladt oprindelse afvist.")
                return False
            await sio.save_session(sid, {"address": _address(environ)}, namespace=self.namespace)
            return True

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: Any) -> None:
            token = data.get("session_id") if isinstance(data, dict) else None
            conversation_id = session_ids.conversation_of(token, secret)
            if conversation_id is None:  # none, forged or unknown: a fresh conversation
                token, conversation_id = session_ids.issue(secret)
            session = await sio.get_session(sid, namespace=self.namespace)
            previous = session.get("conversation_id")
            if previous and previous != conversation_id:
                await sio.leave_room(sid, previous, namespace=self.namespace)
            session["conversation_id"] = conversation_id
            await sio.save_session(sid, session, namespace=self.namespace)
            # Replies are emitted to the room named after the conversation (Rasa's sender id).
            await sio.enter_room(sid, conversation_id, namespace=self.namespace)
            await sio.emit("session_confirm", token, room=sid, namespace=self.namespace)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: str, data: Any) -> None:
            if not isinstance(data, dict):
                return
            session = await sio.get_session(sid, namespace=self.namespace)
            sender_id = session.get("conversation_id")
            if not sender_id:
                logger.warning("Besked før session_request ignoreret.")
                return
            text = data.get("message", "")
            text = text if isinstance(text, str) else str(text)
            if not limiter.allow(sender=sender_id, address=session.get("address")):
                await say(sid, wording.text("channels.too_many_messages"))
                return
            if len(text) > max_chars:
                await say(sid, wording.text("channels.message_too_long", max_chars=max_chars))
                return
            metadata = data.get(self.metadata_key) or {}
            if isinstance(metadata, str):
                try:
                    metadata = json.loads(metadata)
                except ValueError:
                    metadata = {}
            message = UserMessage(
                mask_cpr(text),
                WidgetSocketIOOutput(sio, self.bot_message_evt),
                sender_id,
                input_channel=self.name(),
                metadata=metadata if isinstance(metadata, dict) else {},
            )
            await on_new_message(message)

        return socketio_blueprint


def _address(environ: dict) -> str:
    """The client's network address (behind a reverse proxy: what Sanic makes of its headers)."""
    request = environ.get("sanic.request")
    remote = getattr(request, "remote_addr", "") or getattr(request, "ip", "")
    return remote or environ.get("REMOTE_ADDR", "")
