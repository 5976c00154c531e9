"""公示: publish the applicants for five working days, render the notice and the 推荐单位公示证明.

人社部令第40号 第十六条: before recommending, the unit publishes its applicants
for at least five working days. The dispatch (送审) asks :func:`checks_of`
for its cases: the period and, if any, the problem of each.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from app.core.errors import RuleError, UsageError
from app.core.models import Case
from app.core.review import Status
from app.core.workdays import PUBLICITY_WORKDAYS, CalendarGapError, PeriodCheck, WorkCalendar, parse_arrangements
from app.ops import cases as case_ops
from app.store import Store
from app.store.publicity import Publicity

#: Cases that may be published: under review or passed, not yet sent.
PUBLISHABLE = (Status.PENDING, Status.PASSED)
NO_OBJECTION = "公示期间无异议"
PLACES = ("单位公示栏", "单位内网", "单位公示栏及内网")


@dataclass(frozen=True)
class PublicityView:
    """A publicity with its cases and its period counted."""

    publicity: Publicity
    cases: list[Case]
    check: PeriodCheck | None
    #: Why the period could not be counted (a year the calendar does not know).
    gap: str | None = None

    @property
    def id(self) -> int:
        return self.publicity.id

    def state(self, today: date) -> str:
        p = self.publicity
        if today < p.start:
            return "未开始"
        return "公示中" if today <= p.end else "已结束"

    def period_text(self) -> str:
        p = self.publicity
        if self.check is None:
            return f"{p.start.isoformat()} 至 {p.end.isoformat()}"
        return self.check.describe()

    def objection(self, case_id: int) -> str:
        return self.publicity.objections.get(case_id) or NO_OBJECTION

    def to_json(self, today: date) -> dict[str, Any]:
        p = self.publicity
        return {
            "id": p.id,
            "plan_id": p.plan_id,
            "start": p.start.isoformat(),
            "end": p.end.isoformat(),
            "workdays": None if self.check is None else self.check.workdays,
            "enough": None if self.check is None else self.check.enough,
            "earliest_end": None if self.check is None or self.check.earliest_end is None
            else self.check.earliest_end.isoformat(),
            "place": p.place,
            "contact": p.contact,
            "state": self.state(today),
            "problem": self.gap,
            "cases": [{"case_id": c.id, "name": c.name, "objections": p.objections.get(c.id, "")} for c in self.cases],
        }  # fmt: skip


def calendar(store: Store) -> WorkCalendar:
    """The working-day calendar: the library's years and those the officer entered in the settings."""
    return WorkCalendar(parse_arrangements(str(store.get_setting("calendar.entered"))))


def set_entered_calendar(store: Store, text: str) -> WorkCalendar:
    """Keep the arrangements the officer entered (the setting refuses a line it cannot read, naming it)."""
    store.set_setting("calendar.entered", text)
    return calendar(store)


def _count(days: WorkCalendar, start: date, end: date) -> tuple[PeriodCheck | None, str | None]:
    try:
        return days.check_period(start, end), None
    except CalendarGapError as exc:
        return None, exc.message


def view(store: Store, publicity: Publicity) -> PublicityView:
    check, gap = _count(calendar(store), publicity.start, publicity.end)
    return PublicityView(publicity, [store.case(i) for i in publicity.case_ids], check, gap)


def get_publicity(store: Store, publicity_id: int) -> PublicityView:
    return view(store, store.get_publicity(publicity_id))


def list_publicities(store: Store) -> list[PublicityView]:
    return [view(store, p) for p in store.list_publicities()]


@dataclass(frozen=True)
class Candidates:
    """Who the 公示 dialog lists and who it ticks, and a note when the people asked for span plans."""

    cases: list[Case]
    checked: set[int]
    note: str | None


def candidates(store: Store, case_ids: Sequence[int]) -> Candidates:
    """The given cases and the other publishable ones of their plans; those of one plan ticked.

    A publicity is for one plan: when the given cases span several, the plan most of them
    are in is ticked and ``note`` says so.
    """
    wanted = list(dict.fromkeys(case_ids))
    given = [store.case(i) for i in wanted]
    plans = {c.plan_id for c in given}
    others = [
        c for c in store.cases() if c.status in PUBLISHABLE and (not plans or c.plan_id in plans) and c.id not in wanted
    ]
    by_plan: dict[int, list[int]] = {}
    for c in given:
        by_plan.setdefault(c.plan_id, []).append(c.id)
    if len(by_plan) <= 1:
        return Candidates(given + others, set(wanted), None)
    plan_id, ids = max(by_plan.items(), key=lambda item: len(item[1]))
    note = (
        f"这些人员属于 {len(by_plan)} 个评审计划，一次公示只能是同一计划的人员：已勾选“{store.plan(plan_id).title}”的 "
        f"{len(ids)} 人，其他计划的人员请另行公示。"
    )
    return Candidates(given + others, set(ids), note)


def propose_end(store: Store, start: date) -> date:
    """The earliest end of a five-working-day publicity starting on ``start``."""
    return calendar(store).publicity_end(start, PUBLICITY_WORKDAYS)


def period_preview(store: Store, start: date, end: date) -> tuple[PeriodCheck, list[str]]:
    """A period's working days and the days in it that are not ordinary, as the dialog shows them."""
    days = calendar(store)
    return days.check_period(start, end), days.period_notes(start, end)


def default_contact(store: Store) -> str:
    """The unit's manager and phone, as registered with the unit's account."""
    units = store.units()
    if not units:
        return ""
    return f"{units[0]['manager_name']} {units[0]['manager_phone']}"


@dataclass(frozen=True)
class Created:
    publicity: PublicityView
    warnings: list[str]


def create_publicity(
    store: Store,
    case_ids: list[int],
    start: date,
    place: str,
    contact: str | None = None,
    end: date | None = None,
) -> Created:
    """Publish cases of one plan from ``start``; the end defaults to the earliest lawful one.

    An end before the fifth working day is recorded (the officer may be
    entering a publicity already held) and comes back as a warning.
    """
    if not case_ids:
        raise UsageError("请先选择要公示的人员")
    place = place.strip()
    if not place:
        raise UsageError("请填写公示地点，例如：" + "、".join(PLACES))
    cases = [store.case(i) for i in dict.fromkeys(case_ids)]
    refused = [f"{c.name}（办件 {c.id}）：状态为“{c.status.label}”" for c in cases if c.status not in PUBLISHABLE]
    if refused:
        raise RuleError("；".join(refused) + "，不能公示", "只有待审核或审核通过、尚未送审的办件才能公示")
    plan_ids = sorted({c.plan_id for c in cases})
    if len(plan_ids) > 1:
        titles = "、".join(f"“{store.plan(i).title}”" for i in plan_ids)
        raise UsageError(f"所选人员属于不同的评审计划：{titles}", "请按评审计划分别公示")
    days = calendar(store)
    check = days.check_period(start, end or days.publicity_end(start, PUBLICITY_WORKDAYS))
    contact = (contact if contact is not None else default_contact(store)).strip()
    if not contact:
        raise UsageError("请填写受理异议的联系人及电话")
    publicity_id = store.add_publicity(plan_ids[0], start, check.end, place, contact, [c.id for c in cases])
    shortfall = check.shortfall()
    warnings = [f"公示期 {check.describe()}{shortfall}"] if shortfall else []
    return Created(get_publicity(store, publicity_id), warnings)


def record_objections(store: Store, publicity_id: int, case_ids: list[int] | None, text: str) -> PublicityView:
    """Record the objections received and how they were handled (all cases of the publicity when none given)."""
    publicity = store.get_publicity(publicity_id)
    store.set_objections(publicity_id, case_ids or list(publicity.case_ids), text)
    return get_publicity(store, publicity_id)


# -- the rules the dispatch asks ---------------------------------------------------


def _relevant(
    store: Store, days: WorkCalendar, case_id: int, today: date
) -> tuple[Publicity, PeriodCheck | None, str | None] | None:
    """The publicity that speaks for the case: a complete one, else a long-enough one, else the latest."""
    counted = [(p, *_count(days, p.start, p.end)) for p in store.publicities_of_case(case_id)]
    if not counted:
        return None

    def rank(item: tuple[Publicity, PeriodCheck | None, str | None]) -> int:
        check = item[1]
        if check is None or not check.enough:
            return 0
        return 2 if check.is_over(today) else 1

    return max(counted, key=rank)  # max keeps the first (latest start) of equal rank


def _problem(name: str, found: tuple[Publicity, PeriodCheck | None, str | None] | None, today: date) -> str | None:
    if found is None:
        return f"{name}：没有公示记录，推荐前须公示不少于 {PUBLICITY_WORKDAYS} 个工作日"
    p, check, gap = found
    period = f"{p.start.isoformat()} 至 {p.end.isoformat()}"
    if check is None:
        return f"{name}：公示期 {period} 无法核对工作日（{gap}）"
    if not check.enough:
        return f"{name}：公示期 {period} 只有 {check.workdays} 个工作日，{check.shortfall()}"
    if not check.is_over(today):
        return f"{name}：公示期 {period} 尚未结束（今天是 {today.isoformat()}），公示期满后才能推荐送审"
    return None


@dataclass(frozen=True)
class CaseCheck:
    case: Case
    publicity_id: int | None
    period: tuple[date, date] | None
    workdays: int | None
    problem: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "case_id": self.case.id,
            "name": self.case.name,
            "publicity_id": self.publicity_id,
            "start": self.period[0].isoformat() if self.period else None,
            "end": self.period[1].isoformat() if self.period else None,
            "workdays": self.workdays,
            "ok": self.problem is None,
            "problem": self.problem,
        }


def check_cases(store: Store, case_ids: list[int] | None = None, today: date | None = None) -> list[CaseCheck]:
    """Each case's publicity against the rule (the passed cases waiting for dispatch when none given)."""
    cases = [store.case(i) for i in case_ids] if case_ids else store.cases(status=Status.PASSED)
    return checks_of(store, cases, today or case_ops.today())


def checks_of(store: Store, cases: Sequence[Case], today: date) -> list[CaseCheck]:
    """:func:`check_cases` for cases already read, with one calendar for all of them."""
    days = calendar(store)
    out = []
    for c in cases:
        found = _relevant(store, days, c.id, today)
        p, check = (found[0], found[1]) if found else (None, None)
        out.append(CaseCheck(c, p.id if p else None, (p.start, p.end) if p else None,
                             check.workdays if check else None, _problem(c.name, found, today)))  # fmt: skip
    return out


# -- the notice and the 推荐单位公示证明 -------------------------------------------------


def _unit_name(store: Store, cases: list[Case]) -> str:
    names = list(dict.fromkeys(c.unit_name for c in cases))
    if len(names) == 1:
        return names[0]
    units = store.units()
    return units[0]["name"] if units else "、".join(names)


def _workplace(case: Case) -> str:
    basic = case.modules.get("basic") or {}
    return str(basic.get("现工作单位") or case.unit_name)


def render_notice(store: Store, publicity_id: int, out: Path) -> Path:
    """The A4 公示 notice of a publicity as a PDF at ``out`` (a folder gets a file named for it)."""
    from app.forms import draw
    from app.forms import publicity as form

    v = get_publicity(store, publicity_id)
    if out.is_dir():
        out = out / f"公示通知_{publicity_id}.pdf"
    p = v.publicity
    plan = store.plan(p.plan_id) if p.plan_id is not None else None
    notice = form.Notice(
        unit=_unit_name(store, v.cases),
        plan_title=plan.title if plan else "",
        rows=[form.NoticeRow(c.name, _workplace(c), c.series, c.specialty, c.position) for c in v.cases],
        start=p.start,
        end=p.end,
        workdays=v.check.workdays if v.check else None,
        place=p.place,
        contact=p.contact,
    )
    draw.write_atomic(out, form.notice_pdf(notice))
    return out


@dataclass(frozen=True)
class CertificateFile:
    case_ids: list[int]
    path: Path

    def to_json(self) -> dict[str, Any]:
        return {"case_ids": self.case_ids, "path": str(self.path)}


def render_certificates(
    store: Store,
    publicity_id: int,
    out_dir: Path,
    case_ids: list[int] | None = None,
    objections: str | None = None,
    today: date | None = None,
) -> list[CertificateFile]:
    """The 推荐单位公示证明 of a publicity that is over: one PDF per case and, for several, one for the batch.

    Each page carries our authenticated QR code (form kind ``publicity``) for
    its case, so that a scanned stack sorts by itself. ``objections`` records
    the objections and how they were handled for these cases first.
    """
    from app.core.payload import FormKind, Payload
    from app.forms import draw
    from app.forms import publicity as form
    from app.forms.names import safe_filename

    on = today or case_ops.today()
    v = get_publicity(store, publicity_id)
    p = v.publicity
    chosen = list(dict.fromkeys(case_ids)) if case_ids else list(p.case_ids)
    strangers = [i for i in chosen if i not in p.case_ids]
    if strangers:
        raise UsageError(f"办件 {'、'.join(map(str, strangers))} 不在公示 {publicity_id} 中")
    if v.state(on) != "已结束":
        raise RuleError(
            f"公示期 {p.start.isoformat()} 至 {p.end.isoformat()} 尚未结束，还不能出具公示证明",
            f"请于 {(p.end + timedelta(days=1)).isoformat()} 及以后再生成",
        )
    if objections is not None:
        v = record_objections(store, publicity_id, chosen, objections)
    by_id = {c.id: c for c in v.cases}
    unit = _unit_name(store, v.cases)
    pages = []
    for case_id in chosen:
        c = by_id[case_id]
        page = form.Certificate(
            unit=unit, name=c.name, workplace=_workplace(c), series=c.series, specialty=c.specialty,
            position=c.position, start=p.start, end=p.end, workdays=v.check.workdays if v.check else None,
            place=p.place, objections=v.objection(c.id), payload=Payload(c.id, FormKind.PUBLICITY, c.revision, on),
        )  # fmt: skip
        pages.append(page)
    documents = [[page] for page in pages] + ([pages] if len(pages) > 1 else [])
    paths = [out_dir / safe_filename(f"推荐单位公示证明_{page.name}_{page.payload.case_id}.pdf") for page in pages]
    if len(pages) > 1:
        paths.append(out_dir / f"推荐单位公示证明_公示{publicity_id}_全部{len(pages)}人.pdf")
    for path, data in zip(paths, form.certificates_pdfs(documents, store.secret), strict=True):
        draw.write_atomic(path, data)
    for page in pages:
        store.log_printed(page.payload.case_id, FormKind.PUBLICITY.value, page.payload.revision, on)
    return [CertificateFile([d.payload.case_id for d in doc], path) for doc, path in zip(documents, paths, strict=True)]
