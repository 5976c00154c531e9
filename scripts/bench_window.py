"""The window's figures for scripts/bench.py: typing in the queue's search box, first paint of the queue.

``search_keystroke_ms(db)``: the median time from one keystroke in the search box to the
list repainted, over a 10,000-case store. ``first_paint_s(db)`` and ``bare_first_paint_s()``:
the window on a store until its queue is painted, and a bare PySide6 window with one table.
"""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

KEYS = ("王", "王伟", "王伟芳", "王伟", "王", "", "4202", "42020", "")


def _app():
    from app.ui.main_window import make_app

    return make_app()


def search_keystroke_ms(db: Path) -> float:
    from app.store import Store
    from app.ui.main_window import MainWindow

    app = _app()
    with Store(db) as store:
        window = MainWindow(store)
        window.resize(1280, 800)
        window.show()
        app.processEvents()
        search = window.queue.search
        times = []
        for text in KEYS * 3:
            start = time.perf_counter()
            search.setText(text)
            window.queue.view.viewport().repaint()
            app.processEvents()
            times.append((time.perf_counter() - start) * 1000)
        window.close()
    return statistics.median(times)


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
