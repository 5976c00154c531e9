"""送审包 export: folders and names, the 一览表, re-checks, and atomic writing."""

from __future__ import annotations

import errno
import hashlib
import os
import random
import subprocess
import sys
import time
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.cli import main
from app.core.errors import StoreError
from app.core.models import Slot
from app.core.progress import Cancelled, CancelToken
from app.dispatch import export as mod
from app.dispatch.export import LISTING, MARKER, Check, case_folder_name, recover, write_packages
from app.ops.data import export_packages
from app.ops.dispatch import dispatch_rows
from app.store import Store
from tests.dispatch.conftest import attach_all, passed_ids

ROOT = Path(__file__).resolve().parents[2]
UPLOAD_NAMES = {"推荐单位公示证明.png", "单位考核表(盖章页).png", "单位审核意见表(盖章页).png"}


def ok(path: Path, case_id: int, slot: Slot) -> Check:
    return Check(True, "ok")


def export(store: Store, out: Path, **kw: object) -> mod.ExportResult:
    """The export with the self-check's re-read stood in by ``ok`` (tests of the writing itself)."""
    return write_packages(dispatch_rows(store), out, store.blob_path, kw.pop("verify", ok), **kw)  # type: ignore[arg-type]


def package(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_complete(folder: Path) -> None:
    """A whole package: the marker, the 一览表, and all three images in every case folder it lists."""
    import json

    marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    assert (folder / LISTING).is_file()
    for name in marker["folders"]:
        assert {p.name for p in (folder / name).iterdir()} == UPLOAD_NAMES


def test_each_ready_case_gets_its_three_images_and_the_listing_names_everyone(
    ready_store: Store, tmp_path: Path
) -> None:
    out = tmp_path / "送审包"
    result = export(ready_store, out)
    assert result.folder == out
    assert len(result.ready) == len(passed_ids(ready_store)) - 1 and len(result.not_ready) == 1
    missing = result.not_ready[0]
    assert missing.problem == f"{missing.case.name}：推荐单位公示证明、单位考核表、单位审核意见表未上传"
    for c in result.ready:
        assert c.folder == f"{c.number:03d}_{c.case.name}_{c.case.id_number[-4:]}"
        assert {p.name for p in (out / c.folder).iterdir()} == UPLOAD_NAMES
        for a in ready_store.attachments(c.case.id):
            written = out / c.folder / f"{a.slot.upload_name}.{a.ext}"
            assert hashlib.sha256(written.read_bytes()).hexdigest() == a.sha256
    assert not (out / (missing.folder or "none")).exists()

    sheet = openpyxl.load_workbook(out / LISTING).active
    assert sheet.freeze_panes == "A2"
    header = [c.value for c in sheet[1]]
    assert header[:9] == ["序号", "姓名", "证件号码", "系列", "专业", "申报职务", "推荐单位公示证明", "单位考核表",
                          "单位审核意见表"]  # fmt: skip
    rows = {r[1]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert len(rows) == len(result.cases)
    ready_col, problem_col = header.index("是否就绪"), header.index("问题及处理")
    assert rows[missing.case.name][ready_col] == "否" and "未上传" in rows[missing.case.name][problem_col]
    assert rows[missing.case.name][6] == "× 未上传"
    assert rows[result.ready[0].case.name][ready_col] == "是"
    assert rows[result.ready[0].case.name][6].startswith("√")
    assert "*" in rows[missing.case.name][2]  # the ID is masked in a file that travels
    assert sheet.column_dimensions["B"].width >= 6 and sheet.column_dimensions["L"].width >= 20


def test_the_real_self_check_runs_on_every_written_image(ready_store: Store, tmp_path: Path) -> None:
    case_id = passed_ids(ready_store)[0]
    # the opinion stored for this case is a form of another applicant: the re-check must catch it
    other = passed_ids(ready_store)[1]
    a = {x.slot: x for x in ready_store.attachments(other)}[Slot.OPINION]
    ready_store.add_attachment(case_id, Slot.OPINION, ready_store.blob_path(a.sha256, a.ext).read_bytes(), a.ext,
                               "别人的.png", "ok", revision=ready_store.case(case_id).revision)  # fmt: skip
    result = export_packages(ready_store, tmp_path / "out")
    bad = next(c for c in result.cases if c.case.id == case_id)
    assert not bad.ready and bad.folder is None
    assert "单位审核意见表重新检查未通过" in (bad.problem or "")
    assert all(c.ready for c in result.cases if c.case.id != case_id and c.problem is None)
    assert len(result.ready) == len(passed_ids(ready_store)) - 2


def test_names_are_safe_on_windows_and_namesakes_do_not_collide(ready_store: Store, tmp_path: Path) -> None:
    ids = passed_ids(ready_store)
    hostile = ["CON", "张三", "张三", 'a<b>c:d"e/f\\g|h?i*j', "王五. . ", "𠀀𪚥龘" * 20, "aux.txt", "COM1"]
    for case_id, name in zip(ids, hostile, strict=False):
        ready_store.update_case(case_id, name=name)
    for case_id in ids[-1:]:
        attach_all(ready_store, case_id)
    result = export(ready_store, tmp_path / "out")
    folders = [c.folder for c in result.cases]
    assert all(folders) and len(set(folders)) == len(folders)
    for folder in folders:
        assert folder is not None
        assert not set('<>:"/\\|?*') & set(folder)
        assert folder == folder.rstrip(". ")
        assert folder.split(".")[0].split("_")[0].upper() not in ("CON", "AUX", "NUL", "COM1")
        assert len(folder.encode("utf-16-le")) // 2 <= 60
    assert folders[1].startswith("002_张三_") and folders[2].startswith("003_张三_")
    assert folders[5].startswith("006_𠀀𪚥龘")


def test_case_folder_name_of_reserved_and_empty_names() -> None:
    from app.core.models import Case
    from app.core.review import Status

    base = Case(1, 1, "b", "u", "CON", "420202197501010011", "s", "p", "x", date(2025, 1, 1), Status.PASSED, 1)
    assert case_folder_name(1, base) == "001_CON_0011"  # the 序号 in front keeps CON from being the name
    assert case_folder_name(2, replace(base, name="...")) == "002_未命名_0011"
    assert case_folder_name(3, replace(base, name="nul")) == "003_nul_0011"


def test_out_may_be_new_empty_ours_or_someone_elses_folder(ready_store: Store, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert export(ready_store, empty).folder == empty
    first = package(empty)
    attach_all(ready_store, passed_ids(ready_store)[-1])
    again = export(ready_store, empty)  # an earlier export of ours is replaced as a whole
    assert again.folder == empty and len(again.not_ready) == 0
    assert package(empty) != first
    assert_complete(empty)

    desktop = tmp_path / "desktop"
    desktop.mkdir()
    (desktop / "工作笔记.txt").write_text("别动我", encoding="utf-8")
    result = export(ready_store, desktop, make_zip=True)
    assert result.folder.parent == desktop and result.folder.name.startswith("送审包_")
    assert (desktop / "工作笔记.txt").read_text(encoding="utf-8") == "别动我"
    assert result.zip_path == desktop / f"{result.folder.name}.zip"
    with zipfile.ZipFile(result.zip_path) as zf:
        names = zf.namelist()
    assert f"{result.folder.name}/{LISTING}" in names
    assert sum(n.endswith("单位考核表(盖章页).png") for n in names) == len(result.ready)

    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(Exception, match="是一个文件"):
        export(ready_store, tmp_path / "file.txt")


def test_a_failure_in_the_middle_leaves_the_previous_export_and_no_half_package(
    ready_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    export(ready_store, out)
    before = package(out)
    real, calls = mod._copy, []

    def full_disk(source: Path, dest: Path) -> str:
        calls.append(dest)
        if len(calls) == 7:
            raise OSError(errno.ENOSPC, "No space left on device", str(dest))
        return real(source, dest)

    monkeypatch.setattr(mod, "_copy", full_disk)
    with pytest.raises(StoreError, match="磁盘空间不足"):
        export(ready_store, out)
    assert package(out) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []

    def read_only(*args: object, **kw: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(out))

    monkeypatch.setattr(mod, "_copy", real)
    monkeypatch.setattr(mod, "_swap_in", read_only)
    with pytest.raises(StoreError, match="没有写入权限"):
        export(ready_store, out)
    assert package(out) == before


def test_killed_between_the_two_renames_the_previous_export_comes_back(
    ready_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    export(ready_store, out)
    before = package(out)
    real = os.replace

    def die_after_setting_aside(src: object, dst: object) -> None:
        real(src, dst)  # type: ignore[arg-type]
        if Path(str(src)) == out:
            raise KeyboardInterrupt  # stands for the kill: nothing after this line runs

    monkeypatch.setattr(mod.os, "replace", die_after_setting_aside)
    with pytest.raises(KeyboardInterrupt):
        export(ready_store, out)
    monkeypatch.setattr(mod.os, "replace", real)
    assert not out.exists()
    recover(out)  # what the next export does first
    assert package(out) == before
    assert [p for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_cancelled_export_writes_nothing(ready_store: Store, tmp_path: Path) -> None:
    token = CancelToken()

    def progress(done: int, total: int, text: str) -> None:
        if done == 2:
            token.cancel()

    with pytest.raises(Cancelled):
        export(ready_store, tmp_path / "out", progress=progress, token=token)
    assert not (tmp_path / "out").exists()
    assert [p for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_damaged_or_lost_stored_file_makes_the_case_not_ready(ready_store: Store, tmp_path: Path) -> None:
    first, second = passed_ids(ready_store)[:2]
    a = ready_store.attachments(first)[0]
    ready_store.blob_path(a.sha256, a.ext).write_bytes(b"damaged")
    b = ready_store.attachments(second)[1]
    ready_store.blob_path(b.sha256, b.ext).unlink()
    result = export(ready_store, tmp_path / "out")
    problems = {c.case.id: c.problem for c in result.not_ready}
    assert "文件已损坏" in (problems[first] or "") and "找不到" in (problems[second] or "")
    assert not any(c.folder for c in result.not_ready)


def test_nothing_to_export_is_a_clear_message(store: Store, tmp_path: Path) -> None:
    with pytest.raises(Exception, match="没有待送审的办件"):
        export(store, tmp_path / "out")


KILLER = """
import sys
from pathlib import Path
from app.dispatch.export import Check, write_packages
from app.ops.dispatch import dispatch_rows
from app.store import Store

store = Store(sys.argv[1])
rows = dispatch_rows(store)
print("ready", flush=True)
for _ in range(1000):
    write_packages(rows, Path(sys.argv[2]), store.blob_path, lambda p, c, s: Check(True, "ok"))
"""


def test_a_kill_at_a_random_point_leaves_a_whole_export(ready_store: Store, tmp_path: Path) -> None:
    out = tmp_path / "out"
    export(ready_store, out)
    previous = package(out)
    path = ready_store.path
    ready_store.close()
    rng = random.Random(11)
    for _ in range(int(os.environ.get("ZCWS_KILL_ROUNDS", "6"))):
        proc = subprocess.Popen([sys.executable, "-c", KILLER, str(path), str(out)], cwd=ROOT, stdout=subprocess.PIPE)
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == b"ready"
        time.sleep(rng.uniform(0.0, 0.5))
        proc.kill()
        proc.wait()
        proc.stdout.close()
        if not out.exists():
            recover(out)  # killed between the two renames: the previous export comes back
        assert_complete(out)
        current = package(out)
        assert {k for k in current if k != MARKER} == {k for k in previous if k != MARKER}
        for name, data in current.items():
            if name.endswith(".png"):
                assert data == previous[name]
    recover(out)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []


def test_cli_export(ready_store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ready_store.close()
    with Store(ready_store.path) as s:
        first = passed_ids(s)[0]
    out = tmp_path / "pkg"
    assert main(["export", "--out", str(out), "--case", str(first), "--db", str(ready_store.path)]) == 0
    text = capsys.readouterr().out
    assert "就绪" in text and f"一览表：{out / LISTING}" in text
    assert len([p for p in out.iterdir() if p.is_dir()]) == 1


def test_a_case_that_has_not_passed_is_listed_but_never_packaged(ready_store: Store, tmp_path: Path) -> None:
    from app.core.review import Status

    pending = next(c for c in ready_store.cases(status=Status.PENDING))
    attach_all(ready_store, pending.id)
    passed = passed_ids(ready_store)[0]
    result = export_packages(ready_store, tmp_path / "out", [pending.id, passed])
    assert [c.case.id for c in result.ready] == [passed]
    assert result.not_ready[0].problem == f"{pending.name}：状态为“待审核”，只有审核通过的办件才能导出送审包"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(min_size=0, max_size=80))
def test_any_name_gives_a_folder_that_can_be_made(tmp_path: Path, name: str) -> None:
    from app.core.models import Case
    from app.core.review import Status

    case = Case(1, 1, "b", "u", name, "42020219750101001X", "s", "p", "x", date(2025, 1, 1), Status.PASSED, 1)
    folder = case_folder_name(7, case)
    assert folder.startswith("007_") and folder.endswith("_001X")
    assert not set('<>:"/\\|?*') & set(folder) and all(ord(ch) >= 32 for ch in folder)
    assert folder == folder.rstrip(". ") and len(folder.encode("utf-16-le", "surrogatepass")) // 2 <= 60
    made = tmp_path / "names" / folder
    made.mkdir(parents=True, exist_ok=True)
    assert made.is_dir()
