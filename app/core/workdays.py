"""Working days (工作日) for the publicity period: official holidays and make-up days (调休).

The calendar is the State Council's yearly arrangement as kept by the
``chinese-calendar`` library. A year is known only once its arrangement has
been published and the library updated; for any date outside the library's
years we say so (:class:`CalendarGapError`) instead of guessing from weekdays.

人社部令第40号 第十六条: a unit publishes its applicants for at least five
working days before recommending them. The period counts both ends: a
publicity from Monday to Friday of an ordinary week is five working days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar
from chinese_calendar.constants import Holiday

from app.core.errors import RuleError, UsageError

#: The minimum publicity (人社部令第40号 第十六条).
PUBLICITY_WORKDAYS = 5

HOLIDAY_NAMES = {
    Holiday.new_years_day.value: "元旦",
    Holiday.spring_festival.value: "春节",
    Holiday.tomb_sweeping_day.value: "清明节",
    Holiday.labour_day.value: "劳动节",
    Holiday.dragon_boat_festival.value: "端午节",
    Holiday.national_day.value: "国庆节",
    Holiday.mid_autumn_festival.value: "中秋节",
    Holiday.anti_fascist_70th_day.value: "抗战胜利70周年纪念日",
}

_FIRST_YEAR = min(chinese_calendar.holidays).year
_LAST_YEAR = max(chinese_calendar.holidays).year


class CalendarGapError(RuleError):
    """A date in a year whose holiday arrangement the calendar does not know."""


def covered_years() -> tuple[int, int]:
    """The first and last year whose holidays and make-up days are known."""
    return _FIRST_YEAR, _LAST_YEAR


def require_covered(day: date) -> None:
    """Refuse a date whose year's arrangement is unknown, naming the known years."""
    if not _FIRST_YEAR <= day.year <= _LAST_YEAR:
        raise CalendarGapError(
            f"工作日历只收录了 {_FIRST_YEAR}—{_LAST_YEAR} 年的法定节假日和调休安排，"
            f"无法确定 {day.isoformat()}（{day.year} 年）是否为工作日",
            "请升级职称网审助手以获得新一年的节假日安排，或选择已收录年份内的日期",
        )


def is_workday(day: date) -> bool:
    """Whether people work on ``day``: weekdays that are no holiday, and make-up days (调休上班)."""
    require_covered(day)
    return chinese_calendar.is_workday(day)


def day_kind(day: date) -> str:
    """What the day is, in words for the officer: 工作日, 调休上班（春节）, 春节假期, 周末."""
    require_covered(day)
    on_holiday, holiday = chinese_calendar.get_holiday_detail(day)
    name = HOLIDAY_NAMES.get(holiday, holiday) if holiday else None
    if not on_holiday:
        return f"调休上班（{name}）" if name and day.weekday() >= 5 else "工作日"
    if name:
        return f"{name}假期"
    return "周末"


def workdays_between(start: date, end: date) -> int:
    """Working days from ``start`` to ``end``, both included (0 when ``end`` is before ``start``)."""
    if end < start:
        return 0
    require_covered(start)
    require_covered(end)
    return sum(chinese_calendar.is_workday(start + timedelta(days=i)) for i in range((end - start).days + 1))


def publicity_end(start: date, workdays: int = PUBLICITY_WORKDAYS) -> date:
    """The earliest last day of a publicity that starts on ``start`` and lasts ``workdays`` working days.

    A start on a rest day counts from the next working day on.
    """
    if workdays < 1:
        raise UsageError("公示的工作日数至少为 1")
    require_covered(start)
    day, counted = start, 0
    while True:
        require_covered(day)
        if chinese_calendar.is_workday(day):
            counted += 1
            if counted == workdays:
                return day
        day += timedelta(days=1)


@dataclass(frozen=True)
class PeriodCheck:
    """Whether a publicity period is long enough."""

    start: date
    end: date
    workdays: int
    #: None only when that day lies in a year the calendar does not know yet.
    earliest_end: date | None
    minimum: int = PUBLICITY_WORKDAYS

    @property
    def enough(self) -> bool:
        return self.workdays >= self.minimum

    def is_over(self, today: date) -> bool:
        """The period includes its last day: it is over from the next day on."""
        return today > self.end

    def shortfall(self) -> str | None:
        """“不足 5 个工作日，至少应到 2025-10-11” when too short, else None."""
        if self.enough:
            return None
        until = self.earliest_end.isoformat() if self.earliest_end else "日历尚未收录的下一年"
        return f"不足 {self.minimum} 个工作日，至少应到 {until}"

    def describe(self) -> str:
        """One line such as “2025-09-29 至 2025-10-13（5 个工作日）”."""
        return f"{self.start.isoformat()} 至 {self.end.isoformat()}（{self.workdays} 个工作日）"


def check_period(start: date, end: date, minimum: int = PUBLICITY_WORKDAYS) -> PeriodCheck:
    """Count a period's working days and compare with the minimum."""
    if end < start:
        raise UsageError(f"公示结束日期 {end.isoformat()} 早于开始日期 {start.isoformat()}")
    counted = workdays_between(start, end)
    try:
        earliest = publicity_end(start, minimum)
    except CalendarGapError:
        earliest = None
    return PeriodCheck(start, end, counted, earliest, minimum)


def period_notes(start: date, end: date) -> list[str]:
    """The days of a period that are not ordinary: holidays and make-up working days, grouped.

    For example ``["调休上班 9月28日", "国庆节、中秋节假期 10月1日—10月8日"]``, so that the
    officer sees why a period is longer than it looks.
    """
    blocks: list[tuple[list[str], date, date]] = []  # (names, first, last); names empty for 调休上班
    day = start
    while day <= end:
        kind = day_kind(day)
        if kind not in ("工作日", "周末"):
            names = [] if kind.startswith("调休") else [kind.removesuffix("假期")]
            last = blocks[-1] if blocks else None
            if last and bool(last[0]) == bool(names) and last[2] == day - timedelta(days=1):
                blocks[-1] = (last[0] + [n for n in names if n not in last[0]], last[1], day)
            else:
                blocks.append((names, day, day))
        day += timedelta(days=1)
    return [
        ("、".join(names) + "假期" if names else "调休上班") + f" {_md(a)}" + (f"—{_md(b)}" if b != a else "")
        for names, a, b in blocks
    ]


def _md(day: date) -> str:
    return f"{day.month}月{day.day}日"
