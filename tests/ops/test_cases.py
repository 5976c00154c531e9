from datetime import date, datetime, timedelta

import pytest

from app.core.errors import RuleError, UsageError
from app.core.review import Module, ModuleMark, ReviewResult, Status
from app.core.urgency import Urgency
from app.ops.cases import change_case, list_cases, resubmit_case, review_case, show_case
from app.ops.demo import load_demo
from app.store import Store


def _pending(store: Store, urgency: Urgency = Urgency.NORMAL) -> int:
    return next(r.case.id for r in list_cases(store, status=Status.PENDING) if r.urgency is urgency)


def test_demo_has_every_status_and_urgency(demo_store: Store) -> None:
    rows = list_cases(demo_store)
    assert len(rows) >= 40
    assert {r.case.status for r in rows} == set(Status)
    assert {r.urgency for r in rows} == set(Urgency)
    tables = [c.modules["achievements"] for c in demo_store.cases()]
    assert any(t["专利信息"] for t in tables) and any(not t["著作信息"] for t in tables)


def test_demo_is_deterministic(tmp_path) -> None:
    names = []
    for i in range(2):
        with Store(tmp_path / f"{i}.sqlite3") as s:
            load_demo(s, seed=7, today=date(2026, 3, 1))
            names.append([(c.name, c.id_number) for c in s.cases()])
    assert names[0] == names[1]


def test_return_then_resubmit_raises_the_revision_and_requeues(demo_store: Store) -> None:
    case_id = _pending(demo_store)
    outcome = review_case(demo_store, case_id, ReviewResult.RETURN, "请修改",
                          [ModuleMark(Module.BASIC, True, "移动电话有误")])  # fmt: skip
    assert outcome.message == "审核退回成功"
    assert outcome.case.status is Status.RETURNED
    assert outcome.case.returned == {Module.BASIC: "移动电话有误"}
    with pytest.raises(RuleError, match="学习信息模块，该模块未被退回"):
        resubmit_case(demo_store, case_id, {"study": {}})
    assert demo_store.case(case_id).revision == 1  # the refused change wrote nothing
    case = resubmit_case(demo_store, case_id, {"移动电话": "13900001111"})
    assert case.status is Status.PENDING and case.revision == 2 and case.returned == {}
    assert case.modules["basic"]["移动电话"] == "13900001111"
    assert "重新提交" in demo_store.revisions(case_id)[-1].reason


def test_a_mistaken_pass_becomes_a_return_and_both_stay_in_history(demo_store: Store) -> None:
    case_id = _pending(demo_store)
    review_case(demo_store, case_id, ReviewResult.PASS, "同意")
    review_case(demo_store, case_id, ReviewResult.RETURN, "看错了", [ModuleMark(Module.WORK, True, "缺验收证明")])
    detail = show_case(demo_store, case_id)
    assert [r.result for r in detail.reviews] == [ReviewResult.PASS, ReviewResult.RETURN]
    assert detail.row.case.status is Status.RETURNED
    assert detail.to_json()["reviews"][1]["returns"] == {"work": "缺验收证明"}


def test_cases_outside_their_window_cannot_be_reviewed(demo_store: Store) -> None:
    for state in (Urgency.NOT_STARTED, Urgency.ENDED):
        case_id = next(r.case.id for r in list_cases(demo_store, status=Status.PENDING, urgency=state))
        with pytest.raises(RuleError, match="收件期"):
            review_case(demo_store, case_id, ReviewResult.PASS, "同意")
        assert demo_store.reviews(case_id) == []


def test_review_on_the_last_day_of_the_window(demo_store: Store) -> None:
    case_id = _pending(demo_store, Urgency.CRITICAL)
    end = show_case(demo_store, case_id).row.plan.window_end
    last_day = datetime.combine(end, datetime.min.time()).replace(hour=17)
    assert review_case(demo_store, case_id, ReviewResult.PASS, "同意", now=last_day).case.status is Status.PASSED
    with pytest.raises(RuleError, match="已于"):
        review_case(demo_store, case_id, ReviewResult.PASS, "同意", now=last_day + timedelta(days=1))


def test_change_of_process_information_raises_revision(demo_store: Store) -> None:
    case_id = _pending(demo_store)
    case = change_case(demo_store, case_id, specialty="给排水工程")
    assert case.revision == 2
    assert "申报专业" in demo_store.revisions(case_id)[-1].reason
    with pytest.raises(UsageError, match="校验位"):
        change_case(demo_store, case_id, id_number="110105194912310021")
    assert change_case(demo_store, case_id, specialty="给排水工程").revision == 2  # no change, no new revision


def test_search_and_filters(demo_store: Store) -> None:
    any_case = demo_store.cases()[5]
    hits = list_cases(demo_store, search=any_case.name)
    assert any_case.id in [r.case.id for r in hits]
    assert all(r.case.status is Status.RETURNED for r in list_cases(demo_store, status=Status.RETURNED))


def test_show_json_masks_the_id_number_unless_full(demo_store: Store) -> None:
    case = demo_store.cases()[0]
    masked = show_case(demo_store, case.id).to_json()
    assert case.id_number not in str(masked)
    assert masked["modules"]["basic"]["证件号码"].count("*") == 8
    assert show_case(demo_store, case.id).to_json(full=True)["modules"]["basic"]["证件号码"] == case.id_number


def test_the_queue_leaves_the_modules_out_but_the_detail_has_them(demo_store: Store) -> None:
    row = list_cases(demo_store)[0]
    assert row.case.modules == {}
    assert show_case(demo_store, row.case.id).row.case.modules["basic"]["姓名"] == row.case.name


def test_a_masked_number_copied_from_the_list_finds_its_case(demo_store: Store) -> None:
    from app.core.ids import mask_id

    case = demo_store.cases()[3]
    hits = list_cases(demo_store, search=mask_id(case.id_number))
    assert case.id in [r.case.id for r in hits]


def test_a_missing_position_is_filled_in_without_a_new_revision_a_changed_one_raises_it(demo_store: Store) -> None:
    from app.ops.cases import set_position

    case = demo_store.cases(status=Status.PENDING)[0]
    demo_store.update_case(case.id, position="")  # imported from the portal's five-column list
    with pytest.raises(UsageError, match="申报职务不能为空"):
        set_position(demo_store, case.id, "  ")
    filled = set_position(demo_store, case.id, " 工程师 ")
    assert filled.position == "工程师" and filled.revision == case.revision  # nothing printed carried another
    changed = set_position(demo_store, case.id, "高级工程师")
    assert changed.position == "高级工程师" and changed.revision == case.revision + 1  # printed on our forms
