"""Data in and out, one function per user action: import, export, backup, restore."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.errors import RuleError, os_error
from app.core.models import Attachment, Case, Plan, Slot
from app.core.progress import CancelToken, Progress, no_progress
from app.core.review import Status
from app.core.steps import Next, Step
from app.dispatch import backup as backups
from app.dispatch import restore as restores
from app.dispatch.export import Check, ExportResult, Verify, target_folder, write_packages
from app.dispatch.importer import Existing, ImportPreview, PlanResolver, build_preview, read_table
from app.store import Store

if TYPE_CHECKING:
    from app.ops.dispatch import DispatchRow

log = logging.getLogger(__name__)

BACKUPS_DIR = "backups"
#: Automatic backups kept beside the database; the oldest go first.
KEEP_AUTO_BACKUPS = 20

__all__ = [
    "ExportResult",
    "ImportPreview",
    "apply_import",
    "auto_backup",
    "backup",
    "export_check",
    "export_packages",
    "preview_import",
    "restore",
]


# -- import --------------------------------------------------------------------------


def preview_import(store: Store, path: Path, plan: str | int | Plan | None = None,
                   today: date | None = None) -> ImportPreview:  # fmt: skip
    """What importing ``path`` would write, and every row it would not and why; writes nothing.

    ``plan`` (a plan, its number or part of its title) applies to every row; without it a
    row's 评审计划 column, or the only plan that fits its 系列, decides.
    """
    today = today or date.today()
    given = None
    if isinstance(plan, Plan):
        given = plan
    elif plan is not None and str(plan).strip():
        given = store.find_plan(str(plan).strip())
    table = read_table(Path(path))
    existing = {k: Existing(*v) for k, v in store.case_keys().items()}
    resolver = PlanResolver(store.plans(), given, today)
    return build_preview(Path(path), table, resolver, existing, store.default_unit_name(), today)


def apply_import(store: Store, preview: ImportPreview) -> int:
    """Write the preview's rows in one transaction; returns how many cases were added.

    A row whose case appeared in the store since the preview is skipped, so applying the
    same preview twice (or importing the same file again) changes nothing.
    """
    rows = [
        {"plan_id": r.plan_id, "name": r.name, "id_number": r.id_number, "series": r.series,
         "specialty": r.specialty, "position": r.position, "unit_name": r.unit_name, "filed_on": r.filed_on,
         "business": r.business, "modules": r.modules}
        for r in preview.rows
    ]  # fmt: skip
    made = store.insert_cases(rows)
    log.info("imported %d cases from %s", len(made), preview.path)
    return len(made)


# -- export --------------------------------------------------------------------------


def _verify(store: Store) -> Verify:
    """The self-check run again on a written image, as the export wants it."""
    from app.ops.scan import storable, verify_image

    def verify(path: Path, case_id: int, slot: Slot) -> Check:
        result = verify_image(store, path, case_id, slot)
        return Check(storable(result, slot), str(result.final), result.message)

    return verify


#: A case in one of these states may have a 送审包 (again, after 送审, to keep or re-upload).
EXPORTABLE = (Status.PASSED, Status.DISPATCHED)


@dataclass(frozen=True)
class _NotPassed:
    """A row of a case that has not passed unit review: listed, but never ready."""

    row: DispatchRow

    @property
    def case(self) -> Case:
        return self.row.case

    @property
    def slots(self) -> dict[Slot, Attachment | None]:
        return self.row.slots

    @property
    def ready(self) -> bool:
        return False

    def mark(self, slot: Slot) -> str:
        return self.row.mark(slot)

    def problem(self) -> str:
        return f"{self.case.name}：状态为“{self.case.status.label}”，只有审核通过的办件才能导出送审包"


def _export_rows(store: Store, case_ids: list[int] | None, today: date | None) -> list[DispatchRow | _NotPassed]:
    from app.ops.dispatch import dispatch_rows

    return [row if row.case.status in EXPORTABLE else _NotPassed(row) for row in dispatch_rows(store, case_ids, today)]


def _unstamped(rows: list[DispatchRow | _NotPassed]) -> list[str]:
    return [f"{r.case.name}：{line}" for r in rows if not isinstance(r, _NotPassed) and r.ready for line in r.unstamped]


def export_check(store: Store, case_ids: list[int] | None = None, today: date | None = None) -> list[str]:
    """What the export asks the officer to confirm, writing nothing: every 盖章页 of a package to be
    written that was seen without the unit's seal or the signature, person by person
    ("张某某：单位考核表未见单位公章")."""
    return _unstamped(_export_rows(store, case_ids, today))


def export_packages(
    store: Store,
    out: Path,
    case_ids: list[int] | None = None,
    *,
    make_zip: bool = False,
    progress: Progress = no_progress,
    token: CancelToken | None = None,
    today: date | None = None,
    confirmed: bool = False,
) -> ExportResult:
    """Write the 送审包 (the passed cases waiting for dispatch, or the given ones) and the 一览表.

    Cases not ready are listed in the result and the 一览表, not silently skipped. A
    package holding a 盖章页 seen unsigned or unstamped is written only once ``confirmed``
    (else a :class:`RuleError` names each of them, see :func:`export_check`).
    """
    rows = _export_rows(store, case_ids, today)
    unstamped = _unstamped(rows)
    if unstamped and not confirmed:
        target_folder(Path(out), datetime.now())  # a place that cannot take the package is said first
        raise RuleError(
            "\n".join(unstamped),
            "系统能识别这些盖章页，但评委会看的是页面：请签字盖章后重新扫描上传；核对无误后仍可导出",
            next=Next(Step.CONFIRM_EXPORT),
        )
    return write_packages(
        rows, Path(out), store.blob_path, _verify(store), make_zip=make_zip, progress=progress, token=token
    )


# -- backup and restore ----------------------------------------------------------------


def backup(store: Store, file: Path, progress: Progress = no_progress) -> Path:
    """A consistent copy of the store and its attachments in one archive; returns its path."""
    return backups.write_backup(store, Path(file), progress).path


def backup_info(store: Store, file: Path, progress: Progress = no_progress) -> backups.BackupInfo:
    """Like :func:`backup`, with what went into the archive."""
    return backups.write_backup(store, Path(file), progress)


def auto_backup(store: Store, now: datetime | None = None) -> Path:
    """A backup in the ``backups`` folder beside the database, before an import or a restore."""
    folder = store.path.parent / BACKUPS_DIR
    now = now or datetime.now()
    path = backups.write_backup(store, folder / f"自动备份-{now:%Y%m%d-%H%M%S-%f}.zip", now=now).path
    autos = sorted(folder.glob("自动备份-*.zip"))
    for old in autos[:-KEEP_AUTO_BACKUPS]:
        try:
            old.unlink()
        except OSError:
            log.warning("could not remove old automatic backup %s", old)
    return path


def keep_raw_copy(db_path: Path, now: datetime | None = None) -> Path:
    """Copy a database file that cannot be opened into the backups folder, as it is."""
    import shutil

    folder = Path(db_path).parent / BACKUPS_DIR
    target = folder / f"无法打开的数据库-{(now or datetime.now()):%Y%m%d-%H%M%S}{Path(db_path).suffix}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy2(db_path, target)
    except OSError as exc:
        raise os_error(exc, "保存当前数据库") from None
    return target


def restore(db_path: Path, file: Path, progress: Progress = no_progress, token: CancelToken | None = None) -> Path:
    """Replace the store at ``db_path`` with a backup; the caller closes the store first.

    The archive is validated whole before anything changes, and the current store stays
    as it is until the restored one is complete.
    """
    return restores.restore_backup(Path(db_path), Path(file), progress, token).db_path


def restore_info(db_path: Path, file: Path, progress: Progress = no_progress,
                 token: CancelToken | None = None) -> restores.RestoreInfo:  # fmt: skip
    """Like :func:`restore`, with what the archive held."""
    return restores.restore_backup(Path(db_path), Path(file), progress, token)
