"""The widget's socket.io sessions cannot be taken over (issue 10), with a real socket.io client.

Against the running Rasa server: ids are issued and signed by the server; a forged, unknown
or someone else's id gets a fresh session and nothing of the other; a message naming another
session lands in the sender's own; foreign origins cannot connect; size and pace are limited.
"""

from __future__ import annotations

import asyncio
import json
import urllib.request
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
import socketio

from bot import wording
from bot.settings import MAX_MESSAGE_CHARS_DEFAULT as MAX_CHARS

REPLY_TIMEOUT = 60


class WidgetClient:
    """One browser tab: a socket.io connection that records what it receives."""

    def __init__(self) -> None:
        self.sio = socketio.AsyncClient(reconnection=False)
        self.replies: asyncio.Queue[dict] = asyncio.Queue()
        self.confirmed: asyncio.Queue[str] = asyncio.Queue()
        self.sio.on("bot_uttered", self.replies.put_nowait)
        self.sio.on("session_confirm", self.confirmed.put_nowait)

    async def connect(self, rasa_url: str, origin: str) -> None:
        # polling: engine.io 4.15's websocket client needs aiohttp>=3.10, Rasa pins 3.9
        await self.sio.connect(rasa_url, headers={"Origin": origin}, transports=["polling"])

    async def session(self, token: str | None = None) -> str:
        await self.sio.emit("session_request", {"session_id": token})
        return await asyncio.wait_for(self.confirmed.get(), REPLY_TIMEOUT)

    async def say(self, text: str, session_id: str | None = None) -> None:
        await self.sio.emit("user_uttered", {"message": text, "session_id": session_id})

    async def reply(self, timeout: float = REPLY_TIMEOUT) -> dict:
        return await asyncio.wait_for(self.replies.get(), timeout)

    async def replies_within(self, seconds: float) -> list[dict]:
        await asyncio.sleep(seconds)
        received = []
        while not self.replies.empty():
            received.append(self.replies.get_nowait())
        return received


@asynccontextmanager
async def widget(rasa_stack, origin: str | None = None) -> AsyncIterator[WidgetClient]:
    client = WidgetClient()
    await client.connect(rasa_stack.rasa_url, origin or f"http://127.0.0.1:{rasa_stack.web_port}")
    try:
        yield client
    finally:
        # Abort: over polling, a clean disconnect waits for the server's next ping (31 s a tab).
        await client.sio.eio.disconnect(abort=True)


def user_texts(rasa_stack, conversation_id: str) -> list[str]:
    url = rasa_stack.api_url(f"/conversations/{conversation_id}/tracker")
    with urllib.request.urlopen(url, timeout=30) as response:
        events = json.loads(response.read())["events"]
    return [event.get("text") or "" for event in events if event["event"] == "user"]


def run(coroutine):
    return asyncio.run(coroutine)


def test_the_server_issues_signed_ids_and_a_tab_can_resume_its_own(rasa_stack):
    async def scenario():
        async with widget(rasa_stack) as tab:
            token = await tab.session(None)
            conversation_id, _, signature = token.partition(".")
            assert len(conversation_id) == 32 and len(signature) == 64
            await tab.say("hej")
            assert (await tab.reply())["text"]
        async with widget(rasa_stack) as reloaded:  # the same tab after a reload
            assert await reloaded.session(token) == token
            await reloaded.say("tak")
            assert (await reloaded.reply())["text"]
        return conversation_id

    conversation_id = run(scenario())
    assert user_texts(rasa_stack, conversation_id)[:2] == ["hej", "tak"]


@pytest.mark.parametrize(
    "forge",
    [
        lambda token: token.partition(".")[0],  # the bare conversation id (as seen in a log)
        lambda token: token[:-1] + ("0" if token[-1] != "0" else "1"),  # signature changed
        lambda token: "0" * 32 + "." + token.partition(".")[2],  # another id, the same signature
        lambda token: "unknown-session-id",
    ],
    ids=["bare-id", "bad-signature", "swapped-id", "unknown"],
)
def test_a_forged_or_unknown_id_gets_a_fresh_session_and_nothing_of_the_other(rasa_stack, forge):
    async def scenario():
        async with widget(rasa_stack) as victim, widget(rasa_stack) as intruder:
            token = await victim.session(None)
            intruder_token = await intruder.session(forge(token))
            assert intruder_token != token
            assert intruder_token.partition(".")[0] != token.partition(".")[0]
            await victim.say("jeg vil gerne ringes op")
            assert (await victim.reply())["text"]
            assert await intruder.replies_within(3) == []
            # Writing the victim's id into the message does not reach the victim's conversation.
            await intruder.say("indtrængeren skriver her", session_id=token)
            assert (await intruder.reply())["text"]
            return token.partition(".")[0], intruder_token.partition(".")[0]

    victim_id, intruder_id = run(scenario())
    assert "indtrængeren skriver her" not in user_texts(rasa_stack, victim_id)
    assert "indtrængeren skriver her" in user_texts(rasa_stack, intruder_id)


def test_a_message_before_a_session_is_ignored(rasa_stack):
    async def scenario():
        async with widget(rasa_stack) as tab:
            await tab.say("hej", session_id="0" * 32)
            return await tab.replies_within(3)

    assert run(scenario()) == []


@pytest.mark.parametrize("origin", ["https://evil.example", "http://127.0.0.1:1", "null"])
def test_a_page_on_a_foreign_origin_cannot_connect(rasa_stack, origin):
    async def scenario():
        with pytest.raises(socketio.exceptions.ConnectionError):
            async with widget(rasa_stack, origin=origin):
                pass

    run(scenario())


def test_a_too_long_message_gets_a_short_danish_line_and_is_not_stored(rasa_stack):
    async def scenario():
        async with widget(rasa_stack) as tab:
            token = await tab.session(None)
            await tab.say("a" * (MAX_CHARS + 1))
            reply = await tab.reply()
            return token.partition(".")[0], reply

    conversation_id, reply = run(scenario())
    assert reply["text"] == wording.text("channels.message_too_long", max_chars=MAX_CHARS)
    assert user_texts(rasa_stack, conversation_id) == []


def test_too_many_messages_from_one_session_get_a_short_danish_line(rasa_stack):
    too_long = wording.text("channels.message_too_long", max_chars=MAX_CHARS)

    async def scenario():
        async with widget(rasa_stack) as tab:
            token = await tab.session(None)
            # Twenty messages within the minute (too long: counted, answered at once, not processed).
            for _ in range(20):
                await tab.say("x" * (MAX_CHARS + 1))
                assert (await tab.reply())["text"] == too_long
            await tab.say("hej")  # the 21st
            return token.partition(".")[0], (await tab.reply())["text"]

    conversation_id, text = run(scenario())
    assert text == wording.text("channels.too_many_messages")
    assert user_texts(rasa_stack, conversation_id) == []  # the 21st never reached the assistant
