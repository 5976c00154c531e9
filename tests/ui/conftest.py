"""GUI tests: the real main window, offscreen, on a copy of the demo store."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypeVar

import pytest

from app.store import Store

W = TypeVar("W")


@pytest.fixture
def window(qtbot, demo_store: Store) -> Iterator:
    from PySide6.QtWidgets import QApplication

    from app.ui.i18n import install_qt_translations
    from app.ui.main_window import MainWindow
    from app.ui.workers import wait_for_ops

    install_qt_translations(QApplication.instance())
    w = MainWindow(demo_store, demo=True)  # closed here, not by qtbot: see below
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    yield w
    if w._detail is not None:
        w._detail.panel.reset()  # a review a test left half-written would ask before the window closes
    w.dispatch.cancel_work()
    wait_for_ops()
    w.close()
    w.deleteLater()


def type_text(qtbot, widget, text: str) -> None:
    """Type ``text`` as an officer does: ASCII by keys, Chinese committed by the input method."""
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    widget.setFocus()
    for chunk in _chunks(text):
        if chunk.isascii():
            qtbot.keyClicks(widget, chunk)
        else:
            event = QInputMethodEvent()
            event.setCommitString(chunk)
            QApplication.sendEvent(widget, event)


def _chunks(text: str) -> list[str]:
    out: list[str] = []
    for ch in text:
        if out and out[-1][-1].isascii() == ch.isascii():
            out[-1] += ch
        else:
            out.append(ch)
    return out


def answer_next_box(button: str) -> list[str]:
    """Click ``button`` on the message box that is about to open; returns its text once it did."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    seen: list[str] = []

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, click)
            return
        seen.append(box.text())
        next(b for b in box.buttons() if b.text() == button).click()

    QTimer.singleShot(0, click)
    return seen


def shown(kind: type[W]) -> W | None:
    """The window of ``kind`` open on screen (a dialog, a message box), found as the officer sees it."""
    from PySide6.QtWidgets import QApplication

    return next((w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()), None)
