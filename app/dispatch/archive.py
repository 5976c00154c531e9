"""The backup archive's format, and checking an archive against it without writing anything.

A backup is one zip archive: ``manifest.json`` (format, schema version, counts and the sha256 of every
member), ``zcws.sqlite3`` (a consistent copy of the database, which carries the secret that
authenticates our QR codes) and ``attachments/xx/<sha256>.<ext>``. :mod:`app.dispatch.backup` writes
one; :func:`validate` checks one: member names (nothing may escape the folder), the manifest, every
checksum, the format and schema versions (a newer one is refused). :mod:`app.dispatch.restore` restores
one that passes.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from app.core.errors import NotFoundError, StoreError, UsageError, os_cause
from app.core.progress import CancelToken, Progress, no_progress
from app.store.connection import ATTACHMENTS_DIR
from app.store.files import TooLong, sha256_copied
from app.store.schema import SCHEMA_VERSION

log = logging.getLogger(__name__)

FORMAT = "zcws-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DB_MEMBER = "zcws.sqlite3"
BLOB = re.compile(r"attachments/([0-9a-f]{2})/([0-9a-f]{64})\.([a-z0-9]{1,8})")


def blob_member(digest: str, ext: str) -> str:
    """The member name of an attachment's file, as :data:`BLOB` reads it back."""
    return f"{ATTACHMENTS_DIR}/{digest[:2]}/{digest}.{ext}"


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


def forged(detail: str) -> UsageError:
    return UsageError(f"备份文件未通过校验：{detail}", "该文件可能已损坏或被改动，请换用另一份备份")


def safe_member(name: str) -> bool:
    """A zip member name that stays inside the folder it is extracted to (no zip-slip)."""
    if not name or "\\" in name or "\x00" in name or name.startswith("/") or ":" in name:
        return False
    parts = PurePosixPath(name).parts
    return all(p not in ("", ".", "..") for p in parts)


def open_zip(file: Path) -> zipfile.ZipFile:
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


def read_manifest(zf: zipfile.ZipFile) -> Manifest:
    names = [i.filename for i in zf.infolist()]
    for info in zf.infolist():
        if not safe_member(info.filename):
            raise forged(f"含有指向数据文件夹之外的路径“{info.filename}”")
        if (info.external_attr >> 16) & 0o170000 == 0o120000:
            raise forged(f"含有符号链接“{info.filename}”")
    if len(set(names)) != len(names):
        raise forged("含有重名的文件")
    if MANIFEST not in names:
        raise UsageError("该文件不是职称网审助手的备份（缺少 manifest.json）", "请选择用“备份”生成的 .zip 文件")
    try:
        if zf.getinfo(MANIFEST).file_size > 16 * 1024 * 1024:
            raise forged("清单文件过大")
        data = json.loads(zf.read(MANIFEST).decode("utf-8"))
    except (ValueError, UnicodeDecodeError, zipfile.BadZipFile, zlib.error):
        raise forged("清单文件 manifest.json 无法解析") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise UsageError("该文件不是职称网审助手的备份（清单格式不符）", "请选择用“备份”生成的 .zip 文件")
    version = data.get("format_version")
    schema = data.get("schema_version")
    if not isinstance(version, int) or not isinstance(schema, int):
        raise forged("清单缺少版本信息")
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
        raise forged("清单中的文件列表不完整") from None
    if database["path"] != DB_MEMBER:
        raise forged(f"数据库文件名应为 {DB_MEMBER}")
    for a in attachments:
        m = BLOB.fullmatch(a["path"])
        if not m or m[1] != m[2][:2] or m[2] != a["sha256"]:
            raise forged(f"附件“{a['path']}”的名称与其校验和不符")
    listed = {e["path"] for e in entries} | {MANIFEST}
    extra = sorted(set(names) - listed)
    if extra:
        raise forged(f"含有清单之外的文件“{extra[0]}”")
    absent = sorted(listed - set(names))
    if absent:
        raise forged(f"缺少清单中的文件“{absent[0]}”")
    return Manifest(str(data.get("created_at", "")), schema, int(data.get("cases", 0)), database, attachments)


@contextlib.contextmanager
def _member(zf: zipfile.ZipFile, entry: dict[str, Any]) -> Iterator[IO[bytes]]:
    try:
        with zf.open(entry["path"]) as fh:
            yield fh
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        log.warning("backup member %s is damaged: %s", entry["path"], exc)
        raise forged(f"“{entry['path']}”已损坏（数据不完整或校验不符）") from None


def copy_checked(zf: zipfile.ZipFile, entry: dict[str, Any], out: IO[bytes] | None) -> None:
    """Stream a member (into ``out`` if given), refusing more bytes than declared or a wrong checksum."""
    limit = int(entry["size"])
    with _member(zf, entry) as fh:
        try:
            digest, size = sha256_copied(fh, out, limit)
        except TooLong:
            raise forged(f"“{entry['path']}”比清单所记的大") from None
    if size != limit or digest != entry["sha256"]:
        raise forged(f"“{entry['path']}”的校验和不符")


def validate(file: Path, progress: Progress = no_progress, token: CancelToken | None = None) -> Manifest:
    """Check the whole archive without writing anything: names, manifest, every checksum."""
    with open_zip(Path(file)) as zf:
        manifest = read_manifest(zf)
        entries = [manifest.database, *manifest.attachments]
        for done, entry in enumerate(entries, start=1):
            if token is not None:
                token.check()
            copy_checked(zf, entry, None)
            progress(done, len(entries), f"校验 {done}/{len(entries)}")
    return manifest
