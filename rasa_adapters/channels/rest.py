"""Rasa's REST channel, with malformed requests answered 400 in Danish instead of 500.

Configured in credentials.yml as `rasa_adapters.channels.rest.ValidatingRestInput`; it keeps
the name "rest", so the URL stays /webhooks/rest/webhook.

Also: a body above MAX_BODY_BYTES is answered 413; too many messages from one sender or
one address 429, with a Danish line in the chat format; a message above MAX_MESSAGE_CHARS
gets a Danish line instead of an answer; CPR numbers are masked before Rasa sees the text.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.exceptions import InvalidUsage as BadRequest  # sanic 21.12: 400
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import rate_limits, settings, wording
from bot.privacy import mask_cpr
from rasa_adapters.channels.guards import body_too_large, client_address, too_large_response


def _body(request: Request) -> dict[str, Any]:
    body = request.json  # sanic answers 400 itself on invalid JSON
    if not isinstance(body, dict):
        raise BadRequest(wording.text("channels.request_not_an_object"))
    return body


class ValidatingRestInput(RestInput):
    """REST channel that rejects malformed requests with a clear 400."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    async def _extract_sender(self, req: Request) -> str:
        sender = _body(req).get("sender")
        if not isinstance(sender, str) or not sender.strip():
            raise BadRequest(wording.text("channels.sender_missing"))
        return sender

    def _extract_message(self, req: Request) -> str:
        message = _body(req).get("message", "")
        if message is None:
            message = ""
        if not isinstance(message, str):
            raise BadRequest(wording.text("channels.message_not_text"))
        return mask_cpr(message)

    def _extract_input_channel(self, req: Request) -> str:
        return _body(req).get("input_channel") or self.name()

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        metadata = _body(request).get("metadata")
        return metadata if isinstance(metadata, dict) else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = super().blueprint(on_new_message)
        limiter = rate_limits.from_settings()
        max_bytes, max_chars = settings.max_body_bytes(), settings.max_message_chars()

        @webhook.middleware("request")
        async def limits(request: Request) -> HTTPResponse | None:
            if request.method != "POST":
                return None
            if body_too_large(request, max_bytes):
                return too_large_response()
            try:
                body = _body(request)
            except Exception:  # noqa: BLE001 - malformed: counted by address, the handler answers 400
                body = {}
            sender = body.get("sender") if isinstance(body.get("sender"), str) else None
            if not limiter.allow(sender=sender, address=client_address(request)):
                return _chat_line(sender, wording.text("channels.too_many_messages"), status=429)
            message = body.get("message")
            if isinstance(message, str) and len(message) > max_chars:
                return _chat_line(sender, wording.text("channels.message_too_long", max_chars=max_chars))
            return None

        return webhook


def _chat_line(sender: str | None, text: str, status: int = 200) -> HTTPResponse:
    """One line in the REST channel's reply format."""
    return response.json([{"recipient_id": sender or "", "text": text}], status=status)
