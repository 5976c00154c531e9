"""Was the page signed and stamped? The scan compared with its blank, placed by the code's corners.

The portal reads only the code; the review committee reads the page. Every form we
check has a known blank: our own forms' layout, or the portal's page that was brought
in. The code's four corners on the scan and on the blank give the scan's geometry
(rotation, scale, skew; an upside-down page included), so the scan is warped onto the
blank at :data:`PX_PER_MM` and looked at where the seal and the signature go. Ink
there that the blank does not have was added by hand; a colour scan also shows whether
that ink is a red seal.

:func:`assess` says ``True`` (a seal and a signature are seen), ``False`` (the page is
the blank itself, or nothing was added where the seal or the signature goes, or a
colour page carries no red seal) or ``None`` (cannot tell: the page could not be
placed, or ink was added but too little or in no colour to call it a seal). Pillow only.
"""

from __future__ import annotations

import functools
import io
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageChops, ImageFilter, ImageStat

from app.core.payload import FormKind
from app.scan.squaring import solve

Point = tuple[float, float]
log = logging.getLogger(__name__)

#: Forms that carry a seal and a signature (the 公示证明 is checked only when it is ours: it has no blank here).
STAMPED_KINDS = (FormKind.OPINION, FormKind.APPRAISAL)
#: The scan is decoded at about the working resolution (a JPEG's reduced decoding: a quarter of a 300 DPI scan).
OVERSAMPLE = 0.9

#: The working resolution: enough for a pen stroke (0.5 mm is 1.5 px), small enough to be cheap.
PX_PER_MM = 3.0
A4_MM = (210.0, 297.0)
#: Below this grey a pixel is ink (paper is about 230–255, pen and toner under 120).
INK_BELOW = 150
#: Or, on light paper, this much darker than the paper (the areas' median grey): a faint seal in grey.
LIGHT_INK = 45
#: A pixel is seal red when R is at least this and R exceeds G and B by the margins below.
RED_MIN_R = 130
RED_OVER_G = 50
RED_OVER_B = 35
#: A page is in colour when this share of its pixels has a chroma (max − min channel) over 60.
COLOUR_SHARE = 0.0005
#: How far the printed blank's ink is grown before it is taken away (misplacement tolerated), mm.
TOLERANCE_MM = 1.5

# Shares of an area's pixels, chosen from what scripts/stamp_distribution.py measures on our forms and a
# portal-style blank, signed and stamped or not, scanned in colour, grey, bilevel, at 150 DPI, upside down,
# skewed and as a phone photo (README, "The 盖章页 check"): a signature gives 0.017–0.13 of its area (0.069 and
# up on our forms), an unsigned one at most 0.011 (a photo's blur at the seal's edge); a red seal 0.056–0.105
# seal-red, no seal at most 0.019 ink; the blank itself stays under 0.004 on our forms and 0.014 in a portal
# photo. Each threshold sits nearer the untouched side, so that a real page is never called unsigned.
SIGNED_SHARE = 0.006
SEAL_INK_SHARE = 0.012
SEAL_RED_SHARE = 0.006
#: A non-colour seal area with this much added ink is a seal's worth (a signature is far less).
GREY_SEAL_SHARE = 0.03
#: Below this everywhere, nothing was added at all: the page is the blank itself.
NOTHING_SHARE = 0.008

NO_SEAL = "未见单位公章"
NO_RED_SEAL = "彩色扫描件上未见红色的单位公章"
NO_SIGNATURE = "负责人未签字"
THE_BLANK = "这是下载的空白表本身，不是签字盖章后的扫描件"
THE_PRINTOUT = "这是本程序生成的空白表本身，不是签字盖章后的扫描件"
#: :attr:`Stamp.note` of the blank itself.
BLANK_NOTE = "是空白表本身，未签字盖章"
CANNOT_PLACE = "无法对准空白表，未能判断是否已签字盖章"
CANNOT_TELL = "看到了手写或盖章的痕迹，但无法确认是单位公章，请目视确认"
FIX = "请负责人签字并加盖单位公章后重新扫描（彩色扫描可看出红色公章）"


@dataclass(frozen=True)
class Zone:
    """A rectangle on the blank, in mm from its top-left corner."""

    x0: float
    y0: float
    x1: float
    y1: float

    def px(self) -> tuple[int, int, int, int]:
        return tuple(round(v * PX_PER_MM) for v in (self.x0, self.y0, self.x1, self.y1))  # type: ignore[return-value]  # four in, four out


@dataclass(frozen=True)
class Layout:
    """A blank as the comparison needs it.

    ``symbol`` holds the code's corners on the blank (top-left, top-right,
    bottom-right, bottom-left of the symbol, mm). ``seal`` and ``signature`` are where
    those go; without them (a blank with no text to find them by) ``lower`` is looked
    at as a whole. ``blank`` is the blank page rendered at :data:`PX_PER_MM` in grey,
    whose ink is taken away from the scan's; ``printed`` are rectangles of printed text
    inside the zones, taken away when there is no rendered blank.
    """

    symbol: tuple[Point, Point, Point, Point]
    seal: Zone | None = None
    signature: Zone | None = None
    lower: Zone | None = None
    blank: Image.Image | None = field(default=None, compare=False, repr=False)
    printed: tuple[Zone, ...] = ()
    size_mm: tuple[float, float] = A4_MM
    ours: bool = False

    def zones(self) -> list[Zone]:
        return [z for z in (self.seal, self.signature, self.lower) if z is not None]

    def bounds(self) -> tuple[int, int, int, int]:
        """The rectangle holding the zones, in working pixels."""
        boxes = [z.px() for z in self.zones()]
        return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
                max(b[3] for b in boxes))  # fmt: skip

    @functools.cached_property  # a portal blank's layout is kept (app.blanks.layout): grown once
    def printed_mask(self) -> Image.Image:
        """The blank's printed ink at working resolution, grown by :data:`TOLERANCE_MM` (255 where printed)."""
        size = (round(self.size_mm[0] * PX_PER_MM), round(self.size_mm[1] * PX_PER_MM))
        if self.blank is not None:
            # a square max filter of a two-level mask, made as a box blur (constant time a pixel, where the max
            # filter costs the square's area: a tenth of a second a blank) and "any ink under the box"
            blurred = _mask(self.blank, 200).filter(ImageFilter.BoxBlur(round(TOLERANCE_MM * PX_PER_MM)))
            return blurred.point(_ANY, "L")
        mask = Image.new("L", size, 0)
        for z in self.printed:
            mask.paste(255, z.px())
        return mask


@dataclass(frozen=True)
class Stamp:
    """The answer: ``stamped`` and the officer's lines (empty when all is there)."""

    stamped: bool | None
    lines: tuple[str, ...] = ()
    #: the areas looked at, in the scan's own pixels (four corners each), for the preview
    areas: tuple[tuple[Point, ...], ...] = ()
    shares: dict[str, float] = field(default_factory=dict, compare=False)

    @property
    def fix(self) -> str:
        return FIX if self.stamped is False else ""

    @property
    def note(self) -> str:
        """What is missing, short, to follow the form's name ("单位考核表未见单位公章"); empty unless ``False``."""
        if self.stamped is not False:
            return ""
        if set(self.lines) & {THE_BLANK, THE_PRINTOUT}:
            return BLANK_NOTE
        return "、".join(self.lines)


# -- geometry -------------------------------------------------------------------------


def affine(src: Sequence[Point], dst: Sequence[Point]) -> tuple[float, ...]:
    """The affine map taking ``src`` points to ``dst`` (least squares), as six coefficients
    ``(a, b, c, d, e, f)`` with ``x' = a·x + b·y + c`` and ``y' = d·x + e·y + f``."""
    m = [[0.0] * 3 for _ in range(3)]
    vx = [0.0] * 3
    vy = [0.0] * 3
    for (x, y), (u, w) in zip(src, dst, strict=True):
        row = (x, y, 1.0)
        for i in range(3):
            for j in range(3):
                m[i][j] += row[i] * row[j]
            vx[i] += row[i] * u
            vy[i] += row[i] * w
    return (*solve([[*m[i], vx[i]] for i in range(3)]), *solve([[*m[i], vy[i]] for i in range(3)]))


def _apply(coeffs: Sequence[float], p: Point) -> Point:
    a, b, c, d, e, f = coeffs
    return (a * p[0] + b * p[1] + c, d * p[0] + e * p[1] + f)


def _fit_error(coeffs: Sequence[float], src: Sequence[Point], dst: Sequence[Point]) -> float:
    return max(math.dist(_apply(coeffs, s), t) for s, t in zip(src, dst, strict=True))


# -- looking ----------------------------------------------------------------------------


def _at_least(level: float) -> list[int]:
    """A lookup table: 255 from ``level`` up, else 0 (a table, not a function: Pillow calls one 256 times)."""
    return [255 if v >= level else 0 for v in range(256)]


def _mask(im: Image.Image, below: float) -> Image.Image:
    return im.point([255 if v < below else 0 for v in range(256)], "L")


_OVER_G, _OVER_B, _MIN_R, _CHROMA = _at_least(RED_OVER_G), _at_least(RED_OVER_B), _at_least(RED_MIN_R), _at_least(61)
_ANY = _at_least(1)


def _red(rgb: Image.Image) -> Image.Image:
    r, g, b = rgb.split()
    over_g = ImageChops.subtract(r, g).point(_OVER_G, "L")
    over_b = ImageChops.subtract(r, b).point(_OVER_B, "L")
    bright = r.point(_MIN_R, "L")
    return ImageChops.multiply(ImageChops.multiply(over_g, over_b), bright)


def _is_colour(rgb: Image.Image) -> bool:
    # about 1.5 px/mm still shows a pen's blue (a stroke is half a millimetre) and a seal's red
    small = rgb.reduce(2) if min(rgb.size) > 500 else rgb
    r, g, b = small.split()
    hi = ImageChops.lighter(ImageChops.lighter(r, g), b)
    lo = ImageChops.darker(ImageChops.darker(r, g), b)
    chroma = ImageChops.subtract(hi, lo).point(_CHROMA, "L")
    count = chroma.histogram()[255]
    return count > COLOUR_SHARE * small.width * small.height


def _share(mask: Image.Image, box: tuple[int, int, int, int]) -> float:
    part = mask.crop(box)
    n = max(1, part.width * part.height)
    return part.histogram()[255] / n


def assess(scan: Image.Image, corners: Sequence[Point] | None, layout: Layout, k: int = 1) -> Stamp:
    """Warp ``scan`` onto the blank by the code's ``corners`` and look where the seal and signature go.

    Only the rectangle holding the areas is warped (a tenth of the page for our forms), from only the part of the
    scan that the warp samples. ``k``: ``scan`` is a grey page ``k`` times the working size, of which that part is
    averaged down by ``k`` (``corners`` are then in the averaged page's pixels); the rest is never looked at.
    """
    if corners is None or len(corners) != 4:
        return Stamp(None, (CANNOT_PLACE,))
    src = [(x * PX_PER_MM, y * PX_PER_MM) for x, y in layout.symbol]
    try:
        coeffs = affine(src, corners)
    except ValueError:
        return Stamp(None, (CANNOT_PLACE,))
    # the code's own side, in scan pixels: a fit off by more than a few modules is no placement
    side = math.dist(corners[0], corners[1])
    if _fit_error(coeffs, src, corners) > 0.15 * side:
        return Stamp(None, (CANNOT_PLACE,))
    colour = scan.mode == "RGB" and _is_colour(scan)
    x0, y0, x1, y1 = layout.bounds()
    a, b, c, d, e, f = coeffs
    local = [a, b, a * x0 + b * y0 + c, d, e, d * x0 + e * y0 + f]  # the rectangle's pixels, from its corner
    box = _sampled(local, (x1 - x0, y1 - y0), (-(-scan.width // k), -(-scan.height // k)))
    source = _part(scan, box, k)
    source = source if colour or source.mode == "L" else source.convert("L")
    local[2] -= box[0]
    local[5] -= box[1]
    warped = source.transform((x1 - x0, y1 - y0), Image.Transform.AFFINE, local, Image.Resampling.BILINEAR,
                              fillcolor=(255, 255, 255) if colour else 255)  # fmt: skip
    gray = warped.convert("L") if colour else warped
    dark = _mask(gray, _ink_below(gray))
    red = _red(warped) if colour else None
    printed = layout.printed_mask.crop((x0, y0, x1, y1))
    dark = ImageChops.subtract(dark, printed)
    # a faint seal is light but red; a signature is what is dark and not seal-red
    ink = dark if red is None else ImageChops.lighter(dark, red)
    pen = dark if red is None else ImageChops.subtract(dark, red)
    areas = tuple(tuple(_apply(coeffs, p) for p in _corners_px(z)) for z in layout.zones())
    shares: dict[str, float] = {}
    for name in ("seal", "signature", "lower"):
        zone = getattr(layout, name)
        if zone is not None:
            box = _moved(zone.px(), x0, y0)
            shares[name] = _share(pen if name == "signature" else ink, box)
            if red is not None:
                shares[name + "_red"] = _share(red, box)
    return _decide(layout, colour, shares, areas)


def assess_image(src: Path | bytes, corners: Sequence[Point], layout: Layout, grey: Image.Image | None = None) -> Stamp:
    """:func:`assess` of an upload image (a file, or its bytes in memory), decoded small; the areas in its pixels.

    ``grey``: the image itself, already decoded whole, when it is a grey image: averaged down instead of decoded
    again (a reduced decoding still entropy-decodes every coefficient, which costs as much as the reduction), and
    only where the areas are."""
    k = 1 if grey is None else _reduction(grey)
    try:
        image, factor = _load_small(src) if grey is None else (grey, -(-grey.width // k) / grey.width)
    except (OSError, ValueError) as exc:
        log.warning("the 盖章页 check could not load the page: %r", exc)
        return Stamp(None, (CANNOT_PLACE,))
    seen = assess(image, [(x * factor, y * factor) for x, y in corners], layout, k)
    areas = tuple(tuple((x / factor, y / factor) for x, y in a) for a in seen.areas)
    return Stamp(seen.stamped, seen.lines, areas, seen.shares)


def _load_small(src: Path | bytes) -> tuple[Image.Image, float]:
    """The page image, decoded at a reduced size where the format allows; and its scale."""
    with Image.open(src if isinstance(src, Path) else io.BytesIO(src), formats=["JPEG", "PNG"]) as im:
        full = im.size
        want = OVERSAMPLE * PX_PER_MM * A4_MM[0]
        if im.format == "JPEG" and min(full) > want:
            im.draft(im.mode if im.mode in ("L", "RGB") else "RGB", (round(want), round(want * full[1] / full[0])))
        im.load()
        out = im.convert("RGB") if im.mode not in ("L", "RGB") else im
        k = int(out.width // want)
        out = out.reduce(k) if k > 1 else out.copy()  # a PNG: averaged down, not sampled, so thin strokes stay
    return out, out.width / full[0]


def _reduction(grey: Image.Image) -> int:
    """By how much a grey page decoded whole is averaged down to about the working resolution (1: not at all)."""
    return max(1, int(grey.width // (OVERSAMPLE * PX_PER_MM * A4_MM[0])))


def _sampled(coeffs: Sequence[float], size: tuple[int, int], within: tuple[int, int]) -> tuple[int, int, int, int]:
    """The pixels of an image of size ``within`` that an affine warp by ``coeffs`` to ``size`` samples, bilinearly:
    the corners' box, with a margin for the pixel centres and the neighbours (an empty box if it misses them all)."""
    a, b, c, d, e, f = coeffs
    w, h = size
    xs = [a * x + b * y + c for x in (0, w) for y in (0, h)]
    ys = [d * x + e * y + f for x in (0, w) for y in (0, h)]
    x0, y0 = max(0, math.floor(min(xs)) - 2), max(0, math.floor(min(ys)) - 2)
    x1, y1 = min(within[0], math.ceil(max(xs)) + 2), min(within[1], math.ceil(max(ys)) + 2)
    return x0, y0, max(x0, x1), max(y0, y1)


def _part(scan: Image.Image, box: tuple[int, int, int, int], k: int) -> Image.Image:
    """``box`` of ``scan`` averaged down by ``k``: the very pixels of the whole page averaged down (the blocks lie
    on the same grid, a partial one only at the page's own edge)."""
    x0, y0, x1, y1 = box
    if x1 <= x0 or y1 <= y0:  # the warp misses the page: it samples nothing (an image needs a pixel)
        return scan.crop((0, 0, 1, 1))
    if k == 1:
        return scan.crop(box)
    return scan.reduce(k, box=(x0 * k, y0 * k, min(scan.width, x1 * k), min(scan.height, y1 * k)))


def _ink_below(gray: Image.Image) -> int:
    """Below this grey a pixel is ink: :data:`INK_BELOW`, or nearer the paper's own grey on a light page, so that a
    faint seal scanned in grey (about 175) counts. The areas are mostly paper: their median is the paper's grey."""
    paper = ImageStat.Stat(gray).median[0]
    return max(INK_BELOW, paper - LIGHT_INK)


def _moved(box: tuple[int, int, int, int], dx: int, dy: int) -> tuple[int, int, int, int]:
    return box[0] - dx, box[1] - dy, box[2] - dx, box[3] - dy


def _corners_px(z: Zone) -> tuple[Point, ...]:
    x0, y0, x1, y1 = (v * PX_PER_MM for v in (z.x0, z.y0, z.x1, z.y1))
    return ((x0, y0), (x1, y0), (x1, y1), (x0, y1))


def _decide(layout: Layout, colour: bool, shares: dict[str, float], areas: tuple[tuple[Point, ...], ...]) -> Stamp:
    blank_line = THE_PRINTOUT if layout.ours else THE_BLANK
    inked = [v for k, v in shares.items() if not k.endswith("_red")]
    if inked and max(inked) < NOTHING_SHARE:
        return Stamp(False, (blank_line,), areas, shares)
    if layout.seal is None or layout.signature is None:
        # a blank without words to find the areas by: the lower part of the page as a whole
        lower = shares.get("lower", 0.0)
        if colour:
            if shares.get("lower_red", 0.0) >= SEAL_RED_SHARE:
                return Stamp(True, (), areas, shares)
            return Stamp(False, (NO_RED_SEAL,), areas, shares)
        return Stamp(None if lower >= SIGNED_SHARE else False, (CANNOT_TELL,) if lower >= SIGNED_SHARE else (NO_SEAL,),
                     areas, shares)  # fmt: skip
    lines: list[str] = []
    unsure = False
    if colour:
        if shares.get("seal_red", 0.0) < SEAL_RED_SHARE:
            lines.append(NO_RED_SEAL if shares["seal"] >= SEAL_INK_SHARE else NO_SEAL)
    elif shares["seal"] < SEAL_INK_SHARE:
        lines.append(NO_SEAL)
    elif shares["seal"] < GREY_SEAL_SHARE:
        unsure = True
    if shares["signature"] < SIGNED_SHARE:
        lines.append(NO_SIGNATURE)
    if lines:
        return Stamp(False, tuple(lines), areas, shares)
    if unsure:
        return Stamp(None, (CANNOT_TELL,), areas, shares)
    return Stamp(True, (), areas, shares)


# -- the blanks -------------------------------------------------------------------------

#: Our forms: the code's square (quiet zone included) and the bottom of the opinion box.
OUR_QUIET_MODULES = 4


def our_layout(qr_box_mm: Sequence[float], modules: int) -> Layout:
    """Our 单位审核意见表 and 考核表 (app.forms.case_forms): the same bottom for both.

    The signature block's date line sits 10 mm above the box's bottom (262 mm): the
    signer's words start 6 mm into the box (46 mm) at 240 mm, the seal's place is the
    40 mm above the date on the right. The printed words inside the zones are taken away.
    """
    x, y, size = qr_box_mm[:3]
    module = size / (modules + 2 * OUR_QUIET_MODULES)
    x0, y0 = x + OUR_QUIET_MODULES * module, y + OUR_QUIET_MODULES * module
    s = modules * module
    symbol = ((x0, y0), (x0 + s, y0), (x0 + s, y0 + s), (x0, y0 + s))
    return Layout(
        symbol=symbol,
        signature=Zone(88.0, 226.0, 132.0, 248.0),
        seal=Zone(134.0, 200.0, 188.0, 259.0),
        printed=(Zone(145.0, 235.0, 177.0, 242.5), Zone(141.0, 247.0, 186.0, 254.5)),
        ours=True,
    )


def text_layout(symbol: tuple[Point, Point, Point, Point], blank: Image.Image,
                words: dict[str, tuple[float, float, float, float]], size_mm: tuple[float, float]) -> Layout:  # fmt: skip
    """A portal blank: its code's corners, its rendering, and where its words are (mm boxes).

    ``words`` may hold ``signature`` (the 签字 label) and ``seal`` (the 公章/盖章 label);
    the signature goes right of its label, the seal around its label. Without them the
    lower part of the page is looked at as one.
    """
    w, h = size_mm
    sig = words.get("signature")
    seal = words.get("seal")
    if sig is None or seal is None:
        return Layout(symbol, lower=Zone(5.0, h * 0.55, w - 5.0, h - 5.0), blank=blank, size_mm=size_mm)
    _, sy0, sx1, sy1 = sig
    cx, cy = (seal[0] + seal[2]) / 2, (seal[1] + seal[3]) / 2
    signature = Zone(sx1 + 1.0, sy0 - 10.0, min(w - 5.0, sx1 + 55.0), sy1 + 8.0)
    seal_zone = Zone(max(5.0, cx - 30.0), max(5.0, cy - 32.0), min(w - 5.0, cx + 30.0), min(h - 5.0, cy + 25.0))
    return Layout(symbol, seal=seal_zone, signature=signature, blank=blank, size_mm=size_mm)
