"""单位送审 while a scanner PDF is sorted: the pages come in one by one, the bar moves, 取消 stores nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2
from PySide6.QtCore import Qt

from app.core.models import Slot
from app.core.review import Status
from app.ui.main_window import DISPATCH
from tests.scan.scans import scanner_pdf


def _stack(window, tmp_path: Path, copies: int) -> tuple[Path, list[int]]:
    """The passed cases' forms, printed and scanned at 150 DPI, ``copies`` times over in one scanner PDF."""
    from app.ops import forms as forms_ops

    ids = [c.id for c in window.store.cases(status=Status.PASSED)]
    pages = []
    for form in forms_ops.render_forms(window.store, ids, tmp_path / "forms"):
        pdf = pypdfium2.PdfDocument(str(form.path))
        try:
            buf = io.BytesIO()
            pdf[0].render(scale=150 / 72).to_pil().convert("L").save(buf, "JPEG", quality=85)
        finally:
            pdf.close()
        pages.append(buf.getvalue())
    return scanner_pdf(pages * copies, tmp_path / "inbox" / "扫描.pdf"), ids


def test_pages_are_listed_as_they_are_checked_and_the_bar_moves(window, qtbot, tmp_path: Path) -> None:
    stack, ids = _stack(window, tmp_path, 2)
    window.tabs.setCurrentIndex(DISPATCH)
    tab = window.dispatch
    shown: list[tuple[int, bool]] = []  # rows listed, and whether the sort was still going then
    tab.pages.rowsInserted.connect(lambda *_: shown.append((len(tab.pages.lines), tab.busy())))
    values: list[int] = []
    tab.progress.bar.valueChanged.connect(values.append)
    tab.check_inbox([stack])
    qtbot.waitUntil(lambda: tab.busy() and bool(tab.pages.lines), timeout=120_000)
    tables_at = tab.splitter.geometry()
    qtbot.waitUntil(lambda: not tab.busy(), timeout=120_000)
    total = 4 * len(ids)
    assert len(tab.pages.lines) == total
    # the first page was on screen while the others were still being read
    assert shown and shown[0][1] and shown[0][0] < total
    assert len(shown) > 1
    # the bar went page by page, up to the last
    assert values[-1] == total and len(set(values)) > total // 2
    assert values == sorted(values)
    # at the end the pages are placed: one stored per case and form, the copies superseded
    assert sum(line.stored for line in tab.pages.lines) == 2 * len(ids)
    assert not any(line.checking for line in tab.pages.lines)
    # every page's verdict and outcome in the list, as placed
    for row, line in enumerate(tab.pages.lines):
        assert tab.pages.index(row, 2).data() == line.result.final.label
        assert tab.pages.index(row, 5).data() == ("已放入" if line.stored else tab.pages.outcome(line))
    # the message took the progress strip's place: the tables did not move
    assert "已检查" in tab.message.text() and tab.splitter.geometry() == tables_at
    # then, a turn at a time: the first page selected with its verdict, its picture once decoded, the case table
    first = tab.pages.lines[0]
    qtbot.waitUntil(lambda: tab.pages_view.currentIndex().row() == 0)
    assert first.result.final.label in tab.page_verdict.text()
    qtbot.waitUntil(lambda: tab.preview.pixmap is not None and not tab.preview.pending())
    assert f"第 {first.page} 页" in tab.preview.caption and tab.preview.has_outline()
    qtbot.waitUntil(lambda: all(r.mark(Slot.APPRAISAL) == "√" for r in tab.model.rows if r.case.id in ids))
    assert all(window.store.attachments(case_id) for case_id in ids)


def test_cancel_during_the_sort_stores_nothing(window, qtbot, tmp_path: Path) -> None:
    stack, ids = _stack(window, tmp_path, 4)
    window.tabs.setCurrentIndex(DISPATCH)
    tab = window.dispatch
    before = {case_id: len(window.store.attachments(case_id)) for case_id in ids}
    tab.check_inbox([stack])
    qtbot.waitUntil(lambda: bool(tab.pages.lines), timeout=60_000)
    assert tab.busy()
    qtbot.mouseClick(tab.progress.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not tab.busy(), timeout=60_000)
    assert "取消" in tab.message.text()
    assert {case_id: len(window.store.attachments(case_id)) for case_id in ids} == before
    # what was checked stays listed, to be assigned by hand; nothing claims to be stored
    lines = tab.pages.lines
    assert lines and len(lines) < 8 * len(ids)
    assert not any(line.stored or line.checking for line in lines)
