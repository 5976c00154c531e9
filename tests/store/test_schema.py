"""The schema a store ends up with, described by SQLite itself, is the one the shipped migrations made.

The migrations are run partly through sqlite-utils; the snapshot (``schema_v6.json``, written from the
SQL-only history) pins what they make: every column with its type, NOT NULL, default and key, every
foreign key, every index with its columns and uniqueness, every trigger.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from app.store import Store
from app.store.schema import MIGRATIONS

SNAPSHOT = Path(__file__).with_name("schema_v6.json")
SNAPSHOT_VERSION = 6


def describe(conn: sqlite3.Connection) -> dict[str, Any]:
    """Tables, their columns, foreign keys and indexes, and triggers: what the schema does, not how it is spelt."""
    out: dict[str, Any] = {}
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
    for table in tables:
        columns = [list(r[1:]) for r in conn.execute(f"PRAGMA table_info({table})")]
        fks = sorted(list(r[2:5]) for r in conn.execute(f"PRAGMA foreign_key_list({table})"))
        indexes = sorted(
            [[r[0] for r in conn.execute(f"PRAGMA index_info('{ix[1]}')")], ix[2]]
            for ix in conn.execute(f"PRAGMA index_list({table})")
        )
        out[table] = {"columns": columns, "foreign_keys": fks, "indexes": indexes}
    out["triggers"] = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger' ORDER BY 1")]
    return out


def test_a_new_store_has_the_schema_of_the_shipped_migrations(tmp_path: Path) -> None:
    with Store(tmp_path / "s.sqlite3") as store:
        got = describe(store.conn)
    want = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert got["triggers"][: len(want["triggers"])] == want.pop("triggers")
    for table, shape in want.items():  # later migrations may add tables, columns, keys and indexes, never change these
        assert got[table]["columns"][: len(shape["columns"])] == shape["columns"], table
        assert all(fk in got[table]["foreign_keys"] for fk in shape["foreign_keys"]), table
        assert all(index in got[table]["indexes"] for index in shape["indexes"]), table


def test_an_upgraded_store_has_the_schema_of_a_new_one(tmp_path: Path) -> None:
    old = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(old)
    conn.executescript(MIGRATIONS[0])
    conn.execute("INSERT INTO meta(key, value) VALUES ('secret', ?)", (b"s" * 32,))
    conn.execute("PRAGMA user_version=1")
    conn.commit()
    conn.close()
    with Store(old) as upgraded, Store(tmp_path / "new.sqlite3") as new:
        assert describe(upgraded.conn) == describe(new.conn)


def test_an_up_to_date_store_opens_without_sqlite_utils(tmp_path: Path) -> None:
    """sqlite-utils does the migrations and bulk writes; opening a store that needs neither leaves it unloaded
    (it costs the first paint tens of milliseconds). So are the rules of the records the queue does not show:
    the units' and the portal blanks' (with the ID checks), a few milliseconds of the first paint."""
    import subprocess
    import sys

    path = tmp_path / "s.sqlite3"
    Store(path).close()
    code = (
        "import sys\nfrom app.store import Store\nfrom app.ops.cases import list_cases\n"
        f"with Store({str(path)!r}) as s:\n    list_cases(s)\n"
        "assert 'sqlite_utils' not in sys.modules\n"
        "assert 'app.core.units' not in sys.modules and 'app.core.blanks' not in sys.modules\n"
    )
    root = Path(__file__).resolve().parents[2]
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root)
    assert r.returncode == 0, r.stderr
