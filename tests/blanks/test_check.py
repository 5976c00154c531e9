"""Checking and sorting scans of portal blanks: ok only through the strict read, never for an unknown or old code."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image, ImageChops, ImageDraw

from app.core.models import Slot
from app.core.review import Module, ModuleMark, ReviewResult
from app.forms.portal import CODE_BOX_MM
from app.ops.blanks import import_blanks
from app.ops.cases import resubmit_case, review_case
from app.ops.dispatch import dispatch_rows
from app.ops.scan import check_files, sort_inbox
from app.scan.verdicts import Verdict
from tests.blanks.conftest import Office
from tests.scan.scans import jpeg, phone_photo, rasterize, rotated


def portal_seal(im: Image.Image) -> Image.Image:
    """A red ring over the right half of the portal's code, as a 公章 lands on a busy page."""
    x, y, size = CODE_BOX_MM
    k = im.width / 210
    cx, cy, r = (x + size * 0.85) * k, (y + size / 2) * k, 20 * k
    ink = Image.new("RGB", im.size, "white")
    d = ImageDraw.Draw(ink)
    d.ellipse((cx - r, cy - r, cx + r, cy + r), outline=(215, 35, 40), width=int(1.3 * k))
    d.rectangle((cx - 8 * k, cy - 2 * k, cx + 8 * k, cy + 2 * k), fill=(215, 35, 40))
    return ImageChops.multiply(im, ink)


def scan_of(office: Office, pdf: Path, name: str, dpi: int = 300, change=lambda im: im) -> Path:
    path = office.folder.parent / "scans" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(jpeg(change(rasterize(pdf, dpi)), 85))
    return path


def strictly(path: Path) -> set[str]:
    im = Image.open(path).convert("L")
    return {b.text for b in zxingcpp.read_barcodes(im, try_rotate=False, try_invert=False, try_downscale=False)}


@pytest.fixture
def brought_in(office: Office) -> tuple[Path, str]:
    path, code = office.download("张伟", Slot.APPRAISAL, "考核表.pdf")
    import_blanks(office.store, [path], now=datetime(2026, 11, 3, 9))
    return path, code


@pytest.mark.parametrize(
    "change",
    [lambda im: im, portal_seal, lambda im: rotated(im, 180), lambda im: rotated(portal_seal(im), 3), phone_photo],
    ids=["plain", "seal", "upside-down", "seal-skewed", "phone"],
)
def test_a_scan_of_the_current_blank_is_ok_with_an_image_a_strict_reader_reads(
    office: Office, brought_in: tuple[Path, str], change
) -> None:
    pdf, code = brought_in
    scan = scan_of(office, pdf, "scan.jpg", change=change)
    [r] = check_files(office.store, [scan], office.ids["张伟"], Slot.APPRAISAL)
    assert r.verdict is Verdict.OK, r.message
    assert (r.case_id, r.form, r.revision) == (office.ids["张伟"], "appraisal", 1)
    assert code in strictly(r.upload_path)  # type: ignore[arg-type]


def test_a_150_dpi_scan_is_ok(office: Office, brought_in: tuple[Path, str]) -> None:
    pdf, code = brought_in
    [r] = check_files(office.store, [scan_of(office, pdf, "low.jpg", 150)])
    assert r.ok and code in strictly(r.upload_path)  # type: ignore[arg-type]


def test_a_superseded_blank_is_stale_saying_when_each_came(office: Office, brought_in: tuple[Path, str]) -> None:
    pdf, _ = brought_in
    newer, _ = office.download("张伟", Slot.APPRAISAL, "考核表(1).pdf")
    import_blanks(office.store, [newer], now=datetime(2026, 11, 20, 9))
    [r] = check_files(office.store, [scan_of(office, pdf, "old.jpg")])
    assert r.verdict is Verdict.STALE and r.upload_path is None
    assert "11 月 3 日下载的表，11 月 20 日又下载了新表，两者二维码不同：请用新表" in r.message
    [ok] = check_files(office.store, [scan_of(office, newer, "new.jpg")])
    assert ok.ok and ok.revision == 2


def test_another_persons_or_another_forms_blank(office: Office, brought_in: tuple[Path, str]) -> None:
    scan = scan_of(office, brought_in[0], "scan.jpg")
    [person] = check_files(office.store, [scan], office.ids["李娜"], Slot.APPRAISAL)
    assert person.verdict is Verdict.WRONG_PERSON and "张伟" in person.message
    [form] = check_files(office.store, [scan], office.ids["张伟"], Slot.OPINION)
    assert form.verdict is Verdict.WRONG_FORM and "单位考核表" in form.fix


def test_a_code_no_blank_carries_is_foreign_and_never_asks_for_our_forms(office: Office) -> None:
    pdf, _ = office.download("李娜", Slot.OPINION, code="PORTAL-42020319900202123X-0001")
    [r] = check_files(office.store, [scan_of(office, pdf, "unknown.jpg")])
    assert r.verdict is Verdict.FOREIGN_QR and not r.ok
    assert "二维码读出来了" in r.message and "导入" in r.fix and "本程序生成" not in r.fix
    assert "42020319900202123X" not in r.message + r.fix


def test_a_blank_from_before_a_resubmission_is_flagged_as_probably_reissued(
    office: Office, brought_in: tuple[Path, str]
) -> None:
    case = office.ids["张伟"]
    scan = scan_of(office, brought_in[0], "scan.jpg")
    review_case(office.store, case, ReviewResult.RETURN, "请补充", [ModuleMark(Module.WORK, True, "缺验收证明")])
    resubmit_case(office.store, case, {"work": {}})
    [r] = check_files(office.store, [scan])
    assert r.ok and "系统很可能已重新生成此表" in r.message
    assert any("重新下载" in w for w in dispatch_rows(office.store, [case])[0].warnings)


def test_sort_places_portal_scans_and_a_later_download_makes_the_stored_one_stale(
    office: Office, brought_in: tuple[Path, str]
) -> None:
    scan = scan_of(office, brought_in[0], "scan.jpg")
    result = sort_inbox(office.store, [scan.parent], apply=True)
    assert [(p.case_id, p.slot, p.stored) for p in result.placed] == [(office.ids["张伟"], Slot.APPRAISAL, True)]
    row = dispatch_rows(office.store, [office.ids["张伟"]])[0]
    assert row.mark(Slot.APPRAISAL) == "√" and row.blanks[Slot.APPRAISAL] is not None
    newer, _ = office.download("张伟", Slot.APPRAISAL, "考核表(1).pdf")
    import_blanks(office.store, [newer])
    row = dispatch_rows(office.store, [office.ids["张伟"]])[0]
    assert row.stale_slots == [Slot.APPRAISAL] and row.mark(Slot.APPRAISAL) == "×"
