"""An officer's first day: the start page on an empty store, the guide at the chapter in view (F1),
every action in the menus with its shortcut, and the tables' columns and sort order kept."""

from __future__ import annotations

import os
import re
import signal
from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PySide6.QtCore import QLockFile, Qt, QTimer, QUrl
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication, QFileDialog

from app import APP_TITLE
from app.core.ids import credit_check_char, id_check_char
from app.ops.units import save_unit, unit_from_fields
from app.resources import guide_path
from app.store import Store, default_db_path
from app.ui.dialogs.data import ImportDialog
from app.ui.dialogs.plan import PlanDialog
from app.ui.dialogs.settings import SettingsDialog
from app.ui.main_window import DETAIL, DISPATCH, QUEUE, MainWindow, window_title
from app.ui.workers import Changes, announce, wait_for_ops
from tests.ui.conftest import type_text

WAIT = 30_000  # an upper bound for a busy machine, not a timing
CREDIT17 = "91420222MA4XYW001"
PERSON17 = "42022219880808002"
UNIT = {
    "name": "阳新县某某医院",
    "credit_code": CREDIT17 + credit_check_char(CREDIT17),
    "kind": "县市区属单位",
    "region": "阳新县",
    "manager_name": "刘某",
    "manager_id_number": PERSON17 + id_check_char(PERSON17),
    "manager_phone": "0714-7322222",
}


def answer_file_dialog(path: Path | None) -> list[str]:
    """Choose ``path`` in the file dialog about to open (None: 取消); returns its title once it did."""
    seen: list[str] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            QTimer.singleShot(10, answer)
            return
        seen.append(dialog.windowTitle())
        if path is None:
            dialog.reject()
        else:
            dialog.selectFile(str(path))
            dialog.accept()

    QTimer.singleShot(0, answer)
    return seen


@pytest.fixture
def first_window(qtbot, store: Store) -> Iterator[MainWindow]:
    """The window on an empty store, as a first launch opens it."""
    window = MainWindow(store)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    yield window
    wait_for_ops()
    window.close()
    window.deleteLater()


def _click(qtbot, button) -> None:
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _menus(window: MainWindow) -> dict[str, list]:
    return {
        m.text(): [a for a in m.menu().actions() if a.text()]
        for m in window.menuBar().actions()
        if m.menu() is not None
    }


# -- the start page ------------------------------------------------------------------------------------


def test_a_first_launch_opens_the_start_page_and_the_title_names_the_program_once(first_window) -> None:
    window = first_window
    assert window.start_page_shown()
    start = window._start
    assert window.windowTitle() == APP_TITLE
    assert window_title(demo=True).count(APP_TITLE) == 1 and window_title(demo=True).endswith(APP_TITLE)
    # what is not possible yet says why
    assert not start.account_button.isEnabled() and "请先填写单位信息" in start.account_button.toolTip()
    assert not start.blanks_button.isEnabled() and "请先导入名单" in start.blanks_step.state.text()
    assert not start.queue_button.isVisible()
    for step in (start.unit_step, start.import_step, start.blanks_step, start.demo_step):
        assert step.isVisible()


def test_the_unit_filled_in_from_the_start_page_gives_the_account_form(first_window, qtbot, tmp_path) -> None:
    window = first_window
    start = window._start
    _click(qtbot, start.unit_button)
    dialog = window.findChild(SettingsDialog)
    qtbot.waitUntil(lambda: dialog.isVisible(), timeout=WAIT)
    assert dialog.tabs.tabText(dialog.tabs.currentIndex()) == "单位信息"
    editors = dialog.unit_page.editors
    for key in ("name", "credit_code", "manager_name", "manager_id_number", "manager_phone"):
        type_text(qtbot, editors[key], UNIT[key])
    for key in ("kind", "region"):
        editors[key].setCurrentIndex(editors[key].findText(UNIT[key]))
    dialog.save()
    # the start page stays, and says what is done and what comes next
    assert window.start_page_shown()
    assert "已填写：阳新县某某医院" in start.unit_step.state.text()
    out = tmp_path / "开户申请表.pdf"
    asked = answer_file_dialog(out)
    _click(qtbot, start.account_button)
    assert asked == ["保存开户申请表"]
    qtbot.waitUntil(lambda: "已生成开户申请表" in window.statusBar().currentMessage(), timeout=WAIT)
    text = pdfium.PdfDocument(out)[0].get_textpage().get_text_range()
    assert "开户申请表" in text and "阳新县某某医院" in text


def test_a_plan_then_the_list_from_the_start_page_and_the_queue_opens(first_window, qtbot, tmp_path) -> None:
    window = first_window
    save_unit(window.store, unit_from_fields(UNIT))
    announce(Changes(settings=True))
    start = window._start
    assert not start.import_button.isEnabled() and "请先新建评审计划" in start.import_step.state.text()
    _click(qtbot, start.plan_button)
    plan = window.findChild(PlanDialog)
    qtbot.waitUntil(lambda: plan is not None and plan.isVisible(), timeout=WAIT)
    plan.save()
    assert "请填写评审计划的标题" in plan.message.text()  # nothing typed yet: said, nothing stored
    type_text(qtbot, plan.title, "关于开展2026年度黄石市工程技术人员职称评审材料申报工作的通知")
    type_text(qtbot, plan.specialties, "建筑工程、市政工程")
    plan.save()
    assert not plan.isVisible()
    assert "已有评审计划 1 个" in start.import_step.state.text() and start.import_button.isEnabled()
    sheet = tmp_path / "名单.csv"
    first17 = "42020219800312123"
    sheet.write_text(
        f"序号,姓名,证件号码,系列,专业,申报职务\n1,周建国,{first17 + id_check_char(first17)},工程技术人员,建筑工程,工程师\n",
        encoding="utf-8-sig",
    )
    asked = answer_file_dialog(sheet)
    _click(qtbot, window._start.import_button)
    assert asked == ["选择要导入的表格"]
    dialog = window.findChild(ImportDialog)
    qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible(), timeout=WAIT)
    _click(qtbot, dialog.import_button)
    qtbot.waitUntil(lambda: not window.start_page_shown(), timeout=WAIT)
    assert window.tabs.currentIndex() == QUEUE
    assert [r.name for r in window.queue.model.rows] == ["周建国"]

    # 帮助 → 开始页: the next steps are open now, and the queue is one click away
    next(a for a in _menus(window)["帮助(&H)"] if a.text() == "开始页").trigger()
    assert window.start_page_shown()
    assert "已导入 1 个办件" in start.import_step.state.text()
    assert start.blanks_button.isEnabled() and start.queue_button.isVisible()
    asked = answer_file_dialog(None)
    _click(qtbot, start.blanks_button)
    assert asked and "空白表" in asked[0]
    assert not window.start_page_shown() and window.tabs.currentIndex() == DISPATCH
    window.show_start_page()
    _click(qtbot, start.queue_button)
    assert not window.start_page_shown() and window.tabs.currentIndex() == QUEUE


def test_the_demo_opens_in_a_window_of_its_own(first_window, qtbot) -> None:
    window = first_window
    _click(qtbot, window._start.demo_button)
    assert "演示数据" in window.statusBar().currentMessage()
    lock = QLockFile(str(default_db_path(demo=True)) + ".lock")
    # the demo's own launch holds its store's lock, with the officer's store untouched
    pid = 0

    def demo_running() -> bool:
        nonlocal pid
        pid = int(lock.getLockInfo()[0] or 0)  # (pid, host, application)
        return pid > 0

    qtbot.waitUntil(demo_running, timeout=90_000)
    try:
        assert pid != os.getpid()
        assert window.store.path != default_db_path(demo=True)
        assert window.start_page_shown()
    finally:
        os.kill(pid, signal.SIGTERM)


def test_a_store_with_cases_opens_on_the_queue(window) -> None:
    assert not window.start_page_shown() and window._start is None
    assert window.windowTitle() == window_title(demo=True) == f"演示数据 — {APP_TITLE}"


# -- the guide -----------------------------------------------------------------------------------------


def test_f1_opens_the_guide_at_the_chapter_of_the_tab_in_view(window, qtbot) -> None:
    for index, chapter, title in (
        (QUEUE, "04-queue.md", "审核列表"),
        (DETAIL, "05-review.md", "审核详情：单位审核"),
        (DISPATCH, "09-dispatch.md", "单位送审：扫描件自检与送审"),
    ):
        window.show_tab(index)
        window.activateWindow()
        qtbot.keyClick(window.tabs.currentWidget(), Qt.Key.Key_F1)
        qtbot.waitUntil(lambda: window._guide is not None and window._guide.isVisible(), timeout=WAIT)
        guide = window._guide
        assert guide.chapter() == chapter
        assert guide.browser.toPlainText().startswith(title)
        assert guide.chapter_list.currentItem().text() == title
        guide.close()


def test_the_guide_shows_its_screenshots_fitted_and_follows_its_links(window, qtbot) -> None:
    window.show_faq()
    guide = window._guide
    assert guide.chapter() == "12-faq.md"
    assert "二维码解析失败" in guide.browser.toPlainText()
    guide.open_chapter("09-dispatch.md")
    image = guide.browser.loadResource(
        QTextDocument.ResourceType.ImageResource, QUrl("../screenshots/09-dispatch-checked.png")
    )
    assert not image.isNull() and image.width() == 760
    # a chapter chosen in the list, then 后退 to where the officer was
    faq = next(i for i in range(guide.chapter_list.count()) if guide.chapter_list.item(i).text() == "常见问题")
    rect = guide.chapter_list.visualItemRect(guide.chapter_list.item(faq))
    qtbot.mouseClick(guide.chapter_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert guide.chapter() == "12-faq.md"
    _click(qtbot, guide.back_button)
    assert guide.chapter() == "09-dispatch.md"
    _click(qtbot, guide.contents_button)
    assert guide.chapter() == "index.md"
    guide.close()


def test_every_link_of_the_guide_leads_to_a_chapter_or_an_image() -> None:
    for chapter in guide_path().glob("*.md"):
        for target in re.findall(r"\]\(([^)\s]+)\)", chapter.read_text(encoding="utf-8")):
            assert not target.startswith(("http:", "https:")), f"{chapter.name}: the guide is read offline"
            assert (guide_path() / target).is_file(), f"{chapter.name}: {target}"


# -- menus and shortcuts --------------------------------------------------------------------------------


def test_the_guide_lists_every_menu_item_with_its_shortcut(window) -> None:
    shown = [
        (menu.replace("(&", "(").split("(")[0], a.text(), a.shortcut().toString())
        for menu, actions in _menus(window).items()
        for a in actions
    ]
    table = guide_path("13-keys.md").read_text(encoding="utf-8")
    listed = [tuple(c.strip() for c in row.split("|")[1:4]) for row in table.splitlines() if row.startswith("| ")][2:]
    assert listed == shown


def test_every_button_of_the_tabs_is_in_the_menus(window) -> None:
    texts = {a.text() for actions in _menus(window).values() for a in actions}
    dispatch = window.dispatch
    for button in (dispatch.import_blanks_button, dispatch.print_blanks_button, dispatch.publicity_button,
                   dispatch.add_files_button, dispatch.send_button, dispatch.export_button):  # fmt: skip
        assert button.text() in texts
    panel = window.detail.panel
    assert {
        "保存审核结果",
        "上一条",
        "下一条",
        "返回审核列表",
        "查看审核进度",
        "查看退回修改信息",
        "个人界面预览",
    } <= texts
    assert {panel.prev_button.text(), panel.next_button.text(), window.queue.refresh_button.text()} <= texts


def test_the_review_keys_work_on_the_detail_tab_only(window, qtbot) -> None:
    review = {a.text(): a for a in _menus(window)["审核(&R)"]}
    assert not review["保存审核结果"].isEnabled()  # the queue is in view
    window.queue.view.setFocus()
    window.queue.view.selectRow(0)
    qtbot.keyClick(window.queue.view, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentIndex() == DETAIL
    assert review["保存审核结果"].isEnabled() and review["保存审核结果"].shortcut().toString() == "Ctrl+S"
    opened = window.detail.case_id
    qtbot.keyClick(window.detail, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert window.detail.case_id != opened
    qtbot.keyClick(window.detail, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert "审核结果" in window.detail.message.text()  # nothing chosen: said, nothing saved
    qtbot.keyClick(window.detail, Qt.Key.Key_Escape)
    assert window.tabs.currentIndex() == QUEUE
    assert not review["返回审核列表"].isEnabled()


def test_a_dispatch_action_from_the_menu_brings_its_tab(window, qtbot) -> None:
    assert window.tabs.currentIndex() == QUEUE
    send = next(a for a in _menus(window)["送审(&D)"] if a.text() == "送审")
    assert send.shortcut().toString() == "Ctrl+Shift+D"
    send.trigger()
    assert window.tabs.currentIndex() == DISPATCH
    assert "不能送审" in window.dispatch.message.text()


# -- the tables' columns --------------------------------------------------------------------------------


def test_column_widths_and_sort_order_come_back_after_a_close(window, qtbot, demo_store) -> None:
    view = window.queue.view
    view.setColumnWidth(3, 211)
    view.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    first = window.queue.model.index(0, 2).data()
    window.close()
    again = MainWindow(demo_store)
    qtbot.addWidget(again)
    header = again.queue.view.horizontalHeader()
    assert again.queue.view.columnWidth(3) == 211
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (2, Qt.SortOrder.DescendingOrder)
    assert again.queue.model.index(0, 2).data() == first


def test_the_start_menus_guide_opens_the_guide_alone(qtbot) -> None:
    """``zcws --guide`` (the Start menu's 使用说明): the guide at its contents, no store opened."""
    from app.ui.main_window import open_guide_alone

    guide = open_guide_alone()
    qtbot.addWidget(guide)
    qtbot.waitExposed(guide)
    assert guide.chapter() == "index.md" and guide.isWindow()
    assert "一年的工作顺序" in guide.browser.toPlainText()
    assert not default_db_path().exists()


def test_the_dispatch_lists_columns_fit_until_dragged_then_come_back(window, qtbot, demo_store) -> None:
    from PySide6.QtWidgets import QHeaderView

    window.show_tab(DISPATCH)
    tab = window.dispatch
    qtbot.waitUntil(lambda: tab.loaded, timeout=WAIT)
    header = tab.view.horizontalHeader()
    assert header.sectionResizeMode(1) == QHeaderView.ResizeMode.Interactive  # the officer can drag it
    fitted = tab.view.columnWidth(1)
    assert fitted >= tab.view.sizeHintForColumn(1)  # every name in view shown whole
    header.resizeSection(1, fitted + 40)  # as a drag does
    tab.reload()
    assert tab.view.columnWidth(1) == fitted + 40  # not fitted again over the officer's width
    window.close()
    again = MainWindow(demo_store)
    qtbot.addWidget(again)
    again.show_tab(DISPATCH)
    assert again.dispatch.view.columnWidth(1) == fitted + 40


@pytest.mark.qt_log_ignore("Corrupt JPEG data", "JPEG datastream contains no image")  # the preview's, of a broken file
def test_the_checked_pages_columns_fit_as_pages_come_until_dragged_then_come_back(
    window, qtbot, demo_store, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QHeaderView

    window.show_tab(DISPATCH)
    tab = window.dispatch
    qtbot.waitUntil(lambda: tab.loaded, timeout=WAIT)
    broken = tmp_path / "一份名字很长的手机拍照文件（第一页）.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 not a whole jpeg")
    tab.check_inbox([broken])
    qtbot.waitUntil(lambda: not tab.busy() and bool(tab.pages.lines), timeout=WAIT)
    view, header = tab.pages_view, tab.pages_view.horizontalHeader()
    assert header.sectionResizeMode(0) == QHeaderView.ResizeMode.Interactive  # the officer can drag it
    qtbot.waitUntil(lambda: view.columnWidth(0) >= view.sizeHintForColumn(0), timeout=WAIT)  # the name whole
    header.resizeSection(0, 90)  # as a drag does
    tab.check_inbox([broken])
    qtbot.waitUntil(lambda: not tab.busy(), timeout=WAIT)
    QApplication.processEvents()
    assert view.columnWidth(0) == 90  # not fitted again over the officer's width
    window.close()
    again = MainWindow(demo_store)
    qtbot.addWidget(again)
    again.show_tab(DISPATCH)
    assert again.dispatch.pages_view.columnWidth(0) == 90
