"""Reading incoming activities: text or clicked payload, conversation keys, tenants."""

from __future__ import annotations

import pytest

from bot.channels import bf_activity
from tests.channels.activities import (
    APP_ID,
    CONVERSATION_ID,
    TENANT_ID,
    USER_ID,
    bot_installed,
    button_click,
    teams_message,
)

SERVICE_URL = "https://smba.trafficmanager.net/emea/"


def test_a_message_gives_its_text() -> None:
    assert bf_activity.user_text(teams_message(SERVICE_URL, "  Hvor kan jeg få taget en blodprøve? ")) == (
        "Hvor kan jeg få taget en blodprøve?"
    )


def test_a_button_click_gives_the_payload_not_the_title() -> None:
    activity = button_click(SERVICE_URL, payload="/list_events", text="Arrangementer")
    assert bf_activity.user_text(activity) == "/list_events"


def test_a_card_submit_without_text_gives_the_payload() -> None:
    activity = teams_message(SERVICE_URL, "", value={"payload": "/greet"})
    del activity["text"]
    assert bf_activity.user_text(activity) == "/greet"


def test_the_bots_own_mention_is_removed_from_channel_messages() -> None:
    activity = teams_message(
        SERVICE_URL,
        "<at>Sundhedsassistent</at> hvornår er der åbent?",
        entities=[
            {
                "type": "mention",
                "text": "<at>Sundhedsassistent</at>",
                "mentioned": {"id": f"28:{APP_ID}", "name": "Sundhedsassistent"},
            }
        ],
    )
    assert bf_activity.user_text(activity) == "hvornår er der åbent?"


def test_an_empty_message_gives_nothing() -> None:
    assert bf_activity.user_text(teams_message(SERVICE_URL, "   ")) is None


def test_personal_chats_are_keyed_by_conversation_and_group_chats_per_person() -> None:
    assert bf_activity.sender_id(teams_message(SERVICE_URL, "Hej")) == CONVERSATION_ID
    group = teams_message(
        SERVICE_URL,
        "Hej",
        conversation={"id": "19:abc@thread.v2", "conversationType": "groupChat", "isGroup": True},
    )
    assert bf_activity.sender_id(group) == f"19:abc@thread.v2|{USER_ID}"


def test_very_long_keys_are_hashed_to_fit_the_tracker_store() -> None:
    activity = teams_message(SERVICE_URL, "Hej", conversation={"id": "a:" + "x" * 300})
    key = bf_activity.sender_id(activity)
    assert key.startswith("bf-") and len(key) == 67
    assert key == bf_activity.sender_id(activity)


def test_the_tenant_comes_from_channel_data_or_the_conversation() -> None:
    assert bf_activity.tenant_id(teams_message(SERVICE_URL, "Hej")) == TENANT_ID
    webchat = teams_message(SERVICE_URL, "Hej", channelId="webchat", channelData={}, conversation={"id": "x"})
    assert bf_activity.tenant_id(webchat) is None


def test_only_the_bot_joining_counts_as_bot_added() -> None:
    assert bf_activity.bot_was_added(bot_installed(SERVICE_URL))
    someone_else = bot_installed(SERVICE_URL) | {"membersAdded": [{"id": USER_ID}]}
    assert not bf_activity.bot_was_added(someone_else)


def test_replies_to_messages_thread_under_them_and_welcomes_do_not() -> None:
    message = bf_activity.conversation_reference(teams_message(SERVICE_URL, "Hej"))
    assert message.reply_to_id == "1485983408511"
    assert message.bot == {"id": f"28:{APP_ID}", "name": "Sundhedshusenes assistent"}
    assert bf_activity.conversation_reference(bot_installed(SERVICE_URL)).reply_to_id is None


@pytest.mark.parametrize("body", [b"", b"not json", b"[1, 2]", b'{"text": "no type"}'])
def test_bodies_that_are_not_activities_are_invalid(body: bytes) -> None:
    with pytest.raises(bf_activity.InvalidActivity):
        bf_activity.parse_activity(body)


def test_a_service_url_that_is_not_http_is_invalid() -> None:
    with pytest.raises(bf_activity.InvalidActivity):
        bf_activity.conversation_reference(teams_message("file:///etc/passwd", "Hej"))
