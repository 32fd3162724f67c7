"""Reading incoming Bot Framework activities: who, which conversation, what was said or clicked."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# Rasa's SQL tracker store keeps sender ids in a 255-character column.
MAX_SENDER_ID_LENGTH = 200


class InvalidActivity(Exception):
    """The body is not an activity we can answer (HTTP 400)."""


@dataclass(frozen=True)
class ConversationReference:
    """Everything needed to answer in the conversation an activity came from."""

    service_url: str
    conversation: dict[str, Any]
    bot: dict[str, Any]
    user: dict[str, Any]
    channel_id: str
    reply_to_id: str | None

    @property
    def conversation_id(self) -> str:
        return str(self.conversation["id"])


def parse_activity(body: bytes | str | None) -> dict[str, Any]:
    try:
        activity = json.loads(body or b"")
    except (ValueError, UnicodeDecodeError) as error:
        raise InvalidActivity("the body is not JSON") from error
    if not isinstance(activity, dict) or not isinstance(activity.get("type"), str):
        raise InvalidActivity("the body is not an activity")
    return activity


def conversation_reference(activity: Mapping[str, Any]) -> ConversationReference:
    conversation = activity.get("conversation")
    service_url = activity.get("serviceUrl")
    if not isinstance(conversation, dict) or not conversation.get("id") or not service_url:
        raise InvalidActivity("the activity names no conversation or serviceUrl")
    if not str(service_url).startswith(("https://", "http://")):
        raise InvalidActivity("the serviceUrl is not an http(s) URL")
    return ConversationReference(
        service_url=str(service_url),
        conversation=dict(conversation),
        bot=dict(activity.get("recipient") or {}),
        user=dict(activity.get("from") or {}),
        channel_id=str(activity.get("channelId") or ""),
        reply_to_id=activity.get("id") if activity.get("type") == "message" else None,
    )


def sender_id(activity: Mapping[str, Any]) -> str:
    """The Rasa conversation id: the chat itself, or chat + person in group chats and channels.

    In a personal chat the conversation id is already one person's; in a group every member
    gets their own tracker, so two people's answers never fill one form.
    """
    conversation = activity.get("conversation") or {}
    conversation_id = str(conversation.get("id") or "")
    if conversation.get("isGroup") or conversation.get("conversationType") in ("groupChat", "channel"):
        user_id = str((activity.get("from") or {}).get("id") or "")
        key = f"{conversation_id}|{user_id}"
    else:
        key = conversation_id
    if len(key) > MAX_SENDER_ID_LENGTH:
        key = "bf-" + hashlib.sha256(key.encode("utf-8")).hexdigest()
    return key


def tenant_id(activity: Mapping[str, Any]) -> str | None:
    channel_data = activity.get("channelData") or {}
    tenant = channel_data.get("tenant") if isinstance(channel_data, dict) else None
    if isinstance(tenant, dict) and tenant.get("id"):
        return str(tenant["id"])
    conversation = activity.get("conversation") or {}
    return str(conversation["tenantId"]) if conversation.get("tenantId") else None


def user_text(activity: Mapping[str, Any]) -> str | None:
    """What the user said, or the payload of the button they clicked; None when neither."""
    value = activity.get("value")
    if isinstance(value, dict) and isinstance(value.get("payload"), str) and value["payload"].strip():
        return value["payload"].strip()
    if isinstance(value, str) and value.strip().startswith("/"):
        return value.strip()  # a messageBack whose value is the payload itself
    text = _without_bot_mention(activity)
    return text or None


def bot_was_added(activity: Mapping[str, Any]) -> bool:
    """A conversationUpdate announcing the bot itself (not some other member) joined."""
    bot_id = (activity.get("recipient") or {}).get("id")
    members = activity.get("membersAdded") or []
    return bool(bot_id) and any(isinstance(m, dict) and m.get("id") == bot_id for m in members)


def _without_bot_mention(activity: Mapping[str, Any]) -> str:
    """In channels Teams writes "<at>Bot name</at> question"; the mention is not part of the question."""
    text = str(activity.get("text") or "")
    bot_id = (activity.get("recipient") or {}).get("id")
    for entity in activity.get("entities") or []:
        if (
            isinstance(entity, dict)
            and entity.get("type") == "mention"
            and (entity.get("mentioned") or {}).get("id") == bot_id
            and entity.get("text")
        ):
            text = text.replace(str(entity["text"]), " ")
    return " ".join(text.split())
