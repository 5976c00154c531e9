"""The blanks kept in the store, as pages: to compare a scan with, and to print in one go."""

from __future__ import annotations

import io

import pypdfium2 as pdfium
from PIL import Image

from app.blanks.reading import READ_DPI, render_pdf
from app.core.blanks import Blank
from app.core.models import Slot
from app.store import Store
from app.store.blanks import blank_pdf, current_blank


def current_pdf(store: Store, case_id: int, slot: Slot) -> tuple[Blank, bytes] | None:
    """The current blank of a case's slot and its one-page PDF, or None when none was brought in."""
    item = current_blank(store, case_id, slot)
    return None if item is None else (item, blank_pdf(store, item))


def current_image(store: Store, case_id: int, slot: Slot, dpi: float = READ_DPI) -> Image.Image | None:
    """The current blank of a case's slot rendered at ``dpi`` (RGB), or None when none was brought in."""
    found = current_pdf(store, case_id, slot)
    return None if found is None else render_pdf(found[1], dpi)


def joined_pdf(store: Store, blanks: list[Blank]) -> bytes:
    """The pages of ``blanks``, in this order, as one PDF to print."""
    out = pdfium.PdfDocument.new()
    try:
        for item in blanks:
            source = pdfium.PdfDocument(blank_pdf(store, item))
            try:
                out.import_pages(source, [0])
            finally:
                source.close()
        buffer = io.BytesIO()
        out.save(buffer)
        return buffer.getvalue()
    finally:
        out.close()
