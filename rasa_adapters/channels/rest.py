"""Rasa's REST channel, with malformed requests answered 400 in Danish instead of 500.

Configured in credentials.yml as `rasa_adapters.channels.rest.ValidatingRestInput`; it keeps
the name "rest", so the URL stays /webhooks/rest/webhook.
"""

from __future__ import annotations

from typing import Any

from rasa.core.channels.rest import RestInput
from sanic.exceptions import InvalidUsage as BadRequest  # sanic 21.12: 400
from sanic.request import Request

MAX_MESSAGE_CHARS = 20_000


def _body(request: Request) -> dict[str, Any]:
    body = request.json  # sanic answers 400 itself on invalid JSON
    if not isinstance(body, dict):
        raise BadRequest('Forespørgslen skal være et JSON-objekt, fx {"sender": "anna", "message": "hej"}.')
    return body


class ValidatingRestInput(RestInput):
    """REST channel that rejects malformed requests with a clear 400."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    async def _extract_sender(self, req: Request) -> str:
        sender = _body(req).get("sender")
        if not isinstance(sender, str) or not sender.strip():
            raise BadRequest('Feltet "sender" mangler eller er tomt.')
        return sender

    def _extract_message(self, req: Request) -> str:
        message = _body(req).get("message", "")
        if message is None:
            message = ""
        if not isinstance(message, str):
            raise BadRequest('Feltet "message" skal være tekst.')
        return message[:MAX_MESSAGE_CHARS]

    def _extract_input_channel(self, req: Request) -> str:
        return _body(req).get("input_channel") or self.name()

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        metadata = _body(request).get("metadata")
        return metadata if isinstance(metadata, dict) else None
