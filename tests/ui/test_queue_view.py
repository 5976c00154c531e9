"""审核列表's view over its one model: painted as Qt's own delegate paints the same data, and the
selected case kept while the list is sorted, searched and filtered."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtWidgets import QStyledItemDelegate

from app.core.review import Status
from app.ui.models import RowRole
from app.ui.models.cases import COL_NAME, COL_NO, COL_STATUS, COL_URGENCY, COLUMNS
from tests.ui.conftest import type_text


class _PaintCount(QObject):
    def __init__(self, paints: list[int]) -> None:
        super().__init__()
        self.paints = paints

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.paints.append(1)
        return False


def test_the_cells_are_painted_as_qts_own_delegate_paints_the_models_data(window, qtbot) -> None:
    queue = window.queue
    view = queue.view
    queue.set_filters(Status.PENDING)  # some rows out, so that the rows shown are not the rows held
    view.sortByColumn(COL_STATUS, Qt.SortOrder.DescendingOrder)
    view.setCurrentIndex(queue.model.index(2, COL_NAME))  # a selected row among the alternating ones
    qtbot.wait(10)
    ours = view.viewport().grab().toImage()
    # 序号 (the running number, where the model holds the case number) and the badge are ours alone
    plain = [c for c in range(len(COLUMNS)) if c not in (COL_NO, COL_URGENCY)]
    mine = {c: view.itemDelegateForColumn(c) for c in plain}
    qts = QStyledItemDelegate(view)
    for c in plain:
        view.setItemDelegateForColumn(c, qts)
    try:
        assert view.viewport().grab().toImage() == ours
    finally:
        for c, delegate in mine.items():
            view.setItemDelegateForColumn(c, delegate)


def test_the_numbers_run_down_the_list_as_shown(window) -> None:
    queue = window.queue
    queue.set_filters(Status.PASSED)
    delegate = queue.view.itemDelegateForColumn(COL_NO)
    assert [delegate.text(row) for row in range(queue.model.rowCount())] == [
        str(n) for n in range(1, queue.model.rowCount() + 1)
    ]


def test_the_selected_case_follows_through_sorting_searching_and_filtering(window, qtbot) -> None:
    store, queue = window.store, window.queue
    view = queue.view
    someone = store.cases()[6]
    assert queue.select_case(someone.id)

    def selected() -> list[int]:
        return [i.data(RowRole).case_id for i in view.selectionModel().selectedRows()]

    view.sortByColumn(COL_NAME, Qt.SortOrder.DescendingOrder)
    assert queue.current_case_id() == someone.id and selected() == [someone.id]
    type_text(qtbot, queue.search, someone.name[:1])
    assert queue.current_case_id() == someone.id and selected() == [someone.id]
    view.sortByColumn(COL_STATUS, Qt.SortOrder.AscendingOrder)  # sorted while searched
    assert queue.current_case_id() == someone.id and selected() == [someone.id]
    shown = queue.model.case_ids()
    assert shown == [c for c in queue.model.case_ids() if someone.name[:1] in store.case(c).name]
    queue.set_filters(someone.status)
    assert queue.current_case_id() == someone.id and selected() == [someone.id]
    queue.search.clear()
    queue.set_filters()
    assert queue.current_case_id() == someone.id and selected() == [someone.id]
    assert len(queue.model.case_ids()) == len(store.cases())
    # the keyboard moves on from it in the order shown
    row = queue.model.row_of(someone.id)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert queue.current_case_id() == queue.model.case_ids()[row + 1]


def test_the_badges_are_painted_where_a_delegate_painting_each_cell_paints_them(window, qtbot, monkeypatch) -> None:
    from app.ui.models.cases import UrgencyBadgeDelegate
    from app.ui.queue_tab import QueueView
    from app.ui.widgets import HintTableView, paint_urgency_badges

    class EachCell(UrgencyBadgeDelegate):
        """As the column's delegate painted the badges before the view did."""

        def paint(self, painter, option, index) -> None:
            super().paint(painter, option, index)
            paint_urgency_badges(painter, option.font, [(option.rect, self._row(index.row()).urgency)])

    queue = window.queue
    view = queue.view
    view.setCurrentIndex(queue.model.index(1, COL_NAME))
    qtbot.wait(10)
    ours = view.viewport().grab().toImage()
    by_view = view.itemDelegateForColumn(COL_URGENCY)
    monkeypatch.setattr(QueueView, "paintEvent", HintTableView.paintEvent)
    view.setItemDelegateForColumn(COL_URGENCY, EachCell(queue.model, COL_URGENCY, view))
    try:
        theirs = view.viewport().grab().toImage()
    finally:
        view.setItemDelegateForColumn(COL_URGENCY, by_view)
    assert theirs == ours
    # and the view painted badges at all: without them the column is another picture
    monkeypatch.setattr(QueueView, "paintEvent", HintTableView.paintEvent)
    assert view.viewport().grab().toImage() != ours


def test_the_header_shows_the_columns_and_a_click_on_it_sorts(window, qtbot) -> None:
    queue = window.queue
    header = queue.view.horizontalHeader()
    assert [header.model().headerData(c, Qt.Orientation.Horizontal) for c in range(header.count())] == list(COLUMNS)
    x = header.sectionViewportPosition(COL_NAME) + header.sectionSize(COL_NAME) // 2
    for _ in range(2):  # ascending, then descending
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))
        order = header.sortIndicatorOrder()
        assert header.sortIndicatorSection() == COL_NAME
        key = queue.model.sort_key(COL_NAME)
        keys = [key(queue.model.shown_row(r)) for r in range(queue.model.rowCount())]
        assert keys == sorted(keys, reverse=order == Qt.SortOrder.DescendingOrder)
    # typing in the search box lays out the rows, not the header (a text that keeps the rows
    # more than the view's height: a scroll bar that comes or goes changes the header's width)
    queue.search.setFocus()
    qtbot.wait(50)
    window.repaint()
    paints: list[int] = []
    header.viewport().installEventFilter(watcher := _PaintCount(paints))
    type_text(qtbot, queue.search, "42")  # in every ID number
    qtbot.wait(50)
    queue.view.viewport().repaint()
    assert queue.model.rowCount() == len(queue.model.rows)
    assert paints == [] and watcher is not None
