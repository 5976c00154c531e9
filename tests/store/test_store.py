import contextlib
import sqlite3
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest

from app.core.errors import NotFoundError, StoreError, UsageError
from app.core.models import Slot
from app.core.review import Module, ReviewResult
from app.store import Store
from app.store.migrations import run_migration
from app.store.schema import MIGRATIONS, SCHEMA_VERSION

ID = "11010519491231002X"


def _plan(store: Store) -> int:
    return store.add_plan("计划", "工程技术人员", ["水利水电"], date(2025, 9, 1), date(2025, 9, 10), date(2025, 10, 10))


def test_new_store_has_current_schema_wal_and_foreign_keys(store: Store) -> None:
    assert store.schema_version == SCHEMA_VERSION
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert len(store.secret) == 32


def test_secret_persists_across_openings(tmp_path: Path) -> None:
    with Store(tmp_path / "a.sqlite3") as s:
        first = s.secret
    with Store(tmp_path / "a.sqlite3") as s:
        assert s.secret == first
    with Store(tmp_path / "b.sqlite3") as s:
        assert s.secret != first


def test_upgrade_from_version_1_keeps_data_and_copies_the_file_first(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript(MIGRATIONS[0])
    conn.execute("INSERT INTO meta(key, value) VALUES ('secret', ?)", (b"s" * 32,))
    conn.execute("INSERT INTO plans VALUES (1, 't', 's', '[]', '2025-01-01', '2025-01-01', '2025-02-01')")
    conn.execute(
        "INSERT INTO cases(id, plan_id, business, unit_name, name, id_number, series, specialty, position, filed_on,"
        " status, updated_at) VALUES (7, 1, 'b', 'u', '王某', ?, 's', 'p', 'x', '2025-01-01', 'pending', '2025-01-01T09:00:00')",
        (ID,),
    )
    conn.execute("PRAGMA user_version=1")
    conn.commit()
    conn.close()
    with Store(path) as s:
        assert s.schema_version == SCHEMA_VERSION
        assert s.case(7).name == "王某"
        assert s.secret == b"s" * 32
        cols = {r["name"] for r in s.query("PRAGMA table_info(attachments)")}
        assert "source_page" in cols
    assert (tmp_path / "old.sqlite3.v1.bak").exists()


def test_a_version_6_store_keeps_its_attachments_and_learns_whether_they_were_stamped(tmp_path: Path) -> None:
    path = tmp_path / "v6.sqlite3"
    conn = sqlite3.connect(path)
    for step in MIGRATIONS[:6]:
        run_migration(conn, step)
    conn.execute("INSERT INTO meta(key, value) VALUES ('secret', ?)", (b"s" * 32,))
    conn.execute("INSERT INTO plans VALUES (1, 't', 's', '[]', '2025-01-01', '2025-01-01', '2025-02-01')")
    conn.execute(
        "INSERT INTO cases(id, plan_id, business, unit_name, name, id_number, series, specialty, position, filed_on,"
        " status, updated_at) VALUES (7, 1, 'b', 'u', '王某', ?, 's', 'p', 'x', '2025-01-01', 'passed', '2025-01-01T09:00:00')",
        (ID,),
    )
    conn.execute(
        "INSERT INTO attachments(case_id, slot, sha256, ext, original_name, verdict, revision, stored_at)"
        " VALUES (7, 'opinion', 'ab', 'jpg', '意见表.jpg', 'ok', 1, '2025-01-02T09:00:00')"
    )
    conn.execute("PRAGMA user_version=6")
    conn.commit()
    conn.close()
    with Store(path) as s:
        assert s.schema_version == SCHEMA_VERSION
        [kept] = s.attachments(7)
        # stored before the 盖章页 check: not known, never told as unstamped
        assert kept.original_name == "意见表.jpg" and kept.stamped is None and kept.stamp_note == ""
        s.add_attachment(7, Slot.APPRAISAL, b"x", "jpg", "考核表.jpg", "ok", revision=1, stamped=False,
                         stamp_note="未见单位公章")  # fmt: skip
        s.add_attachment(7, Slot.OPINION, b"y", "jpg", "意见表2.jpg", "ok", revision=1, stamped=True)
        got = {a.slot: (a.stamped, a.stamp_note) for a in s.attachments(7)}
        assert got == {Slot.APPRAISAL: (False, "未见单位公章"), Slot.OPINION: (True, "")}
    assert (tmp_path / "v6.sqlite3.v6.bak").exists()


def test_newer_schema_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="更新版本"):
        Store(path)
    with contextlib.closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "junk.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="已损坏或不是"):
        Store(path)


def test_transaction_rolls_back_everything_on_error(store: Store) -> None:
    plan = _plan(store)
    with pytest.raises(RuntimeError), store.transaction():
        store.add_case(plan, "甲", ID, "s", "p", "x", "u", date(2025, 9, 1))
        raise RuntimeError("boom")
    assert store.cases() == []


def test_duplicate_id_in_a_plan_and_unknown_plan_are_messages(store: Store) -> None:
    plan = _plan(store)
    store.add_case(plan, "甲", ID, "s", "p", "x", "u", date(2025, 9, 1))
    with pytest.raises(UsageError, match="证件号码相同"):
        store.add_case(plan, "乙", ID, "s", "p", "x", "u", date(2025, 9, 1))
    with pytest.raises(NotFoundError, match="评审计划"):
        store.add_case(99, "丙", ID, "s", "p", "x", "u", date(2025, 9, 1))
    with pytest.raises(NotFoundError, match="办件"):
        store.case(12345)


def test_review_history_is_append_only(store: Store) -> None:
    plan = _plan(store)
    case = store.add_case(plan, "甲", ID, "s", "p", "x", "u", date(2025, 9, 1))
    store.add_review(case, "me", ReviewResult.RETURN, "改", {Module.BASIC: "电话"}, 1)
    with pytest.raises(StoreError):
        with store.transaction() as c:
            c.execute("UPDATE reviews SET opinion='x'")
    with pytest.raises(StoreError):
        with store.transaction() as c:
            c.execute("DELETE FROM reviews")
    [r] = store.reviews(case)
    assert r.returns == {Module.BASIC: "电话"} and r.opinion == "改"


def test_attachments_are_stored_by_content_hash_and_old_ones_kept(store: Store) -> None:
    plan = _plan(store)
    case = store.add_case(plan, "甲", ID, "s", "p", "x", "u", date(2025, 9, 1))
    store.add_attachment(case, Slot.OPINION, b"first", "jpg", "a.jpg", "ok", revision=1)
    store.add_attachment(case, Slot.OPINION, b"second", "jpg", "b.jpg", "ok", revision=1)
    [current] = store.attachments(case)
    assert current.original_name == "b.jpg"
    assert store.blob_path(current.sha256, "jpg").read_bytes() == b"second"
    assert len(store.attachments(case, active_only=False)) == 2
    with pytest.raises(NotFoundError):
        store.add_attachment(999, Slot.OPINION, b"x", "jpg", "x.jpg", "ok")


def test_settings_are_typed_and_checked(store: Store) -> None:
    assert store.get_setting("urgency.urgent_days") == 7
    store.set_setting("urgency.urgent_days", "10")
    assert store.get_setting("urgency.urgent_days") == 10
    assert store.thresholds().urgent_days == 10
    with pytest.raises(UsageError, match="不能小于"):
        store.set_setting("urgency.critical_days", -1)


KILLER = textwrap.dedent(
    """
    import sys
    from datetime import datetime
    from app.store import Store
    from app.ops.cases import review_case
    from app.core.review import ReviewResult, ModuleMark, Module
    store = Store(sys.argv[1])
    ids = [int(x) for x in sys.argv[2].split(",")]
    print("ready", flush=True)
    i = 0
    while True:
        case = ids[i % len(ids)]
        if i % 2:
            review_case(store, case, ReviewResult.PASS, f"通过 {i}")
        else:
            review_case(store, case, ReviewResult.RETURN, f"退回 {i}", [ModuleMark(Module.BASIC, True, "电话")])
        print(i, flush=True)  # this review is written
        i += 1
    """
)


def test_store_survives_a_kill_in_the_middle_of_review_writes(demo_store: Store) -> None:
    from app.core.review import Status
    from app.core.urgency import Urgency
    from app.ops.cases import list_cases

    ids = [r.case.id for r in list_cases(demo_store, status=Status.PENDING) if r.urgency is Urgency.NORMAL][:3]
    path = demo_store.path
    demo_store.close()
    with contextlib.closing(sqlite3.connect(path)) as conn:
        before = conn.execute("SELECT count(*) FROM reviews").fetchone()[0]
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLER, str(path), ",".join(map(str, ids))],
        stdout=subprocess.PIPE,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert proc.stdout.readline().strip() == b"ready"
    for _ in range(3):  # three reviews written, the fourth under way: the kill lands among its writes
        assert proc.stdout.readline().strip().isdigit()
    proc.kill()
    proc.wait()
    proc.stdout.close()
    with Store(path) as s:
        assert s.integrity_ok()
        assert len(s.query("SELECT id FROM reviews")) > before + 2
        for case_id in ids:
            # the case's status is the one of its last recorded review: never half a review
            last = s.reviews(case_id)[-1]
            case = s.case(case_id)
            assert case.status.value == {"pass": "passed", "return": "returned"}[last.result.value]
            assert (case.returned != {}) == (last.result is ReviewResult.RETURN)
