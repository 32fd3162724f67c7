"""Checks that an incoming activity really comes from the Bot Framework Connector.

The Connector signs a JWT (RS256) with keys published behind an OpenID metadata document;
see "Authenticate requests from the Bot Connector service" in the Bot Framework docs.
Checked, following Microsoft's published rules:
- from the token alone, before the body is read (`verify_token`): signature with a key
  published by the token's own issuer (the Bot Framework's keys for its tokens, the
  tenant's keys for the tenant's), issuer, audience (our app id), expiry; a Bot Framework
  token must carry the `serviceurl` claim; a tenant token must carry our app id in `appid`
  (ver 1.0) or `azp` (ver 2.0), and another `ver` is refused;
- against the activity (`check_activity`): the key's endorsement of the channel, the
  `serviceurl` claim equal to the activity's `serviceUrl`, and that URL https on an
  allowed Microsoft host (bf_config.MICROSOFT_SERVICE_URL_HOSTS), so the bot's own token
  is never sent anywhere else.
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

from bot.channels.bf_config import TENANT_TOKEN_APP_ID_CLAIM, BotFrameworkSettings
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
        # metadata URL -> kid -> key: a token is checked only against its own issuer's keys.
        self._keys: dict[str, dict[str, SigningKey]] = {}
        self._fetched_at: float | None = None
        self._lock = asyncio.Lock()

    async def key(self, kid: str, metadata_url: str | None = None) -> SigningKey | None:
        """The key `kid` as published behind `metadata_url` (default: the first, the Bot Framework's)."""
        source = metadata_url or self._metadata_urls[0]
        if source not in self._metadata_urls:
            return None
        if self._is_stale():
            await self._refresh(only_if_stale=True)
        found = self._keys.get(source, {}).get(kid)
        if found is None and self._may_refresh_for_unknown_kid():
            logger.info("Unknown Bot Framework signing key %s; fetching the keys again", kid)
            await self._refresh(only_if_stale=False)
            found = self._keys.get(source, {}).get(kid)
        return found

    def _is_stale(self) -> bool:
        return self._fetched_at is None or self._clock() - self._fetched_at > self._max_age_seconds

    def _may_refresh_for_unknown_kid(self) -> bool:
        return self._fetched_at is None or self._clock() - self._fetched_at > UNKNOWN_KID_REFRESH_SECONDS

    async def _refresh(self, only_if_stale: bool) -> None:
        async with self._lock:
            if only_if_stale and not self._is_stale():
                return  # another request refreshed while we waited
            keys: dict[str, dict[str, SigningKey]] = {}
            for url in self._metadata_urls:
                try:
                    keys[url] = await self._fetch_keys(url)
                except (*NETWORK_ERRORS, ValueError, KeyError) as error:
                    # Keep the keys we have; the next request tries again.
                    logger.warning("Could not fetch Bot Framework signing keys from %s: %s", url, error)
            if keys:
                self._keys = {**self._keys, **keys}  # a source that failed keeps its keys
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


@dataclass(frozen=True)
class VerifiedToken:
    claims: dict[str, Any]
    signing_key: SigningKey
    from_bot_framework: bool  # False: issued by the configured Entra tenant


class ActivityAuthenticator:
    """Verifies the `Authorization` header of one activity; raises AuthenticationError when not valid."""

    def __init__(self, settings: BotFrameworkSettings, keys: SigningKeyCache) -> None:
        self._settings = settings
        self._keys = keys

    async def verify(self, authorization: str | None, activity: Mapping[str, Any]) -> dict[str, Any]:
        verified = await self.verify_token(authorization)
        self.check_activity(verified, activity)
        return verified.claims

    async def verify_token(self, authorization: str | None) -> VerifiedToken:
        """Everything that can be checked from the token alone (before the body is parsed)."""
        settings = self._settings
        if not settings.app_id:
            raise AuthenticationError("the channel has no app id configured")
        token = _bearer_token(authorization)
        try:
            header = jwt.get_unverified_header(token)
            unverified = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError as error:
            raise AuthenticationError(f"malformed token: {error}") from error
        if header.get("alg") != ALGORITHM:
            raise AuthenticationError(f"token algorithm {header.get('alg')!r} is not {ALGORITHM}")
        kid = header.get("kid")
        if not kid:
            raise AuthenticationError("token names no signing key")
        issuer = unverified.get("iss")
        metadata_url = settings.metadata_url_for_issuer(issuer)
        if metadata_url is None:
            raise AuthenticationError(f"token issuer {issuer!r} is not accepted")
        signing_key = await self._keys.key(kid, metadata_url)
        if signing_key is None:
            raise AuthenticationError(f"unknown signing key {kid} for issuer {issuer}")
        try:
            claims = jwt.decode(
                token,
                key=signing_key.key.key,
                algorithms=[ALGORITHM],
                audience=settings.app_id,
                issuer=issuer,
                leeway=settings.leeway_seconds,
                options={"require": ["exp", "iss", "aud"]},
            )
        except jwt.PyJWTError as error:
            raise AuthenticationError(f"token rejected: {error}") from error
        from_bot_framework = issuer == settings.issuer
        if from_bot_framework:
            if not claims.get("serviceurl"):
                raise AuthenticationError("the token has no serviceurl claim")
        else:
            _check_tenant_app_id(claims, settings.app_id)
        return VerifiedToken(claims, signing_key, from_bot_framework)

    def check_activity(self, verified: VerifiedToken, activity: Mapping[str, Any]) -> None:
        """The checks that need the activity: endorsement, serviceurl claim, allowed serviceUrl."""
        channel_id = str(activity.get("channelId") or "")
        endorsements = verified.signing_key.endorsements
        if endorsements and channel_id not in endorsements:
            raise AuthenticationError(f"signing key is not endorsed for channel {channel_id!r}")
        service_url = str(activity.get("serviceUrl") or "")
        claimed = verified.claims.get("serviceurl")
        if (verified.from_bot_framework or claimed) and str(claimed).rstrip("/") != service_url.rstrip("/"):
            raise AuthenticationError("the token's serviceurl claim does not match the activity's serviceUrl")
        if not self._settings.service_url_allowed(service_url):
            raise AuthenticationError("the activity's serviceUrl is not an allowed Microsoft address")


def _check_tenant_app_id(claims: Mapping[str, Any], app_id: str) -> None:
    """A tenant token names the calling app: `appid` (ver 1.0) or `azp` (ver 2.0) must be ours."""
    claim = TENANT_TOKEN_APP_ID_CLAIM.get(str(claims.get("ver")))
    if claim is None:
        raise AuthenticationError(f"tenant token of unknown version {claims.get('ver')!r}")
    if claims.get(claim) != app_id:
        raise AuthenticationError(f"tenant token's {claim} is not this bot's app id")


def _bearer_token(authorization: str | None) -> str:
    if not authorization:
        raise AuthenticationError("no Authorization header")
    match = BEARER.match(authorization)
    if not match:
        raise AuthenticationError("Authorization header is not a Bearer token")
    return match.group(1)
