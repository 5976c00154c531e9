"""The review panel of 审核详情: 审核结果, 审核意见 and each module's 是/否 with its reason.

It only gathers the officer's input; :func:`app.ops.cases.review_case` applies the rules.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.core.review import Module, ModuleMark, ReviewResult
from app.ui.i18n import _
from app.ui.widgets import muted


class ModuleMarkRow:
    """One line of 退回修改的模块: 信息是否需要修改？○是 ○否, and the reason (only for 是)."""

    def __init__(self, module: Module, grid: QGridLayout, row: int, parent: QWidget) -> None:
        self.module = module
        self.label = QLabel(module.label, parent)
        self.yes = QRadioButton(_("是"), parent)
        self.no = QRadioButton(_("否"), parent)
        self.group = QButtonGroup(parent)
        self.group.addButton(self.yes)
        self.group.addButton(self.no)
        self.no.setChecked(True)
        self.reason = QLineEdit(parent)
        self.reason.setPlaceholderText(_("退回原因（标注“是”后填写）"))
        self.reason.setEnabled(False)
        self.yes.toggled.connect(self._toggled)
        grid.addWidget(self.label, row, 0)
        grid.addWidget(self.yes, row, 1)
        grid.addWidget(self.no, row, 2)
        grid.addWidget(self.reason, row, 3)

    def _toggled(self, yes: bool) -> None:
        self.reason.setEnabled(yes)
        self.flag(False)
        if yes:
            self.reason.setFocus()

    def flag(self, on: bool) -> None:
        self.reason.setStyleSheet("QLineEdit { border: 1px solid #c62828; background: #fff4f4; }" if on else "")

    def mark(self) -> ModuleMark:
        return ModuleMark(self.module, self.yes.isChecked(), self.reason.text())

    def reset(self) -> None:
        self.no.setChecked(True)
        self.reason.clear()
        self.flag(False)


class ReviewPanel(QGroupBox):
    """审核信息: result, opinion with 常用审核意见, module marks, and the buttons."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("审核信息"), parent)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        results = QHBoxLayout()
        self.result_group = QButtonGroup(self)
        self.result_buttons: dict[ReviewResult, QRadioButton] = {}
        for i, result in enumerate(ReviewResult):
            button = QRadioButton(result.label, self)
            self.result_group.addButton(button, i)
            self.result_buttons[result] = button
            results.addWidget(button)
        results.addStretch(1)
        form.addRow(self._required(_("审核结果")), results)
        self.opinion = QPlainTextEdit(self)
        self.opinion.setPlaceholderText(_("请输入审核意见..."))
        self.opinion.setFixedHeight(84)
        form.addRow(self._required(_("审核意见")), self.opinion)
        picker_row = QHBoxLayout()
        hint = QLabel(_("您还可以"), self)
        muted(hint)
        self.picker = QPushButton(_("选择常用审核意见"), self)
        self.picker_menu = QMenu(self.picker)
        self.picker.setMenu(self.picker_menu)
        picker_row.addWidget(hint)
        picker_row.addWidget(self.picker)
        picker_row.addStretch(1)
        form.addRow("", picker_row)
        layout.addLayout(form)
        self.last_review = QLabel(self)
        self.last_review.setWordWrap(True)
        muted(self.last_review)
        layout.addWidget(self.last_review)

        self.marks_box = QGroupBox(_("退回修改的模块（信息是否需要修改？）"), self)
        grid = QGridLayout(self.marks_box)
        grid.setColumnStretch(3, 1)
        self.marks = [ModuleMarkRow(m, grid, i, self.marks_box) for i, m in enumerate(Module)]
        note = QLabel(_("只有标注“是”并填写对应原因，个人才能在对应的模块下修改。"), self.marks_box)
        note.setWordWrap(True)
        muted(note)
        grid.addWidget(note, len(self.marks), 0, 1, 4)
        layout.addWidget(self.marks_box)
        self.result_group.idToggled.connect(self._result_toggled)
        self._result_toggled()

        buttons = QHBoxLayout()
        self.prev_button = QPushButton(_("上一条"), self)
        self.next_button = QPushButton(_("下一条"), self)
        self.save_button = QPushButton(_("保存"), self)
        self.save_button.setDefault(True)
        self.save_button.setObjectName("primary")
        self.back_button = QPushButton(_("返回"), self)
        self.prev_button.setToolTip(_("上一条（Alt+←）"))
        self.next_button.setToolTip(_("下一条（Alt+→）"))
        self.save_button.setToolTip(_("保存审核结果（Ctrl+S）"))
        self.back_button.setToolTip(_("返回审核列表（Esc）"))
        for b in (self.prev_button, self.next_button, self.save_button, self.back_button):
            buttons.addWidget(b)
        layout.addLayout(buttons)
        self.position = QLabel(self)
        muted(self.position)
        self.position.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.position)
        self.history_button = QPushButton(_("查看审核进度"), self)
        self.history_button.setFlat(True)
        self.history_button.setStyleSheet(
            "QPushButton { color: #1f5fa8; text-decoration: underline; }"
            "QPushButton:disabled { color: #9aa5b1; text-decoration: none; }"  # no case shown: not a live link
        )
        layout.addWidget(self.history_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)

    @staticmethod
    def _required(text: str) -> QLabel:
        return QLabel(f'<span style="color:#c62828">*</span> {text}：')

    def _result_toggled(self, *_args: object) -> None:
        returning = self.result() is ReviewResult.RETURN
        self.marks_box.setEnabled(returning)
        self.marks_box.setToolTip("" if returning else _("选择“退回修改”后，标注需要修改的模块并填写原因"))

    def result(self) -> ReviewResult | None:
        checked = self.result_group.checkedId()
        return list(ReviewResult)[checked] if checked >= 0 else None

    def set_result(self, result: ReviewResult) -> None:
        self.result_buttons[result].setChecked(True)

    def mark_row(self, module: Module) -> ModuleMarkRow:
        return next(r for r in self.marks if r.module is module)

    def reset(self) -> None:
        self.result_group.setExclusive(False)
        for b in self.result_buttons.values():
            b.setChecked(False)
        self.result_group.setExclusive(True)
        self.opinion.clear()
        for row in self.marks:
            row.reset()
        self._result_toggled()

    def has_draft(self) -> bool:
        """Whether the officer has begun a review here that is not saved yet."""
        return (
            self.result() is not None
            or bool(self.opinion.toPlainText().strip())
            or any(row.yes.isChecked() or row.reason.text().strip() for row in self.marks)
        )

    def set_reviewable(self, ok: bool) -> None:
        for w in (*self.result_buttons.values(), self.opinion, self.picker, self.marks_box, self.save_button):
            w.setEnabled(ok)
        if ok:
            self._result_toggled()
