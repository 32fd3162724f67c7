"""Bot Framework activities shaped like Microsoft's documented Teams examples.

Based on "Conversation basics" / "Conversation events" in the Teams bot docs: a personal
chat message with channelData.tenant, and the conversationUpdate a bot gets on install.
"""

from __future__ import annotations

import copy
from typing import Any

TENANT_ID = "72f988bf-86f1-41af-91ab-2d7cd011db47"
OTHER_TENANT_ID = "0d6a1ac2-3f4e-4b0a-9b8c-2d1e6f5a7b90"
APP_ID = "c9e8c047-2a74-40a2-b28a-b162d5f5327c"
USER_ID = "29:1XJKJMvc5GBtc2JwZq0oj8tHZmzrQgFmB25ATiQWA85gQtHieVkKilBZ9XHoq9j7Zaqt7CZ-NJWi7me2kHTL3Bw"
CONVERSATION_ID = (
    "a:17I0kl8EkpE1O9PH5TWrzrLqwnLBbasqsd9jtaM6mIDPMAY9Y5Exj9vcqe_C6fYxsdgwXxCxWzSzQ33GHYHYWfi0Y8IdE"
)


def teams_message(service_url: str, text: str, **changes: Any) -> dict[str, Any]:
    activity = {
        "text": text,
        "type": "message",
        "timestamp": "2026-11-22T10:15:32.1234567Z",
        "localTimestamp": "2026-11-22T11:15:32.1234567+01:00",
        "id": "1485983408511",
        "channelId": "msteams",
        "serviceUrl": service_url,
        "from": {
            "id": USER_ID,
            "name": "Mette Hansen",
            "aadObjectId": "3ad4e2a8-6e54-4b5c-9f2a-1a1d1e2f3a4b",
        },
        "conversation": {"conversationType": "personal", "tenantId": TENANT_ID, "id": CONVERSATION_ID},
        "recipient": {"id": f"28:{APP_ID}", "name": "Sundhedshusenes assistent"},
        "textFormat": "plain",
        "locale": "da-DK",
        "entities": [
            {
                "locale": "da-DK",
                "country": "DK",
                "platform": "Web",
                "timezone": "Europe/Copenhagen",
                "type": "clientInfo",
            }
        ],
        "channelData": {"tenant": {"id": TENANT_ID}},
    }
    activity.update(changes)
    return activity


def button_click(service_url: str, payload: str, text: str) -> dict[str, Any]:
    """What Teams sends for a messageBack button: the title as text, our payload as value."""
    return teams_message(service_url, text, id="1485983408999", value={"payload": payload})


def bot_installed(service_url: str) -> dict[str, Any]:
    return {
        "membersAdded": [{"id": f"28:{APP_ID}"}],
        "type": "conversationUpdate",
        "timestamp": "2026-11-22T10:14:07.478Z",
        "id": "f:5f85c2ad",
        "channelId": "msteams",
        "serviceUrl": service_url,
        "from": {"id": USER_ID, "aadObjectId": "3ad4e2a8-6e54-4b5c-9f2a-1a1d1e2f3a4b"},
        "conversation": {"conversationType": "personal", "tenantId": TENANT_ID, "id": CONVERSATION_ID},
        "recipient": {"id": f"28:{APP_ID}", "name": "Sundhedshusenes assistent"},
        "channelData": {"tenant": {"id": TENANT_ID}},
    }


def from_other_tenant(activity: dict[str, Any]) -> dict[str, Any]:
    other = copy.deepcopy(activity)
    other["channelData"]["tenant"]["id"] = OTHER_TENANT_ID
    other["conversation"]["tenantId"] = OTHER_TENANT_ID
    return other
