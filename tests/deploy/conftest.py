"""tests/deploy uses the throwaway PostgreSQL server of the unit tests."""

from tests.unit.conftest import postgres_server  # noqa: F401 - a fixture, found by pytest by name
