"""Every custom action the action server registers is declared in the domain and tested here."""

from __future__ import annotations

from pathlib import Path

from rasa_sdk.executor import ActionExecutor

from tests.actions.support import domain

HERE = Path(__file__).resolve().parent


def registered_actions() -> dict[str, str]:
    """Action name -> class name, as the action server registers them from the `actions` package."""
    executor = ActionExecutor()
    executor.register_package("actions")
    return {name: type(run.__self__).__name__ for name, run in executor.actions.items()}


def test_the_domain_declares_exactly_the_registered_actions():
    custom = {name for name in domain()["actions"] if not name.startswith("utter_")}
    assert custom == set(registered_actions())


def test_every_action_class_is_exercised_by_an_action_test():
    tests = "\n".join(
        path.read_text(encoding="utf-8")
        for path in HERE.glob("test_*.py")
        if path.name != Path(__file__).name
    )
    untested = sorted(cls for cls in registered_actions().values() if f"{cls}()" not in tests)
    assert untested == []
