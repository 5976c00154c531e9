"""build.spec, run with stand-ins for PyInstaller's build steps: what goes into the bundle."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "build.spec"


class Recorder:
    """Stands in for PyInstaller's PYZ, EXE and COLLECT: keeps what it was given."""

    made: list[Recorder]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.args, self.kwargs = args, kwargs
        self.made.append(self)


# Windows layout of a PySide6 wheel, as PyInstaller's hooks collect it.
WINDOWS_BINARIES = [
    ("PySide6/QtCore.pyd", "QtCore.pyd", "EXTENSION"),
    ("PySide6/QtWidgets.pyd", "QtWidgets.pyd", "EXTENSION"),
    ("PySide6/Qt6Core.dll", "Qt6Core.dll", "BINARY"),
    ("PySide6/Qt6Gui.dll", "Qt6Gui.dll", "BINARY"),
    ("PySide6/Qt6Widgets.dll", "Qt6Widgets.dll", "BINARY"),
    ("PySide6/Qt6Pdf.dll", "Qt6Pdf.dll", "BINARY"),
    ("PySide6/Qt6Quick.dll", "Qt6Quick.dll", "BINARY"),
    ("PySide6/Qt6Qml.dll", "Qt6Qml.dll", "BINARY"),
    ("PySide6/Qt6VirtualKeyboard.dll", "Qt6VirtualKeyboard.dll", "BINARY"),
    ("PySide6/opengl32sw.dll", "opengl32sw.dll", "BINARY"),
    ("PySide6/plugins/platforms/qwindows.dll", "qwindows.dll", "BINARY"),
    ("PySide6/plugins/platforms/qoffscreen.dll", "qoffscreen.dll", "BINARY"),
    ("PySide6/plugins/imageformats/qjpeg.dll", "qjpeg.dll", "BINARY"),
    ("PySide6/plugins/imageformats/qpdf.dll", "qpdf.dll", "BINARY"),
    ("PySide6/plugins/platforminputcontexts/qtvirtualkeyboardplugin.dll", "qtvk.dll", "BINARY"),
    ("pypdfium2_raw/pdfium.dll", "pdfium.dll", "BINARY"),  # loaded by ctypes: nothing links it
]
LINKS = {
    "QtCore.pyd": ["Qt6Core.dll"],
    "QtWidgets.pyd": ["Qt6Widgets.dll", "Qt6Gui.dll", "Qt6Core.dll"],
    "Qt6Gui.dll": ["Qt6Core.dll"],
    "Qt6Widgets.dll": ["Qt6Gui.dll", "Qt6Core.dll"],
    "Qt6Pdf.dll": ["Qt6Core.dll"],
    "Qt6Quick.dll": ["Qt6Qml.dll", "Qt6Gui.dll"],
    "Qt6VirtualKeyboard.dll": ["Qt6Quick.dll", "Qt6Qml.dll"],
    "qwindows.dll": ["Qt6Gui.dll", "Qt6Core.dll"],
    "qoffscreen.dll": ["Qt6Gui.dll"],
    "qjpeg.dll": ["Qt6Gui.dll"],
    "qpdf.dll": ["Qt6Pdf.dll", "Qt6Gui.dll"],
    "qtvk.dll": ["Qt6VirtualKeyboard.dll", "Qt6Quick.dll"],
}
QT_DATAS = [
    ("PySide6/translations/qtbase_zh_CN.qm", "qtbase_zh_CN.qm", "DATA"),
    ("PySide6/translations/qtbase_de.qm", "qtbase_de.qm", "DATA"),
    ("PySide6/translations/qt_fr.qm", "qt_fr.qm", "DATA"),
]


class FakeAnalysis:
    def __init__(self, scripts: list[str], **kwargs: Any) -> None:
        self.kwargs = kwargs
        self.scripts = [("pyi_rth_pyside6", "hook.py", "PYSOURCE")] + [(Path(s).stem, s, "PYSOURCE") for s in scripts]
        self.binaries = list(WINDOWS_BINARIES)
        self.datas = [(dest, src, "DATA") for src, dest in kwargs["datas"]] + QT_DATAS
        self.pure: list = []


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    """The spec's namespace after a run with stand-ins (Windows-like binaries, no real build)."""
    import PyInstaller.depend.bindepend as bindepend
    import PyInstaller.utils.hooks as hooks

    mp = pytest.MonkeyPatch()
    mp.setattr(hooks, "collect_submodules", lambda package: [f"{package}.cli", f"{package}.ui.main_window"])
    mp.setattr(bindepend, "get_imports", lambda src: {(name, None) for name in LINKS.get(src, [])})
    made: list[Recorder] = []
    stand_ins = {name: type(name, (Recorder,), {"made": made}) for name in ("PYZ", "EXE", "COLLECT")}
    namespace: dict[str, Any] = {"SPECPATH": str(ROOT), "Analysis": FakeAnalysis, **stand_ins}
    try:
        exec(compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec"), namespace)
    finally:
        mp.undo()
    namespace["made"] = made
    return namespace


def executables(spec: dict[str, Any]) -> dict[str, Recorder]:
    return {r.kwargs["name"]: r for r in spec["made"] if type(r).__name__ == "EXE"}


def test_one_folder_holds_a_windowed_gui_and_a_console_cli(spec: dict[str, Any]) -> None:
    exes = executables(spec)
    assert set(exes) == {"zcws", "zcws-cli"}
    assert exes["zcws"].kwargs["console"] is False
    assert exes["zcws-cli"].kwargs["console"] is True
    for exe in exes.values():
        assert exe.kwargs["exclude_binaries"] is True and exe.kwargs["upx"] is False
    (collect,) = [r for r in spec["made"] if type(r).__name__ == "COLLECT"]
    assert collect.kwargs["name"] == "zcws"
    assert all(any(exe is arg for arg in collect.args) for exe in exes.values())


def test_each_executable_runs_its_own_entry_script_after_the_runtime_hooks(spec: dict[str, Any]) -> None:
    exes = executables(spec)
    gui = [entry[0] for entry in exes["zcws"].args[1]]
    cli = [entry[0] for entry in exes["zcws-cli"].args[1]]
    assert gui == ["pyi_rth_pyside6", "entry_gui"]
    assert cli == ["pyi_rth_pyside6", "entry_cli"]


def test_every_resource_file_is_bundled_where_the_resource_helper_looks(spec: dict[str, Any]) -> None:
    bundled = {
        (Path(src).name, Path(dest).as_posix())
        for src, dest in spec["a"].kwargs["datas"]
        if Path(dest).parts[0] == "resources"
    }
    on_disk = {
        (p.name, p.parent.relative_to(ROOT).as_posix())
        for p in (ROOT / "resources").rglob("*")
        if p.is_file() and not p.name.startswith(".")
    }
    assert on_disk, "resources/ is empty"
    assert bundled == on_disk


def test_a_resource_of_an_unlisted_kind_stops_the_build(
    spec: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "resources" / "icons").mkdir(parents=True)
    (tmp_path / "resources" / "icons" / "zcws.png").write_bytes(b"png")
    (tmp_path / "resources" / "templates").mkdir()
    (tmp_path / "resources" / "templates" / "notice.docx").write_bytes(b"docx")
    monkeypatch.setitem(spec, "ROOT", tmp_path)
    with pytest.raises(SystemExit, match=r"templates/notice\.docx"):
        spec["resource_datas"]()


def test_the_bundled_program_finds_the_guide_and_its_images(
    spec: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The data files laid out as the bundle has them; the guide helper, frozen, finds every chapter
    and every image a chapter shows."""
    import shutil

    from app.resources import guide_path
    from app.ui.guide import CONTENTS, DISPATCH, FAQ, QUEUE, REVIEW, START, chapters

    for src, dest in spec["a"].kwargs["datas"]:
        (tmp_path / dest).mkdir(parents=True, exist_ok=True)
        shutil.copy(src, tmp_path / dest)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert guide_path() == tmp_path / "docs" / "guide"
    shown = chapters()
    assert sorted(name for name, _title in shown) == sorted(p.name for p in (ROOT / "docs" / "guide").glob("*.md"))
    assert shown[0] == (CONTENTS, "职称网审助手 使用说明")
    assert {START, QUEUE, REVIEW, DISPATCH, FAQ} <= {name for name, _title in shown}
    images = 0
    for name, _title in shown:
        for link in re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", guide_path(name).read_text(encoding="utf-8")):
            assert (guide_path() / link).is_file(), f"{name}: {link}"
            images += 1
    assert images >= 10


def test_a_chapter_showing_a_missing_image_stops_the_build(
    spec: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "docs" / "guide").mkdir(parents=True)
    (tmp_path / "docs" / "guide" / "index.md").write_text(
        "# 说明\n\n![开始页](../screenshots/no.png)\n", encoding="utf-8"
    )
    monkeypatch.setitem(spec, "ROOT", tmp_path)
    with pytest.raises(SystemExit, match=r"index\.md: \.\./screenshots/no\.png"):
        spec["guide_datas"]()


def test_unused_qt_parts_are_left_out_and_the_needed_ones_kept(spec: dict[str, Any]) -> None:
    kept = {Path(dest).name for dest, _, _ in spec["a"].binaries}
    assert kept == {
        "QtCore.pyd",
        "QtWidgets.pyd",
        "Qt6Core.dll",
        "Qt6Gui.dll",
        "Qt6Widgets.dll",
        "qwindows.dll",
        "qoffscreen.dll",
        "qjpeg.dll",
        "pdfium.dll",
    }
    translations = {Path(dest).name for dest, _, _ in spec["a"].datas if dest.endswith(".qm")}
    assert translations == {"qtbase_zh_CN.qm"}


def test_no_qt_module_that_the_app_imports_is_excluded(spec: dict[str, Any]) -> None:
    used = {
        m
        for path in (ROOT / "app").rglob("*.py")
        for m in re.findall(r"PySide6\.(Qt\w+)", path.read_text(encoding="utf-8"))
    }
    assert used >= {"QtCore", "QtGui", "QtWidgets"}
    assert not used & set(spec["QT_EXCLUDES"]), "build.spec leaves out a Qt module that app/ imports"
    assert {f"PySide6.{m}" for m in spec["QT_EXCLUDES"]} <= set(spec["a"].kwargs["excludes"])
    assert "app.ui.main_window" in spec["a"].kwargs["hiddenimports"]


def test_the_cli_entry_script_runs_the_command_line() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "entry_cli.py"), "--version"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0, done.stderr
    from app import __version__

    assert done.stdout.strip() == f"zcws {__version__}"


def test_zbar_the_second_reader_is_bundled_where_pyinstaller_loads_it_from(spec: dict[str, Any]) -> None:
    binaries = spec["a"].kwargs["binaries"]
    assert any("zbar" in Path(src).name and dest == "." for src, dest in binaries), binaries
    assert all(Path(src).is_file() for src, _ in binaries)


def test_numpy_and_the_product_s_benchmarks_stay_out_of_the_bundle(spec: dict[str, Any]) -> None:
    """numpy (28 MB installed) is no dependency; sqlite-utils and Pillow would take it along if it were installed."""
    assert {"numpy", "pandas"} <= set(spec["a"].kwargs["excludes"])
    assert not any("bench" in name for name in spec["a"].kwargs["hiddenimports"])
