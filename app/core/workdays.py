"""Working days (工作日) for the publicity period: official holidays and make-up days (调休).

The calendar is the State Council's yearly arrangement as kept by the
``chinese-calendar`` library, plus the years the officer has entered from the
State Council's notice (:func:`parse_arrangements`) while the library does not
know them yet: the program is offline and is not updated every November. For
any other date we say so (:class:`CalendarGapError`) instead of guessing from
weekdays.

人社部令第40号 第十六条: a unit publishes its applicants for at least five
working days before recommending them. The period counts both ends: a
publicity from Monday to Friday of an ordinary week is five working days.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
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


@dataclass(frozen=True)
class YearArrangement:
    """One year's official arrangement, as the officer entered it from the State Council's notice."""

    year: int
    holidays: dict[date, str]  # day off → the holiday's name
    workdays: frozenset[date]  # 调休上班: weekend days that are working days


class WorkCalendar:
    """Working days from the library's years and the years the officer entered."""

    def __init__(self, entered: Iterable[YearArrangement] = ()) -> None:
        self.entered = {a.year: a for a in entered}

    def covered_years(self) -> tuple[int, int]:
        """The first and last year known, counting entered years that follow the library's."""
        last = _LAST_YEAR
        while last + 1 in self.entered:
            last += 1
        return _FIRST_YEAR, last

    def require_covered(self, day: date) -> None:
        """Refuse a date whose year's arrangement is unknown, naming the known years."""
        if _FIRST_YEAR <= day.year <= _LAST_YEAR or day.year in self.entered:
            return
        first, last = self.covered_years()
        raise CalendarGapError(
            f"工作日历只收录了 {first}—{last} 年的法定节假日和调休安排，"
            f"无法确定 {day.isoformat()}（{day.year} 年）是否为工作日",
            f"请在 设置 → 节假日安排 中按国务院办公厅的通知填写 {day.year} 年的放假和调休上班日期，或升级职称网审助手",
        )

    def _detail(self, day: date) -> tuple[bool, str | None]:
        """(a working day, the holiday's name) for a covered day."""
        self.require_covered(day)
        entered = self.entered.get(day.year)
        if entered is None:
            on_holiday, holiday = chinese_calendar.get_holiday_detail(day)
            name = HOLIDAY_NAMES.get(holiday, holiday) if holiday else None
            return not on_holiday, name
        if day in entered.workdays:
            return True, _nearest_holiday(entered, day)
        if day in entered.holidays:
            return False, entered.holidays[day]
        return day.weekday() < 5, None

    def is_workday(self, day: date) -> bool:
        """Whether people work on ``day``: weekdays that are no holiday, and make-up days (调休上班)."""
        return self._detail(day)[0]

    def day_kind(self, day: date) -> str:
        """What the day is, in words for the officer: 工作日, 调休上班（春节）, 春节假期, 周末."""
        working, name = self._detail(day)
        if working:
            return f"调休上班（{name}）" if name and day.weekday() >= 5 else "工作日"
        if name:
            return f"{name}假期"
        return "周末"

    def workdays_between(self, start: date, end: date) -> int:
        """Working days from ``start`` to ``end``, both included (0 when ``end`` is before ``start``)."""
        if end < start:
            return 0
        self.require_covered(start)
        self.require_covered(end)
        return sum(self.is_workday(start + timedelta(days=i)) for i in range((end - start).days + 1))

    def publicity_end(self, start: date, workdays: int = PUBLICITY_WORKDAYS) -> date:
        """The earliest last day of a publicity that starts on ``start`` and lasts ``workdays`` working days.

        A start on a rest day counts from the next working day on.
        """
        if workdays < 1:
            raise UsageError("公示的工作日数至少为 1")
        day, counted = start, 0
        while True:
            if self.is_workday(day):
                counted += 1
                if counted == workdays:
                    return day
            day += timedelta(days=1)

    def check_period(self, start: date, end: date, minimum: int = PUBLICITY_WORKDAYS) -> PeriodCheck:
        """Count a period's working days and compare with the minimum."""
        if end < start:
            raise UsageError(f"公示结束日期 {end.isoformat()} 早于开始日期 {start.isoformat()}")
        counted = self.workdays_between(start, end)
        try:
            earliest = self.publicity_end(start, minimum)
        except CalendarGapError:
            earliest = None
        return PeriodCheck(start, end, counted, earliest, minimum)

    def period_notes(self, start: date, end: date) -> list[str]:
        """The days of a period that are not ordinary: holidays and make-up working days, grouped.

        For example ``["调休上班 9月28日", "国庆节、中秋节假期 10月1日—10月8日"]``, so that the
        officer sees why a period is longer than it looks.
        """
        blocks: list[tuple[list[str], date, date]] = []  # (names, first, last); names empty for 调休上班
        day = start
        while day <= end:
            kind = self.day_kind(day)
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


def _nearest_holiday(entered: YearArrangement, day: date) -> str | None:
    """The holiday a make-up working day belongs to: the nearest one in the calendar."""
    if not entered.holidays:
        return None
    return entered.holidays[min(entered.holidays, key=lambda h: abs((h - day).days))]


def parse_arrangements(text: str) -> list[YearArrangement]:
    """The years the officer entered, one line per holiday or make-up day, as in the notice::

        2027-01-01 元旦
        2027-02-06 至 2027-02-13 春节
        2027-02-14 上班

    A line is a date or a range (``至``, ``~`` or ``—`` between), then the holiday's name, or
    ``上班`` for a make-up working day; ``#`` starts a comment. A year the library already
    knows cannot be entered. Raises :class:`UsageError` naming the line.
    """
    holidays: dict[int, dict[date, str]] = {}
    workdays: dict[int, set[date]] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        match = _LINE.fullmatch(line)
        if match is None:
            raise UsageError(
                f"节假日安排第 {number} 行“{raw.strip()}”看不懂",
                "每行写一个日期或日期范围，再写节日名称或“上班”，如：2027-02-06 至 2027-02-13 春节",
            )
        first = _date(match["first"], number)
        last = _date(match["last"], number) if match["last"] else first
        name = match["name"].strip()
        if last < first or (last - first).days > 31 or last.year != first.year:
            raise UsageError(
                f"节假日安排第 {number} 行的日期范围不对", "结束日期应在开始日期之后、同一年内，且不超过一个月"
            )
        if _FIRST_YEAR <= first.year <= _LAST_YEAR:
            raise UsageError(
                f"节假日安排第 {number} 行：{first.year} 年的安排程序已经收录，不需要填写",
                f"只填写 {_LAST_YEAR} 年以后的年份",
            )
        days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
        if name == "上班":
            workdays.setdefault(first.year, set()).update(days)
        else:
            holidays.setdefault(first.year, {}).update(dict.fromkeys(days, name))
    both = [d for year, days in workdays.items() for d in days if d in holidays.get(year, {})]
    if both:
        raise UsageError(f"节假日安排中 {min(both).isoformat()} 既是假期又是上班日", "请核对国务院办公厅的通知")
    return [
        YearArrangement(year, holidays.get(year, {}), frozenset(workdays.get(year, set())))
        for year in sorted(set(holidays) | set(workdays))
    ]


_LINE = re.compile(
    r"(?P<first>\d{4}\s*[-./年]\s*\d{1,2}\s*[-./月]\s*\d{1,2}日?)"
    r"(?:\s*(?:至|到|~|～|—|-{1,2})\s*(?P<last>\d{4}\s*[-./年]\s*\d{1,2}\s*[-./月]\s*\d{1,2}日?))?"
    r"\s+(?P<name>\S.*)"
)


def _date(text: str, number: int) -> date:
    y, m, d = (int(part) for part in re.findall(r"\d+", text))
    try:
        return date(y, m, d)
    except ValueError:
        raise UsageError(f"节假日安排第 {number} 行的日期“{text}”不存在", "请核对日期") from None


#: The library's years only, without any the officer entered.
LIBRARY = WorkCalendar()


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


def _md(day: date) -> str:
    return f"{day.month}月{day.day}日"
