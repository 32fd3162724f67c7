"""Rasa's SQL tracker store, with CPR numbers masked before anything is written.

Rasa imports this module when the server starts (endpoints.yml names the class),
which is also where the CPR-masking log filter is installed for the whole process.

On a database server (PostgreSQL in the production profile) the connections are checked
before use (`pool_pre_ping`), which Rasa's own store does not do: after a database restart
the next message gets a fresh connection instead of failing on a dead one.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.trackers import DialogueStateTracker

from bot.privacy import install_log_filter, mask_cpr

install_log_filter()


def mask_strings(value: Any) -> Any:
    """Mask CPR numbers in every string inside a JSON-like structure."""
    if isinstance(value, str):
        return mask_cpr(value)
    if isinstance(value, list):
        return [mask_strings(item) for item in value]
    if isinstance(value, dict):
        return {key: mask_strings(item) for key, item in value.items()}
    return value


class _MaskedEvent:
    """What SQLTrackerStore.save reads of an event, with CPR numbers masked."""

    def __init__(self, event: Any) -> None:
        self.type_name = event.type_name
        self._data = mask_strings(event.as_dict())

    def as_dict(self) -> dict[str, Any]:
        return self._data


class MaskingSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore that never stores a CPR number (and survives a database restart)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name != "sqlite":
            url = self.engine.url
            self.engine.dispose()
            self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
            self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator:
        for event in super()._additional_events(session, tracker):
            yield _MaskedEvent(event)
