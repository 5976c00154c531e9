"""zcws forms and zcws account-form, as a script would call them."""

from __future__ import annotations

import json
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from app.cli import main
from app.core.review import Status
from app.forms import COMBINED_NAME
from app.store import Store


def _text(pdf: Path) -> str:
    doc = pdfium.PdfDocument(pdf)
    try:
        return "".join(p.get_textpage().get_text_range() for p in doc)
    finally:
        doc.close()


def test_forms_json_prints_the_spec_shape(demo_store: Store, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    case = demo_store.cases(status=Status.PASSED)[0]
    code = main(
        ["forms", "--case", str(case.id), "--out", str(tmp_path / "out"), "--json", "--db", str(demo_store.path)]
    )
    assert code == 0
    rows = json.loads(capsys.readouterr().out)
    assert [set(r) for r in rows] == [{"case_id", "form", "path", "revision"}] * 2
    assert [(r["case_id"], r["form"], r["revision"]) for r in rows] == [
        (case.id, "opinion", case.revision), (case.id, "appraisal", case.revision)]  # fmt: skip
    assert all(Path(r["path"]).is_file() for r in rows)


def test_forms_all_with_combined(demo_store: Store, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    code = main(
        ["forms", "--all", "--out", str(tmp_path), "--combined", "--form", "opinion", "--db", str(demo_store.path)]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "已生成" in out and COMBINED_NAME in out
    passed = demo_store.cases(status=Status.PASSED)
    assert len(list(tmp_path.glob("*单位审核意见表.pdf"))) == len(passed)
    assert (tmp_path / COMBINED_NAME).is_file()


def test_forms_of_an_unknown_case_fail_with_one_line(
    demo_store: Store, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    assert main(["forms", "--case", "9999", "--out", str(tmp_path), "--db", str(demo_store.path)]) == 1
    err = capsys.readouterr().err
    assert "9999" in err and err.count("\n") == 1


def test_account_form_names_where_to_submit(demo_store: Store, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "开户.pdf"
    assert main(["account-form", "--out", str(out), "--db", str(demo_store.path)]) == 0
    text = "".join(_text(out).split())
    unit = demo_store.units()[0]
    assert "黄石市职称评审信息系统用户开户申请表" in text
    assert unit["name"] in text and unit["credit_code"] in text and unit["manager_id_number"] in text
    assert "黄石市人社局职改部门" in text


def test_account_form_of_a_county_private_enterprise_goes_to_the_county(store: Store, tmp_path: Path) -> None:
    from app.core.ids import credit_check_char, id_check_char

    first17 = "91420281MA4ABCDE1"
    person = "42028119850312001"
    store.add_unit(name="大冶市某某机械有限公司", credit_code=first17 + credit_check_char(first17), kind="private",
                   region="大冶市", manager_name="李某", manager_id_number=person + id_check_char(person),
                   manager_phone="0714-8722222")  # fmt: skip
    assert main(["account-form", "--out", str(tmp_path), "--db", str(store.path)]) == 0
    (pdf,) = tmp_path.glob("*.pdf")
    assert "大冶市人社局职改部门" in "".join(_text(pdf).split())


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("credit_code", "91420200MA48BCDE1", "统一社会信用代码"), ("manager_id_number", "420202199001011234", "校验位")],
)
def test_account_form_refuses_invalid_codes(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture, field: str, value: str, message: str
) -> None:
    from app.ops.demo import fictional_credit_code

    fields = {"name": "某单位", "credit_code": fictional_credit_code(), "kind": "city_owned", "region": "黄石港区",
              "manager_name": "陈某", "manager_id_number": "42020219900101001X", "manager_phone": "13872000000"}  # fmt: skip
    fields[field] = value
    store.add_unit(**fields)
    assert main(["account-form", "--out", str(tmp_path / "a.pdf"), "--db", str(store.path)]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "a.pdf").exists()


def test_account_form_without_a_unit(store: Store, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["account-form", "--out", str(tmp_path / "a.pdf"), "--db", str(store.path)]) == 1
    assert "单位" in capsys.readouterr().err
