"""评审计划 entered from the portal's notice: checked, kept once, and what an import needs first."""

from __future__ import annotations

from datetime import date

import pytest

from app.core.errors import UsageError
from app.ops.plans import add_plan, list_plans, split_specialties
from app.store import Store

TITLE = "关于开展2026年度黄石市工程技术人员职称评审材料申报工作的通知"


def test_a_plan_is_kept_with_its_dates_and_once(store: Store) -> None:
    plan = add_plan(
        store, f" {TITLE} ", "工程技术人员", ["水利水电"], date(2026, 12, 20), date(2026, 12, 21), date(2027, 1, 10)
    )
    assert (plan.title, plan.series, plan.specialties) == (TITLE, "工程技术人员", ("水利水电",))
    assert (plan.deadline, plan.window_start, plan.window_end) == (
        date(2026, 12, 20),
        date(2026, 12, 21),
        date(2027, 1, 10),
    )
    again = add_plan(store, TITLE, "工程技术人员", [], date(2026, 12, 20), date(2026, 12, 21), date(2027, 1, 10))
    assert again.id == plan.id and len(list_plans(store)) == 1


@pytest.mark.parametrize(
    ("title", "series", "deadline", "start", "end", "said"),
    [
        ("", "工程技术人员", date(2026, 12, 1), date(2026, 12, 2), date(2026, 12, 9), "标题"),
        (TITLE, " ", date(2026, 12, 1), date(2026, 12, 2), date(2026, 12, 9), "申报系列"),
        (TITLE, "工程技术人员", date(2026, 12, 1), date(2026, 12, 9), date(2026, 12, 2), "结束日期早于开始日期"),
        (TITLE, "工程技术人员", date(2026, 12, 20), date(2026, 12, 2), date(2026, 12, 9), "申报截止日期晚于"),
    ],
)
def test_a_plan_that_cannot_be_is_refused_saying_why(store: Store, title, series, deadline, start, end, said) -> None:
    with pytest.raises(UsageError, match=said) as caught:
        add_plan(store, title, series, [], deadline, start, end)
    assert caught.value.fix
    assert list_plans(store) == []


def test_specialties_as_an_officer_types_them() -> None:
    assert split_specialties("水利水电、建筑工程，市政工程; 电气工程  水利水电") == [
        "水利水电",
        "建筑工程",
        "市政工程",
        "电气工程",
    ]
    assert split_specialties(" ") == []
