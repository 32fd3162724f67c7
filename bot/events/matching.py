"""Which event a person means by its name: "tilmeld mig dialogmødet om sundhedshuse"."""

from __future__ import annotations

from datetime import datetime

from rapidfuzz import fuzz, utils

from bot.events.listing import upcoming_events
from bot.events.views import EventView
from bot.transactions import SessionOrUrl

# Words that ask for an event rather than name it ("tilmeld mig dialogmødet ... tak").
_REQUEST_WORDS = {
    "tilmeld", "tilmelde", "tilmelding", "afmeld", "afmelde", "afmelding", "mig", "jeg", "vil",
    "gerne", "godt", "kan", "tak", "til", "på", "for", "arrangementet", "arrangement", "eventet",
    "event", "venligst", "please", "hej", "om", "i", "det", "den", "de", "en", "et", "og", "med",
    "af", "ved", "os", "vi", "skriv", "op", "meld", "deltage", "komme",
}  # fmt: skip
MIN_SHARE_OF_WORDS = 0.5  # at least half the person's words must be found in the event
MIN_LEAD = 0.2  # and the best event must beat the next by this much, or we ask instead


def _same_word(asked: str, known: str) -> bool:
    """Inflections and compounds count: "dialogmødet" ~ "dialogmøde", "rundvisningen" ~ "rundvisning"."""
    if asked == known:
        return True
    if min(len(asked), len(known)) >= 5:
        shorter, longer = sorted((asked, known), key=len)
        if longer.startswith(shorter[: max(5, len(shorter) - 1)]):
            return True
    return fuzz.ratio(asked, known) >= 85


def _event_words(event: EventView) -> list[str]:
    text = " ".join(part for part in (event.title, event.venue_name or "", event.venue_address or "") if part)
    return utils.default_process(text).split()


def _share_found(words: list[str], event: EventView) -> float:
    known = _event_words(event)
    return sum(any(_same_word(word, k) for k in known) for word in words) / len(words)


def find_event_by_text(
    session: SessionOrUrl, text: str, now: datetime | None = None, audience: str | None = None
) -> EventView | None:
    """The upcoming event a person means ("dialogmødet om sundhedshuse"), or None if unclear.

    Each of the person's words (less request words like "tilmeld mig") is looked for
    in the event's title and venue, inflections included; the event with clearly
    the most words found wins.
    """
    words = [w for w in utils.default_process(text or "").split() if w not in _REQUEST_WORDS]
    if not words:
        return None
    events = upcoming_events(session, now=now, audience=audience)
    for event in events:
        if event.id.casefold() == "-".join(words):
            return event
    ranked = sorted(((_share_found(words, e), e) for e in events), key=lambda pair: pair[0], reverse=True)
    if not ranked or ranked[0][0] < MIN_SHARE_OF_WORDS:
        return None
    if len(ranked) > 1 and ranked[0][0] - ranked[1][0] < MIN_LEAD:
        return None
    return ranked[0][1]
