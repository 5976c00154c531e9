"""Every upload image is upright and unmirrored, straight within a degree, whatever the angle the page came at;
and it is checked again, by both readers, exactly as written."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageOps

from app.core.models import Slot
from app.ops.scan import attach_file, check_files
from app.scan.reading import Code, read_upload, tilt
from app.scan.squaring import perspective
from app.scan.verdicts import PageResult
from tests.scan import scans
from tests.scan.conftest import CASE_A, World
from tests.scan.test_portal_proof import code_text

pytestmark = pytest.mark.usefixtures("hostile")

A4_RATIO = 297 / 210


def upload_code(r: PageResult, text: str) -> tuple[Image.Image, Code, float]:
    """The upload image as written, its one code (both readers) and how far its page leans."""
    assert r.ok, r.message
    assert r.upload_path is not None
    with Image.open(Path(r.upload_path)) as im:
        gray = im.convert("L")
    read = read_upload(gray)
    assert read.portal_proof(text), [c.text for c in read.codes]
    (code,) = read.codes
    return gray, code, tilt(code)


def assert_upright(r: PageResult, text: str) -> Code:
    gray, code, lean = upload_code(r, text)
    assert abs(lean) <= 1.0, f"the page leans {lean:.2f}°"
    # our form puts the code at its top right: so stands a page that is upright and not mirrored
    cx = sum(p[0] for p in code.corners) / 4
    cy = sum(p[1] for p in code.corners) / 4
    assert cx > gray.width / 2 and cy < gray.height / 3, (cx, cy, gray.size)
    return code


@pytest.mark.parametrize("degrees", [-44, -30, -8, -2, 1.6, 3, 15, 29, 45])
def test_a_tilted_page_is_uploaded_upright_within_a_degree(world: World, degrees: float) -> None:
    page = world.page()
    text = code_text(page)
    path = world.write(f"tilted{degrees}.jpg", scans.jpeg(scans.rotated(page, degrees), 88))
    (r,) = check_files(world.store, [path], out_dir=world.dir / "upload")
    assert_upright(r, text)
    assert "纠偏" in r.message


@pytest.mark.parametrize("degrees", [90 + 12, 180 - 25, 270 + 40, 90, 180, 270])
def test_a_turned_and_tilted_page_is_uploaded_upright(world: World, degrees: float) -> None:
    page = scans.seal(world.page())
    text = code_text(world.page())
    path = world.write(f"turned{degrees}.png", _png(scans.rotated(page, degrees)))
    (r,) = check_files(world.store, [path], out_dir=world.dir / "upload")
    assert_upright(r, text)


@pytest.mark.parametrize("mirror", [ImageOps.mirror, ImageOps.flip], ids=["left-right", "top-bottom"])
def test_an_upright_page_whose_code_alone_is_mirrored_is_not_turned(world: World, mirror) -> None:
    """A form whose code was printed mirrored: zxing-cpp reads it as a code turned a quarter; the page is not."""
    page = world.page()
    text = code_text(page)
    (code,) = read_upload(page.convert("L")).codes
    box = tuple(round(v) for v in (*code.corners[0], *code.corners[2]))
    page.paste(mirror(page.crop(box)), box[:2])
    path = world.write("code-mirrored.jpg", scans.jpeg(page, 90))
    (r,) = check_files(world.store, [path], out_dir=world.dir / "upload")
    if r.ok:
        gray, _, _ = upload_code(r, text)
        assert gray.height / gray.width == pytest.approx(A4_RATIO, rel=0.02)  # still portrait
        assert "转正" not in r.message
    else:  # told so; never stored turned
        assert r.upload_path is None


def test_an_upright_page_is_uploaded_as_it_came(world: World) -> None:
    page = world.page()
    path = world.write("upright.jpg", scans.jpeg(page, 88))
    (r,) = check_files(world.store, [path], out_dir=world.dir / "upload")
    assert r.upload_path == path
    assert_upright(r, code_text(page))


@pytest.mark.parametrize("slant", [0.05, 0.1])
def test_a_photo_taken_at_a_slant_is_uploaded_upright(world: World, slant: float) -> None:
    page = world.page()
    text = code_text(page)
    path = world.write(f"slanted{slant}.jpg", scans.jpeg(scans.rotated(_slanted(page, slant), 6), 88))
    (r,) = check_files(world.store, [path], out_dir=world.dir / "upload")
    assert_upright(r, text)
    stored = attach_file(world.store, CASE_A, Slot.OPINION, path)
    assert stored.ok


def _slanted(page: Image.Image, slant: float) -> Image.Image:
    """The page photographed with the camera leaning towards its top: the top edge comes out shorter."""
    w, h = page.size
    canvas = Image.new("RGB", (int(w * 1.2), int(h * 1.1)), (110, 100, 90))
    canvas.paste(page, (int(w * 0.1), int(h * 0.05)))
    cw, ch = canvas.size
    src = [(0, 0), (cw, 0), (cw, ch), (0, ch)]
    dst = [(cw * slant, 0), (cw * (1 - slant), 0), (cw, ch), (0, ch)]
    return canvas.transform(canvas.size, Image.PERSPECTIVE, perspective(dst, src), Image.BICUBIC)


def _png(im: Image.Image) -> bytes:
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return buf.getvalue()
