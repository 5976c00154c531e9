"""Backup and restore: the database and its attachments in one zip archive.

The archive holds ``manifest.json`` (format, schema version, counts and the sha256 of
every member), ``zcws.sqlite3`` (a consistent copy made with SQLite's backup API, safe
while the program runs) and ``attachments/xx/<sha256>.<ext>``. The database carries the
secret that authenticates our QR codes, so a restored store still recognises its forms.

Restore validates the whole archive before it touches the data folder: member names
(nothing may escape the folder), the manifest, every checksum, the schema version
(a newer one is refused) and the database itself. Attachments are stored by content
hash, so adding the archive's ones beside the current ones changes nothing the current
database sees; the database file is then swapped in with one atomic rename. A kill at
any moment leaves either the old store or the restored one, never a mixture.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import re
import shutil
import sqlite3
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

from app import __version__
from app.core.errors import NotFoundError, StoreError, UsageError, ZcwsError, os_cause
from app.core.progress import CancelToken, Progress, no_progress
from app.store import Store, copies
from app.store.connection import ATTACHMENTS_DIR
from app.store.files import TooLong, atomic_file, fsync_dir, sha256_copied, sha256_file
from app.store.schema import SCHEMA_VERSION

log = logging.getLogger(__name__)

FORMAT = "zcws-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DB_MEMBER = "zcws.sqlite3"
_BLOB = re.compile(r"attachments/([0-9a-f]{2})/([0-9a-f]{64})\.([a-z0-9]{1,8})")
_STAGING_PREFIX = ".zcws-restore-"
#: Free space kept on top of what the restore writes.
_SPARE_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created_at: str
    schema_version: int
    cases: int
    attachments: int
    size: int
    missing: tuple[str, ...] = ()


def os_error(exc: OSError, what: str) -> ZcwsError:
    """A file-system failure as a message the officer can act on."""
    if exc.errno == errno.ENOSPC:
        return StoreError(f"磁盘空间不足，{what}未完成", "请清理磁盘空间或换一个位置后重试")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return StoreError(f"没有写入权限，{what}未完成（{exc.filename or ''}）", "请换一个可以写入的文件夹后重试")
    log.warning("%s failed: %s", what, exc)
    return StoreError(f"{what}失败：{os_cause(exc)}（{exc.filename or ''}）")


def default_backup_name(now: datetime | None = None) -> str:
    return f"zcws-备份-{(now or datetime.now()):%Y%m%d-%H%M%S}.zip"


# -- backup ------------------------------------------------------------------------


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
                member = f"{ATTACHMENTS_DIR}/{digest[:2]}/{digest}.{ext}"
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


# -- validation ----------------------------------------------------------------------


@dataclass(frozen=True)
class Manifest:
    created_at: str
    schema_version: int
    cases: int
    database: dict[str, Any]
    attachments: list[dict[str, Any]]

    @property
    def total_size(self) -> int:
        return int(self.database["size"]) + sum(int(a["size"]) for a in self.attachments)


def _forged(detail: str) -> UsageError:
    return UsageError(f"备份文件未通过校验：{detail}", "该文件可能已损坏或被改动，请换用另一份备份")


def safe_member(name: str) -> bool:
    """A zip member name that stays inside the folder it is extracted to (no zip-slip)."""
    if not name or "\\" in name or "\x00" in name or name.startswith("/") or ":" in name:
        return False
    parts = PurePosixPath(name).parts
    return all(p not in ("", ".", "..") for p in parts)


def _open_zip(file: Path) -> zipfile.ZipFile:
    if not file.exists():
        raise NotFoundError(f"找不到备份文件 {file}")
    if file.is_dir():
        raise UsageError(f"{file} 是文件夹，请给出备份文件（.zip）")
    try:
        return zipfile.ZipFile(file)
    except zipfile.BadZipFile:
        raise UsageError(
            f"{file.name} 不是职称网审助手的备份文件（无法作为 zip 读取）", "请选择用“备份”生成的 .zip 文件"
        ) from None
    except OSError as exc:
        log.warning("cannot open backup %s: %s", file, exc)
        raise UsageError(f"无法读取 {file.name}：{os_cause(exc)}") from None


def _read_manifest(zf: zipfile.ZipFile) -> Manifest:
    names = [i.filename for i in zf.infolist()]
    for info in zf.infolist():
        if not safe_member(info.filename):
            raise _forged(f"含有指向数据文件夹之外的路径“{info.filename}”")
        if (info.external_attr >> 16) & 0o170000 == 0o120000:
            raise _forged(f"含有符号链接“{info.filename}”")
    if len(set(names)) != len(names):
        raise _forged("含有重名的文件")
    if MANIFEST not in names:
        raise UsageError("该文件不是职称网审助手的备份（缺少 manifest.json）", "请选择用“备份”生成的 .zip 文件")
    try:
        if zf.getinfo(MANIFEST).file_size > 16 * 1024 * 1024:
            raise _forged("清单文件过大")
        data = json.loads(zf.read(MANIFEST).decode("utf-8"))
    except (ValueError, UnicodeDecodeError, zipfile.BadZipFile, zlib.error):
        raise _forged("清单文件 manifest.json 无法解析") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise UsageError("该文件不是职称网审助手的备份（清单格式不符）", "请选择用“备份”生成的 .zip 文件")
    version = data.get("format_version")
    schema = data.get("schema_version")
    if not isinstance(version, int) or not isinstance(schema, int):
        raise _forged("清单缺少版本信息")
    if version > FORMAT_VERSION or schema > SCHEMA_VERSION:
        raise StoreError(
            f"该备份来自更新版本的职称网审助手（{data.get('app_version', '未知版本')}，数据结构版本 {schema}，"
            f"本程序为 {SCHEMA_VERSION}），不能用本程序恢复",
            "请安装新版本后再恢复",
        )
    try:
        database = data["database"]
        attachments = list(data["attachments"])
        entries = [database, *attachments]
        for e in entries:
            if not (isinstance(e["path"], str) and re.fullmatch(r"[0-9a-f]{64}", e["sha256"])
                    and isinstance(e["size"], int) and e["size"] >= 0):  # fmt: skip
                raise ValueError
    except (KeyError, TypeError, ValueError):
        raise _forged("清单中的文件列表不完整") from None
    if database["path"] != DB_MEMBER:
        raise _forged(f"数据库文件名应为 {DB_MEMBER}")
    for a in attachments:
        m = _BLOB.fullmatch(a["path"])
        if not m or m[1] != m[2][:2] or m[2] != a["sha256"]:
            raise _forged(f"附件“{a['path']}”的名称与其校验和不符")
    listed = {e["path"] for e in entries} | {MANIFEST}
    extra = sorted(set(names) - listed)
    if extra:
        raise _forged(f"含有清单之外的文件“{extra[0]}”")
    absent = sorted(listed - set(names))
    if absent:
        raise _forged(f"缺少清单中的文件“{absent[0]}”")
    return Manifest(str(data.get("created_at", "")), schema, int(data.get("cases", 0)), database, attachments)


@contextlib.contextmanager
def _member(zf: zipfile.ZipFile, entry: dict[str, Any]) -> Iterator[IO[bytes]]:
    try:
        with zf.open(entry["path"]) as fh:
            yield fh
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        log.warning("backup member %s is damaged: %s", entry["path"], exc)
        raise _forged(f"“{entry['path']}”已损坏（数据不完整或校验不符）") from None


def _copy_checked(zf: zipfile.ZipFile, entry: dict[str, Any], out: IO[bytes] | None) -> None:
    """Stream a member (into ``out`` if given), refusing more bytes than declared or a wrong checksum."""
    limit = int(entry["size"])
    with _member(zf, entry) as fh:
        try:
            digest, size = sha256_copied(fh, out, limit)
        except TooLong:
            raise _forged(f"“{entry['path']}”比清单所记的大") from None
    if size != limit or digest != entry["sha256"]:
        raise _forged(f"“{entry['path']}”的校验和不符")


def validate(file: Path, progress: Progress = no_progress, token: CancelToken | None = None) -> Manifest:
    """Check the whole archive without writing anything: names, manifest, every checksum."""
    with _open_zip(Path(file)) as zf:
        manifest = _read_manifest(zf)
        entries = [manifest.database, *manifest.attachments]
        for done, entry in enumerate(entries, start=1):
            if token is not None:
                token.check()
            _copy_checked(zf, entry, None)
            progress(done, len(entries), f"校验 {done}/{len(entries)}")
    return manifest


# -- restore ---------------------------------------------------------------------------


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
        with _open_zip(Path(file)) as zf:
            staged_db = staging / DB_MEMBER
            with atomic_file(staged_db) as out:
                _copy_checked(zf, manifest.database, out)
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
        raise _forged("其中的数据库文件无法打开") from None
    if not sound:
        raise _forged("数据库未通过完整性检查")
    if version != manifest.schema_version:
        raise _forged(f"数据库结构版本 {version} 与清单所记的 {manifest.schema_version} 不符")
    if not secret:
        raise _forged("数据库中没有二维码密钥")
    if version < SCHEMA_VERSION:
        Store(path).close()  # migrates, copying the old file first
    copies.single_file(path)


def _place_blob(zf: zipfile.ZipFile, entry: dict[str, Any], attachments_dir: Path) -> None:
    m = _BLOB.fullmatch(entry["path"])
    assert m is not None  # checked by _read_manifest
    target = attachments_dir / m[1] / f"{m[2]}.{m[3]}"
    if target.is_file() and target.stat().st_size == entry["size"] and sha256_file(target) == entry["sha256"]:
        return
    with atomic_file(target) as out:
        _copy_checked(zf, entry, out)


def _release(db_path: Path) -> None:
    """Fold the current database's write-ahead log into it; refused while another program has it open."""
    if not copies.release(db_path):
        raise StoreError("数据库正被使用，未恢复", "请先关闭其他正在使用该数据库的职称网审助手")
