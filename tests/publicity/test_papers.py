"""The notice and the 推荐单位公示证明 as PDFs, and the certificate's QR code read back as a scanner would."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import zxingcpp

from app.core.errors import RuleError, UsageError
from app.core.models import Slot
from app.core.payload import FormKind, decode
from app.ops import publicity as ops
from tests.publicity.conftest import Setup


def _text(path: Path) -> list[str]:
    pdf = pdfium.PdfDocument(path)
    try:
        return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    finally:
        pdf.close()


def _codes(path: Path, dpi: int = 150) -> list[list[str]]:
    """The QR texts zxing-cpp reads on each page rasterized at ``dpi``."""
    pdf = pdfium.PdfDocument(path)
    try:
        out = []
        for i in range(len(pdf)):
            image = pdf[i].render(scale=dpi / 72).to_pil()
            out.append([r.text for r in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)])
        return out
    finally:
        pdf.close()


@pytest.fixture
def held(setup: Setup) -> int:
    """王建国 and 李芳 published from Monday 29 September 2025 over the National Day week."""
    return ops.create_publicity(setup.store, setup.cases[:2], date(2025, 9, 29), "单位公示栏").publicity.id


def test_the_notice_lists_the_applicants_the_period_and_whom_to_tell(setup: Setup, held: int, tmp_path: Path) -> None:
    path = ops.render_notice(setup.store, held, tmp_path / "公示.pdf")
    (page,) = _text(path)
    flat = page.replace("\r", "").replace("\n", "")
    for expected in ("2025年度职称评审申报人员公示", "人力资源社会保障部令第40号", "现工作单位/部门", "申报职务/资格",
                     "王建国", "李芳", "工程管理部", "市政工程", "2025年9月29日至2025年10月11日（共5个工作日）",
                     "公示地点：单位公示栏", "陈晓燕 13872000000"):  # fmt: skip
        assert expected in flat, expected
    assert _codes(path) == [[]]  # the posted notice carries no code


def test_a_long_notice_runs_over_pages_with_the_header_again(setup: Setup, tmp_path: Path) -> None:
    from app.forms import publicity as form

    rows = [form.NoticeRow(f"申报人{i}", "黄石市某单位", "工程技术人员", "市政工程", "工程师") for i in range(60)]
    notice = form.Notice("黄石市某单位", "", rows, date(2025, 11, 3), date(2025, 11, 7), 5, "内网", "人事部 0714-1")
    path = tmp_path / "long.pdf"
    path.write_bytes(form.notice_pdf(notice))
    pages = _text(path)
    assert len(pages) == 3
    assert all("申报专业" in p for p in pages[:2]) and "申报人59" in pages[-1] and "人事部 0714-1" in pages[-1]


def test_certificates_wait_for_the_end_of_the_period(setup: Setup, held: int, tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pytest.raises(RuleError, match="尚未结束，还不能出具公示证明"):
        ops.render_certificates(setup.store, held, out, today=date(2025, 10, 11))
    with pytest.raises(UsageError, match="不在公示"):
        ops.render_certificates(setup.store, held, out, [setup.cases[2]], today=date(2025, 10, 13))
    assert not out.exists()


def test_certificate_per_case_and_for_the_batch_with_objections(setup: Setup, held: int, tmp_path: Path) -> None:
    s, (a, b, *_) = setup.store, setup.cases
    ops.record_objections(s, held, [b], "收到实名异议一件，经核实不属实，已书面答复反映人")
    files = ops.render_certificates(s, held, tmp_path, today=date(2025, 10, 13))
    assert [f.case_ids for f in files] == [[a], [b], [a, b]]
    assert [f.path.name for f in files] == ["推荐单位公示证明_王建国_1.pdf", "推荐单位公示证明_李芳_2.pdf",
                                            f"推荐单位公示证明_公示{held}_全部2人.pdf"]  # fmt: skip
    first, second = (p.replace("\r", "").replace("\n", "") for p in _text(files[2].path))
    assert "王建国" in first and "公示期间无异议" in first and "单位负责人（签字）" in first
    assert "收到实名异议一件，经核实不属实，已书面答复反映人" in second and "公示期间无异议" not in second
    assert "2025年9月29日至2025年10月11日（共5个工作日）" in second and "单位公示栏" in second
    printed = s.query("SELECT case_id, form, printed_on FROM printed_forms ORDER BY case_id")
    assert printed == [{"case_id": a, "form": "publicity", "printed_on": "2025-10-13"},
                       {"case_id": b, "form": "publicity", "printed_on": "2025-10-13"}]  # fmt: skip


def test_the_certificates_code_reads_back_to_its_case_and_the_publicity_slot(
    setup: Setup, held: int, tmp_path: Path
) -> None:
    s, (a, b, *_) = setup.store, setup.cases
    files = ops.render_certificates(s, held, tmp_path, objections="", today=date(2025, 10, 13))
    batch = _codes(files[-1].path, dpi=150)
    assert [len(texts) for texts in batch] == [1, 1]
    decoded = [decode(s.secret, texts[0]) for texts in batch]
    assert all(d.ok for d in decoded), [d.message for d in decoded]
    assert [(d.payload.case_id, d.payload.kind) for d in decoded] == [(a, FormKind.PUBLICITY), (b, FormKind.PUBLICITY)]
    assert decoded[0].payload.revision == s.case(a).revision
    assert decoded[0].payload.printed_on == date(2025, 10, 13)
    assert Slot(decoded[0].payload.kind.value) is Slot.PUBLICITY
    # another store's secret does not recognise it: a made-elsewhere code is not ours
    assert not decode(b"another store" * 3, batch[0][0]).ok


def test_a_name_windows_refuses_still_makes_a_file(setup: Setup, tmp_path: Path) -> None:
    s = setup.store
    s.update_case(setup.cases[2], name='张/伟:"CON"')
    v = ops.create_publicity(s, [setup.cases[2]], date(2025, 11, 3), "单位公示栏").publicity
    (f,) = ops.render_certificates(s, v.id, tmp_path, today=date(2025, 11, 10))
    assert f.path.parent == tmp_path and f.path.exists()
    assert not set('/:"') & set(f.path.name)


def test_a_scanned_stack_of_certificates_sorts_itself_into_the_publicity_slots(
    setup: Setup, held: int, tmp_path: Path
) -> None:
    from app.ops.dispatch import dispatch_rows
    from app.ops.scan import sort_inbox

    s, (a, b, *_) = setup.store, setup.cases
    files = ops.render_certificates(s, held, tmp_path / "printed", today=date(2025, 10, 13))
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    pdf = pdfium.PdfDocument(files[-1].path)
    try:  # the stamped stack comes back from the scanner as one image per page, 150 DPI
        for i in range(len(pdf)):
            pdf[i].render(scale=150 / 72).to_pil().convert("L").save(inbox / f"scan{i + 1}.png")
    finally:
        pdf.close()
    result = sort_inbox(s, [inbox], apply=True, workers=1)
    assert result.unplaced == []
    assert sorted((p.case_id, p.slot, p.stored) for p in result.placed) == [
        (a, Slot.PUBLICITY, True),
        (b, Slot.PUBLICITY, True),
    ]
    rows = {r.case.id: r for r in dispatch_rows(s, [a, b], today=date(2025, 10, 13))}
    assert rows[a].mark(Slot.PUBLICITY) == "√" and rows[b].mark(Slot.PUBLICITY) == "√"
