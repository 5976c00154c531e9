"""A checked page, scaled to fit, with its QR code outlined (green when it reads, red when not) and,
on a 盖章页, the areas where the seal and the signature were looked for (dashed).

The page is decoded off the GUI thread (a quarter of a 300 dpi scan takes 20 ms, more than a
turn of the window's event loop should), into a :class:`QImage`; the preview shows it when it
comes, unless another page was asked for meanwhile.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPointF, QRectF, QRunnable, QSize, Qt, QThreadPool, Signal, Slot
from PySide6.QtGui import QColor, QImage, QImageReader, QPainter, QPaintEvent, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import QApplication, QSizePolicy, QWidget

from app.ui.i18n import _

if TYPE_CHECKING:
    from app.scan.verdicts import PageResult

log = logging.getLogger(__name__)


def page_image(result: PageResult) -> Path | None:
    """The image the QR box refers to: the converted page of a PDF, else the file itself."""
    for candidate in (result.converted_path, result.file):
        if candidate and candidate.suffix.lower() != ".pdf" and candidate.exists():
            return candidate
    upload = result.upload_path or result.image_path
    return upload if upload and upload.exists() else None


#: The 盖章页 check's areas in the order it gives them: the seal's and the signature's, or the lower page as one.
AREA_NAMES = {2: ("公章", "签字"), 1: ("签字盖章",)}
#: An area's outline: green when the seal and signature were seen, orange when not, grey when it cannot tell.
AREA_COLOURS = {True: "#1e9b3c", False: "#e07000", None: "#6b7685"}


class _Request:
    """One page asked for; ``stale`` once another is (a decoding not started yet is then skipped)."""

    def __init__(self, result: PageResult, path: Path) -> None:
        self.result, self.path = result, path
        self.stale = False


class _Decoded(QObject):
    #: the _Request, its QImage (null if unreadable, said in the log), the file's QSize
    done = Signal(object, object, object)


_decoded: _Decoded | None = None
_pool: QThreadPool | None = None


def _decoder() -> tuple[_Decoded, QThreadPool]:
    """The pictures' one thread (a newer page waits for the one being decoded, not for the stale ones), and the
    object its pictures come back through, both living as long as the application."""
    global _decoded, _pool
    if _decoded is None or _pool is None:
        _decoded = _Decoded(QApplication.instance())
        _pool = QThreadPool(QApplication.instance())
        _pool.setMaxThreadCount(1)
    return _decoded, _pool


class _Decode(QRunnable):
    def __init__(self, request: _Request, max_side: int, to: _Decoded) -> None:
        super().__init__()
        self._request, self._max_side, self._to = request, max_side, to
        self.setAutoDelete(True)

    def run(self) -> None:  # on the pool's thread: QImage only, never a QPixmap or a widget
        request = self._request
        if request.stale:
            return
        reader = QImageReader(str(request.path))
        reader.setAutoTransform(False)  # the QR box is in the stored pixel orientation
        size = reader.size()
        if size.isValid() and max(size.width(), size.height()) > self._max_side:
            # a half, quarter … of the page: a JPEG is decoded at that size directly, without a resample
            k = 2
            while max(size.width(), size.height()) / k > self._max_side:
                k *= 2
            reader.setScaledSize(QSize(-(-size.width() // k), -(-size.height() // k)))
        image = reader.read()
        if image.isNull():
            log.warning("cannot show %s: %s", request.path, reader.errorString())
        else:
            # the format a pixmap is drawn from: made here, not by QPixmap.fromImage on the GUI thread
            image = image.convertToFormat(QImage.Format.Format_RGB32)
        self._to.done.emit(request, image, size)


class PagePreview(QWidget):
    MAX_SIDE = 1000  # enough for the preview beside the list (a quarter of a 300 dpi page, decoded in 20 ms)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(220, 260)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.pixmap: QPixmap | None = None
        self.box: list[QPointF] = []
        self.areas: list[list[QPointF]] = []
        self.stamped: bool | None = None
        self.ok = False
        self.scale_from = QSize()
        self.caption = _("选中一页查看预览；二维码会用框标出。")
        self._request: _Request | None = None
        _decoder()[0].done.connect(self._decoded)

    def show_result(self, result: PageResult | None) -> None:
        """The page of ``result`` (None: nothing selected); a picture comes when decoded (:meth:`pending`)."""
        if self._request is not None:
            self._request.stale = True
            self._request = None
        path = page_image(result) if result is not None else None
        if result is None or path is None:
            self.pixmap, self.box, self.areas = None, [], []
            self.caption = _("选中一页查看预览；二维码会用框标出。") if result is None else _("没有可预览的图片")
            self.update()
            return
        # the page shown until then stays until this one is decoded
        self._request = _Request(result, path)
        decoded, pool = _decoder()
        pool.start(_Decode(self._request, self.MAX_SIDE, decoded))

    def pending(self) -> bool:
        """Whether a page asked for is still being decoded."""
        return self._request is not None

    @Slot(object, object, object)
    def _decoded(self, request: _Request, image: QImage, size: QSize) -> None:
        if request is not self._request:
            return  # another page was asked for meanwhile, or another preview asked for this one
        self._request = None
        result = request.result
        self.pixmap, self.box, self.areas = None, [], []
        self.ok = result.ok
        if image.isNull():
            self.caption = _("图片无法显示（文件不存在、已损坏或格式不受支持）")
            self.update()
            return
        self.pixmap = QPixmap.fromImage(image)
        full = result.image_size or (size.width(), size.height())
        sx = image.width() / max(full[0], 1)
        sy = image.height() / max(full[1], 1)
        self.box = [QPointF(x * sx, y * sy) for x, y in (result.qr_box or ())]
        self.areas = [[QPointF(x * sx, y * sy) for x, y in area] for area in result.stamp_areas]
        self.stamped = result.stamped
        self.caption = f"{Path(result.file).name} · {_('第 {page} 页').format(page=result.page)}"
        self.update()

    def has_outline(self) -> bool:
        return len(self.box) >= 3

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        p.fillRect(self.rect(), QColor("#eef1f5"))
        caption_h = self.fontMetrics().height() + 8
        area = QRectF(self.rect()).adjusted(8, 8, -8, -8 - caption_h)
        if self.pixmap is not None and area.width() > 0 and area.height() > 0:
            pw, ph = self.pixmap.width(), self.pixmap.height()
            scale = min(area.width() / pw, area.height() / ph)
            target = QRectF(0, 0, pw * scale, ph * scale)
            target.moveCenter(area.center())
            p.fillRect(target.adjusted(-1, -1, 1, 1), QColor("#b9c2cf"))
            p.drawPixmap(target, self.pixmap, QRectF(self.pixmap.rect()))
            if self.has_outline():
                poly = QPolygonF([QPointF(target.x() + pt.x() * scale, target.y() + pt.y() * scale) for pt in self.box])
                p.setPen(QPen(QColor("#1e9b3c" if self.ok else "#d32f2f"), 3))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawPolygon(poly)
            self._paint_areas(p, target, scale)
        p.setPen(QColor("#4a5563"))
        p.drawText(
            QRectF(8, self.height() - caption_h, self.width() - 16, caption_h),
            Qt.AlignmentFlag.AlignCenter,
            self.caption,
        )
        p.end()

    def _paint_areas(self, p: QPainter, target: QRectF, scale: float) -> None:
        """The 盖章页 check's areas, dashed, each named: the first at its top-left corner as the page is seen, the
        next at its bottom-right (on the portal's forms the two areas meet)."""
        names = AREA_NAMES.get(len(self.areas), ())
        colour = QColor(AREA_COLOURS[self.stamped])
        pen = QPen(colour, 2, Qt.PenStyle.DashLine)
        metrics = self.fontMetrics()
        for i, (area, name) in enumerate(zip(self.areas, names, strict=False)):
            poly = QPolygonF([QPointF(target.x() + pt.x() * scale, target.y() + pt.y() * scale) for pt in area])
            p.setPen(pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPolygon(poly)
            text = _(name)
            box = poly.boundingRect()
            at = (box.topLeft() + QPointF(3, metrics.ascent() + 1) if i == 0 else
                  box.bottomRight() - QPointF(metrics.horizontalAdvance(text) + 3, metrics.descent() + 2))  # fmt: skip
            p.setPen(colour)
            p.drawText(at, text)
