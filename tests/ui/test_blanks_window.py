"""The portal's blanks in the window: dropped, assigned where unsure, shown per slot, printed, scans checked."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtCore import Qt

from app.core.models import Slot
from app.core.review import Status
from app.forms.portal import PortalPage, demo_code, portal_pdf
from app.ui.dialogs.blanks import AssignBlanksDialog
from app.ui.main_window import DISPATCH
from app.ui.models.dispatch import COL_BLANKS
from tests.scan.scans import jpeg, rasterize
from tests.ui.conftest import shown
from tests.ui.test_dispatch_and_preview import _drop


def _printed(tab) -> Path | None:
    """The PDF that 打印系统空白表 made, once the message names it (in the 打印 folder beside the store)."""
    if tab.busy() or "合成一个 PDF" not in tab.message.text():
        return None
    pdfs = list((tab.store.path.parent / "打印").glob("系统空白表-*.pdf"))
    assert len(pdfs) == 1 and str(pdfs[0]) in tab.message.text()
    return pdfs[0]


def test_downloads_dropped_are_brought_in_unsure_ones_asked_then_printed_and_scans_checked(
    window, qtbot, tmp_path: Path
) -> None:
    store = window.store
    a, b = store.cases(status=Status.PASSED)[:2]
    sure = tmp_path / "考核表.pdf"
    sure.write_bytes(portal_pdf([PortalPage(Slot.APPRAISAL, demo_code(), a.name, a.id_number)]))
    unsure = tmp_path / "单位审核意见表(2).pdf"
    unsure.write_bytes(portal_pdf([PortalPage(Slot.OPINION, demo_code())], text_layer=False))
    assert _drop(window.queue.view.viewport(), [sure, unsure])
    assert window.tabs.currentIndex() == DISPATCH
    tab = window.dispatch
    assert window.minimumSizeHint().width() <= 1024  # the buttons still fit a 1024-pixel screen
    qtbot.waitUntil(lambda: shown(AssignBlanksDialog) is not None, timeout=60_000)
    assert store.current_blank(a.id, Slot.APPRAISAL) is not None
    dialog = shown(AssignBlanksDialog)
    assert dialog is not None
    assert dialog.slot_box.currentData() == Slot.OPINION.value  # the guess from the file name, preselected
    assert dialog.image.pixmap() is not None and not dialog.image.pixmap().isNull()  # the page is shown
    dialog.case_box.setCurrentIndex(dialog.case_box.findData(b.id))
    qtbot.mouseClick(dialog.keep_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not tab.busy() and store.current_blank(b.id, Slot.OPINION) is not None, timeout=30_000)

    row = next(i for i, r in enumerate(tab.model.rows) if r.case.id == a.id)
    came = store.current_blank(a.id, Slot.APPRAISAL).came_at  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: tab.model.index(row, COL_BLANKS).data().startswith(f"考核表 {came:%m-%d}"))
    assert "意见表 未导入" in tab.model.index(row, COL_BLANKS).data()

    tab.view.clearSelection()
    qtbot.mouseClick(tab.print_blanks_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _printed(tab) is not None, timeout=30_000)
    assert len(pdfium.PdfDocument(_printed(tab))) >= 2

    scan = tmp_path / "scans" / "扫描.jpg"
    scan.parent.mkdir()
    scan.write_bytes(jpeg(rasterize(sure, 200), 85))
    assert _drop(tab, [scan.parent])
    qtbot.waitUntil(lambda: not tab.busy() and bool(tab.pages.lines), timeout=60_000)
    line = tab.pages.lines[0]
    assert line.stored and line.case_id == a.id and line.slot is Slot.APPRAISAL, line.message


def test_a_download_dropped_on_a_form_cell_is_that_persons_blank(window, qtbot, tmp_path: Path) -> None:
    store = window.store
    case = store.cases(status=Status.PASSED)[0]
    bare = tmp_path / "考核表(7).pdf"
    bare.write_bytes(portal_pdf([PortalPage(Slot.APPRAISAL, demo_code())], text_layer=False))
    window.tabs.setCurrentIndex(DISPATCH)
    tab = window.dispatch
    tab.ensure_loaded()
    tab.view.files_dropped.emit([bare], case.id, Slot.APPRAISAL)
    qtbot.waitUntil(lambda: not tab.busy() and store.current_blank(case.id, Slot.APPRAISAL) is not None, timeout=30_000)
    assert not store.attachments(case.id)  # a blank, not a scan: nothing goes up from it


def test_a_scan_of_a_superseded_blank_offers_the_newer_download_to_print(window, qtbot, tmp_path: Path) -> None:
    from app.ops.blanks import import_blanks

    store = window.store
    case = store.cases(status=Status.PASSED)[0]
    old, new = tmp_path / "考核表.pdf", tmp_path / "考核表(1).pdf"
    for path in (old, new):
        path.write_bytes(portal_pdf([PortalPage(Slot.APPRAISAL, demo_code(), case.name, case.id_number)]))
        import_blanks(store, [path])
    scans = tmp_path / "scans"
    scans.mkdir()
    (scans / "旧表.jpg").write_bytes(jpeg(rasterize(old, 200), 85))
    window.tabs.setCurrentIndex(DISPATCH)
    tab = window.dispatch
    assert _drop(tab, [scans])
    qtbot.waitUntil(lambda: not tab.busy() and bool(tab.pages.lines), timeout=60_000)
    tab.pages_view.selectRow(0)
    assert "又下载了新表" in tab.pages.lines[0].message and not tab.pages.lines[0].stored
    assert tab.rerender_button.isVisible() and tab.rerender_button.text() == "打印新下载的表"
    qtbot.mouseClick(tab.rerender_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _printed(tab) is not None, timeout=30_000)
    assert len(pdfium.PdfDocument(_printed(tab))) == 1


def test_a_zip_of_downloads_dropped_on_the_tab_is_brought_in(window, qtbot, tmp_path: Path) -> None:
    import zipfile

    store = window.store
    people = store.cases(status=Status.PASSED)[:3]
    archive = tmp_path / "下载.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for i, c in enumerate(people):
            page = PortalPage(Slot.OPINION, demo_code(), c.name, c.id_number)
            zf.writestr("单位审核意见表.pdf" if i == 0 else f"单位审核意见表({i}).pdf", portal_pdf([page]))
    window.tabs.setCurrentIndex(DISPATCH)
    tab = window.dispatch
    assert _drop(tab, [archive])
    qtbot.waitUntil(lambda: not tab.busy() and "已导入 3 张系统空白表" in tab.message.text(), timeout=60_000)
    assert all(store.current_blank(c.id, Slot.OPINION) for c in people) and shown(AssignBlanksDialog) is None
