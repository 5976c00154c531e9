"""The table of the passed cases waiting for 送审, one column per attachment slot.

A checked page dragged from the scan list, or a file dragged from outside, dropped on a slot
cell goes into that slot (:attr:`CaseTable.pages_dropped`, :attr:`CaseTable.files_dropped`);
its right-click menu offers 生成本程序表格 and 送审 for the selected people.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QPoint, QSettings, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QAbstractItemView, QMenu, QWidget

from app.core.models import Slot
from app.ui.i18n import _
from app.ui.models import RowRole
from app.ui.models.dispatch import COL_PROBLEM, PAGE_MIME, DispatchModel, slot_of_column
from app.ui.widgets import FittedColumns, HintTableView, dropped_paths

if TYPE_CHECKING:
    from app.ops.dispatch import DispatchRow


class CaseTable(HintTableView):
    """The cases and their slots; a page or a file dropped on a slot cell goes into that slot."""

    pages_dropped = Signal(list, int, object)  # page rows, case id, Slot
    files_dropped = Signal(list, object, object)  # paths, case id or None, Slot or None
    forms_requested = Signal()  # 生成本程序表格 for the selection, from the menu
    send_requested = Signal()  # 送审, from the menu

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cases = DispatchModel(self)
        self.set_empty_hint(_("还没有等待送审的人员。在“审核列表”中审核通过的办件会出现在这里。"))
        self.setModel(self.cases)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.verticalHeader().hide()
        self.setWordWrap(False)
        self.horizontalHeader().setHighlightSections(False)
        # sized on the rows in view at every reload, until the officer drags a column (then kept)
        self.columns = FittedColumns(self, "dispatch/header", stretch=COL_PROBLEM)
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setDropIndicatorShown(True)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)

    # -- rows and selection ----------------------------------------------------------------------

    def set_rows(self, rows: list[DispatchRow]) -> None:
        """The rows anew, the people selected before still selected."""
        selected = set(self.selected_ids())
        self.cases.set_rows(rows)
        self.columns.fit()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for i, r in enumerate(rows):
            if r.case.id in selected:
                self.selectionModel().select(self.cases.index(i, 0), flags)

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.selectionModel().selectedRows()})
        return [self.cases.rows[r].case.id for r in rows]

    def chosen_ids(self) -> list[int]:
        """The people a button acts on: those selected, or everyone listed."""
        return self.selected_ids() or [r.case.id for r in self.cases.rows]

    def select_case(self, case_id: int) -> None:
        for i, r in enumerate(self.cases.rows):
            if r.case.id == case_id:
                self.selectRow(i)

    def name_of(self, case_id: int) -> str | None:
        """The listed person's name, None when ``case_id`` is not listed."""
        return next((r.case.name for r in self.cases.rows if r.case.id == case_id), None)

    def _menu(self, pos: QPoint) -> None:
        if not self.indexAt(pos).isValid():
            return
        menu = QMenu(self)
        menu.addAction(_("生成本程序表格"), self.forms_requested.emit)
        menu.addAction(_("送审"), self.send_requested.emit)
        menu.popup(self.viewport().mapToGlobal(pos))

    # -- drops on a slot cell --------------------------------------------------------------------

    def _target(self, pos: QPoint) -> tuple[int | None, Slot | None]:
        index = self.indexAt(pos)
        if not index.isValid():
            return None, None
        slot = slot_of_column(index.column())
        if slot is None:
            return None, None
        return index.data(RowRole).case.id, slot

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(PAGE_MIME) or event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        _case_id, slot = self._target(event.position().toPoint())
        if event.mimeData().hasFormat(PAGE_MIME) and slot is None:
            event.ignore()
            return
        event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        case_id, slot = self._target(event.position().toPoint())
        mime = event.mimeData()
        if mime.hasFormat(PAGE_MIME):
            if case_id is None or slot is None:
                event.ignore()
                return
            rows = [int(r) for r in bytes(mime.data(PAGE_MIME).data()).decode("ascii").split(",") if r]
            event.acceptProposedAction()
            self.pages_dropped.emit(rows, case_id, slot)
            return
        paths = dropped_paths(event)
        if paths:
            event.acceptProposedAction()
            self.files_dropped.emit(paths, case_id, slot)
        else:
            event.ignore()

    # -- layout ------------------------------------------------------------------------------------

    def restore_columns(self, settings: QSettings) -> None:
        self.columns.restore(settings)

    def save_columns(self, settings: QSettings) -> None:
        self.columns.save(settings)
