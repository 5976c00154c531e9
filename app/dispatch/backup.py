"""Backup: the database and its attachments written to one zip archive (the format is
:mod:`app.dispatch.archive`'s), atomically, while the program runs.

The database goes in as a consistent copy made with SQLite's backup API; the working copy stays in
the data folder, never on the target. A failure or a kill leaves no half archive.
"""

from __future__ import annotations

import json
import logging
import shutil
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from app import __version__
from app.core.errors import StoreError, os_error
from app.core.progress import Progress, no_progress
from app.dispatch.archive import DB_MEMBER, FORMAT, FORMAT_VERSION, MANIFEST, blob_member
from app.store import Store, copies
from app.store.files import atomic_file, fsync_dir, sha256_copied

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created_at: str
    schema_version: int
    cases: int
    attachments: int
    size: int
    missing: tuple[str, ...] = ()


def default_backup_name(now: datetime | None = None) -> str:
    return f"zcws-备份-{(now or datetime.now()):%Y%m%d-%H%M%S}.zip"


def write_backup(store: Store, file: Path, progress: Progress = no_progress, now: datetime | None = None) -> BackupInfo:
    """Write the store and its attachments to ``file`` (atomically: a failure leaves no half file)."""
    file = Path(file)
    if file.is_dir():
        file = file / default_backup_name(now)
    if file.suffix.lower() != ".zip":
        file = file.with_name(file.name + ".zip")
    created = (now or datetime.now()).isoformat(timespec="seconds")
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        # The working copy of the database stays in the data folder, never on the target
        # (a USB stick, say), so that a killed backup leaves no copy of the data there.
        _clean_leftovers(store.path.parent, ".zcws-backup-*")
        _clean_leftovers(file.parent, f".{file.name}.*.tmp")
        work = Path(tempfile.mkdtemp(prefix=".zcws-backup-", dir=store.path.parent))
    except OSError as exc:
        raise os_error(exc, "备份") from None
    try:
        copy = work / DB_MEMBER
        copies.snapshot(store.path, copy)
        schema, cases, blobs = copies.copy_contents(copy)
        entries: list[dict[str, Any]] = []
        missing: list[str] = []
        with atomic_file(file) as fh, zipfile.ZipFile(fh, "w") as zf:
            entries_db = _add(zf, copy, DB_MEMBER, zipfile.ZIP_DEFLATED)
            for done, (digest, ext) in enumerate(blobs, start=1):
                source = store.blob_path(digest, ext)
                member = blob_member(digest, ext)
                if not source.is_file():
                    missing.append(member)
                    log.warning("backup: attachment %s is missing from the store", source)
                    continue
                entry = _add(zf, source, member, zipfile.ZIP_STORED)
                if entry["sha256"] != digest:
                    log.warning("backup: attachment %s does not match its hash; left out", source)
                    missing.append(member)
                    continue
                entries.append(entry)
                progress(done, len(blobs), f"附件 {done}/{len(blobs)}")
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "app_version": __version__,
                "schema_version": schema,
                "created_at": created,
                "cases": cases,
                "database": entries_db,
                "attachments": entries,
                "missing": missing,
            }
            zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1), zipfile.ZIP_DEFLATED)
        fsync_dir(file.parent)
    except OSError as exc:
        raise os_error(exc, "备份") from None
    except sqlite3.Error as exc:
        log.warning("backup cannot read the store %s: %s", store.path, exc)
        raise StoreError(
            "无法读取数据库，备份未完成", "请确认数据库文件完好，或关闭其他正在使用它的程序后重试"
        ) from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return BackupInfo(file, created, schema, cases, len(entries), file.stat().st_size, tuple(missing))


LEFTOVER_AGE_S = 600


def _clean_leftovers(folder: Path, pattern: str) -> None:
    """Remove what a killed backup left behind (old enough not to be another one running)."""
    import time

    for path in folder.glob(pattern):
        try:
            if time.time() - path.stat().st_mtime < LEFTOVER_AGE_S:
                continue
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink()
        except OSError:
            log.info("could not remove leftover %s", path)


def _add(zf: zipfile.ZipFile, source: Path, member: str, method: int) -> dict[str, Any]:
    info = zipfile.ZipInfo(member, date_time=datetime.fromtimestamp(source.stat().st_mtime).timetuple()[:6])
    info.compress_type = method
    with open(source, "rb") as src, zf.open(info, "w", force_zip64=True) as dst:
        digest, size = sha256_copied(src, dst)
    return {"path": member, "sha256": digest, "size": size}
