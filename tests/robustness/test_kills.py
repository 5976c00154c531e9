"""A subprocess killed with SIGKILL at a random point of an action loses nothing finished.

After each kill the store passes ``PRAGMA integrity_check``, holds every action the
killed program reported as finished (and at most the one it was in), and no half-written
file is left looking whole. The delays are random; a failure names the seed to replay.
"""

from __future__ import annotations

import shutil
import textwrap
from datetime import date, timedelta
from pathlib import Path

import pytest

from app.core.review import ReviewResult, Status
from app.core.urgency import Urgency
from app.ops.cases import list_cases
from app.ops.data import apply_import, preview_import
from app.store import Store
from tests.robustness.conftest import Seeded, files, fingerprint, integrity_ok, kill_after, kill_points, zcws
from tests.robustness.inputs import make_spreadsheet
from tests.robustness.tally import TALLY

REVIEWER = textwrap.dedent(
    """
    import sys
    from app.core.review import Module, ModuleMark, ReviewResult
    from app.ops.cases import review_case
    from app.store import Store
    store = Store(sys.argv[1])
    ids = [int(x) for x in sys.argv[2].split(",")]
    print("ready", flush=True)
    i = 0
    while True:
        case = ids[i % len(ids)]
        if i % 3 == 2:
            review_case(store, case, ReviewResult.PASS, f"通过 {i}")
        else:
            review_case(store, case, ReviewResult.RETURN, f"退回 {i}", [ModuleMark(Module.BASIC, True, f"电话 {i}")])
        i += 1
        print(f"done {i}", flush=True)
    """
)


def _finished(lines: list[str], word: str = "done") -> int:
    done = [int(line.split()[1]) for line in lines if line.startswith(word + " ")]
    return max(done, default=0)


@pytest.mark.parametrize("iteration", range(4))
def test_review_killed_at_a_random_point_keeps_every_finished_review(
    demo_store: Store, rng: Seeded, iteration: int, tmp_path: Path
) -> None:
    ids = [r.case.id for r in list_cases(demo_store, status=Status.PENDING) if r.urgency is Urgency.NORMAL][:3]
    assert ids
    path = demo_store.path
    before = len(demo_store.query("SELECT id FROM reviews"))
    had = {case_id: len(demo_store.reviews(case_id)) for case_id in ids}
    demo_store.close()
    lines = kill_after(REVIEWER, [str(path), ",".join(map(str, ids))], rng.uniform(0.0, 0.6), tmp_path / "home")
    reported = _finished(lines)
    assert integrity_ok(path), rng
    with Store(path) as s:
        stored = len(s.query("SELECT id FROM reviews")) - before
        if stored < reported:
            TALLY.loss(f"review: {reported} reviews reported finished, {stored} stored ({rng})")
        assert reported <= stored <= reported + 1, f"{reported} reported finished, {stored} stored ({rng})"
        for case_id in ids:
            history = s.reviews(case_id)
            if len(history) == had[case_id]:
                continue  # not reached before the kill (a resubmitted case's last review is its old return)
            # the case shows its last recorded review, never half of one
            case, last = s.case(case_id), history[-1]
            assert case.status.value == {"pass": "passed", "return": "returned"}[last.result.value], rng
            assert (case.returned != {}) == (last.result is ReviewResult.RETURN), rng


IMPORTER = textwrap.dedent(
    """
    from app.ops.data import apply_import, preview_import
    from app.store import Store
    store = Store(_sys.argv[1])
    armed()
    preview = preview_import(store, _sys.argv[2], _sys.argv[3])
    mark("apply")
    made = apply_import(store, preview)
    disarm()
    print(f"imported {made}", flush=True)
    """
)
ROWS = 300


def _plan_store(path: Path) -> int:
    today = date.today()
    with Store(path) as s:
        return s.add_plan("关于开展2025年度黄石市工程技术人员职称评审材料申报工作的通知", "工程技术人员",
                          ["水利水电", "建筑工程", "市政工程", "电气工程", "机械工程"], today - timedelta(days=7),
                          today - timedelta(days=3), today + timedelta(days=40))  # fmt: skip


@pytest.mark.slow
def test_import_killed_at_random_steps_writes_all_rows_or_none(tmp_path: Path, rng: Seeded) -> None:
    sheet = make_spreadsheet(tmp_path / "申报人员 2025.xlsx", ROWS, seed=rng.seed_value)

    def prepare(folder: Path) -> list[str | Path]:
        db = folder / "zcws.sqlite3"
        return [db, sheet, _plan_store(db)]

    for (db, _, plan_id), lines, at, total in kill_points(IMPORTER, prepare, tmp_path, rng, 4):
        where = f"killed at step {at} of {total} ({rng})"
        assert integrity_ok(db), where
        with Store(db) as s:
            count = len(s.query("SELECT id FROM cases"))
            revisions = len(s.query("SELECT case_id FROM revisions"))
        finished = any(line.startswith("imported ") for line in lines)
        if (finished and count != ROWS) or count not in (0, ROWS):
            TALLY.loss(f"import: {count} of {ROWS} cases stored, {where}")
        assert count in (0, ROWS), f"half an import: {count} cases, {where}"
        assert revisions == count, where
        assert not finished or count == ROWS, where
        # the officer imports the file again: it completes, and a second time changes nothing
        with Store(db) as s:
            for _ in range(2):
                apply_import(s, preview_import(s, sheet, str(plan_id)))
            assert len(s.query("SELECT id FROM cases")) == ROWS, where


BACKUPER = textwrap.dedent(
    """
    from app.ops.data import backup
    from app.store import Store
    store = Store(_sys.argv[1])
    armed()
    backup(store, _sys.argv[2])
    disarm()
    """
)

RESTORER = textwrap.dedent(
    """
    import app.dispatch.restore as b
    from app.ops.data import restore
    # note where the restore starts placing attachments and where it swaps the database in
    def _marked(name, phase):
        fn = getattr(b, name, None)
        if fn is not None:
            def wrapper(*args, **kwargs):
                mark(phase)
                return fn(*args, **kwargs)
            setattr(b, name, wrapper)
    _marked("_place_blob", "blobs")
    _marked("_release", "swap")
    armed()
    restore(_sys.argv[1], _sys.argv[2])
    disarm()
    """
)


def _unfinished(name: str) -> bool:
    return name.endswith(".tmp") or name.startswith(".zcws-")


def _with_blobs(store: Store, n: int, size: int) -> None:
    """Attachment blobs, so that a backup or a restore has files to write when it is killed."""
    import os

    for i in range(n):
        store.put_blob(os.urandom(size) + bytes([i]), "png")


@pytest.mark.slow
def test_backup_killed_at_random_steps_leaves_no_half_archive(demo_store: Store, tmp_path: Path, rng: Seeded) -> None:
    from app.dispatch.archive import validate

    _with_blobs(demo_store, 6, 300_000)
    demo_store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    source = demo_store.path.parent
    demo_store.close()
    before = fingerprint(source / "zcws.sqlite3")

    def prepare(folder: Path) -> list[str | Path]:
        shutil.copytree(source, folder / "data")
        (folder / "备份 文件夹").mkdir()
        return [folder / "data" / "zcws.sqlite3", folder / "备份 文件夹" / "职称 备份 2025.zip"]

    for (db, target), lines, at, total in kill_points(BACKUPER, prepare, tmp_path, rng, 5):
        where = f"killed at step {at} of {total} ({rng})"
        target = Path(target)
        if target.exists():
            validate(target)  # whole, or not there at all
        else:
            assert not any(line.startswith("steps ") for line in lines), where
        # what a killed backup leaves beside the archive is hidden and named as unfinished work
        leftovers = [p.name for p in target.parent.iterdir() if p != target and not _unfinished(p.name)]
        assert not leftovers, f"{leftovers}, {where}"
        assert integrity_ok(Path(db)), where
        assert fingerprint(Path(db)) == before, where


@pytest.mark.slow
def test_restore_killed_at_random_steps_leaves_the_old_store_or_the_new_one(
    demo_store: Store, tmp_path: Path, rng: Seeded
) -> None:
    from app.ops.cases import review_case
    from app.ops.data import backup

    # the archive: the demo with attachments; the current store: the demo with one more review
    _with_blobs(demo_store, 6, 300_000)
    archive = backup(demo_store, tmp_path / "backup.zip")
    demo_store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    restored_rows = fingerprint(demo_store.path)
    case_id = next(r.case.id for r in list_cases(demo_store, status=Status.PENDING) if r.urgency is Urgency.NORMAL)
    review_case(demo_store, case_id, ReviewResult.PASS, "恢复之前的最后一次审核")
    demo_store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    source = demo_store.path.parent
    demo_store.close()
    shutil.rmtree(source / "attachments")  # the archive brings them back
    old_rows = fingerprint(source / "zcws.sqlite3")

    def prepare(folder: Path) -> list[str | Path]:
        shutil.copytree(source, folder / "data")
        return [folder / "data" / "zcws.sqlite3", archive]

    for (db, _), lines, at, total in kill_points(RESTORER, prepare, tmp_path, rng, 6):
        where = f"killed at step {at} of {total} ({rng})"
        db = Path(db)
        assert integrity_ok(db), where
        now = fingerprint(db)
        if now not in (old_rows, restored_rows):
            TALLY.loss(f"restore: the store is neither the old one nor the backup, {where}")
        assert now in (old_rows, restored_rows), f"a mixture of the old and the restored store, {where}"
        if any(line.startswith("steps ") for line in lines):
            assert now == restored_rows, where
        # every attachment that looks whole is whole: its name is its content's hash
        for rel, digest in files(db.parent / "attachments").items():
            name = rel.rsplit("/", 1)[-1]
            assert name.endswith(".tmp") or name.split(".")[0] == digest, f"half-written {rel}, {where}"
        # and the officer simply restores again
        r = zcws("restore", archive, "--db", db, "--no-auto-backup", home=tmp_path / "home")
        assert r.returncode == 0, r.stderr
        assert fingerprint(db) == restored_rows, where


EXPORTER = textwrap.dedent(
    """
    import app.dispatch.export as e
    from app.ops.data import export_packages
    from app.store import Store
    for name, phase in (("_write_case", "cases"), ("write_listing", "listing"), ("_swap_in", "swap")):
        fn = getattr(e, name, None)
        if fn is not None:
            def wrapper(*args, _fn=fn, _phase=phase, **kwargs):
                mark(_phase)
                return _fn(*args, **kwargs)
            setattr(e, name, wrapper)
    store = Store(_sys.argv[1])
    armed()
    export_packages(store, _sys.argv[2], confirmed=True)  # the forms are scanned unsigned
    disarm()
    """
)


def _ready_cases(store: Store, folder: Path, n: int = 3) -> list[int]:
    """``n`` passed cases with their three attachments stored, as the officer brings them back."""
    from PIL import Image, ImageDraw

    from app.core.models import Slot
    from app.ops.forms import render_forms
    from app.ops.scan import attach_file, sort_inbox

    ids = [c.id for c in store.cases(status=Status.PASSED)][:n]
    render_forms(store, ids, folder / "表格")
    sort_inbox(store, [folder / "表格"], apply=True)
    notice = Image.new("L", (1240, 1754), 255)
    ImageDraw.Draw(notice).rectangle((100, 100, 1140, 300), outline=0, width=4)
    notice.save(folder / "公示证明.png")
    for case_id in ids:
        attach_file(store, case_id, Slot.PUBLICITY, folder / "公示证明.png")
    return ids


def _package(folder: Path) -> dict[str, str]:
    """The images of an export (the 一览表 carries its time, so it is checked apart)."""
    return {k: v for k, v in files(folder).items() if k.lower().endswith((".jpg", ".jpeg", ".png"))}


@pytest.mark.slow
def test_export_killed_at_random_steps_keeps_the_previous_export_and_leaves_no_half_package(
    demo_store: Store, tmp_path: Path, rng: Seeded
) -> None:
    from openpyxl import load_workbook

    from app.dispatch.export import recover
    from app.ops.data import export_packages

    ids = _ready_cases(demo_store, tmp_path / "扫描")
    first = export_packages(demo_store, tmp_path / "模板" / "送审包", ids, confirmed=True)
    assert sum(c.ready for c in first.cases) == len(ids)
    previous = _package(tmp_path / "模板" / "送审包")
    assert len(previous) == 3 * len(ids)
    demo_store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    source = demo_store.path.parent
    demo_store.close()

    def prepare(folder: Path) -> list[str | Path]:
        shutil.copytree(source, folder / "data")
        shutil.copytree(tmp_path / "模板", folder / "导出")
        return [folder / "data" / "zcws.sqlite3", folder / "导出" / "送审包"]

    for (_, target), _lines, at, total in kill_points(EXPORTER, prepare, tmp_path, rng, 6):
        where = f"killed at step {at} of {total} ({rng})"
        target = Path(target)
        recover(target)  # what the next export does first
        assert target.is_dir(), f"the previous export is gone, {where}"
        if _package(target) != previous:
            TALLY.loss(f"export: the package differs from the previous one, {where}")
        assert _package(target) == previous, f"a half package, {where}"
        listing = next(target.glob("*.xlsx"))
        load_workbook(listing, read_only=True).close()
        # nothing under the target's parent looks like a package but the package itself
        visible = [p.name for p in target.parent.iterdir() if not p.name.startswith(".")]
        assert visible == [target.name], f"{visible}, {where}"


ATTACHER = textwrap.dedent(
    """
    from app.core.models import Slot
    from app.ops.scan import attach_file
    from app.store import Store
    for name, phase in (("put_blob", "blob"), ("add_attachment", "row")):
        fn = getattr(Store, name)
        def wrapper(self, *args, _fn=fn, _phase=phase, **kwargs):
            mark(_phase)
            return _fn(self, *args, **kwargs)
        setattr(Store, name, wrapper)
    store = Store(_sys.argv[1])
    armed()
    attach_file(store, int(_sys.argv[2]), Slot.OPINION, _sys.argv[3])
    disarm()
    """
)


@pytest.mark.slow
def test_attach_killed_at_random_steps_stores_the_page_whole_or_not_at_all(
    demo_store: Store, tmp_path: Path, rng: Seeded
) -> None:
    from app.ops.forms import render_forms

    case_id = demo_store.cases(status=Status.PASSED)[0].id
    pdf = next(f.path for f in render_forms(demo_store, [case_id], tmp_path / "表格") if f.form.value == "opinion")
    demo_store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    source = demo_store.path.parent
    demo_store.close()

    def prepare(folder: Path) -> list[str | Path]:
        shutil.copytree(source, folder / "data")
        return [folder / "data" / "zcws.sqlite3", case_id, pdf]

    for (db, _, _), lines, at, total in kill_points(ATTACHER, prepare, tmp_path, rng, 5):
        where = f"killed at step {at} of {total} ({rng})"
        db = Path(db)
        assert integrity_ok(db), where
        with Store(db) as s:
            stored = s.attachments(case_id)
            if any(line.startswith("steps ") for line in lines) and not stored:
                TALLY.loss(f"attach: finished but not stored, {where}")
            assert stored or not any(line.startswith("steps ") for line in lines), where
            for a in stored:
                blob = s.blob_path(a.sha256, a.ext)
                assert blob.is_file(), f"an attachment without its file, {where}"
                assert files(blob.parent)[blob.name] == a.sha256, f"a half-written attachment, {where}"
