"""Pages in: images and PDFs, told apart by their content, one page at a time.

A PDF page that is one scanned image gives that image at its own resolution: a
JPEG is taken out byte for byte (no loss, and it is what the officer uploads),
anything else is rendered at the image's native DPI. Other pages are rendered at
:data:`RENDER_DPI`. Every guard against bad input (size, pixel count,
encryption, truncation) turns into :class:`Unreadable` with a Chinese message.
"""

from __future__ import annotations

import io
import logging
import math
import mmap
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, cast

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import (
    BmpImagePlugin,
    GifImagePlugin,
    Image,
    Jpeg2KImagePlugin,
    JpegImagePlugin,
    PngImagePlugin,
    TiffImagePlugin,
    WebPImagePlugin,
)

from app.core.errors import os_cause

if TYPE_CHECKING:
    from app.store import Store

RENDER_DPI = 200
MAX_NATIVE_DPI = 600
#: A page image needs at least this share of the page to count as "the page is one scan".
FULL_PAGE_SHARE = 0.8
#: Formats the portal takes as they are.
UPLOAD_FORMATS = {"JPEG": "jpg", "PNG": "png"}
#: The only decoders an image file is ever handed to, chosen by its first bytes (never by its name):
#: no PostScript (Pillow's EPS plugin runs Ghostscript), no other interpreter, no exotic format.
DECODERS = tuple(
    plugin.format
    for plugin in (
        JpegImagePlugin.JpegImageFile, PngImagePlugin.PngImageFile, TiffImagePlugin.TiffImageFile,
        BmpImagePlugin.BmpImageFile, GifImagePlugin.GifImageFile, WebPImagePlugin.WebPImageFile,
        Jpeg2KImagePlugin.Jpeg2KImageFile,
    )
)  # fmt: skip
#: The most pixels one PDF page is rendered to, whatever size the page claims: a drawn page
#: gets A4 at :data:`RENDER_DPI` (twice over, for A3), a scanned one A4 at :data:`MAX_NATIVE_DPI`.
DRAWN_PAGE_PIXELS = 2 * round(8.27 * RENDER_DPI) * round(11.69 * RENDER_DPI)
SCANNED_PAGE_PIXELS = round(8.27 * MAX_NATIVE_DPI) * round(11.69 * MAX_NATIVE_DPI)

log = logging.getLogger(__name__)


class Unreadable(Exception):
    """A file or page that cannot be read; ``message`` and ``fix`` are for the officer."""

    def __init__(self, message: str, fix: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix


@dataclass(frozen=True)
class Limits:
    """The settings that bound the work: what is read, and what may be uploaded."""

    max_file_bytes: int = 300 * 1024 * 1024
    max_pixels: int = 120_000_000
    upload_max_bytes: int = 5 * 1024 * 1024
    upload_max_side: int = 4000
    jpeg_quality: int = 90

    @classmethod
    def from_store(cls, store: Store) -> Limits:
        g = store.get_setting
        return cls(
            g("scan.max_file_bytes"),
            g("scan.max_pixels"),
            g("upload.max_bytes"),
            g("upload.max_side"),
            g("upload.jpeg_quality"),
        )


@dataclass
class Page:
    """One page as an image, decoded lazily.

    ``raw`` holds bytes in an upload format (``raw_ext``) that are exactly this
    page, when there are such bytes: an image file itself, or a scanner PDF's JPEG.
    """

    number: int
    is_pdf: bool
    raw: bytes | None = None
    raw_ext: str | None = None
    #: why ``raw`` is not an image that every reader takes (CMYK, progressive…), for the message; empty if it is
    unplain: str = ""
    _image: Image.Image | None = None
    _gray: Image.Image | None = field(default=None, repr=False)
    _gray_pixels: memoryview | None = field(default=None, repr=False)
    exif_turned: bool = False
    #: ``raw`` is a one-channel (grey) JPEG, so :meth:`gray` is the whole of it (known once :meth:`gray` ran)
    raw_grey: bool = False

    def color(self) -> Image.Image:
        """The page in colour (RGB) or grey, loaded."""
        if self._image is None:
            assert self.raw is not None
            self._image = _load(io.BytesIO(self.raw))
        return self._image

    def gray(self) -> Image.Image:
        """The page's luminance; for a JPEG decoded straight to grey, which is faster."""
        if self._gray is None:
            if self._image is None and self.raw is not None and self.raw_ext == "jpg":
                im = _open(io.BytesIO(self.raw))
                self.raw_grey = im.mode == "L"
                im.draft("L", im.size)
                if im.mode == "L":
                    self._gray, self._gray_pixels = loaded_into_buffer(im)  # one memory, two views
                else:
                    self._gray = _loaded(im).convert("L")
            else:
                self._gray = self.color().convert("L")
        return self._gray

    def gray_pixels(self) -> memoryview | Image.Image:
        """:meth:`gray` as the reader takes it: a scanner JPEG's own decoded pixels, without a copy of the page."""
        gray = self.gray()
        return gray if self._gray_pixels is None else self._gray_pixels

    def release(self) -> None:
        self._image = self._gray = self._gray_pixels = None


#: JPEG start-of-frame markers: which coding each means for a plain reader (baseline is the one all of them take).
_JPEG_FRAMES = {0xC0: "", 0xC1: "扩展", 0xC2: "渐进式", 0xC3: "无损", 0xC5: "分层", 0xC6: "分层渐进式", 0xC7: "分层无损",
                0xC9: "算术编码", 0xCA: "算术编码的渐进式", 0xCB: "算术编码的无损", 0xCD: "算术编码的分层",
                0xCE: "算术编码的分层渐进式", 0xCF: "算术编码的分层无损"}  # fmt: skip


def _jpeg_frame(data: bytes) -> int | None:
    """The JPEG's start-of-frame marker (0xC0 for baseline), walking its segments; None if there is none."""
    i = 2
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker in _JPEG_FRAMES:
            return marker
        if marker in (0xD9, 0xDA):  # end of image, or scan data before any frame
            return None
        i += 2 + int.from_bytes(data[i + 2 : i + 4], "big")
    return None


def why_not_plain(im: Image.Image, data: bytes) -> str:
    """Why an image in an upload format is not one that every reader takes (baseline grey or RGB JPEG, 8-bit
    grey or RGB PNG without interlace), in the officer's words; empty when it is."""
    if im.format == "JPEG":
        frame = _jpeg_frame(data)
        coding = "" if frame is None else _JPEG_FRAMES[frame]
        if im.mode not in ("L", "RGB"):
            return f"原图是 {'CMYK（印刷色）' if im.mode == 'CMYK' else im.mode} 颜色的 JPEG"
        if frame != 0xC0:
            return f"原图是{coding or '非标准'}的 JPEG"
        return ""
    if im.mode not in ("L", "RGB"):
        return {"I;16": "原图是 16 位灰度的 PNG", "P": "原图是调色板 PNG"}.get(im.mode, f"原图是 {im.mode} 模式的 PNG")
    if im.info.get("interlace"):
        return "原图是隔行扫描（interlaced）的 PNG"
    return ""


def sniff(path: Path, limits: Limits) -> str:
    """``pdf``, ``image`` or :class:`Unreadable`, decided by the content and size of the file."""
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise Unreadable("这是一个文件夹，不是文件", "请选择图片或 PDF 文件；整个文件夹请用 zcws sort 文件夹 分拣")
        if not path.is_file():
            raise Unreadable("这不是一个普通文件", "请选择图片或 PDF 文件")
        with open(path, "rb") as fh:
            head = fh.read(1024)
    except FileNotFoundError:
        raise Unreadable("文件不存在", "请检查文件路径") from None
    except PermissionError:
        raise Unreadable("没有读取该文件的权限", "请检查文件权限，或先复制到自己的文件夹") from None
    except OSError as exc:
        log.warning("cannot read %s: %s", path, exc)
        raise Unreadable(f"文件无法读取：{os_cause(exc)}", "请检查文件或重新复制") from None
    if size == 0:
        raise Unreadable("文件是空的（0 字节）", "请重新扫描或重新复制该文件")
    if size > limits.max_file_bytes:
        raise Unreadable(
            f"文件过大（{size / 1024 / 1024:.0f} MB，上限 {limits.max_file_bytes / 1024 / 1024:.0f} MB）",
            "请分开扫描，或降低扫描分辨率（300 DPI 即可）",
        )
    if b"%PDF-" in head:
        return "pdf"
    if head[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftyphevc"):
        raise Unreadable("HEIC 格式的照片无法读取", "请在手机中以 JPEG 格式导出或发送照片")
    return "image"


def count_pages(path: Path, kind: str, limits: Limits) -> int:
    """How many pages the file has; :class:`Unreadable` if it cannot be opened at all."""
    if kind == "pdf":
        doc = open_pdf(path)
        try:
            return len(doc)
        finally:
            doc.close()
    with _open_file(path) as im:
        return max(1, int(getattr(im, "n_frames", 1)))


def open_pdf(path: Path) -> pdfium.PdfDocument:
    try:
        doc = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        text = str(exc)
        if "password" in text.lower():
            raise Unreadable("PDF 文件已加密，需要密码才能打开", "请导出不加密的 PDF 或直接上传扫描图片") from None
        raise Unreadable(
            "不是有效的 PDF 文件，或文件不完整（可能下载或复制中断）", "请重新扫描或重新导出 PDF"
        ) from None
    if len(doc) == 0:
        doc.close()
        raise Unreadable("PDF 文件中没有页面", "请重新扫描或重新导出 PDF")
    return doc


def iter_pages(
    path: Path, kind: str, limits: Limits, start: int = 0, stop: int | None = None, own_bytes: bool | None = None
) -> Iterator[Page | Unreadable]:
    """Pages ``start`` to ``stop`` (0-based, exclusive), one at a time; a bad page yields :class:`Unreadable`.

    ``own_bytes``: whether a scanner PDF's JPEG may be taken as the page (see :func:`decodes_inverted`), when the
    caller has asked once for the whole file; asked here otherwise."""
    if kind == "pdf":
        try:
            doc = open_pdf(path)
        except Unreadable as exc:
            yield exc
            return
        try:
            if own_bytes is None:
                own_bytes = not decodes_inverted(path)
            for i in range(start, min(stop if stop is not None else len(doc), len(doc))):
                try:
                    yield _pdf_page(doc, i, limits, own_bytes)
                except Unreadable as exc:
                    yield exc
                except (pdfium.PdfiumError, OSError, ValueError) as exc:
                    log.warning("page %d of %s cannot be rendered: %s", i + 1, path, exc)
                    yield Unreadable(f"PDF 的第 {i + 1} 页无法读取（页面内容已损坏或格式不受支持）",
                                     "请重新扫描或重新导出 PDF")  # fmt: skip
        finally:
            doc.close()
        return
    try:
        yield from _image_pages(path, limits, start, stop)
    except Unreadable as exc:
        yield exc


def _image_pages(path: Path, limits: Limits, start: int, stop: int | None) -> Iterator[Page]:
    with _open_file(path) as im:
        frames = max(1, int(getattr(im, "n_frames", 1)))
        fmt = im.format
        for i in range(start, min(stop if stop is not None else frames, frames)):
            if frames == 1 and fmt in UPLOAD_FORMATS:
                _check_pixels(im.size, limits)
                data = path.read_bytes()
                page = Page(1, False, raw=data, raw_ext=UPLOAD_FORMATS[fmt], unplain=why_not_plain(im, data))
                page.exif_turned = _exif_turned(im)
                yield page
                continue
            try:
                im.seek(i)
            except EOFError:
                raise Unreadable(f"多页图片的第 {i + 1} 页不完整", "请重新扫描") from None
            _check_pixels(im.size, limits)
            yield Page(i + 1, False, _image=_plain(_loaded(im)).copy())


def _exif_turned(im: Image.Image) -> bool:
    try:
        return im.getexif().get(0x0112, 1) not in (1, None)
    except Exception:  # a broken EXIF block is not worth failing the page for
        return False


class _open_file:
    """Open an image file under the decompression-bomb guard, as a context manager."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fh: IO[bytes] | None = None
        self.im: Image.Image | None = None

    def __enter__(self) -> Image.Image:
        try:
            self.fh = open(self.path, "rb")
        except OSError as exc:
            raise Unreadable(f"文件无法读取：{os_cause(exc)}", "请检查文件或重新复制") from None
        try:
            self.im = _open(self.fh)
        except BaseException:
            self.fh.close()
            raise
        return self.im

    def __exit__(self, *exc: object) -> None:
        if self.im is not None:
            self.im.close()
        if self.fh is not None:
            self.fh.close()


def _open(src: IO[bytes]) -> Image.Image:
    """The image, opened by one of :data:`DECODERS` or not at all.

    A file object, never a name: Pillow would otherwise load the plugin the name's
    suffix suggests (``.eps`` brings in Ghostscript's).
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            return Image.open(src, formats=DECODERS)
    except Image.DecompressionBombError:
        raise Unreadable("图片的像素数大得离谱，可能是恶意文件", "请重新扫描（A4 纸 300 DPI 即可）") from None
    except (Image.UnidentifiedImageError, ValueError):
        raise Unreadable("不是图片或 PDF 文件，或文件已损坏", "请选择扫描得到的 JPG、PNG 图片或 PDF 文件") from None
    except OSError as exc:
        log.warning("cannot open image %s: %s", src, exc)
        cause = os_cause(exc) if exc.errno else "图片文件不完整或已损坏"
        raise Unreadable(f"文件无法读取：{cause}", "请重新扫描或重新复制该文件") from None


def _check_pixels(size: tuple[int, int], limits: Limits) -> None:
    w, h = size
    if w * h > limits.max_pixels:
        raise Unreadable(
            f"图片过大（{w}×{h} 像素，上限 {limits.max_pixels // 1_000_000} 百万像素）",
            "请降低扫描分辨率（A4 纸 300 DPI 即可）后重新扫描",
        )
    if w < 16 or h < 16:
        raise Unreadable(f"图片太小（{w}×{h} 像素）", "请重新扫描整页")


def _loaded(im: Image.Image) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            im.load()
    except OSError as exc:
        log.info("image did not load: %s", exc)
        raise Unreadable("图片文件不完整或已损坏（可能复制或下载时中断）", "请重新扫描或重新复制该文件") from None
    return im


def loaded_into_buffer(im: Image.Image) -> tuple[Image.Image, memoryview]:
    """A grey image decoded straight into a buffer, and that buffer shaped as rows of pixels, which
    zxing-cpp reads as it is: a page is megabytes that need not be copied again."""
    pixels = bytearray(im.width * im.height)
    target = Image.frombuffer("L", im.size, pixels, "raw", "L", 0, 1)
    im.im = target.im  # the decoder writes into the image's own memory, which is now the buffer's
    _loaded(im)
    if im.im is not target.im:  # a Pillow that made its own memory after all: copy once
        return im, memoryview(im.tobytes()).cast("B", (im.height, im.width))
    return target, memoryview(pixels).cast("B", (im.height, im.width))


def _plain(im: Image.Image) -> Image.Image:
    """Grey or RGB, which is what the reader and the repairs work on."""
    if im.mode in ("L", "RGB"):
        return im
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        base = Image.new("RGB", im.size, "white")
        base.paste(im.convert("RGBA"), mask=im.convert("RGBA").getchannel("A"))
        return base
    if im.mode == "1":
        return im.convert("L")
    if im.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        return _eight_bit(im)
    return im.convert("RGB")


def _eight_bit(im: Image.Image) -> Image.Image:
    """A 16-bit or float grey image stretched from its own darkest to its lightest value onto 0–255.

    ``convert("L")`` would clip every value above 255 to white: a 16-bit scan, whose paper lies
    near 60000, would come out blank.
    """
    wide = im.convert("F")
    low, high = cast(tuple[float, float], wide.getextrema())  # one band ("F"): its lowest and highest value
    span = (high - low) or 1.0
    return wide.point(lambda v: (v - low) * (255.0 / span)).convert("L")


def _load(src: io.BytesIO) -> Image.Image:
    im = _open(src)
    return _loaded(_plain(_loaded(im)))


#: An image dictionary's ``/Decode [1 0]``: its samples are stored negative and shown the right way round.
_INVERTED = re.compile(rb"/Decode\s*\[\s*1(?:\.0*)?\s+0(?:\.0*)?\s*[\]\s]")


def decodes_inverted(path: Path) -> bool:
    """Whether a PDF holds an image stored negative: its JPEG bytes are then not the page as it shows.

    An image is a stream, and a stream's dictionary is never compressed, so the file's own bytes tell. The
    key is looked for with a plain search (a regular expression over a scanner's 50 MB costs 20 ms; the
    search, a few), and the pattern matched only where the key is.
    """
    try:
        with open(path, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
            at = data.find(b"/Decode")
            while at >= 0:
                if _INVERTED.match(data, at):
                    return True
                at = data.find(b"/Decode", at + 7)
            return False
    except (OSError, ValueError):
        return True  # cannot tell: render, which is always right


def _pdf_page(doc: pdfium.PdfDocument, index: int, limits: Limits, own_bytes: bool = True) -> Page:
    page = doc[index]
    try:
        width, height = page.get_size()
        if width <= 0 or height <= 0:
            raise Unreadable(f"PDF 的第 {index + 1} 页大小无效", "请重新扫描或重新导出 PDF")
        scan = _single_image(page, width, height)
        if scan is not None:
            px_w, px_h = scan.get_px_size()
            _check_pixels((px_w, px_h), limits)
            if own_bytes and page.get_rotation() == 0 and _upright(scan) and scan.get_filters() == ["DCTDecode"]:
                raw = bytes(scan.get_data(decode_simple=False))
                with _open(io.BytesIO(raw)) as probe:
                    plain = probe.format == "JPEG" and not why_not_plain(probe, raw)
                if plain:
                    return Page(index + 1, True, raw=raw, raw_ext="jpg")
            left, bottom, right, top = scan.get_bounds()
            dpi = max(px_w, px_h) / (max(right - left, top - bottom) / 72)
            budget = min(SCANNED_PAGE_PIXELS, 2 * px_w * px_h)  # never more than the scan's own pixels give
            image = _render(page, width, height, min(dpi, MAX_NATIVE_DPI), budget, limits)
            return Page(index + 1, True, _image=image)
        # a drawn page is uploaded at most upload_max_side wide: rendering more only costs memory
        dpi = min(RENDER_DPI, limits.upload_max_side / max(width, height) * 72)
        return Page(index + 1, True, _image=_render(page, width, height, dpi, DRAWN_PAGE_PIXELS, limits))
    finally:
        page.close()


def _single_image(page: pdfium.PdfPage, width: float, height: float) -> pdfium.PdfImage | None:
    """The one image that is the whole page, as a scanner writes it, or None."""
    images = []
    for obj in page.get_objects(max_depth=1):
        if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            images.append(obj)
        elif obj.type == pdfium_c.FPDF_PAGEOBJ_TEXT and (
            pdfium_c.FPDFTextObj_GetTextRenderMode(obj) == pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE
        ):
            continue  # a scanner's OCR layer does not show
        else:
            return None
        if len(images) > 1:
            return None
    if len(images) != 1:
        return None
    left, bottom, right, top = images[0].get_bounds()
    if (right - left) * (top - bottom) < FULL_PAGE_SHARE * width * height:
        return None
    return images[0]


def _upright(image: pdfium.PdfImage) -> bool:
    m = image.get_matrix()
    return abs(m.b) < 1e-6 and abs(m.c) < 1e-6 and m.a > 0 and m.d > 0


def _render(page: pdfium.PdfPage, width: float, height: float, dpi: float, budget: int, limits: Limits) -> Image.Image:
    """The page at ``dpi``, but never more than ``budget`` pixels (nor the file limit), whatever its claimed size."""
    scale = dpi / 72
    budget = min(budget, limits.max_pixels)
    if width * height * scale * scale > budget:
        scale = (budget / (width * height)) ** 0.5
        while math.ceil(width * scale) * math.ceil(height * scale) > budget:  # pdfium rounds the sides up
            scale *= 0.999
    if width * scale < 16 or height * scale < 16:
        raise Unreadable("PDF 页面太小或大得离谱，无法转为图片", "请重新扫描或重新导出 PDF")
    bitmap = page.render(scale=scale, may_draw_forms=False)
    try:
        im = bitmap.to_pil()
        return im if im.mode == "RGB" else im.convert("RGB")
    finally:
        bitmap.close()


def is_scanned_page(page: pdfium.PdfPage) -> bool:
    """Whether a PDF page is one image that fills it, as a scanner or a phone writes it."""
    width, height = page.get_size()
    return _single_image(page, width, height) is not None
