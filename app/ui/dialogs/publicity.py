"""公示 dialog: pick the applicants, the start and the place; see the proposed end; render the papers.

Opened from the dispatch tab with the selected cases. A publicity lasts days,
so the dialog also reopens an existing one (the 公示 combo) to render its
推荐单位公示证明 once the period is over.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import ZcwsError
from app.core.models import Case
from app.core.workdays import PUBLICITY_WORKDAYS, CalendarGapError
from app.ops import cases as case_ops
from app.ops import publicity as ops
from app.store import Store
from app.ui.i18n import _
from app.ui.widgets import FittedColumns, MessageBar, window_settings
from app.ui.workers import Changes, Op, announce, error_text

Index = QModelIndex | QPersistentModelIndex

NEW = 0  # the 公示 combo's data for “新建公示”


class PublicityCaseModel(QAbstractTableModel):
    """The applicants the dialog can publish, with a check box on each name."""

    HEADERS = ("姓名", "申报系列", "申报专业", "申报职务", "状态", "公示期")

    def __init__(self, cases: list[Case], periods: dict[int, str], checked: set[int], parent: Any = None) -> None:
        super().__init__(parent)
        self.cases = cases
        self.periods = periods
        self.checked = set(checked)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.cases)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(self.HEADERS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        c = self.cases[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            cells = (c.name, c.series, c.specialty, c.position, c.status.label, self.periods.get(c.id, "—"))
            return cells[index.column()]
        if role == Qt.ItemDataRole.CheckStateRole and index.column() == 0:
            return Qt.CheckState.Checked if c.id in self.checked else Qt.CheckState.Unchecked
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsUserCheckable if index.column() == 0 else base

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or index.column() != 0:
            return False
        case_id = self.cases[index.row()].id
        if Qt.CheckState(value) == Qt.CheckState.Checked:
            self.checked.add(case_id)
        else:
            self.checked.discard(case_id)
        self.dataChanged.emit(index, index, [role])
        return True

    def set_checked(self, case_ids: set[int]) -> None:
        self.checked = set(case_ids)
        if self.cases:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.cases) - 1, 0))

    def set_periods(self, periods: dict[int, str]) -> None:
        self.periods = periods
        if self.cases:
            last = len(self.HEADERS) - 1
            self.dataChanged.emit(self.index(0, last), self.index(len(self.cases) - 1, last))

    def checked_ids(self) -> list[int]:
        return [c.id for c in self.cases if c.id in self.checked]


class PublicityDialog(QDialog):
    """Create a publicity for cases, or reopen one, and render its notice and certificates."""

    def __init__(self, store: Store, case_ids: Sequence[int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.setWindowTitle(_("公示（人社部令第40号：推荐前公示不少于 5 个工作日）"))
        self.resize(860, 780)
        self.op: Op | None = None
        self.calendar_dialog: QDialog | None = None  # 设置 → 节假日安排, when opened from here
        self.last_files: list[Path] = []

        self.bar = MessageBar(self)
        found = ops.candidates(store, case_ids)
        self.model = PublicityCaseModel(found.cases, self._periods(found.cases), found.checked, self)
        if found.note:
            self.bar.show_message(found.note, "info")
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setMinimumHeight(260)  # eight people or so without scrolling
        # fitted to the people until the officer drags a column; then kept for the next time
        self.columns = FittedColumns(self.table, "publicity/header", stretch=self.model.columnCount() - 1)
        self.columns.restore(window_settings())
        self.columns.fit()

        self.existing = QComboBox(self)
        self.start = QDateEdit(self)
        self.end = QDateEdit(self)
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.place = QComboBox(self, editable=True)
        self.place.addItems([_(p) for p in ops.PLACES])
        self.contact = QLineEdit(ops.default_contact(store), self)
        self.contact.setPlaceholderText(_("受理异议的联系人及电话，如：人事部 陈晓燕 0714-6200000"))
        self.period_label = QLabel(self)
        self.period_label.setWordWrap(True)
        # a year the calendar does not know: where to enter it, one click away
        self.calendar_button = QPushButton(_("填写节假日安排…"), self)
        self.calendar_button.hide()
        self.objections = QLineEdit(self)
        self.objections.setPlaceholderText(_("公示期间无异议（有异议时写明异议内容及处理情况）"))

        self.create_button = QPushButton(_("建立公示"), self)
        self.notice_button = QPushButton(_("生成公示通知…"), self)
        self.certificate_button = QPushButton(_("生成公示证明…"), self)
        close = QPushButton(_("关闭"), self)

        form = QFormLayout()
        form.addRow(_("已有公示"), self.existing)
        dates = QHBoxLayout()
        dates.addWidget(self.start)
        dates.addWidget(QLabel(_("至"), self))
        dates.addWidget(self.end)
        dates.addStretch(1)
        form.addRow(_("公示期"), dates)
        form.addRow("", self.period_label)
        form.addRow("", self.calendar_button)
        form.addRow(_("公示地点"), self.place)
        form.addRow(_("联系人及电话"), self.contact)
        form.addRow("", self.create_button)
        publicity_box = QGroupBox(_("公示期与地点"), self)
        publicity_box.setLayout(form)

        papers = QFormLayout()
        papers.addRow(_("异议及处理情况"), self.objections)
        paper_buttons = QHBoxLayout()
        paper_buttons.addWidget(self.notice_button)
        paper_buttons.addWidget(self.certificate_button)
        paper_buttons.addStretch(1)
        papers.addRow("", paper_buttons)
        papers_box = QGroupBox(_("公示通知与推荐单位公示证明（证明带二维码，扫描件可自动归位）"), self)
        papers_box.setLayout(papers)

        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.bar)
        layout.addWidget(QLabel(_("公示人员（勾选要公示的人员，须属于同一评审计划）"), self))
        layout.addWidget(self.table, 1)
        layout.addWidget(publicity_box)
        layout.addWidget(papers_box)
        layout.addLayout(bottom)

        self.start.dateChanged.connect(self._start_changed)
        self.end.dateChanged.connect(self._show_period)
        self.existing.currentIndexChanged.connect(self._existing_changed)
        self.create_button.clicked.connect(self.create_publicity)
        self.calendar_button.clicked.connect(self.enter_calendar)
        self.notice_button.clicked.connect(self._ask_notice)
        self.certificate_button.clicked.connect(self._ask_certificates)
        close.clicked.connect(self.reject)

        self._fill_existing(select=None)
        self.start.setDate(_qdate(case_ops.today()))
        self._start_changed()

    def done(self, result: int) -> None:
        self.columns.save(window_settings())
        super().done(result)

    # -- data ------------------------------------------------------------------------

    def _periods(self, cases: list[Case]) -> dict[int, str]:
        """Each case's publicity period as the dispatch list shows it."""
        checks = ops.checks_of(self.store, cases, case_ops.today())
        return {
            c.case.id: f"{c.period[0].isoformat()} 至 {c.period[1].isoformat()}" for c in checks if c.period is not None
        }

    def _fill_existing(self, select: int | None) -> None:
        shown = {c.id for c in self.model.cases}
        self.existing.blockSignals(True)
        self.existing.clear()
        self.existing.addItem(_("新建公示"), NEW)
        today = case_ops.today()
        for v in ops.list_publicities(self.store):
            if shown & set(v.publicity.case_ids):
                names = "、".join(c.name for c in v.cases)
                label = f"{v.id}：{v.period_text()} {v.publicity.place}（{v.state(today)}）{names}"
                self.existing.addItem(label, v.id)
        self.existing.setCurrentIndex(max(0, self.existing.findData(select)) if select else 0)
        self.existing.blockSignals(False)
        self._existing_changed()

    def selected_publicity(self) -> int | None:
        data = self.existing.currentData()
        return None if data in (None, NEW) else int(data)

    def _existing_changed(self) -> None:
        publicity_id = self.selected_publicity()
        editable = publicity_id is None
        for w in (self.start, self.end, self.place, self.contact, self.create_button):
            w.setEnabled(editable)
        self.notice_button.setEnabled(not editable)
        self.certificate_button.setEnabled(not editable)
        if publicity_id is None:
            self._show_period()
            return
        v = ops.get_publicity(self.store, publicity_id)
        p = v.publicity
        for w in (self.start, self.end):
            w.blockSignals(True)
        self.start.setDate(_qdate(p.start))
        self.end.setDate(_qdate(p.end))
        for w in (self.start, self.end):
            w.blockSignals(False)
        self.place.setCurrentText(p.place)
        self.contact.setText(p.contact)
        self.model.set_checked(set(p.case_ids))
        self._show_period()

    # -- the period ----------------------------------------------------------------------

    def _start_changed(self) -> None:
        try:
            end = ops.propose_end(self.store, _pydate(self.start.date()))
        except ZcwsError as exc:
            self.end.blockSignals(True)
            self.end.setDate(self.start.date())  # no end before the start while none can be proposed
            self.end.blockSignals(False)
            self._period_text(error_text(exc), ok=False, gap=isinstance(exc, CalendarGapError))
            self.create_button.setEnabled(False)
            return
        self.end.blockSignals(True)
        self.end.setDate(_qdate(end))
        self.end.blockSignals(False)
        self._show_period()

    def _show_period(self) -> None:
        start, end = _pydate(self.start.date()), _pydate(self.end.date())
        try:
            check, notes = ops.period_preview(self.store, start, end)
        except ZcwsError as exc:
            self._period_text(error_text(exc), ok=False, gap=isinstance(exc, CalendarGapError))
            self.create_button.setEnabled(False)
            return
        if self.selected_publicity() is None:
            self.create_button.setEnabled(True)
        text = _("共 {n} 个工作日").format(n=check.workdays)
        if notes:
            text += _("（期间：{notes}）").format(notes="；".join(notes))
        shortfall = check.shortfall()
        if shortfall:
            self._period_text(text + "，" + shortfall, ok=False)
            return
        if check.earliest_end == end:
            text += _("，为满 {n} 个工作日的最早结束日期").format(n=PUBLICITY_WORKDAYS)
        self._period_text(text, ok=True)

    def _period_text(self, text: str, ok: bool, gap: bool = False) -> None:
        self.period_label.setText(text)
        self.period_label.setStyleSheet("" if ok else "color: #a61d1d;")
        self.calendar_button.setVisible(gap)

    def enter_calendar(self) -> None:
        """The settings' 节假日安排 page; the period is counted again when it is saved."""
        from app.ui.dialogs.settings import SettingsDialog

        dialog = SettingsDialog(self.store, "calendar", self)
        dialog.accepted.connect(self._start_changed)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.calendar_dialog = dialog
        dialog.open()

    # -- actions -------------------------------------------------------------------------

    def _run(self, fn: Any, done: Any) -> None:
        """Run ``fn(store)`` off the GUI thread; ``done(result)`` on it; errors in the message bar."""
        for b in (self.create_button, self.notice_button, self.certificate_button):
            b.setEnabled(False)

        def failed(exc: BaseException) -> None:
            self._existing_changed()
            self.bar.show_message(error_text(exc), "error")

        def succeeded(result: Any) -> None:
            self._existing_changed()
            done(result)

        self.op = (
            Op(self, lambda store, _progress, _token: fn(store), store_path=self.store.path)
            .success(succeeded)
            .failure(failed)
            .with_progress(_("正在处理公示…"))
            .run()
        )

    def create_publicity(self) -> None:
        """建立公示 for the checked cases with the dates, place and contact shown."""
        case_ids = self.model.checked_ids()
        start, end = _pydate(self.start.date()), _pydate(self.end.date())
        place, contact = self.place.currentText(), self.contact.text()

        def done(created: ops.Created) -> None:
            self.model.set_periods(self._periods(self.model.cases))
            self._fill_existing(select=created.publicity.id)
            v = created.publicity
            text = _("已建立公示 {id}：{names}，公示期 {period}").format(
                id=v.id, names="、".join(c.name for c in v.cases), period=v.period_text()
            )
            kind = "warning" if created.warnings else "success"
            self.bar.show_message("；".join([text, *created.warnings]), kind)
            announce(Changes(cases=frozenset(case_ids)))

        self._run(lambda store: ops.create_publicity(store, case_ids, start, place, contact, end), done)

    def render_notice(self, out: Path) -> None:
        publicity_id = self.selected_publicity()
        if publicity_id is None:
            return

        def done(path: Path) -> None:
            self.last_files = [path]
            self.bar.show_message(_("已生成公示通知：{path}").format(path=path), "success")

        self._run(lambda store: ops.render_notice(store, publicity_id, out), done)

    def render_certificates(self, out_dir: Path) -> None:
        publicity_id = self.selected_publicity()
        if publicity_id is None:
            return
        case_ids = self.model.checked_ids()
        objections = self.objections.text().strip() or None

        def done(files: list[ops.CertificateFile]) -> None:
            self.last_files = [f.path for f in files]
            self.bar.show_message(
                _("已生成推荐单位公示证明 {n} 个文件，保存在 {dir}").format(n=len(files), dir=out_dir), "success"
            )

        self._run(lambda store: ops.render_certificates(store, publicity_id, out_dir, case_ids, objections), done)

    def _ask_notice(self) -> None:
        name = _("公示通知_{id}.pdf").format(id=self.selected_publicity())
        path, _filter = QFileDialog.getSaveFileName(self, _("保存公示通知"), name, _("PDF 文件 (*.pdf)"))
        if path:
            self.render_notice(Path(path))

    def _ask_certificates(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("选择保存公示证明的文件夹"))
        if folder:
            self.render_certificates(Path(folder))


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(d: QDate) -> date:
    return date(d.year(), d.month(), d.day())
