"""Real degraded scans made from our own rendered forms: seal, JPEG, low DPI, rotation, blur, photo."""

from __future__ import annotations

import io
import math
from pathlib import Path

import pypdfium2 as pdfium
from fpdf import FPDF
from PIL import Image, ImageChops, ImageDraw, ImageFilter

from app.forms import QR_BOX_MM
from app.scan.squaring import perspective

A4_PT = (595.28, 841.89)


def rasterize(pdf: Path, dpi: int = 300) -> Image.Image:
    """The first page of a PDF as a scanner would see it, in RGB."""
    doc = pdfium.PdfDocument(pdf)
    try:
        return doc[0].render(scale=dpi / 72).to_pil().convert("RGB")
    finally:
        doc.close()


def mm(im: Image.Image, value: float) -> int:
    return round(value * im.width / 210)


def seal(im: Image.Image, over_code: float = 0.45) -> Image.Image:
    """A red 公章 stamped (ink multiplies) so that it covers part of the code."""
    x, y, size = QR_BOX_MM
    r = mm(im, 21)
    cx = mm(im, x + size * (1 - over_code) + 21 * 0.0) + r
    cy = mm(im, y + size / 2)
    ink = Image.new("RGB", im.size, "white")
    d = ImageDraw.Draw(ink)
    red = (215, 35, 40)
    d.ellipse((cx - r, cy - r, cx + r, cy + r), outline=red, width=mm(im, 1.3))
    star = [
        (cx + mm(im, 6) * math.cos(math.radians(-90 + i * 36)) * (1 if i % 2 == 0 else 0.4),
         cy + mm(im, 6) * math.sin(math.radians(-90 + i * 36)) * (1 if i % 2 == 0 else 0.4))
        for i in range(10)
    ]  # fmt: skip
    d.polygon(star, fill=red)
    for i in range(14):  # the unit's name around the ring, as blocks of ink
        a = math.radians(200 + i * 10)
        px, py = cx + (r - mm(im, 4)) * math.cos(a), cy + (r - mm(im, 4)) * math.sin(a)
        d.rectangle((px - mm(im, 1.6), py - mm(im, 1.6), px + mm(im, 1.6), py + mm(im, 1.6)), fill=red)
    d.rectangle((cx - mm(im, 9), cy + mm(im, 9), cx + mm(im, 9), cy + mm(im, 11)), fill=red)
    return ImageChops.multiply(im, ink)


def jpeg(im: Image.Image, quality: int = 80) -> bytes:
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def rotated(im: Image.Image, degrees: float) -> Image.Image:
    return im.rotate(degrees, resample=Image.BICUBIC, expand=True, fillcolor=(255, 255, 255))


def blurred(im: Image.Image, radius: float) -> Image.Image:
    return im.filter(ImageFilter.GaussianBlur(radius))


def phone_photo(im: Image.Image) -> Image.Image:
    """The page on a desk, photographed a little from the side, in warm uneven light."""
    w, h = im.size
    canvas = Image.new("RGB", (int(w * 1.15), int(h * 1.1)), (120, 110, 95))
    canvas.paste(im, (int(w * 0.07), int(h * 0.05)))
    cw, ch = canvas.size
    # the far edge of the page looks shorter: map the output quad to the input corners
    src = [(0, 0), (cw, 0), (cw, ch), (0, ch)]
    dst = [(cw * 0.04, ch * 0.02), (cw * 0.97, 0), (cw, ch), (0, ch * 0.98)]
    coeffs = perspective(dst, src)
    photo = canvas.transform(canvas.size, Image.PERSPECTIVE, coeffs, Image.BICUBIC, fillcolor=(120, 110, 95))
    light = Image.linear_gradient("L").resize(photo.size).point(lambda v: 255 - v // 5)
    shade = Image.merge("RGB", (light, light, light.point(lambda v: v * 0.93)))
    return ImageChops.multiply(photo, shade).filter(ImageFilter.GaussianBlur(0.8))


def scanner_pdf(pages: list[bytes], path: Path, dpi: int = 300) -> Path:
    """A multi-page PDF as a scanner writes it: each page one JPEG, placed over the whole page."""
    pdf = FPDF(unit="pt", format=A4_PT)
    for data in pages:
        pdf.add_page()
        pdf.image(io.BytesIO(data), 0, 0, A4_PT[0], A4_PT[1])
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path
