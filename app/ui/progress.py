"""The one progress display: what the running :class:`~app.ui.workers.Op` is doing, bound to it.

:class:`ProgressStrip` shows the op's label and the item it is on, a bar that fills item by item
(busy until the first count comes) and 取消; it hides when the op ends. A tab shows it inline
(单位送审); :meth:`Op.with_progress <app.ui.workers.Op.with_progress>` without a place of its own
shows it in a small window-modal window when the work lasts longer than half a second.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFrame, QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from app.ui.i18n import _

if TYPE_CHECKING:
    from app.ui.workers import Op

QWIDGETSIZE_MAX = (1 << 24) - 1  # Qt's, which PySide does not export


class ProgressStrip(QFrame):
    """A label, a bar and 取消, following one op at a time (:meth:`follow`).

    ``stacked``: the label above the bar and 取消 below them (in the popup), else all on one line.
    """

    def __init__(self, parent: QWidget | None = None, stacked: bool = False) -> None:
        super().__init__(parent)
        self._op: Op | None = None
        self._label = ""
        self._between = "\n" if stacked else " "  # the label and the item it is on
        self._stacked = stacked
        self.label = QLabel(self)
        self.bar = QProgressBar(self)
        self.cancel_button = QPushButton(_("取消"), self)
        self.cancel_button.clicked.connect(self.cancel)
        if stacked:  # as Qt's progress dialog lays it out
            self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout = QVBoxLayout(self)
            layout.addWidget(self.label)
            layout.addWidget(self.bar)
            below = QHBoxLayout()
            below.addStretch(1)
            below.addWidget(self.cancel_button)
            layout.addLayout(below)
        else:
            line = QHBoxLayout(self)
            line.setContentsMargins(0, 0, 0, 0)
            line.addWidget(self.label)
            line.addWidget(self.bar, 1)
            line.addWidget(self.cancel_button)
        self.hide()

    def follow(self, op: Op, label: str) -> None:
        """Show ``op``'s progress under ``label`` from now until it ends."""
        self._unbind()
        self._op, self._label = op, label
        if not self._stacked:
            self.label.setMinimumSize(0, 0)  # as wide as this op's texts need, from none
            self.label.setMaximumSize(QWIDGETSIZE_MAX, QWIDGETSIZE_MAX)
        self._say(label)
        self.bar.setRange(0, 0)
        self.cancel_button.setEnabled(True)
        op.progressed.connect(self._progressed)
        op.done.connect(self._ended)
        self.show()

    def cancel(self) -> None:
        """取消: the op stops at its next page; the strip says so until it has."""
        op = self._op
        if op is not None and op.running and not op.token.cancelled:
            op.cancel()
            self.cancel_button.setEnabled(False)
            self._say(_("正在取消…"))

    def _progressed(self, done: int, total: int, text: str) -> None:
        if self._op is None or self._op.token.cancelled:
            return
        self.bar.setRange(0, max(total, 0))
        self.bar.setValue(min(done, total) if total else 0)
        if text:
            self._say(f"{self._label}{self._between}{text}")

    def _say(self, text: str) -> None:
        """The label's text. On one line the label keeps the width of its longest text so far, at a fixed size: a
        label that may change size lays out the strip, and the tab around it, again at every page (2 ms each)."""
        self.label.setText(text)
        if self._stacked:
            return
        label = self.label
        hint = label.sizeHint()
        fixed = label.minimumSize() == label.maximumSize()
        width = max(hint.width(), label.maximumWidth()) if fixed else hint.width()
        if not fixed or width != label.maximumWidth() or hint.height() != label.maximumHeight():
            label.setFixedSize(width, hint.height())

    def _ended(self) -> None:
        self._unbind()
        self.hide()

    def _unbind(self) -> None:
        op, self._op = self._op, None
        if op is not None:
            op.progressed.disconnect(self._progressed)
            op.done.disconnect(self._ended)


class ProgressPopup(QDialog):
    """请稍候: a :class:`ProgressStrip` in a window of its own, modal to ``parent``'s window; closing it
    (Esc, ×) is 取消."""

    def __init__(self, op: Op, label: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("请稍候"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.strip = ProgressStrip(self, stacked=True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.strip)
        self.setMinimumWidth(200)
        self.strip.follow(op, label)
        self.rejected.connect(self.strip.cancel)
        op.done.connect(self._close)

    def _close(self) -> None:
        self.rejected.disconnect(self.strip.cancel)
        self.hide()
        self.deleteLater()
