from datetime import date, timedelta

import pytest

from app.core.errors import UsageError
from app.core.urgency import Thresholds, Urgency, urgency, why_closed

START, END = date(2025, 10, 1), date(2025, 10, 31)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2025, 9, 30), Urgency.NOT_STARTED),
        (START, Urgency.NORMAL),
        (END - timedelta(days=8), Urgency.NORMAL),
        (END - timedelta(days=7), Urgency.URGENT),
        (END - timedelta(days=4), Urgency.URGENT),
        (END - timedelta(days=3), Urgency.CRITICAL),
        (END, Urgency.CRITICAL),  # the last day of the window is still open
        (END + timedelta(days=1), Urgency.ENDED),
    ],
)
def test_urgency_follows_the_window_and_default_thresholds(today: date, expected: Urgency) -> None:
    assert urgency(START, END, today) is expected


def test_thresholds_are_settings() -> None:
    assert (
        urgency(START, END, END - timedelta(days=10), Thresholds(urgent_days=14, critical_days=10)) is Urgency.CRITICAL
    )
    assert urgency(START, END, END - timedelta(days=12), Thresholds(urgent_days=14, critical_days=10)) is Urgency.URGENT


def test_one_day_window_across_a_leap_day() -> None:
    leap = date(2028, 2, 29)
    assert urgency(leap, leap, leap) is Urgency.CRITICAL
    assert urgency(leap, leap, date(2028, 3, 1)) is Urgency.ENDED


def test_only_open_states_are_reviewable_and_closed_ones_say_why() -> None:
    assert [u for u in Urgency if u.reviewable] == [Urgency.NORMAL, Urgency.URGENT, Urgency.CRITICAL]
    assert "尚未开始" in why_closed(Urgency.NOT_STARTED, START, END)
    assert "2025-10-31" in why_closed(Urgency.ENDED, START, END)
    assert why_closed(Urgency.URGENT, START, END) is None


def test_parse_accepts_key_or_chinese_label() -> None:
    assert Urgency.parse("加急") is Urgency.URGENT
    assert Urgency.parse("critical") is Urgency.CRITICAL
    with pytest.raises(UsageError, match="未知的临近审核状态"):
        Urgency.parse("很急")
