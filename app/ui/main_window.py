"""The main window: 审核列表, 审核详情 and 单位送审 tabs, menus, status bar.

``run_gui(demo)`` is what ``python -m app`` calls.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QFont, QFontDatabase, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME, APP_TITLE, __version__
from app.core.errors import ZcwsError
from app.store import Store, default_db_path
from app.ui.assets import app_icon
from app.ui.i18n import _, install_qt_translations
from app.ui.queue_tab import QueueTab
from app.ui.single import SingleInstance
from app.ui.widgets import FileDrops, window_settings
from app.ui.wording import fix_text
from app.ui.workers import Changes, bus, message, release_stores, show_error

if TYPE_CHECKING:
    from app.ui.detail_tab import DetailTab
    from app.ui.dispatch.tab import DispatchTab
    from app.ui.guide import GuideWindow
    from app.ui.start_page import StartPage

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


def window_title(demo: bool) -> str:
    """The program's name once: Qt adds the application's display name to a title that does not
    end with it ("职称网审助手（演示数据） — 职称网审助手")."""
    return _("演示数据 — {title}").format(title=APP_TITLE) if demo else APP_TITLE


class MainWindow(FileDrops, QMainWindow):
    def __init__(self, store: Store, demo: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.demo = demo
        self.setWindowTitle(window_title(demo))
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
        self._guide: GuideWindow | None = None  # built when first asked for
        self._start: StartPage | None = None  # 开始页: built when shown (an empty store)
        self._stack: QStackedWidget | None = None  # the start page and the tabs, once it was shown
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
        if not demo and not self.queue.model.rows:
            self.show_start_page()
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
            from app.ui.dispatch.tab import DispatchTab

            self._dispatch = DispatchTab(self.store, self._dispatch_page)
            self._dispatch_page.hold(self._dispatch)
            self._dispatch.restore_layout(window_settings())
        return self._dispatch

    def _build_tabs(self) -> None:
        self.detail  # noqa: B018 - built for its side effect
        self.dispatch  # noqa: B018

    # -- menus ---------------------------------------------------------------------------

    def _action(
        self,
        text: str,
        slot: object,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        tip: str = "",
    ) -> QAction:
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
            _("导入办件…"), self.import_cases, "Ctrl+I", _("从 .xlsx、.xls 或 .csv 导入办件，先预览")
        )
        self.export_action = self._action(
            _("导出送审包…"), lambda: self.dispatch.export_packages(), "Ctrl+E", _("导出送审包和一览表")
        )
        self.backup_action = self._action(_("备份…"), self.backup, "Ctrl+B", _("把数据库和附件备份到一个文件"))
        self.restore_action = self._action(_("恢复…"), self.restore, None, _("从备份文件恢复数据库和附件"))
        account_action = self._action(
            _("生成开户申请表…"), self.make_account_form, None, _("《黄石市职称评审信息系统用户开户申请表》")
        )
        quit_action = self._action(_("退出"), self.close, "Ctrl+Q")
        plan_action = self._action(_("新建评审计划…"), self.new_plan, None, _("照系统中的通知登记评审计划，再导入名单"))
        self._fill(
            file_menu,
            plan_action,
            self.import_action,
            account_action,
            None,
            self.export_action,
            None,
            self.backup_action,
            self.restore_action,
            None,
            quit_action,
        )

        view_menu = bar.addMenu(_("查看(&V)"))
        start_action = self._action(
            _("开始页"), self.show_start_page, None, _("第一步做什么：单位信息、名单、空白表、演示")
        )
        tabs = [
            self._action(label, lambda _c=False, i=i: self.show_tab(i), key)
            for i, (label, key) in enumerate(
                ((_("审核列表"), "Ctrl+1"), (_("审核详情"), "Ctrl+2"), (_("单位送审"), "Ctrl+3"))
            )
        ]
        find = self._action(_("查找办件"), self.find_case, QKeySequence.StandardKey.Find)
        refresh = self._action(_("刷新"), self.refresh_all, QKeySequence.StandardKey.Refresh)
        self._fill(view_menu, start_action, None, *tabs, None, find, refresh)

        # 审核: the queue's and the detail's actions; the detail's only while it is in view
        review_menu = bar.addMenu(_("审核(&R)"))
        open_action = self._action(
            _("审核所选办件"), lambda: self._on_tab(QUEUE, self.queue.open_current), "Ctrl+O", _("打开审核详情")
        )
        self.review_actions = [
            self._action(_("保存审核结果"), lambda: self.detail.save(), QKeySequence.StandardKey.Save),
            self._action(_("上一条"), lambda: self.detail.step(-1), "Alt+Left"),
            self._action(_("下一条"), lambda: self.detail.step(+1), "Alt+Right"),
            self._action(_("返回审核列表"), self.back_to_queue, "Esc"),
            None,
            self._action(_("查看退回修改信息"), lambda: self.detail.return_info_button.click(), "Ctrl+Shift+R"),
            self._action(_("查看审核进度"), lambda: self.detail.panel.history_button.click(), "Ctrl+H"),
            self._action(_("个人界面预览"), lambda: self.detail.preview_button.click(), "Ctrl+Shift+P"),
        ]
        self._fill(review_menu, open_action, None, *self.review_actions)
        self._enable_review_actions(False)

        # 单位送审: each of the tab's buttons, the tab brought into view first
        dispatch_menu = bar.addMenu(_("送审(&D)"))

        def press(button: str, key: str | None, text: str) -> QAction:
            return self._action(
                text, lambda: self._on_tab(DISPATCH, lambda: getattr(self.dispatch, button).click()), key
            )

        self._fill(
            dispatch_menu,
            press("import_blanks_button", "Ctrl+Shift+I", _("导入系统空白表…")),
            press("print_blanks_button", "Ctrl+P", _("打印系统空白表")),
            self._action(
                _("生成本程序表格（所选人员）"),
                lambda: self._on_tab(DISPATCH, self.dispatch.forms_selected_action.trigger),
            ),
            self._action(
                _("生成本程序表格（全部人员）"), lambda: self._on_tab(DISPATCH, self.dispatch.forms_all_action.trigger)
            ),
            None,
            press("publicity_button", "Ctrl+G", _("公示…")),
            press("add_files_button", "Ctrl+Shift+O", _("添加扫描件…")),
            None,
            press("send_button", "Ctrl+Shift+D", _("送审")),
            self.export_action,
        )

        settings_menu = bar.addMenu(_("设置(&S)"))
        self._fill(
            settings_menu,
            self._action(_("单位信息…"), lambda: self.open_settings("unit")),
            self._action(_("临近审核状态…"), lambda: self.open_settings("urgency")),
            self._action(_("上传限制…"), lambda: self.open_settings("upload")),
            self._action(_("节假日安排…"), lambda: self.open_settings("calendar")),
            self._action(_("常用审核意见…"), lambda: self.detail.manage_opinions()),
            None,
            self._action(_("全部设置…"), lambda: self.open_settings(None), QKeySequence.StandardKey.Preferences),
        )

        help_menu = bar.addMenu(_("帮助(&H)"))
        self._fill(
            help_menu,
            self._action(
                _("使用说明"), lambda: self.show_guide(), QKeySequence.StandardKey.HelpContents, _("打开本页的使用说明")
            ),
            self._action(
                _("常见问题"), self.show_faq, None, _("从系统的提示查找：二维码解析失败、流程信息不匹配、附件未上传")
            ),
            start_action,
            None,
            self._action(_("关于{title}").format(title=APP_TITLE), self.show_about),
        )

    @staticmethod
    def _fill(menu: QMenu, *actions: QAction | None) -> None:
        for a in actions:
            menu.addSeparator() if a is None else menu.addAction(a)

    def _on_tab(self, index: int, act: Callable[[], object]) -> None:
        """A tab's action from the menu: the tab comes into view, then the action runs there."""
        self.show_tab(index)
        act()

    def _enable_review_actions(self, on: bool) -> None:
        for a in self.review_actions:
            if a is not None:
                a.setEnabled(on)

    # -- navigation ----------------------------------------------------------------------------

    def open_case(self, case_id: int, order: list[int] | None = None) -> None:
        self.detail.open_case(case_id, order)
        self.show_tab(DETAIL)

    def show_tab(self, index: int) -> None:
        """One of the three tabs, in place of the start page if that was shown."""
        if self._stack is not None:
            self._stack.setCurrentWidget(self.tabs)
        self.tabs.setCurrentIndex(index)
        self._enable_review_actions(index == DETAIL)

    def show_start_page(self) -> None:
        """开始页 in place of the tabs (帮助 → 开始页; a first launch on an empty store)."""
        if self._start is None:
            from app.ui.start_page import StartPage

            start = StartPage(self)
            start.unit_requested.connect(lambda: self.open_settings("unit"))
            start.account_form_requested.connect(self.make_account_form)
            start.plan_requested.connect(self.new_plan)
            start.import_requested.connect(self.import_cases)
            start.blanks_requested.connect(self.import_blanks)
            start.demo_requested.connect(self.open_demo)
            start.guide_requested.connect(lambda: self.show_guide())
            start.queue_requested.connect(lambda: self.show_tab(QUEUE))
            stack = QStackedWidget(self)
            tabs = self.takeCentralWidget()
            stack.addWidget(start)
            stack.addWidget(tabs)
            self.setCentralWidget(stack)
            self._start, self._stack = start, stack
        self._show_progress()
        assert self._stack is not None
        self._stack.setCurrentWidget(self._start)
        self._enable_review_actions(False)

    def start_page_shown(self) -> bool:
        return self._stack is not None and self._stack.currentWidget() is self._start

    def _show_progress(self) -> None:
        from app.ops.plans import list_plans
        from app.ops.units import get_unit

        if self._start is not None:
            unit = get_unit(self.store)
            plans = len(list_plans(self.store))
            self._start.show_progress(unit.name if unit else None, plans, len(self.queue.model.rows))

    def back_to_queue(self) -> None:
        if self._detail is not None and self._detail.case_id is not None:
            self.queue.select_case(self._detail.case_id)
        self.show_tab(QUEUE)
        self.queue.view.setFocus()

    def find_case(self) -> None:
        self.show_tab(QUEUE)
        self.queue.focus_search()

    def _tab_changed(self, index: int) -> None:
        self._enable_review_actions(index == DETAIL)
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
            if self.start_page_shown():
                if changes.touches_cases() and self.queue.model.rows:
                    self.show_tab(QUEUE)  # the list came in: what comes next is the review
                else:
                    self._show_progress()
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

    def new_plan(self) -> None:
        from app.ui.dialogs.plan import PlanDialog

        PlanDialog(self.store, self).open()

    def import_blanks(self) -> None:
        """导入系统空白表…: on 单位送审, where they are listed and printed."""
        self.show_tab(DISPATCH)
        self.dispatch.choose_downloads()

    def make_account_form(self) -> None:
        """《黄石市职称评审信息系统用户开户申请表》 from the unit's information, saved where the officer says."""
        from PySide6.QtWidgets import QFileDialog

        from app.ops.forms import render_account_form
        from app.ui.desktop import open_folder
        from app.ui.workers import Op

        chosen, _filter = QFileDialog.getSaveFileName(
            self, _("保存开户申请表"), str(Path.home() / _("开户申请表.pdf")), _("PDF 文件 (*.pdf)")
        )
        if not chosen:
            return

        def done(path: Path) -> None:
            self.statusBar().showMessage(_("已生成开户申请表：{path}").format(path=path), 10000)
            open_folder(path)

        Op(
            self, lambda store, _progress, _token: render_account_form(store, Path(chosen)), store_path=self.store.path
        ).success(done).failure(lambda exc: show_error(self, exc)).with_progress(_("正在生成开户申请表…")).run()

    def open_demo(self) -> None:
        """演示数据 in a window of its own: this program started again on the demo store (which has a
        lock of its own), so that the officer's data and the demo never mix."""
        from PySide6.QtCore import QProcess

        args = ["--demo"] if getattr(sys, "frozen", False) else ["-m", "app", "--demo"]
        started, _pid = QProcess.startDetached(sys.executable, args)
        if started:
            self.statusBar().showMessage(_("正在另一个窗口中打开演示数据…"), 10000)
        else:
            message(
                self,
                QMessageBox.Icon.Warning,
                _("打开演示数据"),
                _("无法打开演示数据：请从开始菜单打开“职称网审助手（演示数据）”。"),
            )

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
        self.show_tab(DISPATCH)
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

    def show_guide(self, chapter: str | None = None) -> None:
        """使用说明 at ``chapter``, or at the chapter of the tab in view (F1)."""
        from app.ui import guide

        if self._guide is None:
            self._guide = guide.GuideWindow(self)
        if chapter is None and self.start_page_shown():
            chapter = guide.START
        tab_chapters = {QUEUE: guide.QUEUE, DETAIL: guide.REVIEW, DISPATCH: guide.DISPATCH}
        self._guide.open_chapter(chapter or tab_chapters[self.tabs.currentIndex()])

    def show_faq(self) -> None:
        from app.ui.guide import FAQ

        self.show_guide(FAQ)

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
            self.show_tab(DETAIL)  # stay: the review being written is shown
            event.ignore()
            return
        if self._dispatch is not None:
            self._dispatch.cancel_work()
        release_stores()
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


#: How long a thread running Python keeps the interpreter from the window's thread that asks for it (CPython's
#: default is 5 ms): the work beside the window (the store's worker, a sort's first pages) runs Python too, and every
#: turn of the window's event loop asks for the interpreter several times.
GIL_SWITCH_S = 0.001


def make_app() -> QApplication:
    """The QApplication, set up once: names, Chinese Qt dialogs, icon, font, high DPI."""
    sys.setswitchinterval(GIL_SWITCH_S)
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


def _excepthook(window: QWidget | None) -> Callable[[type[BaseException], BaseException, TracebackType | None], None]:
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
            None,  # type: ignore[arg-type]  # PySide6's stub wants a QWidget; Qt takes None: no window yet
            APP_TITLE,
            _("职称网审助手已经在运行（可能正在启动）。请在任务栏中找到它的窗口，或稍后再试。"),
        )
        return 0
    try:
        store = open_window_store(demo)
    except ZcwsError as exc:
        instance.release()
        fix = fix_text(exc.fix, exc.next)
        QMessageBox.critical(
            None,  # type: ignore[arg-type]  # as above
            APP_TITLE,
            exc.message + (f"\n\n{fix}" if fix else ""),
        )
        return 1
    window = MainWindow(store, demo=demo)
    sys.excepthook = _excepthook(window)
    window.show()
    QTimer.singleShot(0, window.queue.view.setFocus)
    QTimer.singleShot(300, lambda: instance.listen(window.bring_to_front))  # after the first paint
    try:
        return app.exec()
    finally:
        sys.excepthook = sys.__excepthook__
        store.close()
        instance.release()


def open_guide_alone() -> GuideWindow:
    """使用说明 in a window of its own at its contents, no store opened (``zcws --guide``)."""
    from app.ui.guide import CONTENTS, GuideWindow

    window = GuideWindow()
    window.open_chapter(CONTENTS)
    return window


def run_guide() -> int:
    """The Start menu's 使用说明."""
    from app import logs

    logs.setup()
    app = make_app()
    window = open_guide_alone()
    try:
        return app.exec()
    finally:
        window.close()


__all__ = ["MainWindow", "make_app", "open_guide_alone", "open_window_store", "run_gui", "run_guide"]
