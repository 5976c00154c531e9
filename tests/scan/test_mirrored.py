"""A mirrored page (a phone's front camera) or an image of the code alone is never ok, and never stored."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageOps

from app.core.models import Slot
from app.ops.scan import AttachRefused, attach_file, check_files, sort_inbox
from app.scan.reading import read_strict
from app.scan.verdicts import Verdict
from tests.scan import scans
from tests.scan.conftest import CASE_A, World

pytestmark = pytest.mark.usefixtures("hostile")


@pytest.mark.parametrize("degrees", [0, 90, 180, 270, 12])
def test_a_mirrored_page_is_told_so_and_never_ok(world: World, degrees: int) -> None:
    page = scans.rotated(ImageOps.mirror(world.page()), degrees) if degrees else ImageOps.mirror(world.page())
    path = world.write(f"selfie-{degrees}.jpg", scans.jpeg(page, 85))
    (r,) = check_files(world.store, [path], out_dir=world.dir / "upload")
    assert r.verdict is not Verdict.OK and r.upload_path is None
    assert "镜像" in r.message and "后置摄像头" in r.fix
    assert r.case_id == CASE_A  # what it is, still named
    result = sort_inbox(world.store, [path], apply=True, out_dir=world.dir / "upload")
    (seen,) = [*(p.result for p in result.placed if p.stored), *(p.result for p in result.placed if not p.stored),
               *(u.result for u in result.unplaced)]  # fmt: skip
    assert not seen.ok and "镜像" in seen.message
    assert not any(p.stored for p in result.placed)
    with pytest.raises(AttachRefused):
        attach_file(world.store, CASE_A, Slot.OPINION, path)
    assert not world.store.attachments(CASE_A)


@pytest.mark.parametrize("degrees", [0, 90, 180, 270, 12])
def test_the_same_page_not_mirrored_is_ok_at_every_angle(world: World, degrees: int) -> None:
    page = scans.rotated(world.page(), degrees) if degrees else world.page()
    path = world.write(f"page-{degrees}.jpg", scans.jpeg(page, 85))
    (r,) = check_files(world.store, [path], out_dir=world.dir / "upload")
    assert r.verdict is Verdict.OK, r.message
    assert "镜像" not in r.message


@pytest.mark.parametrize("quiet_mm", [0, 4, 15])
def test_an_image_of_the_code_alone_is_never_ok_as_the_form(world: World, quiet_mm: int) -> None:
    page = world.page()
    (code,) = read_strict(page.convert("L"))
    xs, ys = [p[0] for p in code.corners], [p[1] for p in code.corners]
    q = scans.mm(page, quiet_mm)
    crop = page.crop((round(min(xs)) - q, round(min(ys)) - q, round(max(xs)) + q, round(max(ys)) + q))
    if quiet_mm == 0:  # cropped tight: a plain reader wants a quiet zone, so give it a white border as a chat app does
        crop = ImageOps.expand(crop, 4, "white")
    path = world.write(f"code-{quiet_mm}.png", _png(crop))
    (r,) = check_files(world.store, [path], out_dir=world.dir / "upload")
    assert r.verdict is not Verdict.OK and r.upload_path is None
    assert "只有二维码" in r.message and "整页" in r.fix and r.case_id == CASE_A
    with pytest.raises(AttachRefused):
        attach_file(world.store, CASE_A, Slot.OPINION, path)
    assert not world.store.attachments(CASE_A)


def _png(im: Image.Image) -> bytes:
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return buf.getvalue()
