"""The guide's views of a case as rich text: 申报表 and 一览表 (read-only, printable)."""

from __future__ import annotations

from html import escape
from typing import Any

from app.core.review import BASIC_FIELDS, EMPTY_TABLE, TABLES, Module
from app.ops.cases import CaseDetail
from app.ui.i18n import _

CSS = """
<style>
body { font-size: 10.5pt; }
h2 { text-align: center; margin: 4px 0 10px 0; }
h3 { margin: 14px 0 4px 0; color: #1f3b63; }
table.form { border-collapse: collapse; width: 100%; }
table.form td, table.form th { border: 1px solid #8899aa; padding: 4px 6px; }
table.form th { background: #eef3f9; font-weight: normal; color: #33475b; white-space: nowrap; }
td.empty { color: #8a8f98; text-align: center; }
.muted { color: #5f6b7a; }
</style>
"""


def _e(value: Any) -> str:
    return escape("" if value is None else str(value))


def _table(headers: tuple[str, ...], rows: list[list[Any]]) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    if not rows:
        body = f'<tr><td class="empty" colspan="{len(headers)}">{EMPTY_TABLE}</td></tr>'
    else:
        body = "".join("<tr>" + "".join(f"<td>{_e(v)}</td>" for v in row) + "</tr>" for row in rows)
    return f'<table class="form" cellspacing="0"><tr>{head}</tr>{body}</table>'


def application_form(detail: CaseDetail) -> str:
    """申报表: the application as one form, basic information in a grid, then every table."""
    case, plan = detail.row.case, detail.row.plan
    basic = case.modules.get(Module.BASIC.value) or {}
    cells = [(f, basic.get(f, "")) for f in BASIC_FIELDS]
    grid = ""
    for i in range(0, len(cells), 3):
        grid += "<tr>" + "".join(f"<th>{_e(k)}</th><td>{_e(v)}</td>" for k, v in cells[i : i + 3]) + "</tr>"
    parts = [
        CSS,
        f"<h2>{_e(_('专业技术职务任职资格申报表'))}</h2>",
        f'<p class="muted">{_e(_("评审计划"))}：{_e(plan.title)}<br>'
        f"{_e(_('申报系列'))}：{_e(case.series)}　{_e(_('申报专业'))}：{_e(case.specialty)}　"
        f"{_e(_('申报职务'))}：{_e(case.position)}　{_e(_('填报日期'))}：{case.filed_on.isoformat()}</p>",
        f"<h3>{_e(Module.BASIC.label)}</h3>",
        f'<table class="form" cellspacing="0">{grid}</table>',
    ]
    for module, tables in TABLES.items():
        data = case.modules.get(module.value) or {}
        for title, headers in tables.items():
            parts.append(f"<h3>{_e(module.label)}-{_e(title)}</h3>")
            parts.append(_table(headers, list(data.get(title) or [])))
    return "".join(parts)


def summary_sheet(detail: CaseDetail) -> str:
    """一览表: one line per applicant with what a committee looks at first."""
    case = detail.row.case
    basic = case.modules.get(Module.BASIC.value) or {}
    study = case.modules.get(Module.STUDY.value) or {}
    ach = case.modules.get(Module.ACHIEVEMENTS.value) or {}
    degree = (study.get("学历信息") or [[""] * 5])[-1]
    education = " ".join(str(x) for x in degree[1:5] if x)
    cont = study.get("继续教育") or []
    hours = sum(int(r[1]) for r in cont if len(r) > 1 and str(r[1]).isdigit())

    def count(table: str) -> int:
        return len(ach.get(table) or [])

    headers = ("姓名", "性别", "出生年月", "参加工作时间", "学历学位", "现工作单位", "申报系列", "申报专业",
               "申报职务", "论文", "著作", "专利", "项目", "获奖", "继续教育学时", "继续教育是否达标")  # fmt: skip
    row = [case.name, basic.get("性别", ""), basic.get("出生年月", ""), basic.get("参加工作时间", ""), education,
           case.unit_name, case.series, case.specialty, case.position, count("论文信息"), count("著作信息"),
           count("专利信息"), count("项目信息"), count("获奖信息"), hours, basic.get("继续教育是否达标", "")]  # fmt: skip
    # two columns (item, value) read better in a side panel than one very wide row
    body = "".join(f"<tr><th>{_e(h)}</th><td>{_e(v)}</td></tr>" for h, v in zip(headers, row, strict=True))
    return (
        CSS
        + f"<h2>{_e(_('职称评审人员一览表'))}</h2>"
        + f'<table class="form" cellspacing="0" style="width:60%">{body}</table>'
    )
