"""Drawing helpers shared by every form we print (A4, millimetres, fpdf2).

A form module builds one :class:`~app.forms.fonts.BatchFont` per batch with every
text it will print, makes each document with :func:`new_document`, and draws with
the helpers here: :func:`title`, :func:`ruled_table`, :func:`labelled_box`,
:func:`signature_block`, :func:`draw_qr`. :func:`pdf_bytes` and :func:`write_atomic`
finish a file.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import qrcode
from fpdf import FPDF
from fpdf.drawing import PaintedPath
from fpdf.enums import PathPaintRule, TextMode
from fpdf.fonts import TTFFont

from app.core.errors import ZcwsError, os_cause
from app.core.payload import QR_BOX_MM
from app.forms.fonts import FAMILY, BatchFont
from app.store import files

log = logging.getLogger(__name__)

PAGE_W = 210.0
PAGE_H = 297.0
MARGIN_X = 20.0
CONTENT_W = PAGE_W - 2 * MARGIN_X

THICK = 0.5  # outer frame of a table, mm
THIN = 0.25  # inner rules

BODY_PT = 12.0  # 小四
SMALL_PT = 9.0  # 小五-ish
PT_MM = 25.4 / 72

# The QR code: where app.core.payload says (a check knows it without loading the forms).
QR_X_MM, QR_Y_MM, QR_SIZE_MM = QR_BOX_MM
QR_QUIET_MODULES = 4


def new_document(font: BatchFont | Path, title: str) -> FPDF:
    """An empty A4 document (mm) with the batch font (or any font file) as the current font."""
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(MARGIN_X, 15, MARGIN_X)
    pdf.add_font(FAMILY, "", str(font.path if isinstance(font, BatchFont) else font))
    if isinstance(font, BatchFont):
        # The batch font's glyph bounds are already right: without this, fontTools
        # unpacks and recompiles every glyph when fpdf2 writes the subset (~2/3 of a file's time).
        for loaded in pdf.fonts.values():
            if isinstance(loaded, TTFFont):
                loaded.ttfont.recalcBBoxes = False
    pdf.set_font(FAMILY, size=BODY_PT)
    pdf.set_title(title)
    pdf.set_creator("职称网审助手")
    pdf.set_lang("zh-CN")
    pdf.set_draw_color(0)
    pdf.set_text_color(0)
    return pdf


def pdf_bytes(pdf: FPDF) -> bytes:
    return bytes(pdf.output())


def split_pages(data: bytes) -> Iterator[bytes]:
    """Each page of the PDF ``data`` as a PDF of its own (pypdfium2 copies what the page uses)."""
    source = pdfium.PdfDocument(data)
    try:
        for i in range(len(source)):
            single = pdfium.PdfDocument.new()
            try:
                single.import_pages(source, [i])
                buffer = io.BytesIO()
                single.save(buffer)
            finally:
                single.close()
            yield buffer.getvalue()
    finally:
        source.close()


def write_atomic(path: Path, data: bytes, durable: bool = True) -> None:
    """:func:`app.store.files.write_atomic`, with the officer's message when it fails."""
    try:
        files.write_atomic(path, data, durable)
    except OSError as exc:
        if exc.errno == 28:
            raise ZcwsError("磁盘已满，表格未写入", "请清理磁盘空间后重试") from None
        log.warning("cannot write %s: %s", path, exc)
        raise ZcwsError(
            f"无法写入 {path}：{os_cause(exc)}", "请检查文件夹是否存在、可写，文件是否正被其他程序打开"
        ) from None


# -- text -------------------------------------------------------------------------


def _em(size_pt: float) -> float:
    return size_pt * PT_MM


def wrap(pdf: FPDF, text: str, width: float) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` (Chinese breaks between any two characters)."""
    lines: list[str] = []
    widths: dict[str, float] = {}
    for para in text.split("\n"):
        line, line_w = "", 0.0
        for char in para:
            w = widths.get(char)
            if w is None:
                w = widths[char] = pdf.get_string_width(char)
            if line and line_w + w > width:
                # keep closing punctuation with the character before it (避头点)
                if char in "，。、；：）》”！？" and len(line) > 1:
                    lines.append(line[:-1])
                    line = line[-1]
                    line_w = widths[line]
                else:
                    lines.append(line)
                    line, line_w = "", 0.0
            line += char
            line_w += w
        lines.append(line)
    return lines


def text_in_box(
    pdf: FPDF, x: float, y: float, w: float, h: float, text: str, size: float = BODY_PT, align: str = "C",
    pad: float = 2.0, min_size: float = 7.0, spread: bool = False,
) -> None:  # fmt: skip
    """Text centred vertically in a box, wrapped, shrunk until it fits.

    ``spread`` spaces a short label across the box the way forms write 姓　　名.
    """
    inner = w - 2 * pad
    while True:
        pdf.set_font_size(size)
        lines = wrap(pdf, text, inner)
        line_h = _em(size) * 1.35
        fits = len(lines) * line_h <= h - 0.5 and (len(lines) == 1 or not spread)
        if fits or size <= min_size:
            break
        size -= 0.5
    top = y + (h - len(lines) * line_h) / 2
    for i, line in enumerate(lines):
        baseline = top + i * line_h + line_h / 2 + 0.36 * _em(size)
        if spread and len(lines) == 1 and 1 < len(line) <= 4:
            _spread(pdf, x + pad, baseline, inner, line, size)
            continue
        width = pdf.get_string_width(line)
        if align == "L":
            lx = x + pad
        elif align == "R":
            lx = x + w - pad - width
        else:
            lx = x + (w - width) / 2
        pdf.text(lx, baseline, line)
    pdf.set_font_size(BODY_PT)


def _spread(pdf: FPDF, x: float, baseline: float, width: float, text: str, size: float) -> None:
    """Distribute the characters of a short label over a width ≈ 4 characters, centred."""
    em = _em(size)
    span = min(width, 4 * em + 2 * em * 0.2)
    step = (span - em) / (len(text) - 1)
    left = x + (width - span) / 2
    for i, char in enumerate(text):
        pdf.text(left + i * step, baseline, char)


def title(pdf: FPDF, text: str, y: float, size: float = 20.0, width: float = CONTENT_W) -> None:
    """A form title, centred on the page, set a little bold (the font has one weight) and letter-spaced."""
    pdf.set_font_size(size)
    spacing = _em(size) * 0.25 if len(text) <= 10 else 0.0
    total = pdf.get_string_width(text) + spacing * (len(text) - 1)
    x = (PAGE_W - total) / 2
    # local_context saves and restores the graphics state (q … Q): the text render
    # mode would otherwise stay "fill and stroke" for every later text of the page.
    with pdf.local_context(text_mode=TextMode.FILL_STROKE, line_width=0.18):
        for char in text:
            pdf.text(x, y, char)
            x += pdf.get_string_width(char) + spacing
    pdf.set_font_size(BODY_PT)


def small_text(pdf: FPDF, x: float, y: float, text: str, size: float = SMALL_PT, align: str = "L") -> None:
    """One line of small text at baseline ``y``; ``align`` relative to ``x`` (L, C or R)."""
    pdf.set_font_size(size)
    width = pdf.get_string_width(text)
    lx = {"L": x, "C": x - width / 2, "R": x - width}[align]
    pdf.text(lx, y, text)
    pdf.set_font_size(BODY_PT)


def notes(pdf: FPDF, y: float, lines: Sequence[str], size: float = 8.0) -> float:
    """The 说明 under a form: numbered notes, wrapped lines indented under the text; returns the y below."""
    step = _em(size) * 1.4
    for i, note in enumerate(lines):
        indent = 0.0 if i == 0 else 3 * _em(size)  # later notes line up after "说明："
        pdf.set_font_size(size)
        for line in wrap(pdf, note, CONTENT_W - indent):
            pdf.text(MARGIN_X + indent, y, line)
            y += step
            indent = 3 * _em(size)
    pdf.set_font_size(BODY_PT)
    return y


# -- ruled tables -------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One cell of a :func:`ruled_table` row; ``span`` columns wide, a label when ``label``."""

    text: str = ""
    span: int = 1
    label: bool = False
    align: str = "C"
    size: float = BODY_PT


def ruled_table(
    pdf: FPDF, x: float, y: float, widths: Sequence[float], rows: Sequence[Sequence[Cell]],
    heights: Sequence[float] | float = 10.0,
) -> float:  # fmt: skip
    """A table with a thick outer frame and thin inner rules; returns the y below it.

    Labels are spaced across their cell (姓　名) as on official forms; values are
    wrapped and shrunk to fit.
    """
    row_heights = [heights] * len(rows) if isinstance(heights, float | int) else list(heights)
    total_w = sum(widths)
    top = y
    pdf.set_line_width(THIN)
    for row, h in zip(rows, row_heights, strict=True):
        cx = x
        col = 0
        for cell in row:
            w = sum(widths[col : col + cell.span])
            if col > 0:
                pdf.line(cx, y, cx, y + h)
            if cell.text:
                align = cell.align if not cell.label else "C"
                text_in_box(pdf, cx, y, w, h, cell.text, cell.size, align, spread=cell.label)
            cx += w
            col += cell.span
        if col != len(widths):
            raise ValueError(f"row spans {col} columns, table has {len(widths)}")
        y += h
        if y < top + sum(row_heights) - 0.01:
            pdf.line(x, y, x + total_w, y)
    pdf.set_line_width(THICK)
    pdf.rect(x, top, total_w, y - top)
    pdf.set_line_width(THIN)
    return y


def labelled_box(pdf: FPDF, x: float, y: float, w: float, h: float, label: str, label_w: float = 16.0) -> None:
    """A large ruled box with its label written vertically in a narrow left column.

    The layout of 基层单位推荐意见 / 年度及任职期满考核结果 on the portal's forms.
    """
    pdf.set_line_width(THICK)
    pdf.rect(x, y, w, h)
    pdf.set_line_width(THIN)
    pdf.line(x + label_w, y, x + label_w, y + h)
    vertical_text(pdf, x, y, label_w, h, label)


def vertical_text(pdf: FPDF, x: float, y: float, w: float, h: float, text: str, size: float = 14.0) -> None:
    """Characters stacked top to bottom, centred in the box, spaced to fill up to 70 % of its height."""
    em = _em(size)
    pitch = min(em * 2.2, (h * 0.7) / max(len(text), 1)) if len(text) > 1 else em
    pitch = max(pitch, em * 1.1)
    top = y + (h - pitch * (len(text) - 1) - em) / 2
    pdf.set_font_size(size)
    for i, char in enumerate(text):
        cw = pdf.get_string_width(char)
        pdf.text(x + (w - cw) / 2, top + i * pitch + 0.86 * em, char)
    pdf.set_font_size(BODY_PT)


def signature_block(
    pdf: FPDF, x: float, y: float, w: float, signer: str = "负责人（签字）：", seal: str = "（单位公章）",
) -> None:  # fmt: skip
    """The bottom lines of a box: who signs on the left; the seal and 年 月 日 on the right.

    ``y`` is the baseline of the date line; the seal's place is the 40 mm above it on
    the right, kept free of anything printed.
    """
    pdf.set_font_size(BODY_PT)
    pdf.text(x + 6, y - 12, signer)
    right = x + w - 8
    date_text = "年　　　月　　　日"
    pdf.text(right - pdf.get_string_width(date_text), y, date_text)
    if seal:
        pdf.text(right - pdf.get_string_width(date_text) + 4, y - 12, seal)


def checkbox_line(options: Sequence[str]) -> str:
    """ "□优秀　□合格 …": the choices an officer ticks by hand."""
    return "　".join(f"□{o}" for o in options)


# -- QR code --------------------------------------------------------------------------


def qr_matrix(text: str) -> list[list[bool]]:
    """The modules of ``text`` at error-correction level H, without quiet zone."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_H, border=0)
    code.add_data(text)
    code.make(fit=True)
    return code.get_matrix()


def draw_qr(
    pdf: FPDF, text: str, x: float = QR_X_MM, y: float = QR_Y_MM, size_mm: float = QR_SIZE_MM,
    caption: Sequence[str] = (),
) -> float:  # fmt: skip
    """A QR code of ``text`` as vector modules in the square (x, y, size_mm), quiet zone included.

    The dark modules of a row are merged into runs and all drawn as one filled path,
    so that no seam shows between neighbours when the page is rasterized. The
    ``caption`` lines (the human-readable form of the code) are centred under it.
    Returns the module size in mm.
    """
    matrix = qr_matrix(text)
    n = len(matrix)
    module = size_mm / (n + 2 * QR_QUIET_MODULES)
    ox = x + QR_QUIET_MODULES * module
    oy = y + QR_QUIET_MODULES * module
    path = PaintedPath()
    path.style.paint_rule = PathPaintRule.FILL_NONZERO
    path.style.fill_color = "#000000"
    path.style.stroke_color = None
    path.style.auto_close = False
    for r, row in enumerate(matrix):
        c = 0
        while c < n:
            if not row[c]:
                c += 1
                continue
            start = c
            while c < n and row[c]:
                c += 1
            path.rectangle(ox + start * module, oy + r * module, (c - start) * module, module)
    pdf.draw_path(path, copy=False)  # type: ignore[arg-type]  # fpdf2 annotates a GraphicsContext; it draws any path
    baseline = y + size_mm + 0.5
    for line in caption:
        baseline += _em(6.5) * 1.25
        small_text(pdf, x + size_mm / 2, baseline, line, size=6.5, align="C")
    return module
