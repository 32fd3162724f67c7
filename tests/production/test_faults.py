"""Issue 13: the production profile survives faults. Every test talks HTTP through nginx to the
real processes (tests/production/conftest.py starts them once for the module), and checks the
PostgreSQL databases themselves. The tests run in this order; later ones build on earlier state
(the registrations of the concurrency test, the call-back of the Rasa-crash test).
"""

from __future__ import annotations

import json
import re
import threading
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from bot.db import session_scope
from bot.models import CallbackRequest, Registration
from bot.production import outage
from bot.stack import api_url
from tests.conftest import new_sender
from tests.event_catalogues import add_test_event
from tests.production.conftest import AccessLog, get, log_text, say, says, text_of, tracker

SUMMARY = "Er oplysningerne rigtige?"
FORM_ANSWERS = {  # the registration form's question -> the answer (None: a person's own value)
    "Hvad er dit fulde navn?": "name",
    "Hvilken e-mailadresse skal tilmeldingen": "email",
    "Hvilken organisation kommer du fra?": "Ingen",
    "Deltager du for en kommune": "borger",
    "Er der noget, arrangøren skal vide": "nej",
    "Vil du skrives på ventelisten?": "ja",
    SUMMARY: None,
}
REFERENCE = re.compile(r"RB-[2-9A-HJ-NP-Z]{4}")


def counts(database_url: str) -> tuple[int, int]:
    """(registrations, call-back requests) in the services database."""
    with session_scope(database_url) as session:
        registrations = session.execute(select(func.count()).select_from(Registration)).scalar_one()
        callbacks = session.execute(select(func.count()).select_from(CallbackRequest)).scalar_one()
    return registrations, callbacks


def drive_to_summary(stack, sender: str, first: str, index: int) -> None:
    """Answer the registration form's questions, whatever it asks, until its summary."""
    values = {"name": f"Deltager Nummer{index}", "email": f"deltager{index}@example.dk"}
    reply = says(stack, sender, first)
    for _ in range(10):
        asked = max(FORM_ANSWERS, key=lambda cue: reply.rfind(cue))
        assert asked in reply, f"unexpected reply: {reply}"
        if asked == SUMMARY:
            return
        answer = FORM_ANSWERS[asked]
        reply = says(stack, sender, values.get(answer, answer))
    raise AssertionError(f"the form never reached its summary: {reply}")


def post_json(url: str, body: str) -> tuple[int, str]:
    request = urllib.request.Request(
        url, data=body.encode("utf-8"), headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def confirm_all_at_once(stack, senders: list[str]) -> dict[str, str]:
    barrier = threading.Barrier(len(senders))
    replies: dict[str, str] = {}

    def confirm(sender: str) -> None:
        barrier.wait(timeout=60)
        replies[sender] = says(stack, sender, "ja")

    with ThreadPoolExecutor(max_workers=len(senders)) as pool:
        list(pool.map(confirm, senders))
    return replies


# ------------------------------------------------------------------------------ the routes


def test_only_the_public_routes_are_published(production):
    page_status, page = get(f"{production.public_url}/")
    assert page_status == 200 and "widget" in page
    handshake_status, handshake = get(f"{production.public_url}/socket.io/?EIO=4&transport=polling")
    assert handshake_status == 200 and handshake.startswith("0{"), handshake[:100]
    assert "Sundhedshuset i Helsingør" in says(production, new_sender(), "blodprøve i Helsingør")
    # Rasa's HTTP API is not routed, even with the right token; it answers on the inside only.
    for path in ("/status", "/version", f"/conversations/{new_sender()}/tracker", "/model/parse"):
        status, body = get(f"{production.public_url}{path}?token={production.auth_token}")
        assert status == 404 and "rasa" not in body.lower(), (path, status, body[:200])
    assert get(f"{production.rasa_url(0)}/version")[0] == 200


# ------------------------------------------------------------------- order across instances


def test_a_burst_to_one_conversation_through_both_instances_arrives_in_order(production):
    sender = new_sender()
    messages = ["hej", "blodprøve i Helsingør", "hvornår har de åbent?", "skal jeg have en henvisning?",
                "hvordan bestiller jeg tid?", "tusind tak"]  # fmt: skip
    log = AccessLog(production)
    threads = []
    for message in messages:  # each sent before the last is answered, 0.3 s apart
        thread = threading.Thread(target=say, args=(production, sender, message))
        thread.start()
        threads.append(thread)
        time.sleep(0.3)
    for thread in threads:
        thread.join(timeout=180)
    served_by = set(log.upstreams("/webhooks/rest/webhook"))
    assert len(served_by) == 2, served_by  # both Rasa servers took part
    events = tracker(production, sender)["events"]
    user_texts = [event["text"] for event in events if event["event"] == "user"]
    assert user_texts == messages
    # Each message was handled to the end (the bot listens again) before the next one started.
    kinds = [
        "user" if e["event"] == "user" else "listen"
        for e in events
        if e["event"] == "user" or (e["event"] == "action" and e.get("name") == "action_listen")
    ]
    first_user = kinds.index("user")
    assert kinds[first_user:] == ["user", "listen"] * len(messages), kinds


# --------------------------------------------------------------- registrations under load


def test_100_concurrent_registrations_for_10_places_over_both_instances(production):
    """One person fills in the form message by message; the other 99 conversations get the same
    events through Rasa's internal API (their own name and e-mail), so the run stays within CI's
    time. Then all 100 answer "ja" to the summary at the same moment, through nginx."""
    event_id = add_test_event(production.database_url, capacity=10)
    senders = [new_sender() for _ in range(100)]
    drive_to_summary(production, senders[0], f'/register_event{{"event_id": "{event_id}"}}', 0)
    copy_conversation(production, senders[0], 0, {s: i for i, s in enumerate(senders) if i}, senders)
    log = AccessLog(production)
    replies = confirm_all_at_once(production, senders)
    assert len(set(log.upstreams("/webhooks/rest/webhook"))) == 2  # spread over both instances
    confirmed = [s for s, reply in replies.items() if "Du er tilmeldt" in reply]
    too_late = [s for s, reply in replies.items() if "Vil du på ventelisten?" in reply]
    assert len(confirmed) == 10 and len(too_late) == 90, {r[:80] for r in replies.values()}

    # The 90 take the waiting list (the first message by message, the rest copied), all at once.
    first = too_late[0]
    already = len(tracker(production, first)["events"])
    drive_to_summary(production, first, "/register_event", senders.index(first))
    copy_conversation(production, first, already, {s: senders.index(s) for s in too_late[1:]}, senders)
    waiting_replies = confirm_all_at_once(production, too_late)
    assert all("på ventelisten" in reply for reply in waiting_replies.values()), set(waiting_replies.values())

    with session_scope(production.database_url) as session:
        rows = session.execute(select(Registration).where(Registration.event_id == event_id)).scalars().all()
        statuses = [row.status for row in rows]
    assert statuses.count("confirmed") == 10 and statuses.count("waiting") == 90 and len(rows) == 100
    positions = sorted(int(re.search(r"nr\. (\d+)", reply).group(1)) for reply in waiting_replies.values())
    assert positions == list(range(1, 91))  # each told a place of their own


def copy_conversation(production, source: str, since: int, targets: dict[str, int], senders: list) -> None:
    """Append `source`'s events from `since` on to each target conversation (sender -> person
    number), with that person's own name and e-mail, through the Rasa servers' internal API."""
    events = json.dumps(tracker(production, source)["events"][since:], ensure_ascii=False)
    number = senders.index(source)
    for offset, (target, index) in enumerate(targets.items()):
        own = events.replace(f"Nummer{number}", f"Nummer{index}").replace(
            f"deltager{number}@", f"deltager{index}@"
        )
        url = api_url(production.rasa_url(offset % 2), f"/conversations/{target}/tracker/events",
                      production.auth_token)  # fmt: skip
        status, body = post_json(url, own)
        assert status == 200, body[:300]


# --------------------------------------------------------------------------- action servers


def test_action_servers_killed_one_then_all_then_back(production):
    sender = new_sender()
    assert "Sundhedshuset i Helsingør" in says(production, sender, "blodprøve i Helsingør")
    house_ids = tracker(production, sender)["slots"]["house_ids"]

    production.kill("actions-1")
    for _ in range(3):  # every answer comes from the other action server
        reply = says(production, sender, "hvornår har de åbent?")
        assert "Helsingør" in reply and "teknisk fejl" not in reply

    production.kill("actions-2")
    apology = says(production, sender, "hvornår har de åbent?")
    expected = outage.apology({"house_ids": house_ids}, production.database_url)
    assert apology == expected
    assert re.search(r"\d{2} ?\d{2}|1813", apology) and "112" in apology and "Traceback" not in apology
    assert "Beklager" in says(production, new_sender(), "hvor kan jeg få taget en blodprøve i Ballerup?")

    production.restart("actions-1")
    production.restart("actions-2")
    time.sleep(3)  # nginx retries a server it marked as failed after fail_timeout (3 s)
    back = says(production, sender, "hvornår har de åbent?")
    assert "Helsingør" in back and "teknisk fejl" not in back


# ------------------------------------------------------------------------------------ Redis


def test_redis_stopped_logs_once_answers_and_recovers(production):
    sender = new_sender()
    production.stop_process("redis")
    try:
        for message in ("blodprøve i Helsingør", "hvornår har de åbent?", "tusind tak"):
            assert says(production, sender, message), message  # answered, not silence
        rasa_logs = log_text(production, "rasa-1", "rasa-2")
        assert "Redis er utilgængelig" in rasa_logs
        assert rasa_logs.count("Redis er utilgængelig") <= 2  # one line per server, not per message
    finally:
        production.start_process("redis")
    for message in ("hej", "hvornår har de åbent?", "tak"):
        assert says(production, sender, message)
    assert "Redis er tilgængelig igen" in log_text(production, "rasa-1", "rasa-2")
    for name in ("rasa-1", "rasa-2"):
        assert production.processes[name].poll() is None  # no crash


# -------------------------------------------------------------------------------- Rasa servers


def test_a_rasa_server_killed_mid_form_the_other_goes_on_with_the_slots(production):
    sender = new_sender()
    assert "Sundhedshuset i Helsingør" in says(production, sender, "blodprøve i Helsingør")
    assert "Hvad er dit fulde navn?" in says(production, sender, "ring mig op")
    assert "Hvilket telefonnummer" in says(production, sender, "Anna Testesen")

    production.kill("rasa-1")
    log = AccessLog(production)
    topic_reply = says(production, sender, "12 34 56 78")
    assert "Hvad drejer det sig om?" in topic_reply  # the form went on where it was
    summary = says(production, sender, "Min fars udskrivelse i næste uge")
    assert "Navn: Anna Testesen" in summary and "Telefon: 12 34 56 78" in summary
    assert "Sundhedshus: Sundhedshuset i Helsingør" in summary  # the slot from before the crash
    stored = says(production, sender, "ja")
    assert REFERENCE.search(stored), stored
    assert set(log.upstreams("/webhooks/rest/webhook")) == {f"127.0.0.1:{production.rasa_ports[1]}"}
    with session_scope(production.database_url) as session:
        query = select(CallbackRequest).where(CallbackRequest.sender_id == sender)
        assert session.execute(query).scalar_one().name == "Anna Testesen"


# ------------------------------------------------------------------------------- PostgreSQL


def test_postgres_restarted_nothing_lost_and_it_recovers_by_itself(production):
    sender = new_sender()
    assert "Sundhedshuset i Helsingør" in says(production, sender, "blodprøve i Helsingør")
    before = counts(production.database_url)
    assert before[0] >= 100 and before[1] >= 1

    production.stop_process("postgres")
    production.start_process("postgres")

    after_restart = says(production, sender, "hvornår har de åbent?")
    assert "Helsingør" in after_restart  # the conversation (slots) came back from PostgreSQL
    assert counts(production.database_url) == before
    assert [e["text"] for e in tracker(production, sender, index=1)["events"] if e["event"] == "user"] == [
        "blodprøve i Helsingør",
        "hvornår har de åbent?",
    ]


# ------------------------------------------------------------------------------ everything


def test_everything_restarted_registrations_and_callbacks_intact(production):
    sender = new_sender()
    assert "Sundhedshuset i Helsingør" in says(production, sender, "blodprøve i Helsingør")
    before = counts(production.database_url)

    production.stop()
    production.start()

    assert counts(production.database_url) == before
    assert "Helsingør" in says(production, sender, "hvornår har de åbent?")  # the conversation too
    log = AccessLog(production)
    for _ in range(4):
        assert text_of(say(production, new_sender(), "hej"))
    assert len(set(log.upstreams("/webhooks/rest/webhook"))) == 2  # both Rasa servers are back
    unique = uuid.uuid4().hex[:6]
    assert "Hvad er dit fulde navn?" in says(production, f"after-{unique}", "ring mig op")
