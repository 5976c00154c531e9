"""A store's database file as a whole, for backup and restore: a consistent copy of a live one, what a
copy holds and whether it is sound, leaving it as one file, and letting go of a live one before it is
replaced. The archive around these copies is :mod:`app.dispatch.backup`'s."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from pathlib import Path

from app.store.connection import error_kind

log = logging.getLogger(__name__)


def referenced_blobs(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """Every (sha256, ext) an attachment or a portal blank points to, current or replaced."""
    sql = "SELECT sha256, ext FROM attachments UNION SELECT sha256, 'pdf' FROM blanks ORDER BY 1, 2"
    return [(r[0], r[1]) for r in conn.execute(sql)]


def has_secret(conn: sqlite3.Connection) -> bool:
    try:
        row = conn.execute("SELECT length(value) FROM meta WHERE key='secret'").fetchone()
    except sqlite3.Error:
        return False
    return bool(row and row[0])


def snapshot(source: Path, target: Path) -> None:
    """A consistent single-file copy of a live database (another connection may be writing)."""
    src = sqlite3.connect(source, timeout=30)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()


def copy_contents(path: Path) -> tuple[int, int, list[tuple[str, str]]]:
    """A copy's schema version, number of cases and every blob it points to."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        schema = conn.execute("PRAGMA user_version").fetchone()[0]
        cases = conn.execute("SELECT count(*) FROM cases").fetchone()[0]
        return schema, cases, referenced_blobs(conn)


def copy_soundness(path: Path) -> tuple[bool, int, bool]:
    """Whether a copy passes the integrity check, its schema version, and whether it holds the QR secret.

    Raises :class:`sqlite3.DatabaseError` when the file is no database at all.
    """
    with contextlib.closing(sqlite3.connect(path)) as conn:
        ok = conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return ok, conn.execute("PRAGMA user_version").fetchone()[0], has_secret(conn)


def single_file(path: Path) -> None:
    """Leave a closed database as one file, without a write-ahead log."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA journal_mode=DELETE")


def release(path: Path) -> bool:
    """Fold a database's write-ahead log into it so that one rename replaces it whole; False while
    another program still has it open.

    A database that cannot be opened at all is what a restore replaces: its log is deleted, never
    replayed onto another.
    """
    if not path.exists():
        return True
    try:
        with contextlib.closing(sqlite3.connect(path, timeout=2)) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
    except sqlite3.Error as exc:
        if error_kind(exc) == "busy":
            return False
        log.warning("current store %s could not be opened before restore: %s", path, exc)
        for suffix in ("-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                Path(f"{path}{suffix}").unlink()
        return True
    return mode.lower() == "delete" and not Path(f"{path}-wal").exists()
