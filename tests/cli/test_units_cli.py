"""zcws unit and zcws unit set, as an officer or a script calls them."""

from __future__ import annotations

import json
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from app.cli import main
from app.core.ids import credit_check_char, id_check_char, mask_id
from app.store import Store

CREDIT17 = "12420200MB0012345"
CREDIT = CREDIT17 + credit_check_char(CREDIT17)
PERSON17 = "42020219800101002"
PERSON = PERSON17 + id_check_char(PERSON17)
FULL = ["--name", "黄石市某某医院", "--credit-code", CREDIT, "--kind", "city_owned", "--region", "黄石港区",
        "--manager-name", "陈某", "--manager-id", PERSON, "--manager-phone", "13872000000"]  # fmt: skip


def _run(store: Store, *args: str) -> int:
    return main(["unit", *args, "--db", str(store.path)])


def test_unit_without_a_registered_unit_says_how_to_register(store: Store, capsys: pytest.CaptureFixture) -> None:
    assert _run(store) == 0
    assert "zcws unit set" in capsys.readouterr().err


def test_first_set_needs_every_field_and_writes_nothing_otherwise(store: Store, capsys: pytest.CaptureFixture) -> None:
    assert _run(store, "set", "--name", "黄石市某某医院") == 2
    err = capsys.readouterr().err
    assert "统一社会信用代码" in err and "管理人员身份证号码" in err and err.count("\n") == 1
    assert store.units() == []


def test_set_then_show_masks_the_manager_id_and_names_the_creator(store: Store, capsys: pytest.CaptureFixture) -> None:
    assert _run(store, "set", *FULL) == 0
    out = capsys.readouterr().out
    assert "单位信息已保存" in out and "账号由黄石市人社局职改部门创建" in out
    assert PERSON not in out and mask_id(PERSON) in out
    assert _run(store, "--json") == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["name"] == "黄石市某某医院" and shown["kind"] == "city_owned" and shown["parent"] is None
    assert shown["manager"] == {"name": "陈某", "id_number": mask_id(PERSON), "phone": "13872000000"}
    assert shown["account_creator"]["name"] == "黄石市人社局职改部门"


def test_set_changes_only_the_given_fields(store: Store, capsys: pytest.CaptureFixture) -> None:
    assert _run(store, "set", *FULL) == 0
    capsys.readouterr()
    assert _run(store, "set", "--kind", "非公企业", "--region", "阳新县", "--parent", "某集团", "--json") == 0
    shown = json.loads(capsys.readouterr().out)
    assert (shown["name"], shown["kind"], shown["region"], shown["parent"]) == ("黄石市某某医院", "private", "阳新县",
                                                                                "某集团")  # fmt: skip
    assert shown["account_creator"]["name"] == "阳新县人社局职改部门"
    assert _run(store, "set", "--parent", "") == 0
    assert "上级单位：无" in capsys.readouterr().out


def test_a_bad_field_is_one_line_exit_2_and_nothing_changes(store: Store, capsys: pytest.CaptureFixture) -> None:
    assert _run(store, "set", *FULL) == 0
    before = store.units()
    capsys.readouterr()
    assert _run(store, "set", "--manager-id", PERSON[:-1] + ("0" if PERSON[-1] != "0" else "1")) == 2
    err = capsys.readouterr().err
    assert "管理人员证件号码校验位错误" in err and err.count("\n") == 1 and "Traceback" not in err
    assert _run(store, "set", "--kind", "外资企业") == 2
    assert "未知的单位类型" in capsys.readouterr().err
    assert store.units() == before


def test_a_credit_code_wrong_only_in_its_check_character_is_saved_with_a_reminder(
    store: Store, capsys: pytest.CaptureFixture
) -> None:
    wrong = CREDIT17 + ("0" if CREDIT[-1] != "0" else "1")
    assert _run(store, "set", *FULL, "--credit-code", wrong) == 0
    assert "提醒：统一社会信用代码校验位不符" in capsys.readouterr().out
    assert store.units()[0]["credit_code"] == wrong


def test_fields_without_set_are_a_usage_error(store: Store, capsys: pytest.CaptureFixture) -> None:
    assert _run(store, "--name", "某单位") == 2
    assert "zcws unit set --name" in capsys.readouterr().err


def test_set_without_fields_is_a_usage_error(store: Store, capsys: pytest.CaptureFixture) -> None:
    assert _run(store, "set") == 2
    assert "没有给出要修改的单位信息" in capsys.readouterr().err


def test_account_form_follows_an_edit(demo_store: Store, tmp_path: Path) -> None:
    assert _run(demo_store, "set", "--name", "黄石市某某改名公司", "--kind", "private", "--region", "大冶市") == 0
    out = tmp_path / "开户.pdf"
    assert main(["account-form", "--out", str(out), "--db", str(demo_store.path)]) == 0
    doc = pdfium.PdfDocument(out)
    try:
        text = "".join("".join(p.get_textpage().get_text_range().split()) for p in doc)
    finally:
        doc.close()
    assert "黄石市某某改名公司" in text and "大冶市人社局职改部门" in text
