"""The review queue (审核列表): a table model over case rows and the filter proxy.

Smooth with 10,000 cases: rows are plain tuples built once; sorting happens in
Python on native keys in :meth:`CaseTableModel.sort` (one pass, not one Python
``lessThan`` call per comparison), and the proxy filters in one pass over the
rows' precomputed search texts (see :class:`CaseFilterProxy`).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol, cast

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractProxyModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QPainter, QPalette
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem, QWidget

from app.core.ids import mask_id
from app.core.review import Status
from app.core.urgency import Urgency
from app.ops.cases import CaseRow
from app.ui.i18n import _, name_ranks
from app.ui.models import ROOT, RowRole, SortRole, UrgencyRole
from app.ui.widgets import paint_urgency_badge, urgency_badge_size

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
    search_text: str
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
            search_text=search_text(c.name, c.id_number, c.specialty),
        )


def folded(text: str) -> str:
    """Full-width letters, digits and signs as half-width ones (NFKC), letters in upper case."""
    return unicodedata.normalize("NFKC", text).upper()


def search_text(name: str, id_number: str, specialty: str) -> str:
    """What the search box looks in, folded once per row: one line per field, so that a search
    never matches across two of them."""
    return folded(f"{name}\n{id_number}\n{specialty}")


def search_needle(text: str) -> str | re.Pattern[str]:
    """What a row's :func:`search_text` must contain for ``text`` typed in the search box. An ID
    number copied from the list keeps its mask: each * stands for one hidden character (a
    pattern then), as in ``zcws cases --search``."""
    needle = folded(text).strip()
    if "*" in needle:
        return re.compile(".".join(re.escape(part) for part in needle.split("*")))
    return needle


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
_FLAGS = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemNeverHasChildren
_HAS_DISPLAY = QStyleOptionViewItem.ViewItemFeature.HasDisplay
_TEXT = QPalette.ColorRole.Text
# a filter or a sort moves rows only: the horizontal header has nothing to redo
_ROWS_ONLY = QAbstractItemModel.LayoutChangeHint.VerticalSortHint
_LAYOUT_SIGNAL = "QList<QPersistentModelIndex>,QAbstractItemModel::LayoutChangeHint"
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

    def flags(self, index: Index) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        return self.cell(index.row(), index.column(), role)

    def cell(self, row: int, column: int, role: int) -> Any:
        """``data()`` of a row and column (the proxy asks here without making an index)."""
        role = int(role)
        if role == _DISPLAY:
            return self.rows[row].cells[column]
        if role == _ALIGN:
            return _ALIGNMENTS[column]
        if role == _FOREGROUND:
            return _STATUS_BRUSHES[self.rows[row].status] if column == COL_STATUS else None
        if role == _URGENCY:
            return self.rows[row].urgency if column == COL_URGENCY else None
        if role == _SORT:
            return self.sort_key(column)(self.rows[row])
        if role == _ROW:
            return self.rows[row]
        if role == _TOOLTIP:
            if column == COL_URGENCY:
                return self.rows[row].closed_reason or _OPEN_TIP
            return _ID_TIP if column == COL_ID else None
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


class CaseFilterProxy(QAbstractProxyModel):
    """Filters by status, urgency and a search text (name, ID number, specialty), in the source's order.

    Qt's ``QSortFilterProxyModel`` would call a Python ``filterAcceptsRow`` once per case at
    every keystroke and then tell the view about every run of rows that came or went; here one
    pass over the rows' precomputed :func:`search_text` gives the rows shown, and the view hears
    one layout change, as after ``QSortFilterProxyModel.invalidate()``. Sorting is delegated to
    the source model (see the module docstring).
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._status: Status | None = None
        self._urgency: Urgency | None = None
        self._needle: str | re.Pattern[str] = ""
        self._rows: list[QueueRow] = []
        self._source: CaseTableModel  # set with the source model
        self._shown: list[int] = []  # the source rows shown, ascending
        #: each persistent index (as persistentIndexList gives it) → what it showed, as the source's
        self._saved: list[tuple[QModelIndex, QPersistentModelIndex]] = []

    def setSourceModel(self, model: CaseTableModel) -> None:  # type: ignore[override]  # ours only: its rows are read directly
        self.beginResetModel()
        super().setSourceModel(model)
        self._source = model  # sourceModel() costs a call into Qt, and a paint asks for every cell
        self._rows = model.rows
        self._shown = self._accepted()
        model.modelAboutToBeReset.connect(self.beginResetModel)
        model.modelReset.connect(self._source_reset)
        model.layoutAboutToBeChanged.connect(self._begin_layout)
        model.layoutChanged.connect(lambda: self._end_layout())
        model.dataChanged.connect(self._source_data_changed)
        self.endResetModel()

    # -- the filters -------------------------------------------------------------------

    def set_status(self, status: Status | None) -> None:
        if status != self._status:
            self._begin_layout()
            self._status = status
            self._end_layout()

    def set_urgency(self, urgency: Urgency | None) -> None:
        if urgency != self._urgency:
            self._begin_layout()
            self._urgency = urgency
            self._end_layout()

    def set_search(self, text: str) -> None:
        needle = search_needle(text)
        if needle != self._needle:
            # a text typed on from the one before finds among what that one found
            among = (
                self._shown
                if isinstance(needle, str) and isinstance(self._needle, str) and self._needle in needle
                else None
            )
            self._begin_layout()
            self._needle = needle
            self._end_layout(among)

    def _accepted(self, among: Sequence[int] | None = None) -> list[int]:
        """The source rows the filters accept (of ``among`` only, when given), ascending."""
        rows, needle = self._rows, self._needle
        candidates = range(len(rows)) if among is None else among
        if isinstance(needle, re.Pattern):
            search = needle.search
            shown = [i for i in candidates if search(rows[i].search_text)]
        elif needle:
            shown = [i for i in candidates if needle in rows[i].search_text]
        else:
            shown = list(candidates)
        if self._status is not None:
            shown = [i for i in shown if rows[i].status is self._status]
        if self._urgency is not None:
            shown = [i for i in shown if rows[i].urgency is self._urgency]
        return shown

    # -- following the source and the filters ----------------------------------------------

    def _source_reset(self) -> None:
        self._shown = self._accepted()
        self.endResetModel()

    def _begin_layout(self) -> None:
        """Before the rows shown change: remember what each persistent index (the selection,
        the current row) shows, as an index of the source that the source keeps up to date."""
        self.layoutAboutToBeChanged[_LAYOUT_SIGNAL].emit([], _ROWS_ONLY)  # type: ignore[index]  # PySide6's stub cannot pick a signal's overload by signature; Qt needs the one with the hint
        source = self.sourceModel()
        self._saved = [
            (p, QPersistentModelIndex(source.index(self._shown[p.row()], p.column()) if p.isValid() else ROOT))
            for p in self.persistentIndexList()
        ]

    def _end_layout(self, among: Sequence[int] | None = None) -> None:
        self._shown = self._accepted(among)
        old = [p for p, _ in self._saved]
        new = [self.mapFromSource(s) for _, s in self._saved]
        self._saved = []
        self.changePersistentIndexList(old, new)
        self.layoutChanged[_LAYOUT_SIGNAL].emit([], _ROWS_ONLY)  # type: ignore[index]  # as in _begin_layout

    def _source_data_changed(self, top_left: QModelIndex, bottom_right: QModelIndex, roles: Sequence[int]) -> None:
        # a review changes a case's status: it may leave or join the rows shown
        if self._accepted() != self._shown:
            self._begin_layout()
            self._end_layout()
            return
        first = bisect_left(self._shown, top_left.row())
        last = bisect_left(self._shown, bottom_right.row() + 1) - 1
        if first <= last:
            self.dataChanged.emit(self.index(first, top_left.column()), self.index(last, bottom_right.column()), roles)

    # -- Qt proxy interface -------------------------------------------------------------

    def mapToSource(self, proxy_index: Index) -> QModelIndex:
        if not proxy_index.isValid():
            return QModelIndex()
        return self.sourceModel().index(self._shown[proxy_index.row()], proxy_index.column())

    def mapFromSource(self, source_index: Index) -> QModelIndex:
        if not source_index.isValid():
            return QModelIndex()
        row = bisect_left(self._shown, source_index.row())
        if row == len(self._shown) or self._shown[row] != source_index.row():
            return QModelIndex()
        return self.createIndex(row, source_index.column())

    def index(self, row: int, column: int, parent: Index = ROOT) -> QModelIndex:
        if parent.isValid() or not (0 <= row < len(self._shown) and 0 <= column < len(COLUMNS)):
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, child: Index | None = None) -> Any:
        if child is None:  # QObject.parent()
            return super().parent()
        return QModelIndex()

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def hasChildren(self, parent: Index = ROOT) -> bool:
        return not parent.isValid() and bool(self._shown)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        return self.sourceModel().headerData(section, orientation, role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        return self.cell(index.row(), index.column(), role)

    def cell(self, row: int, column: int, role: int) -> Any:
        """``data()`` of a row as shown, straight from the source's row (no index made)."""
        return self._source.cell(self._shown[row], column, role)

    def look(self, row: int, column: int) -> tuple[str, Qt.AlignmentFlag, QColor | None]:
        """The text, alignment and colour ``data()`` gives a cell, in one call."""
        source_row, cell = self._shown[row], self._source.cell
        return (
            cell(source_row, column, _DISPLAY),
            cell(source_row, column, _ALIGN),
            cell(source_row, column, _FOREGROUND),
        )

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sourceModel().sort(column, order)

    def case_ids(self) -> list[int]:
        """The cases shown, in the order shown (for 上一条 / 下一条)."""
        return [self._rows[i].case_id for i in self._shown]


class _ItemOption(Protocol):
    """The members of a :class:`QStyleOptionViewItem` the delegates set and read: PySide6 has them at
    run time, its stub leaves them out."""

    index: Index
    features: QStyleOptionViewItem.ViewItemFeature
    text: str
    displayAlignment: Qt.AlignmentFlag
    palette: QPalette
    styleObject: QObject | None
    rect: QRect
    font: QFont


class QueueDelegate(QStyledItemDelegate):
    """Paints a cell of 审核列表 with what the model's ``data()`` gives for it, asked in one call
    per cell (Qt's own ``initStyleOption`` asks the model for seven roles, each a call into
    Python: most of a repaint's time). 序号 is the running number of the list as shown, as on the
    portal (the model holds the case number)."""

    def __init__(self, proxy: CaseFilterProxy, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._proxy = proxy
        self._look = proxy.look  # an attribute of a Qt object costs a lookup through Qt's own first

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:
        o = cast(_ItemOption, option)
        row, column = index.row(), index.column()
        text, alignment, foreground = self._look(row, column)
        o.index = index
        o.features |= _HAS_DISPLAY
        o.text = str(row + 1) if column == COL_NO else text
        o.displayAlignment = alignment
        if foreground is not None:
            palette = QPalette(o.palette)
            palette.setBrush(_TEXT, foreground)
            o.palette = palette
        o.styleObject = None  # as Qt's own: no style animations in item views


class UrgencyBadgeDelegate(QueueDelegate):
    """临近审核状态 as a coloured badge over the cell's background and selection."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:
        super().initStyleOption(option, index)
        cast(_ItemOption, option).text = ""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        super().paint(painter, option, index)
        state = self._proxy.cell(index.row(), index.column(), _URGENCY)
        if state is not None:
            o = cast(_ItemOption, option)
            paint_urgency_badge(painter, o.rect, o.font, state)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        size = super().sizeHint(option, index)
        state = self._proxy.cell(index.row(), index.column(), _URGENCY)
        return size.expandedTo(urgency_badge_size(cast(_ItemOption, option).font, state)) if state is not None else size
