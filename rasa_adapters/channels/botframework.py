"""The Microsoft Teams / Web Chat channel (Bot Framework), replacing Rasa 3.6's built-in one.

credentials.yml:  rasa_adapters.channels.botframework.BotFrameworkInput:
(settings: bot/channels/bf_config.py)
Webhook (the Azure Bot's messaging endpoint):  https://HOST/webhooks/teams/webhook

Each activity is size-checked (413), rate-limited per address and per sender (429),
authenticated (401), tenant-checked (403), answered with 200 at once, and handed to Rasa
in the background with CPR numbers masked; replies go back through the Connector REST API.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any

import aiohttp
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import rate_limits, wording
from bot import settings as bot_settings
from bot.channels import bf_activity, bf_cards
from bot.channels.bf_activity import ConversationReference, InvalidActivity
from bot.channels.bf_auth import (
    ActivityAuthenticator,
    AuthenticationError,
    SigningKeyCache,
)
from bot.channels.bf_config import BotFrameworkSettings, settings_from_credentials
from bot.channels.bf_connector import AppTokenProvider, ConnectorClient, ConnectorError
from bot.privacy import mask_cpr
from rasa_adapters.channels.guards import body_too_large, client_address, too_large_response

logger = logging.getLogger(__name__)

CHANNEL_NAME = "teams"
HTTP_TIMEOUT = aiohttp.ClientTimeout(total=15)

NewMessageHandler = Callable[[UserMessage], Awaitable[Any]]


class BotFrameworkOutput(OutputChannel):
    """Sends Rasa's responses into the Bot Framework conversation of one incoming activity."""

    @classmethod
    def name(cls) -> str:
        return CHANNEL_NAME

    def __init__(self, connector: ConnectorClient, reference: ConversationReference) -> None:
        self._connector = connector
        self._reference = reference

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self._send(bf_cards.message_activity(text))

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        await self._send(bf_cards.buttons_activity(text, buttons))

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self._send(bf_cards.image_activity(image))

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        activity = bf_cards.custom_activity(json_message)
        if activity is None:
            logger.debug(
                "Custom response of type %r has no Teams rendering; skipped", json_message.get("type")
            )
            return
        await self._send(activity)

    async def _send(self, activity: dict[str, Any]) -> None:
        reference = self._reference
        activity = {
            **activity,
            "from": reference.bot,
            "recipient": reference.user,
            "conversation": reference.conversation,
            "locale": "da-DK",
        }
        if reference.reply_to_id:
            activity["replyToId"] = reference.reply_to_id
        try:
            await self._connector.send_activity(
                reference.service_url, reference.conversation_id, activity, reference.reply_to_id
            )
        except ConnectorError as error:
            # The text itself is not logged: it may hold what the user told us.
            logger.error("Reply to the %s conversation not delivered: %s", reference.channel_id, error)


class BotFrameworkInput(InputChannel):
    """Receives Bot Framework activities at /webhooks/teams/webhook."""

    @classmethod
    def name(cls) -> str:
        return CHANNEL_NAME

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls(settings_from_credentials(credentials))

    def __init__(self, settings: BotFrameworkSettings) -> None:
        self.settings = settings
        self._limiter = rate_limits.from_settings()
        self._session: aiohttp.ClientSession | None = None
        self._authenticator = ActivityAuthenticator(
            settings, SigningKeyCache(settings.metadata_urls, self._http, settings.key_cache_seconds)
        )
        self._connector = ConnectorClient(settings, AppTokenProvider(settings, self._http), self._http)
        # Background work keeps a reference here, or asyncio may collect it half-way.
        self._tasks: set[asyncio.Task] = set()
        if not settings.configured:
            logger.warning(
                "The Teams channel has no app id or password (MICROSOFT_APP_ID, MICROSOFT_APP_PASSWORD): "
                "every activity at /webhooks/%s/webhook is refused with 401.",
                CHANNEL_NAME,
            )

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=HTTP_TIMEOUT)
        return self._session

    async def close(self) -> None:
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._session is not None:
            await self._session.close()

    def blueprint(self, on_new_message: NewMessageHandler) -> Blueprint:
        webhook = Blueprint(f"{CHANNEL_NAME}_webhook", __name__)
        max_bytes = bot_settings.max_body_bytes()

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok", "configured": self.settings.configured})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if body_too_large(request, max_bytes):
                return too_large_response()
            if not self._limiter.allow(address=client_address(request)):
                return response.json({"status": wording.text("channels.too_many_messages")}, status=429)
            status, message = await self.receive_activity(
                request.headers.get("Authorization"), request.body, on_new_message
            )
            return response.json({"status": message}, status=status)

        @webhook.listener("after_server_stop")
        async def close_http(app: Any, loop: Any) -> None:
            await self.close()

        return webhook

    async def receive_activity(
        self, authorization: str | None, body: bytes | None, on_new_message: NewMessageHandler
    ) -> tuple[int, str]:
        """Check and accept one activity; the answer is produced in the background."""
        try:  # the token first: nothing of an unauthenticated body is even parsed
            verified = await self._authenticator.verify_token(authorization)
        except AuthenticationError as error:
            logger.warning("Bot Framework activity refused (401): %s", error)
            return HTTPStatus.UNAUTHORIZED, "unauthorized"
        try:
            activity = bf_activity.parse_activity(body)
        except InvalidActivity as error:
            return HTTPStatus.BAD_REQUEST, str(error)
        try:
            self._authenticator.check_activity(verified, activity)
        except AuthenticationError as error:
            logger.warning("Bot Framework activity refused (401): %s", error)
            return HTTPStatus.UNAUTHORIZED, "unauthorized"
        if not self._tenant_allowed(activity):
            logger.warning("Bot Framework activity from another tenant refused (403)")
            return HTTPStatus.FORBIDDEN, "forbidden"
        message = self._user_message(activity)
        if message is None:
            return HTTPStatus.OK, "ignored"
        if not self._limiter.allow(sender=message.sender_id):
            return HTTPStatus.TOO_MANY_REQUESTS, wording.text("channels.too_many_messages")
        task = asyncio.create_task(self._handle(message, on_new_message))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return HTTPStatus.OK, "accepted"

    def _tenant_allowed(self, activity: dict[str, Any]) -> bool:
        if not self.settings.tenant_id:
            return True
        tenant = bf_activity.tenant_id(activity)
        if tenant is None:
            # Teams always names the tenant; Web Chat and the Emulator have none.
            return activity.get("channelId") != "msteams"
        return tenant == self.settings.tenant_id

    def _user_message(self, activity: dict[str, Any]) -> UserMessage | None:
        kind = activity["type"]
        if kind == "message":
            text = bf_activity.user_text(activity)
        elif kind == "conversationUpdate" and bf_activity.bot_was_added(activity):
            text = self.settings.welcome_payload
        else:
            return None  # typing, messageReaction, invoke, installationUpdate...: acknowledged only
        if not text:
            return None
        try:
            reference = bf_activity.conversation_reference(activity)
        except InvalidActivity as error:
            logger.warning("Bot Framework activity ignored: %s", error)
            return None
        return UserMessage(
            text=mask_cpr(text),
            output_channel=BotFrameworkOutput(self._connector, reference),
            sender_id=bf_activity.sender_id(activity),
            input_channel=self.name(),
            message_id=activity.get("id"),
            metadata={
                "channel_id": reference.channel_id,
                "conversation_type": reference.conversation.get("conversationType"),
                "tenant_id": bf_activity.tenant_id(activity),
                "locale": activity.get("locale"),
            },
        )

    async def _handle(self, message: UserMessage, on_new_message: NewMessageHandler) -> None:
        try:
            await on_new_message(message)
        except Exception:
            logger.exception("Rasa failed to handle a Bot Framework message")
