"""A kept blank as the 盖章页 check needs it: its code's corners, its words and its rendering."""

from __future__ import annotations

import pypdfium2 as pdfium
from PIL import Image

from app.blanks.reading import render
from app.scan.reading import read_lenient, read_strict
from app.scan.stamp import PX_PER_MM, Layout, text_layout
from app.store import Store

#: The blank is read at this resolution to find its code's corners exactly.
CORNER_DPI = 150
MM_PT = 72 / 25.4
#: The words that name where the signature and the seal go on the portal's forms.
SIGNATURE_WORDS = ("签字", "签名")
SEAL_WORDS = ("公章", "盖章", "（章）")


_CACHE: dict[tuple[str, int, str], Layout | None] = {}
CACHE_SIZE = 64


def portal_layout(store: Store, blank_id: int) -> Layout | None:
    """The layout of a kept blank, or None when its code cannot be found on it.

    Kept for the next page of the same blank (a blank never changes; its code keys it too,
    so that a store restored over this one is not answered from the old one's blanks).
    """
    item = store.blank(blank_id)
    key = (str(store.path), blank_id, item.code)
    if key not in _CACHE:
        if len(_CACHE) >= CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = _layout(store.blank_pdf(item))
    return _CACHE[key]


def _layout(data: bytes) -> Layout | None:
    doc = pdfium.PdfDocument(data)
    try:
        page = doc[0]
        try:
            w_pt, h_pt = page.get_size()
            size_mm = (w_pt / MM_PT, h_pt / MM_PT)
            # a blank is a clean drawing: a strict read of a grey rendering finds its code; a lenient one, at
            # three times the cost, only where that does not
            codes = read_strict(_grey(page, CORNER_DPI)) or read_lenient(render(page, CORNER_DPI))
            if len(codes) != 1:
                return None
            px_mm = CORNER_DPI / 25.4
            tl, tr, br, bl = ((x / px_mm, y / px_mm) for x, y in codes[0].corners)
            symbol = (tl, tr, br, bl)
            words = _words(page, h_pt)
            work = _grey(page, PX_PER_MM * 25.4)
        finally:
            page.close()
    finally:
        doc.close()
    return text_layout(symbol, work, words, size_mm)


def _grey(page: pdfium.PdfPage, dpi: float) -> Image.Image:
    """The page rendered in grey at ``dpi`` (pdfium draws it so: no colour page to convert)."""
    bitmap = page.render(scale=dpi / 72, grayscale=True, may_draw_forms=False)
    try:
        im = bitmap.to_pil()
        return im if im.mode == "L" else im.convert("L")
    finally:
        bitmap.close()


def _words(page: pdfium.PdfPage, h_pt: float) -> dict[str, tuple[float, float, float, float]]:
    """Where the signature's and the seal's labels are, in mm from the top-left corner."""
    out: dict[str, tuple[float, float, float, float]] = {}
    text = page.get_textpage()
    try:
        for key, words in (("signature", SIGNATURE_WORDS), ("seal", SEAL_WORDS)):
            for word in words:
                search = text.search(word, match_case=False, match_whole_word=False)
                try:
                    hit = search.get_next()
                finally:
                    search.close()
                if hit is None:
                    continue
                index, count = hit
                boxes = [text.get_charbox(i) for i in range(index, index + count)]
                left = min(b[0] for b in boxes)
                right = max(b[2] for b in boxes)
                bottom = min(b[1] for b in boxes)
                top = max(b[3] for b in boxes)
                out[key] = (left / MM_PT, (h_pt - top) / MM_PT, right / MM_PT, (h_pt - bottom) / MM_PT)
                break
    finally:
        text.close()
    return out
