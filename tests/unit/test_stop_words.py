"""`stop` is kept only for messages that say stop (bot.language.is_stop_request, used by StopGuard)."""

from __future__ import annotations

import pytest

from bot.language import is_stop_request


@pytest.mark.parametrize(
    "text",
    ["stop", "Stop!", "jeg vil stoppe", "stopper du nu", "kan det stoppes", "annuller", "glem det",
     "afbryd tilmeldingen", "ikke alligevel", "jeg vil ikke mere"],
)  # fmt: skip
def test_a_message_that_says_stop_counts(text: str) -> None:
    assert is_stop_request(text)


@pytest.mark.parametrize(
    "text",
    ["Anna Stoppelberg", "hvor er stoppestedet", "anna@example.dk", "Ishøj", "ja tak", "Kirsten Holm"],
)
def test_names_and_other_answers_do_not(text: str) -> None:
    assert not is_stop_request(text)
