"""Is it the signed and stamped page? Scans of portal-style blanks compared with the blank brought in."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image

from app.core.models import Slot
from app.ops.blanks import import_blanks
from app.ops.scan import check_files
from app.scan import stamp
from tests.blanks.conftest import Office
from tests.scan import scans, stamps

Change = Callable[[Image.Image], Image.Image]


def _portal_scan(office: Office, pdf: Path, change: Change, name: str = "scan.jpg") -> Path:
    path = office.folder.parent / "scans" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(scans.jpeg(change(scans.rasterize(pdf, 300)).convert("RGB"), 85))
    return path


def _portal_signed(im: Image.Image, **kw) -> Image.Image:
    return stamps.signed(im, stamps.PORTAL_SEAL_MM, stamps.PORTAL_SIGNATURE_MM, **kw)


@pytest.mark.parametrize("text_layer", [True, False], ids=["text", "no-text"])
@pytest.mark.parametrize(
    "change",
    [_portal_signed, lambda im: _portal_signed(im).rotate(180), lambda im: scans.phone_photo(_portal_signed(im))],
    ids=["colour", "upside-down", "phone"],
)
def test_a_signed_and_stamped_portal_blank(office: Office, text_layer: bool, change: Change) -> None:
    pdf, _ = office.download("张伟", Slot.APPRAISAL, "考核表.pdf", text_layer=text_layer)
    import_blanks(office.store, [pdf], case_id=office.ids["张伟"], slot=Slot.APPRAISAL, now=datetime(2026, 11, 3))
    [r] = check_files(office.store, [_portal_scan(office, pdf, change)])
    assert r.ok, r.message
    assert r.stamped is True, r.message


@pytest.mark.parametrize("text_layer", [True, False], ids=["text", "no-text"])
def test_the_downloaded_blank_itself_is_told(office: Office, text_layer: bool) -> None:
    pdf, _ = office.download("张伟", Slot.OPINION, "单位审核意见表.pdf", text_layer=text_layer)
    import_blanks(office.store, [pdf], case_id=office.ids["张伟"], slot=Slot.OPINION, now=datetime(2026, 11, 3))
    [r] = check_files(office.store, [_portal_scan(office, pdf, lambda im: im)])
    assert r.ok and r.stamped is False
    assert stamp.THE_BLANK in r.message


def test_a_portal_blank_signed_but_not_stamped(office: Office) -> None:
    pdf, _ = office.download("李娜", Slot.OPINION, "单位审核意见表.pdf")
    import_blanks(office.store, [pdf], case_id=office.ids["李娜"], slot=Slot.OPINION, now=datetime(2026, 11, 3))
    [r] = check_files(office.store, [_portal_scan(office, pdf, lambda im: _portal_signed(im, seal=False))])
    assert r.ok and r.stamped is False and stamp.NO_SEAL in r.message
