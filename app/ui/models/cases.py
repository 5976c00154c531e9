"""The review queue (审核列表): a table model over case rows and the filter proxy.

Smooth with 10,000 cases: rows are plain tuples built once; sorting happens in
Python on native keys in :meth:`CaseTableModel.sort` (one pass, not one Python
``lessThan`` call per comparison), and the proxy only filters.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

from app.core.ids import mask_id
from app.core.review import Status
from app.core.urgency import Urgency
from app.ops.cases import CaseRow
from app.ui.i18n import _, name_ranks
from app.ui.models import ROOT, RowRole, SortRole, UrgencyRole

Index = QModelIndex | QPersistentModelIndex

URGENCY_ORDER = {u: i for i, u in enumerate(Urgency)}
STATUS_ORDER = {s: i for i, s in enumerate(Status)}
STATUS_COLORS = {
    Status.PENDING: "#1f5fa8",
    Status.PASSED: "#1e6b34",
    Status.RETURNED: "#a65e00",
    Status.UNQUALIFIED: "#a61d1d",
    Status.TERMINATED: "#5f6368",
    Status.DISPATCHED: "#5f6368",
}


@dataclass(frozen=True, slots=True)
class QueueRow:
    """One line of 审核列表, with what the filter and the sort need precomputed."""

    case_id: int
    business: str
    name: str
    id_masked: str
    series: str
    specialty: str
    status: Status
    urgency: Urgency
    deadline: date
    closed_reason: str | None
    haystack: str
    cells: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.cells:
            cells = (str(self.case_id), self.business, self.name, self.id_masked, self.series, self.specialty,
                     self.status.label, self.urgency.label, self.deadline.isoformat())  # fmt: skip
            object.__setattr__(self, "cells", cells)

    @classmethod
    def from_case_row(cls, row: CaseRow) -> QueueRow:
        c = row.case
        return cls(
            case_id=c.id,
            business=c.business,
            name=c.name,
            id_masked=mask_id(c.id_number),
            series=c.series,
            specialty=c.specialty,
            status=c.status,
            urgency=row.urgency,
            deadline=row.plan.window_end,
            closed_reason=row.closed_reason,
            haystack=f"{c.name}\n{c.id_number.upper()}",
        )


COLUMNS: tuple[str, ...] = (
    _("序号"),
    _("业务名称"),
    _("申报人"),
    _("证件号码"),
    _("系列"),
    _("专业"),
    _("状态"),
    _("临近审核状态"),
    _("截止日期"),
)
COL_NO, COL_BUSINESS, COL_NAME, COL_ID, COL_SERIES, COL_SPECIALTY, COL_STATUS, COL_URGENCY, COL_DEADLINE = range(9)


# plain ints: comparing against Qt's enum members costs more than the rest of data()
_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole.value)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
_SORT = int(SortRole)
_ROW = int(RowRole)
_URGENCY = int(UrgencyRole)
_CENTER = Qt.AlignmentFlag.AlignCenter
_LEFT = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
_ALIGNMENTS = tuple(_CENTER if c in (COL_NO, COL_URGENCY, COL_DEADLINE, COL_ID) else _LEFT for c in range(len(COLUMNS)))
_STATUS_BRUSHES = {s: QColor(c) for s, c in STATUS_COLORS.items()}
_ID_TIP = _("证件号码已隐去中间八位；可按完整号码搜索")
_OPEN_TIP = _("可以审核")


class CaseTableModel(QAbstractTableModel):
    """Rows of :class:`QueueRow`; ``SortRole`` gives native values, ``RowRole`` the row."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[QueueRow] = []
        self._ranks: dict[str, dict[str, int]] = {}
        self._sort: tuple[int, Qt.SortOrder] = (COL_NO, Qt.SortOrder.AscendingOrder)

    # -- content ---------------------------------------------------------------

    def set_rows(self, rows: Iterable[QueueRow]) -> None:
        self.beginResetModel()
        self.rows[:] = rows  # in place: the proxy keeps a reference to this list
        self._rank_texts()
        self._sort_rows(*self._sort)
        self.endResetModel()

    def update_rows(self, rows: Sequence[QueueRow]) -> None:
        """Replace the given cases' rows in place (a review changed their status)."""
        where = {r.case_id: i for i, r in enumerate(self.rows)}
        changed = False
        for row in rows:
            i = where.get(row.case_id)
            if i is None:
                continue
            self.rows[i] = row
            changed = True
            self.dataChanged.emit(self.index(i, 0), self.index(i, len(COLUMNS) - 1))
        if changed:
            self._rank_texts()

    def row_of(self, case_id: int) -> int:
        for i, r in enumerate(self.rows):
            if r.case_id == case_id:
                return i
        return -1

    def _rank_texts(self) -> None:
        self._ranks = {
            "name": name_ranks(r.name for r in self.rows),
            "business": name_ranks(r.business for r in self.rows),
            "series": name_ranks(r.series for r in self.rows),
            "specialty": name_ranks(r.specialty for r in self.rows),
        }

    # -- Qt model interface -------------------------------------------------------

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        role = int(role)
        if role == _DISPLAY:
            return self.rows[index.row()].cells[index.column()]
        if role == _ALIGN:
            return _ALIGNMENTS[index.column()]
        if role == _FOREGROUND:
            return _STATUS_BRUSHES[self.rows[index.row()].status] if index.column() == COL_STATUS else None
        if role == _URGENCY:
            return self.rows[index.row()].urgency if index.column() == COL_URGENCY else None
        if role == _SORT:
            return self.sort_key(index.column())(self.rows[index.row()])
        if role == _ROW:
            return self.rows[index.row()]
        if role == _TOOLTIP:
            col = index.column()
            if col == COL_URGENCY:
                return self.rows[index.row()].closed_reason or _OPEN_TIP
            return _ID_TIP if col == COL_ID else None
        return None

    def sort_key(self, column: int) -> Callable[[QueueRow], Any]:
        """The native value a column sorts by (names in pinyin order through QCollator)."""
        ranks = self._ranks
        keys: dict[int, Callable[[QueueRow], Any]] = {
            COL_NO: lambda r: r.case_id,
            COL_BUSINESS: lambda r: ranks["business"].get(r.business, 0),
            COL_NAME: lambda r: ranks["name"].get(r.name, 0),
            COL_ID: lambda r: r.id_masked,
            COL_SERIES: lambda r: ranks["series"].get(r.series, 0),
            COL_SPECIALTY: lambda r: ranks["specialty"].get(r.specialty, 0),
            COL_STATUS: lambda r: STATUS_ORDER[r.status],
            COL_URGENCY: lambda r: URGENCY_ORDER[r.urgency],
            COL_DEADLINE: lambda r: r.deadline.toordinal(),
        }
        return keys.get(column, keys[COL_NO])

    def _sort_rows(self, column: int, order: Qt.SortOrder) -> None:
        key = self.sort_key(column)
        self.rows.sort(
            key=lambda r: (key(r), r.case_id),
            reverse=order == Qt.SortOrder.DescendingOrder,
        )

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        ids = [self.rows[i.row()].case_id if i.isValid() else None for i in persistent]
        self._sort_rows(column, order)
        where = {r.case_id: i for i, r in enumerate(self.rows)}
        moved = [
            self.index(where[case_id], old.column()) if case_id is not None else QModelIndex()
            for case_id, old in zip(ids, persistent, strict=True)
        ]
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()


class SerialDelegate(QStyledItemDelegate):
    """序号 is the running number of the list as shown, as on the portal (the model holds the case number)."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:
        super().initStyleOption(option, index)
        option.text = str(index.row() + 1)


class CaseFilterProxy(QSortFilterProxyModel):
    """Filters by status, urgency and a search text (name or full ID number).

    Sorting is delegated to the source model (see the module docstring); the
    proxy keeps the source order.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._status: Status | None = None
        self._urgency: Urgency | None = None
        self._needle = ""
        self._rows: list[QueueRow] = []
        self.setDynamicSortFilter(True)

    def setSourceModel(self, model: CaseTableModel) -> None:  # type: ignore[override]
        self._rows = model.rows
        super().setSourceModel(model)

    def set_status(self, status: Status | None) -> None:
        if status != self._status:
            self.beginFilterChange()
            self._status = status
            self.invalidateRowsFilter()

    def set_urgency(self, urgency: Urgency | None) -> None:
        if urgency != self._urgency:
            self.beginFilterChange()
            self._urgency = urgency
            self.invalidateRowsFilter()

    def set_search(self, text: str) -> None:
        needle = text.strip().upper()
        if needle != self._needle:
            self.beginFilterChange()
            self._needle = needle
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        row = self._rows[source_row]
        if self._status is not None and row.status is not self._status:
            return False
        if self._urgency is not None and row.urgency is not self._urgency:
            return False
        return not self._needle or self._needle in row.haystack

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sourceModel().sort(column, order)

    def case_ids(self) -> list[int]:
        """The cases shown, in the order shown (for 上一条 / 下一条)."""
        source = self.sourceModel()
        return [source.rows[self.mapToSource(self.index(i, 0)).row()].case_id for i in range(self.rowCount())]  # type: ignore[attr-defined]
