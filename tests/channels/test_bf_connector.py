"""Outgoing replies: app token from the stand-in's token endpoint, POSTs to its Connector."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import pytest

from bot.channels.bf_config import settings_from_credentials
from bot.channels.bf_connector import AppTokenProvider, ConnectorClient, ConnectorError, activities_url
from tests.channels.activities import CONVERSATION_ID, TENANT_ID
from tests.channels.standin import BotFrameworkStandIn

REPLY = {"type": "message", "text": "Hej fra sundhedshuset"}


async def _send(
    standin: BotFrameworkStandIn, count: int = 1, reply_to_id: str | None = None, **overrides: Any
) -> list[float]:
    settings = settings_from_credentials(standin.channel_credentials(**overrides), environ={})
    pauses: list[float] = []

    async def record_pause(seconds: float) -> None:
        pauses.append(seconds)

    async with aiohttp.ClientSession() as session:
        client = ConnectorClient(
            settings, AppTokenProvider(settings, lambda: session), lambda: session, sleep=record_pause
        )
        for _ in range(count):
            await client.send_activity(standin.service_url, CONVERSATION_ID, REPLY, reply_to_id)
    return pauses


def send(
    standin: BotFrameworkStandIn, count: int = 1, reply_to_id: str | None = None, **overrides: Any
) -> list[float]:
    return asyncio.run(_send(standin, count, reply_to_id, **overrides))


def test_a_reply_arrives_with_the_token_the_service_issued(standin: BotFrameworkStandIn) -> None:
    send(standin, reply_to_id="1485983408511")
    (reply,) = standin.state.replies
    assert reply.activity == REPLY
    assert reply.conversation_id == CONVERSATION_ID
    assert reply.reply_to_id == "1485983408511"
    assert reply.authorization.removeprefix("Bearer ") in standin.state.issued_tokens


def test_the_token_is_fetched_once_and_reused(standin: BotFrameworkStandIn) -> None:
    send(standin, count=3)
    assert len(standin.state.replies) == 3
    assert len(standin.state.token_requests) == 1
    form = standin.state.token_requests[0].form
    assert form["grant_type"] == "client_credentials"
    assert form["scope"] == "https://api.botframework.com/.default"


def test_multi_tenant_bots_ask_botframework_com_and_single_tenant_bots_their_tenant(
    standin: BotFrameworkStandIn,
) -> None:
    send(standin)
    send(standin, tenant_id=TENANT_ID)
    assert [request.tenant for request in standin.state.token_requests] == ["botframework.com", TENANT_ID]


def test_a_wrong_secret_is_reported_with_entras_reason(standin: BotFrameworkStandIn) -> None:
    with pytest.raises(ConnectorError, match="AADSTS7000215"):
        send(standin, app_password="wrong-secret")
    assert standin.state.replies == []


def test_busy_and_server_errors_are_retried_with_growing_pauses(standin: BotFrameworkStandIn) -> None:
    standin.fail_next_replies(429, 503, 502)
    pauses = send(standin)
    assert len(standin.state.replies) == 1
    assert pauses == [0.5, 1.0, 2.0]


def test_retries_are_bounded(standin: BotFrameworkStandIn) -> None:
    standin.fail_next_replies(503, 503, 503, 503, 503)
    with pytest.raises(ConnectorError, match="after 4 attempts: HTTP 503"):
        send(standin)
    assert standin.state.replies == []


def test_a_refused_reply_is_not_retried(standin: BotFrameworkStandIn) -> None:
    standin.fail_next_replies(400)
    with pytest.raises(ConnectorError, match="HTTP 400"):
        send(standin)
    assert standin.state.replies == []  # a retry would have been accepted


def test_conversation_ids_are_escaped_in_the_url() -> None:
    url = activities_url("https://smba.trafficmanager.net/emea/", "19:abc@thread.skype;messageid=17", "17")
    assert url == (
        "https://smba.trafficmanager.net/emea/v3/conversations/"
        "19%3Aabc%40thread.skype%3Bmessageid%3D17/activities/17"
    )
