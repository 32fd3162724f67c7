"""Plain-Danish leftovers from issue 11: house names with their town, merged referral lines."""

from __future__ import annotations

from datetime import date

import pytest
import yaml

from bot import answers
from bot.danish import name_in_town
from bot.hours import holiday_name
from bot.models import Service
from bot.settings import PROJECT_ROOT
from bot.wording import text


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


def test_holidays_are_written_in_lower_case_mid_sentence() -> None:
    sentence = text("answers.status.holiday", status="Åbent nu", holiday=holiday_name(date(2026, 12, 25)))
    assert "i dag er det juledag" in sentence and "Juledag" not in sentence


def test_the_role_question_is_a_plain_question_with_the_choices() -> None:
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    [question] = domain["responses"]["utter_ask_reg_role"]
    assert "Hvilken rolle deltager du i" not in question["text"]
    assert question["text"].startswith("Deltager du for en kommune, en region")
