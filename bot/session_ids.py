"""Chat-widget session ids the server issues and can recognise again.

A session token is `<conversation id>.<signature>`: a random conversation id and an
HMAC-SHA256 signature of it with the server's secret (WIDGET_SESSION_SECRET). The
browser keeps the token to resume its conversation after a reload; a token the server
did not sign (forged, guessed, or an id read somewhere) is worth nothing. Only the
conversation id is used as Rasa's sender id, so an id seen in a log or report does not
let anyone join the conversation.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

ID_BYTES = 16  # 128 random bits
_SEPARATOR = "."


def _signature(conversation_id: str, secret: str) -> str:
    return hmac.new(secret.encode(), conversation_id.encode(), hashlib.sha256).hexdigest()


def issue(secret: str) -> tuple[str, str]:
    """A new (token for the browser, conversation id for Rasa)."""
    conversation_id = secrets.token_hex(ID_BYTES)
    return f"{conversation_id}{_SEPARATOR}{_signature(conversation_id, secret)}", conversation_id


def conversation_of(token: object, secret: str) -> str | None:
    """The conversation id of a token this server issued; None for anything else."""
    if not isinstance(token, str) or len(token) > 200:
        return None
    conversation_id, separator, signature = token.partition(_SEPARATOR)
    if not separator or not conversation_id or not signature:
        return None
    if hmac.compare_digest(signature.encode(), _signature(conversation_id, secret).encode()):
        return conversation_id
    return None
