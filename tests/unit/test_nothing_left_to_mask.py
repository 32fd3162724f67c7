"""The channel tests' check `nothing_left_to_mask` sets random ids aside but still finds a CPR number."""

from __future__ import annotations

import pytest

from tests.cpr_spellings import CPR_SPELLINGS, nothing_left_to_mask


@pytest.mark.parametrize(
    "text",
    [
        "test-1009395859f7 action None action_listen",  # a sender id that failed CI once
        '"message_id": "067c965e1009395859ba98487c925fde"',
        "a:01019012-34ab-4c3d-8e9f-0123456789ab",
        '"timestamp": 1796100112.1234567',
    ],
)
def test_random_ids_are_not_taken_for_cpr_numbers(text: str) -> None:
    assert nothing_left_to_mask(text)


@pytest.mark.parametrize("spelling", CPR_SPELLINGS)
def test_a_cpr_number_is_still_found(spelling: str) -> None:
    assert not nothing_left_to_mask(f"mit cpr-nummer er {spelling}")
    assert not nothing_left_to_mask(f'{{"text": "{spelling}", "sender": "test-abcdef123456"}}')
