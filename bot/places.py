"""Danish places: municipalities, towns, postcodes and well-known districts.

Reads `bot/data/places.json` (built by `scripts/build_places.py`) on first use.
`resolve_place` turns what a person typed as a place ("helsingoer", "3000",
"på Nørrebro") into a `Place`; `find_place_in_text` picks the place out of a
whole sentence without mistaking ordinary words ("på vejen", "ondt i halsen")
for towns. A name or postcode that belongs to several municipalities comes
back as candidates, so the bot can ask instead of guessing.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

from rapidfuzz import fuzz, process

from bot.danish import fold
from bot.text import Token, tokenize

PLACES_FILE = Path(__file__).resolve().parent / "data" / "places.json"

PlaceKind = Literal["municipality", "town", "postcode", "district"]
Status = Literal["exact", "ambiguous", "not_found"]

# Resolution order when one spelling names several kinds of place: a district
# ("Valby"), then a municipality, then a town, then a town's short name ("Viby").
_PRIORITY = {"district": 0, "municipality": 1, "town": 2, "town_short": 3, "alias": 1}

_LEADING_WORDS = re.compile(
    r"^(?:(?:jeg\s+)?(?:bor|er|kommer)\s+)?(?:i\s+nærheden\s+af|i\s+omegnen\s+af|tæt\s+på|nord\s+for|syd\s+for"
    r"|øst\s+for|vest\s+for|omkring|på|ved|nær|fra|i|til)\s+",
    re.IGNORECASE,
)
_MUNICIPALITY_WORD = re.compile(r"\s+kommunes?$|\s+kommunen$|^kommune\s+", re.IGNORECASE)
_POSTCODE = re.compile(r"^\d{4}$")

# Words after which a place name is expected.
_PLACE_PREPOSITIONS = {"i", "pa", "ved", "fra", "nar", "omkring", "til", "af", "mod", "for"}
# For names that are also ordinary words or first names ("i Ry", not "med Flemming").
_STRONG_PREPOSITIONS = {"i", "pa", "ved", "nar", "omkring"}
# Words that follow "i"/"på" in everyday sentences; never fuzzy-matched to a town.
_NOT_PLACES = {
    fold(w)
    for w in (
        "dag",
        "morgen",
        "morges",
        "aften",
        "aftes",
        "går",
        "nat",
        "weekenden",
        "weekend",
        "forvejen",
        "stedet",
        "øjeblikket",
        "nærheden",
        "området",
        "omegnen",
        "byen",
        "kommunen",
        "kommune",
        "regionen",
        "hospitalet",
        "sygehuset",
        "plejehjem",
        "plejehjemmet",
        "hjemmet",
        "huset",
        "sundhedshuset",
        "lægehuset",
        "klinikken",
        "praksis",
        "apoteket",
        "telefonen",
        "nettet",
        "internettet",
        "forbindelse",
        "ferie",
        "feriens",
        "ugen",
        "måneden",
        "året",
        "forbindelsen",
        "halsen",
        "maven",
        "ryggen",
        "knæet",
        "hovedet",
        "benet",
        "armen",
        "hånden",
        "foden",
        "fødderne",
        "tænderne",
        "munden",
        "øjnene",
        "ørerne",
        "brystet",
        "skulderen",
        "hoften",
        "nakken",
        "sengen",
        "skolen",
        "børnehaven",
        "arbejdet",
        "toget",
        "bussen",
        "bilen",
        "gang",
        "tide",
        "live",
        "hele",
        "starten",
        "slutningen",
        "stand",
        "orden",
        "behandling",
        "kontakt",
        "sommer",
        "vinter",
        "foråret",
        "efteråret",
        "julen",
        "påsken",
        "mellemtiden",
        "princippet",
        "virkeligheden",
        "forhold",
        "hvert",
        "fald",
        "stykker",
        "alt",
    )
}
# Folded words around a four-digit number that make it an amount, a year or a phone number.
_YEAR_OR_AMOUNT_AFTER = {
    "kr",
    "kroner",
    "krone",
    "dkk",
    "euro",
    "personer",
    "mennesker",
    "meter",
    "km",
    "gram",
    "kg",
}
_YEAR_OR_AMOUNT_BEFORE = {
    "kl",
    "klokken",
    "fodt",
    "siden",
    "ar",
    "argang",
    "arstal",
    "nummer",
    "nr",
    "tlf",
    "telefon",
}


@dataclass(frozen=True)
class Place:
    """A place a person named. `municipalities` lists every municipality the place
    covers, the place's own first (a district like Amager covers several)."""

    kind: PlaceKind
    name: str  # Danish display name: "Helsingør", "3000 Helsingør", "Nørrebro"
    municipalities: tuple[str, ...]
    postcode: str | None = None
    region: str | None = None  # "Hovedstaden", "Midtjylland", ...
    postcodes: tuple[str, ...] = ()

    @property
    def municipality(self) -> str:
        """The place's own municipality (the first one)."""
        return self.municipalities[0]

    @property
    def key(self) -> str:
        """A stable key for this exact place, e.g. for a slot: `place_by_key(place.key) == place`.

        "municipality:217", "town:Nordborg:540", "postcode:6430:540", "district:Nørrebro"
        (the numbers are the municipality codes, so a town in two municipalities has two keys).
        """
        if self.kind == "district":
            return f"district:{self.name}"
        number = municipality_number(self.municipality)
        if self.kind == "municipality":
            return f"municipality:{number}"
        if self.kind == "postcode":
            return f"postcode:{self.postcode}:{number}"
        return f"town:{self.name}:{number}"

    def describe(self) -> str:
        """Name plus municipality, to tell candidates apart: "2620 Albertslund (Brøndby Kommune)"."""
        if self.kind == "municipality":
            return official_name(self.name)
        return f"{self.name} ({', '.join(official_name(m) for m in self.municipalities)})"


@dataclass(frozen=True)
class PlaceResolution:
    status: Status
    place: Place | None = None  # set when status == "exact"
    candidates: tuple[Place, ...] = ()  # set when status == "ambiguous"
    matched_text: str = ""  # the words as typed
    score: float = 0.0  # 100 for an exact spelling, lower for a fuzzy match
    fuzzy: bool = False

    @property
    def found(self) -> bool:
        return self.status == "exact"

    @property
    def is_ambiguous(self) -> bool:
        return self.status == "ambiguous"

    @property
    def municipalities(self) -> tuple[str, ...]:
        """Every municipality the answer may concern (all candidates' when ambiguous)."""
        places = [self.place] if self.place else list(self.candidates)
        seen: dict[str, None] = {}
        for place in places:
            for name in place.municipalities:
                seen.setdefault(name, None)
        return tuple(seen)


NOT_FOUND = PlaceResolution(status="not_found")


@dataclass(frozen=True)
class _Entry:
    priority: int
    places: tuple[Place, ...]  # several when the entry itself spans municipalities
    common_word: bool


@dataclass
class _Table:
    raw: dict
    index: dict[str, list[_Entry]] = field(default_factory=dict)
    municipality_by_key: dict[str, str] = field(default_factory=dict)
    longest_key_words: int = 1


@lru_cache(maxsize=1)
def _table() -> _Table:
    raw = json.loads(PLACES_FILE.read_text(encoding="utf-8"))
    table = _Table(raw=raw)
    munis = raw["municipalities"]

    def region(names: Iterable[str]) -> str | None:
        first = next(iter(names), None)
        return munis[first]["region"] if first in munis else None

    def add(key_text: str, kind: str, places: tuple[Place, ...], common: bool) -> None:
        key = fold(key_text)
        if not key:
            return
        table.index.setdefault(key, []).append(_Entry(_PRIORITY[kind], places, common))
        table.longest_key_words = max(table.longest_key_words, len(key.split()))

    municipality_places: dict[str, Place] = {}
    for name, entry in munis.items():
        place = Place("municipality", name, (name,), None, entry["region"])
        municipality_places[name] = place
        add(name, "municipality", (place,), entry.get("common_word", False))
        table.municipality_by_key[fold(name)] = name
        table.municipality_by_key[fold(entry["official_name"])] = name

    town_places: dict[str, tuple[Place, ...]] = {}
    for town, entry in raw["towns"].items():
        postcodes = tuple(entry["postcodes"])
        places = tuple(
            Place("town", town, (m,), None, region([m]), postcodes) for m in entry["municipalities"]
        )
        town_places[town] = places
        add(town, "town", places, entry["common_word"] and " " not in town)
        for other in entry["names"]:
            add(other, "town_short", places, entry["common_word"] and " " not in other)

    for name, entry in raw["districts"].items():
        place = Place(
            "district",
            name,
            tuple(entry["municipalities"]),
            None,
            region(entry["municipalities"]),
            tuple(entry["postcodes"]),
        )
        for spelling in [name, *entry["names"]]:
            add(spelling, "district", (place,), entry.get("common_word", False))

    for alias, target in raw["aliases"].items():
        places = (
            (municipality_places[target["name"]],)
            if target["kind"] == "municipality"
            else town_places[target["name"]]
        )
        add(alias, "alias", places, False)
        if target["kind"] == "municipality":
            table.municipality_by_key[fold(alias)] = target["name"]

    # "Kbh N", "Kbh. V": the common short form of the Copenhagen postal districts.
    for town in raw["towns"]:
        if town.startswith("København "):
            add("Kbh " + town.removeprefix("København "), "town", town_places[town], False)
    return table


def _postcode_places(code: str) -> tuple[Place, ...]:
    entry = _table().raw["postcodes"].get(code)
    if entry is None:
        return ()
    name = f"{code} {entry['town']}"
    return tuple(Place("postcode", name, (m,), code, region_of(m), (code,)) for m in entry["municipalities"])


def _resolution(places: Iterable[Place], matched: str, score: float, fuzzy: bool) -> PlaceResolution:
    unique = tuple(dict.fromkeys(places))
    if not unique:
        return NOT_FOUND
    if len(unique) == 1:
        return PlaceResolution("exact", unique[0], (), matched, score, fuzzy)
    return PlaceResolution("ambiguous", None, unique, matched, score, fuzzy)


def _lookup(key: str) -> tuple[tuple[Place, ...], bool]:
    """The places a folded spelling names (best kind only) and whether it is an ordinary word."""
    entries = _table().index.get(key)
    if not entries:
        return (), False
    best = min(e.priority for e in entries)
    chosen = [e for e in entries if e.priority == best]
    places = tuple(p for e in chosen for p in e.places)
    return places, all(e.common_word for e in chosen)


def _clean(text: str) -> str:
    cleaned = text.strip().strip(".,!?;:\"'()").strip()
    for _ in range(2):  # "jeg bor på Nørrebro", "i nærheden af Hillerød"
        cleaned = _LEADING_WORDS.sub("", cleaned).strip()
    return _MUNICIPALITY_WORD.sub("", cleaned).strip()


def resolve_place(text: str) -> PlaceResolution:
    """What place does `text` name? Exact, ambiguous (candidates) or not found.

    Accepts a municipality, town, postcode or district, in any case, with
    "aa"/"oe"/"ae" for å/ø/æ, "Kommune" after it, a preposition before it, and
    small misspellings.
    """
    if not text or not text.strip():
        return NOT_FOUND
    cleaned = _clean(text)
    numbers = [t.text for t in tokenize(cleaned) if _POSTCODE.match(t.text)]
    if numbers:  # "3000", "8000 Aarhus C": a town beside the postcode settles its area
        postcode = _resolution(_postcode_places(numbers[0]), numbers[0], 100.0, False)
        rest = " ".join(t.text for t in tokenize(cleaned) if t.text != numbers[0])
        named, _ = _lookup(fold(rest)) if rest else ((), False)
        if postcode.status != "not_found" and named:
            return with_town(postcode, _resolution(named, rest, 100.0, False))
        return postcode
    key = fold(cleaned)
    places, _ = _lookup(key)
    if places:
        return _resolution(places, cleaned, 100.0, False)
    fuzzy = _fuzzy_lookup(key)
    if fuzzy.status != "not_found":
        return PlaceResolution(fuzzy.status, fuzzy.place, fuzzy.candidates, cleaned, fuzzy.score, True)
    return find_place_in_text(text) or NOT_FOUND


def exact_place(text: str) -> PlaceResolution:
    """Only a place named exactly (any case, "aa"/"oe"/"ae"), never one that is an ordinary word too.

    For words that may well be no place at all: the one or two words before "sundhedshus".
    """
    found, common_word = _lookup(fold(_clean(text))) if text and text.strip() else ((), False)
    if not found or common_word:
        return NOT_FOUND
    return _resolution(found, text.strip(), 100.0, False)


def _fuzzy_lookup(key: str, cutoff: float | None = None) -> PlaceResolution:
    if len(key.replace(" ", "")) < 4:
        return NOT_FOUND
    cutoff = cutoff if cutoff is not None else (85.0 if len(key) >= 6 else 90.0)
    keys = list(_table().index)
    matches = process.extract(key, keys, scorer=fuzz.ratio, score_cutoff=cutoff, limit=5)
    if not matches:
        return NOT_FOUND
    best_score = matches[0][1]
    # Near-ties between different places are a question, not a guess.
    places = [p for k, score, _ in matches if score >= best_score - 2 for p in _lookup(k)[0]]
    resolution = _resolution(places, key, best_score, True)
    return resolution


# --- finding a place inside a sentence --------------------------------------------------


def _is_postcode_in_context(tokens: list[Token], i: int, text: str) -> bool:
    token = tokens[i]
    if len(token.text) != 4 or token.text not in _table().raw["postcodes"]:
        return False
    before = tokens[i - 1] if i > 0 else None
    after = tokens[i + 1] if i + 1 < len(tokens) else None
    # Part of a phone number ("3530 3050", "+45 4829 4884") or an amount or a year.
    if after and after.is_number and text[token.end : after.start].strip() in ("", "-"):
        return False
    if before and before.is_number and text[before.end : token.start].strip() in ("", "-"):
        return False
    if after and after.folded in _YEAR_OR_AMOUNT_AFTER:
        return False
    # "klokken 1000", "født i 1950", "siden 1990".
    if any(t.folded in _YEAR_OR_AMOUNT_BEFORE for t in tokens[max(0, i - 2) : i]):
        return False
    return not (text[max(0, token.start - 1) : token.start] in "+:." and token.start > 0)


def _sentence_start(tokens: list[Token], i: int, text: str) -> bool:
    if i == 0:
        return True
    between = text[tokens[i - 1].end : tokens[i].start]
    return any(mark in between for mark in ".!?\n")


def _accept_name(tokens: list[Token], i: int, j: int, text: str, common: bool) -> bool:
    first = tokens[i]
    before = tokens[i - 1].folded if i > 0 else ""
    two_before = " ".join(t.folded for t in tokens[max(0, i - 2) : i])
    whole_message = all(
        t.folded in _PLACE_PREPOSITIONS or t.folded in {"jeg", "bor", "er"} for t in tokens[:i]
    ) and j == len(tokens)
    if common:
        # "Vejen", "Ry", "Gram", "Flemming": only "i Ry", "på Fur", "hvad med Skive?", or alone.
        if whole_message:
            return True
        return first.is_capitalised and (before in _STRONG_PREPOSITIONS or two_before == "hvad med")
    if before in _PLACE_PREPOSITIONS or first.is_capitalised:
        return True
    return len(first.text) >= 4  # distinctive lower-case names: "hvad med hillerød"


def with_town(postcode: PlaceResolution, named: PlaceResolution) -> PlaceResolution:
    """A postcode given together with a town ("3000 Helsingør", "Roskilde 4000", "8000 Aarhus C").

    The town settles which of the postcode's municipalities is meant: the postcode's places in the
    municipalities the town lies in. When they share none (a mistyped number), the town wins.
    """
    postcode_places = (postcode.place,) if postcode.place else postcode.candidates
    named_places = (named.place,) if named.place else named.candidates
    named_municipalities = {m for place in named_places for m in place.municipalities}
    both = [place for place in postcode_places if place.municipality in named_municipalities]
    matched = f"{postcode.matched_text} {named.matched_text}".strip()
    if not both:
        return named
    return _resolution(both, matched, 100.0, named.fuzzy)


def find_places_in_text(text: str) -> list[PlaceResolution]:
    """Every place named in `text`, in order of appearance (see `find_place_in_text`).

    A postcode right next to a town's name is one place: the town settles the postcode's area.
    """
    if not text:
        return []
    tokens = tokenize(text)
    found: list[tuple[PlaceResolution, int, int, bool]] = []  # resolution, tokens [start, end), postcode
    longest = _table().longest_key_words
    i = 0
    while i < len(tokens):
        if tokens[i].is_number:
            if _is_postcode_in_context(tokens, i, text):
                resolution = _resolution(_postcode_places(tokens[i].text), tokens[i].text, 100.0, False)
                found.append((resolution, i, i + 1, True))
            i += 1
            continue
        match = _match_name_at(tokens, i, text, longest)
        if match is not None:
            resolution, end = match
            found.append((resolution, i, end, False))
            i = end
            continue
        i += 1
    merged: list[PlaceResolution] = []
    k = 0
    while k < len(found):
        resolution, _, end, is_postcode = found[k]
        if k + 1 < len(found):
            following, start, _, following_is_postcode = found[k + 1]
            if start == end and is_postcode != following_is_postcode and following.status != "not_found":
                postcode, named = (resolution, following) if is_postcode else (following, resolution)
                merged.append(with_town(postcode, named))
                k += 2
                continue
        merged.append(resolution)
        k += 1
    return merged


def _match_name_at(
    tokens: list[Token], i: int, text: str, longest: int
) -> tuple[PlaceResolution, int] | None:
    """The longest place name starting at token i, exact first, then fuzzy after a preposition."""
    for j in range(min(len(tokens), i + longest), i, -1):
        words = tokens[i:j]
        if any(t.is_number for t in words):
            continue
        key = " ".join(t.folded for t in words)
        places, common = _lookup(key)
        if places and _accept_name(tokens, i, j, text, common):
            # "Albertslund Kommune": swallow the word "Kommune" too.
            end = j + 1 if j < len(tokens) and tokens[j].folded in {"kommune", "kommunes", "kommunen"} else j
            return _resolution(places, text[words[0].start : words[-1].end], 100.0, False), end
    before = tokens[i - 1].folded if i > 0 else ""
    if before not in _PLACE_PREPOSITIONS:
        return None
    for j in (i + 2, i + 1):
        if j > len(tokens):
            continue
        words = tokens[i:j]
        if any(t.is_number or t.folded in _NOT_PLACES for t in words):
            continue
        key = " ".join(t.folded for t in words)
        if len(key.replace(" ", "")) < 5:
            continue
        fuzzy = _fuzzy_lookup(key, cutoff=88.0)
        if fuzzy.status == "not_found":
            continue
        places = (fuzzy.place,) if fuzzy.place else fuzzy.candidates
        if all(_lookup(fold(p.name))[1] for p in places) and not words[0].is_capitalised:
            continue
        matched = text[words[0].start : words[-1].end]
        return PlaceResolution(fuzzy.status, fuzzy.place, fuzzy.candidates, matched, fuzzy.score, True), j
    return None


def find_place_in_text(text: str) -> PlaceResolution | None:
    """The place a whole sentence names, or None.

    "hvor kan jeg få taget en blodprøve i Helsingør?" -> Helsingør;
    "jeg bor i 3000" -> 3000 Helsingør. Names that are ordinary words need a
    capital letter and a preposition ("i Ry"); postcodes must not be part of a
    phone number, an amount or a year. When several places are named, the first
    exact one wins.
    """
    found = find_places_in_text(text)
    if not found:
        return None
    exact = [r for r in found if not r.fuzzy]
    return (exact or found)[0]


# --- municipalities, regions and distances ------------------------------------------------


def _municipality_name(name: str) -> str | None:
    return _table().municipality_by_key.get(fold(_MUNICIPALITY_WORD.sub("", name.strip())))


def municipality_names() -> list[str]:
    """The 98 municipalities' short names, as used in catalogue files."""
    return list(_table().raw["municipalities"])


def official_name(municipality: str) -> str:
    """ "København" -> "Københavns Kommune"; unknown names are returned unchanged."""
    name = _municipality_name(municipality)
    return _table().raw["municipalities"][name]["official_name"] if name else municipality


def municipality_centre(name: str) -> tuple[float, float] | None:
    """Approximate (lat, lon) of the municipality's main town; for ranking only."""
    key = _municipality_name(name)
    if key is None:
        return None
    entry = _table().raw["municipalities"][key]
    return entry["lat"], entry["lon"]


def region_of(municipality: str) -> str | None:
    """The region ("Hovedstaden", "Sjælland", "Syddanmark", "Midtjylland", "Nordjylland")."""
    key = _municipality_name(municipality)
    return _table().raw["municipalities"][key]["region"] if key else None


def place_centre(place: Place) -> tuple[float, float] | None:
    return municipality_centre(place.municipality)


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (lat, lon) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def place_names(kinds: Iterable[PlaceKind] = ("municipality", "town", "district")) -> list[str]:
    """Display names of places, e.g. for NLU lookup tables (towns without "C"/"J" endings too)."""
    raw = _table().raw
    wanted = set(kinds)
    names: dict[str, None] = {}
    if "municipality" in wanted:
        names.update(dict.fromkeys(raw["municipalities"]))
    if "town" in wanted:
        for town, entry in raw["towns"].items():
            names.update(dict.fromkeys([town, *entry["names"]]))
    if "district" in wanted:
        for district, entry in raw["districts"].items():
            names.update(dict.fromkeys([district, *entry["names"]]))
    if "postcode" in wanted:
        names.update(dict.fromkeys(raw["postcodes"]))
    return list(names)


def municipality_number(name: str) -> int | None:
    """The municipality code ("kommunekode"): "Helsingør" -> 217; None for an unknown name."""
    key = _municipality_name(name)
    return _table().raw["municipalities"][key]["number"] if key else None


@lru_cache(maxsize=1)
def _places_by_key() -> dict[str, Place]:
    entries = (entry for same_spelling in _table().index.values() for entry in same_spelling)
    return {place.key: place for entry in entries for place in entry.places}


def place_by_key(key: str | None) -> Place | None:
    """The place a `Place.key` names; None for an empty or unknown key (e.g. from an older place table)."""
    if not key:
        return None
    if key.startswith("postcode:"):
        code = key.split(":")[1]
        return next((place for place in _postcode_places(code) if place.key == key), None)
    return _places_by_key().get(key)


def municipality_place(name: str) -> Place | None:
    """The Place for a municipality given by name (any spelling), e.g. a house's municipality."""
    key = _municipality_name(name)
    if key is None:
        return None
    return Place("municipality", key, (key,), None, region_of(key))
