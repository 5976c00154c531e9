"""A photo of a sheet on a desk, squared: the sheet's four edges found and the sheet mapped onto a rectangle.

A phone sees the page from a little to the side: the far edge looks shorter, the desk shows
round it. The code's corners alone cannot undo that (a 25 mm code tells the lean of the page
near it, not across 297 mm), so the sheet's own edges are used: a sheet is lighter than what
it lies on. :func:`sheet` finds its corners on a small copy of the photo, and only when the
sheet is clearly a sheet (a four-cornered bright shape with the ground round it, shaped like
a page); a scan, whose paper fills the image, has none. :func:`squared` maps it onto a page
of A4 proportions. Pillow only.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PIL import Image, ImageFilter

from app.scan.repair import otsu

Point = tuple[float, float]
Quad = tuple[Point, Point, Point, Point]  # top-left, top-right, bottom-right, bottom-left

#: The photo is looked at this small (its longer side, px): the sheet's edges need no more.
LOOK_PX = 1000
#: The sheet must cover at least this share of the photo, and the ground this share of its border.
MIN_SHEET_SHARE = 0.25
MIN_GROUND_SHARE = 0.3
#: Paper and ground must differ by this many grey levels (a white sheet on a white table is left alone).
MIN_CONTRAST = 40
#: A sheet's corners: each within this many degrees of a right angle, opposite sides alike within this ratio.
MAX_CORNER_SKEW = 25.0
MAX_SIDE_RATIO = 1.35
#: A sheet whose corners sit within this share of the photo's side from an upright rectangle is already square.
SQUARE_WITHIN = 0.004
A4_RATIO = 297 / 210
#: Squared sheets within this share of A4's proportion are given it exactly (the far side is foreshortened).
A4_WITHIN = 0.12


def sheet(gray: Image.Image) -> Quad | None:
    """The corners of the sheet in a photo of it on a darker ground, in ``gray``'s pixels; None when there is no
    such sheet (a scan, a photo filled by the page, a sheet on a ground as light as itself)."""
    if not _ground_round(gray):
        return None  # a glance at the edges first: most pages are scans, whose paper reaches them
    k = max(1, math.ceil(max(gray.size) / LOOK_PX))
    small = gray.reduce(k) if k > 1 else gray
    level, contrast = _split(small)
    if contrast < MIN_CONTRAST:
        return None
    paper = small.point([255 if v > level else 0 for v in range(256)], "L")
    if _ground_share(paper) < MIN_GROUND_SHARE:
        return None  # paper to the image's edges: a scan, or a photo filled by the page
    # an opening: specks of light on the ground and of ink on the paper go (a box blur is a min or a max filter
    # of a two-level mask in constant time a pixel)
    paper = paper.filter(ImageFilter.BoxBlur(2)).point([255 if v == 255 else 0 for v in range(256)], "L")
    paper = paper.filter(ImageFilter.BoxBlur(2)).point([255 if v > 0 else 0 for v in range(256)], "L")
    w, h = paper.size
    pixels = paper.tobytes()
    rows = []
    for y in range(h):
        line = pixels[y * w : (y + 1) * w]
        x0, x1 = line.find(255), line.rfind(255) + 1
        if x0 >= 0 and x1 - x0 >= 0.2 * w:
            rows.append((y + 0.5, x0, x1))
    if len(rows) < 0.3 * h:
        return None
    tl = min(((x0, y) for y, x0, _ in rows), key=lambda p: p[0] + p[1])
    tr = max(((x1, y) for y, _, x1 in rows), key=lambda p: p[0] - p[1])
    br = max(((x1, y) for y, _, x1 in rows), key=lambda p: p[0] + p[1])
    bl = min(((x0, y) for y, x0, _ in rows), key=lambda p: p[0] - p[1])
    quad: Quad = (tl, tr, br, bl)
    if not _page_shaped(quad, w * h):
        return None
    return tuple((x * k, y * k) for x, y in quad)  # type: ignore[return-value]  # four points in, four out


def is_square(quad: Quad, size: tuple[int, int]) -> bool:
    """Whether the sheet stands as an upright rectangle already (only the ground round it to cut away)."""
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = quad
    tol = SQUARE_WITHIN * max(size)
    return max(abs(x0 - x3), abs(x1 - x2), abs(y0 - y1), abs(y3 - y2)) <= tol


def squared(im: Image.Image, quad: Quad) -> Image.Image:
    """The sheet alone, mapped onto an upright rectangle of its own size (of A4's proportion when it is near it)."""
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = quad
    width = (math.dist((x0, y0), (x1, y1)) + math.dist((x3, y3), (x2, y2))) / 2
    height = (math.dist((x0, y0), (x3, y3)) + math.dist((x1, y1), (x2, y2))) / 2
    ratio = height / width
    for a4 in (A4_RATIO, 1 / A4_RATIO):
        if abs(ratio / a4 - 1) <= A4_WITHIN:
            # the far side looks shorter than it is: the longer of each pair of sides is nearer the truth
            long_w = max(math.dist((x0, y0), (x1, y1)), math.dist((x3, y3), (x2, y2)))
            long_h = max(math.dist((x0, y0), (x3, y3)), math.dist((x1, y1), (x2, y2)))
            width = max(long_w, long_h / a4)
            height = width * a4
    size = (max(16, round(width)), max(16, round(height)))
    target = ((0.0, 0.0), (float(size[0]), 0.0), (float(size[0]), float(size[1])), (0.0, float(size[1])))
    coeffs = perspective(target, quad)
    fill = (255, 255, 255) if im.mode == "RGB" else 255
    return im.transform(size, Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BICUBIC, fillcolor=fill)


def perspective(src: Sequence[Point], dst: Sequence[Point]) -> tuple[float, ...]:
    """The eight coefficients of the projective map taking the four points ``src`` to ``dst`` (Pillow's
    ``PERSPECTIVE`` transform wants the map from the output image to the input one)."""
    rows = []
    for (x, y), (u, v) in zip(src, dst, strict=True):
        rows.append([x, y, 1.0, 0.0, 0.0, 0.0, -u * x, -u * y, u])
        rows.append([0.0, 0.0, 0.0, x, y, 1.0, -v * x, -v * y, v])
    return tuple(solve(rows))


def solve(rows: list[list[float]]) -> list[float]:
    """The solution of a square linear system given as augmented rows (Gauss-Jordan with partial pivoting);
    ``ValueError`` for a singular one. The rows are worked on in place."""
    n = len(rows)
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(rows[r][col]))
        if abs(rows[pivot][col]) < 1e-12:
            raise ValueError("a singular system: the points are degenerate")
        rows[col], rows[pivot] = rows[pivot], rows[col]
        for r in range(n):
            if r != col:
                f = rows[r][col] / rows[col][col]
                rows[r] = [a - f * b for a, b in zip(rows[r], rows[col], strict=True)]
    return [rows[i][n] / rows[i][i] for i in range(n)]


def _split(small: Image.Image) -> tuple[int, float]:
    """Otsu's level between ground and paper, and how far apart the two sides' mean greys are."""
    histogram = small.histogram()[:256]
    best = otsu(small)
    dark, total = sum(histogram[: best + 1]), sum(histogram)
    if dark == 0 or dark == total:
        return best, 0.0
    dark_sum = sum(v * c for v, c in enumerate(histogram[: best + 1]))
    light_sum = sum(v * c for v, c in enumerate(histogram)) - dark_sum
    return best, light_sum / (total - dark) - dark_sum / dark


def _ground_round(gray: Image.Image) -> bool:
    """Whether the image's edges are mostly darker than the paper in its middle (the middle cross's light quarter),
    judged on a few thin strips."""
    w, h = gray.size
    edge = [gray.crop(b) for b in ((0, 0, w, 3), (0, h - 3, w, h), (0, 0, 3, h), (w - 3, 0, w, h))]
    middle = [gray.crop((0, h // 2 - 1, w, h // 2 + 1)), gray.crop((w // 2 - 1, 0, w // 2 + 1, h))]
    paper = _quantile(middle, 0.75)
    return _quantile(edge, 0.5) < paper - MIN_CONTRAST


def _quantile(strips: list[Image.Image], q: float) -> int:
    histogram = [sum(c) for c in zip(*(s.histogram()[:256] for s in strips), strict=True)]
    want, seen = q * sum(histogram), 0
    for v, c in enumerate(histogram):
        seen += c
        if seen >= want:
            return v
    return 255


def _ground_share(paper: Image.Image) -> float:
    """The share of the photo's border (its outer pixels all round) that is ground, not paper."""
    w, h = paper.size
    strips = [paper.crop((0, 0, w, 2)), paper.crop((0, h - 2, w, h)), paper.crop((0, 0, 2, h)),
              paper.crop((w - 2, 0, w, h))]  # fmt: skip
    light = sum(s.histogram()[255] for s in strips)
    return 1 - light / sum(s.width * s.height for s in strips)


def _page_shaped(quad: Quad, area: float) -> bool:
    """A sheet as a phone sees a page: big enough, its corners near right angles, opposite sides alike."""
    sides = [math.dist(quad[i], quad[(i + 1) % 4]) for i in range(4)]
    if min(sides) <= 0:
        return False
    if max(sides[0], sides[2]) / min(sides[0], sides[2]) > MAX_SIDE_RATIO:
        return False
    if max(sides[1], sides[3]) / min(sides[1], sides[3]) > MAX_SIDE_RATIO:
        return False
    for i in range(4):
        a, b, c = quad[i - 1], quad[i], quad[(i + 1) % 4]
        v1 = (a[0] - b[0], a[1] - b[1])
        v2 = (c[0] - b[0], c[1] - b[1])
        cos = (v1[0] * v2[0] + v1[1] * v2[1]) / (math.hypot(*v1) * math.hypot(*v2))
        if abs(math.degrees(math.acos(max(-1.0, min(1.0, cos)))) - 90) > MAX_CORNER_SKEW:
            return False
    shoelace = sum(quad[i][0] * quad[(i + 1) % 4][1] - quad[(i + 1) % 4][0] * quad[i][1] for i in range(4)) / 2
    return abs(shoelace) >= MIN_SHEET_SHARE * area
