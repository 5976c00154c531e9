"""The review queue (审核列表): one table model over case rows, which filters them too, and the
delegates that paint its columns.

Smooth with 10,000 cases: rows are plain tuples built once; sorting happens in
Python on native keys in :meth:`CaseTableModel.sort` (one pass, not one Python
``lessThan`` call per comparison), the filters in one pass over the rows'
precomputed search texts, and a repaint crosses from C++ into Python as little as
a cell allows (see :class:`CaseTableModel` and :class:`QueueDelegate`).
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
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem, QWidget

from app.core.ids import mask_id
from app.core.review import Status
from app.core.urgency import Urgency
from app.ops.cases import CaseRow
from app.ui.i18n import _, name_ranks
from app.ui.models import ROOT, RowRole, SortRole, UrgencyRole
from app.ui.widgets import urgency_badge_size

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
_HAS_DISPLAY = QStyleOptionViewItem.ViewItemFeature.HasDisplay
_HAS_DISPLAY_ALTERNATE = _HAS_DISPLAY | QStyleOptionViewItem.ViewItemFeature.Alternate
_TEXT = QPalette.ColorRole.Text
# a filter or a sort moves rows only: the horizontal header has nothing to redo
_ROWS_ONLY = QAbstractItemModel.LayoutChangeHint.VerticalSortHint
_LAYOUT_SIGNAL = "QList<QPersistentModelIndex>,QAbstractItemModel::LayoutChangeHint"
_ID_TIP = _("证件号码已隐去中间八位；可按完整号码搜索")
_OPEN_TIP = _("可以审核")


class CaseTableModel(QAbstractTableModel):
    """审核列表's model: every case's :class:`QueueRow` in ``rows`` (in the sort order), of which the
    model shows those the filters accept (status, urgency and a search text: name, ID number,
    specialty). ``SortRole`` gives native values, ``RowRole`` the row.

    The view's model itself, with no proxy between: a proxy's ``index()``, ``flags()`` and
    ``mapToSource()`` would each be a call from C++ into Python for every cell a repaint paints,
    where this model's ``flags()`` is Qt's own and its ``index()`` the one call. A filter changes
    the rows shown by one pass over the rows' precomputed :func:`search_text`, and the view hears
    one layout change (rows only), the persistent indexes (the selection, the current row)
    following their cases.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[QueueRow] = []
        self._shown: list[int] = []  # the positions in rows shown, ascending
        self._status: Status | None = None
        self._urgency: Urgency | None = None
        self._needle: str | re.Pattern[str] = ""
        self._ranks: dict[str, dict[str, int]] = {}
        self._sort: tuple[int, Qt.SortOrder] = (COL_NO, Qt.SortOrder.AscendingOrder)

    # -- content ---------------------------------------------------------------

    def set_rows(self, rows: Iterable[QueueRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self._rank_texts()
        self._sort_rows(*self._sort)
        self._shown = self._accepted(self.rows)
        self.endResetModel()

    def update_rows(self, rows: Sequence[QueueRow]) -> None:
        """Replace the given cases' rows in place (a review changed their status): they may then
        leave or join the rows shown."""
        where = {r.case_id: i for i, r in enumerate(self.rows)}
        updated = list(self.rows)
        changed = []
        for row in rows:
            i = where.get(row.case_id)
            if i is not None:
                updated[i] = row
                changed.append(i)
        if not changed:
            return
        shown = self._accepted(updated)
        if shown == self._shown:
            self.rows = updated
            self._rank_texts()
            for i in changed:
                at = bisect_left(shown, i)
                if at < len(shown) and shown[at] == i:
                    self.dataChanged.emit(self.index(at, 0), self.index(at, len(COLUMNS) - 1))
            return
        self._begin_layout()
        kept = self._kept()
        self.rows = updated
        self._rank_texts()
        self._shown = shown
        self._end_layout(kept)

    def row_of(self, case_id: int) -> int:
        """The row that shows a case, -1 when none does."""
        for row, i in enumerate(self._shown):
            if self.rows[i].case_id == case_id:
                return row
        return -1

    def shown_row(self, row: int) -> QueueRow:
        """The case the view's ``row`` shows."""
        return self.rows[self._shown[row]]

    def case_ids(self) -> list[int]:
        """The cases shown, in the order shown (for 上一条 / 下一条)."""
        rows = self.rows
        return [rows[i].case_id for i in self._shown]

    def _rank_texts(self) -> None:
        self._ranks = {
            "name": name_ranks(r.name for r in self.rows),
            "business": name_ranks(r.business for r in self.rows),
            "series": name_ranks(r.series for r in self.rows),
            "specialty": name_ranks(r.specialty for r in self.rows),
        }

    # -- the filters -------------------------------------------------------------------

    def set_status(self, status: Status | None) -> None:
        if status != self._status:
            self._status = status
            self._refilter()

    def set_urgency(self, urgency: Urgency | None) -> None:
        if urgency != self._urgency:
            self._urgency = urgency
            self._refilter()

    def set_search(self, text: str) -> None:
        needle = search_needle(text)
        if needle != self._needle:
            # a text typed on from the one before finds among what that one found
            narrower = isinstance(needle, str) and isinstance(self._needle, str) and self._needle in needle
            self._needle = needle
            self._refilter(self._shown if narrower else None)

    def _accepted(self, rows: Sequence[QueueRow], among: Sequence[int] | None = None) -> list[int]:
        """The positions in ``rows`` the filters accept (of ``among`` only, when given), ascending."""
        needle = self._needle
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

    def _refilter(self, among: Sequence[int] | None = None) -> None:
        self._begin_layout()
        kept = self._kept()
        self._shown = self._accepted(self.rows, among)
        self._end_layout(kept)

    # -- layout changes that keep the selection ------------------------------------------

    def _begin_layout(self) -> None:
        # a filter or a sort moves rows only: the horizontal header has nothing to redo
        self.layoutAboutToBeChanged[_LAYOUT_SIGNAL].emit([], _ROWS_ONLY)  # type: ignore[index]  # PySide6's stub cannot pick a signal's overload by signature; Qt needs the one with the hint

    def _kept(self) -> list[tuple[QModelIndex, int]]:
        """Each persistent index (the selection, the current row) with the position in ``rows`` of
        the case it shows."""
        return [(p, self._shown[p.row()]) for p in self.persistentIndexList()]

    def _end_layout(self, kept: list[tuple[QModelIndex, int]], moved: dict[int, int] | None = None) -> None:
        """The persistent indexes moved to where their cases are now shown, or dropped (``moved``:
        the cases' new positions in ``rows``, after a sort)."""
        if kept:
            shown, new = self._shown, []
            for old, position in kept:
                if moved is not None:
                    position = moved[position]
                row = bisect_left(shown, position)
                found = row < len(shown) and shown[row] == position
                new.append(self.index(row, old.column()) if found else QModelIndex())
            self.changePersistentIndexList([old for old, _ in kept], new)
        self.layoutChanged[_LAYOUT_SIGNAL].emit([], _ROWS_ONLY)  # type: ignore[index]  # as in _begin_layout

    # -- Qt model interface -------------------------------------------------------

    def index(self, row: int, column: int, parent: Index = ROOT) -> QModelIndex:
        # one call into Python a cell painted: Qt's own index() would make two (rowCount, columnCount)
        if parent.isValid() or not (0 <= row < len(self._shown) and 0 <= column < len(COLUMNS)):
            return QModelIndex()
        return self.createIndex(row, column)

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._shown)

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
        if not index.isValid():
            return None
        return self.cell(index.row(), index.column(), role)

    def cell(self, row: int, column: int, role: int) -> Any:
        """``data()`` of a row shown and a column, without an index."""
        role = int(role)
        case = self.rows[self._shown[row]]
        if role == _DISPLAY:
            return case.cells[column]
        if role == _ALIGN:
            return _ALIGNMENTS[column]
        if role == _FOREGROUND:
            return _STATUS_BRUSHES[case.status] if column == COL_STATUS else None
        if role == _URGENCY:
            return case.urgency if column == COL_URGENCY else None
        if role == _SORT:
            return self.sort_key(column)(case)
        if role == _ROW:
            return case
        if role == _TOOLTIP:
            if column == COL_URGENCY:
                return case.closed_reason or _OPEN_TIP
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
        """Sorted in Python on native keys in one pass (not one Python ``lessThan`` per comparison);
        the filters keep what they show."""
        if not 0 <= column < len(COLUMNS):
            return
        self._sort = (column, order)
        self._begin_layout()
        kept = self._kept()
        cases = {self.rows[position].case_id: position for _, position in kept}
        self._sort_rows(column, order)
        moved = {cases[r.case_id]: i for i, r in enumerate(self.rows) if r.case_id in cases}
        self._shown = self._accepted(self.rows)
        self._end_layout(kept, moved)


class _ItemOption(Protocol):
    """The members of a :class:`QStyleOptionViewItem` the delegates set and read: PySide6 has them at
    run time, its stub leaves them out."""

    index: Index
    features: QStyleOptionViewItem.ViewItemFeature
    text: str
    displayAlignment: Qt.AlignmentFlag
    palette: QPalette
    styleObject: QObject | None
    font: QFont


class QueueDelegate(QStyledItemDelegate):
    """Paints a cell of one column of 审核列表 from the case its row shows, in one call from Qt per
    cell: Qt's own ``initStyleOption`` would ask the model's ``data()`` for seven roles, each a call
    into Python (most of a repaint's time). The option is set as Qt's own sets it from
    ``data()``: the text, its alignment, the features of a cell with text."""

    def __init__(self, model: CaseTableModel, column: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._row = model.shown_row  # an attribute of a Qt object costs a lookup through Qt's own first
        self._column = column
        # left-aligned is the view's own alignment: set only where it is not (a cell set costs)
        self._alignment = _ALIGNMENTS[column] if _ALIGNMENTS[column] != _LEFT else None

    def text(self, row: int) -> str:
        return self._row(row).cells[self._column]

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:
        o = cast(_ItemOption, option)
        row = index.row()
        o.index = index
        # set, not or-ed in: reading Qt's flags into Python costs more than the rest of this call.
        # The view marks every other row Alternate (it alternates its rows and hides none)
        o.features = _HAS_DISPLAY_ALTERNATE if row & 1 else _HAS_DISPLAY
        o.text = self.text(row)
        if self._alignment is not None:
            o.displayAlignment = self._alignment
        o.styleObject = None  # as Qt's own: no style animations in item views


class NumberDelegate(QueueDelegate):
    """序号: the running number of the list as shown, as on the portal (the model holds the case number)."""

    def text(self, row: int) -> str:
        return str(row + 1)


class StatusDelegate(QueueDelegate):
    """状态 in its status's colour."""

    def __init__(self, model: CaseTableModel, column: int, parent: QWidget | None = None) -> None:
        super().__init__(model, column, parent)
        # the view's palette with a status's text colour, made once (copying a palette costs)
        self._palettes: dict[tuple[int, Status], QPalette] = {}

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:
        super().initStyleOption(option, index)
        status = self._row(index.row()).status
        o = cast(_ItemOption, option)
        base = o.palette
        key = (base.cacheKey(), status)
        palette = self._palettes.get(key)
        if palette is None:
            if len(self._palettes) > 4 * len(Status):  # the view's palette changed more than once
                self._palettes.clear()
            palette = self._palettes[key] = QPalette(base)
            palette.setBrush(_TEXT, _STATUS_BRUSHES[status])
        o.palette = palette


class UrgencyBadgeDelegate(QueueDelegate):
    """临近审核状态: the cell's background and selection, and room for its badge; the view paints the
    badges over them (``QueueView``: a Python ``paint()`` here would cost a conversion of the style
    option per cell, more than the rest of the cell)."""

    def text(self, row: int) -> str:
        return ""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        size = super().sizeHint(option, index)
        return size.expandedTo(urgency_badge_size(cast(_ItemOption, option).font, self._row(index.row()).urgency))


def queue_delegates(model: CaseTableModel, parent: QWidget) -> list[QueueDelegate]:
    """One delegate per column of 审核列表, in column order."""
    kinds = {COL_NO: NumberDelegate, COL_STATUS: StatusDelegate, COL_URGENCY: UrgencyBadgeDelegate}
    return [kinds.get(column, QueueDelegate)(model, column, parent) for column in range(len(COLUMNS))]
