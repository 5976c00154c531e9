"""The main window: 审核列表, 审核详情 and 单位送审 tabs, menus, status bar.

``run_gui(demo)`` is what ``python -m app`` calls.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QFont, QFontDatabase, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QMessageBox, QTabWidget, QVBoxLayout, QWidget

from app import APP_NAME, APP_TITLE, __version__
from app.core.errors import ZcwsError
from app.store import Store, default_data_dir, default_db_path
from app.ui.assets import app_icon
from app.ui.i18n import _, install_qt_translations
from app.ui.queue_tab import QueueTab
from app.ui.single import SingleInstance
from app.ui.widgets import FileDrops
from app.ui.wording import fix_text
from app.ui.workers import Changes, bus, message, show_error, wait_for_ops

if TYPE_CHECKING:
    from app.ui.detail_tab import DetailTab
    from app.ui.dispatch_tab import DispatchTab

log = logging.getLogger(__name__)

QUEUE, DETAIL, DISPATCH = range(3)


class _Page(QWidget):
    """A tab's place in the tab widget, holding the tab once it is built."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def hold(self, tab: QWidget) -> None:
        self._layout.addWidget(tab)
        tab.show()  # at once, not when the layout's queued show arrives


def window_settings() -> QSettings:
    """Window size and layout, kept in the data folder beside the store."""
    return QSettings(str(default_data_dir() / "window.ini"), QSettings.Format.IniFormat)


class MainWindow(FileDrops, QMainWindow):
    def __init__(self, store: Store, demo: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.demo = demo
        self.setWindowTitle(f"{APP_TITLE}{_('（演示数据）') if demo else ''}")
        self.setWindowIcon(app_icon())
        self.resize(1280, 800)
        self.setAcceptDrops(True)  # scans or a spreadsheet dropped on any tab

        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.queue = QueueTab(store, self.tabs)
        # The detail and dispatch tabs are built when first needed, or right after the
        # queue has painted: the officer sees the queue without waiting for them.
        self._detail: DetailTab | None = None
        self._dispatch: DispatchTab | None = None
        self._detail_page = _Page(self.tabs)
        self._dispatch_page = _Page(self.tabs)
        self.tabs.addTab(self.queue, _("审核列表"))
        self.tabs.addTab(self._detail_page, _("审核详情"))
        self.tabs.addTab(self._dispatch_page, _("单位送审"))
        self.setCentralWidget(self.tabs)

        self.queue.open_requested.connect(self.open_case)
        self.tabs.currentChanged.connect(self._tab_changed)
        bus().changed.connect(self.apply_changes)
        self._listening = True

        self._build_menus()
        self.store_label = QLabel(self)
        self.counts_label = QLabel(self)
        self.statusBar().addPermanentWidget(self.counts_label)
        self.statusBar().addPermanentWidget(self.store_label)
        self.store_label.setText(_("数据库：{path}").format(path=store.path))
        self.store_label.setToolTip(str(store.path))

        self.queue.reload()
        self._update_counts()
        self.restore_layout()
        QTimer.singleShot(150, self._build_tabs)

    # -- the tabs built on first use ---------------------------------------------------------

    @property
    def detail(self) -> DetailTab:
        if self._detail is None:
            from app.ui.detail_tab import DetailTab

            self._detail = DetailTab(self.store, self._detail_page)
            self._detail_page.hold(self._detail)
            self._detail.back_requested.connect(self.back_to_queue)
            self._detail.preview_requested.connect(self.open_preview)
            splitter = window_settings().value("detail/splitter")
            if isinstance(splitter, QByteArray):
                self._detail.splitter.restoreState(splitter)
        return self._detail

    @property
    def dispatch(self) -> DispatchTab:
        if self._dispatch is None:
            from app.ui.dispatch_tab import DispatchTab

            self._dispatch = DispatchTab(self.store, self._dispatch_page)
            self._dispatch_page.hold(self._dispatch)
            self._dispatch.restore_layout(window_settings())
        return self._dispatch

    def _build_tabs(self) -> None:
        self.detail  # noqa: B018 - built for its side effect
        self.dispatch  # noqa: B018

    # -- menus ---------------------------------------------------------------------------

    def _action(self, text: str, slot: object, shortcut: QKeySequence | str | None = None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(_("文件(&F)"))
        self.import_action = self._action(
            _("导入办件…"), self.import_cases, "Ctrl+I", _("从 .xlsx 或 .csv 导入办件，先预览")
        )
        self.export_action = self._action(
            _("导出送审包…"), lambda: self.dispatch.export_packages(), "Ctrl+E", _("导出送审包和一览表")
        )
        self.backup_action = self._action(_("备份…"), self.backup, None, _("把数据库和附件备份到一个文件"))
        self.restore_action = self._action(_("恢复…"), self.restore, None, _("从备份文件恢复数据库和附件"))
        quit_action = self._action(_("退出"), self.close, QKeySequence.StandardKey.Quit)
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        for a in (
            self.import_action,
            self.export_action,
            None,
            self.backup_action,
            self.restore_action,
            None,
            quit_action,
        ):
            file_menu.addSeparator() if a is None else file_menu.addAction(a)

        view_menu = bar.addMenu(_("查看(&V)"))
        for i, (label, key) in enumerate(
            ((_("审核列表"), "Ctrl+1"), (_("审核详情"), "Ctrl+2"), (_("单位送审"), "Ctrl+3"))
        ):
            view_menu.addAction(self._action(label, lambda _c=False, i=i: self.tabs.setCurrentIndex(i), key))
        view_menu.addSeparator()
        view_menu.addAction(self._action(_("查找办件"), self.find_case, QKeySequence.StandardKey.Find))
        view_menu.addAction(self._action(_("刷新"), self.refresh_all, QKeySequence.StandardKey.Refresh))

        settings_menu = bar.addMenu(_("设置(&S)"))
        settings_menu.addAction(self._action(_("单位信息…"), lambda: self.open_settings("unit")))
        settings_menu.addAction(self._action(_("临近审核状态…"), lambda: self.open_settings("urgency")))
        settings_menu.addAction(self._action(_("上传限制…"), lambda: self.open_settings("upload")))
        settings_menu.addAction(self._action(_("节假日安排…"), lambda: self.open_settings("calendar")))
        settings_menu.addAction(self._action(_("常用审核意见…"), lambda: self.detail.manage_opinions()))
        settings_menu.addSeparator()
        settings_menu.addAction(
            self._action(_("全部设置…"), lambda: self.open_settings(None), QKeySequence.StandardKey.Preferences)
        )

        help_menu = bar.addMenu(_("帮助(&H)"))
        help_menu.addAction(self._action(_("常见问题"), self.show_faq, QKeySequence.StandardKey.HelpContents))
        help_menu.addAction(self._action(_("关于{title}").format(title=APP_TITLE), self.show_about))

    # -- navigation ----------------------------------------------------------------------------

    def open_case(self, case_id: int, order: list[int] | None = None) -> None:
        self.detail.open_case(case_id, order)
        self.tabs.setCurrentIndex(DETAIL)

    def back_to_queue(self) -> None:
        if self._detail is not None and self._detail.case_id is not None:
            self.queue.select_case(self._detail.case_id)
        self.tabs.setCurrentIndex(QUEUE)
        self.queue.view.setFocus()

    def find_case(self) -> None:
        self.tabs.setCurrentIndex(QUEUE)
        self.queue.focus_search()

    def _tab_changed(self, index: int) -> None:
        if index == DETAIL:
            self.detail  # noqa: B018 - built on first view
        elif index == DISPATCH:
            self.dispatch.ensure_loaded()

    def open_preview(self, case_id: int) -> None:
        from app.ui.applicant_preview import ApplicantPreviewDialog

        ApplicantPreviewDialog(self.store, case_id, self).open()

    def refresh_all(self) -> None:
        self.apply_changes(Changes(all_cases=True, attachments=True))
        self.statusBar().showMessage(_("已刷新"), 3000)

    def apply_changes(self, changes: Changes) -> None:
        """The one place every write's :class:`Changes` arrives; each view takes what it shows."""
        if changes.touches_cases() or changes.settings:
            self.queue.apply_changes(changes)
            self._update_counts()
        detail = self._detail
        if (
            detail is not None
            and detail.case_id is not None
            and (changes.all_cases or changes.settings or changes.attachments or detail.case_id in changes.cases)
        ):
            detail.reload()
        if self._dispatch is not None and (changes.touches_cases() or changes.attachments or changes.settings):
            self._dispatch.apply_changes(changes)

    def _update_counts(self) -> None:
        rows = self.queue.model.rows
        from app.core.review import Status

        pending = sum(1 for r in rows if r.status is Status.PENDING and r.urgency.reviewable)
        passed = sum(1 for r in rows if r.status is Status.PASSED)
        self.counts_label.setText(
            _("办件 {n} 件 · 可审核的待审核 {p} 件 · 待送审 {d} 件").format(n=len(rows), p=pending, d=passed)
        )

    # -- file menu -----------------------------------------------------------------------------------

    def import_cases(self) -> None:
        from app.ui.dialogs.data import ImportDialog

        ImportDialog.start(self.store, self)

    def bring_to_front(self) -> None:
        """Another launch asked for the window: show it, restored if minimised."""
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    # -- files dropped on the window -----------------------------------------------------------------

    def files_dropped(self, paths: list[Path]) -> None:
        """Files dropped anywhere on the window: a spreadsheet is previewed for import; scans,
        folders and PDFs go to 单位送审, to be sorted and checked."""
        from app.dispatch.importer import SHEET_SUFFIXES

        if len(paths) == 1 and paths[0].suffix.lower() in SHEET_SUFFIXES:
            from app.ui.dialogs.data import ImportDialog

            ImportDialog.start(self.store, self, paths[0])
            return
        self.tabs.setCurrentIndex(DISPATCH)
        self.dispatch.check_inbox(paths)

    def backup(self) -> None:
        from app.ui.dialogs.data import backup

        backup(self.store, self)

    def restore(self) -> None:
        from app.ui.dialogs.data import restore

        restore(self)

    def reopen_store(self) -> None:
        """After a restore, read the restored store."""
        path = self.store.path
        self.store.close()
        self.store = Store(path)
        for tab in (self.queue, self._detail, self._dispatch):
            if tab is not None:
                tab.store = self.store
        self.apply_changes(Changes(all_cases=True, attachments=True, settings=True, opinions=True))

    # -- settings and help -------------------------------------------------------------------------

    def open_settings(self, page: str | None) -> None:
        from app.ui.dialogs.settings import SettingsDialog

        SettingsDialog(self.store, page, self).open()

    def show_faq(self) -> None:
        from app.ui.dialogs.help import FaqDialog

        FaqDialog(self).open()

    def show_about(self) -> None:
        from app.ui.dialogs.help import about_text

        box = message(self, QMessageBox.Icon.NoIcon, _("关于{title}").format(title=APP_TITLE), about_text())
        box.setIconPixmap(app_icon().pixmap(64, 64))

    # -- window state ---------------------------------------------------------------------------------

    def restore_layout(self) -> None:
        s = window_settings()
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        state = s.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        header = s.value("queue/header")
        if isinstance(header, QByteArray):
            self.queue.view.horizontalHeader().restoreState(header)

    def save_layout(self) -> None:
        s = window_settings()
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        s.setValue("queue/header", self.queue.view.horizontalHeader().saveState())
        if self._detail is not None:
            s.setValue("detail/splitter", self._detail.splitter.saveState())
        if self._dispatch is not None:
            self._dispatch.save_layout(s)
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._detail is not None and not self._detail.leave_draft():
            self.tabs.setCurrentIndex(DETAIL)  # stay: the review being written is shown
            event.ignore()
            return
        if self._dispatch is not None:
            self._dispatch.cancel_work()
        wait_for_ops()
        self.save_layout()
        if self._listening:
            bus().changed.disconnect(self.apply_changes)
            self._listening = False
        super().closeEvent(event)


def _choose_font(app: QApplication) -> None:
    """A CJK font that exists here (Windows brings Microsoft YaHei; Linux, Noto Sans CJK)."""
    families = set(QFontDatabase.families())
    for family in (
        "Microsoft YaHei UI",
        "Microsoft YaHei",
        "Noto Sans CJK SC",
        "Source Han Sans SC",
        "WenQuanYi Micro Hei",
    ):
        if family in families:
            font = QFont(family)
            font.setPointSizeF(max(app.font().pointSizeF(), 10.0))
            app.setFont(font)
            return


def make_app() -> QApplication:
    """The QApplication, set up once: names, Chinese Qt dialogs, icon, font, high DPI."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_TITLE)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    app.setDesktopFileName(APP_NAME)
    install_qt_translations(app)
    app.setWindowIcon(app_icon())
    _choose_font(app)
    return app


def open_window_store(demo: bool) -> Store:
    """The officer's store, or the demo store filled with the demo data on first use."""
    store = Store(default_db_path(demo=demo))
    if demo and not store.query("SELECT 1 FROM cases LIMIT 1"):
        from app.ops.demo import load_demo

        load_demo(store)
    return store


def _excepthook(window: QWidget | None) -> object:
    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        log.error("unhandled exception", exc_info=(kind, exc, tb))
        show_error(window, exc.with_traceback(tb))

    return hook


def run_gui(demo: bool) -> int:
    from app import logs

    logs.setup()
    app = make_app()
    instance = SingleInstance(default_db_path(demo=demo))
    if not instance.acquire():
        if instance.wake_running():
            return 0  # the window that is already open comes to the front
        QMessageBox.information(
            None, APP_TITLE, _("职称网审助手已经在运行（可能正在启动）。请在任务栏中找到它的窗口，或稍后再试。")
        )
        return 0
    try:
        store = open_window_store(demo)
    except ZcwsError as exc:
        instance.release()
        fix = fix_text(exc.fix, exc.next)
        QMessageBox.critical(None, APP_TITLE, exc.message + (f"\n\n{fix}" if fix else ""))
        return 1
    window = MainWindow(store, demo=demo)
    sys.excepthook = _excepthook(window)  # type: ignore[assignment]
    window.show()
    QTimer.singleShot(0, window.queue.view.setFocus)
    QTimer.singleShot(300, lambda: instance.listen(window.bring_to_front))  # after the first paint
    try:
        return app.exec()
    finally:
        sys.excepthook = sys.__excepthook__
        store.close()
        instance.release()


__all__ = ["MainWindow", "make_app", "open_window_store", "run_gui"]
