"""A phone photo of a form on a desk: the sheet found by its edges, squared, the desk cut away, and still ok."""

from __future__ import annotations

import math
import statistics
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from app.core.models import Slot
from app.ops.scan import check_files
from app.scan import squaring
from app.scan.engine import SQUARED
from app.scan.verdicts import Verdict
from tests.scan import scans, stamps
from tests.scan.conftest import CASE_A, World

DESK = (120, 110, 95)


def _check(world: World, name: str, data: bytes):
    (result,) = check_files(world.store, [world.write(name, data)], CASE_A, Slot.OPINION, out_dir=world.dir / "up")
    return result


def _corners_are_paper(path: Path) -> bool:
    """No desk left in the upload: each corner of the image is as light as paper."""
    with Image.open(path) as im:
        gray = im.convert("L")
    w, h = gray.size
    d = max(4, w // 50)
    boxes = [(0, 0, d, d), (w - d, 0, w, d), (w - d, h - d, w, h), (0, h - d, d, h)]
    return all(statistics.median(gray.crop(b).tobytes()) > 170 for b in boxes)


def _lean_of_table(path: Path) -> float:
    """How far the form's left table border leans, in degrees: the darkest column near the left edge, at a
    third and at three quarters of the page's height."""
    with Image.open(path) as im:
        gray = im.convert("L")
    w, h = gray.size

    def border_at(y: int) -> int:
        row = gray.crop((0, y, w // 4, y + 1)).tobytes()
        return min(range(len(row)), key=row.__getitem__)

    top, bottom = int(h * 0.3), int(h * 0.75)
    return math.degrees(math.atan2(abs(border_at(top) - border_at(bottom)), bottom - top))


def test_a_phone_photo_is_squared_to_the_sheet_and_the_desk_cut_away(world: World) -> None:
    photo = scans.phone_photo(scans.seal(world.page()))
    r = _check(world, "photo.jpg", scans.jpeg(photo, 85))
    assert r.verdict is Verdict.OK, r.message
    assert SQUARED in r.message
    assert r.upload_path is not None and r.upload_path != r.file
    with Image.open(r.upload_path) as im:
        found = zxingcpp.read_barcodes(im.convert("L"), formats=zxingcpp.BarcodeFormat.QRCode, try_rotate=False,
                                       try_invert=False, try_downscale=False)  # fmt: skip
        assert [b.text for b in found] and found[0].text.startswith("ZW")
        assert abs(im.height / im.width - 297 / 210) < 0.02  # an A4 page, not a trapezium on a desk
    assert _corners_are_paper(r.upload_path)
    # the table's left border is upright: in the photo it leans by the perspective
    assert _lean_of_table(r.file) > 1.0
    assert _lean_of_table(r.upload_path) <= 0.5  # upright within half a degree, as the portal wants it
    # what the window shows and outlines is the squared page: the code's corners are in it
    assert r.image_path == r.upload_path
    assert r.qr_box is not None and max(x for x, _ in r.qr_box) <= r.image_size[0]


def test_a_squared_photo_of_a_signed_and_stamped_page_is_seen_signed_and_stamped(world: World) -> None:
    r = _check(world, "signed.jpg", scans.jpeg(scans.phone_photo(stamps.signed(world.page())), 85))
    assert r.ok and SQUARED in r.message
    assert r.stamped is True, r.message


def test_a_squared_photo_of_the_printout_itself_is_told_unsigned(world: World) -> None:
    r = _check(world, "printout.jpg", scans.jpeg(scans.phone_photo(world.page()), 85))
    assert r.ok and SQUARED in r.message
    assert r.stamped is False


@pytest.mark.parametrize("how", ["scan", "scan turned a little", "page filling the photo"])
def test_a_page_without_a_ground_round_it_is_not_squared(world: World, how: str) -> None:
    page = scans.seal(world.page())
    image = {
        "scan": page,
        "scan turned a little": scans.rotated(page, 2.5),
        "page filling the photo": scans.phone_photo(page).crop((300, 300, page.width - 100, page.height - 100)),
    }[how]
    assert squaring.sheet(image.convert("L")) is None
    r = _check(world, "page.jpg", scans.jpeg(image, 85))
    assert r.ok, r.message
    assert SQUARED not in r.message


def test_a_white_sheet_on_a_white_table_is_left_as_it_is() -> None:
    sheet = Image.new("L", (800, 1100), 245)
    table = Image.new("L", (1000, 1300), 235)
    table.paste(sheet, (100, 100))
    assert squaring.sheet(table) is None


def test_the_sheet_corners_are_found_where_the_photo_put_them() -> None:
    page = Image.new("RGB", (840, 1188), "white")  # A4 at 4 px/mm, with a few lines of "text"
    for y in range(100, 1100, 40):
        page.paste((30, 30, 30), (80, y, 760, y + 4))
    photo = scans.phone_photo(page)
    quad = squaring.sheet(photo.convert("L"))
    assert quad is not None
    # phone_photo pastes the page at 7 % and 5 % of its size on a canvas 1.15 and 1.1 times as big, then pulls the
    # canvas's top corners in: the page's bottom corners stay where they were pasted
    w, h = page.size
    assert abs(quad[3][0] - 0.07 * w) < 0.03 * w and abs(quad[3][1] - (0.05 * h + h)) < 0.03 * h
    assert quad[0][0] > quad[3][0]  # the far edge looks shorter: its left corner sits further in
    squared = squaring.squared(photo, quad)
    assert abs(squared.height / squared.width - 297 / 210) < 0.01


def test_a_photo_taken_sideways_is_squared_and_stood_upright(world: World) -> None:
    photo = scans.phone_photo(scans.seal(world.page())).transpose(Image.Transpose.ROTATE_90)
    r = _check(world, "sideways.jpg", scans.jpeg(photo, 85))
    assert r.verdict is Verdict.OK, r.message
    assert SQUARED in r.message and "转正" in r.message
    assert r.upload_path is not None
    with Image.open(r.upload_path) as im:
        assert abs(im.height / im.width - 297 / 210) < 0.02  # portrait, as the form is printed
    assert _corners_are_paper(r.upload_path)
    assert _lean_of_table(r.upload_path) <= 0.5
