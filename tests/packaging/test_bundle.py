"""The bundled executables of dist/zcws/ (or of ``ZCWS_BUNDLE``), run as an officer would.

Building takes a minute, so these tests use the bundle that ``scripts/build_bundle.sh`` made and
skip without one. The Windows CI points ``ZCWS_BUNDLE`` at the installed program; the wine proof
of the Windows build is ``scripts/build_windows.sh``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = Path(os.environ.get("ZCWS_BUNDLE") or ROOT / "dist" / "zcws")
EXE = ".exe" if sys.platform == "win32" else ""
CLI = BUNDLE / f"zcws-cli{EXE}"
GUI = BUNDLE / f"zcws{EXE}"

pytestmark = pytest.mark.skipif(not CLI.exists(), reason=f"no bundle at {CLI}: build it with scripts/build_bundle.sh")


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "ZCWS_HOME": str(tmp_path / "home"), "QT_QPA_PLATFORM": "offscreen"}


def run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CLI), *args], capture_output=True, text=True, encoding="utf-8", env=env, cwd=cwd, timeout=120
    )


def test_bundle_holds_the_resources_and_qt_chinese(tmp_path: Path) -> None:
    internal = BUNDLE / "_internal"
    for path in (ROOT / "resources").rglob("*"):
        if path.is_file() and not path.name.startswith("."):
            assert (internal / path.relative_to(ROOT)).is_file(), path
    for chapter in (ROOT / "docs" / "guide").glob("*.md"):
        assert (internal / "docs" / "guide" / chapter.name).is_file(), chapter
    assert list(internal.rglob("qtbase_zh_CN.qm"))
    assert not list(internal.rglob("qtbase_de.qm"))


def test_cli_demo_cases_forms_check(env: dict[str, str], tmp_path: Path) -> None:
    db = tmp_path / "demo.sqlite3"
    done = run(["demo", "--db", str(db)], env, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "演示数据" in done.stdout

    done = run(["cases", "--json", "--db", str(db)], env, tmp_path)
    cases = json.loads(done.stdout)
    assert len(cases) > 10 and {"id", "name", "status", "urgency"} <= set(cases[0])

    done = run(["forms", "--case", str(cases[0]["id"]), "--out", "forms", "--json", "--db", str(db)], env, tmp_path)
    assert done.returncode == 0, done.stderr
    forms = json.loads(done.stdout)
    assert {f["form"] for f in forms} == {"opinion", "appraisal"}
    pdf = tmp_path / forms[0]["path"]
    assert pdf.read_bytes()[:5] == b"%PDF-"

    done = run(["check", str(pdf), "--json", "--db", str(db)], env, tmp_path)
    assert done.returncode == 0, done.stderr
    (page,) = json.loads(done.stdout)
    # the bundled pdfium turned the page into an image and the bundled zxing-cpp read our code
    assert page["verdict"] == "not_image" and page["converted_verdict"] == "ok"
    assert page["case_id"] == cases[0]["id"]


def test_cli_usage_error_is_one_chinese_line(env: dict[str, str], tmp_path: Path) -> None:
    done = run(["cases", "--no-such-option"], env, tmp_path)
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr and "无法识别的参数" in done.stderr


def test_gui_opens_and_stays_up(env: dict[str, str], tmp_path: Path) -> None:
    gui = subprocess.Popen(
        [str(GUI), "--demo"], env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        time.sleep(4)
        alive = gui.poll() is None
    finally:
        gui.terminate()
        _, err = gui.communicate(timeout=30)
    assert alive, f"the GUI quit at once (exit {gui.returncode}): {err}"
    assert "Traceback" not in err
    assert (tmp_path / "home" / "demo").is_dir(), "the GUI did not open its demo store"
