"""Import from .xlsx and .csv: preview, every bad row named, re-import changes nothing."""

from __future__ import annotations

import random
import sys
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest

from app.cli import main
from app.core.errors import InputError, NotFoundError, StoreError
from app.core.ids import id_check_char
from app.ops.data import apply_import, preview_import
from app.store import Store

SERIES = "工程技术人员"


def new_id(rng: random.Random) -> str:
    birth = date(1975, 1, 1) + timedelta(days=rng.randrange(0, 8000))
    first17 = f"420202{birth:%Y%m%d}{rng.randrange(0, 1000):03d}"
    return first17 + id_check_char(first17)


@pytest.fixture
def plan_store(store: Store) -> Store:
    today = date.today()
    store.add_unit(name="黄石市某某研究院", credit_code="x", kind="市直属企事业单位", region="黄石港区",
                   manager_name="陈某", manager_id_number="x", manager_phone="1")  # fmt: skip
    store.add_plan("关于开展2025年度黄石市工程技术人员职称评审材料申报工作的通知", SERIES, ["水利水电", "建筑工程"],
                   today, today - timedelta(days=3), today + timedelta(days=20))  # fmt: skip
    store.add_plan("关于开展2025年度黄石市卫生技术人员职称评审材料申报工作的通知", "卫生技术人员", ["护理"],
                   today, today - timedelta(days=3), today + timedelta(days=20))  # fmt: skip
    return store


HEADER = ["序号", "姓名", "证件号码", "系列", "专业", "申报职务", "移动电话"]


def good_rows(n: int, seed: int = 1) -> list[list[str]]:
    rng = random.Random(seed)
    names = ["张伟", "李娜", "王芳", "刘洋", "陈静", "杨磊", "赵敏", "黄强"]
    return [[str(i + 1), names[i % len(names)], new_id(rng), SERIES, "水利水电", "工程师", f"1390000{i:04d}"]
            for i in range(n)]  # fmt: skip


@pytest.fixture(params=["calamine", "openpyxl"])
def reader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each .xlsx test twice: read by calamine, and by openpyxl as where calamine's DLL cannot load (wine 8.0)."""
    if request.param == "openpyxl":
        monkeypatch.setitem(sys.modules, "python_calamine", None)  # its import then fails as a missing DLL's does
    return str(request.param)


def write_xlsx(path: Path, rows: list[list[object]], header: list[str] = HEADER, title: str | None = None) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
    sheet.append(header)
    for r in rows:
        sheet.append(r)
    book.save(path)
    return path


def write_csv(path: Path, rows: list[list[str]], encoding: str, header: list[str] = HEADER) -> Path:
    text = "\r\n".join(",".join(r) for r in [header, *rows]) + "\r\n"
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.usefixtures("reader")
def test_xlsx_with_a_title_row_is_previewed_then_written_and_reimport_changes_nothing(
    plan_store: Store, tmp_path: Path
) -> None:
    file = write_xlsx(tmp_path / "名单.xlsx", good_rows(5), title="2025年度职称申报人员一览表")
    preview = preview_import(plan_store, file)
    assert [r.row for r in preview.rows] == [3, 4, 5, 6, 7]  # the file's own row numbers
    assert not preview.bad_rows and not preview.skipped
    assert plan_store.cases() == []  # a preview writes nothing
    assert apply_import(plan_store, preview) == 5
    cases = plan_store.cases()
    assert [c.name for c in cases] == ["张伟", "李娜", "王芳", "刘洋", "陈静"]
    assert cases[0].unit_name == "黄石市某某研究院"  # the store's unit by default
    assert cases[0].modules["basic"]["移动电话"] == "13900000000"
    assert cases[0].modules["basic"]["性别"] in ("男", "女")

    again = preview_import(plan_store, file)
    assert again.rows == [] and again.bad_rows == []
    assert [s.reason.startswith("已存在，跳过") for s in again.skipped] == [True] * 5
    assert apply_import(plan_store, again) == 0
    assert apply_import(plan_store, preview) == 0  # applying a stale preview twice writes nothing either
    assert len(plan_store.cases()) == 5


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_in_utf8_with_or_without_bom_and_gbk(plan_store: Store, tmp_path: Path, encoding: str) -> None:
    file = write_csv(tmp_path / "名单.csv", good_rows(3), encoding)
    preview = preview_import(plan_store, file)
    assert [r.name for r in preview.rows] == ["张伟", "李娜", "王芳"]
    assert preview.rows[0].specialty == "水利水电"
    assert apply_import(plan_store, preview) == 3


def test_synonyms_for_the_portal_columns(plan_store: Store, tmp_path: Path) -> None:
    header = ["编号", "申报人姓名", "身份证号", "申报系列", "申报专业", "申报职称", "手机", "备注"]
    file = write_csv(tmp_path / "名单.csv", good_rows(2), "gbk", header)
    preview = preview_import(plan_store, file)
    assert [(r.name, r.position) for r in preview.rows] == [("张伟", "工程师"), ("李娜", "工程师")]
    assert preview.rows[0].modules["basic"]["移动电话"] == "13900000000"
    assert preview.ignored_columns == ["备注"]


@pytest.mark.usefixtures("reader")
def test_every_bad_row_is_named_with_its_row_number_and_reason(plan_store: Store, tmp_path: Path) -> None:
    rows = good_rows(8)
    existing = rows[7]
    plan_store.add_case(1, "周某某", existing[2], SERIES, "水利水电", "工程师", "u", date.today())
    rows[1][2] = rows[1][2][:17] + ("0" if rows[1][2][17] != "0" else "1")  # wrong check digit
    rows[2][2] = rows[0][2]  # the same person twice in the file
    rows[3][4] = ""  # 专业 missing
    rows[4][3] = "卫生技术人员"  # another plan's series
    header = [*HEADER, "评审计划"]
    rows = [[*r, ""] for r in rows]
    rows[5][7] = "2019年度某某计划"  # unknown plan
    file = write_xlsx(tmp_path / "名单.xlsx", rows, header)
    plan = "工程技术人员职称评审"
    preview = preview_import(plan_store, file)  # the plan comes from the rows: 系列 or 评审计划
    reasons = {b.row: b.reason for b in preview.bad_rows}
    assert set(reasons) == {3, 4, 5, 7, 9}, reasons
    assert reasons[3].startswith("证件号码无效：证件号码校验位错误")
    assert reasons[4] == "证件号码与第2行重复"
    assert reasons[5] == "缺少专业"
    assert reasons[7] == "未知的评审计划“2019年度某某计划”"
    assert "已有该证件号码的办件“周某某”" in reasons[9]  # same ID, another name: a conflict, not a skip
    assert {r.row: r.series for r in preview.rows} == {2: SERIES, 6: "卫生技术人员", 8: SERIES}
    assert all(b.text().startswith(f"第{b.row}行 ") for b in preview.bad_rows)
    with_plan = preview_import(plan_store, file, plan=plan)
    assert {b.row: b.reason for b in with_plan.bad_rows}[6] == "系列“卫生技术人员”与评审计划的系列“工程技术人员”不符"


@pytest.mark.usefixtures("reader")
def test_an_id_that_excel_turned_into_a_number_is_explained(plan_store: Store, tmp_path: Path) -> None:
    rows: list[list[object]] = [[1, "张伟", 420202197501011234.0, SERIES, "水利水电", "工程师", ""]]
    preview = preview_import(plan_store, write_xlsx(tmp_path / "a.xlsx", rows))
    assert len(preview.bad_rows) == 1
    reason = preview.bad_rows[0].reason
    assert reason.startswith("证件号码无效") and "设为文本" in reason


@pytest.mark.usefixtures("reader")
def test_unknown_plan_given_missing_columns_old_and_broken_files_are_clear_errors(
    plan_store: Store, tmp_path: Path
) -> None:
    file = write_csv(tmp_path / "a.csv", good_rows(1), "utf-8")
    with pytest.raises(NotFoundError, match="没有标题包含“园林”的评审计划"):
        preview_import(plan_store, file, plan="园林")
    no_specialty = write_csv(tmp_path / "b.csv", [r[:4] for r in good_rows(1)], "utf-8", HEADER[:4])
    with pytest.raises(InputError, match="缺少必需的列：专业"):
        preview_import(plan_store, no_specialty)
    (tmp_path / "c.xls").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    with pytest.raises(InputError, match=r"另存为 \.xlsx"):
        preview_import(plan_store, tmp_path / "c.xls")
    (tmp_path / "e.et").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    with pytest.raises(InputError, match=r"不支持 WPS 表格格式 \.et（请在 WPS 中另存为 \.xlsx"):
        preview_import(plan_store, tmp_path / "e.et")
    (tmp_path / "d.xlsx").write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(InputError, match="文件已损坏"):
        preview_import(plan_store, tmp_path / "d.xlsx")
    with pytest.raises(NotFoundError):
        preview_import(plan_store, tmp_path / "none.csv")


@pytest.mark.usefixtures("reader")
def test_a_list_that_starts_lower_and_further_right_keeps_the_files_own_row_numbers(
    plan_store: Store, tmp_path: Path
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    for r, values in enumerate([HEADER, *good_rows(2)], start=4):  # rows 1–3 and column A left empty
        for c, value in enumerate(values, start=2):
            sheet.cell(r, c, value)
    book.save(tmp_path / "名单.xlsx")
    preview = preview_import(plan_store, tmp_path / "名单.xlsx")
    assert [(r.row, r.name) for r in preview.rows] == [(5, "张伟"), (6, "李娜")]
    assert not preview.bad_rows


def test_a_workbook_that_unpacks_to_far_more_than_a_list_is_refused_before_it_is_read(
    plan_store: Store, tmp_path: Path
) -> None:
    import zipfile

    from app.dispatch.importer import MAX_UNPACKED

    file = write_xlsx(tmp_path / "名单.xlsx", good_rows(3))
    with zipfile.ZipFile(file, "a", zipfile.ZIP_DEFLATED) as zf:  # a few hundred KB on disk
        zf.writestr("xl/media/image1.bin", bytes(MAX_UNPACKED + 1))
    assert file.stat().st_size < 1_000_000
    with pytest.raises(InputError, match="太大") as caught:
        preview_import(plan_store, file)
    assert "分成几个文件" in caught.value.fix
    assert plan_store.cases() == []


@pytest.mark.usefixtures("reader")
def test_a_password_protected_workbook_is_said_to_have_a_password(plan_store: Store, tmp_path: Path) -> None:
    # Excel saves a workbook with a password as an OLE compound file holding an EncryptionInfo stream, not a zip
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "EncryptionInfo".encode("utf-16-le") + bytes(4096)
    (tmp_path / "加密.xlsx").write_bytes(ole)
    with pytest.raises(
        InputError, match=r"加密\.xlsx 设有打开密码，程序无法读取（请在 Excel 或 WPS 中打开，取消密码后另存"
    ):
        preview_import(plan_store, tmp_path / "加密.xlsx")
    (tmp_path / "坏的.xlsx").write_bytes(ole.replace("EncryptionInfo".encode("utf-16-le"), bytes(28)))
    with pytest.raises(InputError, match=r"文件已损坏|旧版表格格式"):
        preview_import(plan_store, tmp_path / "坏的.xlsx")
    assert plan_store.cases() == []


def write_xls(path: Path, rows: list[list[object]], title: str) -> Path:
    """An Excel 97–2003 workbook, as older Excel and WPS save one: a title row, then the header."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("申报人员")
    for r, values in enumerate([[title], HEADER, *rows]):
        for c, value in enumerate(values):
            sheet.write(r, c, value)
    book.save(str(path))
    return path


def test_an_excel_97_workbook_imports_as_an_xlsx_does(plan_store: Store, tmp_path: Path) -> None:
    rows: list[list[object]] = [*good_rows(3), [4, "赵磊", 420202197501011234.0, SERIES, "水利水电", "工程师", ""]]
    file = write_xls(tmp_path / "名单.xls", rows, title="2025年度职称申报人员一览表")
    preview = preview_import(plan_store, file)
    assert [(r.row, r.name) for r in preview.rows] == [(3, "张伟"), (4, "李娜"), (5, "王芳")]
    assert [(b.row, b.reason.startswith("证件号码无效") and "设为文本" in b.reason) for b in preview.bad_rows] == [
        (6, True)
    ]
    assert apply_import(plan_store, preview) == 3
    assert [c.name for c in plan_store.cases()] == ["张伟", "李娜", "王芳"]


@pytest.mark.parametrize("reader", ["openpyxl"], indirect=True)
def test_where_calamine_cannot_load_an_xls_is_refused_saying_how_to_convert_it(
    plan_store: Store, tmp_path: Path, reader: str
) -> None:
    file = write_xls(tmp_path / "名单.xls", good_rows(2), title="名单")
    with pytest.raises(InputError, match=r"名单\.xls 是旧版表格格式（\.xls）（请在 Excel 或 WPS 中另存为 \.xlsx"):
        preview_import(plan_store, file)
    assert plan_store.cases() == []


def test_an_xls_named_xlsx_and_an_xlsx_named_xls_are_read_as_what_they_are(plan_store: Store, tmp_path: Path) -> None:
    xls = write_xls(tmp_path / "a.xls", good_rows(2), title="名单").rename(tmp_path / "名单一.xlsx")
    assert [r.name for r in preview_import(plan_store, xls).rows] == ["张伟", "李娜"]
    xlsx = write_xlsx(tmp_path / "b.xlsx", good_rows(3)).rename(tmp_path / "名单二.xls")
    assert [r.name for r in preview_import(plan_store, xlsx).rows] == ["张伟", "李娜", "王芳"]


def test_apply_is_one_transaction(plan_store: Store, tmp_path: Path) -> None:
    preview = preview_import(plan_store, write_csv(tmp_path / "a.csv", good_rows(4), "utf-8"))
    # the cases are written, then the disk fills up while their 建档 events are
    plan_store.conn.execute(
        "CREATE TEMP TRIGGER full BEFORE INSERT ON revisions BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
    )
    with pytest.raises(StoreError, match="磁盘已满"):
        apply_import(plan_store, preview)
    plan_store.conn.execute("DROP TRIGGER temp.full")
    assert plan_store.cases() == []


def test_cli_dry_run_prints_the_preview_and_every_bad_row(
    plan_store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = good_rows(3)
    rows[2][2] = "12345"
    file = write_csv(tmp_path / "a.csv", rows, "gbk")
    db = str(plan_store.path)
    assert main(["import", str(file), "--dry-run", "--db", db]) == 1
    out, err = capsys.readouterr()
    assert "张伟" in out and "李娜" in out
    assert "第4行 王芳：证件号码无效：证件号码应为18位，当前为5位" in out
    assert "未写入任何数据（预演）" in out
    assert err.count("\n") == 1 and "1 行有问题" in err
    assert plan_store.cases() == []

    good = write_csv(tmp_path / "b.csv", good_rows(2), "utf-8")
    assert main(["import", str(good), "--plan", "工程技术人员", "--db", db]) == 0
    assert "已导入 2 个办件" in capsys.readouterr().out
    assert main(["import", str(good), "--db", db]) == 0
    assert "已导入 0 个办件" in capsys.readouterr().out
    assert len(plan_store.cases()) == 2


def test_cli_import_with_a_bad_row_writes_nothing_unless_asked(
    plan_store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = good_rows(3)
    rows[2][2] = "12345"
    file = write_csv(tmp_path / "a.csv", rows, "utf-8")
    db = str(plan_store.path)
    assert main(["import", str(file), "--db", db]) == 1
    _out, err = capsys.readouterr()
    assert "未导入任何办件" in err and "--skip-bad" in err
    assert plan_store.cases() == []
    assert main(["import", str(file), "--skip-bad", "--db", db]) == 1
    assert "已导入 2 个办件" in capsys.readouterr().out
    assert len(plan_store.cases()) == 2


def test_the_portals_own_five_column_list_imports_as_it_is(plan_store: Store, tmp_path: Path) -> None:
    """序号, 姓名, 证件号码, 系列, 专业: 申报职务 left empty and counted, never a reason to refuse."""
    rows = [r[:5] for r in good_rows(3)]
    preview = preview_import(plan_store, write_csv(tmp_path / "portal.csv", rows, "utf-8", HEADER[:5]))
    assert len(preview.rows) == 3 and not preview.bad_rows
    assert preview.without_position == 3 and "3 人未填申报职务" in preview.summary()
    assert all(r.position == "" and "未填申报职务" in r.warnings for r in preview.rows)
    apply_import(plan_store, preview)
    assert sorted(c.position for c in plan_store.cases()) == ["", "", ""]


def test_a_file_whose_content_is_wrong_fails_and_a_wrong_command_is_a_usage_error(
    plan_store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Exit 1 when the file is not a list (the command was right), 2 only for the command line."""
    db = str(plan_store.path)
    no_names = write_csv(tmp_path / "a.csv", [r[2:5] for r in good_rows(1)], "utf-8", HEADER[2:5])
    assert main(["import", str(no_names), "--db", db]) == 1
    assert "缺少必需的列：姓名" in capsys.readouterr().err
    assert main(["import", str(tmp_path), "--db", db]) == 2  # a folder where a file is asked for
    assert main(["import", "--db", db]) == 2
    assert plan_store.cases() == []
