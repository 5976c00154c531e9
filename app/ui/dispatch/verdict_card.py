"""Beside the checked pages: the selected page's preview, its verdict and what to do, whole.

A page printed before its case changed offers the current form: 打印新下载的表 for a portal
blank superseded by a newer download (:attr:`VerdictCard.print_requested`), 重新生成表格 for a
form of ours (:attr:`VerdictCard.forms_requested`).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from app.ui.i18n import _
from app.ui.models.dispatch import PageLine, stale_case, verdict_html
from app.ui.page_preview import PagePreview


class VerdictCard(QWidget):
    print_requested = Signal(int)  # the case whose newest download is printed
    forms_requested = Signal(int)  # the case whose form of ours is rendered anew

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._line: PageLine | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.preview = PagePreview(self)
        # the selected page's verdict and what to do, whole, however narrow the table's columns
        self.verdict = QLabel(self)
        self.verdict.setWordWrap(True)
        self.verdict.setContentsMargins(8, 6, 8, 6)
        self.verdict.setTextFormat(Qt.TextFormat.RichText)
        self.verdict.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.verdict.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        # a page printed before the case changed: the offer to print the current form
        self.rerender_button = QPushButton(_("重新生成表格"), self)
        self.rerender_button.setToolTip(_("为这一页的申报人生成当前版本的空白表格"))
        self.rerender_button.clicked.connect(self._rerender)
        self.rerender_button.hide()
        self._picture = QTimer(self)
        self._picture.setSingleShot(True)
        self._picture.timeout.connect(self._show_picture)
        layout.addWidget(self.preview, 3)
        layout.addWidget(self.verdict, 1)
        layout.addWidget(self.rerender_button, 0, Qt.AlignmentFlag.AlignLeft)

    def show_line(self, line: PageLine | None) -> None:
        """The page of ``line`` (None: nothing selected): its verdict at once, its picture asked for a turn later
        (selections in one turn ask once) and shown when decoded, off the GUI thread."""
        self._line = line
        self._picture.start(0)
        self.verdict.setText(verdict_html(line) if line else "")
        stale = stale_case(line) is not None
        portal = stale and line is not None and line.result.blank_id is not None
        # a superseded portal blank: print the newer download; a form of ours: render the current one
        self.rerender_button.setText(_("打印新下载的表") if portal else _("重新生成表格"))
        self.rerender_button.setToolTip(
            _("打印这一页的申报人最新导入的系统空白表") if portal else _("为这一页的申报人生成当前版本的空白表格")
        )
        self.rerender_button.setVisible(stale)

    def _show_picture(self) -> None:
        line = self._line
        self.preview.show_result(line.result if line else None)

    def _rerender(self) -> None:
        line = self._line
        case_id = stale_case(line)
        if case_id is None or line is None:
            return
        if line.result.blank_id is not None:
            self.print_requested.emit(case_id)
        else:
            self.forms_requested.emit(case_id)
