"""Checks that an incoming activity really comes from the Bot Framework Connector.

The Connector signs a JWT (RS256) with keys published behind an OpenID metadata document;
see "Authenticate requests from the Bot Connector service" in the Bot Framework docs.
Checked: signature with a published key, the key's endorsement of the channel, issuer,
audience (our app id), expiry, and the `serviceUrl` claim against the activity.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import aiohttp
import jwt

from bot.channels.bf_config import BotFrameworkSettings
from bot.channels.bf_connector import NETWORK_ERRORS

logger = logging.getLogger(__name__)

BEARER = re.compile(r"^Bearer\s+(\S+)\s*$", re.IGNORECASE)
ALGORITHM = "RS256"
# An unknown key id makes us fetch the keys again, but not more often than this.
UNKNOWN_KID_REFRESH_SECONDS = 60


class AuthenticationError(Exception):
    """The request is not proven to come from the Bot Framework (HTTP 401)."""


@dataclass(frozen=True)
class SigningKey:
    key: jwt.PyJWK
    # Channels the key may sign for ("msteams", "webchat", ...); empty: no restriction published.
    endorsements: frozenset[str]


class SigningKeyCache:
    """The Bot Framework's public signing keys, fetched with aiohttp and kept for a while."""

    def __init__(
        self,
        metadata_urls: list[str],
        session_factory: Callable[[], aiohttp.ClientSession],
        max_age_seconds: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._metadata_urls = metadata_urls
        self._session_factory = session_factory
        self._max_age_seconds = max_age_seconds
        self._clock = clock
        self._keys: dict[str, SigningKey] = {}
        self._fetched_at: float | None = None
        self._lock = asyncio.Lock()

    async def key(self, kid: str) -> SigningKey | None:
        if self._is_stale():
            await self._refresh(only_if_stale=True)
        found = self._keys.get(kid)
        if found is None and self._may_refresh_for_unknown_kid():
            logger.info("Unknown Bot Framework signing key %s; fetching the keys again", kid)
            await self._refresh(only_if_stale=False)
            found = self._keys.get(kid)
        return found

    def _is_stale(self) -> bool:
        return self._fetched_at is None or self._clock() - self._fetched_at > self._max_age_seconds

    def _may_refresh_for_unknown_kid(self) -> bool:
        return self._fetched_at is None or self._clock() - self._fetched_at > UNKNOWN_KID_REFRESH_SECONDS

    async def _refresh(self, only_if_stale: bool) -> None:
        async with self._lock:
            if only_if_stale and not self._is_stale():
                return  # another request refreshed while we waited
            keys: dict[str, SigningKey] = {}
            for url in self._metadata_urls:
                try:
                    keys.update(await self._fetch_keys(url))
                except (*NETWORK_ERRORS, ValueError, KeyError) as error:
                    # Keep the keys we have; the next request tries again.
                    logger.warning("Could not fetch Bot Framework signing keys from %s: %s", url, error)
            if keys:
                self._keys = keys
                self._fetched_at = self._clock()

    async def _fetch_keys(self, metadata_url: str) -> dict[str, SigningKey]:
        session = self._session_factory()
        async with session.get(metadata_url, raise_for_status=True) as response:
            metadata = await response.json(content_type=None)
        async with session.get(metadata["jwks_uri"], raise_for_status=True) as response:
            jwks = await response.json(content_type=None)
        keys = {}
        for jwk in jwks.get("keys", []):
            if jwk.get("kty") != "RSA" or "kid" not in jwk:
                continue
            try:
                keys[jwk["kid"]] = SigningKey(
                    key=jwt.PyJWK(jwk, algorithm=ALGORITHM),
                    endorsements=frozenset(jwk.get("endorsements") or ()),
                )
            except jwt.PyJWTError as error:
                logger.warning("Skipping unusable signing key %s: %s", jwk.get("kid"), error)
        return keys


class ActivityAuthenticator:
    """Verifies the `Authorization` header of one activity; raises AuthenticationError when not valid."""

    def __init__(self, settings: BotFrameworkSettings, keys: SigningKeyCache) -> None:
        self._settings = settings
        self._keys = keys

    async def verify(self, authorization: str | None, activity: Mapping[str, Any]) -> dict[str, Any]:
        if not self._settings.app_id:
            raise AuthenticationError("the channel has no app id configured")
        token = _bearer_token(authorization)
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            raise AuthenticationError(f"malformed token: {error}") from error
        if header.get("alg") != ALGORITHM:
            raise AuthenticationError(f"token algorithm {header.get('alg')!r} is not {ALGORITHM}")
        kid = header.get("kid")
        if not kid:
            raise AuthenticationError("token names no signing key")
        signing_key = await self._keys.key(kid)
        if signing_key is None:
            raise AuthenticationError(f"unknown signing key {kid}")
        channel_id = str(activity.get("channelId") or "")
        if signing_key.endorsements and channel_id not in signing_key.endorsements:
            raise AuthenticationError(f"signing key is not endorsed for channel {channel_id!r}")
        try:
            claims = jwt.decode(
                token,
                key=signing_key.key.key,
                algorithms=[ALGORITHM],
                audience=self._settings.app_id,
                issuer=self._settings.accepted_issuers,
                leeway=self._settings.leeway_seconds,
                options={"require": ["exp", "iss", "aud"]},
            )
        except jwt.PyJWTError as error:
            raise AuthenticationError(f"token rejected: {error}") from error
        _check_service_url(claims, activity)
        return claims


def _bearer_token(authorization: str | None) -> str:
    if not authorization:
        raise AuthenticationError("no Authorization header")
    match = BEARER.match(authorization)
    if not match:
        raise AuthenticationError("Authorization header is not a Bearer token")
    return match.group(1)


def _check_service_url(claims: Mapping[str, Any], activity: Mapping[str, Any]) -> None:
    claimed = claims.get("serviceurl") or claims.get("serviceUrl")
    if claimed is None:
        return
    actual = str(activity.get("serviceUrl") or "")
    if str(claimed).rstrip("/") != actual.rstrip("/"):
        raise AuthenticationError("the token's serviceUrl does not match the activity's")
