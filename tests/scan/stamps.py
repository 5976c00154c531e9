"""Signed and stamped pages made from real renders: a 公章 where the seal goes, a signature by the signer's words."""

from __future__ import annotations

import math

from PIL import Image, ImageChops, ImageDraw

RED = (214, 38, 42)
FAINT_RED = (236, 150, 150)
BLUE_PEN = (30, 50, 170)
BLACK_PEN = (25, 25, 30)

#: Where a unit's officer puts them on our forms (mm): over （单位公章） and the date, right of 负责人（签字）.
OUR_SEAL_MM = (160.0, 240.0)
OUR_SIGNATURE_MM = (92.0, 240.0)
#: And on the portal-style blanks (app.forms.portal): over 单位（盖章）, right of 单位负责人签字：.
PORTAL_SEAL_MM = (135.0, 246.0)
PORTAL_SIGNATURE_MM = (150.0, 235.0)


def _k(im: Image.Image) -> float:
    return im.width / 210


def add_seal(im: Image.Image, at_mm: tuple[float, float], colour=RED, partial: float = 1.0) -> Image.Image:
    """A round 公章 of 42 mm (ring, star, the unit's name as blocks), ``partial`` of it printed."""
    k = _k(im)
    cx, cy, r = at_mm[0] * k, at_mm[1] * k, 21 * k
    ink = Image.new("RGB", im.size, "white")
    d = ImageDraw.Draw(ink)
    d.arc((cx - r, cy - r, cx + r, cy + r), 90, 90 + 360 * partial, fill=colour, width=max(1, round(1.2 * k)))
    star = [
        (cx + 6 * k * math.cos(math.radians(-90 + i * 36)) * (1 if i % 2 == 0 else 0.4),
         cy + 6 * k * math.sin(math.radians(-90 + i * 36)) * (1 if i % 2 == 0 else 0.4))
        for i in range(10)
    ]  # fmt: skip
    d.polygon(star, fill=colour)
    for i in range(round(16 * partial)):
        a = math.radians(200 + i * 9)
        px, py = cx + (r - 4 * k) * math.cos(a), cy + (r - 4 * k) * math.sin(a)
        d.rectangle((px - 1.4 * k, py - 1.4 * k, px + 1.4 * k, py + 1.4 * k), fill=colour)
    return ImageChops.multiply(im, ink)


def add_signature(im: Image.Image, at_mm: tuple[float, float], colour=BLACK_PEN, width_mm: float = 0.5) -> Image.Image:
    """A hand's signature: three strokes of a pen, about 30 mm long."""
    k = _k(im)
    out = im.copy()
    d = ImageDraw.Draw(out)
    x0, y0 = at_mm
    for n, (dx, amp, length) in enumerate(((0, 3.0, 9), (11, 4.0, 8), (21, 2.5, 10))):
        pts = [((x0 + dx + t / 4) * k, (y0 + amp * math.sin(t / 2.2 + n) - t / 10) * k) for t in range(length * 4)]
        d.line(pts, fill=colour, width=max(1, round(width_mm * k)))
    return out


def signed(im: Image.Image, seal_at=OUR_SEAL_MM, sign_at=OUR_SIGNATURE_MM, *, seal=True, sign=True,
           seal_colour=RED, pen=BLACK_PEN, partial: float = 1.0) -> Image.Image:  # fmt: skip
    out = im
    if sign:
        out = add_signature(out, sign_at, pen)
    if seal:
        out = add_seal(out, seal_at, seal_colour, partial)
    return out


def gray(im: Image.Image) -> Image.Image:
    return im.convert("L")


def bilevel(im: Image.Image) -> Image.Image:
    return im.convert("L").point(lambda v: 255 if v > 150 else 0).convert("1")
