"""Guards shared by the public routes (REST, Teams): body size and request rate.

Body size is checked from Content-Length and from the body Sanic has read (413); the
rate per sender and per network address with bot.rate_limits (429). Nothing of the
request is stored or logged.
"""

from __future__ import annotations

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import wording


def client_address(request: Request) -> str:
    """The caller's address; behind a reverse proxy Sanic's remote_addr (X-Forwarded-For) if set up."""
    return request.remote_addr or request.ip or ""


def body_too_large(request: Request, max_bytes: int) -> bool:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        return True
    return len(request.body or b"") > max_bytes


def too_large_response() -> HTTPResponse:
    return response.json({"error": wording.text("channels.request_too_large")}, status=413)
