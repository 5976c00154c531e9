"""SQL for data in and out: duplicates for the import, inserting imported cases, and the database side of
backup and restore (a consistent copy, what it holds, whether a copy is sound, letting go of a live one)."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from app.store.db import Store, case_row, error_kind, utils_db

log = logging.getLogger(__name__)


def case_keys(store: Store) -> dict[tuple[int, str], tuple[int, str]]:
    """(plan id, ID number) → (case id, name) for every stored case."""
    rows = store.query("SELECT id, plan_id, id_number, name FROM cases")
    return {(r["plan_id"], r["id_number"]): (r["id"], r["name"]) for r in rows}


def default_unit_name(store: Store) -> str:
    rows = store.query("SELECT name FROM units ORDER BY id LIMIT 1")
    return rows[0]["name"] if rows else ""


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


def insert_cases(store: Store, rows: Iterable[dict[str, Any]], now: datetime | None = None) -> list[int]:
    """Add imported cases in one transaction, skipping any whose (plan, ID number) is already stored
    (or came earlier in ``rows``); returns the new cases' ids.

    Each dict holds :meth:`Store.add_case`'s arguments. The cases and their 建档 events are written in
    bulk by sqlite-utils, one statement per hundred rows, instead of a read and two writes per row.
    """
    at = (now or datetime.now()).isoformat(timespec="seconds")
    with store.transaction() as c:
        seen = {(r[0], r[1]) for r in c.execute("SELECT plan_id, id_number FROM cases")}
        next_id = c.execute("SELECT coalesce(max(id), 0) + 1 FROM cases").fetchone()[0]
        records: list[dict[str, Any]] = []
        for row in rows:
            key = (row["plan_id"], row["id_number"])
            if key in seen:
                continue
            seen.add(key)
            records.append({"id": next_id + len(records), **case_row(**row, now=at)})
        if not records:
            return []
        db = utils_db(c)
        db.table("cases").insert_all(records)
        db.table("revisions").insert_all(
            {"case_id": r["id"], "revision": 1, "at": at, "reason": "建档"} for r in records
        )
    return [r["id"] for r in records]


def set_filed_at(store: Store, case_id: int, at: datetime) -> None:
    """Date a case's 建档 event (revision 1) to when it was filed: the demo's cases are made today,
    their history is set in the past."""
    with store.transaction() as c:
        c.execute(
            "UPDATE revisions SET at = ? WHERE case_id = ? AND revision = 1",
            (at.isoformat(timespec="seconds"), case_id),
        )


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
