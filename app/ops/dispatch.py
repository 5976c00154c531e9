"""单位送审: which passed cases have their three attachments, and sending them.

The guide: sending with any attachment missing names what is missing person by
person ("张某某：推荐单位公示证明、单位考核表、单位审核意见表未上传").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from app.blanks.kept import reissued_since
from app.core.blanks import Blank
from app.core.errors import RuleError
from app.core.ids import mask_id
from app.core.models import Attachment, Case, Slot
from app.core.review import Status
from app.core.verdicts import portal_takes
from app.ops import publicity
from app.ops.cases import today as _today
from app.store import Store

SLOTS = (Slot.PUBLICITY, Slot.APPRAISAL, Slot.OPINION)
#: The slots the portal issues a blank for (下载单位审核意见表 / 下载考核表): the 盖章页.
BLANK_SLOTS = (Slot.APPRAISAL, Slot.OPINION)
#: A 盖章页 on which the check saw no seal or no signature, in the list's cell.
UNSTAMPED = "未见签字盖章"


def accepted(slot: Slot, attachment: Attachment | None) -> bool:
    """Whether a stored attachment is one the portal will accept in ``slot``.

    As :func:`app.ops.scan.storable` decides at attach time: a page whose code
    read ``ok``, and for the 推荐单位公示证明 also one made elsewhere, without a
    code of ours, since the portal does not read that page's code.
    """
    return attachment is not None and portal_takes(slot, attachment.verdict)


def unstamped(slots: dict[Slot, Attachment | None]) -> list[str]:
    """The stored 盖章页 of ``slots`` that the check saw without the unit's seal or the signature."""
    return [
        f"{s.label}{a.stamp_note or UNSTAMPED}"
        for s in BLANK_SLOTS
        if (a := slots.get(s)) is not None and a.stamped is False
    ]


@dataclass(frozen=True)
class DispatchRow:
    case: Case
    slots: dict[Slot, Attachment | None]
    publicity: str | None = None
    publicity_problem: str | None = None
    closed_reason: str | None = None
    warnings: list[str] = field(default_factory=list)
    #: the current portal blank brought in per form slot (None: none known)
    blanks: dict[Slot, Blank | None] = field(default_factory=dict)

    @property
    def missing(self) -> list[str]:
        """The attachments not there, or not ones the portal will accept."""
        return [s.label for s in SLOTS if not accepted(s, self.slots.get(s))]

    @property
    def stale_slots(self) -> list[Slot]:
        """Forms of an older process revision than the case's (the portal's 流程信息不匹配)."""
        return [s for s, a in self.slots.items() if a is not None and s is not Slot.PUBLICITY and self._stale(s, a)]

    def _stale(self, slot: Slot, a: Attachment) -> bool:
        if a.blank_id is not None:  # a scan of a portal blank: stale once a newer blank came
            current = self.blanks.get(slot)
            return current is None or current.id != a.blank_id
        return a.revision is not None and a.revision < self.case.revision

    @property
    def stale(self) -> list[str]:
        return [
            f"{s.label}（扫描的空白表已被新下载的表替换，流程信息不匹配，请用新表）"
            if a.blank_id is not None
            else f"{s.label}（流程版本 {a.revision}，当前为 {self.case.revision}，流程信息不匹配，请重新下载表格）"
            for s in self.stale_slots
            if (a := self.slots[s]) is not None  # always: a stale slot holds a scan
        ]

    @property
    def ready(self) -> bool:
        return not self.missing and not self.stale_slots and self.closed_reason is None

    def mark(self, slot: Slot) -> str:
        """× / √ as the portal's list shows them."""
        ok = accepted(slot, self.slots.get(slot)) and slot not in self.stale_slots
        return "√" if ok else "×"

    @property
    def unstamped(self) -> list[str]:
        """The 盖章页 seen without the seal or the signature, as the officer is told: "单位考核表未见单位公章"."""
        return unstamped(self.slots)

    def cell(self, slot: Slot) -> str:
        """The list's cell: :meth:`mark`, and a 盖章页 the portal takes but that was seen unsigned or unstamped."""
        mark = self.mark(slot)
        a = self.slots.get(slot)
        return f"{mark} {UNSTAMPED}" if mark == "√" and slot in BLANK_SLOTS and a and a.stamped is False else mark

    def blockers(self) -> str | None:
        """What stops this person, in one line without the name; None when ready."""
        parts = []
        if self.missing:
            parts.append("、".join(self.missing) + "未上传")
        if self.stale:
            parts.append("、".join(self.stale))
        if self.closed_reason:
            parts.append(self.closed_reason)
        return "；".join(parts) or None

    def problem(self) -> str | None:
        """One line naming the person and what stops them, or None when ready."""
        blockers = self.blockers()
        return f"{self.case.name}：{blockers}" if blockers else None

    def to_json(self) -> dict[str, Any]:
        return {
            "case_id": self.case.id,
            "name": self.case.name,
            "id_number": mask_id(self.case.id_number),
            "series": self.case.series,
            "specialty": self.case.specialty,
            "attachments": {s.value: self.mark(s) for s in SLOTS},
            "stamped": {s.value: None if (a := self.slots.get(s)) is None else a.stamped for s in BLANK_SLOTS},
            "unstamped": self.unstamped,
            "publicity": self.publicity,
            "ready": self.ready,
            "problem": self.problem(),
            "warnings": self.warnings,
            "blanks": {s.value: None if b is None else b.came_at.isoformat(timespec="seconds")
                       for s, b in self.blanks.items()},
        }  # fmt: skip


def dispatch_rows(store: Store, case_ids: list[int] | None = None, today: date | None = None) -> list[DispatchRow]:
    """The passed cases waiting for dispatch (or the given ones), with their attachments."""
    on = today or _today()
    cases = [store.case(i) for i in case_ids] if case_ids else store.cases(status=Status.PASSED)
    plans = {p.id: p for p in store.plans()}
    thresholds = store.thresholds()
    checks = publicity.checks_of(store, cases, on)
    known = store.current_blanks()
    rows = []
    for case, check in zip(cases, checks, strict=True):
        current = {a.slot: a for a in store.attachments(case.id)}
        period = f"{check.period[0].isoformat()} 至 {check.period[1].isoformat()}" if check.period else None
        problem = check.problem
        closed = plans[case.plan_id].closed_reason(on, thresholds)
        slots = {s: current.get(s) for s in SLOTS}
        blanks = {s: known.get((case.id, s)) for s in BLANK_SLOTS}
        warnings = [problem] if problem else []
        warnings += [w for b in blanks.values() if b is not None and (w := reissued_since(store, b))]
        warnings += [f"{case.name}：{u}" for u in unstamped(slots)]  # named person by person, confirmed first
        if not case.position:  # the portal's own list has no such column: imported empty
            warnings.append(f"{case.name}：未填申报职务（本程序生成的表格上这一栏为空）")
        rows.append(DispatchRow(case, slots, period, problem, closed, warnings, blanks))
    return rows


@dataclass(frozen=True)
class SendResult:
    sent: list[Case]
    warnings: list[str]
    message: str


def send_check(store: Store, case_ids: list[int], today: date | None = None) -> list[str]:
    """What 送审 would say, writing nothing: a :class:`RuleError` naming every missing item
    person by person, else the warnings (publicity) for the officer to confirm."""
    return _send_rows(store, case_ids, today or _today())[1]


def send_cases(
    store: Store, case_ids: list[int], today: date | None = None, accept_warnings: bool = False
) -> SendResult:
    """送审: mark the cases as dispatched, all of them or none.

    Refuses while anything is missing, naming every missing item person by
    person. Publicity problems are warnings: the caller shows them and calls
    again with ``accept_warnings=True`` once the officer confirms.
    """
    rows, warnings = _send_rows(store, case_ids, today or _today())
    if warnings and not accept_warnings:
        raise RuleError(
            "\n".join(warnings),
            "请核对以上提醒（公示未满五个工作日或尚未结束、空白表可能已被系统重新生成、盖章页未见签字盖章、"
            "未填申报职务）；"
            "确认后仍可送审",
        )
    with store.transaction():
        for r in rows:
            store.update_case(r.case.id, status=Status.DISPATCHED)
    sent = [store.case(i) for i in case_ids]
    return SendResult(sent, warnings, f"已送审 {len(sent)} 人")


def _send_rows(store: Store, case_ids: list[int], on: date) -> tuple[list[DispatchRow], list[str]]:
    if not case_ids:
        raise RuleError("请先选择要送审的人员")
    rows = dispatch_rows(store, case_ids, on)
    not_passed = [f"{r.case.name}：状态为“{r.case.status.label}”，只有审核通过的办件才能送审"
                  for r in rows if r.case.status is not Status.PASSED]  # fmt: skip
    blocked = [r for r in rows if r.case.status is Status.PASSED and r.problem()]
    if not_passed or blocked:
        fixes = [
            fix
            for fix, needed in (
                ("请只选择审核通过、尚未送审的办件", not_passed),
                ("请上传缺少的附件后再送审", any(r.missing for r in blocked)),
                ("流程信息不匹配的表格请重新下载、盖章扫描后上传", any(r.stale for r in blocked)),
                ("评委会收件期外不能送审", any(r.closed_reason for r in blocked)),
            )
            if needed
        ]
        raise RuleError("\n".join(not_passed + [str(r.problem()) for r in blocked]), "；".join(fixes))
    return rows, [w for r in rows for w in r.warnings]
