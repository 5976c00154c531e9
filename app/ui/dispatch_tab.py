"""单位送审: the passed cases and their three attachments, blank forms, scans in, 送审.

Drop files, folders or a scanner PDF anywhere on the tab: every page is sorted to
its case and slot by its QR code and checked in the background
(``app.ops.scan.sort_inbox``), with a progress bar and 取消. Pages that could not
be placed are dragged onto a slot cell (or assigned from their menu).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QModelIndex, QPoint, QSettings, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDragMoveEvent, QDropEvent, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import RuleError, ZcwsError
from app.core.models import Slot
from app.store import Store
from app.ui.i18n import _
from app.ui.models import RowRole
from app.ui.models.dispatch import (
    COL_PROBLEM,
    PAGE_COLUMNS,
    PAGE_MIME,
    DispatchModel,
    PageLine,
    PageModel,
    slot_of_column,
    stale_case,
    verdict_html,
)
from app.ui.page_preview import PagePreview
from app.ui.progress import ProgressStrip
from app.ui.widgets import FileDrops, FittedColumns, HintTableView, MessageBar, dropped_paths, muted
from app.ui.wording import fix_text
from app.ui.workers import Changes, Op, Stream, announce, error_text, show_error

log = logging.getLogger(__name__)


def open_folder(path: Path) -> None:
    """Show a folder in the file manager (not when running headless, e.g. in tests)."""
    if QGuiApplication.platformName() in ("offscreen", "minimal") or os.environ.get("ZCWS_NO_OPEN"):
        return
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class DispatchView(HintTableView):
    """The dispatch table: a checked page or a file dropped on a slot cell goes into that slot."""

    pages_dropped = Signal(list, int, object)  # page rows, case id, Slot
    files_dropped = Signal(list, object, object)  # paths, case id or None, Slot or None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setDropIndicatorShown(True)

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


class DispatchTab(FileDrops, QWidget):
    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.loaded = False
        self.op: Op | None = None
        self.setAcceptDrops(True)
        layout = QVBoxLayout(self)

        intro = QLabel(
            _(
                "审核通过、等待送审的人员。把从系统下载的单位审核意见表、考核表（PDF、文件夹或 ZIP）拖到本页，"
                "点“打印系统空白表”一次打印；签字盖章后扫描，把扫描件（图片、文件夹或扫描仪 PDF）也拖到本页任意位置："
                "程序按二维码把每一页分到对应人员的附件栏，并在上传前检查系统能否识别。"
            ),
            self,
        )
        intro.setWordWrap(True)
        muted(intro)
        layout.addWidget(intro)

        buttons = QHBoxLayout()
        # our own forms (offline work, the demo): one button with a menu, the portal's blanks come first
        self.forms_button = QPushButton(_("本程序表格"), self)
        self.forms_button.setToolTip(
            _(
                "用本程序生成单位审核意见表和考核表（PDF，带本程序的二维码），用于离线办理或演示；"
                "上传系统的应是从系统下载的表（“导入系统空白表…”）"
            )
        )
        forms_menu = QMenu(self.forms_button)
        self.forms_selected_action = forms_menu.addAction(_("生成所选人员的表格"))
        self.forms_all_action = forms_menu.addAction(_("生成全部人员的表格"))
        self.forms_button.setMenu(forms_menu)
        self.print_blanks_button = QPushButton(_("打印系统空白表"), self)
        self.print_blanks_button.setToolTip(
            _("把所选人员（未选时为全部）从系统下载的空白表按列表顺序合成一个 PDF 并打开，一次打印")
        )
        self.import_blanks_button = QPushButton(_("导入系统空白表…"), self)
        self.import_blanks_button.setToolTip(
            _("选择从系统下载的单位审核意见表、考核表（PDF 或 ZIP）；也可以直接拖到本页")
        )
        self.publicity_button = QPushButton(_("公示…"), self)
        self.add_files_button = QPushButton(_("添加扫描件…"), self)
        self.add_files_button.setToolTip(_("选择图片或 PDF；也可以直接拖到本页"))
        self.send_button = QPushButton(_("送审"), self)
        self.send_button.setObjectName("primary")
        self.send_button.setToolTip(_("送审所选人员（未选时为全部）"))
        self.export_button = QPushButton(_("导出送审包…"), self)
        for b in (self.import_blanks_button, self.print_blanks_button, self.forms_button, self.publicity_button,
                  self.add_files_button):  # fmt: skip
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.summary = QLabel(self)
        buttons.addWidget(self.summary)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.send_button)
        layout.addLayout(buttons)

        self.message = MessageBar(self)
        layout.addWidget(self.message)

        self.progress = ProgressStrip(self)
        layout.addWidget(self.progress)

        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.model = DispatchModel(self)
        self.view = DispatchView(self.splitter)
        self.view.set_empty_hint(_("还没有等待送审的人员。在“审核列表”中审核通过的办件会出现在这里。"))
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        self.view.horizontalHeader().setHighlightSections(False)
        # sized on the rows in view at every reload, until the officer drags a column (then kept)
        self.columns = FittedColumns(self.view, "dispatch/header", stretch=COL_PROBLEM)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

        lower = QSplitter(Qt.Orientation.Horizontal, self.splitter)
        pages_box = QWidget(lower)
        pv = QVBoxLayout(pages_box)
        pv.setContentsMargins(0, 0, 0, 0)
        self.pages_title = QLabel(
            _("扫描件自检结果（拖入文件后显示；“待指定”的页可拖到上表的附件栏，或右键指定）"), pages_box
        )
        muted(self.pages_title)
        pv.addWidget(self.pages_title)
        self.pages = PageModel(self)
        self.pages_view = HintTableView(pages_box)
        self.pages_view.set_empty_hint(
            _(
                "把扫描件（图片、PDF 或整个文件夹）拖到本页任意位置，或点“添加扫描件…”：\n每一页的自检结论和处理办法会列在这里。"
            )
        )
        self.pages_view.setModel(self.pages)
        self.pages_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.pages_view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.pages_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.pages_view.setDragEnabled(True)
        self.pages_view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.pages_view.verticalHeader().hide()
        self.pages_view.setWordWrap(False)
        self.pages_view.setAlternatingRowColors(True)
        # fitted to the rows in view as pages stream in (once an event-loop turn), until the officer drags one;
        # the last (处理办法) takes the rest of the width
        self.page_columns = FittedColumns(self.pages_view, "dispatch/pages", stretch=len(PAGE_COLUMNS) - 1)
        self._fit_pages = QTimer(self)
        self._fit_pages.setSingleShot(True)
        self._fit_pages.timeout.connect(self.page_columns.fit)
        self.pages.rowsInserted.connect(lambda *_: self._fit_pages.start(0))
        self.pages.modelReset.connect(lambda: self._fit_pages.start(0))
        self.pages_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        pv.addWidget(self.pages_view, 1)
        side = QWidget(lower)
        sv = QVBoxLayout(side)
        sv.setContentsMargins(0, 0, 0, 0)
        self.preview = PagePreview(side)
        # the selected page's verdict and what to do, whole, however narrow the table's columns
        self.page_verdict = QLabel(side)
        self.page_verdict.setWordWrap(True)
        self.page_verdict.setContentsMargins(8, 6, 8, 6)
        self.page_verdict.setTextFormat(Qt.TextFormat.RichText)
        self.page_verdict.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.page_verdict.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        # a page printed before the case changed: the offer to print the current form
        self.rerender_button = QPushButton(_("重新生成表格"), side)
        self.rerender_button.setToolTip(_("为这一页的申报人生成当前版本的空白表格"))
        self.rerender_button.clicked.connect(self._rerender_current_page)
        self.rerender_button.hide()
        sv.addWidget(self.preview, 3)
        sv.addWidget(self.page_verdict, 1)
        sv.addWidget(self.rerender_button, 0, Qt.AlignmentFlag.AlignLeft)
        lower.addWidget(pages_box)
        lower.addWidget(side)
        lower.setStretchFactor(0, 3)
        lower.setStretchFactor(1, 2)
        lower.setSizes([860, 500])
        self.lower = lower
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(lower)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout.addWidget(self.splitter, 1)

        self.forms_selected_action.triggered.connect(
            lambda: self.render_forms(self.selected_ids() or None, need_selection=True)
        )
        self.forms_all_action.triggered.connect(lambda: self.render_forms(None))
        self.print_blanks_button.clicked.connect(lambda: self.print_blanks(self.selected_ids() or None))
        self.import_blanks_button.clicked.connect(self.choose_downloads)
        self.publicity_button.clicked.connect(self.open_publicity)
        self.add_files_button.clicked.connect(self.choose_files)
        self.send_button.clicked.connect(lambda: self.send())
        self.export_button.clicked.connect(self.export_packages)
        self.view.pages_dropped.connect(self.assign_pages)
        self.view.files_dropped.connect(self._files_dropped)
        self.view.customContextMenuRequested.connect(self._case_menu)
        self.pages_view.customContextMenuRequested.connect(self._page_menu)
        self.pages_view.selectionModel().currentRowChanged.connect(self._page_selected)
        self.pages.dataChanged.connect(self._show_current_page)
        self.pages.modelReset.connect(self._show_current_page)

    # -- rows ----------------------------------------------------------------------------

    def ensure_loaded(self) -> None:
        if not self.loaded:
            self.reload()

    def reload(self) -> None:
        from app.ops.dispatch import dispatch_rows

        selected = set(self.selected_ids())
        try:
            rows = dispatch_rows(self.store)
        except ZcwsError as exc:
            self.message.show_message(error_text(exc), "error")
            return
        self.model.set_rows(rows)
        self.columns.fit()
        self.loaded = True
        ready = sum(1 for r in rows if r.ready)
        self.summary.setText(_("待送审 {n} 人，其中可以送审 {ready} 人").format(n=len(rows), ready=ready))
        for i, r in enumerate(rows):
            if r.case.id in selected:
                self.view.selectionModel().select(
                    self.model.index(i, 0),
                    self.view.selectionModel().SelectionFlag.Select | self.view.selectionModel().SelectionFlag.Rows,
                )

    def apply_changes(self, changes: Changes) -> None:
        if self.loaded:
            self.reload()

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        return [self.model.rows[r].case.id for r in rows]

    def select_case(self, case_id: int) -> None:
        for i, r in enumerate(self.model.rows):
            if r.case.id == case_id:
                self.view.selectRow(i)

    def _name(self, case_id: int | None) -> str:
        if case_id is None:
            return ""
        for r in self.model.rows:
            if r.case.id == case_id:
                return r.case.name
        try:
            return self.store.case(case_id).name
        except ZcwsError:
            return _("办件 {id}").format(id=case_id)

    # -- background work ---------------------------------------------------------------------

    def busy(self) -> bool:
        return self.op is not None and self.op.running

    def _busy_said(self) -> bool:
        if self.busy():
            self.message.show_message(_("上一项工作还没有完成，请稍候或先取消"), "warning")
        return self.busy()

    def _run(
        self, label: str, fn: Callable[..., Any], done: Callable[[Any], None],
        undone: Callable[[], None] | None = None,
    ) -> Op | None:  # fmt: skip
        """Run ``fn(store, progress, token)`` off the GUI thread, its progress in the tab's strip.

        ``undone`` runs when the work fails or is cancelled, before the message.
        """
        if self._busy_said():
            return None

        def failed(exc: BaseException) -> None:
            if undone is not None:
                undone()
            from app.core.progress import Cancelled

            if isinstance(exc, Cancelled):
                self.message.show_message(exc.message, "warning")
            elif isinstance(exc, ZcwsError):
                self.message.show_message(error_text(exc), "error")
            else:
                show_error(self, exc)

        op = Op(self, fn, store_path=self.store.path).with_progress(label, self.progress).success(done)
        self.op = op.failure(failed)
        return op.run()

    def cancel_work(self) -> None:
        self.progress.cancel()

    # -- blank forms ------------------------------------------------------------------------------

    def render_forms(self, case_ids: list[int] | None, need_selection: bool = False, out: Path | None = None) -> None:
        if need_selection and not case_ids:
            self.message.show_message(_("请先在列表中选择人员（可按住 Ctrl 多选）"), "warning")
            return
        from app.ops.forms import render_forms

        folder = out or self.store.path.parent / _("空白表格")

        def work(store: Store, progress: Any, token: Any) -> Any:
            return render_forms(store, case_ids, folder, progress=progress, token=token)

        def done(forms: list[Any]) -> None:
            self.message.show_message(
                _("已生成 {n} 份空白表格，保存在：{folder}。请打印、签字盖章后扫描，拖回本页。").format(
                    n=len(forms), folder=folder
                ),
                "success",
            )
            open_folder(folder)

        self._run(_("正在生成空白表格…"), work, done)

    # -- scans in ------------------------------------------------------------------------------------

    def files_dropped(self, paths: list[Path]) -> None:
        self.check_inbox(paths)

    def choose_files(self) -> None:
        files, _filter = QFileDialog.getOpenFileNames(
            self,
            _("选择扫描件"),
            str(Path.home()),
            _("图片或 PDF (*.jpg *.jpeg *.png *.tif *.tiff *.bmp *.pdf);;所有文件 (*)"),
        )
        if files:
            self.check_inbox([Path(f) for f in files])

    def _files_dropped(self, paths: list[Path], case_id: int | None, slot: Slot | None) -> None:
        if case_id is not None and slot is not None and len(paths) == 1 and paths[0].is_file():
            from app.blanks.reading import looks_like_download
            from app.ops.dispatch import BLANK_SLOTS

            if slot in BLANK_SLOTS and looks_like_download(paths[0]):
                self.import_downloads(paths, case_id, slot)  # a download dropped on a form's cell: this person's
            else:
                self.attach(case_id, slot, paths[0], 1)
        else:
            self.check_inbox(paths)

    def check_inbox(self, paths: list[Path]) -> None:
        """Files dropped or chosen, in the background: downloads from the portal are brought in as blanks,
        then every page of the scans is sorted and checked, and the pages that pass are stored."""
        if self._busy_said():
            return
        self.pages.set_lines([])
        each = Stream(self, self._pages_checked)  # each page's verdict as soon as it is known

        def work(store: Store, progress: Any, token: Any) -> Any:
            # the page work's libraries load here, not on the GUI thread
            from app.ops.blanks import import_blanks, split_drop
            from app.ops.scan import sort_inbox

            downloads, scans = split_drop(paths)
            brought = import_blanks(store, downloads, progress=progress, token=token) if downloads else None
            checked = (
                sort_inbox(store, scans, apply=True, progress=progress, token=token, on_result=each) if scans else None
            )
            return brought, checked

        def done(result: Any) -> None:
            each.deleteLater()  # its last pages arrived before this (both queued, in order)
            brought, checked = result
            if checked is not None:
                self._sorted(checked)
            if brought is not None:
                self._brought_in(brought, also=self.message.text() if checked is not None else "")

        def undone() -> None:
            each.deleteLater()
            self._sort_undone()

        self._run(_("正在识别和检查…"), work, done, undone)

    def _pages_checked(self, results: list[Any]) -> None:
        """Pages checked so far, shown while the rest are read (placed and stored at the end).

        Nothing is selected meanwhile: a preview decodes a page, which the window has no time for now.
        """
        self.pages.add_lines(
            [PageLine(r, r.case_id, self._name(r.case_id), None, False, r.message, checking=True) for r in results]
        )

    def _sort_undone(self) -> None:
        """A sort cancelled or failed stores nothing: its pages stay listed, to be assigned by hand."""
        self.pages.set_lines([replace(line, checking=False) for line in self.pages.lines])

    # -- the portal's blanks ------------------------------------------------------------------------

    def choose_downloads(self) -> None:
        files, _filter = QFileDialog.getOpenFileNames(
            self, _("选择从系统下载的空白表"), str(Path.home()), _("PDF 或 ZIP (*.pdf *.zip);;所有文件 (*)")
        )
        if files:
            self.import_downloads([Path(f) for f in files])

    def import_downloads(self, paths: list[Path], case_id: int | None = None, slot: Slot | None = None) -> None:
        """Bring in downloaded blanks (whatever they look like: the officer said they are downloads),
        as ``case_id``'s ``slot`` when given."""
        from app.ops.blanks import import_blanks

        def work(store: Store, progress: Any, token: Any) -> Any:
            return import_blanks(store, paths, case_id, slot, progress=progress, token=token)

        self._run(_("正在导入系统空白表…"), work, self._brought_in)

    def _brought_in(self, result: Any, also: str = "") -> None:
        new = sum(1 for i in result.imported if i.status != "same")
        same = len(result.imported) - new
        unsure = [u for u in result.unmatched if u.assignable]
        refused = [u for u in result.unmatched if not u.assignable]
        text = _("已导入 {n} 张系统空白表").format(n=new)
        if same:
            text += _("，{same} 张以前已导入").format(same=same)
        if refused:
            text += _("；未导入：") + "；".join(
                f"{u.page.source.file_name} 第 {u.page.page} 页：{u.reason}" for u in refused[:5]
            )
            if len(refused) > 5:
                text += _("……（共 {n} 页）").format(n=len(refused))
        if unsure:
            text += _("；{n} 页不能确定属于谁，请逐页指定").format(n=len(unsure))
        if also:
            text = f"{also}\n{text}"
        self.message.show_message(text, "warning" if refused or unsure else "success")
        announce(Changes(cases=frozenset(i.case_id for i in result.imported), attachments=True))
        if unsure:
            self.ask_assignments(unsure)

    def ask_assignments(self, pages: list[Any]) -> None:
        from app.ui.dialogs.blanks import AssignBlanksDialog

        cases = [r.case for r in self.model.rows] or self.store.cases(with_modules=False)
        dialog = AssignBlanksDialog(pages, cases, self)
        dialog.accepted.connect(lambda: self._assign(dialog.chosen))
        dialog.open()

    def _assign(self, chosen: list[Any]) -> None:
        from app.ops.blanks import assign_blank

        def work(store: Store, progress: Any, token: Any) -> Any:
            done, refused = [], []
            for n, (u, case_id, slot) in enumerate(chosen, start=1):
                progress(n - 1, len(chosen), u.page.source.file_name)
                try:
                    done.append(assign_blank(store, u.page, case_id, slot))
                except ZcwsError as exc:
                    refused.append(f"{u.page.source.file_name} 第 {u.page.page} 页：{exc.message}")
            return done, refused

        def finished(result: Any) -> None:
            done, refused = result
            text = _("已按指定导入 {n} 张系统空白表").format(n=len(done))
            if refused:
                text += _("；未导入：") + "；".join(refused)
            self.message.show_message(text, "warning" if refused else "success")
            announce(Changes(cases=frozenset(i.case_id for i in done), attachments=True))

        self._run(_("正在导入指定的空白表…"), work, finished)

    def print_blanks(self, case_ids: list[int] | None, out: Path | None = None) -> None:
        """The current blanks of ``case_ids`` (None: everyone waiting) as one PDF, opened for printing."""
        from datetime import datetime

        from app.ops.blanks import print_blanks

        target = out or self.store.path.parent / _("打印") / f"系统空白表-{datetime.now():%Y%m%d-%H%M%S}.pdf"

        def work(store: Store, progress: Any, token: Any) -> Any:
            return print_blanks(store, case_ids, target)

        def done(printed: Any) -> None:
            text = _("已把 {n} 张系统空白表合成一个 PDF：{path}").format(n=printed.pages, path=printed.path)
            if printed.missing:
                text += _("。还没有导入空白表：") + "、".join(printed.missing)
            self.message.show_message(text, "warning" if printed.missing else "success")
            open_folder(printed.path)

        self._run(_("正在合成空白表…"), work, done)

    def _sorted(self, result: Any) -> None:
        lines = [
            PageLine(
                p.result,
                p.case_id,
                self._name(p.case_id),
                p.slot,
                bool(p.stored),
                "；".join(filter(None, (p.result.message, p.replacing))),
            )
            for p in result.placed
        ] + [
            PageLine(u.result, u.result.case_id, self._name(u.result.case_id), None, False, u.message)
            for u in result.unplaced
        ]
        lines.sort(key=lambda line: (str(line.file), line.page))
        self.pages.set_lines(lines)
        stored = sum(1 for line in lines if line.stored)
        waiting = len(lines) - stored
        text = _("已检查 {n} 页：{stored} 页已放入对应人员的附件栏").format(n=len(lines), stored=stored)
        if waiting:
            text += _("，{waiting} 页需要处理（见下表的说明和处理办法）").format(waiting=waiting)
        if result.passed_over_line:
            text += "。" + result.passed_over_line
        self.message.show_message(text, "success" if not waiting else "warning")
        # the first page's preview and the lists' refresh each in a turn of their own: the window
        # repaints in between (together they held it 75 ms after a 500-page stack)
        changes = Changes(
            cases=frozenset(line.case_id for line in lines if line.stored and line.case_id), attachments=True
        )

        def first_page() -> None:
            if self.pages.lines:
                self.pages_view.selectRow(0)
            QTimer.singleShot(0, self, lambda: announce(changes))  # a turn later still

        QTimer.singleShot(0, self, first_page)

    def _show_current_page(self) -> None:
        self._page_selected(self.pages_view.currentIndex(), QModelIndex())

    def _page_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        line = self.pages.lines[current.row()] if current.isValid() else None
        self.preview.show_result(line.result if line else None)
        self.page_verdict.setText(verdict_html(line) if line else "")
        stale = stale_case(line) is not None
        portal = stale and line is not None and line.result.blank_id is not None
        # a superseded portal blank: print the newer download; a form of ours: render the current one
        self.rerender_button.setText(_("打印新下载的表") if portal else _("重新生成表格"))
        self.rerender_button.setToolTip(
            _("打印这一页的申报人最新导入的系统空白表") if portal else _("为这一页的申报人生成当前版本的空白表格")
        )
        self.rerender_button.setVisible(stale)

    def _rerender_current_page(self) -> None:
        index = self.pages_view.currentIndex()
        line = self.pages.lines[index.row()] if index.isValid() else None
        case_id = stale_case(line)
        if case_id is None or line is None:
            return
        if line.result.blank_id is not None:
            self.print_blanks([case_id])
        else:
            self.render_forms([case_id])

    def assign_pages(self, rows: list[int], case_id: int, slot: Slot) -> None:
        """Pages dragged (or assigned from the menu) onto a case's slot."""
        for row in rows[:1]:  # one page per slot: the first of a multi-row drag
            line = self.pages.lines[row]
            self.attach(case_id, slot, line.file, line.page, row)

    def attach(self, case_id: int, slot: Slot, path: Path, page: int, row: int | None = None) -> None:
        from app.ops.scan import attach_file

        def work(store: Store, progress: Any, token: Any) -> Any:
            return attach_file(store, case_id, slot, path, page=page)

        def done(result: Any) -> None:
            name = self._name(case_id)
            if row is not None and row < len(self.pages.lines):
                self.pages.replace(row, PageLine(result, case_id, name, slot, True, result.message))
            self.message.show_message(
                _("已放入 {name} 的{slot}：{message}").format(name=name, slot=slot.label, message=result.message),
                "success",
            )
            announce(Changes(cases=frozenset({case_id}), attachments=True))

        self._run(_("正在检查并保存…"), work, done)

    def _page_menu(self, pos: QPoint) -> None:
        index = self.pages_view.indexAt(pos)
        if not index.isValid():
            return
        row = index.row()
        line = self.pages.lines[row]
        menu = QMenu(self)
        assign = menu.addMenu(_("放入…"))
        assign.setEnabled(not line.stored and bool(self.model.rows))
        for r in self.model.rows:
            person = assign.addMenu(r.case.name)
            for slot in (Slot.PUBLICITY, Slot.APPRAISAL, Slot.OPINION):
                action = person.addAction(slot.label)
                action.triggered.connect(lambda _c=False, cid=r.case.id, s=slot: self.assign_pages([row], cid, s))
        stale = stale_case(line)
        if stale is not None:
            menu.addAction(_("重新生成表格"), lambda: self.render_forms([stale]))
        menu.addAction(_("打开所在文件夹"), lambda: open_folder(line.file.parent))
        menu.popup(self.pages_view.viewport().mapToGlobal(pos))

    def _case_menu(self, pos: QPoint) -> None:
        if not self.view.indexAt(pos).isValid():
            return
        menu = QMenu(self)
        menu.addAction(_("生成本程序表格"), lambda: self.render_forms(self.selected_ids(), need_selection=True))
        menu.addAction(_("送审"), lambda: self.send())
        menu.popup(self.view.viewport().mapToGlobal(pos))

    # -- 送审, 公示, export --------------------------------------------------------------------------------

    def send(self) -> None:
        """送审 the selection (or everyone listed): refused with every missing item named person by
        person; otherwise confirmed first (the cases take no more attachments afterwards)."""
        from app.ops.dispatch import send_check

        ids = self.selected_ids() or [r.case.id for r in self.model.rows]
        if not ids:
            self.message.show_message(_("没有等待送审的人员：审核通过的办件会出现在这里"), "info")
            return
        try:
            warnings = send_check(self.store, ids)
        except RuleError as exc:
            self.message.show_message(
                _("不能送审：\n{problems}\n{fix}").format(problems=exc.message, fix=fix_text(exc.fix, exc.next) or ""),
                "error",
            )
            return
        except ZcwsError as exc:
            self.message.show_message(error_text(exc), "error")
            return
        names = [r.case.name for r in self.model.rows if r.case.id in ids]
        shown = "、".join(names[:10]) + (_("等 {n} 人").format(n=len(names)) if len(names) > 10 else "")
        self._confirm(
            _("确认送审"), _("将送审 {n} 人：{names}").format(n=len(ids), names=shown), warnings,
            _("送审后，这些办件不能再更换附件。"), _("送审"), _("仍然送审"), lambda: self._send_confirmed(ids),
        )  # fmt: skip

    def _confirm(
        self, title: str, text: str, warnings: list[str], after: str, go: str, go_anyway: str,
        confirmed: Callable[[], None],
    ) -> None:  # fmt: skip
        """Ask before going on, the ``warnings`` named one by one (then 取消 is the default)."""
        box = QMessageBox(QMessageBox.Icon.Warning if warnings else QMessageBox.Icon.Question, title, text, parent=self)
        info = after
        if warnings:
            info = _("请注意：\n{warnings}\n\n").format(warnings="\n".join(warnings)) + info
        box.setInformativeText(info)
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Yes).setText(go_anyway if warnings else go)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel if warnings else QMessageBox.StandardButton.Yes)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda code: code == QMessageBox.StandardButton.Yes and confirmed())
        box.open()

    def _send_confirmed(self, ids: list[int]) -> None:
        from app.ops.dispatch import send_cases

        try:
            result = send_cases(self.store, ids, accept_warnings=True)
        except ZcwsError as exc:  # changed in between (another window, the command line)
            self.message.show_message(error_text(exc), "error")
            return
        self.message.show_message(result.message, "success")
        announce(Changes(cases=frozenset(ids)))

    def open_publicity(self) -> None:
        from app.ui.dialogs.publicity import PublicityDialog

        ids = self.selected_ids() or [r.case.id for r in self.model.rows]
        dialog = PublicityDialog(self.store, ids, self)
        dialog.finished.connect(lambda _code: announce(Changes(cases=frozenset(ids), attachments=True)))
        dialog.open()

    def export_packages(self, out: Path | None = None) -> None:
        """Export the selection (or everyone listed); a 盖章页 seen unsigned or unstamped is named and
        the export goes on only when the officer confirms."""
        from app.ops.data import export_check

        ids = self.selected_ids() or None
        try:
            unstamped = export_check(self.store, ids)
        except ZcwsError as exc:
            self.message.show_message(error_text(exc), "error")
            return
        if not unstamped:
            self._export_confirmed(out, ids)
            return
        self._confirm(
            _("确认导出"), _("有 {n} 张盖章页未见签字盖章").format(n=len(unstamped)), unstamped,
            _("系统能识别这些页，但评委会看的是页面：最好签字盖章后重新扫描上传。"), _("导出"), _("仍然导出"),
            lambda: self._export_confirmed(out, ids),
        )  # fmt: skip

    def _export_confirmed(self, out: Path | None, ids: list[int] | None) -> None:
        from app.ops.data import export_packages

        if not out:
            chosen = QFileDialog.getExistingDirectory(self, _("选择送审包的保存位置"), str(Path.home()))
            if not chosen:
                return
            out = Path(chosen)

        def work(store: Store, progress: Any, token: Any) -> Any:
            return export_packages(store, out, ids, progress=progress, token=token, confirmed=True)

        def done(result: Any) -> None:
            self.message.show_message(result.summary(), "success" if not result.not_ready else "warning")
            open_folder(result.folder)

        self._run(_("正在导出送审包…"), work, done)

    # -- layout ---------------------------------------------------------------------------------------------

    def restore_layout(self, s: QSettings) -> None:
        for key, splitter in (("dispatch/splitter", self.splitter), ("dispatch/lower", self.lower)):
            value = s.value(key)
            if isinstance(value, QByteArray):
                splitter.restoreState(value)
        self.columns.restore(s)
        self.page_columns.restore(s)

    def save_layout(self, s: QSettings) -> None:
        s.setValue("dispatch/splitter", self.splitter.saveState())
        s.setValue("dispatch/lower", self.lower.saveState())
        self.columns.save(s)
        self.page_columns.save(s)
