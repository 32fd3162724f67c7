"""The period a Danish phrase names: "i foråret", "næste uge", "i marts", "i weekenden"."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta

from bot.danish import DANISH_TIME, MONTHS, midnight
from bot.events.views import current_moment

_MONTH_NUMBERS = {name: number for number, name in enumerate(MONTHS, start=1)}
_SEASONS = {"forår": 3, "sommer": 6, "efterår": 9, "vinter": 12}  # first month of each


def _month_start(year: int, month: int) -> date:
    return date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def _month_range(year: int, month: int) -> tuple[datetime, datetime]:
    return midnight(_month_start(year, month)), midnight(_month_start(year, month + 1))


def _season_range(first_month: int, today: date) -> tuple[datetime, datetime]:
    """The season now running, else the next one (three months from first_month)."""
    for year in (today.year - 1, today.year, today.year + 1):
        start = midnight(_month_start(year, first_month))
        end = midnight(_month_start(year, first_month + 3))
        if end.date() > today:
            return start, end
    raise AssertionError("unreachable")


def _named_month(month: int, today: date) -> tuple[datetime, datetime]:
    year = today.year if month >= today.month else today.year + 1
    return _month_range(year, month)


def _week_range(today: date, weeks_ahead: int) -> tuple[datetime, datetime]:
    monday = today - timedelta(days=today.weekday()) + timedelta(weeks=weeks_ahead)
    return midnight(monday), midnight(monday + timedelta(days=7))


def _days(today: date, first: int, count: int) -> tuple[datetime, datetime]:
    return midnight(today + timedelta(days=first)), midnight(today + timedelta(days=first + count))


def _weekend(today: date) -> tuple[datetime, datetime]:
    """This coming (or current) Saturday and Sunday."""
    saturday = today + timedelta(days=5 - today.weekday())
    return midnight(saturday), midnight(saturday + timedelta(days=2))


def _year(today: date, years_ahead: int) -> tuple[datetime, datetime]:
    start = today if years_ahead == 0 else date(today.year + years_ahead, 1, 1)
    return midnight(start), midnight(date(today.year + years_ahead + 1, 1, 1))


_PeriodFunction = Callable[[re.Match[str], date], tuple[datetime, datetime]]
_PERIODS: list[tuple[re.Pattern[str], _PeriodFunction]] = [
    (re.compile(r"\bi\s+dag\b"), lambda m, d: _days(d, 0, 1)),
    (re.compile(r"\bi\s+morgen\b"), lambda m, d: _days(d, 1, 1)),
    (re.compile(r"\bnæste\s+uge\b"), lambda m, d: _week_range(d, 1)),
    (re.compile(r"\b(denne|den\s+her|nuværende)\s+uge\b|\bi\s+ugen\b"), lambda m, d: _week_range(d, 0)),
    (re.compile(r"\bweekend(en)?\b"), lambda m, d: _weekend(d)),
    (re.compile(r"\bnæste\s+måned\b"), lambda m, d: _month_range(d.year, d.month + 1)),
    (
        re.compile(r"\b(denne|den\s+her)\s+måned\b|\bi\s+måneden\b"),
        lambda m, d: _month_range(d.year, d.month),
    ),
    (re.compile(r"\bnæste\s+år\b"), lambda m, d: _year(d, 1)),
    (re.compile(r"\b(i\s+år|resten\s+af\s+året)\b"), lambda m, d: _year(d, 0)),
    (
        re.compile(r"\b(" + "|".join(_SEASONS) + r")(en|et)?\b"),
        lambda m, d: _season_range(_SEASONS[m.group(1)], d),
    ),
    (
        re.compile(r"\b(" + "|".join(_MONTH_NUMBERS) + r")\b"),
        lambda m, d: _named_month(_MONTH_NUMBERS[m.group(1)], d),
    ),
]


def season_range(text: str, now: datetime | None = None) -> tuple[datetime, datetime] | None:
    """The period a Danish phrase names, as [from, to) in Danish time, or None.

    "i foråret" (March-May), "til efteråret", "i marts", "næste måned", "i denne uge",
    "næste uge", "i dag", "i morgen", "i weekenden", "i år". A season or month
    already over this year means next year's.
    """
    folded = (text or "").casefold()
    today = current_moment(now).astimezone(DANISH_TIME).date()
    for pattern, period in _PERIODS:
        match = pattern.search(folded)
        if match:
            return period(match, today)
    return None
