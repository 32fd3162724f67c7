"""The channel over real HTTP: Sanic serves the blueprint exactly as `rasa run` registers it.

Rasa's agent is replaced by `RecordingBot` here (it answers through the channel's real output
channel); the real Rasa server on a trained model is in test_teams_end_to_end.py.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from rasa.core.channels.channel import UserMessage, register
from sanic import Sanic

from rasa_adapters.channels.botframework import BotFrameworkInput
from tests.channels.activities import (
    TENANT_ID,
    USER_ID,
    bot_installed,
    button_click,
    from_other_tenant,
    teams_message,
)
from tests.channels.standin import BotFrameworkStandIn, new_rsa_key


@dataclass
class RecordingBot:
    """Stands in for Rasa's agent: records each message and answers through its output channel."""

    messages: list[UserMessage] = field(default_factory=list)

    async def handle_message(self, message: UserMessage) -> None:
        self.messages.append(message)
        await message.output_channel.send_response(
            message.sender_id,
            {"text": f"Du skrev: {message.text}", "buttons": [{"title": "Forfra", "payload": "/greet"}]},
        )


@dataclass
class RunningChannel:
    webhook_url: str
    bot: RecordingBot
    session: aiohttp.ClientSession

    async def post(self, activity: dict[str, Any] | bytes, authorization: str | None) -> int:
        body = activity if isinstance(activity, bytes) else json.dumps(activity).encode("utf-8")
        headers = {"Content-Type": "application/json"}
        if authorization is not None:
            headers["Authorization"] = authorization
        async with self.session.post(self.webhook_url, data=body, headers=headers) as response:
            return response.status


@asynccontextmanager
async def running_channel(credentials: dict[str, Any]) -> AsyncIterator[RunningChannel]:
    # Sanic's testing mode: several apps in one process (its start-up rewrites shared methods).
    Sanic.test_mode = True
    app = Sanic(f"teams_test_{uuid.uuid4().hex[:8]}")
    bot = RecordingBot()
    app.ctx.agent = bot
    channel = BotFrameworkInput.from_credentials(credentials)
    register([channel], app, route="/webhooks/")
    server = await app.create_server(host="127.0.0.1", port=0, return_asyncio_server=True)
    assert server is not None
    await server.startup()
    await server.before_start()
    await server.after_start()
    port = server.server.sockets[0].getsockname()[1]
    try:
        async with aiohttp.ClientSession() as session:
            yield RunningChannel(f"http://127.0.0.1:{port}/webhooks/teams/webhook", bot, session)
    finally:
        await server.before_stop()
        await server.close()
        await server.after_stop()


async def replies(standin: BotFrameworkStandIn, count: int) -> list:
    return await asyncio.to_thread(standin.wait_for_replies, count)


def test_a_signed_message_is_answered_in_the_conversation_with_the_issued_token(
    standin: BotFrameworkStandIn,
) -> None:
    activity = teams_message(standin.service_url, "Hvor kan jeg få taget en blodprøve?")

    async def scenario() -> None:
        async with running_channel(standin.channel_credentials()) as channel:
            assert await channel.post(activity, standin.authorization(activity)) == 200
            (reply,) = await replies(standin, 1)
            (message,) = channel.bot.messages
            assert message.text == "Hvor kan jeg få taget en blodprøve?"
            assert message.input_channel == "teams"
            assert message.metadata["tenant_id"] == TENANT_ID
            assert reply.conversation_id == activity["conversation"]["id"]
            assert reply.reply_to_id == activity["id"]
            assert reply.authorization.removeprefix("Bearer ") in standin.state.issued_tokens
            assert reply.activity["text"] == "Du skrev: Hvor kan jeg få taget en blodprøve?"
            assert reply.activity["from"] == activity["recipient"]
            assert reply.activity["recipient"] == activity["from"]
            button = reply.activity["attachments"][0]["content"]["buttons"][0]
            assert button["type"] == "messageBack" and button["value"] == {"payload": "/greet"}

    asyncio.run(scenario())


def test_installing_the_bot_sends_the_welcome(standin: BotFrameworkStandIn) -> None:
    activity = bot_installed(standin.service_url)

    async def scenario() -> None:
        async with running_channel(standin.channel_credentials()) as channel:
            assert await channel.post(activity, standin.authorization(activity)) == 200
            (reply,) = await replies(standin, 1)
            assert [m.text for m in channel.bot.messages] == ["/greet"]
            assert reply.reply_to_id is None  # a new conversation: posted, not threaded

    asyncio.run(scenario())


def test_a_button_click_reaches_the_bot_as_the_payload(standin: BotFrameworkStandIn) -> None:
    activity = button_click(standin.service_url, payload="/list_events", text="Arrangementer")

    async def scenario() -> None:
        async with running_channel(standin.channel_credentials()) as channel:
            assert await channel.post(activity, standin.authorization(activity)) == 200
            await replies(standin, 1)
            assert [m.text for m in channel.bot.messages] == ["/list_events"]

    asyncio.run(scenario())


def test_unproven_or_foreign_activities_never_reach_the_bot(standin: BotFrameworkStandIn) -> None:
    good = teams_message(standin.service_url, "Hej")
    bad = teams_message(standin.service_url, "Jeg er ikke Microsoft")
    foreign = from_other_tenant(teams_message(standin.service_url, "Hej fra en anden organisation"))

    async def scenario() -> None:
        async with running_channel(standin.channel_credentials(tenant_id=TENANT_ID)) as channel:
            assert await channel.post(bad, None) == 401
            assert await channel.post(bad, standin.authorization(bad, key=new_rsa_key())) == 401
            assert await channel.post(bad, standin.authorization(bad, audience="someone-else")) == 401
            assert await channel.post(bad, standin.authorization(bad, expires_in=-3600)) == 401
            assert await channel.post(foreign, standin.authorization(foreign)) == 403
            assert await channel.post(b"{not json", standin.authorization(good)) == 400
            # The one genuine activity, last: once it is answered, anything let through would be too.
            assert await channel.post(good, standin.authorization(good)) == 200
            await replies(standin, 1)
            assert [m.text for m in channel.bot.messages] == ["Hej"]
            assert len(standin.state.replies) == 1

    asyncio.run(scenario())


def test_the_token_is_checked_before_the_body_is_read(standin: BotFrameworkStandIn) -> None:
    async def scenario() -> None:
        async with running_channel(standin.channel_credentials()) as channel:
            assert await channel.post(b"{not json", None) == 401
            assert await channel.post(b"{not json", "Bearer not.a.token") == 401
            assert channel.bot.messages == []

    asyncio.run(scenario())


def test_no_token_is_ever_sent_to_a_foreign_service_url(standin: BotFrameworkStandIn) -> None:
    foreign = BotFrameworkStandIn(app_id=standin.app_id, app_password=standin.app_password)
    foreign.start()
    try:
        # Correctly signed for the foreign URL: only the serviceUrl allow-list can stop it.
        hijack = teams_message(foreign.service_url, "Svar venligst et andet sted hen")
        good = teams_message(standin.service_url, "Hej")

        async def scenario() -> None:
            async with running_channel(standin.channel_credentials()) as channel:
                assert await channel.post(hijack, standin.authorization(hijack)) == 401
                assert await channel.post(good, standin.authorization(good)) == 200
                await replies(standin, 1)
                assert [m.text for m in channel.bot.messages] == ["Hej"]

        asyncio.run(scenario())
        assert foreign.state.connector_calls == []
        assert foreign.state.token_requests == []
    finally:
        foreign.stop()


def test_other_activity_types_are_acknowledged_and_ignored(standin: BotFrameworkStandIn) -> None:
    typing = teams_message(standin.service_url, "", type="typing")
    reaction = teams_message(
        standin.service_url, "", type="messageReaction", reactionsAdded=[{"type": "like"}]
    )
    user_joined = bot_installed(standin.service_url) | {"membersAdded": [{"id": USER_ID}]}
    good = teams_message(standin.service_url, "Tak")

    async def scenario() -> None:
        async with running_channel(standin.channel_credentials()) as channel:
            for activity in (typing, reaction, user_joined):
                assert await channel.post(activity, standin.authorization(activity)) == 200
            assert await channel.post(good, standin.authorization(good)) == 200
            await replies(standin, 1)
            assert [m.text for m in channel.bot.messages] == ["Tak"]

    asyncio.run(scenario())


def test_an_unconfigured_channel_refuses_everything(standin: BotFrameworkStandIn) -> None:
    activity = teams_message(standin.service_url, "Hej")

    async def scenario() -> None:
        async with running_channel({}) as channel:
            assert await channel.post(activity, standin.authorization(activity)) == 401
            async with channel.session.get(channel.webhook_url.removesuffix("webhook")) as health:
                assert await health.json() == {"status": "ok", "configured": False}
            assert channel.bot.messages == []

    asyncio.run(scenario())
