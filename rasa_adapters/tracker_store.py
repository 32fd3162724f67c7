"""Rasa's SQL tracker store, with CPR numbers masked before anything is written.

Rasa imports this module when the server starts (endpoints.yml names the class),
which is also where the CPR-masking log filter is installed for the whole process.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
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
    """SQLTrackerStore that never stores a CPR number."""

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator:
        for event in super()._additional_events(session, tracker):
            yield _MaskedEvent(event)
