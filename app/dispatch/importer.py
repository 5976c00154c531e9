"""Reading cases from a spreadsheet (.xlsx, .xls or .csv) with the portal's column names.

Only reading and checking happen here: :func:`read_table` turns a file into numbered
rows keyed by our field names, whatever synonym the file uses for a column, and
:func:`build_preview` checks every row against the store without writing anything.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from app.core.errors import InputError, NotFoundError, UsageError, os_cause
from app.core.ids import check_id_number, mask_id
from app.core.models import Plan
from app.core.review import BASIC_FIELDS, Module

log = logging.getLogger(__name__)

#: Our field → the column names a file may use for it (the first is the portal's).
COLUMNS: dict[str, tuple[str, ...]] = {
    "序号": ("序号", "编号", "顺序号", "no", "no."),
    "姓名": ("姓名", "申报人", "申报人姓名", "人员姓名", "名字"),
    "证件号码": ("证件号码", "身份证号码", "身份证号", "居民身份证号码", "公民身份号码", "证件号", "身份证"),
    "系列": ("系列", "申报系列", "职称系列", "评审系列"),
    "专业": ("专业", "申报专业", "专业名称", "评审专业"),
    "申报职务": ("申报职务", "申报职称", "拟申报职称", "申报资格", "申报资格名称", "职务", "资格名称"),
    "申报单位": ("申报单位", "工作单位", "单位", "单位名称", "所在单位"),
    "业务名称": ("业务名称",),
    "填报日期": ("填报日期", "申报日期", "提交日期"),
    "评审计划": ("评审计划", "计划", "计划名称", "申报计划", "评审计划名称"),
}
#: Columns every file must have: the portal's own list (序号, 姓名, 证件号码, 系列, 专业) has them;
#: 系列 falls back to the plan's series when blank, 申报职务 is left empty (a to-do) when absent.
REQUIRED_COLUMNS = ("姓名", "证件号码", "专业")
#: Cells that must not be empty in a row.
REQUIRED_CELLS = REQUIRED_COLUMNS
NO_POSITION = "未填申报职务"
#: The basic-information fields a file may carry beside the process fields (with a few synonyms).
BASIC_SYNONYMS: dict[str, str] = {
    **{f: f for f in BASIC_FIELDS if f not in ("姓名", "证件号码", "现工作单位")},
    "手机": "移动电话",
    "手机号码": "移动电话",
    "联系电话": "移动电话",
    "出生日期": "出生年月",
    "工作时间": "参加工作时间",
}

MAX_ROWS = 20_000
#: What a spreadsheet may unpack to (its sheets' XML): a list of MAX_ROWS rows of 30 columns is some 30 MB.
MAX_UNPACKED = 100 * 2**20
#: Set in a row whose ID number cell was a number, not text (Excel keeps only 15 digits of those).
NUMERIC_ID = "_id_was_number"
_HEADER_SCAN_ROWS = 15


def _norm_header(text: Any) -> str:
    """``" 证件号码* "``, ``"姓名（必填）"``, ``"证件号码\\n"`` → the bare name."""
    s = unicodedata.normalize("NFKC", str(text or "")).strip().lower()
    s = re.sub(r"\(.*?\)|\[.*?\]", "", s)
    return re.sub(r"[\s*＊:：]", "", s)


_LOOKUP: dict[str, str] = {}
for _field, _names in COLUMNS.items():
    for _name in _names:
        _LOOKUP[_norm_header(_name)] = _field
for _name, _field in BASIC_SYNONYMS.items():
    _LOOKUP.setdefault(_norm_header(_name), "basic." + _field)


@dataclass(frozen=True)
class Table:
    """A file's rows keyed by our field names; ``row`` numbers are the file's own (1-based)."""

    rows: list[tuple[int, dict[str, str]]]
    columns: dict[str, str]  # file's header → our field
    ignored: list[str]  # headers we do not know


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        # Excel turns a long ID typed without a leading ' into a float: keep what digits are left
        # so the check names the damage instead of silently guessing.
        return str(int(value)) if value.is_integer() else str(value)
    return unicodedata.normalize("NFC", str(value)).strip()


def _read_csv(path: Path) -> list[list[Any]]:
    raw = path.read_bytes()
    # utf-8-sig accepts UTF-8 with and without BOM; GB18030 is the superset of the GBK Excel writes.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputError(f"无法识别 {path.name} 的文字编码", "请在 Excel 中另存为“CSV UTF-8”或 .xlsx 后重试")
    if "\x00" in text:
        raise InputError(f"{path.name} 不是文本表格", "请另存为 .csv 或 .xlsx 后重试")
    sample = text[:4096]
    first = sample.splitlines()[0] if sample else ""
    delimiter = max((",", "\t", ";"), key=first.count)
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _broken(path: Path, exc: BaseException) -> InputError:
    log.warning("cannot read %s as a workbook: %r", path, exc)
    return InputError(f"无法读取 {path.name}：文件已损坏或不是 {path.suffix.lower()} 表格",
                      "请用 Excel 打开后另存为 .xlsx 再导入")  # fmt: skip


#: How an OLE compound file starts: an Excel 97–2003 workbook, or an .xlsx that Excel saved with a password.
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: The stream that a password-protected .xlsx keeps in its OLE file, named in UTF-16 in the file's directory.
_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")
_PASSWORD = "请在 Excel 或 WPS 中打开，取消密码后另存，再导入"


def _unpacked_size(path: Path, ole: bool) -> int:
    """What reading the workbook takes in: an .xlsx, what its parts unpack to; an OLE file, its own size."""
    import zipfile

    if ole:
        return path.stat().st_size
    try:
        with zipfile.ZipFile(path) as archive:
            return sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise _broken(path, exc) from None


def _read_workbook(path: Path) -> list[list[Any]]:
    """The first sheet's cells from A1, so that row numbers are the file's own, read by calamine (20× openpyxl's
    reading of a 5,000-row list; it reads Excel 97–2003's .xls too): an empty cell is ``""``, a number a float.

    An .xlsx that is an OLE file is either saved with a password (said so) or an .xls renamed (read as one); an
    .xls that is a zip, an .xlsx renamed."""
    with path.open("rb") as fh:
        ole = fh.read(len(_OLE)) == _OLE
    named_xls = path.suffix.lower() == ".xls"
    renamed = ole != named_xls  # an .xls that is an .xlsx inside, or the other way round
    if _unpacked_size(path, ole) > MAX_UNPACKED:  # the budget, before the sheets are read
        raise InputError(f"{path.name} 太大（解压后超过 {MAX_UNPACKED // 2**20} MB），不像一份申报人员名单",
                         f"名单最多 {MAX_ROWS} 行；请删去无关的工作表和内容，或分成几个文件导入")  # fmt: skip
    if ole and renamed and _ENCRYPTED in path.read_bytes():
        raise InputError(f"{path.name} 设有打开密码，程序无法读取", _PASSWORD)
    try:
        from python_calamine import CalamineError, CalamineWorkbook, PasswordError
    except ImportError as exc:  # its DLL needs Windows 10's bcryptprimitives.dll, which wine 8.0 lacks
        if ole or named_xls:
            raise InputError(
                f"{path.name} 是旧版表格格式（.xls）", "请在 Excel 或 WPS 中另存为 .xlsx 后再导入"
            ) from None
        log.warning("calamine cannot load (%r): %s read by openpyxl", exc, path.name)
        return _read_xlsx_slowly(path)
    try:
        if renamed:  # told by its content, not by its name
            with path.open("rb") as fh:
                book = CalamineWorkbook.from_filelike(fh)
        else:
            book = CalamineWorkbook.from_path(str(path))
        sheet = book.get_sheet_by_index(0)
        return sheet.to_python(skip_empty_area=False, nrows=MAX_ROWS + _HEADER_SCAN_ROWS + 1)
    except PasswordError:
        raise InputError(f"{path.name} 设有打开密码，程序无法读取", _PASSWORD) from None
    except (CalamineError, ValueError) as exc:
        raise _broken(path, exc) from None


def _read_xlsx_slowly(path: Path) -> list[list[Any]]:
    """The same cells read by openpyxl (an empty cell ``None``, a whole number an int), where calamine cannot load."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (KeyError, ValueError, OSError) as exc:
        raise _broken(path, exc) from None
    try:
        rows = []
        for values in book.worksheets[0].iter_rows(values_only=True) if book.worksheets else ():
            rows.append(list(values))
            if len(rows) > MAX_ROWS + _HEADER_SCAN_ROWS:
                break
        return rows
    finally:
        book.close()


#: Workbooks, read by calamine.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")
#: Spreadsheets, which an import reads (or, for WPS's own formats, refuses saying how to convert them).
SHEET_SUFFIXES = (*WORKBOOK_SUFFIXES, ".csv", ".et", ".wps")


def read_raw(path: Path) -> list[list[Any]]:
    """The file's cells, row by row, before any header is found."""
    if not path.exists():
        raise NotFoundError(f"找不到文件 {path}")
    if path.is_dir():
        raise UsageError(f"{path} 是文件夹，请给出 .xlsx、.xls 或 .csv 文件")
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv" or suffix == ".txt":
            return _read_csv(path)
        if suffix in WORKBOOK_SUFFIXES:
            return _read_workbook(path)
    except OSError as exc:
        log.warning("cannot read %s: %s", path, exc)
        raise InputError(f"无法读取 {path.name}：{os_cause(exc)}", "请检查文件，或先复制到自己的文件夹再导入") from None
    if suffix in (".et", ".wps"):
        raise InputError(f"不支持 WPS 表格格式 {suffix}", "请在 WPS 中另存为 .xlsx 后再导入")
    raise InputError(f"不支持的文件类型“{suffix or path.name}”", "请导入 .xlsx、.xls 或 .csv 表格")


def _header_map(values: Iterable[Any]) -> dict[int, str]:
    found: dict[int, str] = {}
    for index, value in enumerate(values):
        key = _LOOKUP.get(_norm_header(value))
        if key and key not in found.values():
            found[index] = key
    return found


def read_table(path: Path) -> Table:
    """Find the header row (a title row above it is allowed) and key every row by field."""
    raw = read_raw(path)
    best: tuple[int, dict[int, str]] | None = None
    for index, values in enumerate(raw[:_HEADER_SCAN_ROWS]):
        mapping = _header_map(values)
        if best is None or len(mapping) > len(best[1]):
            best = (index, mapping)
    if best is None or not best[1]:
        raise InputError(
            f"{path.name} 中没有找到表头", "第一行应为列名：序号、姓名、证件号码、系列、专业（系统名单的五列）…"
        )
    header_index, mapping = best
    missing = [f for f in REQUIRED_COLUMNS if f not in mapping.values()]
    header = raw[header_index]
    if missing:
        seen = "、".join(str(v).strip() for v in header if str(v or "").strip()) or "无"
        raise InputError(f"{path.name} 缺少必需的列：{'、'.join(missing)}（找到的列：{seen}）",
                         "请按系统的列名（序号、姓名、证件号码、系列、专业）整理表头")  # fmt: skip
    columns = {str(header[i]).strip(): f for i, f in mapping.items()}
    ignored = [str(v).strip() for i, v in enumerate(header) if i not in mapping and str(v or "").strip()]
    rows = []
    for offset, values in enumerate(raw[header_index + 1 :], start=header_index + 2):
        cells = {f: _cell_text(values[i]) if i < len(values) else "" for i, f in mapping.items()}
        id_index = next(i for i, f in mapping.items() if f == "证件号码")
        if id_index < len(values) and isinstance(values[id_index], int | float):
            cells[NUMERIC_ID] = "1"
        if not any(cells.values()):
            continue
        rows.append((offset, cells))
    if len(rows) > MAX_ROWS:
        raise InputError(f"{path.name} 有超过 {MAX_ROWS} 行数据", "请分成几个文件导入")
    return Table(rows, columns, ignored)


# -- the preview -----------------------------------------------------------------


@dataclass(frozen=True)
class ImportRow:
    """A row that will become a case."""

    row: int
    plan_id: int
    plan_title: str
    name: str
    id_number: str
    series: str
    specialty: str
    position: str
    unit_name: str
    filed_on: date
    business: str
    modules: dict[str, Any]
    warnings: tuple[str, ...] = ()

    def to_json(self, full: bool = False) -> dict[str, Any]:
        return {
            "row": self.row,
            "plan_id": self.plan_id,
            "plan": self.plan_title,
            "name": self.name,
            "id_number": self.id_number if full else mask_id(self.id_number),
            "series": self.series,
            "specialty": self.specialty,
            "position": self.position,
            "unit": self.unit_name,
            "filed_on": self.filed_on.isoformat(),
            "warnings": list(self.warnings),
        }


@dataclass(frozen=True)
class RowIssue:
    """A row that will not be written: ``reason`` is plain Chinese for the officer."""

    row: int
    name: str
    id_number: str
    reason: str

    def text(self) -> str:
        who = self.name or "（无姓名）"
        return f"第{self.row}行 {who}：{self.reason}"

    def to_json(self) -> dict[str, Any]:
        return {"row": self.row, "name": self.name, "id_number": mask_id(self.id_number) if self.id_number else "",
                "reason": self.reason}  # fmt: skip


@dataclass(frozen=True)
class ImportPreview:
    """What an import would write, and every row it would not, before anything is written."""

    path: Path
    rows: list[ImportRow]
    bad_rows: list[RowIssue]
    skipped: list[RowIssue]  # already in the store: 已存在，跳过
    columns: dict[str, str] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.rows) + len(self.bad_rows) + len(self.skipped)

    @property
    def without_position(self) -> int:
        """How many of the rows to import have no 申报职务 (the portal's list has no such column)."""
        return sum(1 for r in self.rows if not r.position)

    def summary(self) -> str:
        parts = [f"共 {self.total} 行", f"可导入 {len(self.rows)} 行"]
        if self.without_position:
            parts.append(f"{self.without_position} 人{NO_POSITION}")
        if self.skipped:
            parts.append(f"已存在跳过 {len(self.skipped)} 行")
        if self.bad_rows:
            parts.append(f"有问题 {len(self.bad_rows)} 行")
        return "，".join(parts)

    def to_json(self, full: bool = False) -> dict[str, Any]:
        return {
            "file": str(self.path),
            "rows": [r.to_json(full) for r in self.rows],
            "bad_rows": [r.to_json() for r in self.bad_rows],
            "skipped": [r.to_json() for r in self.skipped],
            "columns": self.columns,
            "ignored_columns": self.ignored_columns,
            "summary": self.summary(),
        }


@dataclass(frozen=True)
class Existing:
    """A case already in the store, as far as duplicates go."""

    case_id: int
    name: str


def _parse_date(text: str) -> date | None:
    s = unicodedata.normalize("NFKC", text).strip()
    m = re.match(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", s)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    m = re.match(r"^(\d{4})(\d{2})(\d{2})$", s)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    return None


class PlanResolver:
    """Which plan a row belongs to: the one given, the row's 评审计划 column, or the only fitting one."""

    def __init__(self, plans: list[Plan], given: Plan | None, today: date) -> None:
        self.plans = plans
        self.given = given
        self.today = today

    def resolve(self, cells: dict[str, str]) -> Plan | str:
        """The plan, or the reason none could be chosen."""
        if self.given is not None:
            return self.given
        text = cells.get("评审计划", "").strip()
        if text:
            if text.isdigit():
                found = [p for p in self.plans if p.id == int(text)]
            else:
                found = [p for p in self.plans if p.title == text] or [p for p in self.plans if text in p.title]
            if len(found) == 1:
                return found[0]
            if not found:
                return f"未知的评审计划“{text}”"
            return f"评审计划“{text}”不唯一（{len(found)} 个计划的标题包含它），请写完整标题或编号"
        if not self.plans:
            return "数据库中还没有评审计划，请先建立评审计划"
        if len(self.plans) == 1:
            return self.plans[0]
        series = cells.get("系列", "").strip()
        fitting = [p for p in self.plans if (not series or p.series == series) and p.window_end >= self.today]
        if len(fitting) == 1:
            return fitting[0]
        what = f"系列为“{series}”且未结束的" if series else "未结束的"
        return f"无法确定评审计划（{what}计划有 {len(fitting)} 个），请指定评审计划（导入窗口上方选择，命令行用 --plan），或在表中加“评审计划”列"


def build_preview(
    path: Path,
    table: Table,
    resolver: PlanResolver,
    existing: dict[tuple[int, str], Existing],
    default_unit: str,
    today: date,
) -> ImportPreview:
    """Check every row; ``existing`` maps (plan id, ID number) to the case already stored."""
    rows: list[ImportRow] = []
    bad: list[RowIssue] = []
    skipped: list[RowIssue] = []
    seen: dict[tuple[int, str], int] = {}
    for number, cells in table.rows:
        name = cells.get("姓名", "").strip()
        raw_id = cells.get("证件号码", "").strip()

        def issue(reason: str, id_number: str = raw_id, _n: int = number, _name: str = name) -> RowIssue:
            return RowIssue(_n, _name, id_number, reason)

        empty = [f for f in REQUIRED_CELLS if not cells.get(f, "").strip()]
        if empty:
            bad.append(issue(f"缺少{'、'.join(empty)}"))
            continue
        check = check_id_number(raw_id, today)
        if not check.ok:
            hint = (
                "（Excel 把证件号码存成了数字，末几位已丢失，请把该列设为文本后重新填写）"
                if NUMERIC_ID in cells
                else ""
            )
            bad.append(issue(f"证件号码无效：{check.message}{hint}"))
            continue
        id_number = check.value
        plan = resolver.resolve(cells)
        if isinstance(plan, str):
            bad.append(issue(plan, id_number))
            continue
        series = cells.get("系列", "").strip() or plan.series
        if series != plan.series:
            bad.append(issue(f"系列“{series}”与评审计划的系列“{plan.series}”不符", id_number))
            continue
        key = (plan.id, id_number)
        if key in seen:
            bad.append(issue(f"证件号码与第{seen[key]}行重复", id_number))
            continue
        seen[key] = number
        found = existing.get(key)
        if found is not None:
            if found.name == name:
                skipped.append(issue(f"已存在，跳过（办件编号 {found.case_id}）", id_number))
            else:
                bad.append(issue(f"证件号码重复：本计划中已有该证件号码的办件“{found.name}”（编号 {found.case_id}）",
                                 id_number))  # fmt: skip
            continue
        specialty = cells["专业"].strip()
        position = cells.get("申报职务", "").strip()
        warnings = [] if position else [NO_POSITION]
        if plan.specialties and specialty not in plan.specialties:
            warnings.append(f"专业“{specialty}”不在该计划的申报专业中（{'、'.join(plan.specialties)}）")
        filed_text = cells.get("填报日期", "").strip()
        filed_on = _parse_date(filed_text) if filed_text else today
        if filed_on is None:
            bad.append(issue(f"填报日期“{filed_text}”无法识别，请写成 2025-09-30", id_number))
            continue
        unit = cells.get("申报单位", "").strip() or default_unit
        if not unit:
            bad.append(issue("缺少申报单位（数据库中也没有单位信息可用）", id_number))
            continue
        basic = dict.fromkeys(BASIC_FIELDS, "")
        basic.update({"姓名": name, "证件类型": "居民身份证", "证件号码": id_number, "性别": check.sex or "",
                      "出生年月": f"{check.birth_date:%Y-%m}" if check.birth_date else "", "现工作单位": unit})  # fmt: skip
        for f, value in cells.items():
            if f.startswith("basic.") and value.strip():
                basic[f.removeprefix("basic.")] = value.strip()
        rows.append(
            ImportRow(
                row=number, plan_id=plan.id, plan_title=plan.title, name=name, id_number=id_number, series=series,
                specialty=specialty, position=position, unit_name=unit, filed_on=filed_on,
                business=cells.get("业务名称", "").strip() or "职称评审(通用)",
                modules={Module.BASIC.value: basic}, warnings=tuple(warnings),
            )
        )  # fmt: skip
    return ImportPreview(path, rows, bad, skipped, table.columns, table.ignored)
