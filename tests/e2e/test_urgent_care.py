"""Urgent help over REST: 112 first, the urgent number of the person's own region, the crisis reply,
and rehabilitation or the past answered normally."""

from __future__ import annotations

import pytest

from bot import urgent_care
from bot.catalogue import import_catalogue
from tests.conftest import new_sender

NUMBERS = {number.region: number.phone for number in urgent_care.all_numbers()}
# One town per region, and a test house there (written by the test, not the sample catalogue).
TOWNS = {
    "Hovedstaden": ("Hillerød", "3400", "Hillerød"),
    "Sjælland": ("Roskilde", "4000", "Roskilde"),
    "Syddanmark": ("Odense", "5000", "Odense"),
    "Midtjylland": ("Aarhus", "8000", "Aarhus"),
    "Nordjylland": ("Aalborg", "9000", "Aalborg"),
}
LIVSLINIEN = "70 201 201"
SYMPTOM_LIST = "smerter i brystet"


def other_numbers(region: str) -> list[str]:
    return [phone for key, phone in NUMBERS.items() if key != region]


def assert_only_region(text: str, region: str) -> None:
    assert NUMBERS[region] in text, text
    for phone in other_numbers(region):
        assert phone not in text, f"{phone} (another region's number) in: {text}"


@pytest.fixture(scope="module")
def five_region_houses(rasa_stack) -> dict[str, str]:
    """A test house in each region, so a conversation can be about a house anywhere in Denmark."""
    houses = []
    for town, postcode, municipality in TOWNS.values():
        houses.append(f"""
  - id: test-urgent-{postcode}
    name: Testhuset {town}
    municipality: {municipality}
    address: {{street: "Prøvevej {postcode[0]}", postcode: "{postcode}", town: "{town}"}}
    entry_point: {{name: Testhusets indgang, phone: "+45 00 00 00 00"}}
    services:
      - type: fodterapi
        referral: not_required
        booking: {{method: phone}}
""")
    catalogue = "version: 1\nupdated: 2026-11-20\nhouses:" + "".join(houses)
    import_catalogue(catalogue, url=rasa_stack.database_url)
    return {region: town for region, (town, _, _) in TOWNS.items()}


def test_the_five_regions_have_five_different_numbers():
    assert set(NUMBERS) == set(TOWNS)
    assert len(set(NUMBERS.values())) == 5 and NUMBERS["Hovedstaden"] == "1813"


@pytest.mark.parametrize("region", list(TOWNS))
def test_emergency_from_a_town_gets_112_and_that_regions_number_only(rasa_stack, region):
    town = TOWNS[region][0]
    text = rasa_stack.texts(f"min mand har ondt i brystet, vi bor i {town}", new_sender())
    assert "Ring 112 nu" in text
    assert text.index("112") < text.index(NUMBERS[region])
    assert_only_region(text, region)


@pytest.mark.parametrize("region", list(TOWNS))
def test_fever_when_the_doctor_is_closed_gets_that_regions_number_only(rasa_stack, region):
    town = TOWNS[region][0]
    text = rasa_stack.texts(f"Min søn har feber og lægen har lukket, vi bor i {town}", new_sender())
    assert "112" in text
    assert_only_region(text, region)


def test_unknown_region_asks_for_the_town_and_then_gives_its_number(rasa_stack):
    sender = new_sender()
    text = rasa_stack.texts("jeg har ondt i brystet", sender)
    assert "Ring 112 nu" in text and "Skriv din by" in text
    for phone in NUMBERS.values():
        assert phone not in text, text
    answer = rasa_stack.texts("Aalborg", sender)
    assert "Region Nordjylland" in answer
    assert_only_region(answer, "Nordjylland")


@pytest.mark.parametrize(
    ("answer", "region"),
    [("Region Midtjylland", "Midtjylland"), ("Region Sjælland", "Sjælland"), ("Fyn", "Syddanmark")],
)
def test_a_region_answers_which_town_with_that_regions_number_only(rasa_stack, answer, region):
    """Asked for the town, a person may name the region (or a part of the country) instead."""
    sender = new_sender()
    assert "Skriv din by" in rasa_stack.texts("min mand har ondt i brystet", sender)
    assert_only_region(rasa_stack.texts(answer, sender), region)


@pytest.mark.parametrize(
    ("answer", "regions"),
    [("Sjælland", ("Hovedstaden", "Sjælland")), ("Østjylland", ("Midtjylland", "Syddanmark"))],
)
def test_a_part_of_the_country_in_two_regions_answers_which_town_with_both_numbers(
    rasa_stack, answer, regions
):
    """Zealand is two regions: their two numbers, not "Mente du …?", "Farvel" or a guess."""
    sender = new_sender()
    assert "Skriv din by" in rasa_stack.texts("min mand har ondt i brystet", sender)
    text = rasa_stack.texts(answer, sender)
    for region in NUMBERS:
        assert (NUMBERS[region] in text) == (region in regions), text
    assert "Mente du" not in text and "Farvel" not in text


def test_a_part_of_a_region_read_as_goodbye_still_gets_its_number(rasa_stack):
    """ "Vendsyssel" after the question for the town was goodbye ("Farvel") on model aaed8d7e02fd."""
    sender = new_sender()
    assert "Skriv din by" in rasa_stack.texts("jeg har ondt i brystet", sender)
    text = rasa_stack.texts("Vendsyssel", sender)
    assert_only_region(text, "Nordjylland")
    assert "Farvel" not in text


@pytest.mark.parametrize("region", ["Syddanmark", "Nordjylland"])
def test_the_house_in_the_conversation_decides_the_region(rasa_stack, five_region_houses, region):
    sender = new_sender()
    town = five_region_houses[region]
    assert f"Testhuset {town}" in rasa_stack.texts(f"fodterapi i {town}", sender)
    text = rasa_stack.texts("min far er faldet og kan ikke rejse sig", sender)
    assert "Ring 112 nu" in text
    assert_only_region(text, region)


@pytest.mark.parametrize("region", ["Sjælland", "Midtjylland"])
def test_out_of_scope_gives_the_regions_number_not_1813(rasa_stack, region):
    town = TOWNS[region][0]
    text = rasa_stack.texts(f"kan du hjælpe mig med min selvangivelse? jeg bor i {town}", new_sender())
    assert "borger.dk" in text
    assert_only_region(text, region)


def test_crisis_gets_its_own_calm_reply(rasa_stack):
    text = rasa_stack.texts("Jeg har tanker om at tage mit eget liv", new_sender())
    assert "112" in text and LIVSLINIEN in text
    assert SYMPTOM_LIST not in text and "råd om sygdom og behandling" not in text
    # Nothing invites them to type personal details; without a town, every region's number, not a question.
    assert "Skriv" not in text and "CPR" not in text and "?" not in text
    for phone in NUMBERS.values():
        assert phone in text


@pytest.mark.parametrize(
    ("message", "region"),
    [
        ("jeg orker ikke mere, jeg bor i Odense", "Syddanmark"),
        ("jeg vil ikke leve længere. Jeg bor i Roskilde", "Sjælland"),
    ],
)
def test_indirect_crisis_gets_livslinien_and_the_regions_number(rasa_stack, message, region):
    text = rasa_stack.texts(message, new_sender())
    assert LIVSLINIEN in text and "112" in text and SYMPTOM_LIST not in text
    assert_only_region(text, region)


@pytest.mark.parametrize(
    "message",
    [
        "genoptræning efter en blodprop i hjernen, jeg bor i 3400",
        "jeg skal genoptrænes efter en blodprop, jeg bor i Albertslund",
        "min far havde en blodprop sidste år, hvor kan han få genoptræning i Ballerup?",
    ],
)
def test_rehabilitation_after_a_blood_clot_gets_its_answer(rasa_stack, message):
    sender = new_sender()
    text = rasa_stack.texts(message, sender)
    assert "Ring 112 nu" not in text, text
    if "findes flere steder" in text:  # 3400 lies in three municipalities: the answer follows the choice
        text = rasa_stack.texts("Hillerød Kommune", sender)
        assert "Ring 112 nu" not in text, text
    assert "genoptræning" in text.lower()
    assert text.count("112") <= 1


@pytest.mark.parametrize(
    "message", ["jeg tror jeg har en blodprop", "min far har lige fået et slagtilfælde", "hun er bevidstløs"]
)
def test_an_emergency_now_still_gets_112_at_once(rasa_stack, message):
    replies = rasa_stack.send(message, new_sender())
    assert replies and "Ring 112 nu" in (replies[0].get("text") or "")


def test_an_akutklinik_only_in_another_region_gives_the_own_regions_number(rasa_stack):
    text = rasa_stack.texts("hvor er nærmeste skadestue? jeg bor i Aalborg", new_sender())
    assert_only_region(text, "Nordjylland")
    helsingoer = rasa_stack.texts("er der en akutklinik i Helsingør?", new_sender())
    assert "Sundhedshuset i Helsingør" in helsingoer and "1813" in helsingoer
