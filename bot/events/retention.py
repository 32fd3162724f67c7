"""Retention: registrations are deleted a fixed time after their event ended (bot.privacy)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select

from bot.events.views import current_moment
from bot.models import Event, Registration
from bot.privacy import REGISTRATION_RETENTION_DAYS
from bot.transactions import SessionOrUrl, write_session


def purge_expired_registrations(
    session_or_url: SessionOrUrl, now: datetime | None = None, days: int = REGISTRATION_RETENTION_DAYS
) -> int:
    """Delete registrations for events that ended more than `days` (the retention period) ago."""
    cutoff = current_moment(now) - timedelta(days=days)
    with write_session(session_or_url) as session:
        ended = select(Event.id).where(Event.end < cutoff)
        result = session.execute(
            delete(Registration)
            .where(Registration.event_id.in_(ended))
            .execution_options(synchronize_session=False)
        )
        return result.rowcount or 0
