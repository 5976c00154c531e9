"""单位审核意见表 (基层单位推荐意见) and 考核表 (年度及任职期满考核结果) of one case.

Both pages share a head: the QR code top right (:data:`~app.forms.draw.QR_BOX_MM`),
the title, and a ruled table of the case (申报人, 证件号码, 申报系列/专业/职务,
申报单位, 评审计划). The 证件号码 is printed masked (``420202********1234``): the
page is signed, scanned, and, as the portal's own FAQ advises, passed through QQ or
WeChat screenshots; the name, the last four digits and the QR code identify the
applicant to the officer and to the portal, and the full number is already in the
portal. The stamp areas are at the bottom right, far from the QR code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from fpdf import FPDF

from app.core.ids import mask_id
from app.core.models import Case, Plan
from app.core.payload import FormKind, Payload, encode
from app.forms import draw
from app.forms.draw import CONTENT_W, MARGIN_X, Cell

GRADES = ("优秀", "合格", "基本合格", "不合格")
YEARS_SHOWN = 5

TITLES = {FormKind.OPINION: "单位审核意见表", FormKind.APPRAISAL: "考核表"}
BOX_LABELS = {FormKind.OPINION: "基层单位推荐意见", FormKind.APPRAISAL: "年度及任职期满考核结果"}
HINTS = {
    FormKind.OPINION: "（对申报人的思想政治表现、职业道德、专业能力、工作业绩及申报材料的真实性提出推荐意见）",
    FormKind.APPRAISAL: "（任现职以来的年度考核情况及任职期满考核意见）",
}
NOTES = (
    "说明：1. 本表由推荐单位填写，负责人签字并加盖单位公章后，扫描或拍照为图片上传至职称评审系统。",
    "2. 右上角二维码含本办件的流程信息，请勿涂改、遮挡或裁剪；办件经退回修改后流程信息会变化，须重新下载本表。",
)
LABELS = ("申报人", "证件号码", "申报系列", "申报专业", "申报职务", "填报日期", "申报单位", "评审计划",
          "年度", "考核结果（在对应等次前的□内打√）", "年度", "任职期满考核", "负责人（签字）：", "（单位公章）",
          "年　　　月　　　日", "办件", "第", "版", "0123456789-·", "此页空白")  # fmt: skip

TABLE_W = (26.0, 59.0, 26.0, 59.0)
INFO_TOP = 52.0
BOX_BOTTOM = 262.0


@dataclass(frozen=True)
class CaseForm:
    """Everything printed on one form of one case."""

    case_id: int
    kind: FormKind
    revision: int
    printed_on: date
    qr_text: str
    name: str
    id_masked: str
    series: str
    specialty: str
    position: str
    unit_name: str
    plan_title: str
    filed_on: date

    @classmethod
    def of(cls, secret: bytes, case: Case, plan: Plan, kind: FormKind, printed_on: date) -> CaseForm:
        qr = encode(secret, Payload(case.id, kind, case.revision, printed_on))
        return cls(case.id, kind, case.revision, printed_on, qr, case.name, mask_id(case.id_number), case.series,
                   case.specialty, case.position, case.unit_name, plan.title, case.filed_on)  # fmt: skip

    @property
    def caption(self) -> tuple[str, str]:
        """The human-readable line(s) under the QR code: case, form, revision, day."""
        return (f"办件 {self.case_id} · 第{self.revision}版", f"{self.kind.label} · {self.printed_on.isoformat()}")

    def texts(self) -> list[str]:
        """Every text this form prints, for the batch font."""
        return [self.name, self.id_masked, self.series, self.specialty, self.position, self.unit_name,
                self.plan_title, *self.caption, TITLES[self.kind], BOX_LABELS[self.kind], HINTS[self.kind],
                *NOTES, *LABELS, *GRADES, draw.checkbox_line(GRADES)]  # fmt: skip


def static_texts() -> list[str]:
    """The labels of both forms, whatever the case."""
    out = [*NOTES, *LABELS, *GRADES, draw.checkbox_line(GRADES)]
    for kind in TITLES:
        out += [TITLES[kind], BOX_LABELS[kind], HINTS[kind], kind.label]
    return out


def _head(pdf: FPDF, form: CaseForm) -> float:
    pdf.add_page()
    draw.draw_qr(pdf, form.qr_text, caption=form.caption)
    draw.title(pdf, TITLES[form.kind], 32.0, size=22.0)
    rows = [
        [Cell("申报人", label=True), Cell(form.name), Cell("证件号码", label=True), Cell(form.id_masked)],
        [Cell("申报系列", label=True), Cell(form.series), Cell("申报专业", label=True), Cell(form.specialty)],
        [Cell("申报职务", label=True), Cell(form.position), Cell("填报日期", label=True),
         Cell(form.filed_on.isoformat())],
        [Cell("申报单位", label=True), Cell(form.unit_name, span=3, align="L")],
        [Cell("评审计划", label=True), Cell(form.plan_title, span=3, align="L", size=10.5)],
    ]  # fmt: skip
    return draw.ruled_table(pdf, MARGIN_X, INFO_TOP, TABLE_W, rows, heights=(11.0, 11.0, 11.0, 11.0, 13.0))


def _box(pdf: FPDF, form: CaseForm, top: float) -> None:
    label_w = TABLE_W[0]
    draw.labelled_box(pdf, MARGIN_X, top, CONTENT_W, BOX_BOTTOM - top, BOX_LABELS[form.kind], label_w=label_w)
    inner_x = MARGIN_X + label_w
    inner_w = CONTENT_W - label_w
    draw.text_in_box(pdf, inner_x, top + 1.0, inner_w, 9.0, HINTS[form.kind], size=9.0, align="L", pad=3.0)
    draw.signature_block(pdf, inner_x, BOX_BOTTOM - 10.0, inner_w)
    draw.notes(pdf, BOX_BOTTOM + 6.0, NOTES)


def draw_opinion(pdf: FPDF, form: CaseForm) -> None:
    """The 单位审核意见表: the case, then one large box for 基层单位推荐意见."""
    _box(pdf, form, _head(pdf, form))


def draw_appraisal(pdf: FPDF, form: CaseForm) -> None:
    """The 考核表: the case, the yearly grades to tick, then the box for 年度及任职期满考核结果."""
    top = _head(pdf, form)
    ticks = draw.checkbox_line(GRADES)
    first = form.filed_on.year - YEARS_SHOWN
    rows = [[Cell("年度", label=True), Cell("考核结果（在对应等次前的□内打√）")]]
    rows += [[Cell(f"{year}年度"), Cell(ticks)] for year in range(first, first + YEARS_SHOWN)]
    rows.append([Cell("任职期满考核", size=11.0), Cell(ticks)])
    top = draw.ruled_table(pdf, MARGIN_X, top, (TABLE_W[0], CONTENT_W - TABLE_W[0]), rows, heights=9.0)
    _box(pdf, form, top)


DRAWERS: dict[FormKind, Callable[[FPDF, CaseForm], None]] = {
    FormKind.OPINION: draw_opinion,
    FormKind.APPRAISAL: draw_appraisal,
}


def blank_page(pdf: FPDF) -> None:
    """The back of a one-page form in a double-sided print: says it is blank on purpose."""
    pdf.add_page()
    draw.small_text(pdf, draw.PAGE_W / 2, draw.PAGE_H / 2, "（此页空白）", size=10.0, align="C")
