"""The whole officer's path on demo data, through the public ops only.

Review a pending case to pass → render its forms → print, sign, stamp and scan them
(200 DPI raster, the signature and seal where they go, a red seal over part of the code, JPEG) together with its
推荐单位公示证明 as one scanner PDF → sort the stack → 单位送审 shows √√√ →
export the 送审包 and read every image back strictly → 送审. Then a return and
resubmission after printing: the old scan is ``stale`` and says when it was
printed and what changed; forms rendered again are ``ok``.
"""

from __future__ import annotations

import io
import math
from datetime import date, datetime, timedelta
from pathlib import Path

import pypdfium2 as pdfium
import zxingcpp
from PIL import Image, ImageChops, ImageDraw

from app.core import payload as qr
from app.core.models import Slot
from app.core.payload import FormKind
from app.core.review import Module, ModuleMark, ReviewResult, Status
from app.forms import QR_BOX_MM
from app.ops import cases as case_ops
from app.ops import data as data_ops
from app.ops import dispatch as dispatch_ops
from app.ops import publicity as publicity_ops
from app.ops import scan as scan_ops
from app.ops.forms import render_forms
from app.scan.verdicts import Verdict
from app.store import Store
from tests.scan import stamps

DPI = 200
SLOT_OF = {FormKind.OPINION: Slot.OPINION, FormKind.APPRAISAL: Slot.APPRAISAL, FormKind.PUBLICITY: Slot.PUBLICITY}


def _pending_open_case(store: Store) -> int:
    """A case waiting for unit review in a plan whose window is open (一般/加急/紧急)."""
    for row in case_ops.list_cases(store, status=Status.PENDING):
        if row.closed_reason is None and row.urgency.reviewable:
            return row.case.id
    raise AssertionError("the demo data has no pending case in an open plan")


def _scanned(pdf: Path, signed: bool = True) -> Image.Image:
    """Print, sign and stamp, scan: 200 DPI, the 负责人's signature and the 公章 where they go (``signed``),
    a red seal over part of the QR code, JPEG at the scanner's quality."""
    doc = pdfium.PdfDocument(pdf)
    try:
        page = doc[0].render(scale=DPI / 72).to_pil().convert("RGB")
    finally:
        doc.close()
    if signed:
        page = stamps.signed(page)
    px = page.width / 210  # pixels per mm
    x, y, size = QR_BOX_MM
    r = 20 * px
    cx, cy = (x + size * 0.6) * px + r * 0.6, (y + size / 2) * px  # the ring's left part lies over the code
    ink = Image.new("RGB", page.size, "white")
    d = ImageDraw.Draw(ink)
    red = (210, 30, 40)
    d.ellipse((cx - r, cy - r, cx + r, cy + r), outline=red, width=round(1.2 * px))
    star = [
        (cx + 6 * px * math.cos(math.radians(-90 + i * 36)) * (1 if i % 2 == 0 else 0.4),
         cy + 6 * px * math.sin(math.radians(-90 + i * 36)) * (1 if i % 2 == 0 else 0.4))
        for i in range(10)
    ]  # fmt: skip
    d.polygon(star, fill=red)
    stamped = ImageChops.multiply(page, ink)
    buf = io.BytesIO()
    stamped.save(buf, "JPEG", quality=85)
    return Image.open(io.BytesIO(buf.getvalue()))


def _scanner_pdf(pages: list[Image.Image], path: Path) -> Path:
    """One multi-page PDF of page images, as a sheet-fed scanner writes it."""
    first, *rest = pages
    first.save(path, "PDF", save_all=True, append_images=rest, resolution=DPI)
    return path


def _read_strict(path: Path) -> list[str]:
    """A plain reader: QR only, no rotation search, no inversion, no downscaling."""
    with Image.open(path) as im:
        found = zxingcpp.read_barcodes(
            im.convert("RGB"), formats=zxingcpp.BarcodeFormat.QRCode,
            try_rotate=False, try_invert=False, try_downscale=False,
        )  # fmt: skip
    return [b.text for b in found if b.valid]


def _print_and_scan(store: Store, case_id: int, tmp: Path, name: str, with_publicity: bool) -> Path:
    """The case's forms rendered, stamped and scanned into one scanner PDF (with its 公示证明 when asked)."""
    forms = render_forms(store, [case_id], tmp / f"forms-{name}")
    assert {(f.case_id, f.form) for f in forms} == {(case_id, FormKind.OPINION), (case_id, FormKind.APPRAISAL)}
    pdfs = [f.path for f in forms]
    if with_publicity:
        today = case_ops.today()
        created = publicity_ops.create_publicity(store, [case_id], today - timedelta(days=30), "单位公示栏")
        assert not created.warnings  # five working days by default
        certs = publicity_ops.render_certificates(store, created.publicity.id, tmp / f"cert-{name}")
        assert len(certs) == 1
        pdfs.append(certs[0].path)
    inbox = tmp / f"inbox-{name}"
    inbox.mkdir()
    forms_pdfs = {f.path for f in forms}  # the 盖章页 are signed and stamped; the 公示证明 carries its own seal only
    return _scanner_pdf([_scanned(p, p in forms_pdfs) for p in pdfs], inbox / "扫描仪_001.pdf")


def test_review_print_scan_sort_export_send(demo_store: Store, tmp_path: Path) -> None:
    store = demo_store
    case_id = _pending_open_case(store)
    outcome = case_ops.review_case(store, case_id, ReviewResult.PASS, "经审核，申报材料真实有效，同意推荐。")
    assert outcome.message == "审核通过成功" and outcome.case.status is Status.PASSED
    revision = outcome.case.revision

    scan_pdf = _print_and_scan(store, case_id, tmp_path, "first", with_publicity=True)
    sorted_ = scan_ops.sort_inbox(store, [scan_pdf.parent], apply=True)
    assert not sorted_.unplaced, [u.message for u in sorted_.unplaced]
    assert {(p.case_id, p.slot) for p in sorted_.placed} == {(case_id, s) for s in Slot}
    assert all(p.stored and p.result.final is Verdict.OK for p in sorted_.placed)
    assert sorted(p.result.page for p in sorted_.placed) == [1, 2, 3]

    row = dispatch_ops.dispatch_rows(store, [case_id])[0]
    assert [row.mark(s) for s in dispatch_ops.SLOTS] == ["√", "√", "√"]
    assert row.ready and row.problem() is None and not row.warnings

    result = data_ops.export_packages(store, tmp_path / "送审包", [case_id])
    assert [c.case.id for c in result.ready] == [case_id] and not result.not_ready
    assert result.listing.is_file()
    exported = result.ready[0]
    assert set(exported.files) == set(Slot)
    for slot, rel in exported.files.items():
        image = result.folder / rel
        assert image.is_file()
        texts = _read_strict(image)
        assert len(texts) == 1, f"{slot}: a plain reader reads {texts}"
        decoded = qr.decode(store.secret, texts[0])
        assert decoded.ok and decoded.payload is not None
        assert decoded.payload.case_id == case_id
        assert SLOT_OF[decoded.payload.kind] is slot
        assert decoded.payload.revision == revision

    sent = dispatch_ops.send_cases(store, [case_id])
    assert sent.message == "已送审 1 人" and not sent.warnings
    assert store.case(case_id).status is Status.DISPATCHED


def test_a_return_after_printing_makes_the_old_scan_stale_until_forms_are_rendered_again(
    demo_store: Store, tmp_path: Path
) -> None:
    store = demo_store
    case_id = _pending_open_case(store)
    case_ops.review_case(store, case_id, ReviewResult.PASS, "同意推荐。")
    old_scan = _print_and_scan(store, case_id, tmp_path, "old", with_publicity=False)
    printed_on = case_ops.today()

    # the pass was a mistake: return it; the applicant corrects the phone number and resubmits
    case_ops.review_case(store, case_id, ReviewResult.RETURN, "请修改移动电话",
                         [ModuleMark(Module.BASIC, True, "移动电话有误")])  # fmt: skip
    case_ops.resubmit_case(store, case_id, {"移动电话": "13907149999"}, now=datetime.now())
    case_ops.review_case(store, case_id, ReviewResult.PASS, "同意推荐。")
    current = store.case(case_id).revision

    results = scan_ops.check_files(store, [old_scan], case_id, Slot.OPINION, out_dir=tmp_path / "up-old")
    opinion = [r for r in results if r.form == FormKind.OPINION.value]
    assert len(opinion) == 1
    stale = opinion[0]
    assert stale.final is Verdict.STALE and stale.upload_path is None
    assert printed_on.isoformat() in stale.message  # when it was printed
    assert "移动电话" in stale.message  # what changed since
    # in the order it happened, even within one second: the return, then the resubmission
    assert stale.message.index("退回修改：请修改移动电话") < stale.message.index("重新提交")
    assert f"{current}" in stale.message
    assert "重新生成" in stale.fix

    sorted_old = scan_ops.sort_inbox(store, [old_scan], apply=True)
    assert not [p for p in sorted_old.placed if p.stored]
    row = dispatch_ops.dispatch_rows(store, [case_id])[0]
    assert row.mark(Slot.OPINION) == "×" and row.mark(Slot.APPRAISAL) == "×"

    new_scan = _print_and_scan(store, case_id, tmp_path, "new", with_publicity=False)
    again = scan_ops.check_files(store, [new_scan], out_dir=tmp_path / "up-new")
    assert [r.final for r in again] == [Verdict.OK, Verdict.OK]
    assert {r.revision for r in again} == {current}
    placed = scan_ops.sort_inbox(store, [new_scan], apply=True)
    assert all(p.stored for p in placed.placed) and len(placed.placed) == 2
    row = dispatch_ops.dispatch_rows(store, [case_id])[0]
    assert (row.mark(Slot.OPINION), row.mark(Slot.APPRAISAL)) == ("√", "√")


def test_printed_day_is_today(demo_store: Store, tmp_path: Path) -> None:
    """The code of a form rendered today carries today's date (what a stale verdict will name)."""
    case_id = _pending_open_case(demo_store)
    case_ops.review_case(demo_store, case_id, ReviewResult.PASS, "同意推荐。")
    form = render_forms(demo_store, [case_id], tmp_path, kinds=(FormKind.OPINION,))[0]
    doc = pdfium.PdfDocument(form.path)
    try:
        image = doc[0].render(scale=DPI / 72).to_pil().convert("RGB")
    finally:
        doc.close()
    texts = [b.text for b in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]
    decoded = qr.decode(demo_store.secret, texts[0])
    assert decoded.payload is not None and decoded.payload.printed_on == date.today()
