"""The working-day calendar: holidays, make-up days (调休) and the years it knows."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.core.errors import UsageError
from app.core.workdays import LIBRARY, CalendarGapError, WorkCalendar, parse_arrangements

#: A year after the library's, as an officer would copy it from the State Council's notice
#: (the dates are made up for the test: only their shape is real).
NEXT = LIBRARY.covered_years()[1] + 1
ENTERED = f"""
# 国务院办公厅关于{NEXT}年部分节假日安排的通知
{NEXT}-01-01 元旦
{NEXT}-02-06 至 {NEXT}-02-13 春节
{NEXT}-02-14 上班
{NEXT}年10月1日~{NEXT}年10月7日 国庆节
{NEXT}-09-26 上班
"""


def test_an_ordinary_week_is_monday_to_friday() -> None:
    assert LIBRARY.publicity_end(date(2025, 11, 10)) == date(2025, 11, 14)
    assert LIBRARY.check_period(date(2025, 11, 10), date(2025, 11, 14)).enough


def test_a_weekend_start_counts_from_monday() -> None:
    assert LIBRARY.publicity_end(date(2025, 11, 8)) == date(2025, 11, 14)
    assert LIBRARY.publicity_end(date(2025, 11, 9)) == date(2025, 11, 14)


def test_spring_festival_2025_and_its_make_up_sunday_and_saturday() -> None:
    # 2025: 1月28日至2月4日放假，1月26日（周日）、2月8日（周六）上班
    assert LIBRARY.is_workday(date(2025, 1, 26)) and date(2025, 1, 26).weekday() == 6
    assert LIBRARY.is_workday(date(2025, 2, 8)) and date(2025, 2, 8).weekday() == 5
    assert not any(LIBRARY.is_workday(date(2025, 1, 28) + timedelta(days=i)) for i in range(8))
    # Fri 24, Sun 26 (调休), Mon 27, then Wed 5 Feb, Thu 6 Feb
    assert LIBRARY.publicity_end(date(2025, 1, 24)) == date(2025, 2, 6)
    # from the Thursday before the make-up Saturday: Thu 6, Fri 7, Sat 8 (调休), Mon 10, Tue 11
    assert LIBRARY.publicity_end(date(2025, 2, 6)) == date(2025, 2, 11)
    assert LIBRARY.day_kind(date(2025, 1, 26)) == "调休上班（春节）"
    assert LIBRARY.day_kind(date(2025, 1, 29)) == "春节假期"


def test_national_day_2025_and_its_make_up_days() -> None:
    # 2025: 10月1日至8日放假，9月28日（周日）、10月11日（周六）上班
    assert LIBRARY.is_workday(date(2025, 9, 28)) and LIBRARY.is_workday(date(2025, 10, 11))
    assert not LIBRARY.is_workday(date(2025, 10, 8))
    # Mon 29, Tue 30, then Thu 9, Fri 10, and the make-up Saturday 11
    assert LIBRARY.publicity_end(date(2025, 9, 29)) == date(2025, 10, 11)
    # from the make-up Sunday before the holiday: Sun 28, Mon 29, Tue 30, Thu 9, Fri 10
    assert LIBRARY.publicity_end(date(2025, 9, 28)) == date(2025, 10, 10)
    assert LIBRARY.day_kind(date(2025, 10, 11)) == "调休上班（国庆节）"
    assert LIBRARY.day_kind(date(2025, 10, 12)) == "周末"
    assert LIBRARY.day_kind(date(2025, 10, 1)) == "国庆节假期"


def test_national_day_2024_week() -> None:
    # 2024: 10月1日至7日放假，9月29日（周日）、10月12日（周六）上班
    assert LIBRARY.publicity_end(date(2024, 9, 27)) == date(2024, 10, 9)
    assert LIBRARY.workdays_between(date(2024, 9, 30), date(2024, 10, 12)) == 6


def test_spring_festival_2026_and_its_two_make_up_saturdays() -> None:
    # 2026: 2月15日至23日放假，2月14日（周六）、2月28日（周六）上班
    assert LIBRARY.is_workday(date(2026, 2, 14)) and LIBRARY.is_workday(date(2026, 2, 28))
    assert LIBRARY.publicity_end(date(2026, 2, 12)) == date(2026, 2, 25)
    assert LIBRARY.workdays_between(date(2026, 2, 24), date(2026, 2, 28)) == 5


def test_a_period_over_the_holiday_is_counted_in_working_days() -> None:
    short = LIBRARY.check_period(date(2025, 9, 29), date(2025, 10, 10))  # 12 days on the calendar
    assert short.workdays == 4 and not short.enough
    assert short.earliest_end == date(2025, 10, 11)
    assert "4 个工作日" in short.describe()
    assert short.shortfall() == "不足 5 个工作日，至少应到 2025-10-11"
    assert LIBRARY.check_period(date(2025, 9, 29), date(2025, 10, 11)).shortfall() is None
    assert short.is_over(date(2025, 10, 11)) and not short.is_over(date(2025, 10, 10))


def test_dates_outside_the_calendar_are_refused_not_guessed() -> None:
    first, last = LIBRARY.covered_years()
    assert first <= 2025 <= last
    with pytest.raises(CalendarGapError, match=f"{last + 1} 年"):
        LIBRARY.is_workday(date(last + 1, 3, 2))
    with pytest.raises(CalendarGapError, match="只收录了"):
        LIBRARY.publicity_end(date(first - 1, 6, 1))
    # the last week of the last known year runs into the unknown one
    with pytest.raises(CalendarGapError, match=f"{last + 1}-01-0"):
        LIBRARY.publicity_end(date(last, 12, 28))
    # a too-short period at the edge is still counted; only its earliest end is unknown
    edge = LIBRARY.check_period(date(last, 12, 28), date(last, 12, 31))
    assert not edge.enough and edge.earliest_end is None
    assert edge.shortfall() == "不足 5 个工作日，至少应到 日历尚未收录的下一年"


def test_backwards_periods_are_usage_errors() -> None:
    with pytest.raises(UsageError, match="早于开始日期"):
        LIBRARY.check_period(date(2025, 3, 10), date(2025, 3, 3))
    assert LIBRARY.workdays_between(date(2025, 3, 10), date(2025, 3, 3)) == 0


def test_period_notes_say_why_a_period_is_longer_than_it_looks() -> None:
    assert LIBRARY.period_notes(date(2025, 9, 26), date(2025, 10, 11)) == [
        "调休上班 9月28日",
        "国庆节、中秋节假期 10月1日—10月8日",
        "调休上班 10月11日",
    ]
    assert LIBRARY.period_notes(date(2026, 2, 12), date(2026, 3, 1)) == [
        "调休上班 2月14日",
        "春节假期 2月15日—2月23日",
        "调休上班 2月28日",
    ]
    assert LIBRARY.period_notes(date(2025, 11, 3), date(2025, 11, 9)) == []


def test_a_year_entered_from_the_notice_is_counted_like_a_known_one() -> None:
    (year,) = parse_arrangements(ENTERED)
    assert year.year == NEXT and len(year.holidays) == 16 and year.workdays == {date(NEXT, 2, 14), date(NEXT, 9, 26)}
    days = WorkCalendar([year])
    assert days.covered_years() == (LIBRARY.covered_years()[0], NEXT)
    assert days.day_kind(date(NEXT, 2, 8)) == "春节假期"
    assert days.day_kind(date(NEXT, 2, 14)) == "调休上班（春节）" and days.is_workday(date(NEXT, 2, 14))
    assert days.day_kind(date(NEXT, 9, 26)) == "调休上班（国庆节）"
    saturday = next(date(NEXT, 3, d) for d in range(1, 8) if date(NEXT, 3, d).weekday() == 5)
    assert days.day_kind(saturday) == "周末" and days.day_kind(saturday + timedelta(days=2)) == "工作日"
    # a publicity over the Spring Festival week: five working days, the make-up day among them
    start = date(NEXT, 2, 4)
    end = days.publicity_end(start)
    assert days.workdays_between(start, end) == 5
    assert days.period_notes(start, end)[0] == "春节假期 2月6日—2月13日"
    # the last weeks of the library's last year now run into the entered one
    assert days.publicity_end(date(NEXT - 1, 12, 28)).year == NEXT
    # the library alone still refuses that year
    with pytest.raises(CalendarGapError, match="设置 → 节假日安排"):
        LIBRARY.is_workday(date(NEXT, 2, 8))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (f"{NEXT}-02-30 春节", "不存在"),
        ("春节 放七天", "看不懂"),
        (f"{NEXT}-02-13 至 {NEXT}-02-06 春节", "日期范围不对"),
        (f"{NEXT}-01-01 至 {NEXT}-03-01 春节", "日期范围不对"),
        ("2025-10-01 国庆节", "已经收录"),
        (f"{NEXT}-02-08 春节\n{NEXT}-02-08 上班", "既是假期又是上班日"),
    ],
)
def test_a_line_that_cannot_be_read_is_named(text: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        parse_arrangements(text)
