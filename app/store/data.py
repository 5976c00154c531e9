"""SQL for data in and out: duplicates for the import, blobs for the backup, inserting imported cases."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from app.store.db import Store, case_row, utils_db


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
        records = []
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
