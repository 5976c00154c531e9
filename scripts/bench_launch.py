"""The window as the officer meets it: from the double-click to the queue painted with the demo data,
against a bare PySide6 window with one table launched the same way.

Both are timed alike: from the moment the interpreter is launched to the first paint of a
table view holding rows, seen by one event filter on the application, so the imports are
counted (``scripts/bench_window.py`` times the window built in an interpreter that has
already imported everything). Used by ``scripts/bench.py``.
"""

from __future__ import annotations

import compileall
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
    # Watching from the event loop's first turn, after the window was built and shown: a
    # filter on the whole application from the start would add a Python call to every
    # event of the construction, a cost of the watching that grows with the number of widgets.
    QTimer.singleShot(0, lambda: app.installEventFilter(watcher))
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


def first_paints(home: Path, runs: int = 7) -> tuple[float, float]:
    """Median seconds to the first paint: (bare window with one table, our window on the demo data)."""
    env = {**os.environ, "ZCWS_HOME": str(home), "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    watch = _WATCH.format(root=str(ROOT))
    # Our modules as the installed program has them, compiled: PySide6 and the standard
    # library the bare window uses are, and PYTHONDONTWRITEBYTECODE must not make us the
    # only one compiling its sources at every launch.
    compileall.compile_dir(ROOT / "app", quiet=1)
    subprocess.run([sys.executable, "-m", "app", "demo"], cwd=ROOT, env=env, check=True, capture_output=True)
    _first_paint(watch + APP, env)  # the page cache warm for both
    bare, ours = [], []
    for _ in range(runs):  # alternating, so that a busy neighbour hurts both alike
        bare.append(_first_paint(watch + BARE.format(), env))
        ours.append(_first_paint(watch + APP, env))
    return statistics.median(bare), statistics.median(ours)
