"""Every entry point meets bad input with a clear Chinese message and the store unchanged.

Check, sort and attach get empty, truncated, encrypted, wrong-type, huge and bomb files
and good forms under odd names; import gets broken spreadsheets; restore gets broken,
foreign, altered and path-escaping archives; the targets are read-only folders.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from app.core.errors import ZcwsError
from app.core.models import Slot
from app.core.review import Status
from app.store import Store
from tests.robustness.conftest import files, fingerprint, zcws
from tests.robustness.corpus import import_corpus, odd_names, restore_corpus, scan_corpus
from tests.robustness.inputs import make_spreadsheet
from tests.robustness.tally import Tally

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _state(store: Store) -> tuple[dict, dict]:
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return fingerprint(store.path), files(store.attachments_dir)


def _clear(text: str) -> bool:
    return bool(text and CHINESE.search(text) and "Traceback" not in text)


@pytest.fixture
def form_files(demo_store: Store, tmp_path: Path) -> tuple[int, Path, Path]:
    """A passed case, its rendered 单位审核意见表 as PDF, and the same page as a 200-DPI PNG."""
    import pypdfium2

    from app.ops.forms import render_forms

    case = demo_store.cases(status=Status.PASSED)[0]
    form = next(f for f in render_forms(demo_store, [case.id], tmp_path / "表格") if f.form.value == "opinion")
    pdf = pypdfium2.PdfDocument(str(form.path))
    try:
        png = tmp_path / "表格" / "意见表.png"
        pdf[0].render(scale=200 / 72).to_pil().save(png)
    finally:
        pdf.close()
    return case.id, Path(form.path), png


def test_check_gives_every_bad_file_a_clear_verdict(
    demo_store: Store, form_files: tuple[int, Path, Path], tmp_path: Path, tally: Tally
) -> None:
    from app.ops.scan import check_files

    case_id, pdf, png = form_files
    before = _state(demo_store)
    for name, path in scan_corpus(tmp_path / "坏文件", pdf, png).items():
        tally.input()
        results = check_files(demo_store, [path], case_id, Slot.OPINION)
        assert results, name
        for r in results:
            assert r.final.value != "ok", name
            assert _clear(r.message), f"{name}: {r.message!r}"
    assert _state(demo_store) == before


def test_attach_refuses_every_bad_file_and_keeps_the_store(
    demo_store: Store, form_files: tuple[int, Path, Path], tmp_path: Path, tally: Tally
) -> None:
    from app.ops.scan import attach_file

    case_id, pdf, png = form_files
    before = _state(demo_store)
    for name, path in scan_corpus(tmp_path / "坏文件", pdf, png).items():
        tally.input()
        with pytest.raises(ZcwsError) as err:
            attach_file(demo_store, case_id, Slot.OPINION, path)
        assert _clear(err.value.message), f"{name}: {err.value.message!r}"
        assert _state(demo_store) == before, name
    # a good form is taken whatever its name
    for path in odd_names(tmp_path / "怪名字", pdf):
        tally.input()
        result = attach_file(demo_store, case_id, Slot.OPINION, path)
        assert result.ok, f"{path.name}: {result.message}"
    assert demo_store.attachments(case_id)


def test_the_command_line_check_sort_and_attach_never_crash_on_the_corpus(
    demo_store: Store, form_files: tuple[int, Path, Path], tmp_path: Path, tally: Tally
) -> None:
    case_id, pdf, png = form_files
    db = demo_store.path
    before = _state(demo_store)
    demo_store.close()
    home = tmp_path / "home"
    corpus = scan_corpus(tmp_path / "收件箱", pdf, png)
    tally.input(len(corpus))
    r = zcws("check", *corpus.values(), "--json", "--db", db, home=home)
    assert r.returncode == 0, r.stderr
    pages = json.loads(r.stdout)
    assert {Path(p["file"]).name for p in pages} == set(corpus)
    assert all(p["verdict"] != "ok" and _clear(p["message"]) for p in pages)
    r = zcws("sort", tmp_path / "收件箱", "--json", "--apply", "--db", db, home=home)
    assert r.returncode == 0, r.stderr
    sorted_ = json.loads(r.stdout)
    assert not sorted_["placed"]
    # a folder is read for images and PDFs by name; the rest of it is not the officer's scans
    assert len(sorted_["unplaced"]) >= len([n for n in corpus if not n.endswith(".docx")])
    for name in ("加密的扫描件.pdf", "截断的扫描件.pdf", "超大文件.tif"):
        r = zcws("attach", str(case_id), "opinion", corpus[name], "--db", db, home=home)
        assert r.returncode == 1, name
        assert len(r.stderr.strip().splitlines()) == 1 and _clear(r.stderr), r.stderr
    with Store(db) as s:
        assert _state(s) == before


def test_import_refuses_bad_spreadsheets_and_writes_nothing(demo_store: Store, tmp_path: Path, tally: Tally) -> None:
    from app.ops.data import apply_import, preview_import

    plan = demo_store.plans()[0]
    good = make_spreadsheet(tmp_path / "好表格.xlsx", 20)
    before = _state(demo_store)
    for name, path in import_corpus(tmp_path / "坏表格", good).items():
        tally.input()
        try:
            preview = preview_import(demo_store, path, plan.id)
        except ZcwsError as exc:
            assert _clear(exc.message), f"{name}: {exc.message!r}"
            continue
        assert not preview.rows, f"{name}: {len(preview.rows)} rows would be written"
        apply_import(demo_store, preview)
        assert _state(demo_store) == before, name
    assert _state(demo_store) == before
    db = demo_store.path
    demo_store.close()
    r = zcws("import", tmp_path / "坏表格" / "截断的表格.xlsx", "--plan", str(plan.id), "--db", db, home=tmp_path / "h")
    assert r.returncode in (1, 2) and len(r.stderr.strip().splitlines()) == 1 and _clear(r.stderr), r.stderr


def test_restore_refuses_bad_archives_and_keeps_the_store(demo_store: Store, tmp_path: Path, tally: Tally) -> None:
    from app.ops.data import backup, restore

    good = backup(demo_store, tmp_path / "好备份.zip")
    db = demo_store.path
    before = _state(demo_store)
    demo_store.close()
    for name, path in restore_corpus(tmp_path / "坏备份", good).items():
        tally.input()
        with pytest.raises(ZcwsError) as err:
            restore(db, path)
        assert _clear(err.value.message), f"{name}: {err.value.message!r}"
        with Store(db) as s:
            assert _state(s) == before, name
    assert not (db.parent.parent / "zcws.sqlite3").exists()


def _read_only_folder(path: Path) -> Path:
    path.mkdir(parents=True)
    path.chmod(0o500)
    probe = path / ".probe"
    try:
        probe.write_bytes(b"")
    except OSError:
        return path
    probe.unlink()
    path.chmod(0o700)
    pytest.skip("running as root (as CI does): a read-only folder does not stop writes here")


def test_read_only_target_folders_give_a_clear_message(
    demo_store: Store, tmp_path: Path, tally: Tally
) -> None:  # pragma: no cover - skipped as root
    target = _read_only_folder(tmp_path / "只读")
    db = demo_store.path
    before = _state(demo_store)
    demo_store.close()
    try:
        for args in (("forms", "--all", "--out", target / "表格"), ("export", "--out", target / "送审包", "--yes"),
                     ("backup", target / "备份.zip")):  # fmt: skip
            tally.input()
            r = zcws(*args, "--db", db, home=tmp_path / "home")
            assert r.returncode == 1, args
            assert len(r.stderr.strip().splitlines()) == 1 and _clear(r.stderr), r.stderr
    finally:
        os.chmod(target, 0o700)
    with Store(db) as s:
        assert _state(s) == before


def _full_disk(limit: int) -> Callable[[], None]:
    """For a child process: every file it writes stops growing at ``limit`` bytes, as on a full disk."""

    def apply() -> None:
        import resource
        import signal

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails with EFBIG instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_a_full_disk_gives_a_clear_message_and_leaves_no_half_file(
    demo_store: Store, tmp_path: Path, tally: Tally
) -> None:
    from tests.robustness.conftest import ROOT, env
    from tests.robustness.test_kills import _ready_cases

    ids = _ready_cases(demo_store, tmp_path / "扫描", 2)
    db = demo_store.path
    before = _state(demo_store)
    demo_store.close()
    out = tmp_path / "U盘"
    out.mkdir()
    for args in (("export", "--out", out / "送审包", *[f"--case={i}" for i in ids], "--yes"), ("backup", out / "备份.zip"),
                 ("forms", "--all", "--out", out / "表格")):  # fmt: skip
        tally.input()
        r = subprocess.run([sys.executable, "-m", "app", *map(str, args), "--db", str(db)], cwd=ROOT,
                           env=env(tmp_path / "home"), capture_output=True, text=True, encoding="utf-8", timeout=120,
                           preexec_fn=_full_disk(48 * 1024))  # fmt: skip
        assert r.returncode == 1, f"{args[0]}: {r.returncode} {r.stdout[-300:]}"
        assert len(r.stderr.strip().splitlines()) == 1 and _clear(r.stderr), f"{args[0]}: {r.stderr}"
        visible = [p.relative_to(out).as_posix() for p in out.rglob("*") if not p.name.startswith(".")]
        assert not visible, f"{args[0]} left {visible}"
    with Store(db) as s:
        assert _state(s) == before
