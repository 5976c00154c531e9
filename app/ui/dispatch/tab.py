"""单位送审: the tab itself, built from its parts and wired to them.

Top to bottom: the buttons, the message bar, the progress of the tab's one background
operation (a :class:`~app.ui.progress.ProgressStrip` with 取消), the case table
(:mod:`.case_table`) and below it the checked pages (:mod:`.scan_inbox`) beside the
selected page's preview and verdict (:mod:`.verdict_card`). Files, folders or a scanner
PDF dropped anywhere on the tab go to the scan inbox.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QPushButton, QSplitter, QVBoxLayout, QWidget

from app.core.errors import ZcwsError
from app.store import Store
from app.ui.dispatch import own_forms, portal_blanks
from app.ui.dispatch.case_table import CaseTable
from app.ui.dispatch.export import export_chosen
from app.ui.dispatch.publicity import open_publicity
from app.ui.dispatch.scan_inbox import ScanInbox, case_name
from app.ui.dispatch.send import send_chosen
from app.ui.dispatch.verdict_card import VerdictCard
from app.ui.i18n import _
from app.ui.progress import ProgressStrip
from app.ui.widgets import FileDrops, MessageBar, muted
from app.ui.workers import Changes, Op, error_text, show_error


class DispatchTab(FileDrops, QWidget):
    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.loaded = False
        self.op: Op | None = None
        self._read_for: Changes | None = None
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
        self.view = CaseTable(self.splitter)
        self.model = self.view.cases
        self.pages_splitter = QSplitter(Qt.Orientation.Horizontal, self.splitter)
        self.inbox = ScanInbox(self, self.pages_splitter)
        self.pages, self.pages_view = self.inbox.pages, self.inbox.view
        self.card = VerdictCard(self.pages_splitter)
        self.preview, self.page_verdict, self.rerender_button = (
            self.card.preview, self.card.verdict, self.card.rerender_button,
        )  # fmt: skip
        self.pages_splitter.addWidget(self.inbox)
        self.pages_splitter.addWidget(self.card)
        self.pages_splitter.setStretchFactor(0, 3)
        self.pages_splitter.setStretchFactor(1, 2)
        self.pages_splitter.setSizes([860, 500])
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(self.pages_splitter)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout.addWidget(self.splitter, 1)

        self.forms_selected_action.triggered.connect(lambda: self.render_forms(self.view.selected_ids(), True))
        self.forms_all_action.triggered.connect(lambda: self.render_forms(None))
        self.print_blanks_button.clicked.connect(lambda: self.print_blanks(self.view.selected_ids() or None))
        self.import_blanks_button.clicked.connect(self.choose_downloads)
        self.publicity_button.clicked.connect(lambda: open_publicity(self))
        self.add_files_button.clicked.connect(self.inbox.choose_files)
        self.send_button.clicked.connect(self.send)
        self.export_button.clicked.connect(lambda: self.export_packages())
        self.view.pages_dropped.connect(self.inbox.assign_pages)
        self.view.files_dropped.connect(self.inbox.dropped_on_slot)
        self.view.forms_requested.connect(lambda: self.render_forms(self.view.selected_ids(), True))
        self.view.send_requested.connect(self.send)
        self.inbox.current_changed.connect(self.card.show_line)
        self.inbox.forms_requested.connect(lambda case_id: self.render_forms([case_id]))
        self.card.forms_requested.connect(lambda case_id: self.render_forms([case_id]))
        self.card.print_requested.connect(lambda case_id: self.print_blanks([case_id]))

    # -- rows ----------------------------------------------------------------------------

    def ensure_loaded(self) -> None:
        if not self.loaded:
            self.reload()

    def reload(self) -> None:
        from app.ops.dispatch import dispatch_rows

        try:
            rows = dispatch_rows(self.store)
        except ZcwsError as exc:
            self.message.show_message(error_text(exc), "error")
            return
        self.show_rows(rows)

    def show_rows(self, rows: list[Any], read_for: Changes | None = None) -> None:
        """``rows`` listed, the people selected before still selected. ``read_for``: the rows were read after that
        write (by its worker, off the GUI thread), and its announcement does not read them again."""
        self._read_for = read_for
        self.view.set_rows(rows)
        self.loaded = True
        ready = sum(1 for r in rows if r.ready)
        self.summary.setText(_("待送审 {n} 人，其中可以送审 {ready} 人").format(n=len(rows), ready=ready))

    def apply_changes(self, changes: Changes) -> None:
        if changes is self._read_for:
            self._read_for = None
        elif self.loaded:
            self.reload()

    def name_of(self, case_id: int | None) -> str:
        """The person's name for a message or a checked page ("" for none)."""
        return case_name(self.store, self.view.name_of, case_id)

    def listed_names(self) -> dict[int, str]:
        """The names of the people listed, by case (for work off the GUI thread, which does not read the table)."""
        return {r.case.id: r.case.name for r in self.model.rows}

    # -- what the buttons, the menus and the main window ask for ----------------------------------

    def files_dropped(self, paths: list[Path]) -> None:
        self.check_inbox(paths)

    def check_inbox(self, paths: list[Path]) -> None:
        self.inbox.check(paths)

    def choose_downloads(self) -> None:
        portal_blanks.choose_downloads(self)

    def print_blanks(self, case_ids: list[int] | None) -> None:
        portal_blanks.print_blanks(self, case_ids)

    def render_forms(self, case_ids: list[int] | None, need_selection: bool = False) -> None:
        own_forms.render_forms(self, case_ids, need_selection)

    def send(self) -> None:
        send_chosen(self)

    def export_packages(self, out: Path | None = None) -> None:
        export_chosen(self, out)

    # -- the tab's one background operation -------------------------------------------------

    def busy(self) -> bool:
        return self.op is not None and self.op.running

    def busy_said(self) -> bool:
        """Whether an operation is still running, said in the message bar if so."""
        if self.busy():
            self.message.show_message(_("上一项工作还没有完成，请稍候或先取消"), "warning")
        return self.busy()

    def run(
        self, label: str, fn: Callable[..., Any], done: Callable[[Any], None],
        undone: Callable[[], None] | None = None,
    ) -> Op | None:  # fmt: skip
        """Run ``fn(store, progress, token)`` off the GUI thread, its progress in the tab's strip;
        ``done`` gets the result, a failure is said in the message bar.

        ``undone`` runs when the work fails or is cancelled, before the message.
        """
        if self.busy_said():
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

        # the strip as tall as a message of one line: when the message takes its place at the end, nothing below
        # moves (the tables would be laid out and painted anew, 15 ms, in the turn the work's result is shown)
        self.progress.setMinimumHeight(self.message.line_height())
        op = Op(self, fn, store_path=self.store.path).with_progress(label, self.progress).success(done)
        self.op = op.failure(failed)
        return op.run()

    def cancel_work(self) -> None:
        self.progress.cancel()

    # -- layout ---------------------------------------------------------------------------------------------

    def restore_layout(self, s: QSettings) -> None:
        for key, splitter in (("dispatch/splitter", self.splitter), ("dispatch/lower", self.pages_splitter)):
            value = s.value(key)
            if isinstance(value, QByteArray):
                splitter.restoreState(value)
        self.view.restore_columns(s)
        self.inbox.restore_columns(s)

    def save_layout(self, s: QSettings) -> None:
        s.setValue("dispatch/splitter", self.splitter.saveState())
        s.setValue("dispatch/lower", self.pages_splitter.saveState())
        self.view.save_columns(s)
        self.inbox.save_columns(s)
