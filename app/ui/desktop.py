"""The officer's own files, shown in the file manager."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication


def open_folder(path: Path) -> None:
    """Show a folder (or open a file) in the file manager (not when running headless, e.g. in tests)."""
    if QGuiApplication.platformName() in ("offscreen", "minimal") or os.environ.get("ZCWS_NO_OPEN"):
        return
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
