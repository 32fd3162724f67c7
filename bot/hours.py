"""Opening hours in the catalogue format: validate, "open now?", next opening, Danish wording.

The catalogue's Hours mapping names weekdays (`mon`..`sun`) with `closed`, one range
`"08:00-15:30"` or a list of ranges; a day not named is closed; `closed_dates` lists
exceptions. All times are local time in Denmark. An end of `24:00` means "until midnight".

Public holidays are NOT treated as closed: the catalogue says what is closed (via
`closed_dates`); `holiday_name` lets answers warn the citizen to check.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from bot.danish import DANISH_TIME, WEEKDAY_LONG, WEEKDAY_SHORT, to_danish
from bot.danish import danish_now as danish_now  # explicit re-export: answers call hours.danish_now()

WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
CLOSED = "closed"
CLOSED_DATES = "closed_dates"
END_OF_DAY = time.max  # how "24:00" is represented
NEXT_OPENING_SEARCH_DAYS = 15

_RANGE = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
RANGE_ALLOWED = "'closed', \"HH:MM-HH:MM\" med start før slut, eller en liste af sådanne tidsrum"

TimeRange = tuple[time, time]


@dataclass(frozen=True)
class WeeklyHours:
    """Parsed hours: ranges per weekday (0 = Monday) and the dates that are closed regardless."""

    days: tuple[tuple[TimeRange, ...], ...]
    closed_dates: frozenset[date] = field(default_factory=frozenset)


HoursLike = WeeklyHours | Mapping[str, Any]


@dataclass(frozen=True)
class HoursProblem:
    """One thing wrong in an Hours mapping. `where` is relative, e.g. `.wed[1]`."""

    where: str
    what: str
    allowed: str | None = None


class InvalidHours(ValueError):
    def __init__(self, problems: list[HoursProblem]):
        self.problems = problems
        super().__init__("; ".join(f"{p.where}: {p.what}" for p in problems))


# ---------------------------------------------------------------- validation and parsing


def _parse_time(hours: str, minutes: str, *, is_end: bool) -> time | None:
    h, m = int(hours), int(minutes)
    if is_end and (h, m) == (24, 0):
        return END_OF_DAY
    if h > 23 or m > 59:
        return None
    return time(h, m)


def parse_range(text: str) -> TimeRange | None:
    """`"08:00-15:30"` -> (08:00, 15:30); None when it is not a valid range with start before end."""
    match = _RANGE.match(text.strip()) if isinstance(text, str) else None
    if not match:
        return None
    start = _parse_time(match[1], match[2], is_end=False)
    end = _parse_time(match[3], match[4], is_end=True)
    if start is None or end is None or start >= end:
        return None
    return start, end


def parse_date(value: Any) -> date | None:
    """A date written as `YYYY-MM-DD` (text, or a date a YAML parser already made); else None."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _day_ranges(value: Any, where: str, problems: list[HoursProblem]) -> tuple[TimeRange, ...]:
    if value == CLOSED:
        return ()
    items = value if isinstance(value, list) else [value]
    ranges: list[TimeRange] = []
    for index, item in enumerate(items):
        item_where = f"{where}[{index}]" if isinstance(value, list) else where
        parsed = parse_range(item) if isinstance(item, str) else None
        if parsed is None:
            problems.append(HoursProblem(item_where, f"ugyldigt tidsrum {_show(item)}", RANGE_ALLOWED))
        else:
            ranges.append(parsed)
    ranges.sort()
    for earlier, later in zip(ranges, ranges[1:], strict=False):
        if later[0] < earlier[1]:
            problems.append(HoursProblem(where, "tidsrummene overlapper hinanden", RANGE_ALLOWED))
            break
    return tuple(ranges)


def hours_problems(value: Any) -> list[HoursProblem]:
    """Everything wrong with an Hours mapping, in Danish; empty when it is valid."""
    problems: list[HoursProblem] = []
    _parse(value, problems)
    return problems


def parse_hours(value: HoursLike) -> WeeklyHours:
    """A catalogue Hours mapping (or an already parsed one) as WeeklyHours; InvalidHours if wrong."""
    if isinstance(value, WeeklyHours):
        return value
    return _parse_cached(_freeze(value))


def _freeze(value: Any) -> Any:
    """A hashable copy, so parsing the same stored mapping repeatedly is cheap."""
    if isinstance(value, Mapping):
        return tuple((key, _freeze(item)) for key, item in value.items())
    if isinstance(value, list):
        return ("__list__", tuple(_freeze(item) for item in value))
    return value


def _thaw(value: Any) -> Any:
    if isinstance(value, tuple) and value and value[0] == "__list__":
        return [_thaw(item) for item in value[1]]
    if isinstance(value, tuple):
        return {key: _thaw(item) for key, item in value}
    return value


@lru_cache(maxsize=512)
def _parse_cached(frozen: Any) -> WeeklyHours:
    problems: list[HoursProblem] = []
    parsed = _parse(_thaw(frozen), problems)
    if problems:
        raise InvalidHours(problems)
    return parsed


def _parse(value: Any, problems: list[HoursProblem]) -> WeeklyHours:
    allowed_keys = ", ".join((*WEEKDAY_KEYS, CLOSED_DATES))
    if not isinstance(value, Mapping):
        problems.append(
            HoursProblem("", "åbningstider skal være en mapping fra ugedag til tider", allowed_keys)
        )
        return WeeklyHours(days=((),) * 7)
    days: list[tuple[TimeRange, ...]] = [() for _ in WEEKDAY_KEYS]
    closed: set[date] = set()
    for key, day_value in value.items():
        if key in WEEKDAY_KEYS:
            days[WEEKDAY_KEYS.index(key)] = _day_ranges(day_value, f".{key}", problems)
        elif key == CLOSED_DATES:
            closed |= _closed_dates(day_value, problems)
        else:
            problems.append(HoursProblem(f".{key}", "ukendt nøgle", allowed_keys))
    return WeeklyHours(days=tuple(days), closed_dates=frozenset(closed))


def _closed_dates(value: Any, problems: list[HoursProblem]) -> set[date]:
    where = f".{CLOSED_DATES}"
    if not isinstance(value, list):
        problems.append(HoursProblem(where, "skal være en liste af datoer", "[2026-12-24, 2026-12-25]"))
        return set()
    dates: set[date] = set()
    for index, item in enumerate(value):
        parsed = parse_date(item)
        if parsed is None:
            problems.append(HoursProblem(f"{where}[{index}]", f"ugyldig dato {_show(item)}", "ÅÅÅÅ-MM-DD"))
        else:
            dates.add(parsed)
    return dates


def _show(value: Any) -> str:
    return f"'{value}'" if isinstance(value, str) else repr(value)


# ---------------------------------------------------------------- questions about time


def hours_on(hours: HoursLike, day: date) -> list[TimeRange]:
    """The opening ranges on a local calendar day; empty when closed (weekday or closed_dates)."""
    parsed = parse_hours(hours)
    if day in parsed.closed_dates:
        return []
    return list(parsed.days[day.weekday()])


def _local(day: date, at: time) -> datetime:
    if at == END_OF_DAY:
        return datetime.combine(day + timedelta(days=1), time(0), tzinfo=DANISH_TIME)
    return datetime.combine(day, at, tzinfo=DANISH_TIME)


def _periods(hours: HoursLike, first_day: date, days: int) -> Iterable[tuple[datetime, datetime]]:
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        for start, end in hours_on(hours, day):
            yield _local(day, start), _local(day, end)


def is_open(hours: HoursLike, at: datetime) -> bool:
    """Open at this moment? Compared as absolute instants, so DST changes are handled."""
    return current_closing(hours, at) is not None


def current_closing(hours: HoursLike, at: datetime) -> datetime | None:
    """When the range open at `at` ends (Danish time); None when closed at `at`."""
    local = to_danish(at)
    for start, end in _periods(hours, local.date() - timedelta(days=1), 2):
        if start <= local < end:
            # A day ending at 24:00 followed by one starting at 00:00 is one stretch.
            return _extend_over_midnight(hours, end)
    return None


def _extend_over_midnight(hours: HoursLike, end: datetime) -> datetime:
    for _ in range(NEXT_OPENING_SEARCH_DAYS):
        following = [s_e for s_e in _periods(hours, end.date(), 1) if s_e[0] == end]
        if not following:
            break
        end = following[0][1]
    return end


def next_opening(hours: HoursLike, at: datetime) -> datetime | None:
    """The next start of an opening range strictly after `at` (Danish time), within about two weeks."""
    local = to_danish(at)
    for start, _end in _periods(hours, local.date(), NEXT_OPENING_SEARCH_DAYS):
        if start > local:
            return start
    return None


# ---------------------------------------------------------------- Danish wording


def format_time(value: time) -> str:
    """Danish clock time: 7.00, 13.30, 24.00."""
    if value == END_OF_DAY:
        return "24.00"
    return f"{value.hour}.{value.minute:02d}"


def format_ranges(ranges: Iterable[TimeRange]) -> str:
    parts = [f"{format_time(start)}–{format_time(end)}" for start, end in ranges]
    if not parts:
        return "lukket"
    if parts == ["0.00–24.00"]:
        return "hele døgnet"
    return " og ".join(parts)


def format_day(hours: HoursLike, day: date, *, with_weekday: bool = False) -> str:
    """One day: "7.00–13.00", "lukket", or with the weekday "onsdag 7.00–18.00"."""
    text = format_ranges(hours_on(hours, day))
    return f"{WEEKDAY_LONG[day.weekday()]} {text}" if with_weekday else text


def _span(first: int, last: int) -> str:
    if first == last:
        return WEEKDAY_SHORT[first]
    if (first, last) == (0, 6):
        return "alle dage"
    return f"{WEEKDAY_SHORT[first]}–{WEEKDAY_SHORT[last]}"


def format_week(hours: HoursLike) -> str:
    """A compact Danish week, e.g. "man–fre 7.00–13.00; ons 7.00–18.00" (closed days outside are left out)."""
    return "; ".join(f"{days} {times}".strip() for days, times in week_rows(hours))


def week_rows(hours: HoursLike) -> list[tuple[str, str]]:
    """The compact week as (days, hours) rows: [("man–fre", "7.00–13.00"), ("ons", "7.00–18.00")].

    Closed all week: [("", "lukket")].
    """
    days = parse_hours(hours).days
    open_schedules = [d for d in days if d]
    if not open_schedules:
        return [("", "lukket")]
    common = max(open_schedules, key=lambda schedule: (open_schedules.count(schedule), -days.index(schedule)))
    common_days = [i for i, d in enumerate(days) if d == common]
    first, last = common_days[0], common_days[-1]
    rows = [(first, _span(first, last), format_ranges(common))]
    # Days inside the common span that differ are exceptions; those outside are grouped on their own.
    rows += [
        (i, WEEKDAY_SHORT[i], format_ranges(days[i])) for i in range(first, last + 1) if days[i] != common
    ]
    outside = [i for i in range(7) if (i < first or i > last) and days[i]]
    for group in _consecutive_groups(outside, days):
        rows.append((group[0], _span(group[0], group[-1]), format_ranges(days[group[0]])))
    return [(span, times) for _index, span, times in sorted(rows)]


def _consecutive_groups(indexes: list[int], days: tuple) -> list[list[int]]:
    groups: list[list[int]] = []
    for i in indexes:
        if groups and groups[-1][-1] == i - 1 and days[groups[-1][-1]] == days[i]:
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


# ---------------------------------------------------------------- public holidays


@lru_cache(maxsize=8)
def _danish_holidays(year: int) -> dict[date, str]:
    import holidays  # imported on first use: the package is slow to import

    return dict(holidays.Denmark(years=[year], language="da"))


def holiday_name(day: date) -> str | None:
    """The Danish public holiday on this date as written mid-sentence, e.g. "juledag"; None on
    ordinary days. Danish writes holidays in lower case; "Kristi" is a name and keeps its capital."""
    name = _danish_holidays(day.year).get(day)
    if name is None or name.startswith("Kristi "):
        return name
    return name.lower()
