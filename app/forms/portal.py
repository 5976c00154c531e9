"""Pages laid out like the portal's downloads (下载单位审核意见表 / 下载考核表), for the demo and the tests.

The real portal's QR code carries its own process information in a format only the
portal knows; these pages carry a code that is clearly not the portal's (``HBZC-DEMO-…``
for the demo) so that a newcomer can try the whole real flow with them. The layout
differs from our own forms on purpose (code at the top left, another table), and the
options give the variants real downloads come in: the code as an embedded image or as
drawn squares, with or without a text layer.
"""

from __future__ import annotations

import io
import random
import secrets
from dataclasses import dataclass

import qrcode
from fpdf import FPDF

from app.core.models import Slot
from app.forms import draw
from app.forms.fonts import BatchFont

TITLES = {Slot.OPINION: "基层单位推荐意见（单位审核意见表）", Slot.APPRAISAL: "年度及任职期满考核结果（考核表）"}
LABELS = ("姓名", "身份证号", "工作单位", "申报系列", "申报专业", "单位负责人签字：", "单位（盖章）", "年　月　日",
          "湖北省职称评审申报系统", "打印时间")  # fmt: skip
DEMO_PREFIX = "HBZC-DEMO-"
#: Where the code is: (x, y, size) in mm from the page's top-left corner.
CODE_BOX_MM = (18.0, 14.0, 32.0)


@dataclass(frozen=True)
class PortalPage:
    """What one downloaded page shows."""

    slot: Slot
    code: str
    name: str = ""
    id_number: str = ""  # as the page prints it: full, masked, or left out
    unit: str = ""
    series: str = ""
    specialty: str = ""


def demo_code(rng: random.Random | None = None) -> str:
    """A random-looking code that is clearly the demo's, never the portal's (``rng`` makes it repeatable)."""
    return DEMO_PREFIX + (f"{rng.getrandbits(96):024X}" if rng is not None else secrets.token_hex(12).upper())


def portal_pdf(pages: list[PortalPage], code_as_image: bool = True, text_layer: bool = True) -> bytes:
    """One PDF with a portal-style page per item."""
    texts = [*TITLES.values(), *LABELS] + [f"{p.name}{p.id_number}{p.unit}{p.series}{p.specialty}" for p in pages]
    with BatchFont(texts) as font:
        pdf = draw.new_document(font, "系统下载的空白表")
        pdf.set_creator("湖北省职称评审申报系统（演示）")
        for page in pages:
            pdf.add_page()
            _page(pdf, page, code_as_image, text_layer)
        return draw.pdf_bytes(pdf)


def _page(pdf: FPDF, page: PortalPage, code_as_image: bool, text_layer: bool) -> None:
    if text_layer:
        draw.title(pdf, TITLES[page.slot], 44, size=16)
        draw.small_text(pdf, 60, 22, "湖北省职称评审申报系统")
    x, y, size = CODE_BOX_MM
    if code_as_image:
        image = qrcode.make(page.code, error_correction=qrcode.constants.ERROR_CORRECT_M, border=4, box_size=8)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        pdf.image(buffer, x=x, y=y, w=size, h=size)
    else:
        draw.draw_qr(pdf, page.code, x, y, size)
    pdf.set_line_width(draw.THIN)
    rows = (("姓名", page.name), ("身份证号", page.id_number), ("工作单位", page.unit),
            ("申报系列", page.series), ("申报专业", page.specialty))  # fmt: skip
    top = 62.0
    for i, (label, value) in enumerate(rows):
        pdf.rect(25, top + i * 10, 40, 10)
        pdf.rect(65, top + i * 10, 120, 10)
        if text_layer:
            draw.text_in_box(pdf, 25, top + i * 10, 40, 10, label)
            draw.text_in_box(pdf, 65, top + i * 10, 120, 10, value, align="L")
    box_top = top + len(rows) * 10
    pdf.rect(25, box_top, 160, 262 - box_top)
    pdf.set_line_width(draw.THICK)
    pdf.line(25, 52, 185, 52)
    if text_layer:
        draw.small_text(pdf, 120, 235, "单位负责人签字：")
        draw.small_text(pdf, 120, 248, "单位（盖章）")
        draw.small_text(pdf, 140, 256, "年　月　日")
