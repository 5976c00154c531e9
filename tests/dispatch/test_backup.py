"""Backup and restore: a consistent archive; restore validates first and swaps atomically."""

from __future__ import annotations

import contextlib
import hashlib
import json
import random
import sqlite3
import subprocess
import sys
import time
import zipfile
from datetime import date
from pathlib import Path

import pytest

from app.cli import main
from app.core.errors import StoreError, UsageError
from app.core.models import Slot
from app.core.payload import FormKind, Payload, decode, encode
from app.dispatch.archive import MANIFEST
from app.ops.data import auto_backup, backup, restore
from app.store import Store
from app.store.schema import MIGRATIONS, SCHEMA_VERSION
from tests.dispatch.conftest import attach_all, passed_ids

ROOT = Path(__file__).resolve().parents[2]


def snapshot(db: Path) -> tuple[int, bytes, list[tuple[str, str]]]:
    """What the officer would notice: how many cases, the QR secret, the attachments."""
    with Store(db) as s:
        blobs = [(a.sha256, a.ext) for c in s.cases() for a in s.attachments(c.id)]
        for digest, ext in blobs:
            assert hashlib.sha256(s.blob_path(digest, ext).read_bytes()).hexdigest() == digest
        return len(s.cases()), s.secret, sorted(blobs)


@pytest.fixture
def archive(demo_store: Store, tmp_path: Path) -> Path:
    for case_id in passed_ids(demo_store):
        attach_all(demo_store, case_id)
    return backup(demo_store, tmp_path / "备份.zip")


@pytest.fixture
def current(tmp_path: Path) -> Path:
    """Another store at the restore target: one plan, one case, its own secret."""
    db = tmp_path / "current" / "zcws.sqlite3"
    with Store(db) as s:
        plan = s.add_plan("另一个计划", "工程技术人员", [], date(2025, 1, 1), date(2025, 1, 1), date(2025, 2, 1))
        s.add_case(plan, "原有的人", "420202197501010011", "工程技术人员", "x", "工程师", "u", date(2025, 1, 1))
    return db


def test_roundtrip_keeps_cases_attachments_and_the_qr_secret(demo_store: Store, archive: Path, current: Path) -> None:
    before = snapshot(demo_store.path)
    assert before[2], "the demo store has attachments to carry"
    text = encode(demo_store.secret, Payload(3, FormKind.OPINION, 1, date.today()))
    assert restore(current, archive) == current
    assert snapshot(current) == before
    with Store(current) as s:
        assert decode(s.secret, text).ok  # a restored store still recognises the forms it printed
        assert s.integrity_ok()
    assert not [p for p in current.parent.iterdir() if p.name.startswith(".zcws-restore-")]


def test_backup_is_consistent_while_another_connection_writes(demo_store: Store, tmp_path: Path) -> None:
    other = sqlite3.connect(demo_store.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE cases SET name='未提交的名字' WHERE id=1")
    file = backup(demo_store, tmp_path / "b.zip")  # does not wait for, nor include, the open write
    other.execute("ROLLBACK")
    other.close()
    restore(tmp_path / "r" / "zcws.sqlite3", file)
    with Store(tmp_path / "r" / "zcws.sqlite3") as s:
        assert s.case(1).name == demo_store.case(1).name


def test_backup_to_a_folder_gets_a_dated_name_and_a_full_disk_leaves_no_file(
    demo_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = backup(demo_store, tmp_path)
    assert path.parent == tmp_path and path.name.startswith("zcws-备份-") and path.suffix == ".zip"

    import app.dispatch.backup as mod

    def full(*args: object, **kw: object) -> object:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(mod, "_add", full)
    with pytest.raises(StoreError, match="磁盘空间不足"):
        backup(demo_store, tmp_path / "full.zip")
    assert {p.name for p in tmp_path.iterdir()} - {"demo", "zcws-home"} == {path.name}


def rewrite(archive: Path, out: Path, change: dict[str, bytes | None], manifest: dict | None = None) -> Path:
    """A copy of the archive with members replaced, added (bytes) or dropped (None)."""
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename in change:
                continue
            data = src.read(info)
            if info.filename == MANIFEST and manifest is not None:
                data = json.dumps(manifest).encode()
            dst.writestr(info, data)
        for name, data in change.items():
            if data is not None:
                dst.writestr(name, data)
    return out


def manifest_of(archive: Path) -> dict:
    with zipfile.ZipFile(archive) as zf:
        return json.loads(zf.read(MANIFEST))


def refused(current: Path, bad: Path, error: type[Exception], match: str) -> None:
    before = snapshot(current)
    with pytest.raises(error, match=match):
        restore(current, bad)
    assert snapshot(current) == before
    leftovers = [p.name for p in current.parent.iterdir() if p.name not in ("zcws.sqlite3", "attachments")]
    assert leftovers == []


def test_a_corrupt_archive_is_refused_and_the_current_store_kept(archive: Path, current: Path, tmp_path: Path) -> None:
    data = bytearray(archive.read_bytes())
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(bytes(data[: len(data) // 2]))
    refused(current, truncated, UsageError, "不是职称网审助手的备份文件")

    blob = manifest_of(archive)["attachments"][0]["path"]
    flipped = rewrite(archive, tmp_path / "flipped.zip", {blob: b"not the image it was"})
    refused(current, flipped, UsageError, "校验和不符")

    (tmp_path / "notzip.zip").write_bytes(b"hello")
    refused(current, tmp_path / "notzip.zip", UsageError, "无法作为 zip 读取")
    refused(current, tmp_path / "nothing.zip", Exception, "找不到备份文件")


def test_a_forged_archive_is_refused(archive: Path, current: Path, tmp_path: Path) -> None:
    manifest = manifest_of(archive)
    manifest["database"]["sha256"] = "0" * 64
    refused(current, rewrite(archive, tmp_path / "a.zip", {}, manifest), UsageError, "校验和不符")

    refused(current, rewrite(archive, tmp_path / "b.zip", {"attachments/00/extra.png": b"x"}), UsageError,
            "清单之外的文件")  # fmt: skip
    blob = manifest_of(archive)["attachments"][0]["path"]
    refused(current, rewrite(archive, tmp_path / "c.zip", {blob: None}), UsageError, "缺少清单中的文件")
    refused(current, rewrite(archive, tmp_path / "d.zip", {MANIFEST: None}), UsageError, "缺少 manifest.json")

    # a database that is not ours, with a manifest that matches it
    other = tmp_path / "other.sqlite3"
    with contextlib.closing(sqlite3.connect(other)) as c:
        c.execute("CREATE TABLE t(x)")
        c.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        c.commit()
    data = other.read_bytes()
    manifest = manifest_of(archive)
    manifest["database"].update(sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    forged = rewrite(archive, tmp_path / "e.zip", {"zcws.sqlite3": data}, manifest)
    refused(current, forged, UsageError, "没有二维码密钥")


@pytest.mark.parametrize("name", ["../escaped.txt", "/tmp/abs.txt", "attachments/../../escaped.txt",
                                  "attachments\\..\\..\\escaped.txt", "C:/escaped.txt"])  # fmt: skip
def test_zip_slip_is_refused_before_anything_is_written(
    archive: Path, current: Path, tmp_path: Path, name: str
) -> None:
    manifest = manifest_of(archive)
    manifest["attachments"].append({"path": name, "sha256": hashlib.sha256(b"x").hexdigest(), "size": 1})
    bad = rewrite(archive, tmp_path / "slip.zip", {name: b"x"}, manifest)
    refused(current, bad, UsageError, "数据文件夹之外|名称与其校验和不符")
    assert not (tmp_path / "escaped.txt").exists() and not (tmp_path.parent / "escaped.txt").exists()


def test_a_newer_schema_is_refused(archive: Path, current: Path, tmp_path: Path) -> None:
    manifest = manifest_of(archive)
    manifest["schema_version"] = SCHEMA_VERSION + 1
    refused(current, rewrite(archive, tmp_path / "n.zip", {}, manifest), StoreError, "更新版本")
    manifest = manifest_of(archive)
    manifest["format_version"] = 99
    refused(current, rewrite(archive, tmp_path / "f.zip", {}, manifest), StoreError, "更新版本")


def test_an_older_schema_is_restored_and_brought_up_to_date(archive: Path, current: Path, tmp_path: Path) -> None:
    old = tmp_path / "v1.sqlite3"
    with contextlib.closing(sqlite3.connect(old)) as c:
        c.executescript(MIGRATIONS[0])
        c.execute("INSERT INTO meta(key, value) VALUES ('secret', ?)", (b"k" * 32,))
        c.execute("PRAGMA user_version=1")
        c.commit()
    data = old.read_bytes()
    manifest = {"format": "zcws-backup", "format_version": 1, "schema_version": 1, "created_at": "2025-01-01",
                "cases": 0, "attachments": [],
                "database": {"path": "zcws.sqlite3", "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}}  # fmt: skip
    with zipfile.ZipFile(tmp_path / "v1.zip", "w") as zf:
        zf.writestr(MANIFEST, json.dumps(manifest))
        zf.writestr("zcws.sqlite3", data)
    restore(current, tmp_path / "v1.zip")
    with Store(current) as s:
        assert s.schema_version == SCHEMA_VERSION and s.secret == b"k" * 32


def test_restore_is_refused_while_the_store_is_open_elsewhere(archive: Path, current: Path) -> None:
    with Store(current) as s:
        s.conn.execute("BEGIN")
        s.conn.execute("SELECT count(*) FROM cases").fetchone()
        with pytest.raises(StoreError, match="正被使用"):
            restore(current, archive)
        s.conn.execute("COMMIT")
    assert snapshot(current)[0] == 1


def test_auto_backup_goes_beside_the_database(demo_store: Store) -> None:
    path = auto_backup(demo_store)
    assert path.parent == demo_store.path.parent / "backups"
    assert manifest_of(path)["cases"] == len(demo_store.cases())


KILLER = """
import sys
from app.ops.data import restore
print("ready", flush=True)
restore(sys.argv[1], sys.argv[2])
print("done", flush=True)
"""


def test_a_kill_in_the_middle_of_a_restore_leaves_the_old_store_or_the_new_one(
    demo_store: Store, current: Path, tmp_path: Path
) -> None:
    # enough attachments that the restore takes a while, to kill it in the middle
    rng = random.Random(7)
    case_ids = [c.id for c in demo_store.cases()]
    for i in range(150):
        demo_store.add_attachment(rng.choice(case_ids), list(Slot)[i % 3], rng.randbytes(200_000), "jpg",
                                  f"{i}.jpg", "ok")  # fmt: skip
    archive = backup(demo_store, tmp_path / "big.zip")
    new = snapshot(demo_store.path)
    old = snapshot(current)
    with Store(current) as s:
        old_archive = backup(s, tmp_path / "old.zip")
    start = time.monotonic()
    restore(tmp_path / "timing" / "zcws.sqlite3", archive)
    duration = time.monotonic() - start
    seen = []
    for attempt in range(6):
        proc = subprocess.Popen([sys.executable, "-c", KILLER, str(current), str(archive)], cwd=ROOT,
                                stdout=subprocess.PIPE)  # fmt: skip
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == b"ready"
        time.sleep(random.Random(attempt).uniform(0.1, 0.2 + duration * 1.2))
        proc.kill()
        proc.wait()
        proc.stdout.close()
        state = snapshot(current)
        assert state in (old, new)  # never a mixture, never an empty store
        seen.append(state == new)
        if state == new:
            restore(current, old_archive)
    # the next restore clears what the killed ones left beside the database
    restore(current, archive)
    assert snapshot(current) == new
    assert not [p for p in current.parent.iterdir() if p.name.startswith(".zcws-restore-")]


def test_cli_backup_and_restore(demo_store: Store, current: Path, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    file = tmp_path / "cli.zip"
    assert main(["backup", str(file), "--db", str(demo_store.path)]) == 0
    assert f"个办件、0 个附件到 {file}" in capsys.readouterr().out
    assert main(["restore", str(file), "--db", str(current)]) == 0
    out = capsys.readouterr().out
    assert "已自动备份当前数据到" in out and "已从" in out
    assert snapshot(current)[0] == len(demo_store.cases())
    autos = list((current.parent / "backups").glob("*.zip"))
    assert len(autos) == 1 and manifest_of(autos[0])["cases"] == 1

    (tmp_path / "bad.zip").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    assert main(["restore", str(tmp_path / "bad.zip"), "--db", str(current)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "备份" in err
    assert len(list((current.parent / "backups").glob("*.zip"))) == 1  # a bad archive makes no auto backup
