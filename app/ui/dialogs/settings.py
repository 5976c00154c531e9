"""设置: generated from the declared settings (``app.core.settings.SETTINGS``), plus the unit's information.

The 单位信息 page edits the unit through :mod:`app.ops.units` (the same functions as
``zcws unit set``); its fields are checked as they are typed, and 保存 writes the unit
and the settings together or, on any error, nothing.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import ZcwsError
from app.core.settings import SETTINGS, Setting
from app.core.units import REGIONS, UnitKind
from app.core.workdays import LIBRARY
from app.ops import settings as settings_ops
from app.ops import units as unit_ops
from app.store import Store
from app.ui.i18n import _
from app.ui.widgets import MessageBar, muted
from app.ui.workers import Changes, announce, error_text

_INT_MAX = 2**31 - 1

#: Pages of the dialog: key prefix → title.
PAGES = {
    "urgency": "临近审核状态",
    "upload": "上传限制",
    "scan": "扫描件读取",
    "reviewer": "审核人",
    "calendar": "节假日安排",
}
#: Colours of a field's live check: ok, warning (saved anyway), error (blocks 保存).
_CHECK_COLORS = {"ok": "#1e6b34", "warning": "#8a5300", "error": "#a61d1d"}
_CHECK_MARKS = {"ok": "✓", "warning": "⚠", "error": "✗"}
_BAD_EDITOR = "QLineEdit { border: 1px solid #c62828; border-radius: 3px; padding: 0 2px; background: #fff6f6; }"


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
    if spec.multiline:
        return QPlainTextEdit(parent)
    return QLineEdit(parent)


def _get(editor: QWidget) -> Any:
    if isinstance(editor, QSpinBox | QDoubleSpinBox):
        return int(editor.value())
    if isinstance(editor, QPlainTextEdit):
        return editor.toPlainText()
    assert isinstance(editor, QLineEdit), editor  # the only editors left
    return editor.text()


def _set(editor: QWidget, value: Any) -> None:
    if isinstance(editor, QSpinBox | QDoubleSpinBox):
        editor.setValue(int(value))
    elif isinstance(editor, QLineEdit):
        editor.setText(str(value))
    elif isinstance(editor, QPlainTextEdit):
        editor.setPlainText(str(value))


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
        self.unit_page = UnitPage(store, self.tabs)
        self.page_index: dict[str, int] = {"unit": self.tabs.addTab(self.unit_page, _("单位信息"))}
        for prefix, title in PAGES.items():
            specs = [s for s in SETTINGS if s.key.split(".")[0] == prefix]
            if not specs:
                continue
            tab = QWidget(self.tabs)
            form = QFormLayout(tab)
            for spec in specs:
                editor = _editor(spec, tab)
                _set(editor, store.get_setting(spec.key))
                if spec.multiline:  # the label above a text box as wide as the page
                    form.addRow(QLabel(spec.label, tab))
                    form.addRow(editor)
                else:
                    editor.setToolTip(_("默认值：{value}").format(value=spec.default))
                    form.addRow(QLabel(spec.label, tab), editor)
                self.editors[spec.key] = editor
            notes = {
                "urgency": _("距评委会收件截止的剩余天数不超过这些值时，办件显示为“加急”或“紧急”。"),
                "calendar": _(
                    "公示期按工作日计算。程序内置的日历收录到 {last} 年；新一年的安排由国务院办公厅每年年底公布，"
                    "公布后可以在这里照通知填写：每行一个日期或日期范围，再写节日名称；调休上班的日子写“上班”。格式示例（日期仅为示例，请以通知为准）：\n"
                    "2027-01-01 元旦\n2027-02-06 至 2027-02-13 春节\n2027-02-14 上班"
                ).format(last=LIBRARY.covered_years()[1]),
            }
            if prefix in notes:
                note = QLabel(notes[prefix], tab)
                note.setWordWrap(True)
                note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
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
        # the 单位信息 page is the tallest: open at least as large as it needs
        self.resize(self.sizeHint().expandedTo(self.size()))

    def save(self) -> None:
        """Save the unit (when edited) and the settings in one transaction: all or, on an error, nothing."""
        unit_fields = self.unit_page.values() if self.unit_page.is_edited() else None
        values = {key: _get(editor) for key, editor in self.editors.items()}
        try:
            settings_ops.save_settings(self.store, values, unit_fields)
        except settings_ops.UnitNotSaved as exc:
            self.tabs.setCurrentIndex(self.page_index["unit"])
            self.unit_page.show_problems()
            self.message.show_message(_("单位信息未保存：{error}").format(error=error_text(exc)), "error")
            return
        except ZcwsError as exc:
            self.message.show_message(error_text(exc), "error")
            return
        announce(Changes(settings=True))
        self.accept()


class WrappedLabel(QLabel):
    """A word-wrapped label that asks for the height its text needs at its width.

    A tab page does not pass height-for-width on to its dialog: without this, a
    message that wraps is cut off instead of making the page taller.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        if self.isVisible():  # laid out: its width is the column's, not a default
            return QSize(hint.width(), max(hint.height(), self.heightForWidth(self.width())))
        return hint

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.minimumSizeHint().height() != self.height():
            self.updateGeometry()


class UnitPage(QWidget):
    """单位信息: the unit's fields, each checked as it is typed, and who creates the unit's account."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._tried = False  # after a failed 保存, empty fields say what they lack too
        layout = QVBoxLayout(self)
        self.note = QLabel(_("尚未登记单位信息。填写后点“保存”登记本单位，开户申请表和公示将使用这些信息。"), self)
        self.note.setWordWrap(True)
        muted(self.note)
        layout.addWidget(self.note)

        self.editors: dict[str, QLineEdit | QComboBox] = {}
        self.checks: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setVerticalSpacing(8)
        self._add_line(form, "name", _("单位名称"))
        self._add_line(form, "credit_code", _("统一社会信用代码"), _("18位，见营业执照或法人证书"))
        kind = self._add_combo(form, "kind", _("单位类型"))
        for k in UnitKind:
            kind.addItem(k.label, k.value)
        region = self._add_combo(form, "region", _("注册地区"))
        for r in REGIONS:
            region.addItem(r, r)
        self._add_line(form, "parent", _("上级单位"), _("无上级单位可不填"))
        heading = QLabel(_("管理人员（账号使用人）"), self)
        bold = heading.font()
        bold.setBold(True)
        heading.setFont(bold)
        heading.setContentsMargins(0, 6, 0, 0)
        form.addRow(heading)
        self._add_line(form, "manager_name", _("姓名"))
        self._add_line(form, "manager_id_number", _("居民身份证号码"), _("18位，最后一位可能为X"))
        self._add_line(form, "manager_phone", _("联系电话"), _("手机号或带区号的座机号，如0714-6222222"))
        layout.addLayout(form)

        self.creator = WrappedLabel(self)
        self.creator.setObjectName("accountCreator")
        self.creator.setTextFormat(Qt.TextFormat.RichText)
        self.creator.setStyleSheet(
            "QLabel#accountCreator { background: #e8f1fb; border: 1px solid #b9d3f0; border-radius: 4px;"
            " padding: 6px 8px; color: #1f3b5c; }"
        )
        layout.addSpacing(4)
        layout.addWidget(self.creator)
        layout.addStretch(1)

        self._loaded = self.load()
        for editor in self.editors.values():
            if isinstance(editor, QLineEdit):
                editor.textChanged.connect(self.refresh)
            else:
                editor.currentIndexChanged.connect(self.refresh)
        self.refresh()

    def _add_row(self, form: QFormLayout, key: str, label: str, editor: QLineEdit | QComboBox) -> None:
        check = WrappedLabel(self)
        check.hide()
        cell = QVBoxLayout()
        cell.setSpacing(2)
        cell.addWidget(editor)
        cell.addWidget(check)
        # level with its field, not with the middle of field and message
        caption_box = QWidget(self)
        caption_layout = QVBoxLayout(caption_box)
        caption_layout.setContentsMargins(0, 0, 0, 0)
        caption = QLabel(label, caption_box)
        caption.setMinimumHeight(editor.sizeHint().height())
        caption.setBuddy(editor)
        caption_layout.addWidget(caption)
        caption_layout.addStretch(1)
        form.addRow(caption_box, cell)
        self.editors[key] = editor
        self.checks[key] = check

    def _add_line(self, form: QFormLayout, key: str, label: str, hint: str = "") -> QLineEdit:
        line = QLineEdit(self)
        # the red frame of a bad field must not make the field smaller
        line.setMinimumHeight(line.sizeHint().height())
        line.setPlaceholderText(hint)
        line.setClearButtonEnabled(True)
        self._add_row(form, key, label, line)
        return line

    def _add_combo(self, form: QFormLayout, key: str, label: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setPlaceholderText(_("请选择"))
        self._add_row(form, key, label, combo)
        return combo

    def load(self) -> dict[str, str]:
        """Fill the fields from the stored unit; returns the texts as loaded."""
        unit = unit_ops.get_unit(self.store)
        self.note.setVisible(unit is None)
        values = unit_ops.unit_fields(unit)
        for key, editor in self.editors.items():
            if isinstance(editor, QLineEdit):
                editor.setText(values[key])
            else:
                editor.setCurrentIndex(editor.findData(values[key]))
        return self.values()

    def values(self) -> dict[str, str]:
        """The fields' texts, keyed as :data:`app.ops.units.FIELDS`."""
        out = {}
        for key, editor in self.editors.items():
            out[key] = editor.text() if isinstance(editor, QLineEdit) else str(editor.currentData() or "")
        return out

    def is_edited(self) -> bool:
        return self.values() != self._loaded

    def refresh(self) -> None:
        """Show each field's check and who creates the account for the chosen kind and region."""
        values = self.values()
        found = unit_ops.check_fields(values)
        for key, label in self.checks.items():
            check = found.get(key)
            shown = check is not None and (check.level != "error" or self._tried or values[key].strip() != "")
            editor = self.editors[key]
            if isinstance(editor, QLineEdit):
                bad = shown and check is not None and check.level == "error"
                editor.setStyleSheet(_BAD_EDITOR if bad else "")
            if not shown or check is None:
                label.hide()
                continue
            label.setText(f"{_CHECK_MARKS[check.level]} {check.message}")
            label.setStyleSheet(f"color: {_CHECK_COLORS[check.level]};")
            label.show()
        authority = unit_ops.creator_of(values["kind"], values["region"])
        if authority is None:
            self.creator.setText(_("选择单位类型和注册地区后，这里显示单位账号由谁创建。"))
        else:
            self.creator.setText(
                _("账号由<b>{name}</b>创建").format(name=html.escape(authority.name))
                + f'<br><span style="color:#5f6b7a;">{_("依据：")}{html.escape(authority.reason)}</span>'
            )

    def show_problems(self) -> None:
        """After a refused 保存: every bad field says so, and the first one takes the focus."""
        self._tried = True
        self.refresh()
        found = unit_ops.check_fields(self.values())
        for key, editor in self.editors.items():
            check = found.get(key)
            if check is not None and check.level == "error":
                editor.setFocus()
                break
