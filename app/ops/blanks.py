"""系统下载的空白表: bring the portal's blanks in, list them, print the current ones in one go.

Reading the downloads is :mod:`app.blanks.reading` (no store); here each page is
bound to a case and slot, or not: a page is kept only when its case and its form
are certain (or the officer said which, ``case_id``/``slot``). Everything a call
keeps is written in one transaction: a cancelled or failed import keeps nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from app.blanks.kept import joined_pdf, reissued_since
from app.blanks.reading import BlankPage, looks_like_download, read_pages
from app.core.blanks import Blank, Match, Person, kind_of, match_case
from app.core.errors import NotFoundError, RuleError, UsageError
from app.core.ids import mask_id
from app.core.models import Case, Slot
from app.core.progress import CancelToken, Progress, no_progress
from app.core.review import Status
from app.core.steps import Next, Step
from app.ops.dispatch import BLANK_SLOTS, dispatch_rows
from app.store import Store

_CLOSED = frozenset({Status.UNQUALIFIED, Status.TERMINATED, Status.DISPATCHED})


@dataclass(frozen=True)
class Imported:
    file: str
    page: int
    case_id: int
    slot: Slot
    status: str  # new, same, replaced
    blank: Blank

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "page": self.page, "case_id": self.case_id, "slot": self.slot.value,
                "status": self.status}  # fmt: skip


@dataclass(frozen=True)
class Unmatched:
    """A page not kept: refused (``page.problem``) or not certain whose it is (the officer assigns it)."""

    page: BlankPage
    reason: str
    guess_case: int | None = None
    guess_slot: Slot | None = None

    @property
    def assignable(self) -> bool:
        """A readable blank whose case or form was not certain: the officer may say which."""
        return self.page.problem is None and self.page.pdf is not None

    def to_json(self) -> dict[str, Any]:
        return {"file": self.page.file, "page": self.page.page, "reason": self.reason}


@dataclass(frozen=True)
class ImportResult:
    imported: list[Imported] = field(default_factory=list)
    unmatched: list[Unmatched] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"imported": [i.to_json() for i in self.imported], "unmatched": [u.to_json() for u in self.unmatched]}


def split_drop(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """Dropped files told apart by content: (downloads from the portal, scans); folders looked into.

    A folder without downloads goes to the self-check whole, as a folder.
    """
    from app.ops.scan import IMAGE_SUFFIXES

    downloads: list[Path] = []
    scans: list[Path] = []
    for path in map(Path, paths):
        if not path.is_dir():
            (downloads if looks_like_download(path) else scans).append(path)
            continue
        files = sorted(f for f in path.rglob("*") if f.is_file())
        found = [f for f in files if looks_like_download(f)]
        if not found:
            scans.append(path)
            continue
        downloads += found
        scans += [f for f in files if f not in found and f.suffix.lower() in IMAGE_SUFFIXES]
    return downloads, scans


def people(store: Store) -> list[Person]:
    return [Person(c.id, c.name, c.id_number, c.status not in _CLOSED) for c in store.cases(with_modules=False)]


def _describe(store: Store, item: Blank) -> str:
    case = store.case(item.case_id)
    return f"{case.name}（办件 {case.id}）的{item.slot.label}"


def import_blanks(
    store: Store,
    paths: list[Path],
    case_id: int | None = None,
    slot: Slot | None = None,
    *,
    progress: Progress = no_progress,
    token: CancelToken | None = None,
    now: datetime | None = None,
) -> ImportResult:
    """Bring in every page of the downloads ``paths``; with ``case_id``/``slot``, as that case's form."""
    if (case_id is None) != (slot is None):
        raise UsageError(
            "--case 与 --slot 需要一起使用", "例如：zcws blanks import 考核表.pdf --case 12 --slot appraisal"
        )
    if slot is not None and slot not in BLANK_SLOTS:
        raise UsageError("系统只下发单位审核意见表和考核表的空白表", "--slot 请用 opinion 或 appraisal")
    if case_id is not None:
        store.case(case_id)
    pages = read_pages(paths, progress, token)
    if case_id is not None and len({p.code for p in pages if p.problem is None}) > 1:
        raise UsageError(
            "指定 --case/--slot 时只能导入一页空白表", "几页一起导入时不要指定，程序按页面上的姓名、证件号码分配"
        )
    return keep_pages(store, pages, case_id, slot, now=now)


def keep_pages(
    store: Store, pages: list[BlankPage], case_id: int | None = None, slot: Slot | None = None,
    now: datetime | None = None,
) -> ImportResult:  # fmt: skip
    """Bind read pages to cases and keep them, in one transaction (the window's assignment ends here too)."""
    everyone = people(store)
    result = ImportResult()
    with store.transaction():
        for page in pages:
            outcome = _keep(store, everyone, page, case_id, slot, now)
            if isinstance(outcome, Imported):
                result.imported.append(outcome)
            else:
                result.unmatched.append(outcome)
    return result


def _keep(
    store: Store, everyone: list[Person], page: BlankPage, case_id: int | None, slot: Slot | None,
    now: datetime | None,
) -> Imported | Unmatched:  # fmt: skip
    if page.problem is not None or page.code is None or page.pdf is None:
        return Unmatched(page, page.problem or "页面无法读取")
    texts = (page.text, page.code, page.source.file_name)
    found = match_case(everyone, texts)
    kind = kind_of(page.text) or kind_of(page.source.file_name)
    if case_id is not None and found.case_id is not None and found.case_id != case_id:
        other = store.case(found.case_id)
        return Unmatched(page, f"页面上写的是{other.name}（办件 {other.id}），不是指定的办件 {case_id}，未导入")
    if slot is not None and kind is not None and kind is not slot:
        return Unmatched(page, f"这一页是{kind.label}，不是指定的{slot.label}，未导入")
    target_case = case_id if case_id is not None else found.case_id
    target_slot = slot or kind
    existing = store.blank_by_code(page.code)
    if existing is not None:
        elsewhere = (target_case not in (None, existing.case_id)) or (target_slot not in (None, existing.slot))
        if not elsewhere:
            return Imported(page.file, page.page, existing.case_id, existing.slot, "same", existing)
        wanted = store.case(target_case) if target_case is not None else None
        where = f"{wanted.name}（办件 {wanted.id}）的" if wanted else ""
        return Unmatched(page, (
            f"这张表的二维码已作为{_describe(store, existing)}导入，不能再作为{where}"
            f"{(target_slot or existing.slot).label}导入；请核对是哪个人、哪张表"))  # fmt: skip
    if target_case is None or target_slot is None:
        return _unsure(page, found, kind)
    earlier = store.current_blank(target_case, target_slot)
    item = store.add_blank(target_case, target_slot, page.code, page.pdf, page.file, page.page, now)
    return Imported(page.file, page.page, target_case, target_slot, "replaced" if earlier else "new", item)


def _unsure(page: BlankPage, found: Match, kind: Slot | None) -> Unmatched:
    parts = []
    if found.case_id is None:
        parts.append(found.reason or "不能确定是哪个办件的")
    if kind is None:
        parts.append("页面上没有“单位审核意见表”或“考核表”的标题，不能确定是哪张表")
    return Unmatched(page, "；".join(parts) + "；请指定办件和表格", found.case_id or found.guess, kind)


def assign_blank(store: Store, page: BlankPage, case_id: int, slot: Slot, now: datetime | None = None) -> Imported:
    """Keep an unmatched page as the officer said: ``case_id``'s ``slot``; :class:`RuleError` when refused."""
    if slot not in BLANK_SLOTS:
        raise UsageError("系统只下发单位审核意见表和考核表的空白表")
    store.case(case_id)
    result = keep_pages(store, [page], case_id, slot, now)
    if result.unmatched:
        raise RuleError(result.unmatched[0].reason)
    return result.imported[0]


# -- list ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseBlanks:
    case: Case
    blanks: list[Blank]
    #: blank id → why the portal has probably re-issued it (current blanks only)
    warnings: dict[int, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        slots: dict[str, Any] = {}
        for s in BLANK_SLOTS:
            mine = [b for b in self.blanks if b.slot is s]
            slots[s.value] = [
                {"number": b.number, "current": b.current, "came_at": b.came_at.isoformat(timespec="seconds"),
                 "file": b.source_name, "page": b.source_page, "warning": self.warnings.get(b.id)}
                for b in mine
            ]  # fmt: skip
        return {"case_id": self.case.id, "name": self.case.name, "id_number": mask_id(self.case.id_number),
                "slots": slots}  # fmt: skip


def list_blanks(store: Store, case_id: int | None = None) -> list[CaseBlanks]:
    """Each case's blanks (of ``case_id`` only when given), current and superseded."""
    if case_id is not None:
        store.case(case_id)
    items = store.blanks_of(None if case_id is None else [case_id])
    out: dict[int, list[Blank]] = {}
    for b in items:
        out.setdefault(b.case_id, []).append(b)
    return [
        CaseBlanks(store.case(cid), bs, {b.id: w for b in bs if b.current and (w := reissued_since(store, b))})
        for cid, bs in out.items()
    ]


# -- print -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Printed:
    path: Path
    pages: int
    missing: list[str]  # people and forms without a blank brought in


def print_blanks(store: Store, case_ids: list[int] | None, out: Path) -> Printed:
    """The current blanks of ``case_ids`` (None: every case waiting for dispatch) as one PDF, in the list's order."""
    if case_ids is None:
        order = [r.case.id for r in dispatch_rows(store)]
    else:
        for cid in case_ids:
            store.case(cid)
        listed = [r.case.id for r in dispatch_rows(store)]
        order = [c for c in listed if c in case_ids] + [c for c in case_ids if c not in listed]
    current = store.current_blanks()
    chosen: list[Blank] = []
    missing: list[str] = []
    for cid in order:
        for s in BLANK_SLOTS:
            item = current.get((cid, s))
            if item is None:
                missing.append(f"{store.case(cid).name}的{s.label}")
            else:
                chosen.append(item)
    if not chosen:
        raise NotFoundError(
            "所选办件还没有导入从系统下载的空白表",
            "请先在系统中下载单位审核意见表和考核表，再把下载的 PDF 导入本程序",
            next=Next(Step.IMPORT_BLANK),
        )
    out = Path(out)
    if out.suffix.lower() != ".pdf":
        out = out.with_name(out.name + ".pdf")
    from app.forms.draw import write_atomic  # fpdf2 with it: only where a PDF is written, not on a drop's path

    write_atomic(out, joined_pdf(store, chosen))
    return Printed(out, len(chosen), missing)
