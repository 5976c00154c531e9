"""The window's speed: first paint of the queue against a bare PySide6 window with one table,
and a keystroke in the queue's search box with 10,000 cases.

Both first paints are timed the same way: from the moment the interpreter is launched to
the first paint of a table view that holds rows, seen by one event filter on the
application. Used by ``scripts/bench.py``.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: Prints the wall-clock time of the first paint of an item view holding rows, then quits.
_WATCH = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, {root!r})
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QAbstractItemView, QApplication

    class FirstPaint(QObject):
        done = False
        def eventFilter(self, obj, event):
            if not self.done and event.type() == QEvent.Type.Paint:
                view = obj.parent()
                if isinstance(view, QAbstractItemView) and obj is view.viewport() and view.model() is not None \\
                        and view.model().rowCount() > 0 and view.isVisible():
                    self.done = True
                    print(f"painted {{time.time():.6f}}", flush=True)
                    QTimer.singleShot(0, QApplication.instance().quit)
            return False

    app = QApplication(sys.argv[:1])
    watcher = FirstPaint()
    app.installEventFilter(watcher)
    """
)

BARE = textwrap.dedent(
    """
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QMainWindow, QTableView
    window = QMainWindow()
    window.resize(1200, 760)
    model = QStandardItemModel(0, 9)
    for i in range(42):
        model.appendRow([QStandardItem(f"{{i}}-{{c}} 工程技术人员") for c in range(9)])
    view = QTableView()
    view.setModel(model)
    window.setCentralWidget(view)
    window.show()
    app.exec()
    """
)

APP = textwrap.dedent(
    """
    from app.ui.main_window import run_gui
    run_gui(demo=True)
    """
)


def _first_paint(code: str, env: dict[str, str]) -> float:
    start = time.time()
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=120)  # fmt: skip
    line = next((x for x in out.stdout.splitlines() if x.startswith("painted ")), None)
    if line is None:
        raise RuntimeError(f"no first paint: {out.stderr.strip()[-500:]}")
    return float(line.split()[1]) - start


def first_paints(home: Path, runs: int = 5) -> tuple[float, float]:
    """Median seconds to the first paint: (bare window with one table, our window on the demo data)."""
    env = {**os.environ, "ZCWS_HOME": str(home), "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    watch = _WATCH.format(root=str(ROOT))
    subprocess.run([sys.executable, "-m", "app", "demo"], cwd=ROOT, env=env, check=True, capture_output=True)
    _first_paint(watch + APP, env)  # the page cache warm for both
    bare, ours = [], []
    for _ in range(runs):  # alternating, so that a busy neighbour hurts both alike
        bare.append(_first_paint(watch + BARE.format(), env))
        ours.append(_first_paint(watch + APP, env))
    return statistics.median(bare), statistics.median(ours)


def search_keystroke_ms(
    db: Path, texts: tuple[str, ...] = ("王", "王伟", "4202", "", "水利", "临")
) -> dict[str, float]:
    """Milliseconds from a change of the search box's text to the list shown, with the window on ``db``."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from app.store import Store
    from app.ui.main_window import MainWindow, make_app

    app = make_app()
    store = Store(db)
    window = MainWindow(store)
    window.show()
    QApplication.processEvents()
    box = window.queue.search
    out: dict[str, float] = {}
    for text in texts:
        times = []
        for _ in range(3):
            box.setText("王" if text == "" else "")  # clearing the box shows every case again
            QApplication.processEvents()
            start = time.perf_counter()
            box.setText(text)
            window.queue.view.viewport().repaint()
            QApplication.processEvents()
            times.append((time.perf_counter() - start) * 1000)
        out[text or "(空)"] = statistics.median(times)
    window.close()
    store.close()
    del app
    return out
