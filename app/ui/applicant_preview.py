"""个人界面预览: what the applicant sees after a return, and how the corrections come back.

我的办件 with its status, the four steps, and per returned module "审核不通过 退回原因：…
点击修改"; 点击修改 opens a form limited to that module. 提交审核 hands the corrections
to :func:`app.ops.cases.resubmit_case`, which refuses a change outside the returned
modules and raises the process revision.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import ZcwsError
from app.core.review import BASIC_FIELDS, TABLES, Module, Status
from app.ops.cases import case_row, resubmit_case
from app.store import Store
from app.ui.i18n import _
from app.ui.models.table import EditableTableModel, TextTableModel
from app.ui.widgets import FittedColumns, MessageBar, fitted_table, muted, window_settings
from app.ui.workers import Changes, announce, error_text, keep_or_drop

STEPS = ("诚信承诺", "信息填报", "附件上传", "提交审核")
MY_CASES_HEADERS = ("序号", "业务名称", "专业名称", "填报日期", "状态", "操作")


class CorrectionDialog(QDialog):
    """The applicant's 点击修改 for one returned module: only that module's data is editable."""

    def __init__(self, module: Module, current: Any, reason: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.module = module
        self.setWindowTitle(_("修改 — {module}").format(module=module.label))
        self.resize(820, 520)
        layout = QVBoxLayout(self)
        why = QLabel(_("退回原因：{reason}").format(reason=reason), self)
        why.setStyleSheet("color: #a61d1d;")
        why.setWordWrap(True)
        layout.addWidget(why)
        self.fields: dict[str, QLineEdit] = {}
        self.tables: dict[str, EditableTableModel] = {}
        self.original = current or {}
        body = QWidget(self)
        bl = QVBoxLayout(body)
        if module is Module.BASIC:
            grid = QGridLayout()
            for i, name in enumerate(BASIC_FIELDS):
                edit = QLineEdit(str(self.original.get(name, "")), body)
                self.fields[name] = edit
                grid.addWidget(QLabel(f"{name}：", body), i // 2, (i % 2) * 2)
                grid.addWidget(edit, i // 2, (i % 2) * 2 + 1)
            bl.addLayout(grid)
        else:
            for title, headers in TABLES[module].items():
                bl.addWidget(QLabel(f"<b>{module.label}-{title}</b>", body))
                model = EditableTableModel(headers, (self.original.get(title) or []), body)
                view = QTableView(body)
                view.setModel(model)
                columns = FittedColumns(
                    view, f"correct/{module.value}/{title}", stretch=len(headers) - 1, autosave=True
                )
                columns.restore(window_settings())
                columns.fit()
                model.rowsInserted.connect(lambda *_a, c=columns: c.fit())
                view.setMinimumHeight(120)
                view.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
                row = QHBoxLayout()
                add = QPushButton(_("新增一行"), body)
                remove = QPushButton(_("删除所选行"), body)
                add.clicked.connect(lambda _c=False, m=model, v=view: v.edit(m.index(m.add_row(), 0)))
                remove.clicked.connect(lambda _c=False, m=model, v=view: m.remove_row(v.currentIndex().row()))
                row.addWidget(add)
                row.addWidget(remove)
                row.addStretch(1)
                bl.addWidget(view)
                bl.addLayout(row)
                self.tables[title] = model
        bl.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        layout.addWidget(scroll, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("保存修改"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def changes(self) -> dict[str, Any]:
        """The corrections in the form ``resubmit_case`` takes."""
        if self.module is Module.BASIC:
            return {
                f"{Module.BASIC.value}.{name}": edit.text().strip()
                for name, edit in self.fields.items()
                if edit.text().strip() != str(self.original.get(name, "")).strip()
            }
        if not any(m.edited for m in self.tables.values()):
            return {}
        value = dict(self.original)
        value.update({title: model.values() for title, model in self.tables.items()})
        return {self.module.value: value}


class ApplicantPreviewDialog(QDialog):
    def __init__(self, store: Store, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.case_id = case_id
        self.pending: dict[str, Any] = {}
        self.setWindowTitle(_("个人界面预览（申报人看到的界面）"))
        self.resize(960, 720)
        outer = QVBoxLayout(self)
        banner = QLabel(_("湖北省专业技术人员职称评审管理信息系统 · 申报专区"), self)
        banner.setStyleSheet("background: #1f5fa8; color: white; font-size: 13pt; padding: 10px 14px;")
        outer.addWidget(banner)
        note = QLabel(_("以下为个人所看到的界面（预览）。申报人更正后的数据可在此录入，然后代为“提交审核”。"), self)
        muted(note)
        outer.addWidget(note)
        self.message = MessageBar(self)
        outer.addWidget(self.message)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        outer.addWidget(scroll, 1)
        self.body = QWidget()
        scroll.setWidget(self.body)
        self.body_layout = QVBoxLayout(self.body)
        buttons = QHBoxLayout()
        self.submit_button = QPushButton(_("提交审核"), self)
        self.submit_button.setObjectName("primary")
        close = QPushButton(_("关闭"), self)
        buttons.addStretch(1)
        buttons.addWidget(self.submit_button)
        buttons.addWidget(close)
        outer.addLayout(buttons)
        self.submit_button.clicked.connect(self.submit)
        close.clicked.connect(self.reject)
        self.edit_buttons: dict[Module, QPushButton] = {}
        self.refresh()

    def refresh(self) -> None:
        row = case_row(self.store, self.case_id)
        case, plan = row.case, row.plan
        layout = self.body_layout
        while layout.count():
            item = layout.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self.edit_buttons = {}

        layout.addWidget(QLabel(f"<b>{_('我的办件')}</b>　{_('当前待办（1条）')}", self.body))
        mine = TextTableModel(
            MY_CASES_HEADERS,
            [[1, case.business, case.specialty, case.filed_on.isoformat(), case.status.label,
              _("编辑") if case.status is Status.RETURNED else _("查看")]],
            self.body,
        )  # fmt: skip
        layout.addWidget(fitted_table(mine, self.body, "preview/mine"))

        steps = QFrame(self.body)
        sl = QHBoxLayout(steps)
        current = 1 if case.status is Status.RETURNED else 3
        for i, name in enumerate(STEPS):
            label = QLabel(f"{i + 1}  {name}", steps)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            color = "#1f5fa8" if i == current else ("#7fa7d6" if i < current else "#b8c1cc")
            label.setStyleSheet(f"background: {color}; color: white; padding: 6px; border-radius: 3px;")
            sl.addWidget(label, 1)
        layout.addWidget(steps)

        info = QLabel(self.body)
        info.setWordWrap(True)
        info.setText(
            f"{_('评审计划')}：{plan.title}<br>{_('申报截止日期')}：{plan.deadline.isoformat()}<br>"
            f"{_('推荐单位')}：{case.unit_name}　{_('申报人')}：{case.name}　{_('申报专业')}：{case.specialty}<br>"
            f"{_('申报系列')}：{case.series}　{_('申报职务')}：{case.position}"
        )
        layout.addWidget(info)

        box = QGroupBox(_("退回信息"), self.body)
        form = QFormLayout(box)
        if case.status is Status.RETURNED and case.returned:
            for i, (module, reason) in enumerate(case.returned.items(), start=1):
                line = QWidget(box)
                ll = QHBoxLayout(line)
                ll.setContentsMargins(0, 0, 0, 0)
                text = QLabel(
                    f'{i}. {module.label}　<span style="color:#c62828">{_("审核不通过")}</span>　'
                    f"{_('退回原因')}：{reason}" + ("　✔ " + _("已修改") if self._edited(module) else ""),
                    line,
                )
                text.setWordWrap(True)
                edit = QPushButton(_("点击修改"), line)
                edit.clicked.connect(lambda _c=False, m=module, r=reason: self.correct(m, r))
                self.edit_buttons[module] = edit
                ll.addWidget(text, 1)
                ll.addWidget(edit)
                form.addRow(line)
            self.submit_button.setEnabled(True)
        else:
            form.addRow(
                QLabel(
                    _("办件状态为“{status}”，没有退回修改的模块，申报人不能修改。").format(status=case.status.label),
                    box,
                )
            )
            self.submit_button.setEnabled(False)
        layout.addWidget(box)
        others = [m.label for m in Module if m not in case.returned]
        if case.status is Status.RETURNED and others:
            hint = QLabel(_("未退回的模块（{modules}）申报人不能修改。").format(modules="、".join(others)), self.body)
            muted(hint)
            layout.addWidget(hint)
        layout.addStretch(1)

    def _edited(self, module: Module) -> bool:
        return any(key == module.value or key.startswith(f"{module.value}.") for key in self.pending)

    def correct(self, module: Module, reason: str) -> CorrectionDialog:
        case = self.store.case(self.case_id)
        current = dict(case.modules.get(module.value) or {})
        # earlier corrections of this module, not yet submitted, are the starting point
        for key, value in self.pending.items():
            if key == module.value:
                current = dict(value)
            elif key.startswith(f"{module.value}."):
                current[key.split(".", 1)[1]] = value
        dialog = CorrectionDialog(module, current, reason, self)
        dialog.accepted.connect(lambda: self._take(dialog))
        dialog.open()
        return dialog

    def _take(self, dialog: CorrectionDialog) -> None:
        self.pending.update(dialog.changes())
        self.message.show_message(
            _("已保存{module}的修改，点击“提交审核”重新提交。").format(module=dialog.module.label), "info"
        )
        self.refresh()

    def reject(self) -> None:
        """关闭, Esc or the window's ×: corrections entered but not submitted are not dropped unasked."""
        if self.pending:
            text = _("已录入的更正还没有“提交审核”。")
            answer = keep_or_drop(self, _("更正尚未提交"), text, _("提交审核"), _("放弃更正"))
            if answer == "stay":
                return
            if answer == "keep":
                self.submit()
                if self.pending:  # refused: the message says why
                    return
        super().reject()

    def submit(self) -> None:
        try:
            case = resubmit_case(self.store, self.case_id, self.pending)
        except ZcwsError as exc:
            self.message.show_message(error_text(exc), "error")
            return
        self.pending = {}
        self.refresh()
        self.message.show_message(
            _("已提交审核：办件回到审核列表（状态“{status}”，流程版本 {rev}）。此前打印的表格已不再匹配。").format(
                status=case.status.label, rev=case.revision
            ),
            "success",
        )
        announce(Changes(cases=frozenset({self.case_id})))
