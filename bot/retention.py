"""Deleting personal data: what is past its retention period, or one person's on request.

`purge_expired` is what the running assistant does on a schedule (rasa_adapters.action_server)
and `python -m bot privacy purge` does by hand; `forget` is `python -m bot privacy forget`.
Conversations live in Rasa's tracker store (the `events` table of SQLTrackerStore), the
rest in the services database.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import create_engine, delete, inspect, select, text

from bot import callbacks, db_locks, events, privacy, report
from bot.contact import normalise_danish_phone, normalise_email
from bot.models import CallbackRequest, Registration
from bot.transactions import write_session


@dataclass
class Deleted:
    conversations: int = 0  # tracker events
    registrations: int = 0
    callbacks: int = 0

    def __str__(self) -> str:
        return (
            f"{self.conversations} samtalehændelser, {self.registrations} tilmeldinger, "
            f"{self.callbacks} opkaldsanmodninger"
        )


def _delete_tracker_events(tracker_url: str, where: str, parameters: dict) -> int:
    engine = create_engine(tracker_url)
    try:
        if not inspect(engine).has_table("events"):
            return 0  # Rasa has not stored a conversation yet
        with engine.begin() as connection:
            return connection.execute(text(f"DELETE FROM events WHERE {where}"), parameters).rowcount or 0
    finally:
        engine.dispose()


def purge_expired(
    database_url: str | None = None, tracker_url: str | None = None, now: datetime | None = None
) -> Deleted:
    """Delete every conversation event, registration and call-back past its retention period."""
    conversation_days = privacy.retention_days("CONVERSATION")
    cutoff = (now.timestamp() if now else time.time()) - conversation_days * 86400
    return Deleted(
        conversations=_delete_tracker_events(
            report.tracker_url(tracker_url), "timestamp < :cutoff", {"cutoff": cutoff}
        ),
        registrations=events.purge_expired_registrations(
            database_url, now, privacy.retention_days("REGISTRATION")
        ),
        callbacks=callbacks.purge_expired_callbacks(database_url, now, privacy.retention_days("CALLBACK")),
    )


RETENTION_LOCK = "sundhedshus:retention"


def purge_expired_once(
    database_url: str | None = None, tracker_url: str | None = None, now: datetime | None = None
) -> Deleted | None:
    """`purge_expired`, unless another process is running it right now (then None).

    Every action server schedules the job; on PostgreSQL an advisory lock lets one of them run
    it at a time (the deletes are idempotent anyway: a second run finds nothing left to delete).
    """
    with db_locks.try_lock(RETENTION_LOCK, database_url) as ours:
        if not ours:
            return None
        return purge_expired(database_url, tracker_url, now)


def forget(
    *,
    email: str | None = None,
    phone: str | None = None,
    sender: str | None = None,
    database_url: str | None = None,
    tracker_url: str | None = None,
) -> Deleted:
    """Delete one person's data everywhere: by e-mail, phone number or conversation (sender) id.

    A call-back request also takes its conversation with it, so the name and number said in
    the chat go too. Raises bot.contact.ContactError for an address or number that is not one.
    """
    deleted = Deleted()
    senders = {sender} if sender else set()
    with write_session(database_url) as session:
        if email:
            deleted.registrations += (
                session.execute(
                    delete(Registration).where(Registration.email == normalise_email(email))
                ).rowcount
                or 0
            )
        if phone:
            number = normalise_danish_phone(phone)  # ContactError (Danish) when it is not one
            their_senders = select(CallbackRequest.sender_id).where(CallbackRequest.phone == number)
            senders |= set(session.execute(their_senders).scalars())
            deleted.callbacks += (
                session.execute(delete(CallbackRequest).where(CallbackRequest.phone == number)).rowcount or 0
            )
        if sender:
            deleted.callbacks += (
                session.execute(delete(CallbackRequest).where(CallbackRequest.sender_id == sender)).rowcount
                or 0
            )
    for conversation in sorted(s for s in senders if s):
        deleted.conversations += _delete_tracker_events(
            report.tracker_url(tracker_url), "sender_id = :sender", {"sender": conversation}
        )
    return deleted
