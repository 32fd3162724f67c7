"""The urgent-help actions: 112 first, the region's number from the message, the slots or the houses;
the crisis reply; the answer to "which town?"."""

from __future__ import annotations

import pytest

from actions import slots
from actions.urgent import AWAITING_URGENT_PLACE, ActionEmergency, ActionUrgentNumber
from tests.actions.support import make_tracker, run


def test_emergency_with_a_town_gives_that_regions_number(services_db):
    outcome = run(
        ActionEmergency(), make_tracker("min mand har ondt i brystet, vi bor i Odense", "emergency")
    )
    assert outcome.responses == ["utter_emergency"]
    assert "70 11 07 07" in outcome.said and "1813" not in outcome.said


def test_emergency_remembers_the_houses_region(services_db):
    outcome = run(
        ActionEmergency(),
        make_tracker("hun er bevidstløs", "emergency", slots={slots.HOUSE_IDS: ["nordborg"]}),
    )
    assert "70 11 07 07" in outcome.said


def test_emergency_without_a_region_asks_for_the_town(services_db):
    outcome = run(ActionEmergency(), make_tracker("jeg har ondt i brystet", "emergency"))
    assert outcome.responses == ["utter_emergency_ask_place"]
    assert outcome.slot(slots.AWAITING) == AWAITING_URGENT_PLACE


def test_crisis_gets_livslinien_and_no_question(services_db):
    outcome = run(ActionEmergency(), make_tracker("jeg orker ikke mere", "emergency"))
    assert outcome.responses == ["utter_crisis_all_regions"] and "70 201 201" in outcome.said
    assert slots.AWAITING not in outcome.slots


def test_the_town_answers_with_its_regions_number(services_db):
    outcome = run(
        ActionUrgentNumber(),
        make_tracker("Aalborg", "inform_place", slots={slots.AWAITING: AWAITING_URGENT_PLACE}),
    )
    assert outcome.responses == ["utter_urgent_number"] and "70 15 03 00" in outcome.said
    assert outcome.slot(slots.AWAITING) is None


@pytest.mark.parametrize(
    ("answer", "number"),
    [
        ("Region Midtjylland", "70 11 31 31"),
        ("jeg bor i region hovedstaden", "1813"),
        ("Region Sjælland", "1818"),
        ("på Fyn", "70 11 07 07"),
        ("vi bor i Vendsyssel", "70 15 03 00"),
    ],
)
def test_a_region_answers_which_town_with_its_number(services_db, answer, number):
    outcome = run(
        ActionUrgentNumber(),
        make_tracker(answer, "inform_place", slots={slots.AWAITING: AWAITING_URGENT_PLACE}),
    )
    assert outcome.responses == ["utter_urgent_number"] and number in outcome.said
    others = {"1813", "1818", "70 11 07 07", "70 11 31 31", "70 15 03 00"} - {number}
    assert not any(other in outcome.said for other in others)  # never another region's number


def test_emergency_naming_a_region_gives_its_number_at_once(services_db):
    outcome = run(
        ActionEmergency(), make_tracker("jeg bor i Region Nordjylland og har ondt i brystet", "emergency")
    )
    assert outcome.responses == ["utter_emergency"] and "70 15 03 00" in outcome.said


ALL_NUMBERS = {"1813", "1818", "70 11 07 07", "70 11 31 31", "70 15 03 00"}


@pytest.mark.parametrize(
    ("answer", "numbers"),
    [
        ("Sjælland", {"1813", "1818"}),
        ("vi bor på sjælland", {"1813", "1818"}),
        ("Østjylland", {"70 11 31 31", "70 11 07 07"}),
        ("i vestjylland", {"70 11 31 31", "70 11 07 07"}),
    ],
)
def test_a_part_of_the_country_in_two_regions_gets_both_numbers_not_a_guess(services_db, answer, numbers):
    """Zealand holds Region Hovedstaden and Region Sjælland: both numbers, never one of them guessed."""
    outcome = run(
        ActionUrgentNumber(),
        make_tracker(answer, "inform_place", slots={slots.AWAITING: AWAITING_URGENT_PLACE}),
    )
    assert outcome.responses == ["utter_emergency_all_regions"]
    assert all(number in outcome.said for number in numbers)
    assert not any(other in outcome.said for other in ALL_NUMBERS - numbers)
    assert outcome.slot(slots.AWAITING) is None  # answered: the question is not asked again


def test_an_unknown_answer_to_which_town_gets_all_five_numbers(services_db):
    outcome = run(
        ActionUrgentNumber(),
        make_tracker("det ved jeg ikke", "inform_place", slots={slots.AWAITING: AWAITING_URGENT_PLACE}),
    )
    assert outcome.responses == ["utter_emergency_all_regions"]
    assert all(number in outcome.said for number in ALL_NUMBERS)


def test_emergency_on_sjaelland_gives_both_numbers_without_asking(services_db):
    outcome = run(
        ActionEmergency(), make_tracker("vi bor på Sjælland og min mor har ondt i brystet", "emergency")
    )
    assert outcome.responses == ["utter_emergency_all_regions"]  # its text begins "Ring 112 nu"
    assert "1813" in outcome.said and "1818" in outcome.said and "70 11 07 07" not in outcome.said
    assert slots.AWAITING not in outcome.slots


def test_nordsjaelland_is_one_region_not_two(services_db):
    outcome = run(
        ActionEmergency(), make_tracker("jeg bor i Nordsjælland og har ondt i brystet", "emergency")
    )
    assert outcome.responses == ["utter_emergency"] and "1813" in outcome.said and "1818" not in outcome.said
