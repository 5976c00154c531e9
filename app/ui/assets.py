"""The application icon, shipped as PNG/ICO in ``resources/icons`` (drawn by ``scripts/make_icon.py``)."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon

from app.resources import resource_path

ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


def app_icon() -> QIcon:
    """The icon in all its sizes; each PNG is read when a size is first shown, not at launch."""
    icon = QIcon()
    for size in ICON_SIZES:
        icon.addFile(str(resource_path("icons", f"zcws-{size}.png")), QSize(size, size))
    return icon
