"""What the officer reads is Chinese: no raw English exception text in a message, the detail goes to the log."""

from __future__ import annotations

import errno
import logging
import re
import sqlite3
import zipfile
from pathlib import Path

import pytest

from app.core.errors import StoreError, UsageError, ZcwsError, os_cause
from app.store import Store

ROOT = Path(__file__).resolve().parents[1]
#: an exception (or its English text) put into a message: ``{exc}``, ``{exc.strerror}``, ``{e.__class__.__name__}``
RAW = re.compile(r"\{(exc|err|error|e)(\.strerror|\.args[^}]*|\.__class__[^}]*|!r|!s)?\}")
ENGLISH = re.compile(r"[A-Za-z]{4,}")


def test_os_errors_are_told_in_chinese() -> None:
    for code, words in [(errno.ENOENT, "不存在"), (errno.EACCES, "权限"), (errno.ENOSPC, "磁盘空间不足"),
                        (errno.EROFS, "只读"), (errno.ENAMETOOLONG, "太长")]:  # fmt: skip
        cause = os_cause(OSError(code, "English text from the system", "x.jpg"))
        assert words in cause and not ENGLISH.search(cause)
    assert os_cause(OSError(9999, "Something odd")) == "系统错误（错误码 9999）"
    locked = OSError(errno.EACCES, "The process cannot access the file")
    locked.winerror = 32  # type: ignore[attr-defined]
    assert os_cause(locked) == "文件正被其他程序占用"


def test_no_message_embeds_an_exception() -> None:
    """An f-string that puts an exception into text is only for the log."""
    offenders = []
    for path in sorted((ROOT / "app").rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            in_fstring = RAW.search(line) and re.search(r"\bf[\"']", line)
            formatted = re.search(r"\w+=(exc|str\(exc\)|repr\(exc\))[,)]|errorString\(\)", line)
            if (in_fstring or formatted) and not re.search(r"\blog(ger)?\.\w+\(", line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


def test_an_unexpected_database_error_is_chinese_and_logged(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with Store(tmp_path / "zcws.sqlite3") as store:
        with caplog.at_level(logging.ERROR), pytest.raises(StoreError) as err:
            with store.transaction() as c:
                try:
                    c.execute("SELECT * FROM no_such_table")
                except sqlite3.Error as exc:
                    from app.store.connection import translate

                    raise translate(exc) from None
    assert not ENGLISH.search(err.value.message) and "日志" in (err.value.fix or "")
    assert "no_such_table" in caplog.text


def test_a_folder_or_a_locked_file_checked_says_so_in_chinese(demo_store: Store, tmp_path: Path) -> None:
    from app.ops.scan import check_files

    (result,) = check_files(demo_store, [tmp_path], out_dir=tmp_path / "up")
    assert result.final.value == "unreadable_file" and "文件夹" in result.message
    assert not ENGLISH.search(result.message)


def test_a_damaged_member_of_a_backup_is_named_without_zlib_text(demo_store: Store, tmp_path: Path) -> None:
    from app.ops.data import backup, restore

    archive = backup(demo_store, tmp_path / "备份.zip")
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as zf:
        info = max(zf.infolist(), key=lambda i: i.compress_size)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + info.compress_size // 2
    for i in range(start, start + 64):
        data[i] ^= 0x5A
    broken = tmp_path / "broken.zip"
    broken.write_bytes(bytes(data))
    with pytest.raises(ZcwsError) as err:
        restore(tmp_path / "target" / "zcws.sqlite3", broken)
    assert isinstance(err.value, (UsageError, StoreError))
    text = err.value.message
    assert not re.search(r"Error|invalid|zlib|CRC|Bad", text), text
