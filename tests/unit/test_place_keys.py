"""Place keys: a stable name for an exact place, so a conversation remembers the place, not a spelling."""

from __future__ import annotations

import pytest

from bot import places


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("Helsingør", "municipality:217"),
        ("helsingoer kommune", "municipality:217"),
        ("Nordborg", "town:Nordborg:540"),
        ("3000", "postcode:3000:217"),
        ("Nørrebro", "district:Nørrebro"),
    ],
)
def test_a_resolved_place_has_a_stable_key_that_gives_it_back(typed: str, key: str) -> None:
    place = places.resolve_place(typed).place
    assert place is not None and place.key == key
    assert places.place_by_key(key) == place


def test_every_candidate_of_an_ambiguous_postcode_has_its_own_key() -> None:
    candidates = places.resolve_place("6430").candidates
    keys = [candidate.key for candidate in candidates]
    assert len(set(keys)) == len(candidates) > 1
    assert [places.place_by_key(key) for key in keys] == list(candidates)


def test_every_municipality_round_trips() -> None:
    for name in places.municipality_names():
        place = places.municipality_place(name)
        assert place is not None and places.place_by_key(place.key) == place


@pytest.mark.parametrize(
    "key", [None, "", "Helsingør", "municipality:9999", "town:Atlantis:217", "postcode:0000:1"]
)
def test_unknown_keys_give_no_place(key: str | None) -> None:
    assert places.place_by_key(key) is None


def test_municipality_number() -> None:
    assert places.municipality_number("Helsingør") == 217 and places.municipality_number("Atlantis") is None
