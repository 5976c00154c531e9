"""Publicity per plan and the rules the dispatch asks (missing, too short, not yet over)."""

from __future__ import annotations

from datetime import date

import pytest

from app.core.errors import NotFoundError, RuleError, UsageError
from app.core.models import Slot
from app.core.workdays import CalendarGapError
from app.ops import publicity as ops
from app.ops.dispatch import dispatch_rows, send_cases
from app.store import Store
from tests.publicity.conftest import Setup


def test_create_proposes_the_earliest_lawful_end_and_the_units_contact(setup: Setup) -> None:
    created = ops.create_publicity(setup.store, setup.cases[:3], date(2025, 9, 29), "单位公示栏")
    v = created.publicity
    assert (v.publicity.start, v.publicity.end) == (date(2025, 9, 29), date(2025, 10, 11))
    assert v.check.workdays == 5 and v.check.enough and created.warnings == []
    assert v.publicity.contact == "陈晓燕 13872000000"
    assert [c.name for c in v.cases] == ["王建国", "李芳", "张伟"]
    assert v.publicity.plan_id == setup.plan_id
    assert [p.id for p in ops.list_publicities(setup.store)] == [v.id]


def test_a_short_period_is_recorded_with_a_warning(setup: Setup) -> None:
    created = ops.create_publicity(setup.store, setup.cases[:1], date(2025, 9, 29), "单位内网",
                                   contact="人事部 0714-6200000", end=date(2025, 10, 9))  # fmt: skip
    assert created.warnings == ["公示期 2025-09-29 至 2025-10-09（3 个工作日）不足 5 个工作日，至少应到 2025-10-11"]
    assert created.publicity.publicity.contact == "人事部 0714-6200000"


def test_create_refuses_what_cannot_be_published(setup: Setup) -> None:
    s = setup.store
    with pytest.raises(RuleError, match="赵敏（办件 4）：状态为“审核不通过退回修改”"):
        ops.create_publicity(s, setup.cases, date(2025, 9, 29), "单位公示栏")
    with pytest.raises(UsageError, match="不同的评审计划"):
        ops.create_publicity(s, [setup.cases[0], setup.other_plan_case], date(2025, 9, 29), "单位公示栏")
    with pytest.raises(UsageError, match="公示地点"):
        ops.create_publicity(s, setup.cases[:1], date(2025, 9, 29), "  ")
    with pytest.raises(UsageError, match="请先选择"):
        ops.create_publicity(s, [], date(2025, 9, 29), "单位公示栏")
    with pytest.raises(NotFoundError):
        ops.create_publicity(s, [999], date(2025, 9, 29), "单位公示栏")
    with pytest.raises(CalendarGapError):
        ops.create_publicity(s, setup.cases[:1], date(2031, 3, 3), "单位公示栏")
    with pytest.raises(UsageError, match="早于开始日期"):
        ops.create_publicity(s, setup.cases[:1], date(2025, 9, 29), "单位公示栏", end=date(2025, 9, 1))
    assert ops.list_publicities(s) == []  # nothing half-written


def _problem(store: Store, case_id: int, today: date) -> str | None:
    return ops.check_cases(store, [case_id], today)[0].problem


def _period(store: Store, case_id: int) -> tuple[date, date] | None:
    return ops.check_cases(store, [case_id])[0].period


def test_problem_names_the_case_missing_short_and_not_over(setup: Setup) -> None:
    s, (a, b, c, _) = setup.store, setup.cases
    assert _problem(s, a, date(2025, 10, 20)) == "王建国：没有公示记录，推荐前须公示不少于 5 个工作日"
    assert _period(s, a) is None
    ops.create_publicity(s, [a], date(2025, 9, 29), "单位公示栏", end=date(2025, 10, 9))
    assert _problem(s, a, date(2025, 10, 20)) == (
        "王建国：公示期 2025-09-29 至 2025-10-09 只有 3 个工作日，不足 5 个工作日，至少应到 2025-10-11"
    )
    ops.create_publicity(s, [a, b], date(2025, 10, 13), "单位公示栏")
    assert _period(s, b) == (date(2025, 10, 13), date(2025, 10, 17))
    assert _problem(s, b, date(2025, 10, 17)) == (
        "李芳：公示期 2025-10-13 至 2025-10-17 尚未结束（今天是 2025-10-17），公示期满后才能推荐送审"
    )
    assert _problem(s, b, date(2025, 10, 18)) is None
    # the long-enough publicity speaks for 王建国, not the short one before it
    assert _problem(s, a, date(2025, 10, 18)) is None
    assert _period(s, a) == (date(2025, 10, 13), date(2025, 10, 17))
    checks = {r.case.id: r for r in ops.check_cases(s, today=date(2025, 10, 18))}
    assert set(checks) == {a, b, c, setup.other_plan_case}  # the passed cases
    assert checks[a].to_json()["ok"] and checks[a].workdays == 5
    assert checks[c].problem.startswith("张伟：没有公示记录")
    assert checks[c].to_json()["start"] is None


def test_a_complete_earlier_publicity_beats_a_later_one_still_running(setup: Setup) -> None:
    s, a = setup.store, setup.cases[0]
    ops.create_publicity(s, [a], date(2025, 11, 3), "单位公示栏")
    ops.create_publicity(s, [a], date(2025, 11, 17), "单位内网")
    assert _problem(s, a, date(2025, 11, 18)) is None
    assert _problem(s, a, date(2025, 11, 5)) is not None


def test_objections_are_kept_per_case(setup: Setup) -> None:
    s, (a, b, *_) = setup.store, setup.cases
    v = ops.create_publicity(s, [a, b], date(2025, 11, 3), "单位公示栏").publicity
    assert v.objection(a) == "公示期间无异议"
    v = ops.record_objections(s, v.id, [b], "收到一件实名异议，经核实为误解，已书面答复")
    assert v.objection(a) == "公示期间无异议"
    assert v.objection(b) == "收到一件实名异议，经核实为误解，已书面答复"
    with pytest.raises(NotFoundError, match="不在公示"):
        ops.record_objections(s, v.id, [setup.cases[2]], "x")
    with pytest.raises(NotFoundError, match="没有编号为 99 的公示"):
        ops.get_publicity(s, 99)


def test_dispatch_shows_the_period_and_warns_at_sending(setup: Setup) -> None:
    s, (a, b, *_) = setup.store, setup.cases
    ops.create_publicity(s, [a], date(2025, 11, 3), "单位公示栏")
    rows = {r.case.id: r for r in dispatch_rows(s, [a, b], today=date(2025, 11, 5))}
    assert rows[a].publicity == "2025-11-03 至 2025-11-07"
    assert rows[a].warnings == [
        "王建国：公示期 2025-11-03 至 2025-11-07 尚未结束（今天是 2025-11-05），公示期满后才能推荐送审"
    ]
    assert rows[b].publicity is None and rows[b].warnings[0].startswith("李芳：没有公示记录")
    assert dispatch_rows(s, [a], today=date(2025, 11, 10))[0].warnings == []
    for slot in Slot:
        s.add_attachment(a, slot, f"{slot.value}".encode(), "jpg", f"{slot.value}.jpg", "ok", revision=1)
    with pytest.raises(RuleError, match="王建国：公示期 2025-11-03 至 2025-11-07 尚未结束"):
        send_cases(s, [a], today=date(2025, 11, 5))
    assert send_cases(s, [a], today=date(2025, 11, 5), accept_warnings=True).message == "已送审 1 人"


def test_candidates_are_the_plans_publishable_people_with_one_plan_ticked(setup: Setup) -> None:
    one = ops.candidates(setup.store, setup.cases[:2])
    assert [c.name for c in one.cases] == ["王建国", "李芳", "张伟"]  # 赵敏 was returned: not offered
    assert one.checked == set(setup.cases[:2]) and one.note is None
    both = ops.candidates(setup.store, [setup.other_plan_case, *setup.cases[:2]])
    assert both.checked == set(setup.cases[:2])  # the plan most of them are in
    assert both.note is not None and "2 个评审计划" in both.note and "另行公示" in both.note
