"""The unit (单位): viewed and edited through app.ops.units, by both faces."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from app.core.errors import NotFoundError, UsageError
from app.core.ids import credit_check_char, id_check_char
from app.core.units import Manager, Unit, UnitKind
from app.ops.forms import render_account_form
from app.ops.units import check_fields, edit_unit, get_unit, save_unit, unit_fields, unit_from_fields, unit_info
from app.store import Store

CREDIT17 = "91420281MA4ABCDE1"
CREDIT = CREDIT17 + credit_check_char(CREDIT17)
# the same code with a wrong check character: accepted with a warning
CREDIT_BAD_CHECK = CREDIT17 + ("0" if CREDIT[-1] != "0" else "1")
PERSON17 = "42028119850312001"
PERSON = PERSON17 + id_check_char(PERSON17)
TODAY = date(2025, 10, 1)


def _unit(**changes: object) -> Unit:
    unit = Unit("大冶市某某机械有限公司", CREDIT, UnitKind.private, "大冶市", Manager("李某", PERSON, "0714-8722222"))
    return dataclasses.replace(unit, **changes)


def _rows(store: Store) -> list[dict]:
    return store.query("SELECT * FROM units ORDER BY id")


def test_a_new_store_has_no_unit(store: Store) -> None:
    assert get_unit(store) is None
    assert unit_info(store) is None


def test_save_then_get_round_trips_and_names_who_creates_the_account(store: Store) -> None:
    result = save_unit(store, _unit(), today=TODAY)
    assert result.warnings == []
    assert result.authority.name == "大冶市人社局职改部门"
    assert get_unit(store) == _unit()
    assert get_unit(store, result.unit_id) == _unit()


def test_saving_again_edits_the_same_unit(store: Store) -> None:
    first = save_unit(store, _unit(), today=TODAY)
    second = save_unit(store, _unit(kind=UnitKind.city_owned, region="下陆区", parent="黄石市国资委"), today=TODAY)
    assert second.unit_id == first.unit_id
    assert len(_rows(store)) == 1
    assert second.authority.name == "黄石市人社局职改部门"
    assert get_unit(store) == _unit(kind=UnitKind.city_owned, region="下陆区", parent="黄石市国资委")


def test_input_is_normalized_before_it_is_stored(store: Store) -> None:
    # full-width characters and spaces, as a Chinese input method may leave them
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in CREDIT.lower())
    save_unit(store, _unit(name=" 某公司 ", credit_code=full_width, manager=Manager(" 李某 ", PERSON[:-1] + " " +
              PERSON[-1].lower(), " 13872000000 "), parent="  "), today=TODAY)  # fmt: skip
    row = _rows(store)[0]
    assert (row["name"], row["credit_code"], row["manager_id_number"]) == ("某公司", CREDIT, PERSON)
    assert (row["manager_name"], row["manager_phone"], row["parent_name"]) == ("李某", "13872000000", None)


def test_a_credit_code_wrong_only_in_its_check_character_is_saved_with_a_warning(store: Store) -> None:
    result = save_unit(store, _unit(credit_code=CREDIT_BAD_CHECK), today=TODAY)
    assert len(result.warnings) == 1 and "校验位" in result.warnings[0]
    assert _rows(store)[0]["credit_code"] == CREDIT_BAD_CHECK
    assert unit_info(store, today=TODAY).warnings == result.warnings


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"credit_code": "91420281MA4ABCDE"}, "统一社会信用代码应为18位"),
        ({"credit_code": "91420281MA4ABCDEI" + "1"}, "统一社会信用代码第17位"),
        ({"manager": Manager("李某", PERSON[:-1] + ("0" if PERSON[-1] != "0" else "1"), "13872000000")}, "管理人员证件号码校验位"),
        ({"manager": Manager("", PERSON, "13872000000")}, "管理人员姓名不能为空"),
        ({"manager": Manager("李某", PERSON, "12345")}, "管理人员联系电话"),
        ({"name": "  "}, "单位名称不能为空"),
        ({"region": "武汉市"}, "注册地区"),
        ({"parent": "大冶市某某机械有限公司"}, "上级单位不能是本单位"),
    ],
)  # fmt: skip
def test_a_blocking_problem_names_the_field_and_writes_nothing(store: Store, changes: dict, named: str) -> None:
    save_unit(store, _unit(), today=TODAY)
    before = _rows(store)
    with pytest.raises(UsageError) as err:
        save_unit(store, _unit(**changes), today=TODAY)
    assert named in err.value.message
    assert _rows(store) == before


def test_nothing_is_written_to_an_empty_store_on_error(store: Store) -> None:
    with pytest.raises(UsageError):
        save_unit(store, _unit(credit_code="x"), today=TODAY)
    assert _rows(store) == []


def test_an_unknown_unit_id_is_not_found(store: Store) -> None:
    save_unit(store, _unit(), today=TODAY)
    with pytest.raises(NotFoundError, match="99"):
        get_unit(store, 99)
    with pytest.raises(NotFoundError, match="99"):
        save_unit(store, _unit(), 99, today=TODAY)


def test_a_parent_that_is_a_unit_of_the_store_is_linked(store: Store) -> None:
    own = save_unit(store, _unit(), today=TODAY).unit_id
    parent = store.add_unit(name="黄石市国资委", credit_code="x", kind="city_department", region="黄石港区",
                            manager_name="王某", manager_id_number="x", manager_phone="x")  # fmt: skip
    assert save_unit(store, _unit(parent="黄石市国资委"), today=TODAY).unit_id == own
    assert _rows(store)[0]["parent_id"] == parent
    save_unit(store, _unit(parent="别的上级"), today=TODAY)
    assert _rows(store)[0]["parent_id"] is None and get_unit(store).parent == "别的上级"
    # a unit linked only by parent_id (Store.add_unit) shows its parent's name
    child = store.add_unit(name="下属公司", credit_code=CREDIT, kind="private", region="大冶市", manager_name="赵某",
                           manager_id_number=PERSON, manager_phone="13872000000", parent_id=own)  # fmt: skip
    assert get_unit(store, child).parent == "大冶市某某机械有限公司"


def test_unit_info_of_stored_bad_data_says_what_is_wrong(store: Store) -> None:
    store.add_unit(name="某单位", credit_code="x", kind="市直属企事业单位", region="黄石港区", manager_name="王某",
                   manager_id_number="420202199001011234", manager_phone="13872000000")  # fmt: skip
    info = unit_info(store, today=TODAY)
    assert info is not None and info.problem is not None and "统一社会信用代码" in info.problem
    assert info.authority is not None and info.authority.name == "黄石市人社局职改部门"
    shown = info.to_json()
    assert shown["manager"]["id_number"] == "420202********1234"
    assert shown["kind"] == "city_owned" and shown["kind_label"] == "市直属企事业单位"


def test_edit_unit_changes_only_the_given_fields() -> None:
    edited = edit_unit(_unit(parent="某上级"), {"name": "新名称", "credit_code": None, "parent": ""})
    assert edited == _unit(name="新名称")
    assert edit_unit(_unit(), {"kind": "市直行业主管部门"}).kind is UnitKind.city_department


def test_edit_unit_without_a_stored_unit_lists_what_is_missing() -> None:
    with pytest.raises(UsageError) as err:
        edit_unit(None, {"name": "某单位", "region": "大冶市"})
    assert "统一社会信用代码" in err.value.message and "单位名称" not in err.value.message
    assert "上级单位" not in err.value.message


def test_fields_round_trip_and_an_empty_kind_is_refused() -> None:
    assert unit_from_fields(unit_fields(_unit(parent="某上级"))) == _unit(parent="某上级")
    with pytest.raises(UsageError, match="请选择单位类型"):
        unit_from_fields(unit_fields(None))


def test_check_fields_say_what_each_field_is_worth() -> None:
    good = check_fields(unit_fields(_unit()), TODAY)
    assert {k: c.level for k, c in good.items()} == {"credit_code": "ok", "manager_id_number": "ok"}
    values = unit_fields(_unit(credit_code=CREDIT_BAD_CHECK))
    values.update(manager_phone="123", manager_id_number=PERSON[:10], kind="", region="")
    checks = check_fields(values, TODAY)
    assert checks["credit_code"].level == "warning"
    assert {k for k, c in checks.items() if c.level == "error"} == {"manager_phone", "manager_id_number", "kind",
                                                                    "region"}  # fmt: skip
    assert "18位" in checks["manager_id_number"].message


def _pdf_text(path: Path) -> str:
    doc = pdfium.PdfDocument(path)
    try:
        return "".join("".join(p.get_textpage().get_text_range().split()) for p in doc)
    finally:
        doc.close()


def test_the_account_form_shows_the_edited_unit(demo_store: Store, tmp_path: Path) -> None:
    edited = edit_unit(get_unit(demo_store), {"name": "黄石市某某改名后的公司", "kind": "private", "region": "阳新县",
                                              "parent": "黄石市某某集团"})  # fmt: skip
    save_unit(demo_store, edited)
    text = _pdf_text(render_account_form(demo_store, tmp_path / "a.pdf", today=TODAY))
    assert "黄石市某某改名后的公司" in text and "黄石市某某集团" in text
    assert "阳新县人社局职改部门" in text and "非公企业" in text
