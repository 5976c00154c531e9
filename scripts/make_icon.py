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
from PySide6.QtGui import QGuiApplication

from app.resources import resource_path
from app.ui.assets import ICON_SIZES, draw_icon


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
