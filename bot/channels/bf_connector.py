"""Sends activities to the Bot Framework Connector (the conversation's serviceUrl), with aiohttp.

The bot proves who it is with an app token from Microsoft Entra ID (client credentials grant),
kept until shortly before it expires. Busy (429) and server errors (5xx) are retried a few
times with growing pauses; other failures are logged and given up.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote

import aiohttp

from bot.channels.bf_config import BotFrameworkSettings

logger = logging.getLogger(__name__)

# On Python 3.10 asyncio.TimeoutError (aiohttp's timeout) is not the builtin TimeoutError.
NETWORK_ERRORS: tuple[type[BaseException], ...] = (aiohttp.ClientError, asyncio.TimeoutError)

# A token is renewed this long before it runs out, so no reply is sent with a dying token.
TOKEN_RENEWAL_MARGIN_SECONDS = 300
FIRST_RETRY_PAUSE_SECONDS = 0.5
LONGEST_RETRY_PAUSE_SECONDS = 8.0


class ConnectorError(Exception):
    """A reply could not be delivered."""


class AppTokenProvider:
    """The bot's own bearer token for the Connector, cached until shortly before expiry."""

    def __init__(
        self,
        settings: BotFrameworkSettings,
        session_factory: Callable[[], aiohttp.ClientSession],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._settings = settings
        self._session_factory = session_factory
        self._clock = clock
        self._token: str | None = None
        self._renew_at = 0.0
        self._lock = asyncio.Lock()

    async def token(self) -> str:
        async with self._lock:
            if self._token is None or self._clock() >= self._renew_at:
                await self._fetch()
            assert self._token is not None
            return self._token

    def forget(self) -> None:
        """Drop the cached token (the Connector said 401: it may have been revoked)."""
        self._token = None

    async def _fetch(self) -> None:
        form = {
            "grant_type": "client_credentials",
            "client_id": self._settings.app_id,
            "client_secret": self._settings.app_password,
            "scope": self._settings.token_scope,
        }
        session = self._session_factory()
        url = self._settings.resolved_token_url
        try:
            async with session.post(url, data=form) as response:
                body = await response.json(content_type=None)
                if response.status != 200 or "access_token" not in body:
                    # Entra's error body names the problem (e.g. AADSTS7000215: invalid secret).
                    reason = body.get("error_description") or body.get("error") or response.status
                    raise ConnectorError(f"token request to {url} failed: {reason}")
        except (*NETWORK_ERRORS, ValueError) as error:
            raise ConnectorError(f"token request to {url} failed: {error}") from error
        expires_in = int(body.get("expires_in", 3600))
        self._token = str(body["access_token"])
        self._renew_at = self._clock() + max(expires_in - TOKEN_RENEWAL_MARGIN_SECONDS, expires_in / 2)


class ConnectorClient:
    """POSTs activities to `{serviceUrl}/v3/conversations/{id}/activities[/{replyToId}]`."""

    def __init__(
        self,
        settings: BotFrameworkSettings,
        tokens: AppTokenProvider,
        session_factory: Callable[[], aiohttp.ClientSession],
        sleep: Callable[[float], Any] = asyncio.sleep,
    ) -> None:
        self._attempts = max(1, settings.send_attempts)
        self._settings = settings
        self._tokens = tokens
        self._session_factory = session_factory
        self._sleep = sleep

    async def send_activity(
        self,
        service_url: str,
        conversation_id: str,
        activity: Mapping[str, Any],
        reply_to_id: str | None = None,
    ) -> dict[str, Any]:
        if not self._settings.service_url_allowed(service_url):  # our token goes only to Microsoft
            raise ConnectorError("the serviceUrl is not an allowed Microsoft address; nothing sent")
        url = activities_url(service_url, conversation_id, reply_to_id)
        pause = FIRST_RETRY_PAUSE_SECONDS
        for attempt in range(1, self._attempts + 1):
            token = await self._tokens.token()
            try:
                async with self._session_factory().post(
                    url, json=dict(activity), headers={"Authorization": f"Bearer {token}"}
                ) as response:
                    if response.status in (200, 201, 202):
                        return await response.json(content_type=None) or {}
                    failure = f"HTTP {response.status}"
                    retry_after = _retry_after_seconds(response.headers.get("Retry-After"))
                    if response.status == 401:
                        self._tokens.forget()
                    elif response.status != 429 and response.status < 500:
                        raise ConnectorError(f"the Connector refused the reply: {failure}")
            except NETWORK_ERRORS as error:
                failure, retry_after = str(error) or type(error).__name__, None
            if attempt < self._attempts:
                await self._sleep(min(retry_after or pause, LONGEST_RETRY_PAUSE_SECONDS))
                pause *= 2
        raise ConnectorError(f"reply not delivered after {self._attempts} attempts: {failure}")


def activities_url(service_url: str, conversation_id: str, reply_to_id: str | None = None) -> str:
    # Teams conversation ids hold ':', '@' and ';' (e.g. "19:x@thread.skype;messageid=1").
    url = f"{service_url.rstrip('/')}/v3/conversations/{quote(conversation_id, safe='')}/activities"
    if reply_to_id:
        url += f"/{quote(reply_to_id, safe='')}"
    return url


def _retry_after_seconds(header: str | None) -> float | None:
    try:
        return max(0.0, float(header)) if header else None
    except ValueError:
        return None
