"""Fixtures for the Teams / Bot Framework channel tests: the local Bot Framework stand-in."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.channels.activities import APP_ID
from tests.channels.standin import BotFrameworkStandIn

APP_PASSWORD = "standin-secret~not-a-real-one"


@pytest.fixture
def standin() -> Iterator[BotFrameworkStandIn]:
    server = BotFrameworkStandIn(app_id=APP_ID, app_password=APP_PASSWORD)
    server.start()
    try:
        yield server
    finally:
        server.stop()
