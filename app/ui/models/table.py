"""A read-only table of text rows (a module's 著作信息, 专利信息, the review history…).

An empty table shows one row saying 暂无数据, as the portal does; the view spans it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from app.core.review import EMPTY_TABLE
from app.ui.models import ROOT, RowRole, SortRole

Index = QModelIndex | QPersistentModelIndex


class _TextRows(QAbstractTableModel):
    """Rows of text cells under headers, each row fitted to the headers' width."""

    def __init__(self, headers: Sequence[str], rows: Sequence[Sequence[Any]], parent: QObject | None) -> None:
        super().__init__(parent)
        self.headers = list(headers)
        self.rows = [self._fit(r) for r in rows]

    def _fit(self, row: Sequence[Any]) -> list[str]:
        cells = ["" if v is None else str(v) for v in row][: len(self.headers)]
        return cells + [""] * (len(self.headers) - len(cells))

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.headers[section] if 0 <= section < len(self.headers) else None
        return str(section + 1)


class TextTableModel(_TextRows):
    def __init__(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[Any]] = (),
        parent: QObject | None = None,
        empty_text: str = EMPTY_TABLE,
    ) -> None:
        super().__init__(headers, rows, parent)
        self.empty_text = empty_text

    def set_rows(self, rows: Sequence[Sequence[Any]]) -> None:
        self.beginResetModel()
        self.rows = [self._fit(r) for r in rows]
        self.endResetModel()

    @property
    def is_empty(self) -> bool:
        return not self.rows

    def rowCount(self, parent: Index = ROOT) -> int:
        if parent.isValid():
            return 0
        return len(self.rows) or 1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if not self.rows:
            if role == Qt.ItemDataRole.DisplayRole and index.column() == 0:
                return self.empty_text
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return Qt.AlignmentFlag.AlignCenter
            if role == Qt.ItemDataRole.ForegroundRole:
                return QColor("#8a8f98")
            return None
        value = self.rows[index.row()][index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, SortRole):
            return value
        if role == Qt.ItemDataRole.ToolTipRole:
            return value if len(value) > 12 else None
        if role == RowRole:
            return self.rows[index.row()]
        return None


class EditableTableModel(_TextRows):
    """A table the applicant corrects (a returned module's 著作信息 …): cells edit, rows add and go."""

    def __init__(
        self, headers: Sequence[str], rows: Sequence[Sequence[Any]] = (), parent: QObject | None = None
    ) -> None:
        super().__init__(headers, rows, parent)
        self.edited = False

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return None
        return self.rows[index.row()][index.column()]

    def flags(self, index: Index) -> Qt.ItemFlag:
        return super().flags(index) | Qt.ItemFlag.ItemIsEditable if index.isValid() else Qt.ItemFlag.NoItemFlags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        self.rows[index.row()][index.column()] = str(value)
        self.edited = True
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole])
        return True

    def add_row(self) -> int:
        row = len(self.rows)
        self.beginInsertRows(ROOT, row, row)
        self.rows.append([""] * len(self.headers))
        self.endInsertRows()
        self.edited = True
        return row

    def remove_row(self, row: int) -> None:
        if 0 <= row < len(self.rows):
            self.beginRemoveRows(ROOT, row, row)
            del self.rows[row]
            self.endRemoveRows()
            self.edited = True

    def values(self) -> list[list[str]]:
        return [list(r) for r in self.rows if any(cell.strip() for cell in r)]
