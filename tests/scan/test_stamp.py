"""Is it the signed and stamped page? Scans of our forms and of portal-style blanks, through the real check."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PIL import Image

from app.core.models import Slot
from app.core.payload import FormKind
from app.ops.scan import check_files
from app.scan import stamp
from app.scan.verdicts import Verdict
from tests.scan import scans, stamps
from tests.scan.conftest import CASE_A, World

Change = Callable[[Image.Image], Image.Image]


def _check(world: World, page: Image.Image, name: str = "scan.jpg", kind: FormKind = FormKind.OPINION):
    path = world.write(name, scans.jpeg(page.convert("RGB") if page.mode == "1" else page, 85))
    [r] = check_files(world.store, [path], CASE_A, Slot(kind.value))
    return r


REAL: dict[str, Change] = {
    "colour": lambda im: stamps.signed(im),
    "blue-pen": lambda im: stamps.signed(im, pen=stamps.BLUE_PEN),
    "faint-partial-seal": lambda im: stamps.signed(im, seal_colour=stamps.FAINT_RED, partial=0.6),
    "seal-over-the-code-too": lambda im: scans.seal(stamps.signed(im)),
    "grey": lambda im: stamps.gray(stamps.signed(im)),
    "bilevel": lambda im: stamps.bilevel(stamps.signed(im)),
    "black-seal-on-grey": lambda im: stamps.gray(stamps.signed(im, seal_colour=stamps.BLACK_PEN)),
    "150-dpi": lambda im: stamps.signed(im).resize((im.width // 2, im.height // 2), Image.LANCZOS),
    "upside-down": lambda im: stamps.signed(im).rotate(180),
    "skewed": lambda im: scans.rotated(stamps.signed(im), 4),
    "phone-photo": lambda im: scans.phone_photo(stamps.signed(im)),
}


@pytest.mark.parametrize("change", REAL.values(), ids=REAL.keys())
def test_a_real_signed_and_stamped_page_is_never_called_unstamped(world: World, change: Change) -> None:
    r = _check(world, change(world.page()))
    assert r.final is Verdict.OK, r.message
    assert r.stamped is True, r.message
    assert "未见" not in r.message and "未签字" not in r.message
    assert r.to_json()["stamped"] is True


def test_both_forms_are_looked_at(world: World) -> None:
    r = _check(world, stamps.signed(world.page(kind=FormKind.APPRAISAL)), kind=FormKind.APPRAISAL)
    assert r.ok and r.stamped is True


MISSING: dict[str, tuple[Change, str]] = {
    "the-printout-itself": (lambda im: im, stamp.THE_PRINTOUT),
    "the-printout-in-grey": (stamps.gray, stamp.THE_PRINTOUT),
    "no-seal": (lambda im: stamps.signed(im, seal=False), stamp.NO_SEAL),
    "no-signature": (lambda im: stamps.signed(im, sign=False), stamp.NO_SIGNATURE),
    "no-signature-grey": (lambda im: stamps.gray(stamps.signed(im, sign=False)), stamp.NO_SIGNATURE),
    "colour-with-a-black-seal": (lambda im: stamps.signed(im, seal_colour=stamps.BLACK_PEN, pen=stamps.BLUE_PEN),
                                 stamp.NO_RED_SEAL),
    "upside-down-unsigned": (lambda im: stamps.signed(im, sign=False).rotate(180), stamp.NO_SIGNATURE),
}  # fmt: skip


@pytest.mark.parametrize(("change", "line"), MISSING.values(), ids=MISSING.keys())
def test_a_page_not_signed_or_stamped_is_told_and_still_readable(world: World, change: Change, line: str) -> None:
    r = _check(world, change(world.page()))
    assert r.final is Verdict.OK  # the portal reads it: the verdict does not change
    assert r.stamped is False
    assert line in r.message and r.fix == stamp.FIX


def test_the_areas_looked_at_are_on_the_page_where_the_seal_goes(world: World) -> None:
    page = stamps.signed(world.page()).rotate(180)
    r = _check(world, page)
    assert r.stamped is True and len(r.stamp_areas) == 2
    # upside down, the seal's area (bottom right of the form) is at the top left of the image
    xs = [x for x, _ in r.stamp_areas[0]]  # the seal's area first, then the signature's
    ys = [y for _, y in r.stamp_areas[0]]
    assert max(xs) < page.width / 2 and max(ys) < page.height / 3


def test_the_publicity_slot_and_unplaced_pages_say_nothing_of_stamps(world: World) -> None:
    path = world.write("noqr.jpg", scans.jpeg(Image.new("RGB", (1240, 1754), "white")))
    [r] = check_files(world.store, [path], CASE_A, Slot.PUBLICITY)
    assert r.stamped is None and r.to_json()["stamped"] is None


GREY: dict[str, Change] = {
    "signed-and-stamped": lambda im: stamps.signed(im),
    "unsigned": lambda im: stamps.signed(im, sign=False),
    "upside-down": lambda im: stamps.signed(im).rotate(180),
    # the seal's place runs off the bottom of a page cut short (its last row of 4×4 blocks a partial one)
    "cut-short": lambda im: stamps.signed(im).crop((0, 0, im.width, 2903)),
}


@pytest.mark.parametrize("change", GREY.values(), ids=GREY.keys())
def test_a_grey_scan_is_averaged_down_only_where_it_is_looked_at_and_told_as_if_whole(
    world: World, change: Change
) -> None:
    """A grey scanner JPEG's check uses the page the read decoded, averaged down only round the areas: it says
    what the whole page averaged down says, to the pixel."""
    import io

    from app.core.payload import QR_BOX_MM
    from app.scan.pages import Limits
    from app.scan.pool import scan_paths

    path = world.write("grey.jpg", scans.jpeg(stamps.gray(change(world.page())), 85))
    [scan] = scan_paths([path], world.dir / "out", Limits())
    assert scan.stamp is not None and scan.qr_box is not None and scan.qr_version is not None
    whole = Image.open(io.BytesIO(path.read_bytes()))
    assert whole.mode == "L" and stamp._reduction(whole) == 4
    small = whole.reduce(4)
    factor = small.width / whole.width
    layout = stamp.our_layout(QR_BOX_MM, 17 + 4 * scan.qr_version)
    seen = stamp.assess(small, [(x * factor, y * factor) for x, y in scan.qr_box], layout)
    assert (scan.stamp.stamped, scan.stamp.lines, scan.stamp.shares) == (seen.stamped, seen.lines, seen.shares)
    assert scan.stamp.areas == tuple(tuple((x / factor, y / factor) for x, y in a) for a in seen.areas)
    assert scan.stamp.stamped is (change is not GREY["unsigned"])


def test_the_affine_fit_recovers_a_rotation_and_scale() -> None:
    src = [(0, 0), (10, 0), (10, 10), (0, 10)]
    dst = [(5, 5), (5, 25), (-15, 25), (-15, 5)]  # turned 90°, twice the size, moved
    coeffs = stamp.affine(src, dst)
    assert [round(v, 6) for v in coeffs] == [0, -2, 5, 2, 0, 5]


def test_attach_and_sort_store_whether_the_page_was_signed_and_stamped(world: World) -> None:
    from app.ops.scan import attach_file, sort_inbox

    s = world.store
    bare = world.write("unsealed.jpg", scans.jpeg(stamps.signed(world.page(), seal=False), 85))
    attach_file(s, CASE_A, Slot.OPINION, bare)
    [att] = s.attachments(CASE_A)
    assert att.verdict == "ok" and att.stamped is False and att.stamp_note == stamp.NO_SEAL
    inbox = world.dir / "stack"
    inbox.mkdir()
    (inbox / "opinion.jpg").write_bytes(scans.jpeg(stamps.signed(world.page()), 85))
    (inbox / "appraisal.jpg").write_bytes(scans.jpeg(world.page(kind=FormKind.APPRAISAL), 85))
    result = sort_inbox(s, [inbox], apply=True, out_dir=world.dir / "upload")
    assert all(p.stored for p in result.placed)
    got = {a.slot: (a.stamped, a.stamp_note) for a in s.attachments(CASE_A)}
    assert got == {Slot.OPINION: (True, ""), Slot.APPRAISAL: (False, stamp.BLANK_NOTE)}
    assert {p["slot"]: p["stamped"] for p in result.to_json()["placed"]} == {"opinion": True, "appraisal": False}
