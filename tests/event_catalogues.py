"""A one-event catalogue of a test's own, dated relative to now, imported through the real importer."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

from bot.catalogue import import_catalogue


def add_test_event(
    database_url: str,
    *,
    capacity: int | None = 50,
    deadline_days: int = 10,
    start_days: int = 30,
    title: str | None = None,
) -> str:
    """Import one event at the sample catalogue's Albertslund house; return its new id."""
    event_id = f"test-{uuid.uuid4().hex[:8]}"
    now = datetime.now(timezone.utc).replace(microsecond=0)
    start, deadline = now + timedelta(days=start_days), now + timedelta(days=deadline_days)
    capacity_line = f"    capacity: {capacity}\n" if capacity else ""
    catalogue = f"""
version: 1
updated: 2026-11-20
houses: []
events:
  - id: {event_id}
    title: {title or "Testmøde " + event_id}
    start: {start.isoformat()}
    end: {(start + timedelta(hours=2)).isoformat()}
    venue: {{house: albertslund}}
    registration_deadline: {deadline.isoformat()}
{capacity_line}    contact: {{name: Testsekretariatet, email: test@example.invalid}}
"""
    import_catalogue(catalogue, url=database_url)
    return event_id
