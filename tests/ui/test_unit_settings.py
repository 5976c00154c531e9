"""设置 → 单位信息: the officer edits the unit, sees each field checked and who creates the account."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from app.core.ids import credit_check_char, id_check_char
from app.ops.forms import render_account_form
from app.ops.units import get_unit
from app.store import Store
from app.ui.dialogs.settings import SettingsDialog
from tests.ui.conftest import type_text

CREDIT17 = "91420222MA4XYW001"
CREDIT = CREDIT17 + credit_check_char(CREDIT17)
PERSON17 = "42022219880808002"
PERSON = PERSON17 + id_check_char(PERSON17)


def _dialog(qtbot, store: Store) -> SettingsDialog:
    dialog = SettingsDialog(store, "unit")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _save(qtbot, dialog: SettingsDialog) -> None:
    button = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _retype(qtbot, dialog: SettingsDialog, key: str, text: str) -> None:
    line = dialog.unit_page.editors[key]
    line.clear()
    type_text(qtbot, line, text)


def _choose(dialog: SettingsDialog, key: str, text: str) -> None:
    combo = dialog.unit_page.editors[key]
    combo.setCurrentIndex(combo.findText(text))


def _check(dialog: SettingsDialog, key: str) -> str:
    label = dialog.unit_page.checks[key]
    return label.text() if label.isVisible() else ""


def test_the_page_shows_the_unit_and_who_creates_its_account(qtbot, demo_store: Store) -> None:
    dialog = _dialog(qtbot, demo_store)
    page = dialog.unit_page
    assert dialog.tabs.tabText(dialog.tabs.currentIndex()) == "单位信息"
    unit = get_unit(demo_store)
    assert page.editors["name"].text() == unit.name
    assert page.editors["kind"].currentText() == unit.kind.label
    assert page.editors["region"].currentText() == unit.region
    assert "校验通过" in _check(dialog, "credit_code")
    assert "账号由<b>黄石市人社局职改部门</b>创建" in page.creator.text()
    # the line follows the kind and region as they are chosen
    _choose(dialog, "kind", "非公企业")
    _choose(dialog, "region", "阳新县")
    assert "阳新县人社局职改部门" in page.creator.text()


def test_a_credit_code_wrong_only_in_its_check_character_warns_and_saves(qtbot, demo_store: Store,
                                                                         tmp_path: Path) -> None:  # fmt: skip
    dialog = _dialog(qtbot, demo_store)
    wrong = CREDIT17 + ("0" if CREDIT[-1] != "0" else "1")
    _retype(qtbot, dialog, "credit_code", wrong)
    assert "校验位不符" in _check(dialog, "credit_code")
    _retype(qtbot, dialog, "name", "黄石市某某改名后的公司")
    _choose(dialog, "kind", "非公企业")
    _choose(dialog, "region", "大冶市")
    _save(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    unit = get_unit(demo_store)
    assert (unit.name, unit.credit_code, unit.region) == ("黄石市某某改名后的公司", wrong, "大冶市")
    # the 开户申请表 is made from the edited unit
    pdf = render_account_form(demo_store, tmp_path / "开户.pdf")
    doc = pdfium.PdfDocument(pdf)
    try:
        text = "".join("".join(p.get_textpage().get_text_range().split()) for p in doc)
    finally:
        doc.close()
    assert "黄石市某某改名后的公司" in text and "大冶市人社局职改部门" in text


def test_a_bad_field_is_named_marked_and_nothing_is_written(qtbot, demo_store: Store) -> None:
    before = demo_store.units()
    threshold = demo_store.get_setting("urgency.urgent_days")
    dialog = _dialog(qtbot, demo_store)
    dialog.editors["urgency.urgent_days"].setValue(threshold + 5)
    _retype(qtbot, dialog, "manager_id_number", PERSON[:-1] + ("0" if PERSON[-1] != "0" else "1"))
    assert "校验位错误" in _check(dialog, "manager_id_number")  # live, before 保存
    dialog.tabs.setCurrentIndex(dialog.page_index["urgency"])
    dialog.editors["urgency.urgent_days"].setFocus()
    _save(qtbot, dialog)
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.tabs.currentIndex() == dialog.page_index["unit"]
    assert "单位信息未保存" in dialog.message.text() and "管理人员证件号码校验位错误" in dialog.message.text()
    assert dialog.focusWidget() is dialog.unit_page.editors["manager_id_number"]
    assert demo_store.units() == before
    assert demo_store.get_setting("urgency.urgent_days") == threshold
    # corrected, it saves
    _retype(qtbot, dialog, "manager_id_number", PERSON)
    assert "校验通过" in _check(dialog, "manager_id_number")
    _save(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert get_unit(demo_store).manager.id_number == PERSON
    assert demo_store.get_setting("urgency.urgent_days") == threshold + 5


def test_registering_the_unit_in_an_empty_store(qtbot, store: Store) -> None:
    dialog = _dialog(qtbot, store)
    page = dialog.unit_page
    assert page.note.isVisible() and "尚未登记单位信息" in page.note.text()
    assert not any(page.checks[k].isVisible() for k in ("name", "manager_name"))  # untouched: no red yet
    _retype(qtbot, dialog, "name", "阳新县某某医院")
    _save(qtbot, dialog)
    assert "请选择单位类型" in dialog.message.text()
    assert "不能为空" in _check(dialog, "manager_name") and "请选择注册地区" in _check(dialog, "region")
    assert store.units() == []
    _retype(qtbot, dialog, "credit_code", CREDIT)
    _choose(dialog, "kind", "县市区属单位")
    _choose(dialog, "region", "阳新县")
    _retype(qtbot, dialog, "manager_name", "刘某")
    _retype(qtbot, dialog, "manager_id_number", PERSON.lower())
    _retype(qtbot, dialog, "manager_phone", "0714-7322222")
    assert "阳新县人社局职改部门" in page.creator.text()
    _save(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    unit = get_unit(store)
    assert (unit.name, unit.kind.label, unit.manager.id_number) == ("阳新县某某医院", "县市区属单位", PERSON)


@pytest.mark.parametrize("page", ["unit", "urgency"])
def test_saving_settings_alone_registers_no_unit(qtbot, store: Store, page: str) -> None:
    dialog = SettingsDialog(store, page)
    qtbot.addWidget(dialog)
    dialog.editors["urgency.critical_days"].setValue(2)
    dialog.save()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert store.units() == [] and store.get_setting("urgency.critical_days") == 2
