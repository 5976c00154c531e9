"""The work on one page, free of the store so that it can run in another process.

:func:`scan_page` reads a page strictly as it would be uploaded; if our code is
not read that way it finds the code leniently and writes a repaired image that
is read strictly again, exactly as written. What the codes *mean* (whose form,
which revision) is decided later, with the store, in :mod:`app.scan.judge`.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from PIL import Image, ImageOps

from app.core.errors import os_cause
from app.core.payload import QR_BOX_MM, FormKind, kind_named
from app.scan import repair, squaring
from app.scan.pages import Limits, Page, Unreadable, iter_pages
from app.scan.reading import PLAIN_MODULE_PX, Code, UploadRead, read_second, read_strict, read_upload, tilt
from app.scan.squaring import Quad
from app.scan.stamp import STAMPED_KINDS, Stamp, assess_image, our_layout
from app.store.files import write_atomic

log = logging.getLogger(__name__)

Point = tuple[float, float]
#: A code wider than this share of the image's shorter side is all there is of the page (on a form, about 0.17).
CODE_ONLY_SHARE = 0.4
#: The most an upload image's code (and with it the page) may lean, in degrees.
MAX_TILT_DEGREES = 1.0
#: What squaring a photo of the sheet is called in a verdict's message.
SQUARED = "按纸张边缘拉正并裁去背景"


@dataclass(frozen=True)
class Job:
    """Pages ``start``..``stop`` (0-based) of one file, and where to write their images."""

    path: Path
    kind: str
    start: int
    stop: int
    out_dir: Path
    limits: Limits
    qr_box_mm: tuple[float, ...] = repair.DEFAULT_QR_BOX_MM
    #: the codes of the portal's blanks brought in: read and repaired like ours
    known: frozenset[str] = frozenset()
    #: whether a scanner PDF's own JPEGs may be taken as its pages, asked once per file (None: ask per job)
    own_bytes: bool | None = None

    def wanted(self, text: str) -> bool:
        """A code this job makes readable: one of ours, or a known portal blank's."""
        return repair.is_ours(text) or text in self.known


@dataclass(frozen=True)
class PageScan:
    """What was read on one page, and which images were written for it."""

    file: Path
    page: int
    is_pdf: bool
    error: tuple[str, str] | None = None
    texts: tuple[str, ...] = ()  # every code found, ours first
    strict_as_is: bool = False
    upload_path: Path | None = None  # strictly read our code, exactly as written
    converted_path: Path | None = None  # the page turned into an upload-format image (PDF, TIFF, BMP, too big)
    image_path: Path | None = None  # an upload-format image of the page, code or not
    qr_box: tuple[Point, ...] | None = None
    qr_version: int | None = None  # the code's QR version (its size in modules), for placing the page on its blank
    image_size: tuple[int, int] | None = None
    repairs: tuple[str, ...] = field(default_factory=tuple)
    too_big: bool = False
    blank: bool = False  # no code and next to no ink: the back of a sheet, say
    mirrored: bool = False  # our code read on a mirror image of the page: never uploaded
    other_format: bool = False  # an image file in a format the portal does not take (TIFF, BMP, GIF, WebP…)
    code_only: bool = False  # the image is (next to) only the code, not the page: never uploaded
    unplain: str = ""  # why the file is not an image every reader takes (a CMYK or progressive JPEG…): converted
    module_px: float | None = None  # set when the code's modules are too few pixels for a plain reader: never ok
    #: the 盖章页 check of a page of ours (its blank is our layout), made here beside the read, and the form it
    #: was made for; a portal blank's page is checked where its blank is (app.scan.stamping)
    stamp: Stamp | None = None
    stamp_kind: FormKind | None = None


def base_name(path: Path) -> str:
    """A Windows-safe, unique name for the images made from ``path``."""
    stem = re.sub(r'[<>:"/\\|?*\x00-\x1f]', "_", path.stem).strip(" .")[:40] or "page"
    digest = hashlib.sha1(str(path.resolve()).encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{stem}-{digest}"


def run_job(job: Job) -> list[PageScan]:
    """Scan every page of the job, one page in memory at a time."""
    return list(scan_job(job))


def scan_job(job: Job) -> Iterator[PageScan]:
    """The job's pages scanned one by one, each as soon as it is done."""
    for i, item in enumerate(iter_pages(job.path, job.kind, job.limits, job.start, job.stop, job.own_bytes)):
        number = job.start + i + 1
        if isinstance(item, Unreadable):
            yield PageScan(job.path, number, job.kind == "pdf", error=(item.message, item.fix))
            continue
        try:
            scan = scan_page(item, job)
        except Unreadable as exc:
            scan = PageScan(job.path, number, item.is_pdf, error=(exc.message, exc.fix))
        except (OSError, MemoryError) as exc:
            log.warning("page %d of %s cannot be processed: %r", number, job.path, exc)
            cause = "内存不足" if isinstance(exc, MemoryError) else (os_cause(exc) if exc.errno else "图片数据已损坏")
            scan = PageScan(job.path, number, item.is_pdf, error=(f"页面无法处理（{cause}）", "请重新扫描该页"))
        finally:
            item.release()
        yield scan


def scan_page(page: Page, job: Job) -> PageScan:
    """Read the page exactly as it would be uploaded; repair it if our code is not read that way."""
    limits = job.limits
    name = base_name(job.path)
    converted_path = job.out_dir / f"{name}-p{page.number}.jpg"

    # First the image the officer would upload without our help, read strictly, exactly as written.
    raw_ok = page.raw is not None and len(page.raw) <= limits.upload_max_bytes and not page.unplain
    if raw_ok:
        gray = page.gray()
        raw_ok = max(gray.size) <= limits.upload_max_side
    converted: Path | None = None
    scale = 1.0
    if raw_ok:
        # these bytes are the upload: the file itself, or a scanner PDF's own JPEG
        assert page.raw is not None
        data = page.raw
        read = read_upload(gray, page.gray_pixels())
        size = gray.size
        image_path: Path = job.path
        if page.is_pdf:
            _write(converted_path, page.raw)
            image_path = converted = converted_path
    else:
        data = repair.encode_jpeg(page.color(), limits)
        _write(converted_path, data)
        image_path = converted = converted_path
        read, size = repair.strict_read(data)
        scale = size[0] / page.color().width
    too_big = image_path.stat().st_size > limits.upload_max_bytes
    strict_texts = read.texts

    every = list(read.codes)
    if not any(job.wanted(c.text) for c in every):
        # not read strictly: look harder, on the page itself (cheap crops first)
        found = repair.find_codes(page.color, page.gray(), job.qr_box_mm, job.wanted)
        every += [c.moved(0, 0, 1 / scale) for c in found if c.text not in strict_texts]
    codes = repair.ours_first(every, job.wanted)
    texts = tuple(dict.fromkeys(c.text for c in codes + every))  # ours first, then any other code
    code = codes[0] if codes else None
    ours = [t for t in texts if job.wanted(t)]
    as_is = code is not None and read.portal_proof(code.text)

    result: dict[str, Any] = dict(
        file=job.path, page=page.number, is_pdf=page.is_pdf, texts=texts, converted_path=converted,
        image_path=image_path, image_size=size, strict_as_is=as_is, too_big=too_big,
        other_format=page.raw is None and not page.is_pdf, unplain=page.unplain,
        qr_box=None if code is None else code.corners, qr_version=None if code is None else code.version,
        blank=not texts and repair.is_blank(page.gray()),
    )  # fmt: skip

    def as_read(**extra: Any) -> PageScan:
        """The page as read, with the 盖章页 check of the image as written (a squared photo has its own)."""
        return PageScan(**result, **_stamp(code, data, page.gray() if raw_ok and page.raw_grey else None), **extra)

    if code is None or not ours or len(texts) > 1:
        return as_read()  # nothing of ours to make readable, or another code beside it: no upload
    if code.side > CODE_ONLY_SHARE * min(size):
        return as_read(code_only=True)
    if repair.is_ours(code.text) and repair.is_mirrored(code, size):
        return as_read(mirrored=True)
    if code.module_px / scale < PLAIN_MODULE_PX:  # the page's own pixels: enlarging adds none
        return as_read(module_px=code.module_px / scale)
    ours_code = repair.is_ours(code.text)
    if as_is:
        quarter = repair.page_quarter(code, size, read.turns.get(code.text), ours_code)
        straight = abs(tilt(code, quarter)) <= MAX_TILT_DEGREES
    # the repair works on the page at full size, in its coordinates
    target, full = job.out_dir / f"{name}-p{page.number}-upload.jpg", code.moved(0, 0, scale)
    quad = None if page.is_pdf else squaring.sheet(page.gray())
    if quad is not None:  # a photo of the sheet on a desk: the sheet squared is the page from here on
        fixed = _repaired(page, full, limits, target, ours_code, quad)
        if fixed.path is not None and fixed.code is not None:
            result.update(image_path=fixed.path, image_size=fixed.size, qr_box=fixed.code.corners,
                          **_stamp(fixed.code, fixed.data))  # fmt: skip
            return PageScan(**result, upload_path=fixed.path, repairs=fixed.done)
    if as_is and straight and not too_big and not page.exif_turned:
        return as_read(upload_path=image_path)
    fixed = _repaired(page, full, limits, target, ours_code)
    return as_read(upload_path=fixed.path, repairs=fixed.done)


def _stamp(code: Code | None, image: bytes, grey: Image.Image | None = None) -> dict[str, Any]:
    """The 盖章页 check of a page of ours, on its image as written (``image``, in memory; ``grey``, that image
    decoded, when it is a grey one): the code's corners there place our layout. Nothing for another form, or a
    code of another kind."""
    kind = None if code is None or code.version is None else kind_named(code.text)
    if code is None or code.version is None or kind not in STAMPED_KINDS:
        return {}
    layout = our_layout(QR_BOX_MM, 17 + 4 * code.version)
    return {"stamp": assess_image(image, code.corners, layout, grey), "stamp_kind": kind}


class Fixed(NamedTuple):
    """A repair: the upload image written (None if no repair was read strictly), what was done, and the image's
    bytes, its code and its size as the strict read found them."""

    path: Path | None
    done: tuple[str, ...]
    data: bytes = b""
    code: Code | None = None
    size: tuple[int, int] = (0, 0)


def _repaired(page: Page, code: Code, limits: Limits, target: Path, ours: bool, quad: Quad | None = None) -> Fixed:
    """Write the mildest repair that a strict read accepts; its path ``None`` if none does. With ``quad`` (the
    sheet's corners in a photo of it) the sheet is squared first, and the ground round it cut away."""
    im = page.color()
    done: list[str] = []
    if page.exif_turned:
        im = ImageOps.exif_transpose(im)
        found = _found_again(im, code.text)
        if found is None:
            return Fixed(None, tuple(done))
        code = found
        done.append("按照片方向转正")
        if quad is not None:
            quad = squaring.sheet(im.convert("L"))
    if quad is not None:
        im = squaring.squared(im, quad)
        found = _found_again(im, code.text)
        if found is None:
            return Fixed(None, tuple(done))
        code = found
        done.append(SQUARED)
    # zbar's quarter turn, when it reads the code: the page's, even where the code alone is printed mirrored
    quarter = repair.page_quarter(code, im.size, read_second(im, code).get(code.text), ours)
    turned, geometry = repair.upright(im, code, quarter, deskew=quad is None)
    if geometry:
        found = _found_again(turned, code.text)
        if found is None:
            return Fixed(None, tuple(done))
        code = found
    done += geometry
    scale = repair.fit_scale(turned.size, code.module_px, limits)
    if abs(scale - 1) > 0.02:
        turned = turned.resize(
            (max(1, round(turned.width * scale)), max(1, round(turned.height * scale))), Image.Resampling.LANCZOS
        )
        code = code.moved(0, 0, 1 / scale)
        if scale > 1:
            done.append("放大")
    min_scale = repair.MIN_MODULE_PX / code.module_px
    # A level whose code square alone a plain reader misses is tried last: every level tried
    # encodes and reads the whole page (a tenth of a second), the square costs a hundredth.
    box = _square(turned, code)
    square, local = turned.crop(box), code.moved(-box[0], -box[1])
    levels = range(len(repair.LEVELS))
    hopeful = [n for n in levels if _reads(repair.clean_code_area(square, local, n), code.text)]
    for level in hopeful + [n for n in levels if n not in hopeful]:
        data = repair.encode_jpeg(repair.clean_code_area(turned, code, level), limits, min_scale)
        read, _ = repair.strict_read(data)
        upright = read.portal_proof(code.text) and _upright(read, code.text, ours)
        if upright and len(data) <= limits.upload_max_bytes:
            _write(target, data)
            words = repair.LEVELS[level]
            return Fixed(
                target, (*done, *([words] if words else []), "转为 JPEG"), data, read.code(code.text), read.size
            )
    return Fixed(None, tuple(done))


def _write(target: Path, data: bytes) -> None:
    """Write an upload image; a full disk or a file where the folder should be is said as such, not as a bad page."""
    try:
        write_atomic(target, data, durable=False)
    except OSError as exc:
        log.warning("cannot write %s: %r", target, exc)
        raise Unreadable(
            f"处理后的图片无法写入文件夹“{target.parent}”（{os_cause(exc)}），这一页没有检查完",
            "请清理磁盘空间，或确认上传图片的文件夹是一个可以写入的文件夹（不是同名的文件），然后再检查一次；扫描件本身没有问题",
        ) from None


def _upright(read: UploadRead, text: str, ours: bool) -> bool:
    """Whether the upload image's page stands upright, straight within a degree."""
    code = read.code(text)
    quarter = repair.page_quarter(code, read.size, read.turns.get(text), ours)
    return abs(tilt(code, quarter)) <= MAX_TILT_DEGREES


def _found_again(im: Image.Image, text: str) -> Code | None:
    """The code ``text`` found again in ``im``, a turned copy of the page."""
    same = text.__eq__
    found = [c for c in repair.find_codes(lambda: im, im.convert("L"), repair.DEFAULT_QR_BOX_MM, same) if same(c.text)]
    return found[0] if found else None


def _square(im: Image.Image, code: Code) -> tuple[int, int, int, int]:
    """The code's own square in ``im``, with a margin wide enough for a reader's quiet zone."""
    xs = [p[0] for p in code.corners]
    ys = [p[1] for p in code.corners]
    pad = code.module_px * 8 + 16
    return (max(0, int(min(xs) - pad)), max(0, int(min(ys) - pad)),
            min(im.width, int(max(xs) + pad) + 1), min(im.height, int(max(ys) + pad) + 1))  # fmt: skip


def _reads(im: Image.Image, text: str) -> bool:
    return text in {c.text for c in read_strict(im if im.mode == "L" else im.convert("L"))}
