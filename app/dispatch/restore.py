"""Restore: a backup archive put in place of the store.

The whole archive is validated (:func:`app.dispatch.archive.validate`) before the data folder is
touched, and the database in it checked and brought up to the current schema in a staging folder.
Attachments are stored by content hash, so adding the archive's ones beside the current ones changes
nothing the current database sees; the database file is then swapped in with one atomic rename. A
kill at any moment leaves either the old store or the restored one, never a mixture.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.core.errors import StoreError, os_error
from app.core.progress import CancelToken, Progress, no_progress
from app.dispatch.archive import BLOB, DB_MEMBER, Manifest, copy_checked, forged, open_zip, validate
from app.store import Store, copies
from app.store.connection import ATTACHMENTS_DIR
from app.store.files import atomic_file, fsync_dir, sha256_file
from app.store.schema import SCHEMA_VERSION

log = logging.getLogger(__name__)

_STAGING_PREFIX = ".zcws-restore-"
#: Free space kept on top of what the restore writes.
_SPARE_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class RestoreInfo:
    db_path: Path
    created_at: str
    schema_version: int
    cases: int
    attachments: int


def clean_leftovers(folder: Path) -> None:
    """Remove the staging folders an interrupted restore left beside the database."""
    if not folder.is_dir():
        return
    for child in folder.iterdir():
        if child.name.startswith(_STAGING_PREFIX) and child.is_dir():
            shutil.rmtree(child, ignore_errors=True)


def restore_backup(
    db_path: Path, file: Path, progress: Progress = no_progress, token: CancelToken | None = None
) -> RestoreInfo:
    """Replace the store at ``db_path`` with the archive's; the store must be closed first."""
    db_path = Path(db_path)
    folder = db_path.parent
    manifest = validate(file, progress, token)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        clean_leftovers(folder)
        free = shutil.disk_usage(folder).free
    except OSError as exc:
        raise os_error(exc, "恢复") from None
    if free < manifest.total_size + _SPARE_BYTES:
        raise StoreError(
            f"磁盘空间不足：恢复需要约 {manifest.total_size / 2**20:.0f} MB，可用 {free / 2**20:.0f} MB",
            "请清理磁盘空间后重试",
        )
    staging = Path(tempfile.mkdtemp(prefix=_STAGING_PREFIX, dir=folder))
    try:
        with open_zip(Path(file)) as zf:
            staged_db = staging / DB_MEMBER
            with atomic_file(staged_db) as out:
                copy_checked(zf, manifest.database, out)
            _check_database(staged_db, manifest)
            attachments_dir = folder / ATTACHMENTS_DIR
            for done, entry in enumerate(manifest.attachments, start=1):
                if token is not None:
                    token.check()
                _place_blob(zf, entry, attachments_dir)
                progress(done, len(manifest.attachments), f"恢复附件 {done}/{len(manifest.attachments)}")
        if token is not None:
            token.check()
        _release(db_path)
        os.replace(staged_db, db_path)
        fsync_dir(folder)
    except OSError as exc:
        raise os_error(exc, "恢复") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    log.info("restored %s from %s", db_path, file)
    return RestoreInfo(db_path, manifest.created_at, manifest.schema_version, manifest.cases, len(manifest.attachments))


def _check_database(path: Path, manifest: Manifest) -> None:
    """The staged copy is a sound zcws database of the version the manifest names; bring it up to date."""
    try:
        sound, version, secret = copies.copy_soundness(path)
    except sqlite3.DatabaseError:
        raise forged("其中的数据库文件无法打开") from None
    if not sound:
        raise forged("数据库未通过完整性检查")
    if version != manifest.schema_version:
        raise forged(f"数据库结构版本 {version} 与清单所记的 {manifest.schema_version} 不符")
    if not secret:
        raise forged("数据库中没有二维码密钥")
    if version < SCHEMA_VERSION:
        Store(path).close()  # migrates, copying the old file first
    copies.single_file(path)


def _place_blob(zf: zipfile.ZipFile, entry: dict[str, Any], attachments_dir: Path) -> None:
    m = BLOB.fullmatch(entry["path"])
    assert m is not None  # checked by read_manifest
    target = attachments_dir / m[1] / f"{m[2]}.{m[3]}"
    if target.is_file() and target.stat().st_size == entry["size"] and sha256_file(target) == entry["sha256"]:
        return
    with atomic_file(target) as out:
        copy_checked(zf, entry, out)


def _release(db_path: Path) -> None:
    """Fold the current database's write-ahead log into it; refused while another program has it open."""
    if not copies.release(db_path):
        raise StoreError("数据库正被使用，未恢复", "请先关闭其他正在使用该数据库的职称网审助手")
