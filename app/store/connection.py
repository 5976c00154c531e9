"""The store's SQLite connection: where the file lives, opening it (migrated), transactions, queries,
and SQLite's expected errors (disk full, locked, corrupt) as :class:`StoreError` messages.

Modelled on qutebrowser's sql.py: WAL, ``foreign_keys=ON``, a :meth:`Connection.transaction`
context manager. The schema's steps are in :mod:`app.store.schema`, run by :mod:`app.store.migrations`;
the repositories (one module per kind of record) build on :class:`Connection` and make up
:class:`app.store.Store`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, Self

from app.core.errors import StoreError, os_cause
from app.core.steps import Next, Step
from app.store.migrations import migrate

log = logging.getLogger(__name__)

DB_NAME = "zcws.sqlite3"
ATTACHMENTS_DIR = "attachments"


def default_data_dir() -> Path:
    """The officer's application-data folder (``%APPDATA%\\zcws`` on Windows)."""
    override = os.environ.get("ZCWS_HOME")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_data_dir("zcws", appauthor=False, roaming=True))


def default_db_path(demo: bool = False) -> Path:
    base = default_data_dir()
    return (base / "demo" / DB_NAME) if demo else base / DB_NAME


def now_text() -> str:
    """Now, as the store writes a time."""
    return datetime.now().isoformat(timespec="seconds")


#: What an expected SQLite error is about, told by words of its message: the environment, not our bug.
ERROR_KINDS = (
    ("full", ("full",)),
    ("busy", ("locked", "busy")),
    ("corrupt", ("malformed", "not a database", "corrupt")),
    ("readonly", ("readonly", "read-only", "unable to open")),
)


def error_kind(exc: sqlite3.Error) -> str | None:
    """``full``, ``busy``, ``corrupt`` or ``readonly`` for an expected error, None for a bug: the one place
    that classifies SQLite's errors."""
    text = str(exc).lower()
    for kind, words in ERROR_KINDS:
        if any(w in text for w in words):
            return kind
    return None


def translate(exc: sqlite3.Error) -> StoreError:
    """A SQLite error as the officer's message (an unexpected one is logged)."""
    kind = error_kind(exc)
    if kind == "full":
        return StoreError("磁盘已满，数据未写入", "请清理磁盘空间后重试")
    if kind == "busy":
        return StoreError("数据库正被另一个程序使用", "请关闭其他正在使用该数据库的职称网审助手后重试")
    if kind == "corrupt":
        return StoreError("数据库文件已损坏或不是职称网审助手的数据库", "请从备份恢复", next=Next(Step.RESTORE))
    if kind == "readonly":
        return StoreError("无法写入数据库文件", "请检查文件夹的写入权限")
    log.error("unexpected database error: %s", exc)
    return StoreError("数据库出错，操作未完成", "详情已写入日志；若反复出现，请从备份恢复", next=Next(Step.RESTORE))


class Connection:
    """One SQLite file, opened and brought up to the current schema, with its attachments folder beside it."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.attachments_dir = self.path.parent / ATTACHMENTS_DIR
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            log.warning("cannot create %s: %s", self.path.parent, exc)
            raise StoreError(f"无法创建数据文件夹 {self.path.parent}：{os_cause(exc)}") from None
        self._depth = 0
        try:
            self.conn = sqlite3.connect(self.path, isolation_level=None, timeout=10, check_same_thread=False)
        except sqlite3.Error as exc:
            raise translate(exc) from None
        try:
            self.conn.execute("PRAGMA foreign_keys=ON")
            migrate(self.conn, self.path)
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
        except sqlite3.Error as exc:
            self.conn.close()
            raise translate(exc) from None
        except BaseException:
            self.conn.close()
            raise

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All writes inside happen together or not at all; nests."""
        if self._depth:
            self._depth += 1
            try:
                yield self.conn
            finally:
                self._depth -= 1
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise translate(exc) from None
        self._depth = 1
        try:
            yield self.conn
        except sqlite3.Error as exc:
            self._depth = 0
            self.conn.execute("ROLLBACK")
            raise translate(exc) from None
        except BaseException:
            self._depth = 0
            self.conn.execute("ROLLBACK")
            raise
        else:
            self._depth = 0
            try:
                self.conn.execute("COMMIT")
            except sqlite3.Error as exc:
                self.conn.execute("ROLLBACK")
                raise translate(exc) from None

    def query(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> list[dict[str, Any]]:
        try:
            cursor = self.conn.execute(sql, params)
            columns = [d[0] for d in cursor.description or ()]
            return [dict(zip(columns, row, strict=True)) for row in cursor]
        except sqlite3.Error as exc:
            raise translate(exc) from None

    def integrity_ok(self) -> bool:
        return bool(self.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok")


def rowid(cursor: sqlite3.Cursor) -> int:
    """The id of the row an INSERT just made."""
    assert cursor.lastrowid is not None, "not after an INSERT"
    return cursor.lastrowid
