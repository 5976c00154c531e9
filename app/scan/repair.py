"""Finding a code that a plain reader misses, and making an image that a plain reader reads.

Cheap attempts first: the corner of the page where our forms put the code, then
the whole page, then the page with the red seal's colour separated, with more
contrast, enlarged. The repaired image is the whole page (the committee reads the
form too): turned upright, deskewed, scaled so that a module is at least
:data:`MIN_MODULE_PX` pixels, and only inside the code's own square are the seal
colour and the grey of a blurred scan taken out. Pillow only.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Iterator

from PIL import Image, ImageFilter, ImageOps

from app.scan.pages import Limits, loaded_into_buffer
from app.scan.reading import GLOBAL, Code, UploadRead, read_lenient, read_upload, tilt

MIN_MODULE_PX = 4.0
#: A page leaning less than this is left as it is (the upload may lean up to a degree).
DESKEW_FROM_DEGREES = 0.25
A4_MM = (210.0, 297.0)
#: Where our forms put the code when app.forms does not say: (x, y, size) in mm on an A4 page.
DEFAULT_QR_BOX_MM = (160.0, 12.0, 35.0)
REGION_MARGIN_MM = 15.0
#: The steps of repair, mildest first; the words say what was done, for the message.
LEVELS = ("", "分离印章颜色", "去模糊并二值化二维码区域")


def is_ours(text: str) -> bool:
    """A code of our forms (``ZW`` prefix)."""
    return text.startswith("ZW")


def ours_first(codes: list[Code], wanted: Callable[[str], bool] = is_ours) -> list[Code]:
    """The codes ``wanted`` (ours, or a portal blank's brought in) if there are any, else all codes."""
    ours = [c for c in codes if wanted(c.text)]
    return ours or codes


def separate_seal(im: Image.Image) -> Image.Image:
    """Grey in which red ink turns light and black stays black: the red channel."""
    return im.getchannel("R") if im.mode == "RGB" else im


def _regions(size: tuple[int, int], box_mm: tuple[float, ...]) -> list[tuple[int, int, int, int]]:
    """The code's corner on an A4-shaped image, upright and upside down, with a margin."""
    w, h = size
    portrait = (w, h) if w <= h else (h, w)
    if abs(portrait[1] / portrait[0] - A4_MM[1] / A4_MM[0]) > 0.12 or w > h:
        return []
    sx, sy = w / A4_MM[0], h / A4_MM[1]
    x, y, bw = box_mm[:3]
    bh = box_mm[3] if len(box_mm) > 3 else bw
    m = REGION_MARGIN_MM
    box = (max(0, (x - m) * sx), max(0, (y - m) * sy), min(w, (x + bw + m) * sx), min(h, (y + bh + m) * sy))
    flipped = (w - box[2], h - box[3], w - box[0], h - box[1])
    return [tuple(round(v) for v in b) for b in (box, flipped)]  # type: ignore[misc]  # four numbers in, four out


def find_codes(
    page_color: Callable[[], Image.Image], gray: Image.Image, box_mm: tuple[float, ...],
    wanted: Callable[[str], bool] = is_ours,
) -> list[Code]:  # fmt: skip
    """Every code a lenient read finds on the page, trying cheap crops before the whole page,
    until a ``wanted`` one is found."""
    found: list[Code] = []

    def attempts() -> Iterator[list[Code]]:
        for box in _regions(gray.size, box_mm):
            crop = gray.crop(box)
            yield [c.moved(box[0], box[1]) for c in read_lenient(crop)]
            color = page_color()
            if color.mode == "RGB":
                yield [c.moved(box[0], box[1]) for c in read_lenient(separate_seal(color.crop(box)))]
        yield read_lenient(gray)
        color = page_color()
        if color.mode == "RGB":
            yield read_lenient(separate_seal(color))
        yield read_lenient(gray, GLOBAL)
        sharp = ImageOps.autocontrast(gray, cutoff=1).filter(
            ImageFilter.UnsharpMask(radius=3, percent=200, threshold=0)
        )
        yield read_lenient(sharp)
        if max(gray.size) <= 2400:
            yield [
                c.moved(0, 0, 2.0)
                for c in read_lenient(gray.resize((gray.width * 2, gray.height * 2), Image.Resampling.BICUBIC))
            ]

    for codes in attempts():
        new = [c for c in codes if c.text not in {f.text for f in found}]
        found += new
        if any(wanted(c.text) for c in found):
            break
    return found


def is_mirrored(code: Code, size: tuple[int, int]) -> bool:
    """Whether a page with our code is mirrored (a phone's front camera): our forms put the code at the top
    right, and a mirror image read in the code's own axes puts it at the bottom left.

    zxing-cpp reads a mirrored code as a transposed one, so the symbol alone cannot tell.
    """
    (x0, y0), (x1, y1), _, (x3, y3) = code.corners
    cx = sum(p[0] for p in code.corners) / 4 - size[0] / 2
    cy = sum(p[1] for p in code.corners) / 4 - size[1] / 2
    side = max(code.side, 1.0)
    right = (cx * (x1 - x0) + cy * (y1 - y0)) / side / max(size)
    down = (cx * (x3 - x0) + cy * (y3 - y0)) / side / max(size)
    return right < -0.1 and down > 0.1


def upright(
    im: Image.Image, code: Code, quarter: int | None = None, deskew: bool = True
) -> tuple[Image.Image, list[str]]:
    """The page turned so that the code (and with it our form) stands upright and straight; ``quarter``, when
    known, is the quarter turn of the page (see :func:`app.scan.reading.tilt`). Without ``deskew`` only quarter
    turns: a page squared by its own edges is straighter than a 25 mm code can tell."""
    angle = tilt(code, quarter)
    quarter = round(angle / 90) * 90
    residual = angle - quarter
    done = []
    if quarter % 360:
        im = im.transpose(
            {90: Image.Transpose.ROTATE_90, 180: Image.Transpose.ROTATE_180, 270: Image.Transpose.ROTATE_270}[
                quarter % 360
            ]
        )
        done.append("转正")
    if deskew and abs(residual) >= DESKEW_FROM_DEGREES:
        fill = (255, 255, 255) if im.mode == "RGB" else 255
        im = im.rotate(residual, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=fill)
        done.append("纠偏")
    return im, done


def page_quarter(code: Code, size: tuple[int, int], second: int | None, ours: bool) -> int | None:
    """The page's quarter turn (clockwise degrees) where the code's own reading does not tell it, else None.

    zxing-cpp reads a code printed mirrored as one turned a quarter (a transposed code), while
    zbar (``second``) reads it facing the page when it is mirrored left to right. On our forms the
    layout settles it whichever way the code is mirrored: the code sits at the page's top right.
    """
    near = 90 * round(code.angle / 90)
    if second is None or (second - near) % 180 != 90:
        return None
    if not ours:
        return second
    dx = sum(p[0] for p in code.corners) / 4 - size[0] / 2
    dy = sum(p[1] for p in code.corners) / 4 - size[1] / 2
    return {(True, True): 0, (True, False): 90, (False, False): 180, (False, True): -90}[(dx > 0, dy < 0)]


def fit_scale(size: tuple[int, int], module_px: float, limits: Limits) -> float:
    """Scale so that a module has :data:`MIN_MODULE_PX` pixels, within the upload's longest side."""
    s = 1.0
    if module_px < MIN_MODULE_PX:
        s = (MIN_MODULE_PX + 0.5) / module_px
    return min(s, limits.upload_max_side / max(size))


def clean_code_area(im: Image.Image, code: Code, level: int) -> Image.Image:
    """Take the seal colour (level 1) and the blur (level 2) out of the code's square only."""
    if level == 0:
        return im
    xs = [p[0] for p in code.corners]
    ys = [p[1] for p in code.corners]
    pad = code.module_px * 4
    box = (
        max(0, int(min(xs) - pad)), max(0, int(min(ys) - pad)),
        min(im.width, math.ceil(max(xs) + pad)), min(im.height, math.ceil(max(ys) + pad)),
    )  # fmt: skip
    if box[2] - box[0] < 8 or box[3] - box[1] < 8:
        return im
    area = ImageOps.autocontrast(separate_seal(im.crop(box)), cutoff=1)
    if level >= 2:
        area = area.filter(ImageFilter.UnsharpMask(radius=max(1, int(code.module_px / 2)), percent=250, threshold=0))
        threshold = otsu(area)
        area = area.point([255 if level > threshold else 0 for level in range(256)])
    out = im.copy()
    out.paste(area.convert(im.mode), box[:2])
    return out


def otsu(gray: Image.Image) -> int:
    """Otsu's threshold of a grey image: the level that best splits its histogram in two
    (the first such level; 0 for an image of one level)."""
    histogram = gray.histogram()
    total = sum(histogram)
    total_mean = sum(level * count for level, count in enumerate(histogram))
    best, best_between = 0, 0.0
    weight = mean = 0
    for level, count in enumerate(histogram):
        weight += count
        mean += level * count
        if weight == 0 or weight == total:
            continue
        between = (total_mean * weight / total - mean) ** 2 / (weight * (total - weight))
        if between > best_between:
            best, best_between = level, between
    return best


def encode_jpeg(im: Image.Image, limits: Limits, min_module_scale: float = 0.0) -> bytes:
    """JPEG bytes within the upload limits: lower quality first, then smaller, never below ``min_module_scale``."""
    side = max(im.size)
    if side > limits.upload_max_side:
        s = limits.upload_max_side / side
        im = im.resize((max(1, int(im.width * s)), max(1, int(im.height * s))), Image.Resampling.LANCZOS)
    quality = limits.jpeg_quality
    scale = 1.0
    optimize = False  # an extra pass, worth it only when the file is too big
    while True:
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=quality, optimize=optimize)
        data = buf.getvalue()
        if len(data) <= limits.upload_max_bytes:
            return data
        if not optimize:
            optimize = True
            continue
        if quality > 60:
            quality -= 10
            continue
        scale *= 0.85
        if scale < max(min_module_scale, 0.2):
            return data  # the caller sees the size and says so
        im = im.resize((max(1, int(im.width * 0.85)), max(1, int(im.height * 0.85))), Image.Resampling.LANCZOS)


#: Below this share of dark pixels a page holds nothing: a stamped form has several percent,
#: a single ruled box about half a percent.
BLANK_INK = 0.001


def is_blank(gray: Image.Image) -> bool:
    """Whether a page is next to empty (judged on a small copy, so it costs nothing)."""
    small = gray.copy()
    small.thumbnail((800, 800))
    histogram = small.histogram()
    dark = sum(histogram[:160])
    return dark <= BLANK_INK * max(1, small.width * small.height)


def strict_read(data: bytes) -> tuple[UploadRead, tuple[int, int]]:
    """Re-open written bytes and read them as the portal will get them: both readers, strictly."""
    im = Image.open(io.BytesIO(data), formats=("JPEG", "PNG"))  # our own bytes, in an upload format
    size = im.size
    if im.format == "JPEG":
        im.draft("L", im.size)
    if im.mode == "L":
        gray, pixels = loaded_into_buffer(im)  # no copy of the page on its way to the readers
        return read_upload(gray, pixels), size
    im.load()
    return read_upload(im.convert("L")), size
