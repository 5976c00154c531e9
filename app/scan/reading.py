"""Reading QR codes with zxing-cpp: strictly, as the portal would, or leniently, to find them.

``ok`` must mean "a plain reader reads it", so the strict read turns off every
extra effort zxing-cpp offers (inverted codes, downscaled copies, rotation
search) and reads only QR codes. The lenient read is ours alone: it finds a code
that the portal would miss so that the page can be repaired. An upload image is
read twice (:func:`read_upload`): strictly by zxing-cpp on the whole image, and
by zbar, a reader written independently of it, in the code's square, because the
portal's reader is neither of them and a code that only one reader takes is not
safe.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import zxingcpp
from PIL import Image
from pyzbar import pyzbar

GLOBAL = zxingcpp.Binarizer.GlobalHistogram
LOCAL = zxingcpp.Binarizer.LocalAverage  # zxing-cpp's own default


def _qr_only() -> zxingcpp.BarcodeFormats:
    """QR codes only, made at each read: a nanobind object kept in a module global outlives the bindings' own
    clean-up at exit, and nanobind then prints "leaked instances" at the end of every run that read a code."""
    return zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)


Point = tuple[float, float]
#: Fewest pixels per module that a plain reader is sure of; our repairs aim at ``repair.MIN_MODULE_PX``.
PLAIN_MODULE_PX = 3.0
#: The quiet zone a QR code needs around it, in modules (ISO/IEC 18004): the second reader's view of a code.
QUIET_MODULES = 4


@dataclass(frozen=True)
class Code:
    """One QR code found in an image: its text and where it is."""

    text: str
    corners: tuple[Point, Point, Point, Point]  # top-left, top-right, bottom-right, bottom-left of the symbol
    orientation: int  # degrees the symbol is turned, as zxing-cpp reports it
    version: int | None

    @property
    def side(self) -> float:
        """The mean length of the symbol's four sides, in pixels."""
        c = self.corners
        return sum(math.dist(c[i], c[(i + 1) % 4]) for i in range(4)) / 4

    @property
    def angle(self) -> float:
        """Degrees from the image's x axis to the symbol's top edge (clockwise, as the image's y goes down)."""
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = self.corners
        return math.degrees(math.atan2((y1 - y0) + (y2 - y3), (x1 - x0) + (x2 - x3)))

    @property
    def module_px(self) -> float:
        """Pixels per module; a plain reader wants at least about 3."""
        modules = 17 + 4 * (self.version or 3)
        return self.side / modules

    def moved(self, dx: float, dy: float, scale: float = 1.0) -> Code:
        """The same code in the coordinates of a larger image this one was cut from (and scaled by ``scale``)."""
        pts = tuple((x / scale + dx, y / scale + dy) for x, y in self.corners)
        return Code(self.text, pts, self.orientation, self.version)  # type: ignore[arg-type]  # four corners in, four out


def _codes(found: list[zxingcpp.Barcode]) -> list[Code]:
    out: dict[str, Code] = {}
    for b in found:
        if not b.valid or b.text in out:
            continue
        p = b.position
        corners = tuple((float(q.x), float(q.y)) for q in (p.top_left, p.top_right, p.bottom_right, p.bottom_left))
        extra = b.extra if isinstance(b.extra, dict) else {}
        try:
            version = int(extra.get("Version", 0)) or None
        except (TypeError, ValueError):
            version = None
        out[b.text] = Code(b.text, corners, int(b.orientation), version)  # type: ignore[arg-type]  # a position has four corners
    return list(out.values())


def read_strict(image: Image.Image | memoryview) -> list[Code]:
    """What a plain reader reads: QR codes only, no inversion, no downscaling, no rotation search."""
    return _codes(
        zxingcpp.read_barcodes(image, formats=_qr_only(), try_rotate=False, try_invert=False, try_downscale=False)
    )


def read_lenient(image: Image.Image | memoryview, binarizer: zxingcpp.Binarizer | None = None) -> list[Code]:
    """Every effort zxing-cpp offers, to find a code the portal might miss."""
    return _codes(
        zxingcpp.read_barcodes(
            image,
            formats=_qr_only(),
            try_rotate=True,
            try_invert=True,
            try_downscale=True,
            binarizer=binarizer or LOCAL,
        )
    )


#: zbar's word for the way a code faces, as the clockwise quarter turn of the page it is printed on
_ZBAR_TURNS = {"UP": 0, "RIGHT": 90, "DOWN": 180, "LEFT": -90}


def tilt(code: Code, quarter: int | None = None) -> float:
    """How far the page leans, in degrees clockwise (-180..180): the code's angle, or, when the page's quarter
    turn is known otherwise (a code printed mirrored reads as one turned a quarter), that turn and the code's
    lean within it."""
    near = 90 * round(code.angle / 90)
    turned = code.angle if quarter is None else quarter + code.angle - near
    return (turned + 180) % 360 - 180


@dataclass(frozen=True)
class UploadRead:
    """What two independent readers read in an upload image."""

    codes: list[Code]  # zxing-cpp's strict read of the whole image: every code in it
    confirmed: frozenset[str]  # the texts of those codes that zbar reads too, alone in the code's square
    turns: dict[str, int | None]  # the quarter turn zbar sees each confirmed code at
    size: tuple[int, int]

    @property
    def texts(self) -> set[str]:
        return {c.text for c in self.codes}

    def portal_proof(self, text: str) -> bool:
        """Whether ``text`` is the image's only code, read by both readers, with modules a plain reader resolves."""
        return (
            [c.text for c in self.codes] == [text]
            and text in self.confirmed
            and self.codes[0].module_px >= PLAIN_MODULE_PX
        )

    def code(self, text: str) -> Code:
        return next(c for c in self.codes if c.text == text)


def read_second(image: Image.Image, code: Code) -> dict[str, int | None]:
    """What zbar reads in ``code``'s square of ``image`` with its quiet zone (the whole page would cost 50 times
    more): each text, with the quarter turn it faces."""
    xs = [p[0] for p in code.corners]
    ys = [p[1] for p in code.corners]
    pad = code.module_px * QUIET_MODULES + 2
    box = (max(0, math.floor(min(xs) - pad)), max(0, math.floor(min(ys) - pad)),
           min(image.width, math.ceil(max(xs) + pad)), min(image.height, math.ceil(max(ys) + pad)))  # fmt: skip
    if box[2] - box[0] < 8 or box[3] - box[1] < 8:
        return {}
    square = image.crop(box)
    found = pyzbar.decode(square if square.mode == "L" else square.convert("L"), symbols=[pyzbar.ZBarSymbol.QRCODE])
    return {d.data.decode("utf-8", "replace"): _ZBAR_TURNS.get(d.orientation) for d in found}


def read_upload(gray: Image.Image, pixels: Image.Image | memoryview | None = None) -> UploadRead:
    """The strict read of an upload image (``pixels``: the same image as rows of bytes, to spare a copy), each
    code it finds confirmed by the second reader."""
    codes = read_strict(gray if pixels is None else pixels)
    seen = {c.text: read_second(gray, c) for c in codes}
    confirmed = frozenset(t for t, second in seen.items() if set(second) == {t})
    return UploadRead(codes, confirmed, {t: seen[t][t] for t in confirmed}, gray.size)
