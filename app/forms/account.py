"""《黄石市职称评审信息系统用户开户申请表》: the unit asks for its account.

The guide (一、建立账号步骤) asks for the 统一社会信用代码 and the manager's identity, and
says who creates the account (:func:`app.core.units.account_creator`); the form says
where to hand it in. Unlike the case forms it prints the manager's full 身份证号码:
the account is registered to that person, and the form goes to one office only.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from app.core.units import Manager, Unit, UnitKind, account_creator, validate_unit
from app.forms import draw
from app.forms.draw import CONTENT_W, MARGIN_X, Cell
from app.forms.fonts import BatchFont

TITLE = "黄石市职称评审信息系统用户开户申请表"
FILE_NAME = f"{TITLE}.pdf"
WIDTHS = (34.0, 51.0, 30.0, 55.0)
LABELS = ("单位名称", "统一社会信用代码", "单位类型", "注册地区", "上级单位", "管理人员", "身份证号码", "联系电话",
          "受理部门", "受理依据", "申请单位意见", "受理部门意见", "经办人（签字）：", "负责人（签字）：", "（单位公章）",
          "（受理部门公章）", "年　　　月　　　日", "无", "填表日期：", "账号用途", "本单位职称评审材料的单位审核与送审")  # fmt: skip


def unit_of(row: dict[str, Any], parent: str | None = None) -> Unit:
    """A :class:`Unit` from a row of the store's ``units`` table."""
    manager = Manager(row["manager_name"], row["manager_id_number"], row["manager_phone"])
    return Unit(row["name"], row["credit_code"], UnitKind.parse(row["kind"]), row["region"], manager, parent)


def _notes(office: str) -> list[str]:
    return [
        f"说明：1. 依据《黄石市企事业单位职称网审操作指南》（2025年版），本表由申请单位填写、盖章后交{office}。",
        "2. 请同时提供单位统一社会信用代码证明（营业执照或法人证书复印件）和管理人员身份证明复印件备案。",
        "3. 账号开通后由管理人员本人保管，人员变动时请及时申请变更。",
    ]


def render_account_form(unit: Unit, out: Path, today: date) -> Path:
    """Write the form for ``unit`` to ``out``; :class:`UsageError` when a code is invalid.

    A credit code whose only fault is its check character is accepted (some early
    codes are so) and the warning is printed on the form for the office to see.
    """
    warnings = validate_unit(unit, today)
    office = account_creator(unit.kind, unit.region)
    credit = unit.credit_code.strip().upper()
    rows = [
        [Cell("单位名称", label=True), Cell(unit.name, span=3, align="L")],
        [Cell("统一社会信用代码", label=True), Cell(credit, span=3, align="L")],
        [Cell("单位类型", label=True), Cell(unit.kind.label), Cell("注册地区", label=True), Cell(unit.region)],
        [Cell("上级单位", label=True), Cell(unit.parent or "无", span=3, align="L")],
        [Cell("管理人员", label=True), Cell(unit.manager.name), Cell("联系电话", label=True),
         Cell(unit.manager.phone.strip())],
        [Cell("身份证号码", label=True), Cell(unit.manager.id_number.strip().upper(), span=3, align="L")],
        [Cell("账号用途", label=True), Cell("本单位职称评审材料的单位审核与送审", span=3, align="L")],
        [Cell("受理部门", label=True), Cell(office.name, span=3, align="L")],
        [Cell("受理依据", label=True), Cell(office.reason + ("\n" + "；".join(warnings) if warnings else ""),
                                       span=3, align="L", size=10.0)],
    ]  # fmt: skip
    notes = _notes(office.name)
    texts = [TITLE, *LABELS, *notes, *warnings, unit.name, credit, unit.kind.label, unit.region, unit.parent or "",
             unit.manager.name, unit.manager.phone, unit.manager.id_number, office.name, office.reason,
             today.isoformat()]  # fmt: skip
    with BatchFont(texts) as font:
        pdf = draw.new_document(font, TITLE)
        pdf.add_page()
        draw.title(pdf, TITLE, 30.0, size=18.0)
        draw.small_text(pdf, MARGIN_X + CONTENT_W, 42.0, f"填表日期：{today.isoformat()}", size=10.5, align="R")
        heights = [11.0] * (len(rows) - 1) + [18.0]
        y = draw.ruled_table(pdf, MARGIN_X, 46.0, WIDTHS, rows, heights=heights)
        for label, signer, seal in (("申请单位意见", "负责人（签字）：", "（单位公章）"),
                                    ("受理部门意见", "经办人（签字）：", "（受理部门公章）")):  # fmt: skip
            draw.labelled_box(pdf, MARGIN_X, y, CONTENT_W, 48.0, label, label_w=WIDTHS[0])
            draw.signature_block(pdf, MARGIN_X + WIDTHS[0], y + 40.0, CONTENT_W - WIDTHS[0], signer, seal)
            y += 48.0
        draw.notes(pdf, y + 6.0, notes, size=8.5)
        draw.write_atomic(out, draw.pdf_bytes(pdf))
    return out
