"""A report for the people who run the service: conversations, share answered, what was not understood.

Reads Rasa's tracker store (the SQL table `events` that `rasa_adapters.tracker_store` writes,
CPR numbers already masked there; masked again here in case an older store holds
any) and the call-back requests in the services database. Periods are Danish
calendar days, both ends included.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

from sqlalchemy import create_engine, inspect, select
from sqlalchemy.sql import column, table

from bot import settings
from bot.callbacks import list_callbacks
from bot.danish import day_after, format_date, midnight
from bot.privacy import CPR_MASK, mask_cpr
from bot.transactions import SessionOrUrl

FALLBACK_ACTIONS = frozenset({"action_fallback", "action_default_fallback"})
PERSON_ACTIONS = frozenset({"action_entry_point", "action_submit_callback"})
NOT_UNDERSTOOD_INTENT = "nlu_fallback"
TOP_DEFAULT = 10

EVENTS = table(
    "events",
    column("id"),
    column("sender_id"),
    column("type_name"),
    column("timestamp"),
    column("intent_name"),
    column("action_name"),
    column("data"),
)


class ReportError(Exception):
    """The report cannot be made; the text is Danish, for the person running the command."""


def tracker_url(value: str | None = None) -> str:
    """The tracker store as a database URL: the value given (a URL or a SQLite file), else the environment.

    Else `bot.settings.tracker_store_url()`: TRACKER_DB_URL, else the SQLite file TRACKER_DB.
    """
    if value:
        return value if "://" in value else f"sqlite:///{Path(value).expanduser().resolve()}"
    return settings.tracker_store_url()


def period_bounds(start: date | None, end: date | None) -> tuple[datetime | None, datetime | None]:
    """UTC moments for Danish days: from the start of `start` to the end of `end` (exclusive)."""
    lower = midnight(start).astimezone(timezone.utc) if start else None
    upper = day_after(end).astimezone(timezone.utc) if end else None
    return lower, upper


@dataclass
class Report:
    start: date | None
    end: date | None
    conversations: int = 0
    user_messages: int = 0
    answered: int = 0
    conversations_with_person: int = 0  # shown the entry point or asked to be called back
    not_understood: list[tuple[str, int]] = field(default_factory=list)
    callbacks_requested: int = 0
    callbacks_withdrawn: int = 0
    callbacks_by_house: list[tuple[str, int]] = field(default_factory=list)

    @property
    def share_answered(self) -> float | None:
        return self.answered / self.user_messages if self.user_messages else None


@dataclass
class _Turn:
    """A user message and the actions that answered it."""

    text: str
    intent: str | None
    actions: list[str] = field(default_factory=list)

    @property
    def understood(self) -> bool:
        return self.intent != NOT_UNDERSTOOD_INTENT and not FALLBACK_ACTIONS.intersection(self.actions)


@dataclass
class _Conversation:
    turns: list[_Turn] = field(default_factory=list)
    actions: set[str] = field(default_factory=set)


def _rows(url: str, lower: datetime | None, upper: datetime | None) -> Iterator[tuple]:
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        if not path.exists():
            raise ReportError(f"Samtaledatabasen findes ikke: {path}. Angiv den med --tracker-db.")
    engine = create_engine(url, future=True)
    try:
        with engine.connect() as connection:
            if not inspect(connection).has_table("events"):
                return
            query = select(
                EVENTS.c.sender_id,
                EVENTS.c.type_name,
                EVENTS.c.intent_name,
                EVENTS.c.action_name,
                EVENTS.c.data,
            ).order_by(EVENTS.c.sender_id, EVENTS.c.id)
            if lower is not None:
                query = query.where(EVENTS.c.timestamp >= lower.timestamp())
            if upper is not None:
                query = query.where(EVENTS.c.timestamp < upper.timestamp())
            yield from connection.execute(query)
    finally:
        engine.dispose()


def _conversations(rows: Iterable[tuple]) -> list[_Conversation]:
    """Split each sender's events into sessions (Rasa starts one with action_session_start)."""
    conversations: list[_Conversation] = []
    current: _Conversation | None = None
    sender = None
    for sender_id, type_name, intent_name, action_name, data in rows:
        if sender_id != sender or (type_name == "action" and action_name == "action_session_start"):
            sender, current = sender_id, _Conversation()
            conversations.append(current)
        if type_name == "user":
            text = (json.loads(data or "{}").get("text") or "").strip()
            current.turns.append(_Turn(text=text, intent=intent_name))
        elif type_name == "action" and action_name:
            current.actions.add(action_name)
            if current.turns:
                current.turns[-1].actions.append(action_name)
    return [c for c in conversations if c.turns]


def _question_key(text: str) -> str:
    """Masked, lower case, single spaces: the same question typed twice counts twice."""
    key = mask_cpr(" ".join(text.lower().split()))
    return key.replace(CPR_MASK.lower(), CPR_MASK)[:200]  # masked in the store already


def build_report(
    tracker: str | None = None,
    database: SessionOrUrl = None,
    start: date | None = None,
    end: date | None = None,
    top: int = TOP_DEFAULT,
) -> Report:
    """The figures for the period from the tracker store (URL or SQLite file) and the services database."""
    if start and end and start > end:
        raise ReportError("Startdatoen ligger efter slutdatoen.")
    lower, upper = period_bounds(start, end)
    report = Report(start=start, end=end)
    questions: Counter[str] = Counter()
    for conversation in _conversations(_rows(tracker_url(tracker), lower, upper)):
        report.conversations += 1
        if PERSON_ACTIONS.intersection(conversation.actions):
            report.conversations_with_person += 1
        for turn in conversation.turns:
            if turn.text.startswith("/"):
                continue  # a button: always understood, not a question typed by a person
            report.user_messages += 1
            if turn.understood:
                report.answered += 1
            elif turn.text:
                questions[_question_key(turn.text)] += 1
    report.not_understood = questions.most_common(top)

    by_house: Counter[str] = Counter()
    for request in list_callbacks(database, include_withdrawn=True):
        if (lower and request.created_at < lower) or (upper and request.created_at >= upper):
            continue
        report.callbacks_requested += 1
        report.callbacks_withdrawn += request.withdrawn_at is not None
        by_house[request.house_id or "uden hus"] += 1
    report.callbacks_by_house = sorted(by_house.items(), key=lambda item: (-item[1], item[0]))
    return report


def _percent(share: float) -> str:
    return f"{share * 100:.0f} %".replace(".", ",")


def format_report(report: Report) -> str:
    """The report as plain Danish text."""
    if report.start and report.end:
        period = f"{format_date(report.start)} – {format_date(report.end)}"
    elif report.start:
        period = f"fra {format_date(report.start)}"
    elif report.end:
        period = f"til og med {format_date(report.end)}"
    else:
        period = "hele perioden"
    share = report.share_answered
    lines = [
        "Rapport for sundhedshusenes digitale assistent",
        f"Periode: {period}",
        "",
        f"Samtaler: {report.conversations}",
        f"Beskeder fra brugerne: {report.user_messages}",
        f"Besvaret: {report.answered} af {report.user_messages}"
        + (f" ({_percent(share)})" if share is not None else ""),
        f"Ikke forstået: {report.user_messages - report.answered}",
        f"Samtaler med henvisning til et menneske (fælles indgang eller opringning): "
        f"{report.conversations_with_person}",
        f"Anmodninger om opkald: {report.callbacks_requested} ({report.callbacks_withdrawn} trukket tilbage)",
    ]
    lines += [f"  {house}: {count}" for house, count in report.callbacks_by_house]
    lines += ["", "Spørgsmål, assistenten ikke forstod (flest først):"]
    if report.not_understood:
        width = len(str(report.not_understood[0][1]))
        lines += [f"  {count:>{width}}  {text}" for text, count in report.not_understood]
    else:
        lines.append("  ingen")
    return "\n".join(lines)
