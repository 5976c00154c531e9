"""审核列表: every case with its status and 临近审核状态, filtered, searched and sorted."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPainter, QPaintEvent, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.review import Status
from app.core.urgency import Urgency
from app.ops.cases import case_rows, list_cases
from app.store import Store
from app.ui.i18n import _
from app.ui.models import RowRole
from app.ui.models.cases import (
    COL_BUSINESS,
    COL_ID,
    COL_NAME,
    COL_NO,
    COL_URGENCY,
    COLUMNS,
    CaseTableModel,
    QueueRow,
    queue_delegates,
)
from app.ui.widgets import URGENCY_COLORS, HintTableView, muted, paint_urgency_badges
from app.ui.workers import Changes


class QueueView(HintTableView):
    """审核列表's table, which paints 临近审核状态's badges over their cells once the rows are painted:
    one call into Python a repaint for the badges in view, where the column's delegate would take one
    a cell, each converting the cell's style option (see ``UrgencyBadgeDelegate``)."""

    def __init__(self, model: CaseTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self._row = model.shown_row
        # the header over a model of its own, the columns' titles only: a header over the rows'
        # model lays itself out again at each of its layout changes (each keystroke in the search
        # box) and repaints, asking the model for every title's roles
        titles = QStandardItemModel(0, len(COLUMNS), self)
        titles.setHorizontalHeaderLabels(list(COLUMNS))
        self.horizontalHeader().setModel(titles)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        x, width = self.columnViewportPosition(COL_URGENCY), self.columnWidth(COL_URGENCY)
        area = event.rect()
        if self.isColumnHidden(COL_URGENCY) or x >= area.right() + 1 or x + width <= area.left():
            return
        first, last = self.rowAt(area.top()), self.rowAt(area.bottom())
        if first < 0:
            return  # no row in the area
        if last < 0:
            last = self.model().rowCount() - 1
        grid = 1 if self.showGrid() else 0  # a cell's rect, as the view gives it to the delegate
        cells = [
            (QRect(x, self.rowViewportPosition(r), width - grid, self.rowHeight(r) - grid), self._row(r).urgency)
            for r in range(first, last + 1)
        ]
        painter = QPainter(self.viewport())
        paint_urgency_badges(painter, self.font(), cells)
        painter.end()


class QueueTab(QWidget):
    """Emits ``open_requested(case_id, order)`` on double-click or Enter."""

    open_requested = Signal(int, list)

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        layout = QVBoxLayout(self)

        bar = QHBoxLayout()
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(_("搜索姓名、证件号码或专业（Ctrl+F）"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(260)
        self.status_filter = QComboBox(self)
        self.status_filter.addItem(_("全部状态"), None)
        for s in Status:
            self.status_filter.addItem(s.label, s)
        self.urgency_filter = QComboBox(self)
        self.urgency_filter.addItem(_("全部临近审核状态"), None)
        for u in Urgency:
            self.urgency_filter.addItem(u.label, u)
        self.count = QLabel(self)
        self.count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.refresh_button = QPushButton(_("刷新"), self)
        self.refresh_button.setToolTip(_("重新读取办件（F5）"))
        self.open_button = QPushButton(_("审核"), self)
        self.open_button.setToolTip(_("打开所选办件的审核详情（回车）"))
        bar.addWidget(QLabel(_("搜索："), self))
        bar.addWidget(self.search, 2)
        bar.addSpacing(8)
        bar.addWidget(QLabel(_("状态："), self))
        bar.addWidget(self.status_filter)
        bar.addWidget(QLabel(_("临近审核状态："), self))
        bar.addWidget(self.urgency_filter)
        bar.addStretch(1)
        bar.addWidget(self.count)
        bar.addWidget(self.refresh_button)
        bar.addWidget(self.open_button)
        layout.addLayout(bar)

        self.model = CaseTableModel(self)  # every case, and the filters: no proxy (see the model)
        self.view = QueueView(self.model, self)
        self.view.setObjectName("queueView")
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(COL_NO, Qt.SortOrder.AscendingOrder)
        vheader = self.view.verticalHeader()
        vheader.hide()
        vheader.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vheader.setDefaultSectionSize(self.fontMetrics().height() + 12)
        header = self.view.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        widths = {COL_NO: 60, COL_BUSINESS: 150, COL_NAME: 100, COL_ID: 190, 4: 130, 5: 120, 6: 170, COL_URGENCY: 130}
        for col, width in widths.items():
            self.view.setColumnWidth(col, width)
        for col, delegate in enumerate(queue_delegates(self.model, self.view)):
            self.view.setItemDelegateForColumn(col, delegate)
        self.view.installEventFilter(self)
        layout.addWidget(self.view, 1)

        legend = QLabel(self)
        legend.setTextFormat(Qt.TextFormat.RichText)
        dots = "　".join(f'<span style="color:{URGENCY_COLORS[u]}">●</span> {u.label}' for u in Urgency)
        legend.setText(
            _(
                "临近审核状态：{dots}。“未开始”和“已结束”都不能对人员进行审核；“紧急”表示评委会马上要截止收材料。"
            ).format(dots=dots)
        )
        muted(legend)
        layout.addWidget(legend)

        self.search.textChanged.connect(self._search_changed)
        self.status_filter.currentIndexChanged.connect(lambda: self._filter_changed())
        self.urgency_filter.currentIndexChanged.connect(lambda: self._filter_changed())
        self.view.doubleClicked.connect(lambda index: self.open_row(index.row()))
        self.open_button.clicked.connect(self.open_current)
        self.refresh_button.clicked.connect(self.reload)

    # -- data -----------------------------------------------------------------------

    def reload(self) -> None:
        current = self.current_case_id()
        self.model.set_rows(QueueRow.from_case_row(r) for r in list_cases(self.store))
        self._update_count()
        if current is not None:
            self.select_case(current)

    def apply_changes(self, changes: Changes) -> None:
        """Refresh only the cases a write touched (or everything when it cannot say)."""
        if changes.all_cases or changes.settings:
            self.reload()
        elif changes.cases:
            known = {r.case_id for r in self.model.rows}
            if not set(changes.cases) <= known:
                self.reload()
                return
            self.model.update_rows([QueueRow.from_case_row(r) for r in case_rows(self.store, sorted(changes.cases))])
            self._update_count()

    def _update_count(self) -> None:
        shown, total = self.model.rowCount(), len(self.model.rows)
        text = (
            _("共 {n} 条").format(n=total) if shown == total else _("显示 {shown}/{n} 条").format(shown=shown, n=total)
        )
        # of a fixed size, as wide as its longest text for this total: a count that changes at
        # every keystroke would otherwise lay out the whole bar again, and repaint it
        longest = _("显示 {shown}/{n} 条").format(shown=total, n=total)
        self.count.setFixedSize(self.count.fontMetrics().horizontalAdvance(longest) + 4, self.count.sizeHint().height())
        self.count.setText(text)
        if total == 0:
            hint = _(
                "还没有办件。\n\n导入申报人员名单：文件 → 导入办件（Ctrl+I），或把 .xlsx / .xls / .csv 名单拖到这里。\n"
                "想先看看怎么用：从开始菜单打开“职称网审助手（演示数据）”。"
            )
            if not self.store.units():
                hint += _("\n\n打印表格之前，请先在 设置 → 单位信息 填写本单位的名称和统一社会信用代码。")
        else:
            hint = _("没有符合条件的办件：请修改搜索内容，或把“状态”“临近审核状态”改回“全部”。")
        self.view.set_empty_hint(hint)

    def _search_changed(self, text: str) -> None:
        self.model.set_search(text)
        self._update_count()

    def _filter_changed(self) -> None:
        # the combos hold the enums' values (a StrEnum crosses Qt as a plain string)
        status, urgency = self.status_filter.currentData(), self.urgency_filter.currentData()
        self.model.set_status(Status(status) if status else None)
        self.model.set_urgency(Urgency(urgency) if urgency else None)
        self._update_count()

    def set_filters(self, status: Status | None = None, urgency: Urgency | None = None) -> None:
        self.status_filter.setCurrentIndex(self.status_filter.findData(status) if status else 0)
        self.urgency_filter.setCurrentIndex(self.urgency_filter.findData(urgency) if urgency else 0)

    # -- selection and opening ---------------------------------------------------------

    def current_case_id(self) -> int | None:
        index = self.view.currentIndex()
        if not index.isValid():
            return None
        return index.data(RowRole).case_id

    def select_case(self, case_id: int) -> bool:
        row = self.model.row_of(case_id)
        if row < 0:
            return False
        index = self.model.index(row, 0)
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)
        return True

    def open_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        if index.isValid():
            self.open_requested.emit(index.data(RowRole).case_id, self.model.case_ids())

    def open_current(self) -> None:
        index = self.view.currentIndex()
        if index.isValid():
            self.open_row(index.row())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and event.type() == QEvent.Type.KeyPress:
            if isinstance(event, QKeyEvent) and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.open_current()
                return True
        return super().eventFilter(watched, event)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()
