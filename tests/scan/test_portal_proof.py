"""``ok`` is portal-proof: one code on the upload image, read by zxing-cpp and by zbar alike, in a baseline
JPEG (or plain PNG), with modules a plain reader resolves. Every input is made from our rendered forms."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import qrcode
from PIL import Image

from app.core.models import Slot
from app.ops.scan import AttachRefused, attach_file, check_files, sort_inbox
from app.scan.pages import _jpeg_frame
from app.scan.reading import read_strict, read_upload
from app.scan.verdicts import PageResult, Verdict
from tests.scan import scans
from tests.scan.conftest import CASE_A, World

pytestmark = pytest.mark.usefixtures("hostile")

WECHAT = "https://u.wechat.com/EJ6kOy7Gg-Pq4rZ0mSb9bXo"


def code_text(im: Image.Image) -> str:
    (code,) = read_strict(im.convert("L"))
    return code.text


def portal_proof(path: Path, text: str) -> bool:
    """The upload image as written: a baseline grey/RGB JPEG or a plain PNG, whose one code both readers read."""
    data = path.read_bytes()
    with Image.open(io.BytesIO(data)) as im:
        assert im.format in ("JPEG", "PNG") and im.mode in ("L", "RGB"), (im.format, im.mode)
        if im.format == "JPEG":
            assert _jpeg_frame(data) == 0xC0, "not a baseline JPEG"
        return read_upload(im.convert("L")).portal_proof(text)


def assert_ok_for_the_portal(r: PageResult, text: str) -> None:
    assert r.ok, r.message
    assert r.upload_path is not None and portal_proof(Path(r.upload_path), text)


def with_other_code(page: Image.Image, where: str) -> Image.Image:
    """Our form with a WeChat QR code stuck on it (a contact card pasted in the margin, or on the desk beside)."""
    other = qrcode.make(WECHAT, box_size=max(4, scans.mm(page, 0.9)), border=4).get_image().convert("RGB")
    out = page.copy()
    if where == "bottom":
        out.paste(other, (scans.mm(page, 20), page.height - other.height - scans.mm(page, 15)))
    else:  # in the left margin, level with our code
        out.paste(other, (scans.mm(page, 8), scans.mm(page, 10)))
    return out


@pytest.mark.parametrize(("where", "container"), [("bottom", "jpg"), ("top", "png"), ("bottom", "pdf")])
def test_a_page_with_another_code_is_told_so_and_never_ok(world: World, where: str, container: str) -> None:
    page = with_other_code(world.page(), where)
    if container == "pdf":
        path = scans.scanner_pdf([scans.jpeg(page, 85)], world.dir / "inbox" / f"wechat-{where}.pdf")
    elif container == "png":
        buf = io.BytesIO()
        page.save(buf, "PNG")
        path = world.write(f"wechat-{where}.png", buf.getvalue())
    else:
        path = world.write(f"wechat-{where}.jpg", scans.jpeg(page, 85))
    (r,) = check_files(world.store, [path], out_dir=world.dir / "upload")
    assert r.final is Verdict.MULTI_QR and r.upload_path is None
    assert "另一个二维码" in r.message and "遮住" in r.fix
    assert WECHAT not in r.message  # a code's text is never shown whole
    assert r.case_id == CASE_A  # what the page is, still named
    result = sort_inbox(world.store, [path], apply=True, out_dir=world.dir / "upload")
    assert not any(p.stored for p in result.placed)
    assert any("另一个二维码" in u.message for u in result.unplaced)
    with pytest.raises(AttachRefused):
        attach_file(world.store, CASE_A, Slot.OPINION, path)
    assert not world.store.attachments(CASE_A)


@pytest.mark.parametrize("kind", ["cmyk", "progressive", "png16", "png_palette"])
def test_an_image_not_every_reader_takes_is_converted_not_passed_as_is(world: World, kind: str) -> None:
    page = world.page()
    text = code_text(page)
    buf = io.BytesIO()
    if kind == "cmyk":
        page.convert("CMYK").save(buf, "JPEG", quality=90)
    elif kind == "progressive":
        page.save(buf, "JPEG", quality=90, progressive=True)
    elif kind == "png16":  # a 16-bit grey scan with a realistic range (paper at 58000, ink at 6000)
        gray = page.convert("L").point(lambda v: v * 204 + 6000, "I").convert("I;16")
        gray.save(buf, "PNG")
    else:
        page.convert("P", palette=Image.Palette.ADAPTIVE, colors=16).save(buf, "PNG")
    path = world.write(f"{kind}.{'png' if kind.startswith('png') else 'jpg'}", buf.getvalue())
    (r,) = check_files(world.store, [path], out_dir=world.dir / "upload")
    assert_ok_for_the_portal(r, text)
    assert Path(r.upload_path) != path  # converted, never the file as it came
    words = {"cmyk": "CMYK", "progressive": "渐进式", "png16": "16 位", "png_palette": "调色板"}[kind]
    assert words in r.message and "已转为普通 JPEG" in r.message
    assert "这一页是空白的" not in r.message and "超出上传限制" not in r.message
    stored = attach_file(world.store, CASE_A, Slot.OPINION, path)
    assert stored.ok
    (att,) = world.store.attachments(CASE_A)
    assert portal_proof(world.store.blob_path(att.sha256, att.ext), text)


def test_a_scanner_pdf_holding_a_cmyk_jpeg_is_rendered_to_a_plain_one(world: World) -> None:
    page = world.page()
    buf = io.BytesIO()
    page.convert("CMYK").save(buf, "JPEG", quality=90)
    path = scans.scanner_pdf([buf.getvalue()], world.dir / "inbox" / "cmyk.pdf")
    (r,) = check_files(world.store, [path], out_dir=world.dir / "upload")
    assert r.verdict is Verdict.NOT_IMAGE
    assert_ok_for_the_portal(r, code_text(page))


@pytest.mark.parametrize(
    ("module_px", "resample"), [(1.5, Image.NEAREST), (2.0, Image.BILINEAR), (2.6, Image.BILINEAR)]
)
def test_a_code_of_too_few_pixels_per_module_is_never_ok(world: World, module_px: float, resample: int) -> None:
    """A small code (a 6 mm code scanned at 150 DPI has 1.4 px per module) is read by both readers here, but a
    plain reader is not sure of it: rescan at a higher resolution."""
    page = world.page()
    (code,) = read_strict(page.convert("L"))
    box = tuple(round(v) for v in (*code.corners[0], *code.corners[2]))
    side = round(29 * module_px)
    small = page.crop(box).resize((side, side), resample)
    page.paste((255, 255, 255), box)
    page.paste(small, box[:2])
    path = world.write(f"small-{module_px}.jpg", scans.jpeg(page, 92))
    (r,) = check_files(world.store, [path], out_dir=world.dir / "upload")
    assert r.verdict is Verdict.NO_QR and r.upload_path is None, r.message
    assert "太小" in r.message and "分辨率" in r.fix
    assert r.case_id == CASE_A
    with pytest.raises(AttachRefused):
        attach_file(world.store, CASE_A, Slot.OPINION, path)


@pytest.mark.parametrize(
    "make",
    [
        lambda p: scans.jpeg(p, 85),
        lambda p: scans.jpeg(scans.seal(p), 85),
        lambda p: scans.jpeg(scans.rotated(p, 180), 85),
        lambda p: scans.jpeg(scans.rotated(scans.seal(p), 7), 85),
        lambda p: scans.jpeg(p.convert("L").resize((p.width // 2, p.height // 2)), 85),
        lambda p: scans.jpeg(scans.phone_photo(p), 85),
    ],
    ids=["plain", "sealed", "upside-down", "sealed-tilted", "150dpi-grey", "phone"],
)
def test_every_ok_upload_image_is_read_by_both_readers(world: World, make) -> None:
    page = world.page()
    path = world.write("scan.jpg", make(page))
    (r,) = check_files(world.store, [path], out_dir=world.dir / "upload")
    assert_ok_for_the_portal(r, code_text(page))
