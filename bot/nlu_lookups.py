"""Lookup tables for the NLU, written from the place table and the catalogue at training time.

`make train` calls this first, so names a region imports (a local service name,
a house in a new town, a house's name) reach the model's regex features on the next training;
the training fingerprint covers the written file, so a changed catalogue retrains.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from bot import places, settings, vocabulary
from bot.danish import fold

LOOKUP_FILE = settings.DATA_DIR / "nlu" / "lookups" / "catalogue.yml"


def catalogue_names(url: str | None = None) -> tuple[set[str], set[str]]:
    """(towns of the houses, local service names) from the database; empty if it cannot be read."""
    towns, services, _ = catalogue_name_sets(url)
    return towns, services


def catalogue_name_sets(url: str | None = None) -> tuple[set[str], set[str], set[str]]:
    """(towns, local service names, house names and their distinctive words) from the database;
    empty if it cannot be read."""
    from bot.catalogue_names import distinctive_words
    from bot.db import session_scope
    from bot.models import House, Service

    try:
        with session_scope(url) as session:
            houses = list(session.execute(select(House)).scalars())
            towns = {house.town for house in houses}
            house_names = {house.name for house in houses}
            house_names |= {word for house in houses for word in distinctive_words(house)}
            services = {name for name in session.execute(select(Service.name)).scalars() if name}
    except SQLAlchemyError:
        return set(), set(), set()
    return towns, services, house_names


def _block(name: str, values: set[str]) -> str:
    lines = [f"- lookup: {name}", "  examples: |"]
    lines += [f"    - {value}" for value in sorted(values) if value.strip() and ":" not in value]
    return "\n".join(lines)


def _listed_for_the_fingerprint(name: str, values: set[str]) -> str:
    """Names as a YAML comment: Rasa does not read them, the training fingerprint does."""
    lines = [f"# {name} (not a feature; a change still retrains):"]
    lines += [f"#   - {value}" for value in sorted(values) if value.strip()]
    return "\n".join(lines)


def _names_a_house_or_place(name: str, place_words: set[str]) -> bool:
    """'Sundhedscenter', 'Helsingør Kommunes genoptræningscenter': a house's or a place's words."""
    from bot.catalogue_names import GENERIC_WORDS

    words = set(fold(name).replace("-", " ").split())
    house_words = GENERIC_WORDS - {"i", "pa", "ved", "og", "det", "den", "de", "for", "til", "med"}
    return any(
        word in house_words or word.endswith(("center", "centret", "centeret", "huset")) for word in words
    ) or bool(words & place_words)


def write_lookups(url: str | None = None, path: Path = LOOKUP_FILE) -> Path:
    """Write the place, service and house-name lookup tables; only rewrites the file when it changes.

    House names are resolved at answer time (bot/catalogue_names.py) and are no NLU feature: as a
    lookup table they made DIET tag house words as services (docs/nlu.md). They are listed in a
    comment, so the fingerprint still sees a renamed or new house.
    """
    towns, local_services, house_names = catalogue_name_sets(url)
    place_values = set(places.place_names(("municipality", "district"))) | towns
    place_words = {fold(word) for place in place_values for word in place.split()}
    # A local service name that is also a house's or a place's words ("Sundhedscenter",
    # "Helsingør Kommunes genoptræningscenter") taught DIET to tag house words as `service`.
    local_services = {name for name in local_services if not _names_a_house_or_place(name, place_words)}
    service_values = {t.name.split(" (")[0] for t in vocabulary.all_service_types()} | local_services
    text = "\n".join(
        [
            "# Written by bot/nlu_lookups.py at training time from the place table and the",
            "# catalogue in the database. Not edited by hand; not committed.",
            'version: "3.1"',
            "nlu:",
            _block("place", place_values),
            _block("service", service_values),
            _listed_for_the_fingerprint("house names", house_names),
            "",
        ]
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path
