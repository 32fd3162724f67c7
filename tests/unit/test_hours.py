"""Opening hours: validation, open now, next opening across DST and closed dates, Danish wording, holidays."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest

from bot.danish import DANISH_TIME
from bot.hours import (
    InvalidHours,
    current_closing,
    format_day,
    format_week,
    holiday_name,
    hours_on,
    hours_problems,
    is_open,
    next_opening,
    parse_hours,
)

BLOOD_TESTS = {
    "mon": "07:00-13:00",
    "tue": "07:00-13:00",
    "wed": "07:00-18:00",
    "thu": "07:00-13:00",
    "fri": "07:00-13:00",
    "closed_dates": ["2026-12-24", "2026-12-25"],
}
EVERY_DAY = {day: "07:00-22:00" for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
UTC = timezone.utc


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_hours_on_weekday_and_closed_dates() -> None:
    assert hours_on(BLOOD_TESTS, date(2026, 12, 23)) == [(time(7), time(18))]  # a Wednesday
    assert hours_on(BLOOD_TESTS, date(2026, 12, 22)) == [(time(7), time(13))]
    assert hours_on(BLOOD_TESTS, date(2026, 12, 24)) == []  # closed date, a Thursday
    assert hours_on(BLOOD_TESTS, date(2026, 12, 26)) == []  # Saturday: not named, so closed


def test_list_of_ranges_and_closed_keyword() -> None:
    hours = {"mon": ["13:00-15:00", "08:00-12:00"], "tue": "closed"}
    assert hours_on(hours, date(2026, 11, 23)) == [(time(8), time(12)), (time(13), time(15))]
    assert hours_on(hours, date(2026, 11, 24)) == []
    lunch = datetime(2026, 11, 23, 12, 30, tzinfo=DANISH_TIME)
    assert not is_open(hours, lunch)
    assert next_opening(hours, lunch) == datetime(2026, 11, 23, 13, 0, tzinfo=DANISH_TIME)


def test_is_open_uses_danish_time_in_winter_and_summer() -> None:
    # 06:30 UTC is 07:30 in winter (CET, open) and 08:30 in summer (CEST, open);
    # 05:30 UTC is 06:30 in winter (closed) but 07:30 in summer (open).
    assert is_open(EVERY_DAY, utc(2027, 1, 15, 6, 30))
    assert not is_open(EVERY_DAY, utc(2027, 1, 15, 5, 30))
    assert is_open(EVERY_DAY, utc(2027, 7, 15, 5, 30))
    assert not is_open(EVERY_DAY, utc(2027, 7, 15, 20, 0))  # 22:00 CEST: just closed


def test_dst_spring_forward_day() -> None:
    # 28 March 2027: clocks go from 02:00 CET to 03:00 CEST.
    saturday_evening = utc(2027, 3, 27, 22, 0)  # 23:00 CET
    opening = next_opening(EVERY_DAY, saturday_evening)
    assert opening == datetime(2027, 3, 28, 7, 0, tzinfo=DANISH_TIME)
    assert opening.astimezone(UTC) == utc(2027, 3, 28, 5, 0)  # 07:00 CEST is 05:00 UTC
    assert is_open(EVERY_DAY, utc(2027, 3, 28, 5, 30))
    assert not is_open(EVERY_DAY, utc(2027, 3, 27, 5, 30))  # the day before, 06:30 CET


def test_dst_fall_back_day() -> None:
    # 31 October 2027: clocks go from 03:00 CEST back to 02:00 CET; 07:00 CET is 06:00 UTC.
    assert next_opening(EVERY_DAY, utc(2027, 10, 30, 21, 0)).astimezone(UTC) == utc(2027, 10, 31, 6, 0)
    assert not is_open(EVERY_DAY, utc(2027, 10, 31, 5, 30))  # 06:30 CET
    assert current_closing(EVERY_DAY, utc(2027, 10, 31, 12, 0)).astimezone(UTC) == utc(2027, 10, 31, 21, 0)


def test_next_opening_skips_closed_dates_and_weekend() -> None:
    # Wednesday 23 Dec 2026 after closing: Thu 24 and Fri 25 are closed dates, then the weekend.
    after_closing = datetime(2026, 12, 23, 18, 30, tzinfo=DANISH_TIME)
    assert next_opening(BLOOD_TESTS, after_closing) == datetime(2026, 12, 28, 7, 0, tzinfo=DANISH_TIME)


def test_next_opening_none_when_never_open() -> None:
    assert next_opening({"mon": "closed"}, utc(2027, 1, 1, 12, 0)) is None
    assert next_opening({}, utc(2027, 1, 1, 12, 0)) is None


def test_current_closing_and_round_the_clock() -> None:
    wednesday_morning = datetime(2026, 11, 25, 9, 0, tzinfo=DANISH_TIME)
    closing = current_closing(BLOOD_TESTS, wednesday_morning)
    assert closing == datetime(2026, 11, 25, 18, 0, tzinfo=DANISH_TIME)
    always = {day: "00:00-24:00" for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    assert is_open(always, datetime(2026, 11, 25, 23, 59, tzinfo=DANISH_TIME))
    assert is_open(always, datetime(2026, 11, 26, 0, 0, tzinfo=DANISH_TIME))
    closing = current_closing(always, wednesday_morning)
    assert closing is not None and closing - wednesday_morning > timedelta(days=7)


def test_naive_datetime_is_danish_local_time() -> None:
    assert is_open(EVERY_DAY, datetime(2027, 7, 15, 7, 30))
    assert not is_open(EVERY_DAY, datetime(2027, 7, 15, 6, 30))


@pytest.mark.parametrize(
    ("hours", "where", "fragment"),
    [
        ({"mon": "8:00-15:00"}, ".mon", "ugyldigt tidsrum '8:00-15:00'"),
        ({"mon": "15:00-08:00"}, ".mon", "ugyldigt tidsrum '15:00-08:00'"),
        ({"mon": "08:00-25:00"}, ".mon", "ugyldigt tidsrum"),
        ({"mon": ["08:00-12:00", 1200]}, ".mon[1]", "ugyldigt tidsrum 1200"),
        ({"mon": ["08:00-12:00", "11:00-13:00"]}, ".mon", "overlapper"),
        ({"monday": "08:00-12:00"}, ".monday", "ukendt nøgle"),
        ({"closed_dates": ["2026-02-30"]}, ".closed_dates[0]", "ugyldig dato '2026-02-30'"),
        ({"closed_dates": "2026-12-24"}, ".closed_dates", "skal være en liste"),
        (["mon"], "", "mapping"),
    ],
)
def test_invalid_hours_are_reported(hours: object, where: str, fragment: str) -> None:
    problems = hours_problems(hours)
    assert [p.where for p in problems] == [where]
    assert fragment in problems[0].what
    with pytest.raises(InvalidHours):
        parse_hours(hours)


def test_valid_hours_have_no_problems() -> None:
    assert hours_problems(BLOOD_TESTS) == []
    assert hours_problems({"sun": "00:00-24:00", "sat": []}) == []


def test_format_week_in_danish() -> None:
    assert format_week(BLOOD_TESTS) == "man–fre 7.00–13.00; ons 7.00–18.00"
    assert format_week(EVERY_DAY) == "alle dage 7.00–22.00"
    assert format_week({"mon": "08:00-15:30", "tue": "08:00-15:30", "sat": "10:00-12:00"}) == (
        "man–tir 8.00–15.30; lør 10.00–12.00"
    )
    assert format_week({"mon": ["08:00-12:00", "13:00-15:00"]}) == "man 8.00–12.00 og 13.00–15.00"
    assert format_week({"sun": "00:00-24:00"}) == "søn hele døgnet"
    assert format_week({}) == "lukket"


def test_format_day() -> None:
    assert format_day(BLOOD_TESTS, date(2026, 11, 25)) == "7.00–18.00"
    assert format_day(BLOOD_TESTS, date(2026, 11, 25), with_weekday=True) == "onsdag 7.00–18.00"
    assert format_day(BLOOD_TESTS, date(2026, 12, 24), with_weekday=True) == "torsdag lukket"


def test_holidays_are_named_but_do_not_close() -> None:
    # Lower case, as written mid-sentence: "i dag er det juledag".
    assert holiday_name(date(2026, 12, 25)) == "juledag"
    assert holiday_name(date(2026, 12, 26)) == "anden juledag"
    assert holiday_name(date(2027, 3, 28)) == "påskedag"
    assert holiday_name(date(2027, 5, 6)) == "Kristi himmelfartsdag"  # a name keeps its capital
    assert holiday_name(date(2026, 11, 25)) is None
    # Good Friday 2027 (26 March) is a holiday, but only closed_dates close a place.
    assert holiday_name(date(2027, 3, 26)) == "langfredag"
    assert is_open(EVERY_DAY, datetime(2027, 3, 26, 12, 0, tzinfo=DANISH_TIME))
