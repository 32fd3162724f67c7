"""The real assistant (`rasa run` + action server, trained model) behind the Teams channel.

The Rasa server gets a credentials file naming our channel, pointed at the Bot Framework
stand-in; activities are signed by the stand-in and replies land at its Connector.
Skipped when no trained model exists yet in models/ (`make train`).
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.privacy import CPR_MASK
from bot.stack import Stack, api_url, isolated_stack, latest_model
from tests.channels.activities import TENANT_ID, bot_installed, button_click, from_other_tenant, teams_message
from tests.channels.conftest import APP_PASSWORD
from tests.channels.standin import BotFrameworkStandIn, Reply
from tests.cpr_spellings import CPR_DIGITS, CPR_SPELLINGS, nothing_left_to_mask
from tests.e2e.test_privacy_e2e import log_text, tracker_text

CHANNEL_KEY = "rasa_adapters.channels.botframework.BotFrameworkInput"
GREETING_START = "Hej! Jeg er sundhedshusenes digitale assistent"
ADDRESS_LIMIT = 600  # requests a minute from one address; the last test of the module uses it up


def trained_model() -> Path:
    from bot.training import current_model_path

    current = current_model_path()
    if current.exists():
        return current
    try:
        return latest_model()
    except FileNotFoundError as error:
        pytest.skip(str(error))


@dataclass
class TeamsStack:
    standin: BotFrameworkStandIn
    stack: Stack
    database_url: str

    @property
    def webhook_url(self) -> str:
        return f"{self.stack.rasa_url}/webhooks/teams/webhook"

    def post(self, activity: dict[str, Any], authorization: str | None) -> int:
        headers = {"Content-Type": "application/json"}
        if authorization:
            headers["Authorization"] = authorization
        request = urllib.request.Request(
            self.webhook_url, data=json.dumps(activity).encode("utf-8"), headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def user_events(self, sender_id: str) -> list[dict[str, Any]]:
        # Sanic does not decode %3A in the path, so the ':' of Teams ids stays as it is.
        path = f"/conversations/{urllib.parse.quote(sender_id, safe=':')}/tracker"
        url = api_url(self.stack.rasa_url, path, self.stack.auth_token)
        with urllib.request.urlopen(url, timeout=30) as response:
            events = json.loads(response.read())["events"]
        return [event for event in events if event["event"] == "user"]

    def wait_for_user_events(self, sender_id: str, timeout: float = 30.0) -> list[dict[str, Any]]:
        """Rasa stores the tracker just after sending the replies: wait until it has."""
        deadline = time.monotonic() + timeout
        while not (events := self.user_events(sender_id)) and time.monotonic() < deadline:
            time.sleep(0.2)
        return events


@pytest.fixture(scope="module")
def teams_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TeamsStack]:

    model = trained_model()
    work = tmp_path_factory.mktemp("teams_stack")
    standin = BotFrameworkStandIn(
        app_id=teams_message("", "")["recipient"]["id"][3:], app_password=APP_PASSWORD
    )
    standin.start()
    credentials = work / "credentials.yml"
    block = standin.channel_credentials(tenant_id=TENANT_ID)
    credentials.write_text(
        f"rest:\n{CHANNEL_KEY}:\n"
        + "".join(f"  {key}: {json.dumps(value)}\n" for key, value in block.items()),
        encoding="utf-8",
    )
    stack, database_url = isolated_stack(work, model, load_sample=False, credentials=credentials)
    stack.env["RATE_LIMIT_PER_ADDRESS"] = f"{ADDRESS_LIMIT}/minute"  # every test posts from 127.0.0.1
    stack.start()
    try:
        yield TeamsStack(standin, stack, database_url)
    finally:
        stack.stop()
        standin.stop()


def new_conversation(activity: dict[str, Any]) -> dict[str, Any]:
    activity["conversation"] = dict(activity["conversation"], id=f"a:{uuid.uuid4().hex}")
    return activity


def only_reply(teams_stack: TeamsStack, activity: dict[str, Any]) -> Reply:
    replies = teams_stack.standin.wait_for_replies(1, activity["conversation"]["id"], timeout=60)
    return replies[0]


def test_installing_the_bot_gets_the_danish_welcome_with_clickable_buttons(teams_stack: TeamsStack) -> None:
    standin = teams_stack.standin
    activity = new_conversation(bot_installed(standin.service_url))
    assert teams_stack.post(activity, standin.authorization(activity)) == 200
    reply = only_reply(teams_stack, activity)
    assert reply.activity["text"].startswith(GREETING_START)
    assert reply.authorization.removeprefix("Bearer ") in standin.state.issued_tokens
    buttons = reply.activity["attachments"][0]["content"]["buttons"]
    assert buttons and all(button["type"] == "messageBack" for button in buttons)


def test_a_signed_message_gets_a_danish_reply_in_its_thread(teams_stack: TeamsStack) -> None:
    standin = teams_stack.standin
    activity = new_conversation(teams_message(standin.service_url, "Hej"))
    assert teams_stack.post(activity, standin.authorization(activity)) == 200
    reply = only_reply(teams_stack, activity)
    assert reply.reply_to_id == activity["id"]
    assert reply.activity["text"].startswith(GREETING_START)
    assert reply.authorization.removeprefix("Bearer ") in standin.state.issued_tokens


def test_a_button_click_reaches_rasa_as_the_payload(teams_stack: TeamsStack) -> None:
    standin = teams_stack.standin
    # The text is what a client that dropped `value` would send; the payload must win.
    activity = new_conversation(button_click(standin.service_url, payload="/greet", text="Forfra"))
    assert teams_stack.post(activity, standin.authorization(activity)) == 200
    reply = only_reply(teams_stack, activity)
    assert reply.activity["text"].startswith(GREETING_START)
    (said,) = teams_stack.wait_for_user_events(activity["conversation"]["id"])
    assert said["text"] == "/greet"
    assert said["parse_data"]["intent"]["name"] == "greet"
    assert said["input_channel"] == "teams"


def replies_until(teams_stack: TeamsStack, activity: dict[str, Any], words: str) -> list[Reply]:
    """Every reply in the conversation up to the first whose text holds `words` (fails after 60 s)."""
    conversation = activity["conversation"]["id"]
    deadline = time.monotonic() + 60
    count = 1
    while True:
        replies = teams_stack.standin.wait_for_replies(count, conversation, timeout=60)
        if any(words in (reply.activity.get("text") or "") for reply in replies):
            return replies
        if time.monotonic() > deadline:
            raise AssertionError(f"no reply with {words!r}: {[r.activity.get('text') for r in replies]}")
        count = len(replies) + 1


def test_a_house_answer_from_sample_data_says_so_on_the_card_and_in_the_freshness_line(
    teams_stack: TeamsStack,
) -> None:
    from bot import settings
    from bot.catalogue import import_catalogue

    import_catalogue(settings.SAMPLE_CATALOGUE, url=teams_stack.database_url)
    standin = teams_stack.standin
    question = "hvor kan jeg få taget en blodprøve i Helsingør?"
    activity = new_conversation(teams_message(standin.service_url, question))
    assert teams_stack.post(activity, standin.authorization(activity)) == 200
    replies = replies_until(teams_stack, activity, "Oplysningerne er eksempeldata")
    cards = [
        attachment["content"]
        for reply in replies
        for attachment in reply.activity.get("attachments") or []
        if attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    ]
    assert cards, [reply.activity for reply in replies]
    shown = json.dumps(cards, ensure_ascii=False)
    assert "Sundhedshuset i Helsingør" in shown and "Eksempeldata" in shown
    assert "00 00 00 00" not in shown
    texts = [reply.activity.get("text") or "" for reply in replies]
    [line] = [text for text in texts if "Oplysningerne er eksempeldata" in text]
    assert "ikke sundhedshusenes egne" in line and "opdateret" not in line
    # The follow-up buttons travel with the line, as messageBack buttons on a hero card.
    [line_reply] = [r for r in replies if r.activity.get("text") == line]
    titles = [b["title"] for b in line_reply.activity["attachments"][0]["content"]["buttons"]]
    assert "Skal jeg have en henvisning?" in titles


def test_unsigned_and_foreign_activities_are_refused_by_the_running_server(teams_stack: TeamsStack) -> None:
    standin = teams_stack.standin
    unsigned = new_conversation(teams_message(standin.service_url, "Hej"))
    assert teams_stack.post(unsigned, None) == 401
    forged = new_conversation(teams_message(standin.service_url, "Hej"))
    assert teams_stack.post(forged, standin.authorization(forged, issuer="https://evil.example.com")) == 401
    foreign = new_conversation(from_other_tenant(teams_message(standin.service_url, "Hej")))
    assert teams_stack.post(foreign, standin.authorization(foreign)) == 403
    # A genuine message after them, so anything let through would have been stored by now.
    genuine = new_conversation(teams_message(standin.service_url, "Hej"))
    assert teams_stack.post(genuine, standin.authorization(genuine)) == 200
    assert teams_stack.wait_for_user_events(genuine["conversation"]["id"])
    for activity in (unsigned, forged, foreign):
        assert teams_stack.user_events(activity["conversation"]["id"]) == []


@pytest.mark.parametrize("spelling", CPR_SPELLINGS)
def test_cpr_numbers_are_masked_on_arrival_from_teams(teams_stack: TeamsStack, spelling: str) -> None:
    standin = teams_stack.standin
    activity = new_conversation(teams_message(standin.service_url, f"mit cpr-nummer er {spelling}"))
    assert teams_stack.post(activity, standin.authorization(activity)) == 200
    only_reply(teams_stack, activity)
    (said,) = teams_stack.wait_for_user_events(activity["conversation"]["id"])
    assert said["text"] == f"mit cpr-nummer er {CPR_MASK}"
    stored = tracker_text(Path(teams_stack.stack.env["TRACKER_DB"]))
    logs = log_text(teams_stack.stack.log_dir)
    for text in (stored, logs):
        assert spelling not in text and CPR_DIGITS not in text and nothing_left_to_mask(text)


# Keep this test last in the module: it uses up the address's limit for a minute.
def test_too_many_requests_from_one_address_get_429(teams_stack: TeamsStack) -> None:
    body = teams_message(teams_stack.standin.service_url, "Hej")
    statuses = [teams_stack.post(body, None) for _ in range(ADDRESS_LIMIT)]
    # Unsigned, so 401 until the limit; counted before the token is checked. Earlier tests
    # in the module have used some of the minute, so the 429s may start a little before.
    first_refused = statuses.index(429) if 429 in statuses else len(statuses)
    assert first_refused >= ADDRESS_LIMIT - 100
    assert set(statuses[:first_refused]) == {401}
    assert set(statuses[first_refused:]) <= {429}
    assert teams_stack.post(body, None) == 429
