"""审核详情: one case with the guide's four views and the review panel.

The panel gathers 审核结果, 审核意见 and the per-module 是/否 with reasons, and
calls :func:`app.ops.cases.review_case`; the rules (a module marked 是 needs a
reason, a closed window cannot be reviewed) live there, not here.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import RuleError, ZcwsError
from app.core.review import BASIC_FIELDS, TABLES, Module, check_reviewable
from app.ops import opinions as opinion_ops
from app.ops.cases import CaseDetail, review_case, set_position, show_case
from app.ops.scan import verdict_label
from app.store import Store
from app.ui import views
from app.ui.i18n import _
from app.ui.models.table import TextTableModel
from app.ui.review_panel import ReviewPanel
from app.ui.widgets import MessageBar, badge_html, fitted_table, muted
from app.ui.workers import Changes, announce, error_text, keep_or_drop

ATTACHMENT_HEADERS = ("附件栏", "文件", "自检结论", "说明", "流程版本", "保存时间")


class DetailTab(QWidget):
    """审核详情 of one case; ``order`` is the queue as shown, for 上一条 / 下一条."""

    back_requested = Signal()
    preview_requested = Signal(int)

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.case_id: int | None = None
        self.detail: CaseDetail | None = None
        self.order: list[int] = []

        outer = QVBoxLayout(self)
        self.crumbs = QLabel(_("当前位置：统一审核 > 审核列表 > 审核详情"), self)
        muted(self.crumbs)
        outer.addWidget(self.crumbs)

        header = QFrame(self)
        header.setObjectName("caseHeader")
        header.setStyleSheet(
            "QFrame#caseHeader { background: #f4f7fb; border: 1px solid #d5dfeb; border-radius: 4px; }"
        )
        hl = QHBoxLayout(header)
        self.header_label = QLabel(header)
        self.header_label.setTextFormat(Qt.TextFormat.RichText)
        self.header_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.header_label.setWordWrap(True)
        self.return_info_button = QPushButton(_("查看退回修改信息"), header)
        self.preview_button = QPushButton(_("个人界面预览"), header)
        self.preview_button.setToolTip(_("申报人退回后看到的界面，以及录入更正后的数据、重新提交"))
        self.back_button = QPushButton(_("返回"), header)
        hl.addWidget(self.header_label, 1)
        hl.addWidget(QLabel(_("办件退回："), header))
        hl.addWidget(self.return_info_button)
        hl.addWidget(self.preview_button)
        hl.addWidget(self.back_button)
        outer.addWidget(header)

        self.closed_bar = MessageBar(self)
        self.message = MessageBar(self)
        outer.addWidget(self.closed_bar)
        outer.addWidget(self.message)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter = splitter
        self.views = QTabWidget(splitter)
        self.views.setDocumentMode(True)
        self.info_area = QScrollArea(self.views)
        self.info_area.setWidgetResizable(True)
        self.views.addTab(self.info_area, _("申报信息"))
        self.form_view = QTextBrowser(self.views)
        self.views.addTab(self.form_view, _("申报表"))
        self.sheet_view = QTextBrowser(self.views)
        self.views.addTab(self.sheet_view, _("一览表"))
        self.attach_area = QScrollArea(self.views)
        self.attach_area.setWidgetResizable(True)
        self.views.addTab(self.attach_area, _("附件材料"))

        panel_area = QScrollArea(splitter)
        panel_area.setWidgetResizable(True)
        self.panel = ReviewPanel(panel_area)
        panel_area.setWidget(self.panel)
        # never narrower than the panel: on a small screen the case's pages give way, not the review
        scrollbar = panel_area.verticalScrollBar().sizeHint().width()
        panel_area.setMinimumWidth(self.panel.minimumSizeHint().width() + scrollbar + 2 * panel_area.frameWidth())
        splitter.addWidget(self.views)
        splitter.addWidget(panel_area)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([880, 520])
        outer.addWidget(splitter, 1)

        self.panel.save_button.clicked.connect(self.save)
        self.panel.prev_button.clicked.connect(lambda: self.step(-1))
        self.panel.next_button.clicked.connect(lambda: self.step(+1))
        self.panel.back_button.clicked.connect(self.back_requested)
        self.back_button.clicked.connect(self.back_requested)
        self.header_label.linkActivated.connect(lambda _link: self.ask_position())
        self.panel.history_button.clicked.connect(self.show_history)
        self.return_info_button.clicked.connect(self.show_return_info)
        self.preview_button.clicked.connect(lambda: self.case_id and self.preview_requested.emit(self.case_id))
        self.panel.picker_menu.aboutToShow.connect(self._fill_opinions)

        # the keys (Ctrl+S, Alt+←/→, Esc) are the window's 审核 menu's, shown there
        self._show_nothing()

    def ask_position(self) -> None:
        """申报职务 asked for, for a case imported from the portal's list (which has no such column)."""
        if self.case_id is None or self.detail is None:
            return
        case_id, name = self.case_id, self.detail.row.case.name
        dialog = QInputDialog(self)
        dialog.setWindowTitle(_("填写申报职务"))
        dialog.setLabelText(_("{name}的申报职务（如 工程师、主治医师、一级教师）：").format(name=name))
        dialog.setTextValue(self.detail.row.case.position)
        dialog.setOkButtonText(_("保存"))
        dialog.setCancelButtonText(_("取消"))

        def save(text: str) -> None:
            try:
                set_position(self.store, case_id, text)
            except ZcwsError as exc:
                self.message.show_message(error_text(exc), "error")
                return
            self.reload()
            self.message.show_message(_("已填写申报职务：{position}").format(position=text.strip()), "success")
            announce(Changes(cases=frozenset({case_id})))

        dialog.textValueSelected.connect(save)
        dialog.open()

    # -- loading -------------------------------------------------------------------

    def _show_nothing(self) -> None:
        self.header_label.setText(_("在审核列表中双击一条办件，或选中后按回车，查看审核详情。"))
        for w in (self.return_info_button, self.preview_button, self.panel):
            w.setEnabled(False)

    def open_case(self, case_id: int, order: list[int] | None = None) -> bool:
        """Show a case; False when the officer chose to stay with an unsaved review of another."""
        if case_id != self.case_id and not self.leave_draft():
            return False
        if order is not None:
            self.order = list(order)
        if case_id not in self.order:
            self.order.append(case_id)
        self.case_id = case_id
        self.message.dismiss()
        self.panel.reset()
        self.reload()
        self.views.setCurrentIndex(0)
        return True

    def leave_draft(self) -> bool:
        """Before the review being written is dropped: save it, drop it, or stay (False)."""
        if self.case_id is None or not self.panel.has_draft() or not self.panel.save_button.isEnabled():
            return True
        name = self.detail.row.case.name if self.detail else ""
        text = _("{name}的审核还没有保存。").format(name=name)
        answer = keep_or_drop(self, _("审核尚未保存"), text, _("保存"), _("不保存"))
        if answer == "keep":
            self.save()
            return not self.panel.has_draft()  # saved; an error keeps the officer here, told why
        if answer == "drop":
            self.panel.reset()
            return True
        return False

    def reload(self) -> None:
        """Read the case again (after a review here or a change elsewhere)."""
        if self.case_id is None:
            return
        try:
            detail = show_case(self.store, self.case_id)
        except ZcwsError as exc:
            self.detail = None
            self._show_nothing()
            self.message.show_message(error_text(exc), "error")
            return
        self.detail = detail
        case, row = detail.row.case, detail.row
        self.header_label.setText(
            f"<b>{_('业务名称')}：</b>{case.business}　<b>{_('申报单位')}：</b>{case.unit_name}　"
            f"<b>{_('申报人')}：</b>{case.name}<br>"
            f'<span style="color:#5f6b7a">{_("办件编号")} {case.id} · {_("状态")}：{case.status.label} · '
            f"{_('流程版本')} {case.revision} · {_('截止日期')} {row.plan.window_end.isoformat()}</span>　"
            f"{badge_html(row.urgency)}"
            + (
                ""
                if case.position.strip()
                else f'<br><span style="color:#c62828">{_("申报职务未填写（系统的名单没有这一列）")}</span>　'
                f'<a href="position">{_("填写申报职务…")}</a>'
            )
        )
        self.return_info_button.setEnabled(bool(case.returned) or any(r.returns for r in detail.reviews))
        self.preview_button.setEnabled(True)
        self.panel.setEnabled(True)
        try:
            check_reviewable(case.status, row.urgency, row.closed_reason)
        except RuleError as exc:
            self.closed_bar.show_message(_("该办件不能审核：{why}").format(why=exc.message), "warning")
            self.panel.set_reviewable(False)
        else:
            self.closed_bar.dismiss()
            self.panel.set_reviewable(True)
        last = detail.reviews[-1] if detail.reviews else None
        self.panel.last_review.setText(
            _("最近一次审核：{result}（{at}，{who}）：{opinion}").format(
                result=last.result.label, at=last.at.isoformat(" ", "minutes"), who=last.reviewer, opinion=last.opinion
            )
            if last
            else _("尚未审核。")
        )
        self._fill_info(detail)
        self.form_view.setHtml(views.application_form(detail))
        self.sheet_view.setHtml(views.summary_sheet(detail))
        self._fill_attachments(detail)
        self._update_position()

    def _section(self, layout: QVBoxLayout, parent: QWidget, title: str, returned: str | None = None) -> None:
        label = QLabel(parent)
        label.setTextFormat(Qt.TextFormat.RichText)
        text = f'<span style="font-size:11pt; font-weight:600; color:#1f3b63">{title}</span>'
        if returned:
            text += f'　<span style="color:#a61d1d">{_("已退回")}：{returned}</span>'
        label.setText(text)
        layout.addSpacing(6)
        layout.addWidget(label)

    def _fill_info(self, detail: CaseDetail) -> None:
        case, plan = detail.row.case, detail.row.plan
        page = QWidget()
        layout = QVBoxLayout(page)
        plan_box = QLabel(page)
        plan_box.setWordWrap(True)
        plan_box.setText(
            f"{_('评审计划')}：{plan.title}<br>{_('申报截止日期')}：{plan.deadline.isoformat()}　"
            f"{_('评委会收件期')}：{plan.window_start.isoformat()} 至 {plan.window_end.isoformat()}<br>"
            f"{_('申报系列')}：{case.series}　{_('申报专业')}：{case.specialty}　{_('申报职务')}：{case.position}　"
            f"{_('填报日期')}：{case.filed_on.isoformat()}"
        )
        layout.addWidget(plan_box)
        basic = case.modules.get(Module.BASIC.value) or {}
        self._section(layout, page, Module.BASIC.label, case.returned.get(Module.BASIC))
        grid_box = QFrame(page)
        grid_box.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(grid_box)
        for i, name in enumerate(BASIC_FIELDS):
            key = QLabel(f"{name}：", grid_box)
            muted(key)
            key.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            value = QLabel(str(basic.get(name, "")), grid_box)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(key, i // 3, (i % 3) * 2)
            grid.addWidget(value, i // 3, (i % 3) * 2 + 1)
        for c in (1, 3, 5):
            grid.setColumnStretch(c, 1)
        layout.addWidget(grid_box)
        for module, tables in TABLES.items():
            if module is Module.ATTACHMENTS:
                continue
            data = case.modules.get(module.value) or {}
            for i, (title, headers) in enumerate(tables.items()):
                self._section(layout, page, f"{module.label}-{title}", case.returned.get(module) if i == 0 else None)
                table = TextTableModel(headers, data.get(title) or [], page)
                layout.addWidget(fitted_table(table, page, f"detail/{module.value}/{title}"))
        layout.addStretch(1)
        self.info_area.setWidget(page)

    def _fill_attachments(self, detail: CaseDetail) -> None:
        case = detail.row.case
        page = QWidget()
        layout = QVBoxLayout(page)
        data = case.modules.get(Module.ATTACHMENTS.value) or {}
        for title, headers in TABLES[Module.ATTACHMENTS].items():
            self._section(layout, page, title, case.returned.get(Module.ATTACHMENTS))
            table = TextTableModel(headers, data.get(title) or [], page)
            layout.addWidget(fitted_table(table, page, f"detail/attachments/{title}"))
        self._section(layout, page, _("单位送审附件"))
        rows = [
            [
                a.slot.label,
                a.original_name,
                verdict_label(a.verdict),
                a.message,
                a.revision or "",
                a.stored_at.isoformat(" ", "minutes"),
            ]
            for a in detail.attachments
        ]
        layout.addWidget(fitted_table(TextTableModel(ATTACHMENT_HEADERS, rows, page), page, "detail/dispatch"))
        layout.addStretch(1)
        self.attach_area.setWidget(page)

    # -- navigation ---------------------------------------------------------------------

    def _update_position(self) -> None:
        if self.case_id is None or self.case_id not in self.order:
            self.panel.position.clear()
            return
        i = self.order.index(self.case_id)
        self.panel.position.setText(_("第 {i} 条，共 {n} 条").format(i=i + 1, n=len(self.order)))
        self.panel.prev_button.setEnabled(i > 0)
        self.panel.next_button.setEnabled(i < len(self.order) - 1)

    def step(self, delta: int) -> None:
        if self.case_id is None or self.case_id not in self.order:
            return
        i = self.order.index(self.case_id) + delta
        if 0 <= i < len(self.order):
            self.open_case(self.order[i])

    # -- the review --------------------------------------------------------------------------

    def save(self) -> None:
        """保存: record the review through the ops layer and say what happened."""
        if self.case_id is None or not self.panel.save_button.isEnabled():
            return
        for row in self.panel.marks:
            row.flag(False)
        result = self.panel.result()
        if result is None:
            self.message.show_message(_("请选择审核结果（审核通过、退回修改、资格不符或终止审核）"), "error")
            return
        marks = [row.mark() for row in self.panel.marks]
        try:
            outcome = review_case(self.store, self.case_id, result, self.panel.opinion.toPlainText(), marks)
        except ZcwsError as exc:
            self.message.show_message(error_text(exc), "error")
            for row in self.panel.marks:
                if row.module.value in exc.at:
                    row.flag(True)
            return
        case_id = self.case_id
        self.panel.reset()
        self.reload()
        self.message.show_message(outcome.message, "success")
        announce(Changes(cases=frozenset({case_id})))

    def _fill_opinions(self) -> None:
        menu = self.panel.picker_menu
        menu.clear()
        for text in opinion_ops.list_opinions(self.store):
            action = QAction(text, menu)
            action.triggered.connect(lambda _checked=False, t=text: self.panel.opinion.setPlainText(t))
            menu.addAction(action)
        if not menu.actions():
            menu.addAction(_("（暂无常用审核意见）")).setEnabled(False)
        menu.addSeparator()
        add = menu.addAction(_("将当前意见加入常用审核意见"))
        add.triggered.connect(self._add_current_opinion)
        manage = menu.addAction(_("管理常用审核意见…"))
        manage.triggered.connect(self.manage_opinions)

    def _add_current_opinion(self) -> None:
        try:
            opinion_ops.add_opinion(self.store, self.panel.opinion.toPlainText())
        except ZcwsError as exc:
            self.message.show_message(error_text(exc), "error")
            return
        self.message.show_message(_("已加入常用审核意见"), "success")
        announce(Changes(opinions=True))

    def manage_opinions(self) -> None:
        from app.ui.dialogs.opinions import OpinionsDialog

        OpinionsDialog(self.store, self).open()

    def show_history(self) -> None:
        if self.detail is None:
            return
        from app.ui.dialogs.history import HistoryDialog

        HistoryDialog(self.detail, self).open()

    def show_return_info(self) -> None:
        if self.detail is None:
            return
        from app.ui.dialogs.history import ReturnInfoDialog

        ReturnInfoDialog(self.detail, self).open()
