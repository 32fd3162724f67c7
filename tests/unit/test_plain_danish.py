"""Plain-Danish leftovers from issue 11: house names with their town, merged referral lines."""

from __future__ import annotations

import pytest

from bot import answers
from bot.danish import name_in_town
from bot.models import Service


@pytest.mark.parametrize(
    ("name", "town", "expected"),
    [
        ("Sundhedshuset i Nordborg", "Nordborg", "Sundhedshuset i Nordborg"),
        ("Sundhedshuset i Helsingør", "Helsingør", "Sundhedshuset i Helsingør"),
        ("Sundhedshus Nord", "Hillerød", "Sundhedshus Nord i Hillerød"),
        ("Brohuset", "Ishøj", "Brohuset i Ishøj"),
        ("Sundhedshuset Brohuset", None, "Sundhedshuset Brohuset"),
    ],
)
def test_a_house_name_that_holds_its_town_is_not_followed_by_it_again(name, town, expected) -> None:
    assert name_in_town(name, town) == expected


def test_a_referral_note_that_starts_with_henvisning_is_merged_into_the_status() -> None:
    service = Service(referral="required", referral_note="Henvisning fra egen læge eller hospitalet")
    assert answers.referral(service).text == (
        "Kræver henvisning fra egen læge eller hospitalet. "
        "Tal med din egen læge, hvis du ikke har en henvisning"
    )


def test_any_other_referral_note_follows_the_status() -> None:
    service = Service(referral="depends", referral_note="Ring 1813 først")
    assert answers.referral(service).text == "Henvisning kan være nødvendig: Ring 1813 først"
