"""CPR numbers in every spelling are masked on arrival in each channel (issue 10).

Table-driven over tests/cpr_spellings.py: each spelling is sent through the REST channel and
the widget's socket.io channel of the running assistant; then the tracker database and the
servers' logs must hold neither the spelling nor the number's digits, and the masked
message must be there. Teams: tests/channels/test_teams_end_to_end.py; shell: tests/shell.
"""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.privacy import CPR_MASK
from tests.conftest import new_sender
from tests.cpr_spellings import CPR_DIGITS, CPR_SPELLINGS, nothing_left_to_mask
from tests.e2e.test_privacy_e2e import log_text, tracker_text
from tests.security.test_widget_sessions import widget


def assert_no_cpr(stored: str, spelling: str) -> None:
    assert spelling not in stored
    assert CPR_DIGITS not in stored
    assert nothing_left_to_mask(stored)


def _user_rows(rasa_stack, sender: str, timeout: float = 15.0) -> str:
    """The sender's rows in the tracker database. Over socket.io the reply is emitted before Rasa
    stores the tracker, so wait until the masked message is there (or the time is up)."""
    deadline = time.monotonic() + timeout
    while True:
        rows = "\n".join(line for line in tracker_text(rasa_stack.tracker_db).splitlines() if sender in line)
        if CPR_MASK in rows or time.monotonic() > deadline:
            return rows
        time.sleep(0.2)


@pytest.mark.parametrize("spelling", CPR_SPELLINGS)
def test_rest_masks_every_spelling(rasa_stack, spelling):
    sender = new_sender()
    assert rasa_stack.texts(f"mit cpr-nummer er {spelling}", sender).strip()
    stored = _user_rows(rasa_stack, sender)
    assert CPR_MASK in stored
    assert_no_cpr(stored, spelling)
    assert_no_cpr(log_text(rasa_stack.log_dir), spelling)


@pytest.mark.parametrize("spelling", CPR_SPELLINGS)
def test_socketio_masks_every_spelling(rasa_stack, spelling):
    async def scenario() -> str:
        async with widget(rasa_stack) as tab:
            token = await tab.session(None)
            await tab.say(f"mit cpr-nummer er {spelling}")
            assert (await tab.reply())["text"]
            return token.partition(".")[0]

    conversation_id = asyncio.run(scenario())
    stored = _user_rows(rasa_stack, conversation_id)
    assert CPR_MASK in stored
    assert_no_cpr(stored, spelling)
    assert_no_cpr(log_text(rasa_stack.log_dir), spelling)
