"""The window kept alive while a sort fills 单位送审: the page list's cells held by Qt, rows coming below the view not
repainting it, the preview decoded off the GUI thread, and the steps of the sort's end in turns of their own."""

from __future__ import annotations

import time
from itertools import pairwise
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QImage

from app.core.models import Slot
from app.core.verdicts import Verdict
from app.scan.verdicts import PageResult
from app.ui.models.dispatch import PAGE_COLUMNS, PageLine, PageModel
from app.ui.page_preview import PagePreview
from app.ui.widgets import GrowingTableView
from app.ui.workers import later


def _line(page: int, *, checking: bool = True, stored: bool = False) -> PageLine:
    result = PageResult(Path("扫描.pdf"), page, Verdict.OK, "二维码可识别", case_id=1)
    slot = Slot.OPINION if stored else None
    return PageLine(result, 1, "张三", slot, stored, result.message, checking=checking)


class _Paints(QObject):
    """The rectangles painted on a widget."""

    def __init__(self, widget) -> None:
        super().__init__(widget)
        self.rects: list = []
        widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.rects.append(event.rect())
        return False


def _settle(qtbot) -> None:
    qtbot.wait(30)


def test_the_page_list_shows_each_pages_cells_and_tells_only_what_changed(qtbot) -> None:
    model = PageModel()
    model.add_lines([_line(1), _line(2)])
    row = [model.index(0, c).data() for c in range(len(PAGE_COLUMNS))]
    assert row == list(_line(1).cells[c][Qt.ItemDataRole.DisplayRole] for c in range(len(PAGE_COLUMNS)))
    assert row[5] == "正在分拣…" and model.index(0, 2).data(Qt.ItemDataRole.ForegroundRole) is not None
    assert "扫描.pdf" in model.index(1, 7).data(Qt.ItemDataRole.ToolTipRole)
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsDragEnabled  # being sorted: not placed yet
    told: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda first, last, *_: told.append((first.row(), last.row())))
    model.update_lines([_line(1, checking=False, stored=True), _line(2, checking=False)])
    assert told == [(0, 1)]  # one change told for the rows, not one per cell
    assert model.index(0, 5).data() == "已放入" and model.index(0, 4).data() == Slot.OPINION.label
    assert model.index(1, 5).data() == "待指定"
    assert not model.flags(model.index(0, 3)) & Qt.ItemFlag.ItemIsDragEnabled  # stored: no longer dragged
    assert model.flags(model.index(1, 3)) & Qt.ItemFlag.ItemIsDragEnabled
    model.replace(1, _line(2, checking=False, stored=True))
    assert model.index(1, 5).data() == "已放入" and told[-1] == (1, 1)
    # another list altogether is set as new
    model.update_lines([_line(7)])
    assert model.rowCount() == 1 and model.index(0, 1).data() == "7"
    assert bytes(model.mimeData([model.index(0, 0)]).data("application/x-zcws-page")) == b"0"


def test_pages_coming_below_the_view_do_not_repaint_it_and_those_in_view_repaint_from_their_row(qtbot) -> None:
    model = PageModel()
    view = GrowingTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(600, 200)
    view.show()
    qtbot.waitExposed(view)
    model.add_lines([_line(p) for p in range(1, 30)])
    _settle(qtbot)
    bottom = view.rowAt(view.viewport().height() - 1)
    assert 0 <= bottom < 28
    paints = _Paints(view.viewport())
    model.add_lines([_line(30), _line(31)])  # below the rows in view
    _settle(qtbot)
    assert paints.rects == []
    assert view.verticalScrollBar().maximum() > 0 and model.rowCount() == 31
    model.removeRows(0, 1)  # anything but rows added is laid out and painted as Qt does
    _settle(qtbot)
    assert paints.rects and paints.rects[-1].height() == view.viewport().height()
    paints.rects.clear()
    view.scrollToTop()
    _settle(qtbot)
    paints.rects.clear()
    model.insertRows(2, 1)  # a row in view: the view from that row down
    _settle(qtbot)
    top = view.rowViewportPosition(2)
    assert paints.rects and min(r.top() for r in paints.rects) >= top > 0


def test_the_preview_shows_the_page_asked_for_last_decoded_off_the_gui_thread(qtbot, tmp_path: Path) -> None:
    preview = PagePreview()
    qtbot.addWidget(preview)
    pages = []
    for n, (w, h) in enumerate(((2480, 3508), (900, 700)), start=1):
        path = tmp_path / f"page{n}.png"
        image = QImage(w, h, QImage.Format.Format_Grayscale8)
        image.fill(200)
        assert image.save(str(path))
        pages.append(
            PageResult(path, n, Verdict.OK, "", qr_box=((100, 100), (300, 100), (300, 300)), image_size=(w, h))
        )
    preview.show_result(pages[0])
    preview.show_result(pages[1])  # asked for before the first came: the first is not shown
    assert preview.pending()
    qtbot.waitUntil(lambda: not preview.pending())
    # small enough to be shown whole
    assert preview.pixmap is not None and (preview.pixmap.width(), preview.pixmap.height()) == (900, 700)
    assert "第 2 页" in preview.caption and preview.has_outline()
    preview.show_result(pages[0])
    qtbot.waitUntil(lambda: not preview.pending())
    assert preview.pixmap is not None and preview.pixmap.width() == 620  # a quarter of the page, decoded as such
    assert preview.box[0].x() == 25
    preview.show_result(None)
    assert preview.pixmap is None and not preview.pending()


def test_later_gives_a_step_a_turn_of_its_own_after_the_timers_due(qtbot) -> None:
    ticks: list[float] = []
    steps: list[tuple[float, float]] = []
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    anchor = QObject()

    def step(n: int) -> None:
        start = time.perf_counter()
        while time.perf_counter() - start < 0.02:  # a step of 20 ms, longer than the timer's interval
            pass
        steps.append((start, time.perf_counter()))
        if n < 3:
            later(anchor, lambda: step(n + 1))

    timer.start()
    later(anchor, lambda: step(1))
    qtbot.waitUntil(lambda: len(steps) == 3)
    timer.stop()
    for (_start, end), (after, _end) in pairwise(steps):
        assert any(end <= t <= after for t in ticks)  # the timer had its turn between the steps
