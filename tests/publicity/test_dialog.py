"""The 公示 dialog, clicked as the officer would."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialog, QFileDialog

from app.ops import publicity as ops
from app.ui.dialogs.publicity import PublicityDialog, _pydate
from tests.publicity.conftest import Setup


@pytest.fixture
def dialog(qtbot, setup: Setup) -> PublicityDialog:
    d = PublicityDialog(setup.store, setup.cases[:2])
    qtbot.addWidget(d)
    d.show()
    return d


def _names(d: PublicityDialog) -> list[str]:
    return [c.name for c in d.model.cases]


def test_lists_the_given_cases_checked_and_the_other_publishable_ones(dialog: PublicityDialog, qtmodeltester) -> None:
    qtmodeltester.check(dialog.model)
    # 赵敏 was returned for changes, 刘洋 is in another plan: neither is offered
    assert _names(dialog) == ["王建国", "李芳", "张伟"]
    assert [c.name for c in dialog.model.cases if c.id in dialog.model.checked] == ["王建国", "李芳"]
    assert dialog.contact.text() == "陈晓燕 13872000000"
    assert not dialog.notice_button.isEnabled() and not dialog.certificate_button.isEnabled()


def test_people_of_several_plans_are_not_all_checked_at_once(qtbot, setup: Setup) -> None:
    # the dispatch list holds everyone passed: 王建国, 李芳, 张伟 of one plan, 刘洋 of another
    d = PublicityDialog(setup.store, [*setup.cases[:3], setup.other_plan_case])
    qtbot.addWidget(d)
    d.show()
    assert [c.name for c in d.model.cases if c.id in d.model.checked] == ["王建国", "李芳", "张伟"]
    assert "2 个评审计划" in d.bar.text() and "另行公示" in d.bar.text()


def test_the_end_follows_the_start_over_the_national_day_week(dialog: PublicityDialog) -> None:
    dialog.start.setDate(QDate(2025, 9, 29))
    assert dialog.end.date() == QDate(2025, 10, 11)
    text = dialog.period_label.text()
    assert "共 5 个工作日" in text and "国庆节、中秋节假期 10月1日—10月8日" in text and "调休上班 10月11日" in text
    dialog.end.setDate(QDate(2025, 10, 10))
    assert "不足 5 个工作日，至少应到 2025-10-11" in dialog.period_label.text()
    assert dialog.create_button.isEnabled()  # a shorter period may be recorded; 送审 will warn


def test_a_year_the_calendar_does_not_know_is_said_and_blocks_creating(dialog: PublicityDialog) -> None:
    dialog.start.setDate(QDate(2031, 3, 3))
    assert "只收录了" in dialog.period_label.text() and "设置 → 节假日安排" in dialog.period_label.text()
    assert not dialog.create_button.isEnabled()


def test_a_year_entered_in_the_settings_opens_the_publicity(qtbot, setup: Setup) -> None:
    from app.core.workdays import LIBRARY
    from app.ui.dialogs.settings import SettingsDialog

    nxt = LIBRARY.covered_years()[1] + 1
    d = PublicityDialog(setup.store, setup.cases[:2])
    qtbot.addWidget(d)
    d.show()
    d.start.setDate(QDate(nxt, 2, 4))
    assert not d.create_button.isEnabled() and d.calendar_button.isVisible()
    qtbot.mouseClick(d.calendar_button, Qt.MouseButton.LeftButton)  # the settings open on 节假日安排
    settings = d.calendar_dialog
    assert isinstance(settings, SettingsDialog) and settings.isVisible()
    editor = settings.editors["calendar.entered"]
    assert settings.tabs.currentWidget().isAncestorOf(editor)
    editor.setPlainText(f"{nxt}-02-06 至 {nxt}-02-31 春节")  # a typo: named, nothing saved
    settings.save()
    assert "不存在" in settings.message.text() and setup.store.get_setting("calendar.entered") == ""
    editor.setPlainText(f"{nxt}-01-01 元旦\n{nxt}-02-06 至 {nxt}-02-13 春节\n{nxt}-02-14 上班")
    settings.save()
    assert settings.result() == QDialog.DialogCode.Accepted
    # counted again at once: the publicity can be created
    assert not d.calendar_button.isVisible()
    assert "春节假期 2月6日—2月13日" in d.period_label.text() and d.create_button.isEnabled()
    assert ops.calendar(setup.store).workdays_between(_pydate(d.start.date()), _pydate(d.end.date())) == 5


def test_create_then_render_the_notice_and_the_certificates(
    qtbot,
    dialog: PublicityDialog,
    setup: Setup,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("app.ops.cases.today", lambda: date(2025, 10, 20))
    dialog.start.setDate(QDate(2025, 9, 29))
    # tick 张伟 too
    index = dialog.model.index(2, 0)
    assert dialog.model.setData(index, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    dialog.place.setCurrentText("单位内网")
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "已建立公示" in dialog.bar.text(), timeout=10_000)
    assert dialog.bar.text() == "已建立公示 1：王建国、李芳、张伟，公示期 2025-09-29 至 2025-10-11（5 个工作日）"
    (v,) = ops.list_publicities(setup.store)
    assert v.publicity.place == "单位内网" and v.publicity.end == date(2025, 10, 11)
    assert dialog.selected_publicity() == v.id
    assert dialog.notice_button.isEnabled() and not dialog.create_button.isEnabled()
    assert dialog.model.index(2, 5).data() == "2025-09-29 至 2025-10-11"

    notice = tmp_path / "公示通知.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(notice), "PDF 文件 (*.pdf)"))
    qtbot.mouseClick(dialog.notice_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "已生成公示通知" in dialog.bar.text(), timeout=10_000)
    assert notice.read_bytes().startswith(b"%PDF")

    # certificates for 李芳 alone, with the objection and how it was handled
    dialog.model.set_checked({setup.cases[1]})
    dialog.objections.setText("收到异议一件，经核实不属实，已答复")
    folder = tmp_path / "证明"
    folder.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    qtbot.mouseClick(dialog.certificate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "已生成推荐单位公示证明" in dialog.bar.text(), timeout=10_000)
    assert [p.name for p in sorted(folder.iterdir())] == ["推荐单位公示证明_李芳_2.pdf"]
    assert ops.get_publicity(setup.store, v.id).objection(setup.cases[1]) == "收到异议一件，经核实不属实，已答复"


def test_reopening_shows_an_existing_publicity_and_says_when_certificates_are_too_early(
    qtbot,
    setup: Setup,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("app.ops.cases.today", lambda: date(2025, 10, 9))
    ops.create_publicity(setup.store, setup.cases[:1], date(2025, 9, 29), "单位公示栏")
    d = PublicityDialog(setup.store, setup.cases[:1])
    qtbot.addWidget(d)
    d.show()
    assert d.existing.count() == 2 and "公示中" in d.existing.itemText(1)
    d.existing.setCurrentIndex(1)
    assert d.start.date() == QDate(2025, 9, 29) and d.end.date() == QDate(2025, 10, 11)
    assert not d.start.isEnabled() and d.certificate_button.isEnabled()
    d.render_certificates(tmp_path)
    qtbot.waitUntil(lambda: d.bar.text() != "", timeout=10_000)
    assert d.bar.kind == "error" and "尚未结束，还不能出具公示证明" in d.bar.text()
    assert not list(tmp_path.glob("*.pdf"))


def test_the_peoples_columns_fit_until_dragged_then_come_back_next_time(qtbot, setup: Setup) -> None:
    first = PublicityDialog(setup.store, setup.cases[:2])
    qtbot.addWidget(first)
    first.show()
    header = first.table.horizontalHeader()
    fitted = first.table.columnWidth(0)
    assert fitted >= first.table.sizeHintForColumn(0)  # every name shown whole
    header.resizeSection(0, fitted + 50)  # as a drag does
    first.reject()
    again = PublicityDialog(setup.store, setup.cases[:2])
    qtbot.addWidget(again)
    again.show()
    assert again.table.columnWidth(0) == fitted + 50
