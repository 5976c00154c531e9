"""Scans in: files dropped or chosen, every page sorted to its case and slot by its QR code and
checked in the background (``app.ops.scan.sort_inbox``), listed page by page as the check goes.

Downloads from the portal in the same drop are brought in as blanks (:mod:`.portal_blanks`).
A page that could not be placed is dragged onto a slot cell of the case table, or put there
from its right-click menu; a file dropped on a slot cell goes into that slot.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPoint, QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import QAbstractItemView, QFileDialog, QLabel, QMenu, QVBoxLayout, QWidget

from app.core.errors import ZcwsError
from app.core.models import Slot
from app.store import Store
from app.ui.desktop import open_folder
from app.ui.dispatch import portal_blanks
from app.ui.i18n import _
from app.ui.models.dispatch import PAGE_COLUMNS, PageLine, PageModel, stale_case
from app.ui.widgets import FittedColumns, GrowingTableView, muted
from app.ui.workers import Changes, Stream, announce, later

if TYPE_CHECKING:
    from app.ui.dispatch.tab import DispatchTab

#: between the steps of the sort's end: after the 5 ms timers due then, so that each step has a turn of its own
TURN_MS = 10


class ScanInbox(QWidget):
    """The checked pages of the last drop, and the work that fills the list."""

    current_changed = Signal(object)  # the selected page's PageLine, or None
    forms_requested = Signal(int)  # 重新生成表格 for a page's case, from its menu

    def __init__(self, tab: DispatchTab, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tab = tab
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel(_("扫描件自检结果（拖入文件后显示；“待指定”的页可拖到上表的附件栏，或右键指定）"), self)
        muted(title)
        layout.addWidget(title)
        self.pages = PageModel(self)
        self.view = GrowingTableView(self)
        self.view.set_empty_hint(
            _(
                "把扫描件（图片、PDF 或整个文件夹）拖到本页任意位置，或点“添加扫描件…”：\n每一页的自检结论和处理办法会列在这里。"
            )
        )
        self.view.setModel(self.pages)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setDragEnabled(True)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        self.view.setAlternatingRowColors(True)
        # fitted to the rows in view as pages stream in (once an event-loop turn), until the officer drags one;
        # the last (处理办法) takes the rest of the width
        self.columns = FittedColumns(self.view, "dispatch/pages", stretch=len(PAGE_COLUMNS) - 1)
        self._fit = QTimer(self)
        self._fit.setSingleShot(True)
        self._fit.timeout.connect(self.columns.fit)
        self.pages.rowsInserted.connect(self._rows_came)
        self.pages.modelReset.connect(lambda: self._fit.start(0))
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._menu)
        layout.addWidget(self.view, 1)
        self.view.selectionModel().currentRowChanged.connect(lambda current, _previous: self._selected(current))
        self.pages.dataChanged.connect(lambda *_: self._selected(self.view.currentIndex()))
        self.pages.modelReset.connect(lambda: self._selected(self.view.currentIndex()))

    def _selected(self, current: QModelIndex) -> None:
        self.current_changed.emit(self.pages.lines[current.row()] if current.isValid() else None)

    # -- files in ----------------------------------------------------------------------------------

    def choose_files(self) -> None:
        files, _filter = QFileDialog.getOpenFileNames(
            self.tab,
            _("选择扫描件"),
            str(Path.home()),
            _("图片或 PDF (*.jpg *.jpeg *.png *.tif *.tiff *.bmp *.pdf);;所有文件 (*)"),
        )
        if files:
            self.check([Path(f) for f in files])

    def dropped_on_slot(self, paths: list[Path], case_id: int | None, slot: Slot | None) -> None:
        """Files dropped on the case table: one file on a slot cell goes into that slot (a download dropped
        on a form's cell is that person's blank), anything else is checked like a drop on the tab."""
        if case_id is not None and slot is not None and len(paths) == 1 and paths[0].is_file():
            from app.blanks.reading import looks_like_download
            from app.ops.dispatch import BLANK_SLOTS

            if slot in BLANK_SLOTS and looks_like_download(paths[0]):
                portal_blanks.import_downloads(self.tab, paths, case_id, slot)
            else:
                self.attach(case_id, slot, paths[0], 1)
        else:
            self.check(paths)

    def check(self, paths: list[Path]) -> None:
        """Files dropped or chosen, in the background: downloads from the portal are brought in as blanks,
        then every page of the scans is sorted and checked, and the pages that pass are stored."""
        tab = self.tab
        if tab.busy_said():
            return
        self.pages.set_lines([])
        each = Stream(self, self._pages_checked)  # each page's verdict as soon as it is known
        listed = tab.listed_names()

        def work(store: Store, progress: Any, token: Any) -> Any:
            # the page work's libraries load here, not on the GUI thread
            from app.ops.blanks import import_blanks, split_drop
            from app.ops.dispatch import dispatch_rows
            from app.ops.scan import sort_inbox

            downloads, scans = split_drop(paths)
            brought = import_blanks(store, downloads, progress=progress, token=token) if downloads else None
            checked = (
                sort_inbox(store, scans, apply=True, progress=progress, token=token, on_result=each, beside_window=True)
                if scans
                else None
            )
            if checked is None:
                return brought, None, None, None
            # what the window shows at the end, made here rather than on the GUI thread: the pages' rows (10 ms)
            # and the case table as the sort left it (10 ms of queries)
            lines = placed_lines(checked, lambda case_id: case_name(store, listed.get, case_id))
            try:
                rows = dispatch_rows(store)
            except ZcwsError:
                rows = None  # the window reads them itself, and says why not
            return brought, checked, lines, rows

        def done(result: Any) -> None:
            each.deleteLater()  # its last pages arrived before this (both queued, in order)
            brought, checked, lines, rows = result
            if checked is not None:
                self._sorted(checked, lines, rows)
            if brought is not None:
                portal_blanks.brought_in(tab, brought, also=tab.message.text() if checked is not None else "")

        def undone() -> None:
            each.deleteLater()
            self._sort_undone()

        tab.run(_("正在识别和检查…"), work, done, undone)

    def _pages_checked(self, results: list[Any]) -> None:
        """Pages checked so far, shown while the rest are read (placed and stored at the end).

        Nothing is selected meanwhile: a preview decodes a page, which the window has no time for now.
        """
        name = self.tab.name_of
        self.pages.add_lines(
            [PageLine(r, r.case_id, name(r.case_id), None, False, r.message, checking=True) for r in results]
        )

    def _sort_undone(self) -> None:
        """A sort cancelled or failed stores nothing: its pages stay listed, to be assigned by hand."""
        self.pages.update_lines([replace(line, checking=False) for line in self.pages.lines])

    def _sorted(self, result: Any, lines: list[PageLine], rows: list[Any] | None) -> None:
        """The sort's end: the listed pages told anew as ``lines`` (placed, stored) and the message, in this turn;
        then, each in a turn of its own, the first page selected, the case table's ``rows`` and the other views'
        refresh (``lines`` and ``rows`` made by the sort's worker). Together they held the window 60–100 ms."""
        self.pages.update_lines(lines)  # the pages listed as they were checked, now placed
        stored = sum(1 for line in lines if line.stored)
        waiting = len(lines) - stored
        text = _("已检查 {n} 页：{stored} 页已放入对应人员的附件栏").format(n=len(lines), stored=stored)
        if waiting:
            text += _("，{waiting} 页需要处理（见下表的说明和处理办法）").format(waiting=waiting)
        if result.passed_over_line:
            text += "。" + result.passed_over_line
        self.tab.message.show_message(text, "success" if not waiting else "warning")
        changes = Changes(
            cases=frozenset(line.case_id for line in lines if line.stored and line.case_id), attachments=True
        )

        def first_page() -> None:
            if self.pages.lines:
                self.view.selectRow(0)  # its picture is decoded off the GUI thread, shown when it comes
            later(self, case_table, TURN_MS)

        def case_table() -> None:
            if rows is not None:
                self.tab.show_rows(rows, read_for=changes)
            later(self, lambda: announce(changes), TURN_MS)

        later(self, first_page, TURN_MS)

    # -- a page or a file put into a slot ------------------------------------------------------------

    def assign_pages(self, rows: list[int], case_id: int, slot: Slot) -> None:
        """Pages dragged (or assigned from the menu) onto a case's slot."""
        for row in rows[:1]:  # one page per slot: the first of a multi-row drag
            line = self.pages.lines[row]
            self.attach(case_id, slot, line.file, line.page, row)

    def attach(self, case_id: int, slot: Slot, path: Path, page: int, row: int | None = None) -> None:
        from app.ops.scan import attach_file

        tab = self.tab

        def work(store: Store, progress: Any, token: Any) -> Any:
            return attach_file(store, case_id, slot, path, page=page)

        def done(result: Any) -> None:
            name = tab.name_of(case_id)
            if row is not None and row < len(self.pages.lines):
                self.pages.replace(row, PageLine(result, case_id, name, slot, True, result.message))
            tab.message.show_message(
                _("已放入 {name} 的{slot}：{message}").format(name=name, slot=slot.label, message=result.message),
                "success",
            )
            announce(Changes(cases=frozenset({case_id}), attachments=True))

        tab.run(_("正在检查并保存…"), work, done)

    def _rows_came(self, _parent: object, first: int, _last: int) -> None:
        """Fit the columns to rows that came into view; rows below a full view change nothing there (and a fit
        measures every text in view and repaints the list: a sort of 100 pages would do it a hundred times)."""
        bottom = self.view.rowAt(self.view.viewport().height() - 1)
        if bottom < 0 or first <= bottom:
            self._fit.start(0)

    def _menu(self, pos: QPoint) -> None:
        index = self.view.indexAt(pos)
        if not index.isValid():
            return
        row = index.row()
        line = self.pages.lines[row]
        cases = self.tab.model.rows
        menu = QMenu(self)
        assign = menu.addMenu(_("放入…"))
        assign.setEnabled(not line.stored and bool(cases))
        for r in cases:
            person = assign.addMenu(r.case.name)
            for slot in (Slot.PUBLICITY, Slot.APPRAISAL, Slot.OPINION):
                action = person.addAction(slot.label)
                action.triggered.connect(lambda _c=False, cid=r.case.id, s=slot: self.assign_pages([row], cid, s))
        stale = stale_case(line)
        if stale is not None:
            menu.addAction(_("重新生成表格"), lambda: self.forms_requested.emit(stale))
        menu.addAction(_("打开所在文件夹"), lambda: open_folder(line.file.parent))
        menu.popup(self.view.viewport().mapToGlobal(pos))

    # -- layout ------------------------------------------------------------------------------------

    def restore_columns(self, settings: QSettings) -> None:
        self.columns.restore(settings)

    def save_columns(self, settings: QSettings) -> None:
        self.columns.save(settings)


def placed_lines(result: Any, name: Callable[[int | None], str]) -> list[PageLine]:
    """The pages of a sort as the list shows them at its end (placed, stored, or waiting), in file and page order,
    their cells made (where this runs: the sort's worker)."""
    lines = [
        PageLine(
            p.result,
            p.case_id,
            name(p.case_id),
            p.slot,
            bool(p.stored),
            "；".join(filter(None, (p.result.message, p.replacing))),
        )
        for p in result.placed
    ] + [PageLine(u.result, u.result.case_id, name(u.result.case_id), None, False, u.message) for u in result.unplaced]
    lines.sort(key=lambda line: (str(line.file), line.page))
    for line in lines:
        line.cells  # noqa: B018 - made now, kept by the line
    return lines


def case_name(store: Store, listed: Callable[[int], str | None], case_id: int | None) -> str:
    """The person's name for a message or a checked page ("" for none): as ``listed`` says (the case table's
    names), else as stored, else 办件 N."""
    if case_id is None:
        return ""
    name = listed(case_id)
    if name is not None:
        return name
    try:
        return store.case(case_id).name
    except ZcwsError:
        return _("办件 {id}").format(id=case_id)
