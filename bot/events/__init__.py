"""Events: listing, finding by name or period, registering and cancelling, staff lists, retention.

`bot.events` is the public face; each module does one job:
- `views`        EventView, what an event looks like to the rest of the assistant
- `listing`      upcoming events (by audience, place, house, period), one by id
- `matching`     the event a person means by its name
- `periods`      the period a Danish phrase names ("i foråret", "næste uge")
- `registration` register and cancel, every rule in one transaction
- `cancel_codes` the cancellation code a registration gives, stored only as a hash
- `staff`        registrations per event or person, CSV export
- `retention`    delete registrations after the retention period

All date-times come back in Danish time (Europe/Copenhagen).
"""

from __future__ import annotations

from bot.events.cancel_codes import normalise_code
from bot.events.listing import get_event, upcoming_events
from bot.events.matching import find_event_by_text
from bot.events.periods import season_range
from bot.events.registration import (
    CancelResult,
    CancelStatus,
    MovedUp,
    RegistrationResult,
    RegistrationStatus,
    cancel_registration,
    cancel_with_code,
    find_by_cancel_code,
    register,
)
from bot.events.retention import purge_expired_registrations
from bot.events.staff import (
    STATUS_NAMES,
    RegistrationView,
    find_registrations_by_email,
    registrations_csv,
    registrations_for_event,
)
from bot.events.views import CANCELLED, CONFIRMED, WAITING, EventNotFoundError, EventView

__all__ = [
    "CANCELLED", "CONFIRMED", "STATUS_NAMES", "WAITING",
    "CancelResult", "CancelStatus", "EventNotFoundError", "EventView", "MovedUp", "RegistrationResult",
    "RegistrationStatus", "RegistrationView", "cancel_registration", "cancel_with_code",
    "find_by_cancel_code", "find_event_by_text", "normalise_code",
    "find_registrations_by_email", "get_event", "purge_expired_registrations", "register",
    "registrations_csv", "registrations_for_event", "season_range", "upcoming_events",
]  # fmt: skip
