"""新建评审计划: a plan entered from the portal's notice, before its list of applicants is imported."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import ZcwsError
from app.ops import plans as plan_ops
from app.store import Store
from app.ui.i18n import _
from app.ui.widgets import MessageBar, muted
from app.ui.workers import Changes, announce, error_text


class PlanDialog(QDialog):
    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.setWindowTitle(_("新建评审计划"))
        self.resize(640, 360)
        layout = QVBoxLayout(self)
        intro = QLabel(
            _(
                "照系统中评审计划的通知填写。评委会收件的起止日期决定每个办件的临近审核状态；"
                "导入名单时，每个人归入这个计划。"
            ),
            self,
        )
        intro.setWordWrap(True)
        muted(intro)
        layout.addWidget(intro)
        form = QFormLayout()
        self.title = QLineEdit(self)
        self.title.setPlaceholderText(_("如：关于开展2026年度…职称评审材料申报工作的通知"))
        self.series = QComboBox(self)
        self.series.setEditable(True)
        self.series.addItems(plan_ops.COMMON_SERIES)
        self.specialties = QLineEdit(self)
        self.specialties.setPlaceholderText(_("多个专业用顿号分开，如：水利水电、建筑工程；可不填"))
        today = date.today()
        self.deadline = self._date(today + timedelta(days=30))
        self.window_start = self._date(today + timedelta(days=30))
        self.window_end = self._date(today + timedelta(days=45))
        form.addRow(_("评审计划标题"), self.title)
        form.addRow(_("申报系列"), self.series)
        form.addRow(_("申报专业"), self.specialties)
        form.addRow(_("申报截止日期"), self.deadline)
        form.addRow(_("评委会收件开始"), self.window_start)
        form.addRow(_("评委会收件结束"), self.window_end)
        layout.addLayout(form)
        self.message = MessageBar(self)
        layout.addWidget(self.message)
        layout.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _date(self, value: date) -> QDateEdit:
        edit = QDateEdit(QDate(value.year, value.month, value.day), self)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        return edit

    def save(self) -> None:
        try:
            plan_ops.add_plan(
                self.store,
                self.title.text(),
                self.series.currentText(),
                plan_ops.split_specialties(self.specialties.text()),
                _day(self.deadline.date()),
                _day(self.window_start.date()),
                _day(self.window_end.date()),
            )
        except ZcwsError as exc:
            self.message.show_message(error_text(exc), "error")
            return
        announce(Changes(settings=True))
        self.accept()


def _day(day: QDate) -> date:
    """A QDate as a date (``QDate.toPython`` is typed as returning any object)."""
    return date(day.year(), day.month(), day.day())
