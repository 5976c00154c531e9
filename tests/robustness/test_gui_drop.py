"""The GUI drop: the bad-input corpus dropped on 单位送审, as a folder and file by file on a slot."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.models import Slot
from app.core.review import Status
from app.store import Store
from tests.robustness.conftest import files, fingerprint
from tests.robustness.corpus import scan_corpus
from tests.robustness.tally import Tally


@pytest.fixture
def window(qtbot, demo_store: Store) -> Iterator:
    from app.ui.main_window import DISPATCH, MainWindow
    from app.ui.workers import wait_for_ops

    w = MainWindow(demo_store, demo=True)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    w.tabs.setCurrentIndex(DISPATCH)
    yield w
    w.dispatch.cancel_work()
    wait_for_ops()


def _corpus(store: Store, folder: Path) -> dict[str, Path]:
    import pypdfium2

    from app.ops.forms import render_forms

    case = store.cases(status=Status.PASSED)[0]
    pdf = next(f.path for f in render_forms(store, [case.id], folder / "表格") if f.form.value == "opinion")
    doc = pypdfium2.PdfDocument(str(pdf))
    try:
        png = folder / "表格" / "意见表.png"
        doc[0].render(scale=150 / 72).to_pil().save(png)
    finally:
        doc.close()
    return scan_corpus(folder / "收件箱", Path(pdf), png)


def test_the_corpus_dropped_on_the_dispatch_tab_is_listed_with_reasons_and_nothing_is_stored(
    window, qtbot, tmp_path: Path, tally: Tally
) -> None:
    from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent

    store: Store = window.store
    corpus = _corpus(store, tmp_path)
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = fingerprint(store.path), files(store.attachments_dir)
    tab = window.dispatch
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "收件箱"))])
    args = (QPoint(200, 200), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    enter = QDragEnterEvent(*args)
    tab.dragEnterEvent(enter)  # Qt delivers drag events only during a real drag: call the handlers as it would
    assert enter.isAccepted()
    tab.dropEvent(QDropEvent(*args))
    qtbot.waitUntil(lambda: not tab.busy() and bool(tab.pages.lines), timeout=60_000)
    tally.input(len(corpus))
    lines = tab.pages.lines
    assert {line.file.name for line in lines} == {n for n in corpus if not n.endswith(".docx")}
    assert not any(line.stored for line in lines)
    assert all(line.result.message and line.result.fix for line in lines)
    assert tab.message.kind == "warning", tab.message.text()
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert (fingerprint(store.path), files(store.attachments_dir)) == before


def test_a_bad_file_dropped_on_a_slot_is_refused_with_a_message(window, qtbot, tmp_path: Path, tally: Tally) -> None:
    store: Store = window.store
    corpus = _corpus(store, tmp_path)
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = fingerprint(store.path), files(store.attachments_dir)
    tab = window.dispatch
    case_id = tab.model.rows[0].case.id
    for name in ("加密的扫描件.pdf", "超大文件.tif", "像素炸弹.png", "空文件.png"):
        tally.input()
        tab.view.files_dropped.emit([corpus[name]], case_id, Slot.OPINION)
        qtbot.waitUntil(lambda: not tab.busy() and tab.message.kind == "error", timeout=30_000)
        assert "未保存" in tab.message.text() or "无法" in tab.message.text(), tab.message.text()
        tab.message.show_message("", "info")
    assert window.isVisible()
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert (fingerprint(store.path), files(store.attachments_dir)) == before
