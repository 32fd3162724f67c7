"""A local stand-in for the Bot Framework: OpenID metadata, signing keys, token endpoint, Connector.

A real aiohttp server on 127.0.0.1, run on its own event loop in a background thread, so both
in-process asyncio tests and a separate `rasa run` process can talk to it. It
  * publishes OpenID metadata and a JWKS holding a test RSA key (endorsed for msteams, webchat),
    and, for the tenant, its own metadata and JWKS with another key (`tenant_key_id`),
  * signs activity tokens as the Bot Framework Connector does (`signed_token`),
  * issues app tokens at `/{tenant}/oauth2/v2.0/token`, checking client id and secret,
  * receives replies at `/v3/conversations/{id}/activities[/{replyToId}]`, accepting only
    tokens it issued, and records them for the test to read (`wait_for_replies`).
"""

from __future__ import annotations

import asyncio
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import jwt
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

BOTFRAMEWORK_ISSUER = "https://api.botframework.com"
KEY_ID = "standin-signing-key"
TENANT_KEY_ID = "standin-tenant-key"


def new_rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class Reply:
    conversation_id: str
    reply_to_id: str | None
    activity: dict[str, Any]
    authorization: str


@dataclass
class TokenRequest:
    tenant: str
    form: dict[str, str]


@dataclass
class StandInState:
    replies: list[Reply] = field(default_factory=list)
    token_requests: list[TokenRequest] = field(default_factory=list)
    metadata_fetches: int = 0
    issued_tokens: set[str] = field(default_factory=set)
    # The Authorization header of every call to the Connector: a foreign one must see none.
    connector_calls: list[str] = field(default_factory=list)
    # Statuses the Connector answers the next replies with, before accepting (to test retries).
    reply_failures: list[int] = field(default_factory=list)


class BotFrameworkStandIn:
    def __init__(self, app_id: str, app_password: str) -> None:
        self.app_id = app_id
        self.app_password = app_password
        self.signing_key = new_rsa_key()
        self.key_id = KEY_ID
        self.tenant_signing_key = new_rsa_key()
        self.tenant_key_id = TENANT_KEY_ID
        self.state = StandInState()
        self._condition = threading.Condition()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self.base_url = ""

    # -- URLs the channel is configured with ------------------------------------------------
    @property
    def openid_metadata_url(self) -> str:
        return f"{self.base_url}/v1/.well-known/openidconfiguration"

    @property
    def tenant_openid_metadata_url(self) -> str:
        return self.base_url + "/{tenant}/v2.0/.well-known/openid-configuration"

    @property
    def token_url(self) -> str:
        return self.base_url + "/{tenant}/oauth2/v2.0/token"

    @property
    def service_url(self) -> str:
        return f"{self.base_url}/teams-service/"

    def channel_credentials(self, **overrides: Any) -> dict[str, Any]:
        credentials = {
            "app_id": self.app_id,
            "app_password": self.app_password,
            "openid_metadata_url": self.openid_metadata_url,
            "tenant_openid_metadata_url": self.tenant_openid_metadata_url,
            "token_url": self.token_url,
            # The stand-in's Connector is plain http on this port: allowed here only.
            "service_url_hosts": self.base_url.removeprefix("http://"),
            "allow_http_service_url": "true",
        }
        credentials.update(overrides)
        return credentials

    # -- signing activities like the Bot Framework Connector -----------------------------------
    def signed_token(
        self,
        activity: dict[str, Any],
        *,
        key: rsa.RSAPrivateKey | None = None,
        kid: str | None = None,
        audience: str | None = None,
        issuer: str = BOTFRAMEWORK_ISSUER,
        expires_in: int = 3600,
        service_url: str | None = None,
        claims: dict[str, Any] | None = None,
        omit: tuple[str, ...] = (),
    ) -> str:
        """A token like the Connector's; `claims` adds or replaces claims, `omit` drops some."""
        now = int(time.time())
        claims = {
            "serviceurl": service_url if service_url is not None else activity["serviceUrl"],
            "nbf": now - 5,
            "iat": now - 5,
            "exp": now + expires_in,
            "iss": issuer,
            "aud": audience if audience is not None else self.app_id,
            **(claims or {}),
        }
        claims = {name: value for name, value in claims.items() if name not in omit}
        return jwt.encode(
            claims, key or self.signing_key, algorithm="RS256", headers={"kid": kid or self.key_id}
        )

    def authorization(self, activity: dict[str, Any], **token_options: Any) -> str:
        return f"Bearer {self.signed_token(activity, **token_options)}"

    # -- reading what arrived --------------------------------------------------------------------
    def wait_for_replies(
        self, count: int, conversation_id: str | None = None, timeout: float = 30.0
    ) -> list[Reply]:
        """Block until `count` replies (to one conversation, if given) arrived, or fail after `timeout` s."""

        def matching() -> list[Reply]:
            return [r for r in self.state.replies if conversation_id in (None, r.conversation_id)]

        with self._condition:
            if not self._condition.wait_for(lambda: len(matching()) >= count, timeout):
                raise AssertionError(f"expected {count} replies at the stand-in, got {len(matching())}")
            return matching()

    def rotate_key(self) -> None:
        """Publish a new signing key under a new key id, as Microsoft does from time to time."""
        with self._condition:
            self.signing_key = new_rsa_key()
            self.key_id = f"{KEY_ID}-{uuid.uuid4().hex[:8]}"

    def fail_next_replies(self, *statuses: int) -> None:
        with self._condition:
            self.state.reply_failures.extend(statuses)

    # -- server ----------------------------------------------------------------------------------
    def start(self) -> None:
        started = threading.Event()
        self._thread = threading.Thread(target=self._serve, args=(started,), daemon=True)
        self._thread.start()
        if not started.wait(10):
            raise RuntimeError("the Bot Framework stand-in did not start")

    def stop(self) -> None:
        if self._loop is None:
            return
        future = asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop)
        future.result(10)
        if self._thread is not None:
            self._thread.join(10)

    def _serve(self, started: threading.Event) -> None:
        self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._startup())
        started.set()
        self._loop.run_forever()
        self._loop.close()

    async def _startup(self) -> None:
        app = web.Application()
        app.router.add_get("/v1/.well-known/openidconfiguration", self._openid_metadata)
        app.router.add_get("/v1/.well-known/keys", self._keys)
        app.router.add_get("/{tenant}/v2.0/.well-known/openid-configuration", self._tenant_openid_metadata)
        app.router.add_get("/{tenant}/discovery/v2.0/keys", self._tenant_keys)
        app.router.add_post("/{tenant}/oauth2/v2.0/token", self._token)
        app.router.add_post("/teams-service/v3/conversations/{conversation}/activities", self._reply)
        app.router.add_post(
            "/teams-service/v3/conversations/{conversation}/activities/{reply_to}", self._reply
        )
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base_url = f"http://127.0.0.1:{port}"

    async def _shutdown(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        asyncio.get_running_loop().call_soon(asyncio.get_running_loop().stop)

    async def _openid_metadata(self, request: web.Request) -> web.Response:
        with self._condition:
            self.state.metadata_fetches += 1
        return web.json_response(
            {
                "issuer": BOTFRAMEWORK_ISSUER,
                "authorization_endpoint": "https://invalid.botframework.com",
                "jwks_uri": f"{self.base_url}/v1/.well-known/keys",
                "id_token_signing_alg_values_supported": ["RS256"],
                "token_endpoint_auth_methods_supported": ["private_key_jwt"],
            }
        )

    async def _tenant_openid_metadata(self, request: web.Request) -> web.Response:
        tenant = request.match_info["tenant"]
        with self._condition:
            self.state.metadata_fetches += 1
        return web.json_response(
            {
                "issuer": f"https://login.microsoftonline.com/{tenant}/v2.0",
                "jwks_uri": f"{self.base_url}/{tenant}/discovery/v2.0/keys",
                "id_token_signing_alg_values_supported": ["RS256"],
            }
        )

    async def _tenant_keys(self, request: web.Request) -> web.Response:
        jwk = RSAAlgorithm.to_jwk(self.tenant_signing_key.public_key(), as_dict=True)
        jwk.update({"kid": self.tenant_key_id, "use": "sig"})
        return web.json_response({"keys": [jwk]})

    async def _keys(self, request: web.Request) -> web.Response:
        jwk = RSAAlgorithm.to_jwk(self.signing_key.public_key(), as_dict=True)
        jwk.update({"kid": self.key_id, "use": "sig", "endorsements": ["msteams", "webchat"]})
        return web.json_response({"keys": [jwk]})

    async def _token(self, request: web.Request) -> web.Response:
        form = {key: str(value) for key, value in (await request.post()).items()}
        with self._condition:
            self.state.token_requests.append(TokenRequest(request.match_info["tenant"], form))
        if form.get("grant_type") != "client_credentials":
            return web.json_response({"error": "unsupported_grant_type"}, status=400)
        if form.get("client_id") != self.app_id or form.get("client_secret") != self.app_password:
            return web.json_response(
                {"error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret."},
                status=401,
            )
        if form.get("scope") != "https://api.botframework.com/.default":
            return web.json_response({"error": "invalid_scope"}, status=400)
        token = secrets.token_urlsafe(32)
        with self._condition:
            self.state.issued_tokens.add(token)
        return web.json_response(
            {"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599, "access_token": token}
        )

    async def _reply(self, request: web.Request) -> web.Response:
        authorization = request.headers.get("Authorization", "")
        token = authorization.removeprefix("Bearer ")
        with self._condition:
            self.state.connector_calls.append(authorization)  # every call, with a valid token or not
            if token not in self.state.issued_tokens:
                return web.json_response({"error": {"code": "Unauthorized"}}, status=401)
            if self.state.reply_failures:
                return web.json_response({"error": {"code": "Busy"}}, status=self.state.reply_failures.pop(0))
        activity = await request.json()
        with self._condition:
            self.state.replies.append(
                Reply(
                    conversation_id=request.match_info["conversation"],
                    reply_to_id=request.match_info.get("reply_to"),
                    activity=activity,
                    authorization=authorization,
                )
            )
            self._condition.notify_all()
        return web.json_response({"id": uuid.uuid4().hex})
