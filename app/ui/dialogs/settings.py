"""设置: generated from the declared settings (``app.core.settings.SETTINGS``), plus the unit's information."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import ZcwsError
from app.core.settings import SETTINGS, Setting
from app.store import Store
from app.ui.i18n import _
from app.ui.widgets import MessageBar, muted
from app.ui.workers import Changes, announce, error_text

_INT_MAX = 2**31 - 1

#: Pages of the dialog: key prefix → title.
PAGES = {"urgency": "临近审核状态", "upload": "上传限制", "scan": "扫描件读取", "reviewer": "审核人"}
UNIT_FIELDS = (
    ("name", "单位名称"),
    ("credit_code", "统一社会信用代码"),
    ("kind", "单位类型"),
    ("region", "注册地区"),
    ("manager_name", "管理人员"),
    ("manager_phone", "联系电话"),
)


def _editor(spec: Setting, parent: QWidget) -> QWidget:
    if spec.type is int:
        low = int(spec.minimum if spec.minimum is not None else 0)
        high = int(spec.maximum if spec.maximum is not None else _INT_MAX)
        # QSpinBox holds a 32-bit int; byte limits beyond it use a double box without decimals
        box: QSpinBox | QDoubleSpinBox = QSpinBox(parent) if high <= _INT_MAX else QDoubleSpinBox(parent)
        if isinstance(box, QDoubleSpinBox):
            box.setDecimals(0)
        box.setRange(low, high)
        box.setGroupSeparatorShown(True)
        return box
    return QLineEdit(parent)


def _get(editor: QWidget) -> Any:
    if isinstance(editor, QSpinBox | QDoubleSpinBox):
        return int(editor.value())
    return editor.text()  # type: ignore[attr-defined]


def _set(editor: QWidget, value: Any) -> None:
    if isinstance(editor, QSpinBox | QDoubleSpinBox):
        editor.setValue(int(value))
    elif isinstance(editor, QLineEdit):
        editor.setText(str(value))


class SettingsDialog(QDialog):
    def __init__(self, store: Store, page: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.setWindowTitle(_("设置"))
        self.resize(600, 420)
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget(self)
        layout.addWidget(self.tabs)
        self.editors: dict[str, QWidget] = {}
        self.page_index: dict[str, int] = {"unit": self.tabs.addTab(self._unit_page(), _("单位信息"))}
        for prefix, title in PAGES.items():
            specs = [s for s in SETTINGS if s.key.split(".")[0] == prefix]
            if not specs:
                continue
            tab = QWidget(self.tabs)
            form = QFormLayout(tab)
            for spec in specs:
                editor = _editor(spec, tab)
                _set(editor, store.get_setting(spec.key))
                editor.setToolTip(_("默认值：{value}").format(value=spec.default))
                form.addRow(QLabel(spec.label, tab), editor)
                self.editors[spec.key] = editor
            if prefix == "urgency":
                note = QLabel(_("距评委会收件截止的剩余天数不超过这些值时，办件显示为“加急”或“紧急”。"), tab)
                note.setWordWrap(True)
                muted(note)
                form.addRow(note)
            self.page_index[prefix] = self.tabs.addTab(tab, _(title))
        if page is not None and page in self.page_index:
            self.tabs.setCurrentIndex(self.page_index[page])
        self.message = MessageBar(self)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _unit_page(self) -> QWidget:
        from app.core.units import UnitKind

        page = QWidget(self)
        form = QFormLayout(page)
        units = self.store.units()
        if not units:
            form.addRow(QLabel(_("尚未登记单位信息。导入办件或使用开户申请功能时会登记本单位。"), page))
            return page
        unit = units[0]
        for key, label in UNIT_FIELDS:
            value = unit.get(key, "")
            if key == "kind":
                try:
                    value = UnitKind(value).label
                except ValueError:
                    pass
            field = QLineEdit(str(value), page)
            field.setReadOnly(True)
            form.addRow(_(label), field)
        note = QLabel(_("单位信息在开户申请时登记，用于表格和公示；如需更正，请重新填写开户申请。"), page)
        note.setWordWrap(True)
        muted(note)
        form.addRow(note)
        return page

    def save(self) -> None:
        try:
            with self.store.transaction():
                for key, editor in self.editors.items():
                    self.store.set_setting(key, _get(editor))
        except ZcwsError as exc:
            self.message.show_message(error_text(exc), "error")
            return
        announce(Changes(settings=True))
        self.accept()
