"""The command line as a user (or a script) meets it: real processes, exit codes, JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def zcws(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ZCWS_HOME": str(home), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True, cwd=ROOT, env=env,
                          timeout=60, encoding="utf-8")  # fmt: skip


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    home = tmp_path_factory.mktemp("home")
    db = home / "cli.sqlite3"
    r = zcws("demo", "--db", str(db), home=home)
    assert r.returncode == 0, r.stderr
    assert "42 个办件" in r.stdout
    return home, db


def _cases(home: Path, db: Path, *extra: str) -> list[dict]:
    r = zcws("cases", "--json", "--db", str(db), *extra, home=home)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_cases_json_has_the_spec_fields_and_masks_ids(demo_db: tuple[Path, Path]) -> None:
    home, db = demo_db
    rows = _cases(home, db)
    assert {"id", "name", "id_number", "plan", "series", "specialty", "status", "urgency", "revision"} <= set(rows[0])
    assert all("*" in r["id_number"] for r in rows)
    full = _cases(home, db, "--full")
    assert all(len(r["id_number"]) == 18 and "*" not in r["id_number"] for r in full)


def test_filters_accept_keys_and_chinese(demo_db: tuple[Path, Path]) -> None:
    home, db = demo_db
    assert {r["status"] for r in _cases(home, db, "--status", "returned")} == {"returned"}
    assert {r["urgency"] for r in _cases(home, db, "--urgency", "紧急")} == {"critical"}


def test_review_return_flow_and_show(demo_db: tuple[Path, Path]) -> None:
    home, db = demo_db
    case = next(r for r in _cases(home, db, "--status", "pending", "--urgency", "normal"))
    r = zcws("review", str(case["id"]), "--result", "return", "--opinion", "请修改", "--return", "基本信息=电话有误",
             "--return", "work=缺验收证明", "--db", str(db), home=home)  # fmt: skip
    assert r.returncode == 0 and "审核退回成功" in r.stdout, r.stderr
    r = zcws("resubmit", str(case["id"]), "--set", "移动电话=13900002222", "--db", str(db), home=home)
    assert r.returncode == 0 and "流程版本升至 2" in r.stdout, r.stderr
    shown = json.loads(zcws("show", str(case["id"]), "--json", "--db", str(db), home=home).stdout)
    assert shown["revision"] == 2 and shown["status"] == "pending"
    assert shown["reviews"][-1]["returns"] == {"basic": "电话有误", "work": "缺验收证明"}
    text = zcws("show", str(case["id"]), "--db", str(db), home=home).stdout
    assert "著作信息" in text and "【审核进度】" in text and "电话有误" in text


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (("review", "1", "--result", "maybe", "--opinion", "x"), 2, "未知的审核结果"),
        (("review", "1", "--opinion", "x"), 2, "缺少必需的参数"),
        (("review", "99999", "--result", "pass", "--opinion", "x"), 1, "没有编号为 99999 的办件"),
        (("review", "1", "--result", "return", "--opinion", "x", "--return", "basic="), 1, "未填写退回原因"),
        (("cases", "--status", "lost"), 2, "未知的办件状态"),
        (("nonsense",), 2, "命令用法错误"),
        (("resubmit", "1", "--set", "noequals"), 2, "格式不对"),
    ],
)
def test_errors_are_one_chinese_line_with_the_right_exit_code(
    demo_db: tuple[Path, Path], args: tuple[str, ...], code: int, words: str
) -> None:
    home, db = demo_db
    before = _cases(home, db, "--full")
    r = zcws(*args, "--db", str(db), home=home)
    assert r.returncode == code, (r.stdout, r.stderr)
    assert words in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert "Traceback" not in r.stderr
    assert _cases(home, db, "--full") == before  # nothing changed


def test_a_store_that_is_not_a_database_is_refused_without_traceback(tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"\x00garbage" * 500)
    r = zcws("cases", "--db", str(junk), home=tmp_path)
    assert r.returncode == 1 and "已损坏" in r.stderr and "Traceback" not in r.stderr
    assert junk.read_bytes() == b"\x00garbage" * 500


def test_help_is_chinese_and_lists_every_spec_command(tmp_path: Path) -> None:
    r = zcws("--help", home=tmp_path)
    assert r.returncode == 0
    for command in ("demo", "cases", "show", "review", "resubmit", "forms", "check", "sort", "attach", "import",
                    "export", "backup", "restore"):  # fmt: skip
        assert command in r.stdout
    assert "主窗口" in r.stdout


def test_demo_store_is_kept_apart_from_real_data(tmp_path: Path) -> None:
    r = zcws("demo", home=tmp_path)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "demo" / "zcws.sqlite3").exists()
    assert not (tmp_path / "zcws.sqlite3").exists()
    again = zcws("demo", home=tmp_path)
    assert again.returncode == 2 and "--reset" in again.stderr
    assert zcws("demo", "--reset", home=tmp_path).returncode == 0


def test_a_closed_pipe_is_not_an_internal_error(demo_db: tuple[Path, Path]) -> None:
    home, db = demo_db
    env = {**os.environ, "ZCWS_HOME": str(home)}
    cmd = f'"{sys.executable}" -m app cases --db "{db}" | head -1'
    r = subprocess.run(cmd, shell=True, capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)
    assert "编号" in r.stdout
    assert "内部错误" not in r.stderr and "Traceback" not in r.stderr


def test_position_fills_in_what_the_portals_list_lacks(demo_db: tuple[Path, Path]) -> None:
    home, db = demo_db
    case = _cases(home, db, "--status", "pending")[0]
    r = zcws("position", str(case["id"]), "主治医师", "--db", str(db), home=home)
    assert r.returncode == 0 and "主治医师" in r.stdout, r.stderr
    r = zcws("position", str(case["id"]), " ", "--db", str(db), home=home)
    assert r.returncode == 2 and "申报职务不能为空" in r.stderr
