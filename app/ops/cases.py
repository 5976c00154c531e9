"""The review queue and the unit review: list, show, review, resubmit."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from app.core.errors import RuleError, UsageError
from app.core.ids import check_id_number, mask_id
from app.core.models import Attachment, Case, Plan, ReviewRecord, RevisionEvent
from app.core.review import (
    STATUS_AFTER,
    Decision,
    Module,
    ModuleMark,
    ReviewResult,
    Status,
    apply_corrections,
    changed_items,
    check_reviewable,
    decide,
)
from app.core.urgency import Urgency
from app.store import Store

#: What the portal answers when 保存 succeeds, per result.
SAVED_MESSAGES = {
    ReviewResult.PASS: "审核通过成功",
    ReviewResult.RETURN: "审核退回成功",
    ReviewResult.UNQUALIFIED: "已标记为资格不符",
    ReviewResult.TERMINATE: "已终止审核",
}


@dataclass(frozen=True)
class CaseRow:
    """A case as the queue shows it: with its plan and its urgency today."""

    case: Case
    plan: Plan
    urgency: Urgency
    closed_reason: str | None

    def to_json(self, full: bool = False) -> dict[str, Any]:
        c = self.case
        return {
            "id": c.id,
            "name": c.name,
            "id_number": c.id_number if full else mask_id(c.id_number),
            "plan": self.plan.title,
            "plan_id": self.plan.id,
            "series": c.series,
            "specialty": c.specialty,
            "position": c.position,
            "status": c.status.value,
            "status_label": c.status.label,
            "urgency": self.urgency.value,
            "urgency_label": self.urgency.label,
            "deadline": self.plan.window_end.isoformat(),
            "revision": c.revision,
        }


def today() -> date:
    return date.today()


def _rows(store: Store, cases: list[Case], on: date) -> list[CaseRow]:
    plans = {p.id: p for p in store.plans()}
    thresholds = store.thresholds()
    out = []
    for c in cases:
        plan = plans[c.plan_id]
        state = plan.urgency(on, thresholds)
        out.append(CaseRow(c, plan, state, plan.closed_reason(on, thresholds)))
    return out


def list_cases(
    store: Store,
    status: Status | None = None,
    urgency: Urgency | None = None,
    search: str | None = None,
    on: date | None = None,
) -> list[CaseRow]:
    """The queue: each case with its plan and urgency; without the applicant's modules
    (use :func:`show_case` for those)."""
    rows = _rows(store, store.cases(status=status, search=search, with_modules=False), on or today())
    if urgency is not None:
        rows = [r for r in rows if r.urgency is urgency]
    return rows


def case_row(store: Store, case_id: int, on: date | None = None) -> CaseRow:
    return case_rows(store, [case_id], on)[0]


def case_rows(store: Store, case_ids: Iterable[int], on: date | None = None) -> list[CaseRow]:
    """:func:`case_row` of several cases, the plans and thresholds read once for all."""
    return _rows(store, [store.case(i) for i in case_ids], on or today())


@dataclass(frozen=True)
class CaseDetail:
    row: CaseRow
    reviews: list[ReviewRecord]
    revisions: list[RevisionEvent]
    attachments: list[Attachment]

    def to_json(self, full: bool = False) -> dict[str, Any]:
        c = self.row.case
        return {
            **self.row.to_json(full),
            "business": c.business,
            "unit": c.unit_name,
            "filed_on": c.filed_on.isoformat(),
            "closed_reason": self.row.closed_reason,
            "modules": c.modules if full else _masked_modules(c.modules),
            "returned": {m.value: r for m, r in c.returned.items()},
            "reviews": [
                {
                    "at": r.at.isoformat(timespec="seconds"),
                    "reviewer": r.reviewer,
                    "result": r.result.value,
                    "result_label": r.result.label,
                    "opinion": r.opinion,
                    "returns": {m.value: why for m, why in r.returns.items()},
                    "revision": r.revision,
                }
                for r in self.reviews
            ],
            "revisions": [
                {"revision": e.revision, "at": e.at.isoformat(timespec="seconds"), "reason": e.reason}
                for e in self.revisions
            ],
            "attachments": [
                {
                    "slot": a.slot.value,
                    "slot_label": a.slot.label,
                    "file": a.original_name,
                    "verdict": a.verdict,
                    "message": a.message,
                    "revision": a.revision,
                    "stored_at": a.stored_at.isoformat(timespec="seconds"),
                }
                for a in self.attachments
            ],
        }


def _masked_modules(modules: dict[str, Any]) -> dict[str, Any]:
    basic = modules.get(Module.BASIC.value)
    if not isinstance(basic, dict) or not basic.get("证件号码"):
        return modules
    return {**modules, Module.BASIC.value: {**basic, "证件号码": mask_id(str(basic["证件号码"]))}}


def show_case(store: Store, case_id: int, on: date | None = None) -> CaseDetail:
    return CaseDetail(
        case_row(store, case_id, on), store.reviews(case_id), store.revisions(case_id), store.attachments(case_id)
    )


@dataclass(frozen=True)
class ReviewOutcome:
    case: Case
    decision: Decision
    message: str


def review_case(
    store: Store,
    case_id: int,
    result: ReviewResult,
    opinion: str,
    marks: list[ModuleMark] | None = None,
    reviewer: str | None = None,
    now: datetime | None = None,
) -> ReviewOutcome:
    """Record a unit review (the portal's 保存 on 审核详情).

    The new decision stands and every earlier one stays in the history.
    """
    now = now or datetime.now()
    row = case_row(store, case_id, now.date())
    check_reviewable(row.case.status, row.urgency, row.closed_reason)
    decision = decide(result, opinion, marks)
    who = reviewer or str(store.get_setting("reviewer.name"))
    with store.transaction():
        store.add_review(case_id, who, result, decision.opinion, decision.returns, row.case.revision, now)
        store.update_case(case_id, status=STATUS_AFTER[result], returned=decision.returns)
    return ReviewOutcome(store.case(case_id), decision, SAVED_MESSAGES[result])


def parse_marks(items: list[str]) -> list[ModuleMark]:
    """``MODULE=REASON`` items from the command line into marks (是 with a reason)."""
    marks = []
    for item in items:
        key, sep, reason = item.partition("=")
        if not sep:
            raise UsageError(f"“{item}”格式不对，应为 模块=原因，例如 basic=请补充继续教育证明")
        marks.append(ModuleMark(Module.parse(key), True, reason))
    return marks


def resubmit_case(store: Store, case_id: int, changes: dict[str, Any], now: datetime | None = None) -> Case:
    """The applicant's corrected data comes back after a return.

    Only the returned modules may change; the case goes back into the queue
    and its process revision goes up, so forms printed before are stale.
    """
    now = now or datetime.now()
    case = store.case(case_id)
    if case.status is not Status.RETURNED:
        raise RuleError(f"办件状态为“{case.status.label}”，只有退回修改的办件才能重新提交")
    modules = apply_corrections(case.modules, case.returned, changes)
    identity = _identity_changes(case, modules)
    changed = "、".join(m.label for m in case.returned)
    what = "、".join(changed_items(case.modules, modules)) or "无字段变化"
    with store.transaction():
        store.update_case(case_id, modules=modules, returned={}, status=Status.PENDING,
                          revision=case.revision + 1, **identity)  # fmt: skip
        store.add_revision(case_id, case.revision + 1, f"退回修改后重新提交（{changed}：{what}）", now)
    return store.case(case_id)


def _identity_changes(case: Case, modules: dict[str, Any]) -> dict[str, Any]:
    basic = modules.get(Module.BASIC.value) or {}
    out: dict[str, Any] = {}
    name = str(basic.get("姓名") or case.name).strip()
    if name != case.name:
        out["name"] = name
    number = basic.get("证件号码")
    if number and number != case.id_number:
        check = check_id_number(str(number))
        if not check.ok:
            raise UsageError(check.message or "证件号码无效")
        out["id_number"] = check.value
    return out


#: Case fields whose change alters the process information printed on forms.
PROCESS_FIELDS = {"plan_id": "评审计划", "series": "申报系列", "specialty": "申报专业",
                  "unit_name": "申报单位", "name": "申报人", "id_number": "证件号码", "position": "申报职务"}  # fmt: skip


def change_case(store: Store, case_id: int, now: datetime | None = None, **fields: Any) -> Case:
    """Change a case's process information (plan, series, specialty, unit, identity); the revision goes up."""
    now = now or datetime.now()
    case = store.case(case_id)
    if case.status is Status.DISPATCHED:
        raise RuleError("该办件已送审，不能再修改流程信息")
    unknown = set(fields) - set(PROCESS_FIELDS)
    if unknown:
        raise UsageError(f"不能修改的字段：{'、'.join(sorted(unknown))}")
    if "id_number" in fields:
        check = check_id_number(str(fields["id_number"]))
        if not check.ok:
            raise UsageError(check.message or "证件号码无效")
        fields["id_number"] = check.value
    changed = {k: v for k, v in fields.items() if getattr(case, k) != v}
    if not changed:
        return case
    reason = "流程信息变更：" + "、".join(f"{PROCESS_FIELDS[k]} {getattr(case, k)} → {v}" for k, v in changed.items())
    with store.transaction():
        store.update_case(case_id, revision=case.revision + 1, **changed)
        store.add_revision(case_id, case.revision + 1, reason, now)
    return store.case(case_id)


def set_position(store: Store, case_id: int, position: str, now: datetime | None = None) -> Case:
    """申报职务 filled in (the portal's list has no such column) or corrected.

    Filling in an empty one completes the case and leaves its revision (nothing printed
    carried another value); changing a filled one is a change of the process information
    printed on our forms, as :func:`change_case`.
    """
    position = position.strip()
    if not position:
        raise UsageError("申报职务不能为空", "例如：工程师、主治医师、一级教师")
    case = store.case(case_id)
    if case.position.strip():
        return change_case(store, case_id, now, position=position)
    if case.status is Status.DISPATCHED:
        raise RuleError("该办件已送审，不能再修改")
    store.update_case(case_id, position=position)
    return store.case(case_id)
