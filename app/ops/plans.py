"""评审计划: the review plans the portal's notices announce, entered once per notice.

A case belongs to a plan, whose committee window gives its 临近审核状态; a list of applicants
can only be imported into a plan, so a new store needs one first.
"""

from __future__ import annotations

import re
from datetime import date

from app.core.errors import UsageError
from app.core.models import Plan
from app.store import Store

#: Series (申报系列) offered when a plan is entered; any other may be typed.
COMMON_SERIES = (
    "工程技术人员",
    "卫生技术人员",
    "中小学教师",
    "高等学校教师",
    "中等职业学校教师",
    "经济专业人员",
    "会计人员",
    "统计专业人员",
    "审计专业人员",
    "农业技术人员",
    "新闻专业人员",
    "出版专业人员",
    "图书资料专业人员",
    "文物博物专业人员",
    "档案专业人员",
    "群众文化专业人员",
    "艺术专业人员",
    "体育专业人员",
    "翻译专业人员",
    "律师",
    "公证员",
    "工艺美术专业人员",
    "实验技术人才",
    "技工院校教师",
)


def split_specialties(text: str) -> list[str]:
    """申报专业 as typed: separated by 、，, ; or spaces, each once, in the order given."""
    seen: list[str] = []
    for part in re.split(r"[、，,；;\s]+", text):
        if part and part not in seen:
            seen.append(part)
    return seen


def add_plan(
    store: Store,
    title: str,
    series: str,
    specialties: list[str],
    deadline: date,
    window_start: date,
    window_end: date,
) -> Plan:
    """A new plan, each field checked; the plan already stored when the same notice is entered twice."""
    title, series = title.strip(), series.strip()
    if not title:
        raise UsageError(
            "请填写评审计划的标题", "照系统中通知的标题填写，如：关于开展2026年度…职称评审材料申报工作的通知"
        )
    if not series:
        raise UsageError("请填写申报系列", f"如：{'、'.join(COMMON_SERIES[:3])}")
    if window_end < window_start:
        raise UsageError("评委会收件期的结束日期早于开始日期", "请按通知核对评委会收件的起止日期")
    if deadline > window_end:
        raise UsageError("申报截止日期晚于评委会收件结束日期", "请按通知核对申报截止日期")
    for plan in store.plans():
        if plan.title == title and plan.series == series:
            return plan
    plan_id = store.add_plan(title, series, specialties, deadline, window_start, window_end)
    return next(p for p in store.plans() if p.id == plan_id)


def list_plans(store: Store) -> list[Plan]:
    return store.plans()
