"""Names from the catalogue, resolved against the database at answer time (no retraining needed).

`find_houses_named(session, text)` finds the house(s) a message names: the full name, a shortened
or misspelt one ("Brohuset", "Kildebrohuset", "Sundhedshuset Albertsund"), "sundhedshuset i
<by>" or "<by> sundhedshus". `find_local_service(session, text)` finds the service type of a local
service name from the catalogue ("vandgymnastik" for a house's "Vandgymnastik for gigtramte").
Both read the database on each call, so an imported catalogue is understood at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import directory, places
from bot.danish import fold
from bot.models import House, Service
from bot.text import tokenize

# Words every house name may have; a name is recognised by its other, distinctive words.
GENERIC_WORDS = frozenset(fold(word) for word in (
    "sundhedshus", "sundhedshuset", "sundhedshusets", "sundhedscenter", "sundhedscentret", "hus", "huset",
    "center", "centret", "centeret", "i", "på", "ved", "og", "det", "den", "de", "for", "til", "med",
    "kommune", "kommunes", "region", "regionens", "nye", "gamle", "fælles", "testdata",
))  # fmt: skip
# "sundhedshuset i Helsingør", "sundhedshus på Nørrebro", "sundhedscentret ved Skagen".
HOUSE_AT_PLACE = re.compile(r"\b(?:sundhedshus|sundhedscent(?:er|re))\w*\s+((?:i|pa|ved)\s+.+)$")
HOUSE_WORD = re.compile(r"^(?:sundhedshus|sundhedscent(?:er|re))")  # a folded word: "sundhedshuset", ...
MIN_DISTINCTIVE_LENGTH = 5  # shorter words ("Bro") are too often something else
FULL_NAME_CUTOFF = 88.0
WORD_CUTOFF = 85.0  # a distinctive word, spelt a little wrong ("Brohusset")
MIN_LOCAL_SERVICE_WORD = 8  # a word of a local service name that names it alone ("vandgymnastik")


@dataclass(frozen=True)
class NamedHouses:
    """The houses a message names, best first, and the words that named them."""

    houses: tuple[House, ...]
    matched_text: str
    score: float


def _words(text: str) -> list[str]:
    return [token.folded for token in tokenize(text)]


def _distinctive(house: House) -> list[str]:
    """The folded words of a house's name that tell it apart: not generic, not its own town's name."""
    own = {fold(house.town), fold(house.municipality)}
    return [
        word for word in _words(house.name)
        if word not in GENERIC_WORDS and word not in own and len(word) >= MIN_DISTINCTIVE_LENGTH
        and not word.isdigit()
    ]  # fmt: skip


def distinctive_words(house: House) -> list[str]:
    """The distinctive words of a house's name as written ("Brohuset"), e.g. for the NLU's lookup table."""
    wanted = set(_distinctive(house))
    return [token.text for token in tokenize(house.name) if token.folded in wanted]


def _spellings(word: str) -> list[str]:
    """'kildebro' is also said 'kildebrohuset'; 'kildebrohuset' also 'kildebrohus' and 'kildebro'."""
    if word.endswith("huset"):
        stem = word.removesuffix("huset")
        return [word, word.removesuffix("et")] + ([stem] if len(stem) >= MIN_DISTINCTIVE_LENGTH else [])
    return [word, word + "huset", word + "hus"]


def _window_score(words: list[str], target: list[str]) -> tuple[float, int, int]:
    """The best fuzzy score of `target` (folded words) against any same-length run of `words`."""
    size = len(target)
    joined_target = " ".join(target)
    best = (0.0, 0, 0)
    for start in range(0, len(words) - size + 1):
        score = fuzz.ratio(" ".join(words[start : start + size]), joined_target)
        if score > best[0]:
            best = (score, start, start + size)
    return best


def _score(house: House, words: list[str]) -> tuple[float, int, int]:
    full = [w for w in _words(house.name) if w]
    best = (0.0, 0, 0)
    if len(full) > 1:
        found = _window_score(words, full)
        if found[0] >= FULL_NAME_CUTOFF:
            best = found
    for word in _distinctive(house):
        for spelling in _spellings(word):
            found = _window_score(words, [spelling])
            if found[0] >= WORD_CUTOFF and found[0] > best[0]:
                best = found
    return best


def _houses(session: Session) -> list[House]:
    return list(session.execute(select(House).order_by(House.position, House.id)).scalars())


def _place_before_house_word(text: str) -> tuple[places.Place, str] | None:
    """'Helsingør sundhedshus', 'i Nykøbing Falster sundhedscenter': the place named just before it.

    Only an exact place name counts here ("det nye sundhedshus" names none).
    """
    tokens = tokenize(text)
    for i, token in enumerate(tokens):
        if not HOUSE_WORD.match(token.folded):
            continue
        for size in (2, 1):
            if i - size < 0:
                continue
            span = text[tokens[i - size].start : tokens[i - 1].end]
            resolution = places.exact_place(span)
            if resolution.found and resolution.place is not None:
                return resolution.place, text[tokens[i - size].start : token.end]
    return None


def _houses_in_place(session: Session, text: str) -> NamedHouses | None:
    """'sundhedshuset i Helsingør', 'Helsingør sundhedshus': the houses there (own municipality first)."""
    folded = " ".join(_words(text))
    match = HOUSE_AT_PLACE.search(folded)
    resolution = places.resolve_place(match.group(1)) if match else places.NOT_FOUND
    before = None if resolution.found else _place_before_house_word(text)
    if before is not None:
        place, matched = before
    elif resolution.found and resolution.place is not None:
        place = resolution.place
        start = text.lower().find("sundhed")
        matched = text[start:].strip(" ?!.") if start >= 0 else match.group(0)
    else:
        return None
    houses = directory.houses_at(session, place)
    own = [h for h in houses if h.municipality in place.municipalities]
    in_town = [h for h in own if fold(h.town) == fold(place.name)]
    chosen = in_town or own or houses
    if not chosen:
        return None
    return NamedHouses(tuple(chosen), matched, 100.0)


def find_houses_named(session: Session, text: str) -> NamedHouses | None:
    """The house(s) `text` names, or None. Near-ties are all returned (the caller shows them all)."""
    if not text or not text.strip():
        return None
    words = _words(text)
    scored = []
    for house in _houses(session):
        score, start, end = _score(house, words)
        if score:
            scored.append((score, start, end, house))
    if scored:
        best = max(score for score, *_ in scored)
        chosen = [(s, a, b, h) for s, a, b, h in scored if s >= best - 2]
        _, start, end, _ = chosen[0]
        tokens = tokenize(text)
        matched = text[tokens[start].start : tokens[end - 1].end]
        return NamedHouses(tuple(h for *_, h in chosen), matched, best)
    return _houses_in_place(session, text)


def find_local_service(session: Session, text: str) -> str | None:
    """The service type of a local service name the message uses ("vandgymnastik"), or None.

    A local name matches whole (a little misspelt) or by one long, distinctive word of it that is
    no place name.
    """
    words = _words(text)
    if not words:
        return None
    rows = session.execute(select(Service.name, Service.type).where(Service.name.is_not(None))).all()
    # A word of a house's name ("Kildebro" in "Prøvetagning i Kildebro") names the house, not the service.
    house_words = {word for house in _houses(session) for word in _words(house.name)}
    house_words |= {spelling for house in _houses(session) for word in _distinctive(house)
                    for spelling in _spellings(word)}  # fmt: skip
    best: tuple[float, str] | None = None
    for name, code in rows:
        target = [w for w in _words(name) if w]
        if not target:
            continue
        score, _, _ = _window_score(words, target) if len(target) > 1 else (0.0, 0, 0)
        if score < FULL_NAME_CUTOFF:
            score = 0.0
        for word in target:
            if len(word) < MIN_LOCAL_SERVICE_WORD or word in GENERIC_WORDS or word in house_words:
                continue
            if places.resolve_place(word).status != "not_found":
                continue
            found, _, _ = _window_score(words, [word])
            if found >= 90.0:
                score = max(score, found - 5)  # one word of the name counts a little less than all
        if score and (best is None or score > best[0]):
            best = (score, code)
    return best[1] if best else None
