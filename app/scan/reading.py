"""Reading QR codes with zxing-cpp: strictly, as the portal would, or leniently, to find them.

``ok`` must mean "a plain reader reads it", so the strict read turns off every
extra effort zxing-cpp offers (inverted codes, downscaled copies, rotation
search) and reads only QR codes. The lenient read is ours alone: it finds a code
that the portal would miss so that the page can be repaired.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import zxingcpp
from PIL import Image

QR = zxingcpp.BarcodeFormat.QRCode

Point = tuple[float, float]


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
    def module_px(self) -> float:
        """Pixels per module; a plain reader wants at least about 3."""
        modules = 17 + 4 * (self.version or 3)
        return self.side / modules

    def moved(self, dx: float, dy: float, scale: float = 1.0) -> Code:
        """The same code in the coordinates of a larger image this one was cut from (and scaled by ``scale``)."""
        pts = tuple((x / scale + dx, y / scale + dy) for x, y in self.corners)
        return Code(self.text, pts, self.orientation, self.version)  # type: ignore[arg-type]


def _codes(found: list[zxingcpp.Barcode]) -> list[Code]:
    out: dict[str, Code] = {}
    for b in found:
        if not b.valid or b.text in out:
            continue
        p = b.position
        corners = tuple((float(q.x), float(q.y)) for q in (p.top_left, p.top_right, p.bottom_right, p.bottom_left))
        try:
            version = int(b.extra.get("Version", 0)) or None
        except (TypeError, ValueError, AttributeError):
            version = None
        out[b.text] = Code(b.text, corners, int(b.orientation), version)  # type: ignore[arg-type]
    return list(out.values())


def read_strict(image: Image.Image | memoryview) -> list[Code]:
    """What a plain reader reads: QR codes only, no inversion, no downscaling, no rotation search."""
    return _codes(zxingcpp.read_barcodes(image, formats=QR, try_rotate=False, try_invert=False, try_downscale=False))


def read_lenient(image: Image.Image | memoryview, binarizer: zxingcpp.Binarizer | None = None) -> list[Code]:
    """Every effort zxing-cpp offers, to find a code the portal might miss."""
    kwargs = {} if binarizer is None else {"binarizer": binarizer}
    return _codes(
        zxingcpp.read_barcodes(image, formats=QR, try_rotate=True, try_invert=True, try_downscale=True, **kwargs)
    )


GLOBAL = zxingcpp.Binarizer.GlobalHistogram
