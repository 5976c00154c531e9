"""zcws blanks import | list | print, with the SPEC's JSON."""

from __future__ import annotations

import json

import pypdfium2 as pdfium
import pytest

from app.cli import main
from app.core.models import Slot
from tests.blanks.conftest import Office


def run(capsys: pytest.CaptureFixture[str], office: Office, *args: str) -> tuple[int, str, str]:
    code = main([*args, "--db", str(office.store.path)])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_import_list_print(office: Office, capsys: pytest.CaptureFixture[str], tmp_path) -> None:
    a, _ = office.download("张伟", Slot.APPRAISAL, "考核表.pdf")
    o, _ = office.download("张伟", Slot.OPINION, "单位审核意见表.pdf")
    unsure, _ = office.download("王芳", Slot.OPINION, "单位审核意见表(2).pdf", text_layer=False)
    code, out, _ = run(capsys, office, "blanks", "import", str(a), str(o), str(unsure), "--json")
    data = json.loads(out)
    assert code == 0 and set(data) == {"imported", "unmatched"}
    assert [set(i) for i in data["imported"]] == [{"file", "page", "case_id", "slot", "status"}] * 2
    assert [i["status"] for i in data["imported"]] == ["new", "new"]
    assert [set(u) for u in data["unmatched"]] == [{"file", "page", "reason"}]
    code, out, _ = run(capsys, office, "blanks", "import", str(unsure), "--case", str(office.ids["王芳"]),
                       "--slot", "opinion")  # fmt: skip
    assert code == 0 and "王芳" in out and "单位审核意见表" in out
    code, out, _ = run(capsys, office, "blanks", "list", "--json")
    listed = json.loads(out)
    assert {c["name"] for c in listed} == {"张伟", "王芳"}
    assert listed[0]["slots"]["appraisal"][0]["current"] is True
    assert "*" in listed[0]["id_number"]
    target = tmp_path / "print.pdf"
    code, out, _ = run(capsys, office, "blanks", "print", "--all", "--out", str(target))
    assert code == 0 and len(pdfium.PdfDocument(target)) == 3 and "李娜" in out  # 李娜 has none yet


def test_print_with_nothing_brought_in_is_a_clear_error(office: Office, capsys, tmp_path) -> None:
    code, _, err = run(capsys, office, "blanks", "print", "--case", str(office.ids["李娜"]), "--out",
                       str(tmp_path / "x.pdf"))  # fmt: skip
    assert code == 1 and "还没有导入" in err and not (tmp_path / "x.pdf").exists()
