"""`zcws publicity …` as a script meets it: exit codes, one Chinese line on stderr, JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from app.cli import main
from tests.publicity.conftest import Setup

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def run(setup: Setup, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr("app.ops.cases.today", lambda: date(2025, 10, 20))
    db = str(setup.store.path)

    def call(*args: str) -> tuple[int, str, str]:
        code = main(["publicity", *args, "--db", db])
        out, err = capsys.readouterr()
        return code, out, err

    return call


def test_create_list_and_check(setup: Setup, run) -> None:
    a, b, c, _ = setup.cases
    code, out, err = run("create", "--case", str(a), "--case", str(b), "--start", "2025-09-29", "--place", "单位公示栏")
    assert code == 0, err
    assert out.strip() == "已建立公示 1：王建国、李芳，公示期 2025-09-29 至 2025-10-11（5 个工作日），地点：单位公示栏"
    code, out, err = run("create", "--case", str(c), "--start", "2025-10-13", "--end", "2025-10-15",
                         "--place", "单位内网", "--contact", "人事部 0714-6200000", "--json")  # fmt: skip
    assert code == 0
    assert err.strip() == "提醒：公示期 2025-10-13 至 2025-10-15（3 个工作日）不足 5 个工作日，至少应到 2025-10-17"
    created = json.loads(out)
    assert created["workdays"] == 3 and not created["enough"] and created["contact"] == "人事部 0714-6200000"
    assert created["cases"] == [{"case_id": c, "name": "张伟", "objections": ""}]

    code, out, _err = run("list", "--json")
    listed = json.loads(out)
    assert [p["id"] for p in listed] == [2, 1]
    assert listed[1]["state"] == "已结束" and listed[1]["earliest_end"] == "2025-10-11"
    code, out, _err = run("list")
    assert "1\t2025-09-29 至 2025-10-11（5 个工作日）\t单位公示栏\t已结束\t2\t王建国、李芳" in out

    code, out, _err = run("check", "--json")
    by_case = {r["case_id"]: r for r in json.loads(out)}
    assert by_case[a]["ok"] and by_case[a]["start"] == "2025-09-29" and by_case[a]["workdays"] == 5
    assert by_case[c]["problem"].startswith("张伟：公示期 2025-10-13 至 2025-10-15 只有 3 个工作日")
    assert by_case[setup.other_plan_case]["problem"] == "刘洋：没有公示记录，推荐前须公示不少于 5 个工作日"
    code, out, err = run("check", "--case", str(a))
    assert code == 0 and "公示已满 5 个工作日并结束" in out and "共 1 人，0 人的公示有问题" in err


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["create", "--case", "1", "--start", "2025-13-01", "--place", "x"], 2, "开始日期“2025-13-01”格式不对"),
        (["create", "--case", "1", "--case", "5", "--start", "2025-09-29", "--place", "x"], 2, "不同的评审计划"),
        (["create", "--case", "4", "--start", "2025-09-29", "--place", "x"], 1, "赵敏（办件 4）：状态为"),
        (["create", "--case", "1", "--start", "2031-03-03", "--place", "x"], 1, "无法确定 2031-03-03"),
        (["create", "--case", "99", "--start", "2025-09-29", "--place", "x"], 1, "没有编号为 99 的办件"),
        (["create", "--start", "2025-09-29", "--place", "x"], 2, "缺少必需的参数：--case"),
        (["notice", "7", "--out", "x.pdf"], 1, "没有编号为 7 的公示"),
        (["check", "--case", "abc"], 2, "无效的值"),
    ],
)
def test_errors_are_one_chinese_line(run, args: list[str], code: int, message: str) -> None:
    got, _out, err = run(*args)
    assert got == code
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_a_real_process_exits_2_on_a_bad_date(setup: Setup, tmp_path: Path) -> None:
    env = {**os.environ, "ZCWS_HOME": str(tmp_path), "PYTHONIOENCODING": "utf-8"}
    r = subprocess.run(
        [sys.executable, "-m", "app", "publicity", "create", "--case", "1", "--start", "29/09/2025",
         "--place", "单位公示栏", "--db", str(setup.store.path)],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=60, encoding="utf-8",
    )  # fmt: skip
    assert r.returncode == 2
    assert r.stderr == "开始日期“29/09/2025”格式不对。应为 年-月-日，例如 2025-09-29\n"


def test_a_year_the_library_does_not_know_is_entered_and_then_counted(run, tmp_path: Path) -> None:
    from app.core.workdays import LIBRARY

    nxt = LIBRARY.covered_years()[1] + 1
    code, out, err = run("calendar", "--json")
    assert code == 0 and json.loads(out)["last_year"] == nxt - 1
    bad = tmp_path / "bad.txt"
    bad.write_text(f"{nxt}-02-30 春节\n", encoding="utf-8")
    code, out, err = run("calendar", "--set", str(bad))
    assert code == 2 and "第 1 行" in err and "不存在" in err
    good = tmp_path / "安排.txt"
    good.write_text(f"{nxt}-01-01 元旦\n{nxt}-02-06 至 {nxt}-02-13 春节\n{nxt}-02-14 上班\n", encoding="utf-8-sig")
    code, out, err = run("calendar", "--set", str(good), "--json")
    assert code == 0 and json.loads(out) == {
        "first_year": LIBRARY.covered_years()[0],
        "last_year": nxt,
        "entered_years": [nxt],
    }
    code, out, err = run("calendar")
    assert code == 0 and f"{nxt} 年为手工填写" in out
