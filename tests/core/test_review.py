import pytest

from app.core.errors import RuleError, UsageError
from app.core.review import (
    Module,
    ModuleMark,
    ReviewResult,
    Status,
    apply_corrections,
    changed_items,
    check_reviewable,
    decide,
)
from app.core.urgency import Urgency


def test_opinion_is_required_for_every_result() -> None:
    for result in ReviewResult:
        with pytest.raises(RuleError, match="请填写审核意见"):
            decide(result, "   ")


def test_return_needs_a_module_marked_yes_with_a_reason() -> None:
    with pytest.raises(RuleError, match="至少要将一个模块"):
        decide(ReviewResult.RETURN, "请修改", [ModuleMark(Module.BASIC, False, "")])


def test_module_marked_yes_without_reason_is_named() -> None:
    marks = [ModuleMark(Module.BASIC, True, "电话有误"), ModuleMark(Module.ACHIEVEMENTS, True, "  ")]
    with pytest.raises(RuleError) as err:
        decide(ReviewResult.RETURN, "请修改", marks)
    assert "业绩成果" in err.value.message
    assert "基本信息" not in err.value.message


def test_only_modules_marked_yes_become_returns() -> None:
    d = decide(
        ReviewResult.RETURN,
        "请修改",
        [ModuleMark(Module.STUDY, True, " 缺继续教育证明 "), ModuleMark(Module.WORK, False, "ignored")],
    )
    assert d.returns == {Module.STUDY: "缺继续教育证明"}


def test_marks_with_a_pass_are_ignored() -> None:
    assert decide(ReviewResult.PASS, "同意", [ModuleMark(Module.BASIC, True, "x")]).returns == {}


@pytest.mark.parametrize("state", [Urgency.NOT_STARTED, Urgency.ENDED])
def test_closed_windows_cannot_be_reviewed(state: Urgency) -> None:
    with pytest.raises(RuleError, match="不能审核"):
        check_reviewable(Status.PENDING, state, None)


def test_passed_case_may_be_reviewed_again_until_dispatched() -> None:
    check_reviewable(Status.PASSED, Urgency.CRITICAL, None)
    with pytest.raises(RuleError, match="已送审"):
        check_reviewable(Status.DISPATCHED, Urgency.NORMAL, None)


def test_corrections_only_in_returned_modules() -> None:
    modules = {"basic": {"移动电话": "1", "民族": "汉族"}, "study": {"学历信息": []}}
    new = apply_corrections(modules, {Module.BASIC: "电话"}, {"移动电话": "13900000000", "basic.民族": "回族"})
    assert new["basic"] == {"移动电话": "13900000000", "民族": "回族"}
    assert modules["basic"]["移动电话"] == "1"  # the input is not changed
    with pytest.raises(RuleError, match="学习信息模块，该模块未被退回"):
        apply_corrections(modules, {Module.BASIC: "电话"}, {"study": {"学历信息": [["x"]]}})


def test_unknown_field_or_module_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="没有“鞋码”"):
        apply_corrections({}, {Module.BASIC: "x"}, {"basic.鞋码": "42"})
    with pytest.raises(UsageError, match="未知的模块"):
        Module.parse("hobbies")


def test_module_parse_accepts_key_and_label() -> None:
    assert Module.parse("业绩成果") is Module.ACHIEVEMENTS
    assert Module.parse("attachments") is Module.ATTACHMENTS


def test_a_table_takes_rows_of_its_columns_only() -> None:
    modules = {"study": {"继续教育": [["2023", "72", "公需科目", "是"]]}}
    returned = {Module.STUDY: "缺2024年学时"}
    rows = [["2023", "72", "公需科目", "是"], ["2024", 90, "专业科目", "是"]]
    new = apply_corrections(modules, returned, {"study.继续教育": rows})
    assert new["study"]["继续教育"][1] == ["2024", "90", "专业科目", "是"]
    with pytest.raises(UsageError, match="是一张表"):
        apply_corrections(modules, returned, {"study.继续教育": "x"})  # a table never becomes a string
    with pytest.raises(UsageError, match="第 1 行有 1 项"):
        apply_corrections(modules, returned, {"study.继续教育": [["2024"]]})
    with pytest.raises(UsageError, match="没有“爱好”这张表"):
        apply_corrections(modules, returned, {"study.爱好": []})
    with pytest.raises(UsageError, match="格式不对"):
        apply_corrections(modules, returned, {"study": "x"})
    with pytest.raises(UsageError, match="不是表格"):
        apply_corrections({}, {Module.BASIC: "x"}, {"移动电话": [["1"]]})


def test_changed_items_name_fields_and_tables_as_the_officer_knows_them() -> None:
    old = {"basic": {"移动电话": "1", "民族": "汉族"}, "study": {"继续教育": [["2023", "72", "公需", "是"]]}}
    new = {"basic": {"移动电话": "2", "民族": "汉族", "外语程度": ""}, "study": {"继续教育": []}}
    assert changed_items(old, new) == ["移动电话", "继续教育"]
    assert changed_items(old, old) == []


def test_a_missing_reason_names_its_modules_by_key_for_the_faces() -> None:
    marks = [
        ModuleMark(Module.BASIC, True, ""),
        ModuleMark(Module.WORK, True, "补充"),
        ModuleMark(Module.STUDY, True, " "),
    ]
    with pytest.raises(RuleError) as caught:
        decide(ReviewResult.RETURN, "请修改", marks)
    assert caught.value.at == ("basic", "study")
    assert caught.value.message.startswith("基本信息、学习信息：")
