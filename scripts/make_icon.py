"""Draw the application icon and save it as PNGs and a Windows .ico in resources/icons.

Usage: python scripts/make_icon.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PIL import Image
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QImage, QPainter, QPainterPath, QPen

from app.resources import resource_path
from app.ui.assets import ICON_SIZES


def draw_icon(size: int) -> QImage:
    """The application icon: a form with a QR corner, a red seal and a check mark on blue."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = size / 64.0
    p.scale(s, s)
    # background tile
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(QColor("#1f5fa8")))
    p.drawRoundedRect(QRectF(2, 2, 60, 60), 12, 12)
    # the paper form
    p.setBrush(QBrush(QColor("#ffffff")))
    p.drawRoundedRect(QRectF(14, 9, 36, 46), 3, 3)
    # text lines
    p.setBrush(QBrush(QColor("#b8c7dc")))
    for y in (17, 23, 29):
        p.drawRect(QRectF(19, y, 16, 2.6))
    # QR code corner (three finder squares)
    p.setBrush(QBrush(QColor("#1b1b1b")))
    for x, y in ((37.5, 13.5), (44, 13.5), (37.5, 20)):
        p.drawRect(QRectF(x, y, 5, 5))
    p.setBrush(QBrush(QColor("#ffffff")))
    for x, y in ((38.7, 14.7), (45.2, 14.7), (38.7, 21.2)):
        p.drawRect(QRectF(x, y, 2.6, 2.6))
    # the red seal
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(QPen(QColor("#d8342c"), 2.6))
    p.drawEllipse(QPointF(39, 43), 7.5, 7.5)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(QColor("#d8342c")))
    star = QPainterPath()
    star.addEllipse(QPointF(39, 43), 2.2, 2.2)
    p.drawPath(star)
    # the green check
    pen = QPen(QColor("#2e9d4f"), 5.2, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
    p.setPen(pen)
    p.setBrush(Qt.BrushStyle.NoBrush)
    path = QPainterPath(QPointF(18, 41))
    path.lineTo(24, 47.5)
    path.lineTo(33, 34)
    p.drawPath(path)
    p.end()
    return image


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 - QPainter needs it
    out = resource_path("icons")
    out.mkdir(parents=True, exist_ok=True)
    for size in ICON_SIZES:
        draw_icon(size).save(str(out / f"zcws-{size}.png"))
    largest = Image.open(out / f"zcws-{ICON_SIZES[-1]}.png")
    largest.save(out / "zcws.ico", sizes=[(s, s) for s in ICON_SIZES])
    print(f"icons written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
