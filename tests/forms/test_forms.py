"""The printed forms: every demo form read back by zxing-cpp at 300, 150 and 100 DPI."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import zxingcpp
from PIL import Image, ImageDraw

from app.core.errors import RuleError, UsageError
from app.core.payload import Failure, FormKind, decode
from app.core.review import Status
from app.forms import COMBINED_NAME, QR_BOX_MM, render_form_pdf
from app.forms.draw import QR_QUIET_MODULES, qr_matrix
from app.ops.cases import resubmit_case, review_case
from app.ops.forms import RenderedForm, render_forms
from app.store import Store

TODAY = date(2025, 10, 20)


def _read(pdf: Path, dpi: int) -> list[list[str]]:
    """The QR texts of every page of ``pdf`` rasterized at ``dpi``, as a plain reader sees them."""
    out = []
    doc = pdfium.PdfDocument(pdf)
    try:
        for page in doc:
            image = page.render(scale=dpi / 72, grayscale=True).to_pil()
            out.append([r.text for r in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)])
    finally:
        doc.close()
    return out


def _page_text(pdf: Path) -> str:
    doc = pdfium.PdfDocument(pdf)
    try:
        return "".join(page.get_textpage().get_text_range() for page in doc)
    finally:
        doc.close()


def _printable_cases(store: Store) -> list[int]:
    return [c.id for c in store.cases() if c.status not in (Status.UNQUALIFIED, Status.TERMINATED)]


def test_every_demo_form_reads_back_at_300_150_and_100_dpi(demo_store: Store, tmp_path: Path, caplog) -> None:
    ids = _printable_cases(demo_store)
    with caplog.at_level(logging.WARNING):
        rendered = render_forms(demo_store, ids, tmp_path / "out", today=TODAY)
    assert not [r for r in caplog.records if "glyph" in r.getMessage()], "a character of a form is not in the font"
    assert len(rendered) == 2 * len(ids)
    secret = demo_store.secret
    for r in rendered:
        case = demo_store.case(r.case_id)
        assert r.revision == case.revision
        for dpi in (300, 150, 100):
            (texts,) = _read(r.path, dpi)
            assert len(texts) == 1, (r.path, dpi)
            decoded = decode(secret, texts[0], revision_of=lambda i: demo_store.case(i).revision)
            assert decoded.ok, (r.path, dpi, decoded.message)
            assert decoded.payload is not None
            assert (decoded.payload.case_id, decoded.payload.kind, decoded.payload.revision) == (
                r.case_id, r.form, case.revision)  # fmt: skip
            assert decoded.payload.printed_on == TODAY


def test_form_shows_the_case_with_a_masked_id_and_the_boxes_of_the_guide(demo_store: Store, tmp_path: Path) -> None:
    case = demo_store.cases(status=Status.PASSED)[0]
    opinion = _page_text(render_form_pdf(demo_store, case.id, FormKind.OPINION, tmp_path, today=TODAY))
    appraisal = _page_text(render_form_pdf(demo_store, case.id, FormKind.APPRAISAL, tmp_path, today=TODAY))
    for text in (opinion, appraisal):
        assert case.name in text and case.specialty in text and case.series in text and case.unit_name in text
        assert case.id_number[:6] + "********" + case.id_number[-4:] in text
        assert case.id_number not in text
        assert "负责人" in text and "公章" in text
        assert f"办件 {case.id}" in text and "2025-10-20" in text
    assert "单位审核意见表" in opinion and "基层单位推荐意见" in "".join(opinion.split())
    assert "考核表" in appraisal and "年度及任职期满考核结果" in "".join(appraisal.split())
    for grade in ("优秀", "合格", "基本合格", "不合格"):
        assert grade in appraisal


def test_font_is_embedded_as_a_small_subset(demo_store: Store, tmp_path: Path) -> None:
    case = demo_store.cases(status=Status.PASSED)[0]
    path = render_form_pdf(demo_store, case.id, FormKind.OPINION, tmp_path / "form.pdf", today=TODAY)
    data = path.read_bytes()
    assert b"/FontFile2" in data
    assert len(data) < 150_000


def test_qr_sits_in_its_documented_box_with_modules_of_at_least_0_8_mm(demo_store: Store, tmp_path: Path) -> None:
    case = demo_store.cases(status=Status.PASSED)[0]
    path = render_form_pdf(demo_store, case.id, FormKind.APPRAISAL, tmp_path, today=TODAY)
    x, y, size = QR_BOX_MM
    dpi = 150
    doc = pdfium.PdfDocument(path)
    image = doc[0].render(scale=dpi / 72, grayscale=True).to_pil()
    doc.close()
    px = dpi / 25.4
    crop = image.crop((int(x * px), int(y * px), int((x + size) * px), int((y + size) * px)))
    (found,) = zxingcpp.read_barcodes(crop, formats=zxingcpp.BarcodeFormat.QRCode)
    n = len(qr_matrix(found.text))
    assert n == 29  # version 3
    assert size / (n + 2 * QR_QUIET_MODULES) >= 0.8


def test_a_red_seal_over_part_of_the_code_still_reads_at_150_dpi(demo_store: Store, tmp_path: Path) -> None:
    case = demo_store.cases(status=Status.PASSED)[0]
    path = render_form_pdf(demo_store, case.id, FormKind.OPINION, tmp_path, today=TODAY)
    dpi = 150
    doc = pdfium.PdfDocument(path)
    page = doc[0].render(scale=dpi / 72).to_pil().convert("RGB")
    doc.close()
    px = dpi / 25.4
    x, y, size = QR_BOX_MM
    # a seal's ring and star in translucent red over the lower-left corner of the code
    seal = Image.new("RGBA", page.size, (0, 0, 0, 0))
    pen = ImageDraw.Draw(seal)
    cx, cy, r = (x + 2) * px, (y + size - 2) * px, 14 * px
    pen.ellipse((cx - r, cy - r, cx + r, cy + r), outline=(220, 30, 30, 200), width=int(1.2 * px))
    pen.text((cx - 4 * px, cy - 2 * px), "★", fill=(220, 30, 30, 200))
    stamped = Image.alpha_composite(page.convert("RGBA"), seal).convert("RGB")
    found = zxingcpp.read_barcodes(stamped, formats=zxingcpp.BarcodeFormat.QRCode)
    assert [decode(demo_store.secret, f.text).ok for f in found] == [True]


def test_batch_of_all_passed_cases_is_recorded_and_named_safely(demo_store: Store, tmp_path: Path) -> None:
    passed = [c.id for c in demo_store.cases(status=Status.PASSED)]
    rendered = render_forms(demo_store, None, tmp_path, today=TODAY)
    assert sorted({r.case_id for r in rendered}) == sorted(passed)
    printed = demo_store.query("SELECT case_id, form, revision, printed_on FROM printed_forms ORDER BY id")
    assert [(p["case_id"], p["form"], p["revision"]) for p in printed] == [
        (r.case_id, r.form.value, r.revision) for r in rendered
    ]
    assert {p["printed_on"] for p in printed} == {"2025-10-20"}
    for r in rendered:
        assert r.path.parent == tmp_path and r.path.suffix == ".pdf"
        assert demo_store.case(r.case_id).name in r.path.name
        assert r.to_json() == {"case_id": r.case_id, "form": r.form.value, "path": str(r.path), "revision": r.revision}
    assert not list(tmp_path.glob("*.tmp")) and not list(tmp_path.glob(".*"))


def test_combined_pdf_puts_every_form_on_its_own_sheet(demo_store: Store, tmp_path: Path) -> None:
    ids = [c.id for c in demo_store.cases(status=Status.PASSED)][:3]
    rendered = render_forms(demo_store, ids, tmp_path, combined=True, today=TODAY)
    pages = _read(tmp_path / COMBINED_NAME, 100)
    assert len(pages) == 2 * len(rendered)
    fronts = [decode(demo_store.secret, p[0]).payload for p in pages[0::2]]
    assert [(f.case_id, f.kind) for f in fronts if f] == [(r.case_id, r.form) for r in rendered]
    assert all(p == [] for p in pages[1::2])


def test_a_form_printed_before_a_return_is_stale_afterwards(demo_store: Store, tmp_path: Path) -> None:
    case = demo_store.cases(status=Status.PENDING)[0]
    (old,) = render_forms(demo_store, [case.id], tmp_path / "old", kinds=(FormKind.OPINION,), today=TODAY)
    from app.core.review import Module, ModuleMark, ReviewResult

    review_case(demo_store, case.id, ReviewResult.RETURN, "请补充", [ModuleMark(Module.BASIC, True, "电话有误")])
    resubmit_case(demo_store, case.id, {"移动电话": "13900000000"})
    (new,) = render_forms(demo_store, [case.id], tmp_path / "new", kinds=(FormKind.OPINION,), today=TODAY)
    assert new.revision == old.revision + 1
    current = demo_store.case(case.id).revision
    (old_texts,) = _read(old.path, 150)
    stale = decode(demo_store.secret, old_texts[0], revision_of=lambda i: current)
    assert stale.failure is Failure.STALE and "流程信息不匹配" in stale.message
    (new_texts,) = _read(new.path, 150)
    assert decode(demo_store.secret, new_texts[0], revision_of=lambda i: current).ok


def test_refuses_terminated_and_unknown_cases_and_writes_nothing(demo_store: Store, tmp_path: Path) -> None:
    ended = [c for c in demo_store.cases() if c.status in (Status.TERMINATED, Status.UNQUALIFIED)]
    passed = demo_store.cases(status=Status.PASSED)[0]
    with pytest.raises(RuleError, match=ended[0].name):
        render_forms(demo_store, [passed.id, ended[0].id], tmp_path / "x")
    assert not (tmp_path / "x").exists()
    with pytest.raises(UsageError):
        render_forms(demo_store, [passed.id], tmp_path, kinds=(FormKind.PUBLICITY,))


def test_rendered_form_is_a_frozen_value(tmp_path: Path) -> None:
    r = RenderedForm(1, FormKind.OPINION, tmp_path / "a.pdf", 2)
    with pytest.raises(AttributeError):
        r.revision = 3  # type: ignore[misc]
    assert r.to_json()["form"] == "opinion"
