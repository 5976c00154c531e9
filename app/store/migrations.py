"""Bringing a store up to the current schema: the steps of :data:`app.store.schema.MIGRATIONS` run one
by one, each in its own transaction with ``PRAGMA user_version``, after a copy of the old file is kept;
a store from a newer program is refused.

sqlite-utils, which some steps (and the import's bulk writes) use, is imported only when it is needed.
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.errors import StoreError
from app.store.schema import MIGRATIONS, SCHEMA_VERSION, Migration

if TYPE_CHECKING:
    from sqlite_utils import Database

log = logging.getLogger(__name__)


def migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Take the store at ``path`` (open as ``conn``) to :data:`SCHEMA_VERSION`, keeping a copy of it first
    (``NAME.vN.bak``) unless it is new."""
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"数据库来自更新版本的职称网审助手（结构版本 {version}，本程序为 {SCHEMA_VERSION}）",
            "请安装新版本后再打开",
        )
    if version == SCHEMA_VERSION:
        return
    if version > 0:
        backup = path.with_name(f"{path.name}.v{version}.bak")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copy2(path, backup)
        log.info("copied store to %s before migrating from %d", backup, version)
    for target in range(version, SCHEMA_VERSION):
        conn.execute("BEGIN IMMEDIATE")
        try:
            run_migration(conn, MIGRATIONS[target])
            conn.execute(f"PRAGMA user_version={target + 1}")
            if target == 0:
                import secrets  # here: its hmac and OpenSSL cost a new store only, not every launch

                conn.execute("INSERT INTO meta(key, value) VALUES ('secret', ?)", (secrets.token_bytes(32),))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


def run_migration(conn: sqlite3.Connection, step: Migration) -> None:
    """One step of :data:`MIGRATIONS`, in the caller's transaction."""
    if isinstance(step, str):
        for statement in _statements(step):
            conn.execute(statement)
    else:
        step(utils_db(conn))


def utils_db(conn: sqlite3.Connection) -> Database:
    """sqlite-utils over the store's own connection, for schema work and bulk writes.

    Imported here, where those run, and never on the launch path of an up-to-date store; no
    plugins and no connection settings of its own. Inside a transaction it uses savepoints, so
    the caller's transaction stays whole.
    """
    import sqlite_utils

    return sqlite_utils.Database(conn, recursive_triggers=False, execute_plugins=False)


def _statements(script: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies whole."""
    out, buf = [], ""
    for line in script.splitlines():
        buf += line + "\n"
        if sqlite3.complete_statement(buf):
            if buf.strip():
                out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out
