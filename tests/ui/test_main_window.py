"""What a desktop user expects: menus, Chinese stock dialogs, remembered layout, settings, background ops."""

from __future__ import annotations

import threading

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from app.core.progress import CancelToken
from app.ui.main_window import MainWindow, open_window_store
from app.ui.workers import Op, release_stores


def _menu_texts(window: MainWindow) -> dict[str, list[str]]:
    return {
        m.text(): [a.text() for a in m.menu().actions() if a.text()]
        for m in window.menuBar().actions()
        if m.menu() is not None
    }


def test_menus_carry_the_officers_actions(window) -> None:
    menus = _menu_texts(window)
    assert menus["文件(&F)"] == [
        "新建评审计划…",
        "导入办件…",
        "生成开户申请表…",
        "导出送审包…",
        "备份…",
        "恢复…",
        "退出",
    ]
    assert {"单位信息…", "临近审核状态…", "上传限制…", "常用审核意见…"} <= set(menus["设置(&S)"])
    assert menus["帮助(&H)"][:2] == ["使用说明", "常见问题"]
    shortcuts = {a.text(): a.shortcut().toString() for m in window.menuBar().actions() for a in m.menu().actions()}
    assert shortcuts["退出"] == "Ctrl+Q" and shortcuts["审核列表"] == "Ctrl+1" and shortcuts["查找办件"] == "Ctrl+F"
    assert "办件" in window.counts_label.text()
    assert not window.windowIcon().isNull()


def test_stock_dialogs_speak_chinese(window) -> None:
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"


def test_window_size_and_layout_are_remembered(window, qtbot, demo_store) -> None:
    window.resize(window.width(), 520)  # the offscreen screen is 800×600: stay inside it
    window.queue.view.setColumnWidth(2, 234)
    window.close()
    again = MainWindow(demo_store)
    qtbot.addWidget(again)
    assert again.size().height() == 520
    assert again.queue.view.columnWidth(2) == 234


def test_settings_dialog_is_generated_and_saves_thresholds(window, qtbot) -> None:
    from app.ui.dialogs.settings import SettingsDialog

    dialog = SettingsDialog(window.store, "urgency", window)
    qtbot.addWidget(dialog)
    assert dialog.tabs.tabText(dialog.tabs.currentIndex()) == "临近审核状态"
    assert {"urgency.urgent_days", "upload.max_bytes", "scan.max_file_bytes"} <= set(dialog.editors)
    before = sum(1 for r in window.queue.model.rows if r.urgency.label == "加急")
    dialog.editors["urgency.urgent_days"].setValue(40)
    dialog.save()
    assert window.store.get_setting("urgency.urgent_days") == 40
    # the queue re-read the cases with the new thresholds: the 30-day plan is now 加急
    assert sum(1 for r in window.queue.model.rows if r.urgency.label == "加急") > before


def test_demo_store_is_filled_on_first_open(qapp) -> None:
    store = open_window_store(demo=True)
    try:
        assert len(store.cases()) > 30
    finally:
        store.close()


def test_op_runs_off_the_gui_thread_and_reports_back(qtbot) -> None:
    seen: dict[str, object] = {}
    go_on = threading.Event()  # the work goes on once the test has seen its progress dialog

    def work(progress, token: CancelToken) -> str:
        seen["thread"] = threading.current_thread()
        for i in range(5):
            progress(i + 1, 5, f"第 {i + 1} 页")
            token.check()
            go_on.wait(timeout=30)
        return "完成"

    op = Op(None, work).with_progress("正在检查…").success(lambda r: seen.update(result=r))
    op.run()
    qtbot.waitUntil(lambda: op._dialog is not None, timeout=3000)  # the dialog only after half a second
    go_on.set()
    qtbot.waitUntil(lambda: "result" in seen, timeout=5000)
    assert seen["result"] == "完成"
    assert seen["thread"] is not threading.main_thread()
    assert QApplication.overrideCursor() is None

    failures: list[BaseException] = []
    go_on.clear()
    op = Op(None, work).failure(failures.append)
    op.run()
    op.cancel()
    go_on.set()
    qtbot.waitUntil(lambda: bool(failures), timeout=5000)
    assert "取消" in str(failures[0])


def test_ops_on_a_store_share_the_workers_connection_until_the_stores_are_released(qtbot, store) -> None:
    seen: list[object] = []

    def work(s, progress, token: CancelToken) -> int:
        seen.append(s)
        return len(s.cases())

    for _ in range(2):
        op = Op(None, work, store_path=store.path).run()
        qtbot.waitUntil(lambda op=op: not op.running, timeout=5000)
    assert len(seen) == 2 and seen[0] is seen[1]  # one connection, not a store opened per op
    assert release_stores()
    op = Op(None, work, store_path=store.path).run()
    qtbot.waitUntil(lambda: not op.running, timeout=5000)
    assert seen[2] is not seen[0]
    assert release_stores()


def _ink_in_middle(view) -> int:
    """Dark pixels in the middle band of a view's viewport: what the officer reads there."""
    image = view.viewport().grab().toImage()
    top, bottom = image.height() // 3, 2 * image.height() // 3
    return sum(
        1 for y in range(top, bottom, 2) for x in range(0, image.width(), 4) if image.pixelColor(x, y).lightness() < 160
    )


def test_an_empty_store_says_what_to_do_first(qtbot, store) -> None:
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    assert window.start_page_shown()  # a first launch: the first steps, not an empty table
    window.show_tab(0)  # the officer who goes to the queue anyway is told there too
    hint = window.queue.view.empty_hint()
    assert "还没有办件" in hint and "导入办件" in hint and "单位信息" in hint
    assert _ink_in_middle(window.queue.view) > 50  # painted, not a blank table
    window.tabs.setCurrentIndex(2)
    qtbot.waitUntil(lambda: window.dispatch.view.isVisible())
    assert "审核通过的办件会出现在这里" in window.dispatch.view.empty_hint()
    assert _ink_in_middle(window.dispatch.view) > 50


def test_a_search_that_finds_nothing_says_so(window, qtbot) -> None:
    view = window.queue.view
    assert _ink_in_middle(view) > 0  # rows
    window.queue.search.setText("没有这个人")
    assert window.queue.model.rowCount() == 0
    assert "没有符合条件的办件" in view.empty_hint()
    assert _ink_in_middle(view) > 50
    window.queue.search.clear()
    assert window.queue.model.rowCount() > 0


def test_restore_from_the_window_replaces_what_the_worker_had_open(window, qtbot, tmp_path) -> None:
    from app.ops import opinions as opinion_ops
    from app.ops.data import backup
    from app.ui.dialogs.data import restore

    store = window.store
    file = backup(store, tmp_path / "备份.zip")
    cases = len(store.cases())
    # written after the backup, through the store worker's own connection
    op = Op(None, lambda s, _p, _t: opinion_ops.add_opinion(s, "备份之后加的意见"), store_path=store.path).run()
    qtbot.waitUntil(lambda: not op.running, timeout=5000)
    assert "备份之后加的意见" in opinion_ops.list_opinions(store)
    op = restore(window, file)
    assert op is not None
    qtbot.waitUntil(lambda: not op.running, timeout=30_000)
    assert "已从备份恢复" in window.statusBar().currentMessage()
    assert "备份之后加的意见" not in opinion_ops.list_opinions(window.store)
    assert len(window.store.cases()) == cases
    # the next op on the restored store reads the restored data, not the replaced file
    seen: list[list[str]] = []
    op = Op(None, lambda s, _p, _t: seen.append(opinion_ops.list_opinions(s)), store_path=window.store.path).run()
    qtbot.waitUntil(lambda: not op.running, timeout=5000)
    assert seen and "备份之后加的意见" not in seen[0]
