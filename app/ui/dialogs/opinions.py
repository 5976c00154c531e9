"""常用审核意见: the list the officer picks opinions from, and maintains."""

from __future__ import annotations

from PySide6.QtCore import QStringListModel
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import ZcwsError
from app.ops import opinions as opinion_ops
from app.store import Store
from app.ui.i18n import _
from app.ui.widgets import MessageBar
from app.ui.workers import Changes, announce, error_text


class OpinionsDialog(QDialog):
    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.setWindowTitle(_("常用审核意见"))
        self.resize(520, 380)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("审核时可从“选择常用审核意见”中直接选用以下意见："), self))
        self.model = QStringListModel(self)
        self.view = QListView(self)
        self.view.setModel(self.model)
        self.view.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        layout.addWidget(self.view, 1)
        self.message = MessageBar(self)
        layout.addWidget(self.message)
        row = QHBoxLayout()
        self.entry = QLineEdit(self)
        self.entry.setPlaceholderText(_("输入新的常用审核意见"))
        self.add_button = QPushButton(_("添加"), self)
        self.remove_button = QPushButton(_("删除所选"), self)
        row.addWidget(self.entry, 1)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        layout.addLayout(row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.add_button.clicked.connect(self.add)
        self.entry.returnPressed.connect(self.add)
        self.remove_button.clicked.connect(self.remove)
        self.refresh()

    def refresh(self) -> None:
        self.model.setStringList(opinion_ops.list_opinions(self.store))

    def add(self) -> None:
        try:
            opinion_ops.add_opinion(self.store, self.entry.text())
        except ZcwsError as exc:
            self.message.show_message(error_text(exc), "error")
            return
        self.entry.clear()
        self.message.dismiss()
        self.refresh()
        announce(Changes(opinions=True))

    def remove(self) -> None:
        index = self.view.currentIndex()
        if not index.isValid():
            self.message.show_message(_("请先选中要删除的意见"), "warning")
            return
        text = index.data()
        opinion_ops.remove_opinion(self.store, text)
        self.refresh()
        # the undo is one click away: the removed text waits in the entry, ready to be added back
        self.entry.setText(text)
        self.message.show_message(_("已删除“{text}”。如需恢复，点“添加”。").format(text=text), "info")
        announce(Changes(opinions=True))
