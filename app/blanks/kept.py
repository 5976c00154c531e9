"""The blanks kept in the store, as pages: to compare a scan with, and to print in one go."""

from __future__ import annotations

import io
from datetime import datetime

import pypdfium2 as pdfium
from PIL import Image

from app.blanks.reading import READ_DPI, render_pdf
from app.core.blanks import Blank
from app.core.models import Slot
from app.store import Store


def current_pdf(store: Store, case_id: int, slot: Slot) -> tuple[Blank, bytes] | None:
    """The current blank of a case's slot and its one-page PDF, or None when none was brought in."""
    item = store.current_blank(case_id, slot)
    return None if item is None else (item, store.blank_pdf(item))


def current_image(store: Store, case_id: int, slot: Slot, dpi: float = READ_DPI) -> Image.Image | None:
    """The current blank of a case's slot rendered at ``dpi`` (RGB), or None when none was brought in."""
    found = current_pdf(store, case_id, slot)
    return None if found is None else render_pdf(found[1], dpi)


def reissued_since(store: Store, item: Blank) -> str | None:
    """Why the portal has probably re-issued a blank: a change zcws recorded after it came, or None.

    A return and resubmission, a change of identity or plan raise the case's process
    revision; the portal's process information changes with them (only the portal knows).
    """
    later = [r for r in store.revisions(item.case_id) if r.revision > 1 and r.at > item.came_at]
    if not later:
        return None
    last = later[-1]
    return (
        f"这张{item.slot.label}的空白表是 {_day(item.came_at)}导入的，此后办件有变更（{_day(last.at)}{last.reason}）："
        "系统很可能已重新生成此表，请重新下载后导入"
    )


def _day(at: datetime) -> str:
    return f"{at.month} 月 {at.day} 日"


def joined_pdf(store: Store, blanks: list[Blank]) -> bytes:
    """The pages of ``blanks``, in this order, as one PDF to print."""
    out = pdfium.PdfDocument.new()
    try:
        for item in blanks:
            source = pdfium.PdfDocument(store.blank_pdf(item))
            try:
                out.import_pages(source, [0])
            finally:
                source.close()
        buffer = io.BytesIO()
        out.save(buffer)
        return buffer.getvalue()
    finally:
        out.close()
