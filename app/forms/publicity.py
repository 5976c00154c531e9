"""The 公示 notice and the 推荐单位公示证明 (A4, fpdf2).

The notice is posted (单位公示栏 / 内网) and carries no code. Each certificate
page is one applicant's and carries our authenticated QR code of kind
``publicity``, so that a scanned, stamped stack sorts itself into the cases'
推荐单位公示证明 slots.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from fpdf import FPDF

from app.core.payload import Payload, encode
from app.core.workdays import PUBLICITY_WORKDAYS
from app.forms import draw
from app.forms.draw import CONTENT_W, MARGIN_X, PAGE_W, Cell
from app.forms.fonts import BatchFont

NOTICE_HEADERS = ("序号", "姓名", "现工作单位/部门", "申报系列", "申报专业", "申报职务/资格")
NOTICE_WIDTHS = (11.0, 20.0, 63.0, 26.0, 24.0, 26.0)
ROW_H = 9.0
BOTTOM = 277.0
RULE = "《职称评审管理暂行规定》（人力资源社会保障部令第40号）"


@dataclass(frozen=True)
class NoticeRow:
    name: str
    workplace: str
    series: str
    specialty: str
    position: str


@dataclass(frozen=True)
class Notice:
    unit: str
    plan_title: str
    rows: list[NoticeRow]
    start: date
    end: date
    workdays: int | None
    place: str
    contact: str


@dataclass(frozen=True)
class Certificate:
    """One applicant's 推荐单位公示证明."""

    unit: str
    name: str
    workplace: str
    series: str
    specialty: str
    position: str
    start: date
    end: date
    workdays: int | None
    place: str
    objections: str
    payload: Payload


def cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def period_text(start: date, end: date, workdays: int | None) -> str:
    days = f"（共{workdays}个工作日）" if workdays is not None else ""
    return f"{cn_date(start)}至{cn_date(end)}{days}"


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith(("。", "！", "；", ".")) else text + "。"


# -- the notice -------------------------------------------------------------------------


def _year(notice: Notice) -> str:
    found = re.search(r"(\d{4})年度", notice.plan_title)
    return found.group(1) if found else str(notice.start.year)


def _notice_texts(notice: Notice) -> dict[str, str]:
    plan = f"和《{notice.plan_title.strip('《》')}》" if notice.plan_title else ""
    return {
        "title": f"{_year(notice)}年度职称评审申报人员公示",
        "intro": f"根据{RULE}{plan}的要求，经个人申报、单位审核，现将{notice.unit}"
        f"{len(notice.rows)}名申报职称评审人员的有关情况予以公示（见下表）。",
        "period": f"一、公示期：{period_text(notice.start, notice.end, notice.workdays)}。",
        "place": f"二、公示地点：{_sentence(notice.place)}",
        "objections": f"三、公示期间，对公示人员的申报材料、业绩成果等有异议的，请以书面形式实名向{notice.unit}"
        "反映（须署真实姓名并写明联系方式）。我单位将认真核实，并为反映人保密。",
        "contact": f"四、受理异议联系人及电话：{_sentence(notice.contact)}",
        "signer": notice.unit,
        "date": cn_date(notice.start),
    }


def notice_pdf(notice: Notice) -> bytes:
    """The A4 公示 notice: the rule, the table of applicants, the period, where to object, a contact."""
    texts = _notice_texts(notice)
    cells = [s for r in notice.rows for s in (r.name, r.workplace, r.series, r.specialty, r.position)]
    with BatchFont([*texts.values(), *NOTICE_HEADERS, *cells, "0123456789"]) as font:
        pdf = draw.new_document(font, texts["title"])
        pdf.add_page()
        draw.title(pdf, texts["title"], 30, size=18)
        y = _paragraph(pdf, texts["intro"], 44)
        header = [Cell(h, label=True, size=11) for h in NOTICE_HEADERS]
        body = [
            [Cell(str(i)), Cell(r.name), Cell(r.workplace, size=10.5), Cell(r.series, size=10.5),
             Cell(r.specialty, size=10.5), Cell(r.position, size=10.5)]
            for i, r in enumerate(notice.rows, 1)
        ]  # fmt: skip
        y += 3
        while True:
            room = max(1, int((BOTTOM - y - ROW_H) // ROW_H))
            chunk, body = body[:room], body[room:]
            y = draw.ruled_table(pdf, MARGIN_X, y, NOTICE_WIDTHS, [header, *chunk], ROW_H)
            if not body:
                break
            pdf.add_page()
            y = 20.0
        y += 6
        for key in ("period", "place", "objections", "contact"):
            y = _paragraph(pdf, texts[key], y, after=1.5, may_break=True)
        if y + 30 > BOTTOM:
            pdf.add_page()
            y = 30.0
        right = PAGE_W - MARGIN_X - 4
        pdf.set_font_size(draw.BODY_PT)
        for i, line in enumerate((texts["signer"], texts["date"])):
            pdf.text(right - pdf.get_string_width(line), y + 14 + i * 8, line)
        return draw.pdf_bytes(pdf)


def _paragraph(pdf: FPDF, text: str, y: float, after: float = 0.0, may_break: bool = False) -> float:
    """A body paragraph with a two-character first-line indent; returns the y below it.

    With ``may_break`` a paragraph that does not fit above the bottom margin starts a new page.
    """
    pdf.set_font_size(draw.BODY_PT)
    line_h = draw.BODY_PT * draw.PT_MM * 1.7
    lines = draw.wrap(pdf, "　　" + text, CONTENT_W)
    if may_break and y + len(lines) * line_h > BOTTOM:
        pdf.add_page()
        y = 20.0
    for i, line in enumerate(lines):
        pdf.text(MARGIN_X, y + (i + 0.75) * line_h, line)
    return y + len(lines) * line_h + after


# -- the 推荐单位公示证明 ----------------------------------------------------------------------

CERT_TITLE = "推荐单位公示证明"
CERT_LABEL_W = 30.0
SIGNER = "单位负责人（签字）："
SIGNATURE_TEXT = "（单位公章）年　　　月　　　日"  # what draw.signature_block prints besides the signer


def _certificate_texts(c: Certificate) -> dict[str, str]:
    return {
        "intro": f"兹证明：我单位已按照{RULE}第十六条的规定，将{c.name}同志申报{c.series}{c.specialty}专业"
        f"{c.position}资格的个人基本情况、申报材料等在{c.place}进行了公示，"
        f"公示期不少于{PUBLICITY_WORKDAYS}个工作日。公示情况如下：",
        "period": period_text(c.start, c.end, c.workdays),
        "result": _sentence(c.objections),
        "close": "特此证明。",
        "unit": f"推荐单位：{c.unit}",
        "caption": f"办件{c.payload.case_id}·流程版本{c.payload.revision}",
    }


def _certificate_rows(c: Certificate, texts: dict[str, str]) -> list[list[Cell]]:
    return [
        [Cell("姓名", label=True), Cell(c.name), Cell("申报系列", label=True), Cell(c.series)],
        [Cell("申报专业", label=True), Cell(c.specialty), Cell("申报职务/资格", label=True, size=10.5),
         Cell(c.position)],
        [Cell("工作单位/部门", label=True, size=10.5), Cell(c.workplace, span=3)],
        [Cell("公示期", label=True), Cell(texts["period"], span=3)],
        [Cell("公示地点", label=True), Cell(c.place, span=3)],
        [Cell("公示结果", label=True), Cell(texts["result"], span=3, align="L")],
    ]  # fmt: skip


def _certificate_page(pdf: FPDF, c: Certificate, secret: bytes) -> None:
    texts = _certificate_texts(c)
    pdf.add_page()
    draw.draw_qr(pdf, encode(secret, c.payload), caption=(CERT_TITLE, texts["caption"]))
    draw.title(pdf, CERT_TITLE, 52)
    y = _paragraph(pdf, texts["intro"], 62) + 4
    value_w = CONTENT_W - CERT_LABEL_W
    half = (value_w - CERT_LABEL_W) / 2
    widths = (CERT_LABEL_W, half, CERT_LABEL_W, half)
    rows = _certificate_rows(c, texts)
    y = draw.ruled_table(pdf, MARGIN_X, y, widths, rows, [11.0, 11.0, 11.0, 11.0, 11.0, 34.0])
    y = _paragraph(pdf, texts["close"], y + 4)
    # the signature and the stamp: a box with room for the round seal on the right
    top = y + 4
    height = 58.0
    pdf.set_line_width(draw.THICK)
    pdf.rect(MARGIN_X, top, CONTENT_W, height)
    pdf.set_line_width(draw.THIN)
    pdf.text(MARGIN_X + 6, top + 12, texts["unit"])
    draw.signature_block(pdf, MARGIN_X, top + height - 8, CONTENT_W, signer=SIGNER)


def certificates_pdfs(documents: Sequence[Sequence[Certificate]], secret: bytes) -> list[bytes]:
    """One PDF per sequence of certificates (one page each), all set with one batch font."""
    texts = [CERT_TITLE, SIGNER, SIGNATURE_TEXT]
    for doc in documents:
        for c in doc:
            page_texts = _certificate_texts(c)
            texts += page_texts.values()
            texts += (cell.text for row in _certificate_rows(c, page_texts) for cell in row)
    out = []
    with BatchFont(texts) as font:
        for doc in documents:
            pdf = draw.new_document(font, CERT_TITLE)
            for c in doc:
                _certificate_page(pdf, c, secret)
            out.append(draw.pdf_bytes(pdf))
    return out
