"""导入办件 in the window: the officer picks the 评审计划 when the sheet does not say it."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from app.core.ids import id_check_char
from app.store import Store


def _sheet(path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8-sig") as fh:
        w = csv.writer(fh)
        w.writerow(["序号", "姓名", "证件号码", "系列", "专业", "申报职务"])
        for i, (name, first17) in enumerate((("张某某", "42020219900101000"), ("李某", "42020219850505123")), 1):
            w.writerow([i, name, first17 + id_check_char(first17), "工程技术人员", "水利水电", "工程师"])
    return path


def test_choosing_a_plan_turns_the_rows_importable(qtbot, window, demo_store: Store, tmp_path: Path) -> None:
    from app.ui.dialogs.data import ImportDialog

    before = len(demo_store.cases())
    dialog = ImportDialog.start(demo_store, window, _sheet(tmp_path / "名单.csv"))
    assert dialog is not None
    qtbot.addWidget(dialog)
    # three open plans of 工程技术人员: the sheet alone cannot say which
    assert not dialog.import_button.isEnabled() and len(dialog.preview.bad_rows) == 2
    assert "导入窗口上方选择" in dialog.preview.bad_rows[0].reason
    plan = next(p for p in demo_store.plans() if p.series == "工程技术人员" and "2025" in p.title)
    dialog.plan.setCurrentIndex(dialog.plan.findData(plan.id))
    assert dialog.import_button.isEnabled() and dialog.import_button.text() == "导入 2 人"
    assert {r.plan_id for r in dialog.preview.rows} == {plan.id}
    dialog.import_button.click()
    assert len(demo_store.cases()) == before + 2
    assert {c.plan_id for c in demo_store.cases(search="张某某")} == {plan.id}


@pytest.mark.parametrize("suffix", [".csv", ".xls"])
def test_the_portals_five_column_list_dropped_on_the_window_imports(
    qtbot, window, demo_store: Store, tmp_path, suffix: str
) -> None:
    """The list as the portal shows it (序号, 姓名, 证件号码, 系列, 专业), dropped on the queue: as a CSV, or as an
    Excel 97–2003 workbook."""
    from app.ui.dialogs.data import ImportDialog
    from tests.ui.test_dispatch_and_preview import _drop

    sheet = tmp_path / f"待审核名单{suffix}"
    first17 = "42020219900101000"
    rows = [
        ["序号", "姓名", "证件号码", "系列", "专业"],
        [1, "张某某", first17 + id_check_char(first17), "工程技术人员", "水利水电"],
    ]
    if suffix == ".csv":
        with sheet.open("w", newline="", encoding="utf-8-sig") as fh:
            csv.writer(fh).writerows(rows)
    else:
        import xlwt

        book = xlwt.Workbook(encoding="utf-8")
        page = book.add_sheet("名单")
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                page.write(r, c, value)
        book.save(str(sheet))
    assert _drop(window.queue.view.viewport(), [sheet])
    dialog = window.findChild(ImportDialog)
    qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible())
    plan = next(p for p in demo_store.plans() if p.series == "工程技术人员" and "2025" in p.title)
    dialog.plan.setCurrentIndex(dialog.plan.findData(plan.id))
    assert "其中 1 人未填申报职务" in dialog.intro.text()
    assert dialog.import_button.text() == "导入 1 人"
    dialog.import_button.click()
    (case,) = demo_store.cases(search="张某某")
    assert case.position == "" and case.plan_id == plan.id
    assert "张某某" in [r.name for r in window.queue.model.rows]
