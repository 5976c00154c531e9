"""送审包: per case a folder with its three upload-ready images, and the batch 一览表.xlsx.

Writing is atomic: everything goes into a temporary folder beside the target, is
checked (each image read back against its stored hash and checked again by the
self-check), and only then renamed into place. A failure or a kill in the middle
leaves the previous export as it was and no half package under the target's name.

Where the package goes, for ``out``:

- ``out`` does not exist, is empty, or holds an earlier export of ours: the package
  is ``out`` itself (an earlier export there is replaced as a whole);
- ``out`` is some other folder (the desktop, say): the package is a new folder
  ``送审包_YYYYMMDD-HHMMSS`` inside it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import unicodedata
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from app.core.errors import RuleError, UsageError, ZcwsError, os_error
from app.core.ids import mask_id
from app.core.models import Attachment, Case, Slot
from app.core.progress import CancelToken, Progress, no_progress
from app.core.verdicts import Verdict, portal_takes
from app.forms.names import safe_filename
from app.store.files import fsync_dir, sha256_file

log = logging.getLogger(__name__)

SLOTS = (Slot.PUBLICITY, Slot.APPRAISAL, Slot.OPINION)
LISTING = "一览表.xlsx"
MARKER = ".zcws-export.json"
PACKAGE_PREFIX = "送审包"
#: Longest name kept for a person in a folder name (the rest of the path is the officer's).
_NAME_CHARS = 24


class Row(Protocol):
    """What the export needs of a dispatch row (``app.ops.dispatch.DispatchRow``)."""

    @property
    def case(self) -> Case: ...

    @property
    def slots(self) -> dict[Slot, Attachment | None]: ...

    @property
    def ready(self) -> bool: ...

    def problem(self) -> str | None: ...


@dataclass(frozen=True)
class Check:
    """The self-check's answer about a written image."""

    ok: bool
    verdict: str
    message: str = ""


#: ``verify(path, case_id, slot)``: the self-check run again on the image as written.
Verify = Callable[[Path, int, Slot], Check]


@dataclass(frozen=True)
class CaseExport:
    case: Case
    number: int
    ready: bool
    folder: str | None  # relative to the package, when written
    files: dict[Slot, str] = field(default_factory=dict)
    marks: dict[Slot, str] = field(default_factory=dict)  # √/× with a word, as 一览表 shows them
    problem: str | None = None
    publicity: str | None = None
    warnings: tuple[str, ...] = ()

    def note(self) -> str:
        """What the 一览表 says in 问题及处理: the problem, or the reminders of a ready case."""
        if self.problem:
            return self.problem
        return "；".join(f"提醒：{w}" for w in self.warnings)

    def to_json(self) -> dict[str, Any]:
        return {
            "case_id": self.case.id,
            "number": self.number,
            "name": self.case.name,
            "id_number": mask_id(self.case.id_number),
            "ready": self.ready,
            "folder": self.folder,
            "files": {s.value: f for s, f in self.files.items()},
            "attachments": {s.value: m for s, m in self.marks.items()},
            "problem": self.problem,
            "warnings": list(self.warnings),
        }


@dataclass(frozen=True)
class ExportResult:
    folder: Path
    listing: Path
    cases: list[CaseExport]
    zip_path: Path | None = None

    @property
    def ready(self) -> list[CaseExport]:
        return [c for c in self.cases if c.ready]

    @property
    def not_ready(self) -> list[CaseExport]:
        return [c for c in self.cases if not c.ready]

    def summary(self) -> str:
        text = f"已导出 {len(self.ready)} 人的送审包到 {self.folder}"
        if self.not_ready:
            text += f"；{len(self.not_ready)} 人未就绪，未生成送审包（见一览表）"
        return text

    def to_json(self) -> dict[str, Any]:
        return {
            "folder": str(self.folder),
            "listing": str(self.listing),
            "zip": None if self.zip_path is None else str(self.zip_path),
            "ready": [c.to_json() for c in self.ready],
            "not_ready": [c.to_json() for c in self.not_ready],
        }


def case_folder_name(number: int, case: Case) -> str:
    """``001_张三_1234``: 序号 keeps two people of the same name apart, whatever the name holds."""
    # The 序号 in front also keeps a name such as CON from being a reserved device name.
    name = unicodedata.normalize("NFC", case.name).strip()[:_NAME_CHARS].rstrip(". ") or "未命名"
    tail = case.id_number[-4:] or "0000"
    return safe_filename(f"{number:03d}_{name}_{tail}")


def target_folder(out: Path, now: datetime) -> Path:
    """Where the package goes (see the module's docstring)."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out} 是一个文件，请给出一个文件夹作为导出位置")
    if not out.exists() or not any(out.iterdir()) or (out / MARKER).is_file():
        return out
    base = f"{PACKAGE_PREFIX}_{now:%Y%m%d-%H%M%S}"
    target, n = out / base, 2
    while target.exists():
        target, n = out / f"{base}-{n}", n + 1
    return target


def _aside(target: Path, kind: str) -> Path:
    return target.parent / f".{target.name}.{kind}-{os.getpid()}"


def recover(target: Path) -> None:
    """Undo what an interrupted export left: half packages go, a previous export set aside comes back."""
    parent = target.parent
    if not parent.is_dir():
        return
    olds = sorted(parent.glob(f".{target.name}.old-*"))
    leftovers = {*parent.glob(f".{target.name}.tmp-*"), *parent.glob(f".{PACKAGE_PREFIX}_*.tmp-*")}
    for leftover in leftovers:
        shutil.rmtree(leftover, ignore_errors=True)
    for old in olds:
        if not target.exists() and (old / MARKER).is_file():
            os.replace(old, target)
            log.info("export: brought back the previous export %s", target)
        else:
            shutil.rmtree(old, ignore_errors=True)


def _copy(source: Path, dest: Path) -> str:
    """Copy durably; returns the sha256 of what was read back from ``dest``."""
    with open(source, "rb") as src, open(dest, "wb") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
        dst.flush()
        os.fsync(dst.fileno())
    return sha256_file(dest)


def _mark(row: Row, slot: Slot) -> str:
    """√ or × as the portal's list shows it, with the verdict in words."""
    att = row.slots.get(slot)
    if att is None:
        return "× 未上传"
    mark = getattr(row, "mark", None)
    symbol = mark(slot) if mark is not None else ("√" if portal_takes(slot, att.verdict) else "×")
    word = att.verdict.label
    if symbol == "×" and att.verdict is Verdict.OK:
        word = "流程信息不匹配"  # stored as ok, but the case's revision went up since
    return f"{symbol} {word}"


def _write_case(
    tmp: Path, number: int, row: Row, blob_path: Callable[[str, str], Path], verify: Verify | None
) -> CaseExport:
    case = row.case
    marks = {s: _mark(row, s) for s in SLOTS}
    publicity = getattr(row, "publicity", None)
    warnings = tuple(getattr(row, "warnings", ()) or ())
    if not row.ready:
        return CaseExport(case, number, False, None, {}, marks, row.problem() or "未就绪", publicity, warnings)
    folder = case_folder_name(number, case)
    (tmp / folder).mkdir()
    files: dict[Slot, str] = {}
    problems: list[str] = []
    for slot in SLOTS:
        att = row.slots[slot]
        assert att is not None  # a ready row has all three
        source = blob_path(att.sha256, att.ext)
        name = safe_filename(f"{slot.upload_name}.{att.ext}")
        dest = tmp / folder / name
        if not source.is_file():
            problems.append(f"{slot.label}的文件在数据文件夹中找不到，请重新上传")
            marks[slot] = "× 文件丢失"
            continue
        if _copy(source, dest) != att.sha256:
            problems.append(f"{slot.label}的文件与保存时不一致（文件已损坏），请重新上传")
            marks[slot] = "× 文件损坏"
            continue
        if verify is not None:
            check = verify(dest, case.id, slot)
            if not check.ok:
                problems.append(f"{slot.label}重新检查未通过：{check.message or check.verdict}")
                marks[slot] = f"× {check.message or check.verdict}"
                continue
        files[slot] = f"{folder}/{name}"
    if problems:
        shutil.rmtree(tmp / folder, ignore_errors=True)
        problem = f"{case.name}：{'；'.join(problems)}"
        return CaseExport(case, number, False, None, {}, marks, problem, publicity, warnings)
    return CaseExport(case, number, True, folder, files, marks, None, publicity, warnings)


def write_packages(
    rows: Sequence[Row],
    out: Path,
    blob_path: Callable[[str, str], Path],
    verify: Verify | None,
    *,
    make_zip: bool = False,
    progress: Progress = no_progress,
    token: CancelToken | None = None,
    now: datetime | None = None,
) -> ExportResult:
    """Write the 送审包 for ``rows`` (ready ones get folders; every one is in the 一览表)."""
    if not rows:
        raise RuleError("没有待送审的办件", "审核通过的办件才会出现在送审包中")
    now = now or datetime.now()
    try:
        target = target_folder(Path(out), now)
        target.parent.mkdir(parents=True, exist_ok=True)
        recover(target)
        tmp = _aside(target, "tmp")
        tmp.mkdir()
    except OSError as exc:
        raise os_error(exc, "导出送审包") from None
    try:
        done: list[CaseExport] = []
        total = len(rows)
        for number, row in enumerate(rows, start=1):
            if token is not None:
                token.check()
            progress(number - 1, total, f"正在导出 {row.case.name}")
            done.append(_write_case(tmp, number, row, blob_path, verify))
        progress(total, total, "正在写一览表")
        write_listing(tmp / LISTING, done, now)
        (tmp / MARKER).write_text(
            json.dumps({"created_at": now.isoformat(timespec="seconds"),
                        "folders": [c.folder for c in done if c.folder]}, ensure_ascii=False),
            encoding="utf-8",
        )  # fmt: skip
        _verify_tree(tmp, done)
        if token is not None:
            token.check()
        _swap_in(tmp, target)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise os_error(exc, "导出送审包") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    zip_path = None
    if make_zip:
        zip_path = write_zip(target)
    return ExportResult(target, target / LISTING, done, zip_path)


def _verify_tree(tmp: Path, done: list[CaseExport]) -> None:
    for c in done:
        for rel in c.files.values():
            if not (tmp / rel).is_file():
                raise ZcwsError(f"导出后检查发现缺少文件 {rel}，送审包未生成", "请重试")
    if not (tmp / LISTING).is_file():
        raise ZcwsError("导出后检查发现缺少一览表，送审包未生成", "请重试")


def _swap_in(tmp: Path, target: Path) -> None:
    """Put the finished package in place: one rename, or two when an earlier export is replaced.

    Between the two renames the earlier export waits, complete, under a hidden name
    that :func:`recover` brings back if the program is killed right there.
    """
    fsync_dir(tmp)
    if target.exists():
        old = _aside(target, "old")
        if not (target / MARKER).is_file():
            target.rmdir()  # an empty folder the officer chose; anything else was routed to a subfolder
        else:
            os.replace(target, old)
        os.replace(tmp, target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(tmp, target)
    fsync_dir(target.parent)


def write_zip(folder: Path) -> Path:
    """``送审包.zip`` beside the folder, holding it whole; written atomically."""
    path = folder.with_name(folder.name + ".zip")
    tmp = folder.with_name(f".{folder.name}.zip.{os.getpid()}.tmp")
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
            for file in sorted(folder.rglob("*")):
                if file.is_file() and file.name != MARKER:
                    zf.write(file, f"{folder.name}/{file.relative_to(folder).as_posix()}")
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        raise os_error(exc, "生成压缩包") from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    return path


# -- 一览表 ---------------------------------------------------------------------------

LISTING_COLUMNS = ("序号", "姓名", "证件号码", "系列", "专业", "申报职务", "推荐单位公示证明", "单位考核表",
                   "单位审核意见表", "公示时间", "是否就绪", "问题及处理", "文件夹")  # fmt: skip


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def write_listing(path: Path, cases: Sequence[CaseExport], now: datetime) -> None:
    """The batch 一览表: every case, its attachments' verdicts and whether it is ready."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    book = Workbook()
    sheet = book.active
    sheet.title = "一览表"
    sheet.append(list(LISTING_COLUMNS))
    for c in cases:
        sheet.append([
            c.number, c.case.name, mask_id(c.case.id_number), c.case.series, c.case.specialty, c.case.position,
            *(c.marks.get(s, "") for s in SLOTS), c.publicity or "", "是" if c.ready else "否", c.note(),
            c.folder or "",
        ])  # fmt: skip
    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    no_fill = PatternFill("solid", fgColor="FCE4D6")
    for cell in sheet[1]:
        cell.font = bold
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center", vertical="center")
    ready_col = LISTING_COLUMNS.index("是否就绪") + 1
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(vertical="center", wrap_text=cell.column == len(LISTING_COLUMNS) - 1)
        if row[ready_col - 1].value == "否":
            row[ready_col - 1].fill = no_fill
    limits = {"问题及处理": 60}
    for index, title in enumerate(LISTING_COLUMNS, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        longest = max([_width(title)] + [_width(str(sheet.cell(row=r, column=index).value or ""))
                                         for r in range(2, sheet.max_row + 1)])  # fmt: skip
        sheet.column_dimensions[letter].width = min(longest + 2, limits.get(title, 40))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    book.properties.title = "送审包一览表"
    book.properties.created = now
    book.save(path)
