"""The window's figures for scripts/bench.py: typing in the queue's search box, first paint of the queue.

``search_keystrokes(db)``: each keystroke of what an officer types into the 审核列表 search box
over a 10,000-case store, from the box's text changed to the list repainted, against the floor
measured in the same run: a bare ``QSortFilterProxyModel`` with a fixed-string filter on one
precomputed text column (the rows' own folded search texts) over the same rows, its other
columns the same cells, in a bare ``QTableView`` of the same viewport size and column widths.
``first_keystroke_after_import(work)``: the first keystroke after 10,000 cases are imported into
an empty window, against the same keystroke again. ``first_paint_s(db)`` and
``bare_first_paint_s()``: the window on a store until its queue is painted, and a bare PySide6
window with one table.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
from PySide6.QtWidgets import QApplication

#: Typed one keystroke at a time (a Chinese input method commits a character at a time),
#: each word taken back with Backspace: a name, an ID number's first digits in half-width and
#: in full-width, a specialty, a surname alone.
TYPED = (
    *("王", "王伟", "王", ""),
    *("4", "42", "420", "4202", "420", "42", "4", ""),
    *("４", "４２", "４２０", "４２０２", "４２０", "４２", "４", ""),
    *("水", "水利", "水", ""),
    *("临", "临床", "临", ""),
    *("李", ""),
)


@dataclass
class Keystrokes:
    """Per keystroke of :data:`TYPED`, the median over the rounds (ms), ours and the floor's: wall
    time, and this thread's CPU time (steadier on a shared machine)."""

    ours: list[float]
    floor: list[float]
    ours_cpu: list[float]
    floor_cpu: list[float]
    masked_ms: float  # an ID number pasted as the list shows it, * and all (the floor cannot)


def _app():
    from app.ui.main_window import make_app

    return make_app()


class _Paints(QObject):
    """Counts the paint events of a view's viewport."""

    def __init__(self, view) -> None:
        super().__init__(view)
        self.count = 0
        view.viewport().installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def _settle(window, msecs: int = 20) -> None:
    """Let the window finish what it has to do (background work started and delivered, the
    platform's update timer fired), then paint it: nothing left over for the clock."""
    from app.ui.workers import wait_for_ops

    for _ in range(2):  # work delivered in the first turn may start more
        wait_for_ops()
        loop = QEventLoop()
        QTimer.singleShot(msecs, loop.quit)
        loop.exec()
    window.repaint()


def _keystroke_ms(set_text: Callable[[str], None], view, text: str) -> tuple[float, float]:
    """From the text set to the list repainted, wall and CPU time (ms): the event loop's turn
    (the view's own relayout), then whatever the window has to repaint (the list, and for ours
    the box and the count), forced unless that turn already painted it (the platform paints on
    a timer of its own)."""
    app = QApplication.instance()
    paints = view.findChild(_Paints) or _Paints(view)
    _settle(view.window())
    painted = paints.count
    start, cpu = time.perf_counter(), time.thread_time()
    set_text(text)
    app.processEvents()
    if paints.count == painted:
        view.viewport().repaint()
    return (time.perf_counter() - start) * 1000, (time.thread_time() - cpu) * 1000


def _floor_view(queue):
    """The floor: Qt's own filter on the rows' precomputed search texts, the same cells shown."""
    from PySide6.QtCore import QSortFilterProxyModel
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QTableView

    rows = queue.model.rows
    columns = len(rows[0].cells)
    model = QStandardItemModel(len(rows), columns + 1)
    for i, row in enumerate(rows):
        for c, text in enumerate(row.cells):
            model.setItem(i, c, QStandardItem(text))
        model.setItem(i, columns, QStandardItem(row.search_text))
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setFilterKeyColumn(columns)
    view = QTableView()
    view.setModel(proxy)
    view.setColumnHidden(columns, True)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(queue.view.verticalHeader().defaultSectionSize())
    view.horizontalHeader().setStretchLastSection(True)
    for c in range(columns):
        view.setColumnWidth(c, queue.view.columnWidth(c))
    view.show()
    app = QApplication.instance()
    app.processEvents()
    view.resize(view.size() + queue.view.viewport().size() - view.viewport().size())
    app.processEvents()
    return view, proxy, model


def search_keystrokes(db: Path, rounds: int = 7) -> Keystrokes:
    from app.core.ids import mask_id
    from app.store import Store
    from app.ui.main_window import MainWindow
    from app.ui.models.cases import folded

    app = _app()
    with Store(db) as store:
        window = MainWindow(store)
        window.resize(1280, 800)
        window.show()
        app.processEvents()
        queue = window.queue
        floor_view, floor, _model = _floor_view(queue)
        needles = {text: folded(text).strip() for text in TYPED}
        ours: list[list[tuple[float, float]]] = []
        floors: list[list[tuple[float, float]]] = []
        for n in range(rounds):
            sides = [(ours, queue.search.setText, queue.view, TYPED),
                     (floors, floor.setFilterFixedString, floor_view, tuple(needles[t] for t in TYPED))]  # fmt: skip
            for times, set_text, view, texts in sides if n % 2 == 0 else reversed(sides):
                times.append([_keystroke_ms(set_text, view, text) for text in texts])
        masked = mask_id(store.case(queue.model.rows[len(queue.model.rows) // 2].case_id).id_number)
        pasted = []
        for _ in range(rounds):
            _keystroke_ms(queue.search.setText, queue.view, "")
            pasted.append(_keystroke_ms(queue.search.setText, queue.view, masked)[0])
        floor_view.close()
        window.close()
    (ours_wall, ours_cpu), (floor_wall, floor_cpu) = _medians(ours), _medians(floors)
    return Keystrokes(ours_wall, floor_wall, ours_cpu, floor_cpu, statistics.median(pasted))


def _medians(rounds: list[list[tuple[float, float]]]) -> tuple[list[float], list[float]]:
    """Per keystroke, the median over the rounds: of the wall times, of the CPU times."""
    per_key = list(zip(*rounds, strict=True))
    return [statistics.median(w for w, _ in k) for k in per_key], [statistics.median(c for _, c in k) for k in per_key]


def first_keystroke_after_import(work: Path, n: int = 10_000, times: int = 3) -> tuple[tuple[float, float], ...]:
    """The first keystroke (“王”) once ``n`` cases are imported into an empty window, and the same
    keystroke typed again afterwards: (wall, CPU) ms each, medians over ``times`` imports."""
    from bench_inputs import make_queue, make_spreadsheet

    from app.ops.data import apply_import, preview_import
    from app.store import Store
    from app.ui.main_window import MainWindow
    from app.ui.workers import Changes, announce

    _app()
    sheet = make_spreadsheet(work / "import.xlsx", n)
    firsts, agains = [], []
    for i in range(times):
        with Store(make_queue(work / f"import-{i}.sqlite3", 0)) as store:
            window = MainWindow(store)
            window.resize(1280, 800)
            window.show()
            _settle(window, 300)  # the window's own work after launch (its other tabs) done, as before any import
            apply_import(store, preview_import(store, sheet, store.plans()[0].id))
            announce(Changes(all_cases=True))
            queue = window.queue
            assert queue.model.rowCount() == n, queue.model.rowCount()
            firsts.append(_keystroke_ms(queue.search.setText, queue.view, "王"))
            again = []
            for _ in range(5):
                _keystroke_ms(queue.search.setText, queue.view, "")
                again.append(_keystroke_ms(queue.search.setText, queue.view, "王"))
            agains.append(tuple(statistics.median(t) for t in zip(*again, strict=True)))
            window.close()
    return tuple(tuple(statistics.median(t) for t in zip(*side, strict=True)) for side in (firsts, agains))


def first_paint_s(db: Path) -> float:
    from app.store import Store
    from app.ui.main_window import MainWindow

    app = _app()
    start = time.perf_counter()
    store = Store(db)
    window = MainWindow(store)
    window.show()
    window.queue.view.viewport().repaint()
    app.processEvents()
    elapsed = time.perf_counter() - start
    window.close()
    store.close()
    return elapsed


def bare_first_paint_s() -> float:
    from PySide6.QtGui import QStandardItemModel
    from PySide6.QtWidgets import QMainWindow, QTableView

    app = _app()
    start = time.perf_counter()
    window = QMainWindow()
    view = QTableView(window)
    view.setModel(QStandardItemModel(50, 9, view))
    window.setCentralWidget(view)
    window.show()
    view.viewport().repaint()
    app.processEvents()
    elapsed = time.perf_counter() - start
    window.close()
    return elapsed
