"""The applicant's side after a return, and 单位送审: refusal, blank forms, a real scan dropped."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from app.core.models import Slot
from app.core.review import Module, Status
from app.ops.dispatch import UNSTAMPED
from app.scan.verdicts import Verdict
from app.ui.main_window import DISPATCH
from tests.ui.conftest import answer_next_box, shown, type_text


def test_applicant_preview_corrects_only_returned_modules_and_resubmits(window, qtbot) -> None:
    from app.ui.applicant_preview import ApplicantPreviewDialog

    case = next(window.store.case(r.case_id) for r in window.queue.model.rows if r.status is Status.RETURNED)
    dialog = ApplicantPreviewDialog(window.store, case.id, window)
    qtbot.addWidget(dialog)
    assert set(dialog.edit_buttons) == set(case.returned)  # 点击修改 only where returned
    module = next(iter(case.returned))
    correction = dialog.correct(module, case.returned[module])
    if module is Module.BASIC:
        correction.fields["移动电话"].clear()
        type_text(qtbot, correction.fields["移动电话"], "13900001111")
    else:
        model = next(iter(correction.tables.values()))
        row = model.add_row()
        model.setData(model.index(row, 0), "2025")
    correction.accept()
    assert dialog.pending
    # closed before 提交审核: asked first; 取消 keeps the corrections
    dialog.show()
    seen = answer_next_box("取消")
    dialog.reject()
    assert seen == ["已录入的更正还没有“提交审核”。"] and dialog.isVisible() and dialog.pending
    qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    assert dialog.message.kind == "success", dialog.message.text()
    after = window.store.case(case.id)
    assert after.status is Status.PENDING
    assert after.revision == case.revision + 1
    assert window.queue.model.rows[window.queue.model.row_of(case.id)].status is Status.PENDING


def test_send_refusal_names_every_missing_item_person_by_person(window, qtbot) -> None:
    window.tabs.setCurrentIndex(DISPATCH)
    tab = window.dispatch
    assert tab.model.rowCount() >= 2
    assert {tab.model.index(0, c).data() for c in (5, 6, 7)} == {"×"}
    qtbot.mouseClick(tab.send_button, Qt.MouseButton.LeftButton)
    text = tab.message.text()
    assert tab.message.kind == "error"
    for r in tab.model.rows:
        assert f"{r.case.name}：推荐单位公示证明、单位考核表、单位审核意见表未上传" in text
    assert all(window.store.case(r.case.id).status is Status.PASSED for r in tab.model.rows)


def test_send_asks_before_it_sends_and_then_closes_the_cases(window, qtbot) -> None:
    from tests.dispatch.conftest import attach_all

    window.tabs.setCurrentIndex(DISPATCH)
    tab = window.dispatch
    ready, other = (r.case for r in tab.model.rows[:2])
    attach_all(window.store, ready.id)
    tab.reload()
    row = next(i for i, r in enumerate(tab.model.rows) if r.case.id == ready.id)
    tab.view.selectRow(row)
    # cancelled: nothing changes
    qtbot.mouseClick(tab.send_button, Qt.MouseButton.LeftButton)
    box = shown(QMessageBox)
    assert box is not None and ready.name in box.text() and other.name not in box.text()
    assert "不能再更换附件" in box.informativeText()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert shown(QMessageBox) is None and window.store.case(ready.id).status is Status.PASSED
    # confirmed: sent, and it leaves the list
    qtbot.mouseClick(tab.send_button, Qt.MouseButton.LeftButton)
    box = shown(QMessageBox)
    assert box is not None
    box.button(QMessageBox.StandardButton.Yes).click()
    assert window.store.case(ready.id).status is Status.DISPATCHED
    assert tab.message.kind == "success" and "已送审 1 人" in tab.message.text()
    qtbot.waitUntil(lambda: all(r.case.id != ready.id for r in tab.model.rows))
    assert window.store.case(other.id).status is Status.PASSED


def test_send_and_export_name_an_unsigned_page_and_go_on_only_when_confirmed(window, qtbot, tmp_path: Path) -> None:
    from tests.dispatch.conftest import attach_all, form_image

    window.tabs.setCurrentIndex(DISPATCH)
    tab = window.dispatch
    case = tab.model.rows[0].case
    attach_all(window.store, case.id)
    window.store.add_attachment(case.id, Slot.APPRAISAL, form_image(window.store, case.id, Slot.APPRAISAL,
                                case.revision), "png", "考核表.png", "ok", revision=case.revision, stamped=False,
                                stamp_note="未见单位公章")  # fmt: skip
    tab.reload()
    tab.view.selectRow(0)
    assert tab.model.index(0, 6).data() == f"√ {UNSTAMPED}"
    named = f"{case.name}：单位考核表未见单位公章"
    # export: asked first, naming the page; 取消 writes nothing
    out = tmp_path / "pkg"
    tab.export_packages(out)
    box = shown(QMessageBox)
    assert box is not None and named in box.informativeText()
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert not out.exists() and not tab.busy()
    tab.export_packages(out)
    box = shown(QMessageBox)
    assert box is not None and box.button(QMessageBox.StandardButton.Yes).text() == "仍然导出"
    box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: not tab.busy() and (out / "一览表.xlsx").exists(), timeout=60_000)
    assert tab.message.kind in ("success", "warning") and "已导出 1 人" in tab.message.text()
    # 送审: the same page named in the confirmation
    tab.send()
    box = shown(QMessageBox)
    assert box is not None and named in box.informativeText()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert window.store.case(case.id).status is Status.PASSED


def test_a_refusal_for_many_people_is_shortened_on_screen_and_kept_whole(window, qtbot) -> None:
    window.tabs.setCurrentIndex(DISPATCH)
    bar = window.dispatch.message
    names = [f"申报人{i:02d}：推荐单位公示证明、单位考核表、单位审核意见表未上传" for i in range(40)]
    text = "\n".join(["不能送审：", *names, "请上传缺少的附件后再送审"])
    bar.show_message(text, "error")
    shown = bar.label.text().splitlines()
    assert len(shown) == bar.MAX_LINES
    assert shown[1] == names[0] and shown[-1] == "请上传缺少的附件后再送审"
    assert f"另有 {len(names) + 2 - (bar.MAX_LINES - 2) - 1} 行" in shown[-2]
    assert bar.text() == text and bar.label.toolTip() == text
    whole = QLabel(text)
    whole.setWordWrap(True)
    whole.setFont(bar.label.font())
    assert bar.label.heightForWidth(1200) < whole.heightForWidth(1200) / 2


def _scan(path: Path, out: Path, signed: bool = False) -> Path:
    """Print and scan: the rendered PDF page as a grey 150 dpi JPEG; ``signed``: signed, stamped, in colour."""
    import pypdfium2

    from tests.scan import stamps

    pdf = pypdfium2.PdfDocument(str(path))
    try:
        page = pdf[0].render(scale=150 / 72).to_pil().convert("RGB")
    finally:
        pdf.close()
    (stamps.signed(page) if signed else page.convert("L")).save(out, quality=85)
    return out


def test_drop_real_scans_sorts_checks_and_fills_the_slots(window, qtbot, tmp_path: Path) -> None:
    from app.ops import forms as forms_ops

    window.tabs.setCurrentIndex(DISPATCH)
    tab = window.dispatch
    first = tab.model.rows[0].case
    rendered = forms_ops.render_forms(window.store, [first.id], tmp_path / "forms")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    # the 意见表 signed and stamped, the 考核表 scanned as it was printed
    scans = [_scan(f.path, inbox / f"扫描{i}.jpg", f.form == "opinion") for i, f in enumerate(rendered)]
    (inbox / "空白.jpg").write_bytes(b"not an image at all")

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(inbox))])
    args = (QPoint(200, 200), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    # dropped on a label inside the tab ("anywhere on the tab"): Qt passes it up to the tab
    # (offscreen Qt starts no real drag, so the events are sent the way a drag would send them)
    somewhere = tab.findChild(QLabel)
    assert somewhere is not None and not somewhere.acceptDrops()
    enter = QDragEnterEvent(*args)
    QApplication.sendEvent(somewhere, enter)
    assert enter.isAccepted()
    drop = QDropEvent(*args)
    QApplication.sendEvent(somewhere, drop)
    assert drop.isAccepted()
    assert tab.progress.isVisible() or tab.pages.lines
    qtbot.waitUntil(lambda: not tab.busy() and bool(tab.pages.lines), timeout=60_000)
    lines = tab.pages.lines
    assert len(lines) == len(scans) + 1
    stored = [line for line in lines if line.stored]
    assert {line.slot for line in stored} == {Slot.APPRAISAL, Slot.OPINION}
    assert all(line.case_id == first.id for line in stored)
    bad = next(line for line in lines if line.file.name == "空白.jpg")
    assert not bad.stored and bad.result.message and bad.result.fix
    # the selected page's verdict and what to do are shown whole beside the preview
    tab.pages_view.selectRow(lines.index(bad))
    card = tab.page_verdict.text()
    assert bad.result.final.label in card and "待指定" in card and "处理办法" in card
    assert html.escape(bad.fix) in card and "zcws" not in card
    # the table now shows √ for the two forms (the unsigned 考核表 marked), and still × for the 公示证明
    qtbot.waitUntil(lambda: tab.model.rows[0].mark(Slot.OPINION) == "√")
    assert tab.model.index(0, 6).data() == f"√ {UNSTAMPED}" and tab.model.index(0, 7).data() == "√"
    assert "未签字盖章" in tab.model.index(0, 6).data(Qt.ItemDataRole.ToolTipRole)
    assert tab.model.index(0, 5).data() == "×"
    # the preview outlines the QR code of a page that reads, and where the seal and signature were looked for
    row = next(i for i, line in enumerate(lines) if line.stored and line.slot is Slot.OPINION)
    tab.pages_view.selectRow(row)
    qtbot.waitUntil(lambda: tab.preview.pixmap is not None and tab.preview.has_outline())
    assert len(tab.preview.areas) == 2 and tab.preview.stamped is True
    assert "已见单位公章和负责人签字" in tab.page_verdict.text() and "虚线框" in tab.page_verdict.text()
    unsigned = next(i for i, line in enumerate(lines) if line.stored and line.slot is Slot.APPRAISAL)
    tab.pages_view.selectRow(unsigned)
    qtbot.waitUntil(lambda: tab.preview.stamped is False)
    assert "是空白表本身，未签字盖章" in tab.page_verdict.text()
    # 送审 still refuses, now naming only the 公示证明 for this person
    tab.view.selectRow(0)
    tab.send()
    assert f"{first.name}：推荐单位公示证明未上传" in tab.message.text()


def test_a_page_printed_before_the_case_changed_offers_the_current_form(window, qtbot, tmp_path: Path) -> None:
    from datetime import datetime, timedelta

    from app.core.review import ModuleMark, ReviewResult
    from app.ops import cases as case_ops
    from app.ops.forms import render_forms

    store = window.store
    case = store.cases(status=Status.PENDING)[0]
    old = next(f for f in render_forms(store, [case.id], tmp_path / "old") if f.form == "opinion")
    scan = _scan(old.path, tmp_path / "旧表.jpg")
    now = datetime.now()
    case_ops.review_case(
        store, case.id, ReviewResult.RETURN, "请补充", [ModuleMark(Module.STUDY, True, "缺证明")], now=now
    )
    case_ops.resubmit_case(store, case.id, {}, now=now + timedelta(minutes=1))
    case_ops.review_case(store, case.id, ReviewResult.PASS, "同意推荐", now=now + timedelta(minutes=2))
    window.tabs.setCurrentIndex(DISPATCH)
    tab = window.dispatch
    tab.reload()
    tab.check_inbox([scan])
    qtbot.waitUntil(lambda: not tab.busy() and bool(tab.pages.lines), timeout=60_000)
    line = tab.pages.lines[0]
    assert line.result.final is Verdict.STALE and not line.stored
    tab.pages_view.selectRow(0)
    assert tab.rerender_button.isVisibleTo(tab) and "流程信息不匹配" in tab.page_verdict.text()
    # the fix says where the window does it, never a command line
    assert "点“重新生成表格”" in tab.page_verdict.text() and "zcws" not in tab.page_verdict.text()
    qtbot.mouseClick(tab.rerender_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not tab.busy() and "已生成 2 份空白表格" in tab.message.text(), timeout=60_000)
    # this person's two forms in the folder the message names, and the one printed now reads as current
    folder = store.path.parent / "空白表格"
    assert str(folder) in tab.message.text()
    forms = sorted(folder.glob("*.pdf"))
    assert len(forms) == 2 and all(f.name.startswith(f"{case.id:04d}_{case.name}_") for f in forms)
    opinion = next(f for f in forms if "意见表" in f.name)
    tab.check_inbox([_scan(opinion, tmp_path / "新表.jpg")])
    qtbot.waitUntil(
        lambda: not tab.busy() and bool(tab.pages.lines) and not tab.pages.lines[0].checking, timeout=60_000
    )
    assert tab.pages.lines[0].result.final is not Verdict.STALE and store.case(case.id).revision > 1


def _drop(widget, paths: list[Path]) -> bool:
    """Drag and drop local files onto ``widget`` the way Qt delivers it (offscreen Qt starts no real drag)."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    args = (QPoint(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    enter = QDragEnterEvent(*args)
    QApplication.sendEvent(widget, enter)
    drop = QDropEvent(*args)
    QApplication.sendEvent(widget, drop)
    return enter.isAccepted() and drop.isAccepted()


def test_files_dropped_on_another_tab_go_where_they_belong(window, qtbot, tmp_path: Path) -> None:
    from app.ops.forms import render_forms
    from app.ui.dialogs.data import ImportDialog

    # scans dropped on the queue: 单位送审 opens and sorts and checks them
    first = window.store.cases(status=Status.PASSED)[0]
    form = render_forms(window.store, [first.id], tmp_path / "forms")[0]
    scan = _scan(form.path, tmp_path / "扫描.jpg")
    assert _drop(window.queue.view.viewport(), [scan])
    assert window.tabs.currentIndex() == DISPATCH
    tab = window.dispatch
    qtbot.waitUntil(lambda: not tab.busy() and bool(tab.pages.lines), timeout=60_000)
    assert tab.pages.lines[0].stored and tab.pages.lines[0].case_id == first.id
    # a spreadsheet dropped on the queue: the import preview opens, nothing written yet
    window.tabs.setCurrentIndex(0)
    before = len(window.store.cases())
    sheet = tmp_path / "名单.csv"
    sheet.write_text(
        "序号,姓名,证件号码,系列,专业,申报职务\n1,张某某,420202199001010001,工程技术人员,水利水电,工程师\n",
        encoding="utf-8",
    )
    assert _drop(window.queue.view.viewport(), [sheet])
    dialog = window.findChild(ImportDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.addWidget(dialog)
    assert len(window.store.cases()) == before


def test_unplaced_page_is_assigned_by_dropping_it_on_a_slot(window, qtbot, tmp_path: Path) -> None:
    from PIL import Image, ImageDraw

    window.tabs.setCurrentIndex(DISPATCH)
    tab = window.dispatch
    # a 公示证明 made elsewhere: no code of ours
    notice = tmp_path / "公示证明.png"
    image = Image.new("L", (1240, 1754), 255)
    ImageDraw.Draw(image).rectangle((100, 100, 1140, 400), outline=0, width=6)
    image.save(notice)
    tab.check_inbox([notice])
    qtbot.waitUntil(lambda: not tab.busy() and bool(tab.pages.lines), timeout=60_000)
    assert not tab.pages.lines[0].stored
    target = tab.model.rows[1].case
    tab.view.pages_dropped.emit([0], target.id, Slot.PUBLICITY)
    qtbot.waitUntil(lambda: not tab.busy() and tab.pages.lines[0].stored, timeout=60_000)
    assert window.store.attachments(target.id)[0].slot is Slot.PUBLICITY
    qtbot.waitUntil(lambda: tab.model.rows[1].slots.get(Slot.PUBLICITY) is not None)
    assert "公示证明.png" in tab.model.index(1, 5).data(Qt.ItemDataRole.ToolTipRole)


def test_cancel_stops_the_background_check(window, qtbot, tmp_path: Path) -> None:
    from PIL import Image

    inbox = tmp_path / "many"
    inbox.mkdir()
    for i in range(12):
        Image.new("L", (1600, 2200), 255).save(inbox / f"p{i:02d}.png")
    window.tabs.setCurrentIndex(DISPATCH)
    tab = window.dispatch
    tab.check_inbox([inbox])
    assert tab.busy() and tab.progress.isVisible()
    qtbot.mouseClick(tab.progress.cancel_button, Qt.MouseButton.LeftButton)
    assert tab.progress.label.text() == "正在取消…" and not tab.progress.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: not tab.busy(), timeout=60_000)
    assert not tab.progress.isVisible()
    assert tab.message.kind in ("warning", "success")
