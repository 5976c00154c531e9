"""开始页: what a first launch on an empty store shows instead of an empty table.

Four steps, one button each, each saying what comes next: the unit (and its 开户申请表),
the list of applicants, the portal's blanks, the demo. Built only when shown.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app import APP_TITLE
from app.ui.i18n import _
from app.ui.widgets import muted


class _Step(QFrame):
    """One step: its number and title, what it does and what comes next, its buttons, where it stands."""

    def __init__(self, number: int, title: str, text: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("startStep")
        self.setStyleSheet("QFrame#startStep { background: #f7f9fc; border: 1px solid #d5dfeb; border-radius: 6px; }")
        layout = QVBoxLayout(self)
        heading = QLabel(f"<b style='font-size:14pt;'>{number}　{title}</b>", self)
        layout.addWidget(heading)
        body = QLabel(text, self)
        body.setWordWrap(True)
        body.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(body)
        self.state = QLabel(self)
        self.state.setWordWrap(True)
        layout.addWidget(self.state)
        self.buttons = QHBoxLayout()
        layout.addLayout(self.buttons)

    def button(self, text: str) -> QPushButton:
        button = QPushButton(text, self)
        self.buttons.addWidget(button)
        return button

    def set_state(self, text: str, done: bool) -> None:
        color = "#1e7b34" if done else "#5f6b7a"
        self.state.setText(f"<span style='color:{color};'>{'✓ ' if done else ''}{text}</span>")


class StartPage(QWidget):
    """Emits what the officer asked for; the window does it."""

    unit_requested = Signal()
    account_form_requested = Signal()
    plan_requested = Signal()
    import_requested = Signal()
    blanks_requested = Signal()
    demo_requested = Signal()
    guide_requested = Signal()
    queue_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(32, 24, 32, 24)
        title = QLabel(f"<span style='font-size:18pt;'><b>{_('欢迎使用{title}').format(title=APP_TITLE)}</b></span>")
        outer.addWidget(title)
        intro = QLabel(
            _(
                "按下面的顺序开始，每一步只需点一下，做完后这里会告诉您下一步。"
                "每一步的详细说明见“使用说明”（F1）；这一页随时可以从 帮助 → 开始页 再打开。"
            ),
            self,
        )
        intro.setWordWrap(True)
        muted(intro)
        outer.addWidget(intro)

        grid = QGridLayout()
        grid.setSpacing(16)
        self.unit_step = _Step(
            1,
            _("本单位信息"),
            _(
                "填写单位名称、统一社会信用代码、单位类型、注册地区和管理人员。"
                "程序告诉您由哪个部门为本单位开通系统账号，并生成"
                "《黄石市职称评审信息系统用户开户申请表》：打印、盖章后交给该部门开户。"
            ),
            self,
        )
        self.unit_button = self.unit_step.button(_("填写单位信息…"))
        self.account_button = self.unit_step.button(_("生成开户申请表…"))
        self.import_step = _Step(
            2,
            _("评审计划与申报人员名单"),
            _(
                "先照系统中的通知新建评审计划（标题、系列、评委会收件日期），"
                "再选择 .xlsx、.xls 或 .csv 名单（系统名单的五列：序号、姓名、证件号码、系列、专业；有申报职务更好），"
                "也可以把名单直接拖进窗口。先预览、再导入；导入后转到“审核列表”，逐人审核。"
            ),
            self,
        )
        self.plan_button = self.import_step.button(_("新建评审计划…"))
        self.import_button = self.import_step.button(_("导入申报人员名单…"))
        self.blanks_step = _Step(
            3,
            _("导入系统空白表"),
            _(
                "在系统中为每个人点“下载单位审核意见表”“下载考核表”，把下载的 PDF（或整个下载文件夹、ZIP）导入："
                "程序按证件号码或姓名分给每个人，然后在“单位送审”页一次打印所有人的表。"
            ),
            self,
        )
        self.blanks_button = self.blanks_step.button(_("导入系统空白表…"))
        self.demo_step = _Step(
            4,
            _("先看看演示"),
            _(
                "不确定怎么用？演示数据在另一个窗口中打开：一个虚构的单位和几十个办件，"
                "各种状态都有，可以放心试；它和您的数据完全分开，关掉即可回到这里。"
            ),
            self,
        )
        self.demo_button = self.demo_step.button(_("打开演示数据"))
        self.demo_step.set_state(_("也可以从开始菜单打开“职称网审助手（演示数据）”。"), False)
        for i, step in enumerate((self.unit_step, self.import_step, self.blanks_step, self.demo_step)):
            grid.addWidget(step, i // 2, i % 2)
        outer.addLayout(grid)

        bottom = QHBoxLayout()
        self.guide_button = QPushButton(_("使用说明（F1）"), self)
        self.queue_button = QPushButton(_("进入审核列表"), self)
        bottom.addWidget(self.guide_button)
        bottom.addStretch(1)
        bottom.addWidget(self.queue_button)
        outer.addLayout(bottom)
        outer.addStretch(1)

        self.unit_button.clicked.connect(self.unit_requested)
        self.account_button.clicked.connect(self.account_form_requested)
        self.plan_button.clicked.connect(self.plan_requested)
        self.import_button.clicked.connect(self.import_requested)
        self.blanks_button.clicked.connect(self.blanks_requested)
        self.demo_button.clicked.connect(self.demo_requested)
        self.guide_button.clicked.connect(self.guide_requested)
        self.queue_button.clicked.connect(self.queue_requested)

    def show_progress(self, unit_name: str | None, plans: int, cases: int) -> None:
        """Where the officer stands: the unit filled in or not, how many plans and cases there are."""
        if unit_name:
            self.unit_step.set_state(_("已填写：{name}").format(name=unit_name), True)
        else:
            self.unit_step.set_state(_("尚未填写。打印表格和公示证明也要用到单位信息。"), False)
        self.account_button.setEnabled(bool(unit_name))
        self.account_button.setToolTip("" if unit_name else _("请先填写单位信息"))
        if cases:
            self.import_step.set_state(_("已导入 {n} 个办件。").format(n=cases), True)
        elif not unit_name:
            self.import_step.set_state(_("请先填写本单位信息：名单上的人都属于本单位。"), False)
        elif not plans:
            self.import_step.set_state(_("请先新建评审计划：名单上的人归入这个计划。"), False)
            self.blanks_step.set_state(_("导入后在“单位送审”页点“打印系统空白表”。"), False)
        else:
            self.import_step.set_state(_("已有评审计划 {n} 个，还没有办件。").format(n=plans), False)
        if not cases:
            self.blanks_step.set_state(_("请先导入名单：下载的表要按证件号码分给名单上的人。"), False)
        self.import_button.setEnabled(bool(unit_name and plans))
        self.blanks_button.setEnabled(bool(cases))
        self.queue_button.setVisible(bool(cases))
