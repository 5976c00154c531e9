"""Every command of the SPEC's table, in a real process on a fresh data folder, against its JSON shape and exit code.

0 success, 2 usage error, 1 other failure; on failure exactly one Chinese line on
stderr and never a traceback. ``check`` exits 0 whatever its verdicts.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pypdfium2 as pdfium
import pytest
import qrcode
import zxingcpp
from PIL import Image, ImageDraw

from app.core.ids import id_check_char

ROOT = Path(__file__).resolve().parents[2]
CASE_KEYS = {"id", "name", "id_number", "plan", "series", "specialty", "status", "urgency", "revision"}
CHECK_KEYS = {"file", "page", "verdict", "case_id", "form", "revision", "message", "fix", "upload_path"}
MASKED = re.compile(r"^\d{6}\*{8}[\dX]{4}$")
HAN = re.compile(r"[\u4e00-\u9fff]")


class Zcws:
    def __init__(self, home: Path, db: Path) -> None:
        self.home, self.db = home, db

    def __call__(self, *args: str, expect: int = 0, db: bool = True) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "ZCWS_HOME": str(self.home), "PYTHONIOENCODING": "utf-8"}
        argv = [sys.executable, "-m", "app", *args, *(("--db", str(self.db)) if db else ())]
        r = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, env=env, timeout=120, encoding="utf-8")
        assert "Traceback" not in r.stderr and "内部错误" not in r.stderr, r.stderr
        assert r.returncode == expect, f"{args}: exit {r.returncode}, stderr: {r.stderr}"
        if expect:
            lines = r.stderr.strip().splitlines()
            assert len(lines) == 1 and HAN.search(lines[0]), r.stderr
        return r

    def json(self, *args: str) -> object:
        return json.loads(self(*args, "--json").stdout)


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("contract")
    r = Zcws(home, home / "x")("demo", db=False)
    assert "42 个办件" in r.stdout and "--db" in r.stdout  # and says where the demo is kept
    return home


@pytest.fixture
def z(demo_home: Path, tmp_path: Path) -> Zcws:
    """A copy of the demo store per test (the database file and the attachments beside it)."""
    shutil.copytree(demo_home / "demo", tmp_path / "demo")
    return Zcws(tmp_path / "home", tmp_path / "demo" / "zcws.sqlite3")


def _first(z: Zcws, status: str, urgency: str = "critical") -> int:
    rows = z.json("cases", "--status", status, "--urgency", urgency)
    return rows[0]["id"]


def _raster(pdf: Path, dpi: int = 200) -> Image.Image:
    doc = pdfium.PdfDocument(pdf)
    try:
        return doc[0].render(scale=dpi / 72).to_pil().convert("RGB")
    finally:
        doc.close()


def _forms(z: Zcws, case_id: int, out: Path) -> dict[str, Path]:
    made = z.json("forms", "--case", str(case_id), "--out", str(out))
    assert all(set(f) == {"case_id", "form", "path", "revision"} for f in made)
    scans = {}
    for f in made:
        image = out / f"{f['form']}.png"
        _raster(Path(f["path"])).save(image)
        scans[f["form"]] = image
    return scans


def test_cases_lists_filters_and_masks(z: Zcws) -> None:
    rows = z.json("cases")
    assert len(rows) == 42 and all(CASE_KEYS <= set(r) for r in rows)
    assert all(MASKED.match(r["id_number"]) for r in rows)
    full = z.json("cases", "--full")
    assert all(len(r["id_number"]) == 18 and "*" not in r["id_number"] for r in full)
    statuses = {r["status"] for r in rows}
    assert statuses == {"pending", "passed", "returned", "unqualified", "terminated", "dispatched"}
    for status in statuses:
        assert {r["status"] for r in z.json("cases", "--status", status)} == {status}
    assert z.json("cases", "--status", "审核通过") == z.json("cases", "--status", "passed")
    for urgency in ("not_started", "normal", "urgent", "critical", "ended"):
        found = z.json("cases", "--urgency", urgency)
        assert found and {r["urgency"] for r in found} == {urgency}
    one = rows[5]
    assert [r["id"] for r in z.json("cases", "--search", one["name"])] == [one["id"]]
    assert z.json("cases", "--search", "没有这个人") == []
    z("cases", "--status", "bogus", expect=2)
    z("cases", "--urgency", "soon", expect=2)


def test_show_and_review_with_every_result(z: Zcws) -> None:
    pending = [r["id"] for r in z.json("cases", "--status", "pending", "--urgency", "critical")]
    shown = z.json("show", str(pending[0]))
    assert CASE_KEYS <= set(shown) and {"modules", "reviews", "attachments"} <= set(shown)
    assert MASKED.match(shown["id_number"])
    for case_id, result, extra in [
        (pending[0], "pass", []),
        (pending[1], "return", ["--return", "basic=移动电话有误", "--return", "学习信息=缺继续教育证明"]),
        (pending[2], "unqualified", []),
        (pending[3], "terminate", []),
    ]:
        r = z("review", str(case_id), "--result", result, "--opinion", "经审核", *extra)
        assert r.stdout.strip()
    returned = z.json("show", str(pending[1]))
    assert returned["status"] == "returned" and set(returned["returned"]) == {"basic", "study"}
    assert z.json("show", str(pending[0]))["reviews"][-1]["result"] == "pass"
    # usage slips and rule refusals
    z("review", str(pending[0]), "--result", "pass", "--opinion", "x", "--return", "basic=y", expect=2)
    z("review", str(pending[0]), "--result", "maybe", "--opinion", "x", expect=2)
    z("review", str(pending[0]), "--result", "return", "--opinion", "x", expect=1)  # no module marked
    z("review", str(pending[0]), "--result", "return", "--opinion", "x", "--return", "basic=", expect=1)
    z("review", str(pending[3]), "--result", "pass", "--opinion", "x", expect=1)  # terminated
    z("review", str(_first(z, "pending", "not_started")), "--result", "pass", "--opinion", "x", expect=1)
    z("show", "99999", expect=1)
    z("show", "abc", expect=2)


def test_resubmit_raises_the_revision_and_keeps_tables_tables(z: Zcws) -> None:
    case_id = _first(z, "pending")
    z("review", str(case_id), "--result", "return", "--opinion", "补充", "--return", "study=缺2024年继续教育")
    before = z.json("show", str(case_id))
    z("resubmit", str(case_id), "--set", "study.继续教育=x", expect=2)  # a table never becomes text
    z("resubmit", str(case_id), "--set", "移动电话=13900000000", expect=1)  # 基本信息 was not returned
    rows = '[["2023", "72", "公需科目", "是"], ["2024", "90", "专业科目", "是"]]'
    z("resubmit", str(case_id), "--set", f"study.继续教育={rows}")
    after = z.json("show", str(case_id))
    assert after["revision"] == before["revision"] + 1 and after["status"] == "pending"
    assert after["modules"]["study"]["继续教育"][1] == ["2024", "90", "专业科目", "是"]
    z("resubmit", str(case_id), expect=1)  # not returned any more


def test_forms_check_sort_attach(z: Zcws, tmp_path: Path) -> None:
    a, b = [r["id"] for r in z.json("cases", "--status", "passed", "--urgency", "critical")][:2]
    made = z.json("forms", "--case", str(a), str(b), "--out", str(tmp_path / "both"))
    assert sorted((f["case_id"], f["form"]) for f in made) == sorted(
        (c, k) for c in (a, b) for k in ("opinion", "appraisal")
    )
    z("forms", "--out", str(tmp_path / "none"), expect=2)
    scans = _forms(z, a, tmp_path / "a")
    other = _forms(z, b, tmp_path / "b")

    pdf = tmp_path / "scan.pdf"
    Image.open(scans["opinion"]).save(pdf, resolution=200)
    results = z.json("check", str(scans["opinion"]), str(pdf))
    assert all(CHECK_KEYS <= set(r) for r in results)
    image, page = results
    assert image["verdict"] == "ok" and image["case_id"] == a and image["form"] == "opinion"
    assert page["verdict"] == "not_image" and page["converted_verdict"] == "ok" and page["converted_path"]
    assert Path(page["upload_path"]).is_file()

    slot = ("--case", str(a), "--slot", "opinion")
    assert [r["verdict"] for r in z.json("check", str(other["opinion"]), *slot)] == ["wrong_person"]
    assert [r["verdict"] for r in z.json("check", str(scans["appraisal"]), *slot)] == ["wrong_form"]
    z("check", str(scans["opinion"]), "--case", str(a), expect=2)

    # a code with one character changed, made by hand with qrcode
    with Image.open(scans["opinion"]) as im:
        text = zxingcpp.read_barcodes(im)[0].text
    changed = text[:-3] + ("A" if text[-3] != "A" else "B") + text[-2:]
    forged = tmp_path / "forged.png"
    qrcode.make(changed, error_correction=qrcode.constants.ERROR_CORRECT_H).save(forged)
    assert [r["verdict"] for r in z.json("check", str(forged))] == ["tampered"]

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name, path in (("意见表.png", scans["opinion"]), ("考核表.png", scans["appraisal"]), ("伪造.png", forged)):
        shutil.copy(path, inbox / name)
    sorted_ = z.json("sort", str(inbox), "--apply")
    assert set(sorted_) == {"placed", "unplaced"}
    assert {(p["case_id"], p["slot"]) for p in sorted_["placed"]} == {(a, "opinion"), (a, "appraisal")}
    assert all({"file", "page", "case_id", "slot", "revision", "verdict"} <= set(p) for p in sorted_["placed"])
    assert [(Path(u["file"]).name, u["verdict"]) for u in sorted_["unplaced"]] == [("伪造.png", "tampered")]
    assert all({"file", "page", "verdict", "message"} <= set(u) for u in sorted_["unplaced"])
    assert {x["slot"] for x in z.json("show", str(a))["attachments"]} == {"opinion", "appraisal"}
    assert "单位审核意见表：意见表.png（可以上传）" in z("show", str(a)).stdout

    z("attach", str(b), "opinion", str(other["opinion"]))
    z("attach", str(b), "opinion", str(scans["opinion"]), expect=1)  # another person's form
    z("attach", str(b), "bogus", str(scans["opinion"]), expect=2)

    # return and resubmit after printing: the old form is stale and says when it was printed
    z("review", str(b), "--result", "return", "--opinion", "改", "--return", "work=缺验收证明")
    z("resubmit", str(b), "--set", 'work.工作业绩=[["2024", "磁湖工程", "技术负责人", "通过验收"]]')
    (stale,) = z.json("check", str(other["appraisal"]), "--case", str(b), "--slot", "appraisal")
    assert stale["verdict"] == "stale" and stale["upload_path"] is None
    assert re.search(r"\d{4}-\d{2}-\d{2} 打印", stale["message"]) and "工作业绩" in stale["message"]
    assert "work." not in stale["message"]  # what changed, in the officer's words


def test_import_xlsx_and_csv(z: Zcws, tmp_path: Path) -> None:
    def idn(first17: str) -> str:
        return first17 + id_check_char(first17)

    header = ["序号", "姓名", "证件号码", "系列", "专业", "申报职务"]
    good = [[1, "张某某", idn("42020219900101000"), "工程技术人员", "水利水电", "工程师"],
            [2, "李某", idn("42020219850505123"), "工程技术人员", "市政工程", "工程师"]]  # fmt: skip
    bad = [[3, "王某", "420202199001010002", "工程技术人员", "市政工程", "工程师"]]
    xlsx = tmp_path / "名单.xlsx"
    wb = openpyxl.Workbook()
    for row in [header, *good, *bad]:
        wb.active.append(row)
    wb.save(xlsx)
    plan = str(z.json("cases", "--urgency", "critical")[0]["plan_id"])
    r = z("import", str(xlsx), "--plan", plan, "--dry-run", expect=1)
    assert "第4行" in r.stdout and "校验位" in r.stdout
    z("import", str(xlsx), "--plan", plan, expect=1)
    assert len(z.json("cases")) == 42  # a sheet with a bad row writes nothing
    path = tmp_path / "名单.csv"
    with path.open("w", newline="", encoding="utf-8-sig") as f:
        csv.writer(f).writerows([header, *good])
    preview = json.loads(z("import", str(path), "--plan", plan, "--json").stdout)
    assert preview["written"] == 2 and not preview["bad_rows"]
    assert len(z.json("cases")) == 44
    z("import", str(tmp_path / "没有.csv"), expect=1)


def test_export_backup_restore(z: Zcws, tmp_path: Path) -> None:
    case_id = _first(z, "passed")
    scans = _forms(z, case_id, tmp_path / "forms")
    z("attach", str(case_id), "opinion", str(scans["opinion"]))
    z("attach", str(case_id), "appraisal", str(scans["appraisal"]))
    blank = tmp_path / "公示证明.png"
    certificate = Image.new("RGB", (1240, 1754), "white")  # made elsewhere: no code of ours
    for y in range(200, 1400, 60):
        ImageDraw.Draw(certificate).line((150, y, 1090, y), fill=(40, 40, 40), width=3)
    certificate.save(blank)
    z("attach", str(case_id), "publicity", str(blank))
    out = tmp_path / "送审包"
    # the forms were scanned as printed, unsigned and unstamped: named, nothing written until confirmed
    r = z("export", "--out", str(out), "--case", str(case_id), expect=1)
    assert "单位考核表是空白表本身，未签字盖章" in r.stderr and "--yes" in r.stderr and not out.exists()
    r = z("export", "--out", str(out), "--case", str(case_id), "--yes")
    assert "提醒" in r.stdout  # no publicity recorded: ready, with a reminder
    done = z.json("export", "--out", str(out), "--case", str(case_id), "--yes")
    (ready,) = done["ready"]
    assert ready["case_id"] == case_id and set(ready["files"]) == {"publicity", "appraisal", "opinion"}
    assert (out / "一览表.xlsx").is_file()
    z("export", "--out", str(scans["opinion"]), expect=2)

    archive = tmp_path / "备份.zip"
    z("backup", str(archive))
    restored = Zcws(z.home, tmp_path / "restored" / "zcws.sqlite3")
    restored("restore", str(archive))
    # the secret travelled with the backup: the restored store still knows its forms
    assert [r["verdict"] for r in restored.json("check", str(scans["opinion"]))] == ["ok"]
    z("restore", str(scans["opinion"]), expect=2)
    z("restore", str(tmp_path / "没有.zip"), expect=1)
    z("cases", "--db", str(tmp_path), db=False, expect=2)  # a folder is not a database


def test_every_help_text_is_chinese(tmp_path: Path) -> None:
    """Options and argument names are English by nature; no sentence of help is."""
    z = Zcws(tmp_path, tmp_path / "x")
    sentence = re.compile(r"\b[a-z]+ [a-z]+ [a-z]+\b")  # three English words in a row: argparse's own text
    commands = ["demo", "cases", "show", "review", "resubmit", "dispatch", "send", "forms", "account-form", "check",
                "sort", "attach", "import", "export", "backup", "restore", "publicity", "unit"]  # fmt: skip
    for args in [["--help"], *([c, "--help"] for c in commands)]:
        text = re.sub(r"zcws[\w .-]*", "", z(*args, db=False).stdout)  # examples of commands are not sentences
        assert "用法" in text and not sentence.search(text), f"{args}: {sentence.search(text)}"
