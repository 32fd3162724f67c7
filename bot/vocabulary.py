"""Service types and the everyday Danish words for them.

`find_service_types("hvor kan jeg få taget en blodprøve?")` -> blodproever.
The types come from `bot/data/service-types.yml` (the catalogue contract), the
words from `bot/data/service_words.yml` (see its header for how terms match).
Both are read on first use and cached.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

from bot.danish import fold_word
from bot.text import Token, tokenize

DATA_DIR = Path(__file__).resolve().parent / "data"
SERVICE_TYPES_FILE = DATA_DIR / "service-types.yml"
SERVICE_WORDS_FILE = DATA_DIR / "service_words.yml"

WEIGHTS = {"strong": 1.0, "related": 0.75, "weak": 0.5}
FUZZY_FACTOR = 0.85  # a misspelt word counts a little less than a correct one
FUZZY_CUTOFF = 85.0
MAX_GAP = 2  # words allowed between the words of a phrase


@dataclass(frozen=True)
class ServiceType:
    code: str
    name: str  # Danish display name from service-types.yml
    sector: str  # praksis | region | kommune | privat | frivillig


@dataclass(frozen=True)
class ServiceMatch:
    code: str
    score: float  # 0..1; 1.0 = the service named outright
    matched_text: str  # the words as the person typed them


@dataclass(frozen=True)
class _Word:
    """One word of a term, with how it may match a word of the message."""

    folded: str
    exact_only: bool
    prefix: bool
    contains: bool

    def matches(self, token: str) -> bool:
        if token == self.folded:
            return True
        if self.exact_only:
            return False
        if self.prefix and token.startswith(self.folded):
            return True
        return self.contains and self.folded in token


@dataclass(frozen=True)
class _Term:
    code: str
    text: str
    words: tuple[_Word, ...]
    weight: float

    @property
    def length(self) -> int:
        """Specificity: the longer term wins when two match the same word."""
        return sum(len(w.folded) for w in self.words)


def _parse_term(text: str, in_phrase: bool) -> _Word:
    exact_only = text.startswith("=")
    star = text.endswith("*")
    folded = fold_word(text.strip("=*"))
    size = len(folded)
    return _Word(
        folded=folded,
        exact_only=exact_only,
        prefix=star or (not exact_only and size >= 4),
        # Compounds ("knæoperationen") only for single long words, not inside phrases.
        contains=not exact_only and not in_phrase and size >= 6,
    )


def _compile(code: str, text: str, weight: float) -> _Term:
    parts = str(text).split()
    if len(parts) == 1 and "-" in parts[0] and not parts[0].startswith("="):
        parts = parts[0].split("-")
    words = tuple(_parse_term(p, in_phrase=len(parts) > 1) for p in parts)
    return _Term(code, str(text), tuple(w for w in words if w.folded), weight)


@dataclass(frozen=True)
class _ContextRule:
    prefer: str
    over: tuple[str, ...]
    triggers: tuple[_Term, ...]


@dataclass(frozen=True)
class _Vocabulary:
    types: dict[str, ServiceType]
    terms: tuple[_Term, ...]
    fuzzy_terms: dict[str, list[_Term]]  # folded single word -> terms, for misspellings
    rules: tuple[_ContextRule, ...]
    examples: dict[str, list[str]]


@lru_cache(maxsize=1)
def _vocabulary() -> _Vocabulary:
    spec = yaml.safe_load(SERVICE_TYPES_FILE.read_text(encoding="utf-8"))
    types = {t["code"]: ServiceType(t["code"], t["name"], t["sector"]) for t in spec["types"]}
    words = yaml.safe_load(SERVICE_WORDS_FILE.read_text(encoding="utf-8"))
    unknown = set(words["types"]) - set(types)
    if unknown:
        raise ValueError(f"service_words.yml names unknown service types: {sorted(unknown)}")
    terms: list[_Term] = []
    examples: dict[str, list[str]] = {}
    for code, entry in words["types"].items():
        examples[code] = [str(e) for e in entry.get("examples", [])]
        for level, weight in WEIGHTS.items():
            terms.extend(_compile(code, text, weight) for text in entry.get(level, []))
    fuzzy_terms: dict[str, list[_Term]] = {}
    for term in terms:
        if len(term.words) == 1 and not term.words[0].exact_only and len(term.words[0].folded) >= 6:
            fuzzy_terms.setdefault(term.words[0].folded, []).append(term)
    rules = tuple(
        _ContextRule(
            prefer=rule["prefer"],
            over=tuple(rule["over"]),
            triggers=tuple(_compile(rule["prefer"], t, 0.0) for t in rule["when_any"]),
        )
        for rule in words.get("context_rules", [])
    )
    return _Vocabulary(types, tuple(terms), fuzzy_terms, rules, examples)


@dataclass(frozen=True)
class _Hit:
    term: _Term
    start: int  # token span [start, end)
    end: int
    fuzzy: bool = False

    @property
    def weight(self) -> float:
        return self.term.weight * (FUZZY_FACTOR if self.fuzzy else 1.0)


def _match_term(term: _Term, folded: list[str]) -> list[tuple[int, int]]:
    """Spans where `term` occurs: its words in order, at most MAX_GAP words apart."""
    spans = []
    first, rest = term.words[0], term.words[1:]
    for start, token in enumerate(folded):
        if not first.matches(token):
            continue
        position = start
        for word in rest:
            window = range(position + 1, min(len(folded), position + 2 + MAX_GAP))
            position = next((k for k in window if word.matches(folded[k])), -1)
            if position < 0:
                break
        if position >= 0:
            spans.append((start, position + 1))
    return spans


def _fuzzy_score(token: str, term: str, **_: object) -> float:
    """Similarity of a word to a term, also against the word's start ("blodprøgerne")."""
    score = fuzz.ratio(token, term)
    if len(token) > len(term) + 1:
        score = max(score, fuzz.ratio(token[: len(term)], term))
    return score


def _hits(folded: list[str], vocabulary: _Vocabulary) -> list[_Hit]:
    hits = [_Hit(term, s, e) for term in vocabulary.terms for s, e in _match_term(term, folded)]
    covered = {i for h in hits for i in range(h.start, h.end)}
    candidates = list(vocabulary.fuzzy_terms)
    for index, token in enumerate(folded):
        if index in covered or len(token) < 5 or token.isdigit():
            continue
        best = process.extractOne(token, candidates, scorer=_fuzzy_score, score_cutoff=FUZZY_CUTOFF)
        if best is not None:
            hits.extend(_Hit(term, index, index + 1, fuzzy=True) for term in vocabulary.fuzzy_terms[best[0]])
    # Where terms of different types claim the same word, the longest (most specific) wins.
    return [
        hit
        for hit in hits
        if not any(
            other.term.code != hit.term.code
            and other.start < hit.end
            and hit.start < other.end
            and other.term.length > hit.term.length
            for other in hits
        )
    ]


def _span_text(tokens: list[Token], text: str, start: int, end: int) -> str:
    return text[tokens[start].start : tokens[end - 1].end]


def find_service_types(text: str) -> list[ServiceMatch]:
    """The service types `text` asks about, best first; empty when none is named.

    Handles inflections and compounds ("blodprøverne", "blodprøvetagning"),
    phrases ("få taget blod", "holde op med at ryge"), related words ("gravid"
    -> jordemoder), aa/oe/ae spellings and small misspellings, and context
    ("tandlæge til min mor på plejehjem" -> the municipal tandpleje).
    """
    if not text or not text.strip():
        return []
    vocabulary = _vocabulary()
    tokens = tokenize(text)
    folded = [t.folded for t in tokens]
    best: dict[str, tuple[float, _Hit]] = {}
    distinct_terms: dict[str, set[str]] = {}
    for hit in _hits(folded, vocabulary):
        code = hit.term.code
        distinct_terms.setdefault(code, set()).add(hit.term.text)
        if (
            code not in best
            or hit.weight > best[code][0]
            or (hit.weight == best[code][0] and hit.start < best[code][1].start)
        ):
            best[code] = (hit.weight, hit)
    scores = {
        code: weight + 0.05 * (len(distinct_terms[code]) - 1)  # more words for it: a little surer
        for code, (weight, _) in best.items()
    }
    matched = {code: _span_text(tokens, text, hit.start, hit.end) for code, (_, hit) in best.items()}
    for rule in vocabulary.rules:
        present = [code for code in rule.over if code in scores]
        if not present or not any(_match_term(t, folded) for t in rule.triggers):
            continue
        top = max(present, key=lambda c: scores[c])
        if scores.get(rule.prefer, 0.0) <= scores[top]:
            scores[rule.prefer] = scores[top] + 0.05
            matched.setdefault(rule.prefer, matched[top])
        for code in present:
            scores[code] *= 0.8
    first_seen = {code: hit.start for code, (_, hit) in best.items()}
    order = sorted(scores, key=lambda c: (-scores[c], first_seen.get(c, 0)))
    return [ServiceMatch(code, round(min(scores[code], 1.0), 3), matched[code]) for code in order]


def best_service_type(text: str) -> str | None:
    """The code of the best match, or None."""
    matches = find_service_types(text)
    return matches[0].code if matches else None


def service_type(code: str) -> ServiceType:
    """The service type for a code; KeyError for an unknown code."""
    return _vocabulary().types[code]


def all_service_types() -> list[ServiceType]:
    """All service types in the order of service-types.yml."""
    return list(_vocabulary().types.values())


def is_service_type(code: str) -> bool:
    return code in _vocabulary().types


def service_display_name(code: str) -> str:
    """The Danish display name ("Blodprøver"); the code itself if unknown."""
    found = _vocabulary().types.get(code)
    return found.name if found else code


def service_synonym_examples(codes: Iterable[str] | None = None) -> dict[str, list[str]]:
    """A few natural Danish words per service type, for NLU training data and lookup tables."""
    examples = _vocabulary().examples
    wanted = list(codes) if codes is not None else list(_vocabulary().types)
    return {code: list(examples.get(code, [])) for code in wanted}


def service_terms(code: str) -> list[str]:
    """Every strong and related word for a type as written in service_words.yml (no markers)."""
    terms = _vocabulary().terms
    return [t.text.strip("=*") for t in terms if t.code == code and t.weight >= WEIGHTS["related"]]


def __getattr__(name: str) -> object:
    # SERVICE_SYNONYM_EXAMPLES is computed on first access, so importing reads no files.
    if name == "SERVICE_SYNONYM_EXAMPLES":
        return service_synonym_examples()
    raise AttributeError(name)
