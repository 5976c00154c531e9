"""installer/zcws.nsi: the pieces an officer without admin rights relies on, and that it compiles."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
INSTALLER = ROOT / "installer"
NSI = (INSTALLER / "zcws.nsi").read_text(encoding="utf-8")


def sections(text: str) -> dict[str, str]:
    """Section name → body, for the installer's and the uninstaller's sections."""
    return {m[1]: m[2] for m in re.finditer(r'^Section (?:/o )?"([^"]+)"[^\n]*\n(.*?)^SectionEnd', text, re.M | re.S)}


def test_installs_per_user_without_admin_rights() -> None:
    assert re.search(r"^RequestExecutionLevel user$", NSI, re.M)
    assert re.search(r'^InstallDir "\$LOCALAPPDATA\\Programs\\\$\{APP\}"$', NSI, re.M)
    assert '!define APP "zcws"' in NSI
    # everything registered under the user's own hive: nothing that would need admin rights
    assert "HKLM" not in NSI
    assert re.search(r'^InstallDirRegKey HKCU "\$\{UNINSTALL_KEY\}" "InstallLocation"$', NSI, re.M)


def test_version_is_in_the_installer_file_name() -> None:
    assert re.search(r'!define OUTFILE "[^"]*zcws-setup-\$\{VERSION\}\.exe"', NSI)
    for script in ("build_bundle.sh", "build_windows.sh"):
        assert "zcws-setup-$version" in (ROOT / "scripts" / script).read_text(encoding="utf-8")


def test_shortcuts_in_start_menu_and_on_desktop() -> None:
    body = sections(NSI)
    assert 'CreateShortcut "$SMPROGRAMS\\${TITLE}\\${TITLE}.lnk" "$INSTDIR\\${APP}.exe"' in body["$(SecStartMenuName)"]
    assert 'CreateShortcut "$DESKTOP\\${TITLE}.lnk" "$INSTDIR\\${APP}.exe"' in body["$(SecDesktopName)"]
    # 使用说明: the program shows its own guide (--guide), and the uninstaller takes the shortcut away
    guide = 'CreateShortcut "$SMPROGRAMS\\${TITLE}\\$(GuideShortcut).lnk" "$INSTDIR\\${APP}.exe" "--guide"'
    assert guide in body["$(SecStartMenuName)"]
    assert 'Delete "$SMPROGRAMS\\${TITLE}\\$(GuideShortcut).lnk"' in body["un.$(UnSecProgramName)"]
    assert "SetShellVarContext current" in NSI


def test_upgrade_replaces_program_files_in_place() -> None:
    core = sections(NSI)["$(SecCoreName)"]
    assert core.index('RMDir /r "$INSTDIR\\_internal"') < core.index('File /r "${BUNDLE}\\*"')
    assert "DATA_DIR" not in core and "$APPDATA" not in core


def test_uninstaller_keeps_the_data_unless_asked() -> None:
    body = sections(NSI)
    program = body["un.$(UnSecProgramName)"]
    assert "DATA_DIR" not in program and "$APPDATA" not in program
    # never a recursive delete of the install folder: it may be one the officer chose by hand
    assert 'RMDir /r "$INSTDIR"' not in NSI
    assert 'RMDir "$INSTDIR"' in program
    data = body["un.$(UnSecDataName)"]
    assert 'Section /o "un.$(UnSecDataName)"' in NSI, "deleting data must be off by default"
    assert 'RMDir /r "${DATA_DIR}"' in data and "MB_DEFBUTTON2" in data
    assert '!define DATA_DIR "$APPDATA\\${APP}"' in NSI
    assert '"/DELETEDATA"' in NSI


def test_every_text_exists_in_chinese_and_english() -> None:
    used = set(re.findall(r"\$\((\w+)\)", NSI))
    defined = {}
    for name, lang in (("strings_zh_CN.nsh", "LANG_SIMPCHINESE"), ("strings_en.nsh", "LANG_ENGLISH")):
        text = (INSTALLER / name).read_text(encoding="utf-8")
        defined[lang] = set(re.findall(rf"^LangString (\w+) \$\{{{lang}\}} ", text, re.M))
        assert f'!include "{name}"' in NSI
    assert defined["LANG_SIMPCHINESE"] == defined["LANG_ENGLISH"]
    assert used <= defined["LANG_SIMPCHINESE"], used - defined["LANG_SIMPCHINESE"]
    assert NSI.index('MUI_LANGUAGE "SimpChinese"') < NSI.index('MUI_LANGUAGE "English"')


@pytest.mark.skipif(shutil.which("makensis") is None, reason="makensis not installed (Debian: apt-get install nsis)")
def test_compiles_to_a_windows_executable(tmp_path: Path) -> None:
    bundle = tmp_path / "zcws"
    (bundle / "_internal").mkdir(parents=True)
    for name in ("zcws.exe", "zcws-cli.exe", "_internal/base_library.zip"):
        (bundle / name).write_bytes(b"stand-in")
    setup = tmp_path / "zcws-setup-9.8.7.exe"
    done = subprocess.run(
        [
            "makensis",
            "-V2",
            "-WX",
            "-INPUTCHARSET",
            "UTF8",
            "-DVERSION=9.8.7",
            f"-DBUNDLE={bundle}",
            f"-DOUTFILE={setup}",
            str(INSTALLER / "zcws.nsi"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    head = setup.read_bytes()
    assert head[:2] == b"MZ"
    pe_offset = int.from_bytes(head[0x3C:0x40], "little")
    assert head[pe_offset : pe_offset + 4] == b"PE\0\0"
    assert head[pe_offset + 4 : pe_offset + 6] == (0x8664).to_bytes(2, "little"), "not a 64-bit installer"
    assert b"Nullsoft" in head
    # the version resource carries the version too (UTF-16 in the PE resources)
    assert "9.8.7".encode("utf-16-le") in head
