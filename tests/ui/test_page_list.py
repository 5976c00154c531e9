"""The window kept alive while a sort fills 单位送审: the preview decoded off the GUI thread."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QImage

from app.core.verdicts import Verdict
from app.scan.verdicts import PageResult
from app.ui.page_preview import PagePreview


def test_the_preview_shows_the_page_asked_for_last_decoded_off_the_gui_thread(qtbot, tmp_path: Path) -> None:
    preview = PagePreview()
    qtbot.addWidget(preview)
    pages = []
    for n, (w, h) in enumerate(((2480, 3508), (900, 700)), start=1):
        path = tmp_path / f"page{n}.png"
        image = QImage(w, h, QImage.Format.Format_Grayscale8)
        image.fill(200)
        assert image.save(str(path))
        pages.append(
            PageResult(path, n, Verdict.OK, "", qr_box=((100, 100), (300, 100), (300, 300)), image_size=(w, h))
        )
    preview.show_result(pages[0])
    preview.show_result(pages[1])  # asked for before the first came: the first is not shown
    assert preview.pending()
    qtbot.waitUntil(lambda: not preview.pending())
    # small enough to be shown whole
    assert preview.pixmap is not None and (preview.pixmap.width(), preview.pixmap.height()) == (900, 700)
    assert "第 2 页" in preview.caption and preview.has_outline()
    preview.show_result(pages[0])
    qtbot.waitUntil(lambda: not preview.pending())
    assert preview.pixmap is not None and preview.pixmap.width() == 620  # a quarter of the page, decoded as such
    assert preview.box[0].x() == 25
    preview.show_result(None)
    assert preview.pixmap is None and not preview.pending()
