"""单位送审: the passed cases with × / √ for each attachment, and the checked pages of a drop."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSignalBlocker,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QStandardItem, QStandardItemModel

from app.core.ids import mask_id
from app.core.models import Slot
from app.scan.verdicts import PageResult, Verdict
from app.ui.i18n import _
from app.ui.models import ROOT, RowRole, SortRole
from app.ui.wording import fix_text

Index = QModelIndex | QPersistentModelIndex

SLOTS = (Slot.PUBLICITY, Slot.APPRAISAL, Slot.OPINION)
DISPATCH_COLUMNS = ("序号", "姓名", "证件号码", "系列", "专业", *(s.label for s in SLOTS), "系统空白表", "公示期",
                    "待办事项")  # fmt: skip
COL_FIRST_SLOT = 5
#: per form slot, whether a blank downloaded from the portal was brought in, and since when
COL_BLANKS = COL_FIRST_SLOT + len(SLOTS)
COL_PUBLICITY_PERIOD = COL_BLANKS + 1
BLANK_SHORT = {Slot.APPRAISAL: "考核表", Slot.OPINION: "意见表"}
COL_PROBLEM = COL_PUBLICITY_PERIOD + 1
PAGE_MIME = "application/x-zcws-page"

_OK, _MISSING = QColor("#1e7b34"), QColor("#c62828")
#: a 盖章页 the portal takes, seen without the seal or the signature
_UNSTAMPED = QColor("#b25e00")


def slot_of_column(column: int) -> Slot | None:
    i = column - COL_FIRST_SLOT
    return SLOTS[i] if 0 <= i < len(SLOTS) else None


_DISPATCH_ROLES = frozenset(
    int(r) for r in (Qt.ItemDataRole.DisplayRole, SortRole, RowRole, Qt.ItemDataRole.ForegroundRole,
                     Qt.ItemDataRole.FontRole, Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.ToolTipRole)
)  # fmt: skip


class DispatchModel(QAbstractTableModel):
    """Rows are ``app.ops.dispatch.DispatchRow``; drops of checked pages land on a slot cell."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[Any] = []
        self._bold = QFont()
        self._bold.setBold(True)

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(DISPATCH_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return DISPATCH_COLUMNS[section] if 0 <= section < len(DISPATCH_COLUMNS) else None
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _DISPATCH_ROLES or not index.isValid():  # a painted cell asks a dozen roles: most cheaply
            return None
        row = self.rows[index.row()]
        col = index.column()
        slot = slot_of_column(col)
        if role in (Qt.ItemDataRole.DisplayRole, SortRole):
            if col == 0:
                return index.row() + 1 if role == SortRole else str(index.row() + 1)
            if slot is not None:
                return row.cell(slot)
            case = row.case
            if col == COL_BLANKS:
                return blanks_text(row)
            values = {1: case.name, 2: mask_id(case.id_number), 3: case.series, 4: case.specialty,
                      COL_PUBLICITY_PERIOD: row.publicity or "", COL_PROBLEM: self._todo(row)}  # fmt: skip
            return values.get(col)
        if role == RowRole:
            return row
        if role == Qt.ItemDataRole.ForegroundRole:
            if slot is not None:
                mark = row.cell(slot)
                return _OK if mark == "√" else _UNSTAMPED if mark.startswith("√") else _MISSING
            if col == COL_PROBLEM and not row.ready:
                return _MISSING
            return None
        if role == Qt.ItemDataRole.FontRole and slot is not None:
            return self._bold
        if role == Qt.ItemDataRole.TextAlignmentRole and (slot is not None or col == 0):
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.ToolTipRole:
            if slot is not None:
                a = row.slots.get(slot)
                if a is None:
                    return _("{slot}未上传：把扫描件拖到这一格，或拖到本页任意位置自动分拣").format(slot=slot.label)
                tip = _("{file}（{when}）：{message}").format(
                    file=a.original_name, when=a.stored_at.isoformat(" ", "minutes"), message=a.message or a.verdict
                )
                if a.stamped is False:
                    tip += "\n" + _("系统能识别，但这一页{note}：送审、导出前会要求确认").format(
                        note=a.stamp_note or _("未见签字盖章")
                    )
                return tip
            if col == COL_PROBLEM:
                return row.problem() or None
            if col == COL_BLANKS:
                return blanks_tip(row)
        return None

    @staticmethod
    def _todo(row: Any) -> str:
        if row.ready:
            return _("可以送审") + (f"（{'；'.join(row.warnings)}）" if row.warnings else "")
        return row.blockers() or ""

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and slot_of_column(index.column()) is not None:
            return base | Qt.ItemFlag.ItemIsDropEnabled
        return base

    def mimeTypes(self) -> list[str]:
        return [PAGE_MIME, "text/uri-list"]

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction


def blanks_text(row: Any) -> str:
    """ "考核表 11-03 · 意见表 未导入": which blanks from the portal are known, and since when."""
    return " · ".join(
        f"{BLANK_SHORT[s]} {b.came_at:%m-%d}" if b is not None else f"{BLANK_SHORT[s]} {_('未导入')}"
        for s, b in row.blanks.items()
    )


def blanks_tip(row: Any) -> str:
    lines = []
    for s, b in row.blanks.items():
        if b is None:
            lines.append(_("{slot}：还没有导入从系统下载的空白表（把下载的 PDF 拖到本页）").format(slot=s.label))
        else:
            lines.append(_("{slot}：{when} 导入（第 {n} 份，来自 {file}）").format(
                slot=s.label, when=b.came_at.isoformat(" ", "minutes"), n=b.number, file=b.source_name))  # fmt: skip
    return "\n".join(lines)


_DISPLAY, _FOREGROUND, _TOOLTIP = (int(Qt.ItemDataRole.DisplayRole), int(Qt.ItemDataRole.ForegroundRole),
                                   int(Qt.ItemDataRole.ToolTipRole))  # fmt: skip


@dataclass(frozen=True)
class PageLine:
    """One checked page of a drop: placed with a case (and stored or not) or waiting to be assigned."""

    result: PageResult
    case_id: int | None
    case_name: str
    slot: Slot | None
    stored: bool
    message: str
    checking: bool = False  # checked while the sort goes on: not placed yet

    @cached_property
    def file(self) -> Path:
        return Path(self.result.file)

    @cached_property
    def values(self) -> tuple[Any, ...]:
        """What the columns of :data:`PAGE_COLUMNS` show (computed once: a table asks on every paint)."""
        r = self.result
        return (self.file.name, self.page, r.final.label, self.case_name, self.slot.label if self.slot else "",
                PageModel.outcome(self), self.message, self.fix)  # fmt: skip

    @cached_property
    def cells(self) -> tuple[dict[int, Any], ...]:
        """What each cell of the page's row holds, by role: its text, its colour (自检结论, 结果) and the tooltip."""
        ok = self.result.ok
        tip = f"{self.file}\n{self.message}\n{self.fix}".strip()
        cells = []
        for col, value in enumerate(self.values):
            cell: dict[int, Any] = {_DISPLAY: value if isinstance(value, str) else str(value), _TOOLTIP: tip}
            if col in (2, 5):
                cell[_FOREGROUND] = _OK if (ok and (col == 2 or self.stored)) else _MISSING
            cells.append(cell)
        return tuple(cells)

    @cached_property
    def fix(self) -> str:
        """What to do, with where in the window it is done."""
        return fix_text(self.result.fix, self.result.next) or ""

    @property
    def page(self) -> int:
        return int(self.result.page)


PAGE_COLUMNS = ("文件", "页", "自检结论", "人员", "附件栏", "结果", "说明", "处理办法")


def stale_case(line: PageLine | None) -> int | None:
    """The case whose current form should be printed again: the page is from an older revision."""
    if line is None or line.result.final is not Verdict.STALE:
        return None
    return line.result.case_id


def verdict_html(line: PageLine) -> str:
    """The selected page's verdict, what it means and what to do, for the card beside the preview."""
    r = line.result
    color = _OK.name() if r.ok else _MISSING.name()
    where = f"{line.case_name} · {line.slot.label}" if line.case_name and line.slot else ""
    parts = [
        f'<p><b style="color:{color}; font-size:12pt;">{html.escape(r.final.label)}</b>'
        f"&nbsp;&nbsp;{html.escape(PageModel.outcome(line))}" + (f"<br>{html.escape(where)}" if where else "") + "</p>",
        f"<p>{html.escape(line.message)}</p>" if line.message else "",
        _stamp_html(r),
        f"<p><b>{_('处理办法')}：</b>{html.escape(line.fix)}</p>" if line.fix else "",
    ]
    return "".join(parts)


def _stamp_html(r: PageResult) -> str:
    """A 盖章页's seal and signature as the check saw them, pointing at the areas outlined on the preview."""
    if not r.stamp_areas:
        return ""
    seen = {
        True: _("已见单位公章和负责人签字"),
        False: r.stamp_note or _("未见签字盖章"),
        None: _("无法判断是否已签字盖章，请目视核对"),
    }[r.stamped]
    return (
        f"<p><b>{_('签字盖章')}：</b>{html.escape(seen)}<br>"
        f'<span style="color:#6b7685;">{_("预览中的虚线框是查看公章、签字的位置")}</span></p>'
    )


_PAGE_FLAGS = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemNeverHasChildren


def _flags(line: PageLine) -> Qt.ItemFlag:
    """A page not stored can be dragged onto a slot cell, once the sort has placed it (while it goes on, the tab
    takes no other work)."""
    return _PAGE_FLAGS if line.stored or line.checking else _PAGE_FLAGS | Qt.ItemFlag.ItemIsDragEnabled


def _cells(line: PageLine) -> list[QStandardItem]:
    flags = _flags(line)
    items = []
    for cell in line.cells:
        item = QStandardItem()
        for role, value in cell.items():
            item.setData(value, role)
        item.setFlags(flags)
        items.append(item)
    return items


class PageModel(QStandardItemModel):
    """The checked pages of the last drop (:attr:`lines`, one row each); unplaced pages can be dragged onto a slot
    cell.

    The cells are Qt's own (a :class:`QStandardItem` each, set when a page comes or changes), so painting the list
    calls no Python: a screenful of a Python model's cells took 10 ms to paint (every cell asking its index, flags
    and a dozen roles of Python), this way 3 ms; the list is painted as a sort's pages come.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(0, len(PAGE_COLUMNS), parent)
        self.setHorizontalHeaderLabels(list(PAGE_COLUMNS))
        self.lines: list[PageLine] = []

    def set_lines(self, lines: Sequence[PageLine]) -> None:
        if self.lines:
            self.lines = []
            self.removeRows(0, self.rowCount())
        self.add_lines(lines)

    def add_lines(self, lines: Sequence[PageLine]) -> None:
        if not lines:
            return
        first = len(self.lines)
        self.lines.extend(lines)
        self.insertRows(first, len(lines))  # one insertion, of empty rows …
        with QSignalBlocker(self):  # … filled without a change told per cell
            for row, line in enumerate(lines, start=first):
                for col, item in enumerate(_cells(line)):
                    self.setItem(row, col, item)
        self._changed(first, len(self.lines) - 1)

    def update_lines(self, lines: Sequence[PageLine]) -> None:
        """The same pages as listed, each told anew (placed, stored): only the cells that differ set, told as one
        change (no reset: a reset lays the list out and measures it again); a different list is set as new."""
        if [(line.result.file, line.result.page) for line in lines] != [
            (line.result.file, line.result.page) for line in self.lines
        ]:
            self.set_lines(lines)
            return
        old, self.lines = self.lines, list(lines)
        with QSignalBlocker(self):
            for row, (before, line) in enumerate(zip(old, self.lines, strict=True)):
                self._tell(row, before, line)
        if self.lines:
            self._changed(0, len(self.lines) - 1)

    def replace(self, row: int, line: PageLine) -> None:
        before, self.lines[row] = self.lines[row], line
        with QSignalBlocker(self):
            self._tell(row, before, line)
        self._changed(row, row)

    def _tell(self, row: int, before: PageLine, line: PageLine) -> None:
        """Row ``row`` made to show ``line`` instead of ``before``, cell by cell, what differs only."""
        flags = _flags(line)
        new_flags = _flags(before) != flags
        for col, (was, now) in enumerate(zip(before.cells, line.cells, strict=True)):
            if was == now and not new_flags:
                continue
            item = self.item(row, col)
            for role, value in now.items():
                if was.get(role) != value:
                    item.setData(value, role)
            if new_flags:
                item.setFlags(flags)

    def _changed(self, first: int, last: int) -> None:
        self.dataChanged.emit(self.index(first, 0), self.index(last, len(PAGE_COLUMNS) - 1))

    @staticmethod
    def outcome(line: PageLine) -> str:
        if line.checking:
            return _("正在分拣…")
        if line.stored:
            return _("已放入")
        if line.case_id is not None and line.slot is not None:
            return _("已识别，未放入")
        return _("待指定")

    def mimeTypes(self) -> list[str]:
        return [PAGE_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        data = QMimeData()
        rows = sorted({i.row() for i in indexes if i.isValid()})
        data.setData(PAGE_MIME, ",".join(str(r) for r in rows).encode("ascii"))
        return data

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction
