"""Small widgets shared by the tabs: the inline message bar and the urgency badge."""

from __future__ import annotations

import math
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QAbstractItemModel,
    QByteArray,
    QModelIndex,
    QObject,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableView,
    QToolButton,
    QWidget,
)

from app.core.urgency import Urgency
from app.ui.i18n import _

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QPaintEvent

URGENCY_COLORS: dict[Urgency, str] = {
    Urgency.NOT_STARTED: "#7b8794",
    Urgency.NORMAL: "#2e7d32",
    Urgency.URGENT: "#e07b00",
    Urgency.CRITICAL: "#c62828",
    Urgency.ENDED: "#52575e",
}

_BAR_BORDER = 1  # px
_BAR_STYLES = {
    "info": ("#e8f1fb", "#1f5fa8", "#b9d3f0"),
    "success": ("#e7f5ea", "#1e6b34", "#b5dcc0"),
    "warning": ("#fff5e0", "#8a5300", "#f2d39a"),
    "error": ("#fdecea", "#a61d1d", "#f3b8b3"),
}


def dropped_paths(event: QDropEvent | QDragEnterEvent | QDragMoveEvent) -> list[Path]:
    """The local files and folders a drag carries."""
    mime = event.mimeData()
    if not mime.hasUrls():
        return []
    return [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]


class FileDrops:
    """For a widget that takes local files and folders dropped on it: they go to :meth:`files_dropped`.

    Put before the Qt class: ``class Tab(FileDrops, QWidget)``, with ``setAcceptDrops(True)``.
    """

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = dropped_paths(event)
        if paths:
            event.acceptProposedAction()
            self.files_dropped(paths)

    def files_dropped(self, paths: list[Path]) -> None:
        raise NotImplementedError


class HintTableView(QTableView):
    """A table that, when it has no rows, says why and what to do instead of showing a blank area."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._hint = ""

    def empty_hint(self) -> str:
        return self._hint

    def set_empty_hint(self, text: str) -> None:
        if text != self._hint:
            self._hint = text
            if self.isVisible():  # not while the window is built: wrapping the viewport costs 5 ms then
                self.viewport().update()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        model = self.model()
        if not self._hint or (model is not None and model.rowCount() > 0):
            return
        from PySide6.QtGui import QTextOption  # only an empty table needs it

        painter = QPainter(self.viewport())
        painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
        option = QTextOption(Qt.AlignmentFlag.AlignCenter)
        option.setWrapMode(QTextOption.WrapMode.WordWrap)
        area = QRectF(self.viewport().rect()).adjusted(32, 24, -32, -24)
        painter.drawText(area, self._hint, option)
        painter.end()


class GrowingTableView(HintTableView):
    """A list whose rows come while it is watched (the pages of a sort, as they are checked).

    After rows are inserted Qt lays the view out again and repaints all of it; but the rows
    above the first one inserted have not moved, so only the view from there down is
    repainted, and nothing of it when the rows came below the view (a screenful of rows is
    10–20 ms of painting, once per page of a sort).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._from: int | None = None  # the first row inserted since the last layout (None: no rows inserted)
        self._moved = False  # since the last layout, rows removed or moved, columns changed, or the model reset

    def setModel(self, model: QAbstractItemModel | None) -> None:
        old = self.model()
        if old is not None:
            old.rowsInserted.disconnect(self._inserted)
            for signal in self._changes(old):
                signal.disconnect(self._changed)
        super().setModel(model)
        if model is not None:
            model.rowsInserted.connect(self._inserted)
            for signal in self._changes(model):
                signal.connect(self._changed)

    @staticmethod
    def _changes(model: QAbstractItemModel) -> tuple:
        return (model.modelReset, model.layoutChanged, model.rowsRemoved, model.rowsMoved, model.columnsInserted,
                model.columnsRemoved, model.columnsMoved)  # fmt: skip

    def _inserted(self, parent: QModelIndex, first: int, _last: int) -> None:
        if parent.isValid():
            self._moved = True
        else:
            self._from = first if self._from is None else min(self._from, first)

    def _changed(self, *_args: object) -> None:
        self._moved = True

    def doItemsLayout(self) -> None:
        first, moved = self._from, self._moved
        self._from, self._moved = None, False
        if first is None or moved or self.rootIndex().isValid():
            super().doItemsLayout()
            return
        self.updateGeometries()  # the scroll bar's range
        viewport = self.viewport()
        top = max(self.rowViewportPosition(first), 0)
        if top < viewport.height():
            viewport.update(0, top, viewport.width(), viewport.height() - top)


class MessageBar(QFrame):
    """An inline message above a tab's content (no modal box for everyday results)."""

    closed = Signal()
    MAX_LINES = 12  # a longer message (送审 refused for 40 people) would push the tab's content away

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        self.kind = "info"
        self._styled = ""  # the kind whose style is set
        self._text = ""
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        close = QToolButton(self)
        close.setText("×")
        close.setAutoRaise(True)
        close.setToolTip(_("关闭提示"))
        close.clicked.connect(self.dismiss)
        self._close = close
        self._layout = layout
        layout.addWidget(self.label)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def line_height(self) -> int:
        """The bar's height when it shows one line (its style's border included)."""
        margins = self._layout.contentsMargins()
        inner = max(self.label.fontMetrics().lineSpacing(), self._close.sizeHint().height())
        return margins.top() + margins.bottom() + inner + 2 * _BAR_BORDER

    def show_message(self, text: str, kind: str = "info") -> None:
        if kind != self._styled:  # a style sheet set is the bar's style worked out anew (1–2 ms)
            bg, fg, border = _BAR_STYLES[kind]
            self.setStyleSheet(
                f"QFrame#messageBar {{ background: {bg}; border: {_BAR_BORDER}px solid {border}; border-radius: 4px; }}"
                f"QFrame#messageBar QLabel {{ color: {fg}; }}"
            )
            self._styled = kind
        self.kind = kind
        self._text = text
        self.label.setText(shortened(text, self.MAX_LINES))
        self.label.setToolTip(text if self.label.text() != text else "")
        self.show()

    def dismiss(self) -> None:
        self.hide()
        self._text = ""
        self.label.clear()
        self.closed.emit()

    def text(self) -> str:
        """The whole message, also when the bar shows it shortened."""
        return self._text if self.isVisible() else ""


def shortened(text: str, max_lines: int) -> str:
    """At most ``max_lines`` lines: the first ones, a line saying how many are left out, the last one."""
    lines = text.splitlines()
    if len(lines) <= max_lines:
        return text
    head = lines[: max_lines - 2]
    hidden = len(lines) - len(head) - 1
    return "\n".join([*head, _("……另有 {n} 行（鼠标停在这里可看全部）").format(n=hidden), lines[-1]])


def paint_urgency_badges(painter: QPainter, font: QFont, cells: Iterable[tuple[QRect, Urgency]]) -> None:
    """临近审核状态 as coloured badges, each centred in its cell (the painter's device asked once)."""
    ratio = painter.device().devicePixelRatioF()
    for rect, state in cells:
        badge = _badge(state, font, ratio)
        size = badge.deviceIndependentSize()
        painter.drawPixmap(
            QPointF(rect.x() + (rect.width() - size.width()) / 2, rect.y() + (rect.height() - size.height()) / 2),
            badge,
        )


def urgency_badge_size(font: QFont, state: Urgency) -> QSize:
    """The room a badge wants: its own size with a margin."""
    size = _badge(state, font, 1.0).deviceIndependentSize().toSize()
    return QSize(size.width() + 20, size.height() + 6)


_BADGES: dict[tuple[Urgency, str, float], QPixmap] = {}


def _badge(state: Urgency, font: QFont, ratio: float) -> QPixmap:
    # drawn once per state, font and screen: a list repainted at every keystroke shows dozens
    # (keyed by the font's description: the font of a style option lives only as long as the option)
    key = (state, font.key(), ratio)
    badge = _BADGES.get(key)
    if badge is None:
        badge = _BADGES[key] = _draw_badge(state, font, ratio)
    return badge


def _draw_badge(state: Urgency, font: QFont, ratio: float) -> QPixmap:
    metrics = QFontMetrics(font)
    text = state.label
    width, height = metrics.horizontalAdvance(text) + 16, metrics.height() + 4
    pixmap = QPixmap(math.ceil(width * ratio), math.ceil(height * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setFont(font)
    rect = QRectF(0, 0, width, height)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(URGENCY_COLORS[state]))
    painter.drawRoundedRect(rect, height / 2, height / 2)
    painter.setPen(QColor("#ffffff"))
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    return pixmap


def badge_html(state: Urgency) -> str:
    """The same badge for rich text (detail header)."""
    return (
        f'<span style="background:{URGENCY_COLORS[state]}; color:white; padding:2px 8px;'
        f' border-radius:8px;">&nbsp;{state.label}&nbsp;</span>'
    )


def muted(widget: QWidget) -> None:
    """Grey secondary text."""
    pal = widget.palette()
    pal.setColor(QPalette.ColorRole.WindowText, QColor("#5f6b7a"))
    widget.setPalette(pal)


def fitted_table(model: QAbstractItemModel, parent: QWidget | None, key: str) -> QTableView:
    """A read-only table as tall as its rows (no inner scrolling), spanning 暂无数据 when empty.

    Its columns, fitted to the contents, are the officer's once dragged and come back the
    next time a table of ``key`` is shown.
    """
    view = QTableView(parent)
    view.setModel(model)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    header = view.horizontalHeader()
    header.setStretchLastSection(True)
    header.setHighlightSections(False)
    columns = FittedColumns(view, key, stretch=model.columnCount() - 1, autosave=True)
    columns.restore(window_settings())

    def fit(*_args: object) -> None:
        columns.fit()
        if getattr(model, "is_empty", False):
            view.setSpan(0, 0, 1, max(model.columnCount(), 1))
        else:
            view.clearSpans()
        rows = model.rowCount()
        height = header.sizeHint().height() + sum(view.rowHeight(r) for r in range(rows)) + 2 * view.frameWidth()
        bar = view.horizontalScrollBar()
        view.setFixedHeight(height + (bar.sizeHint().height() if bar.maximum() > 0 else 0))

    model.modelReset.connect(fit)
    view.horizontalScrollBar().rangeChanged.connect(fit)
    fit()
    return view


def window_settings() -> QSettings:
    """Window sizes and layouts (splitters, columns), kept in the data folder beside the store."""
    from PySide6.QtCore import QSettings

    from app.store import default_data_dir

    return QSettings(str(default_data_dir() / "window.ini"), QSettings.Format.IniFormat)


class FittedColumns(QObject):
    """A table's columns sized to their contents at every :meth:`fit` until the officer drags one;
    from then on they are the officer's, kept by :meth:`save` and brought back by :meth:`restore`."""

    def __init__(self, view: QTableView, key: str, stretch: int | None = None, autosave: bool = False) -> None:
        super().__init__(view)
        self.view = view
        self.stretch = stretch
        self.by_hand = False
        self._busy = False
        # a table with no window of its own to save it on closing saves a moment after a drag
        self._autosave: QTimer | None = None
        if autosave:
            self._autosave = QTimer(self)
            self._autosave.setSingleShot(True)
            self._autosave.setInterval(300)
            self._autosave.timeout.connect(lambda: self.save(window_settings()))
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setResizeContentsPrecision(0)  # the rows in view: a fit costs what a screen of rows costs
        if stretch is not None:
            header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        self._key = key
        header.sectionResized.connect(self._resized)

    def key(self) -> str:
        # a state saved for another set of columns (an older version) is not applied to these
        return f"{self._key}/{self.view.model().columnCount()}"

    def fit(self) -> None:
        if not self.by_hand:
            self._busy = True
            self.view.resizeColumnsToContents()
            self._busy = False

    def _resized(self, section: int, _old: int, _new: int) -> None:
        if not self._busy and section != self.stretch:  # the stretched column follows the window
            self.by_hand = True
            if self._autosave is not None:
                self._autosave.start()

    def restore(self, settings: QSettings) -> None:
        state = settings.value(self.key())
        if isinstance(state, QByteArray) and not state.isEmpty():
            self._busy = True
            self.by_hand = self.view.horizontalHeader().restoreState(state)
            self._busy = False

    def save(self, settings: QSettings) -> None:
        if self.by_hand:
            settings.setValue(self.key(), self.view.horizontalHeader().saveState())
