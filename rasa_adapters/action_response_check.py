"""The Rasa server's check of every action-server answer, with its JSON schema compiled once.

Rasa 3.6 checks each answer with `jsonschema.validate(result, schema)`, which first checks the
schema itself against the JSON Schema meta-schema: on every call, and a quarter of the Rasa
server's time per answer with a custom action (py-spy; docs/benchmarks.md). Rasa has no setting
for it, so `install()` replaces `RemoteAction._validate_action_result` with the same check
(same schema, same validator class, the same error as `jsonschema.validate` raises, with Rasa's
own addition to its message) on a validator built once.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jsonschema import validators
from jsonschema.exceptions import best_match
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@cache
def _validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)  # once, as jsonschema.validate would on every call
    return validator_class(schema)


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    error = best_match(_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        ". Failed to validate Action server response from API, "
        "make sure your response from the Action endpoint is valid. "
        f"For more information about the format visit {DOCS_BASE_URL}/custom-actions"
    )
    raise error


def install() -> None:
    """Use the compiled check in this process (idempotent)."""
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
