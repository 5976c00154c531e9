"""送审前自检: check pages, sort a stack of scans to cases, attach a file to a slot.

The faces (CLI, GUI) call these; the page work is :mod:`app.scan`, the verdicts
:mod:`app.scan.judge`. Upload-ready images are written to ``out_dir`` (by default
the ``upload`` folder beside the store); nothing in the store changes except
through :func:`attach_file` and ``sort_inbox(apply=True)``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.core.errors import NotFoundError, RuleError, UsageError
from app.core.models import Attachment, Slot
from app.core.payload import QR_BOX_MM
from app.core.progress import CancelToken, Progress, no_progress
from app.core.review import Status
from app.core.verdicts import portal_takes
from app.scan.judge import KIND_SLOTS, judge
from app.scan.pages import Limits
from app.scan.pool import scan_paths
from app.scan.verdicts import PageResult, Verdict
from app.store import Store
from app.store.files import sha256_file

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".pdf", ".webp", ".gif", ".jfif"}
#: How sorting ranks several pages found for one slot: best first.
_RANK = {Verdict.OK: 0, Verdict.NO_QR: 1, Verdict.STALE: 2}


def verdict_label(code: str) -> str:
    """The Chinese label of a stored verdict code, as the officer reads it (可以上传, 流程信息不匹配, …)."""
    try:
        return Verdict(code).label
    except ValueError:
        return code


def upload_dir(store: Store) -> Path:
    """Where upload-ready images go unless the caller says otherwise."""
    return store.path.parent / "upload"


def _qr_box_mm() -> tuple[float, ...]:
    """Where our forms put the code."""
    return tuple(float(v) for v in QR_BOX_MM)


def _scans(
    store: Store, paths: list[Path], out_dir: Path | None, progress: Progress, token: CancelToken | None,
    workers: int | None = None, here: bool = True,
) -> Iterator[Any]:  # fmt: skip
    return scan_paths(
        [Path(p) for p in paths], out_dir or upload_dir(store), Limits.from_store(store), _qr_box_mm(),
        known=store.blank_codes(), progress=progress, token=token, workers=workers, here=here,
    )  # fmt: skip


def check_files(
    store: Store,
    paths: list[Path],
    case_id: int | None = None,
    slot: Slot | None = None,
    *,
    out_dir: Path | None = None,
    progress: Progress = no_progress,
    token: CancelToken | None = None,
    workers: int | None = None,
    on_result: Callable[[PageResult], None] | None = None,
    beside_window: bool = False,
) -> list[PageResult]:
    """The self-check of every page of ``paths``; with ``case_id``/``slot`` as if for that slot.

    ``on_result`` is told each page's result as soon as it is judged, in order. ``beside_window``: the caller's
    process shows a window, so the pages are read in processes of their own (:func:`app.scan.pool.scan_paths`).
    """
    if (case_id is None) != (slot is None):
        raise UsageError("--case 与 --slot 需要一起使用", "例如：zcws check 扫描.pdf --case 12 --slot opinion")
    if case_id is not None:
        store.case(case_id)  # a case that does not exist is a usage error, not a page verdict
    results = []
    for scan in _scans(store, paths, out_dir, progress, token, workers, here=not beside_window):
        results.append(judge(store, scan, case_id, slot))
        if on_result is not None:
            on_result(results[-1])
    return results


def verify_image(store: Store, path: Path, case_id: int, slot: Slot) -> PageResult:
    """The strict re-check of a written file (an export's): ``ok`` only if this very file reads."""
    results = check_files(store, [path], case_id, slot, out_dir=upload_dir(store) / "verify")
    result = results[0]
    if result.ok and result.upload_path is not None and Path(result.upload_path) != Path(path):
        # readable only after our repair: the file itself is not what the portal can read
        return PageResult(
            file=result.file, page=result.page, verdict=Verdict.NO_QR, case_id=result.case_id, form=result.form,
            revision=result.revision, message="这个文件本身的二维码系统识别不了（需要修复后的图片）",
            fix="请改用自检生成的上传图片", qr_box=result.qr_box, image_size=result.image_size,
        )  # fmt: skip
    return result


# -- attach ------------------------------------------------------------------


class AttachRefused(RuleError):
    """The page was checked and is not stored; ``result`` says why."""

    def __init__(self, result: PageResult) -> None:
        super().__init__(f"未保存：{result.message}", result.fix or None, next=result.next)
        self.result = result


#: A case in one of these states takes no more 送审 attachments.
_CLOSED = frozenset({Status.UNQUALIFIED, Status.TERMINATED, Status.DISPATCHED})


def closed_for_attachments(store: Store, case_id: int) -> str | None:
    """Why a case takes no attachments now (资格不符, 终止审核, 已送审), or None."""
    case = store.case(case_id)
    if case.status in _CLOSED:
        return f"{case.name}的办件状态为“{case.status.label}”，不再需要送审附件，未保存"
    return None


def storable(result: PageResult, slot: Slot) -> bool:
    """Whether a checked page may be stored in ``slot``.

    An ``ok`` page always; for the 推荐单位公示证明 also a page without a code of
    ours (one made elsewhere has none), since the portal does not read its code.
    """
    return portal_takes(slot, result.final, our_code=result.case_id is not None, blank=result.blank)


def attach_file(store: Store, case_id: int, slot: Slot, path: Path, *, page: int = 1) -> PageResult:
    """Check ``page`` of ``path`` for ``slot`` of the case and store its upload-ready image.

    Raises :class:`AttachRefused` (nothing stored) unless :func:`storable`.
    """
    store.case(case_id)
    results = check_files(store, [path], case_id, slot)
    chosen = [r for r in results if r.page == page]
    if not chosen:
        raise UsageError(f"文件只有 {len(results)} 页，没有第 {page} 页")
    result = chosen[0]
    if not storable(result, slot):
        raise AttachRefused(result)
    _store_page(store, case_id, slot, result)
    return result


def _store_page(store: Store, case_id: int, slot: Slot, result: PageResult) -> int:
    """Store a :func:`storable` page's upload-ready image.

    The stored verdict says whether the portal takes the attachment, which is what
    单位送审 counts: ``ok``, also for a 公示证明 without our code (its message says so).
    """
    image = result.upload_path or result.image_path
    if image is None or not storable(result, slot):
        raise AttachRefused(result)
    closed = closed_for_attachments(store, case_id)
    if closed:
        raise RuleError(closed)
    data = Path(image).read_bytes()
    ext = "png" if data[:4] == b"\x89PNG" else "jpg"
    message = result.message
    if not result.ok:
        message = f"推荐单位公示证明，没有本程序的二维码（系统不识别它的二维码）：{message}"
    return store.add_attachment(
        case_id, slot, data, ext, Path(result.file).name, Verdict.OK, message, result.revision,
        result.page if result.is_pdf or result.page > 1 else None, result.blank_id, result.stamped, result.stamp_note,
    )  # fmt: skip


# -- sort --------------------------------------------------------------------


@dataclass(frozen=True)
class Placed:
    result: PageResult
    case_id: int
    slot: Slot
    stored: bool = False
    #: the attachment already stored in the slot that this page replaces (with ``stored``) or would replace
    replaces: Attachment | None = None

    @property
    def replacing(self) -> str:
        """What the page does to the slot's stored attachment, naming both; empty when the slot holds none."""
        old = self.replaces
        if old is None:
            return ""
        r = self.result
        verb = "已替换" if self.stored else "用 --apply 保存将替换"
        return (
            f"{verb}“{self.slot.label}”栏原来保存的附件（{old.original_name}，{old.stored_at:%Y-%m-%d %H:%M} 保存），"
            f"换成 {Path(r.file).name} 第 {r.page} 页"
        )

    def to_json(self) -> dict[str, Any]:
        r, old = self.result, self.replaces
        return {
            "file": str(r.file), "page": r.page, "case_id": self.case_id, "slot": self.slot.value,
            "revision": r.revision, "verdict": r.final.value, "message": r.message,
            "upload_path": None if r.upload_path is None else str(r.upload_path), "stored": self.stored,
            "stamped": r.stamped,
            "replaces": None if old is None else {
                "attachment_id": old.id, "original_name": old.original_name, "stored_at": old.stored_at.isoformat(),
            },
        }  # fmt: skip


@dataclass(frozen=True)
class Unplaced:
    result: PageResult
    message: str

    def to_json(self) -> dict[str, Any]:
        r = self.result
        return {"file": str(r.file), "page": r.page, "verdict": r.final.value, "message": self.message}


@dataclass(frozen=True)
class SortResult:
    placed: list[Placed] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    #: files in the folders given that are not images or PDFs, by suffix: never checked
    passed_over: dict[str, int] = field(default_factory=dict)

    @property
    def passed_over_line(self) -> str:
        """What the folders held besides scans, in the officer's words; empty when nothing was passed over."""
        if not self.passed_over:
            return ""
        kinds = sorted(self.passed_over.items(), key=lambda kv: (-kv[1], kv[0]))
        shown = "、".join(f"{suffix} {n} 个" for suffix, n in kinds[:5]) + ("等" if len(kinds) > 5 else "")
        return (
            f"文件夹里另有 {sum(self.passed_over.values())} 个文件不是图片或 PDF，没有检查（{shown}）；"
            "扫描件请存为 JPG、PNG 或 PDF"
        )

    def to_json(self) -> dict[str, Any]:
        """The SPEC's shape; what was passed over is said in words only (:attr:`passed_over_line`)."""
        return {"placed": [p.to_json() for p in self.placed], "unplaced": [u.to_json() for u in self.unplaced]}


def inbox_files(paths: list[Path], skip: tuple[Path, ...] = (), passed_over: Counter[str] | None = None) -> list[Path]:
    """The files of ``paths``: folders recursively (images and PDFs, by name, not under ``skip``), files as given.

    ``passed_over`` counts, by suffix, the folders' other files (not under ``skip``)."""
    out: list[Path] = []
    skipped = [s.resolve() for s in skip]
    for p in paths:
        p = Path(p)
        if p.is_dir():
            found = sorted(
                f for f in p.rglob("*") if f.is_file() and not any(f.resolve().is_relative_to(s) for s in skipped)
            )
            out += [f for f in found if f.suffix.lower() in IMAGE_SUFFIXES]
            if passed_over is not None:
                passed_over.update(
                    f.suffix.lower() or "（无扩展名）" for f in found if f.suffix.lower() not in IMAGE_SUFFIXES
                )
        elif p.exists():
            out.append(p)
        else:
            raise NotFoundError(f"找不到“{p}”", "请检查文件或文件夹路径")
    return out


def sort_inbox(
    store: Store,
    paths: list[Path],
    *,
    apply: bool = False,
    out_dir: Path | None = None,
    progress: Progress = no_progress,
    token: CancelToken | None = None,
    workers: int | None = None,
    on_result: Callable[[PageResult], None] | None = None,
    beside_window: bool = False,
) -> SortResult:
    """Place every page with its case and slot by its code; keep the best page per slot.

    With ``apply`` the placed ``ok`` pages are stored as the cases' attachments, all in
    one transaction (a cancelled or failed sort stores nothing). ``on_result`` is told
    each page's check as soon as it is done, before the pages are placed.
    """
    # our own upload copies and stored attachments are never part of the inbox
    passed_over: Counter[str] = Counter()
    files = inbox_files(paths, (out_dir or upload_dir(store), store.attachments_dir), passed_over)
    results = check_files(store, files, out_dir=out_dir, progress=progress, token=token, workers=workers,
                          on_result=on_result, beside_window=beside_window)  # fmt: skip
    best: dict[tuple[int, Slot], PageResult] = {}
    unplaced: list[Unplaced] = []
    for r in results:
        slot = KIND_SLOTS.get(r.form) if r.form else None
        if r.case_id is None or slot is None or r.final not in _RANK:
            unplaced.append(Unplaced(r, r.message if r.case_id is not None or r.final is not Verdict.NO_QR else
                                     r.message + "；请手动指定办件和附件栏"))  # fmt: skip
            continue
        key = (r.case_id, slot)
        other = best.get(key)
        if other is None or _better(r, other):
            if other is not None:
                unplaced.append(_superseded(other, r))
            best[key] = r
        else:
            unplaced.append(_superseded(r, other))
    placed = [
        Placed(r, case_id, slot, replaces=_stored_other(store, case_id, slot, r)) for (case_id, slot), r in best.items()
    ]
    if apply:
        stored = []
        with store.transaction():
            for p in placed:
                closed = closed_for_attachments(store, p.case_id)
                if closed:
                    unplaced.append(Unplaced(p.result, closed))
                elif p.result.ok:
                    _store_page(store, p.case_id, p.slot, p.result)
                    stored.append(Placed(p.result, p.case_id, p.slot, stored=True, replaces=p.replaces))
                else:
                    stored.append(p)
        placed = stored
    order = {id(r): i for i, r in enumerate(results)}
    placed.sort(key=lambda p: order[id(p.result)])
    unplaced.sort(key=lambda u: order[id(u.result)])
    return SortResult(placed, unplaced, dict(passed_over))


def _stored_other(store: Store, case_id: int, slot: Slot, result: PageResult) -> Attachment | None:
    """The attachment stored in the slot now, when an ``ok`` page would replace it with other content."""
    if not result.ok:
        return None
    current = [a for a in store.attachments(case_id) if a.slot is slot]
    if not current:
        return None
    image = result.upload_path or result.image_path
    if image is not None and sha256_file(Path(image)) == current[-1].sha256:
        return None  # the same page again: nothing changes for the officer
    return current[-1]


def _better(a: PageResult, b: PageResult) -> bool:
    """Better verdict, then a signed and stamped page before the printout itself (``stamped`` false), then
    readable without our repair, then the newer revision; ties keep the first."""

    def key(r: PageResult) -> tuple[int, bool, bool, int]:
        return _RANK[r.final], r.stamped is False, r.repaired, -(r.revision or 0)

    return key(a) < key(b)


def _superseded(page: PageResult, kept: PageResult) -> Unplaced:
    return Unplaced(page, f"{page.message}；同一附件栏已选用更好的一页（{Path(kept.file).name} 第 {kept.page} 页）")
