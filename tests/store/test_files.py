"""Atomic writes, hashing while copying, and the one classification of SQLite's errors."""

from __future__ import annotations

import hashlib
import io
import sqlite3
from pathlib import Path

import pytest

from app.store.connection import error_kind
from app.store.files import TooLong, atomic_file, sha256_copied, sha256_file, write_atomic


def test_a_failed_write_leaves_the_old_file_and_no_temporary_one(tmp_path: Path) -> None:
    target = tmp_path / "a.zip"
    write_atomic(target, b"old")
    with pytest.raises(RuntimeError), atomic_file(target) as fh:
        fh.write(b"half of the new")
        raise RuntimeError
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.zip"]


def test_hashing_while_copying_gives_the_bytes_their_hash_and_size(tmp_path: Path) -> None:
    data = bytes(range(256)) * 5000
    out = io.BytesIO()
    assert sha256_copied(io.BytesIO(data), out) == (hashlib.sha256(data).hexdigest(), len(data))
    assert out.getvalue() == data
    (tmp_path / "f").write_bytes(data)
    assert sha256_file(tmp_path / "f") == hashlib.sha256(data).hexdigest()
    with pytest.raises(TooLong):
        sha256_copied(io.BytesIO(data), None, limit=len(data) - 1)


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("database or disk is full", "full"),
        ("database is locked", "busy"),
        ("database disk image is malformed", "corrupt"),
        ("file is not a database", "corrupt"),
        ("attempt to write a readonly database", "readonly"),
        ("no such column: x", None),
    ],
)
def test_sqlite_errors_are_told_apart_in_one_place(message: str, kind: str | None) -> None:
    assert error_kind(sqlite3.OperationalError(message)) == kind
