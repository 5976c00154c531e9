"""指定空白表: the downloaded pages whose person or form was not certain, assigned by the officer.

One page at a time: the page shown, the program's best guess preselected, 导入 or 跳过.
Nothing is written here; the tab keeps the chosen pages in one background step.
"""

from __future__ import annotations

from typing import Any

from PIL.ImageQt import ImageQt
from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.blanks.reading import render_pdf
from app.core.ids import mask_id
from app.core.models import Case, Slot
from app.ops.dispatch import BLANK_SLOTS
from app.ui.i18n import _

PREVIEW_DPI = 72
#: the page is shown whole in this box (an A4 page's proportions)
PREVIEW_SIZE = (400, 566)


class AssignBlanksDialog(QDialog):
    """Steps through ``pages`` (:class:`app.ops.blanks.Unmatched`); :attr:`chosen` holds (page, case id, slot)."""

    def __init__(self, pages: list[Any], cases: list[Case], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("指定空白表属于谁"))
        self.pages = pages
        self.cases = cases
        self.chosen: list[tuple[Any, int, Slot]] = []
        self.index = 0
        layout = QHBoxLayout(self)
        self.image = QLabel(self)
        self.image.setFixedSize(*PREVIEW_SIZE)
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.image, 1)
        side = QVBoxLayout()
        self.where = QLabel(self)
        self.where.setWordWrap(True)
        self.reason = QLabel(self)
        self.reason.setWordWrap(True)
        side.addWidget(self.where)
        side.addWidget(self.reason)
        form = QFormLayout()
        self.case_box = QComboBox(self)
        for c in cases:
            self.case_box.addItem(f"{c.name}（{mask_id(c.id_number)}，办件 {c.id}）", c.id)
        self.slot_box = QComboBox(self)
        for s in BLANK_SLOTS:
            self.slot_box.addItem(s.label, s.value)
        form.addRow(_("申报人"), self.case_box)
        form.addRow(_("表格"), self.slot_box)
        side.addLayout(form)
        side.addStretch(1)
        buttons = QHBoxLayout()
        self.keep_button = QPushButton(_("导入这一页"), self)
        self.keep_button.setObjectName("primary")
        self.skip_button = QPushButton(_("跳过"), self)
        self.done_button = QPushButton(_("结束"), self)
        for b in (self.keep_button, self.skip_button, self.done_button):
            buttons.addWidget(b)
        side.addLayout(buttons)
        layout.addLayout(side, 1)
        self.keep_button.clicked.connect(self.keep)
        self.skip_button.clicked.connect(self.skip)
        self.done_button.clicked.connect(self._finish)
        self._show()

    @property
    def current(self) -> Any:
        return self.pages[self.index]

    def _show(self) -> None:
        u = self.current
        self.where.setText(
            _("第 {i}/{n} 页：{file} 第 {page} 页").format(
                i=self.index + 1, n=len(self.pages), file=u.page.source.file_name, page=u.page.page
            )
        )
        self.reason.setText(u.reason)
        guess = self.case_box.findData(u.guess_case) if u.guess_case is not None else -1
        self.case_box.setCurrentIndex(max(guess, 0) if guess >= 0 else -1)
        slot = self.slot_box.findData(u.guess_slot.value) if u.guess_slot is not None else -1
        self.slot_box.setCurrentIndex(slot)
        image = render_pdf(u.page.pdf, PREVIEW_DPI)
        pixmap = QPixmap.fromImage(ImageQt(image))
        self.image.setPixmap(
            pixmap.scaled(*PREVIEW_SIZE, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
        )

    def keep(self) -> None:
        if self.case_box.currentIndex() < 0 or self.slot_box.currentIndex() < 0:
            self.reason.setText(_("请选择申报人和表格，或点“跳过”"))
            return
        self.chosen.append((self.current, int(self.case_box.currentData()), Slot(self.slot_box.currentData())))
        self._next()

    def skip(self) -> None:
        self._next()

    def _next(self) -> None:
        self.index += 1
        if self.index >= len(self.pages):
            self._finish()
        else:
            self._show()

    def _finish(self) -> None:
        if self.chosen:
            self.accept()
        else:
            self.reject()
