"""The Rasa server's compiled check of action-server answers accepts and refuses what Rasa's own does."""

from __future__ import annotations

import subprocess
import sys

import jsonschema
import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from rasa_adapters import action_response_check

VALID = {
    "events": [{"event": "slot", "name": "place", "value": "Helsingør", "timestamp": None}],
    "responses": [{"text": "Her er blodprøver i Helsingør.", "buttons": []}],
}
INVALID = [
    {"events": "not a list"},
    {"events": [{"event": "slot", "name": "place", "value": "x", "timestamp": "not a number"}]},
    {"responses": "tekst"},
]


@pytest.fixture
def action() -> RemoteAction:
    action_response_check.install()
    return RemoteAction("action_find_service", None)


def test_valid_answers_pass_as_with_rasa(action: RemoteAction) -> None:
    jsonschema.validate(VALID, RemoteAction.action_response_format_spec())  # Rasa's own check agrees
    assert action._validate_action_result(VALID) is True
    assert action._validate_action_result({}) is True


@pytest.mark.parametrize("answer", INVALID)
def test_invalid_answers_fail_with_rasas_error(action: RemoteAction, answer: dict) -> None:
    with pytest.raises(ValidationError) as rasas:
        jsonschema.validate(answer, RemoteAction.action_response_format_spec())
    with pytest.raises(ValidationError) as ours:
        action._validate_action_result(answer)
    assert ours.value.message.startswith(rasas.value.message)
    assert "Failed to validate Action server response" in ours.value.message
    assert list(ours.value.path) == list(rasas.value.path)


def test_the_schema_is_checked_once_not_per_answer(action: RemoteAction, monkeypatch) -> None:
    calls = []
    validator_class = type(action_response_check._validator())
    monkeypatch.setattr(validator_class, "check_schema", classmethod(lambda cls, schema: calls.append(1)))
    for _ in range(5):
        action._validate_action_result(VALID)
    assert calls == []


def test_the_tracker_store_module_installs_it() -> None:
    """In a fresh process: importing the tracker store (what endpoints.yml makes Rasa do) installs it."""
    probe = (
        "import rasa_adapters.tracker_store\n"
        "from rasa.core.actions.action import RemoteAction\n"
        "from rasa_adapters import action_response_check as check\n"
        "assert RemoteAction._validate_action_result is check._validate_action_result\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
