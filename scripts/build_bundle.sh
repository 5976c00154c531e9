#!/usr/bin/env bash
# Build the PyInstaller bundle dist/zcws/ (zcws + zcws-cli) for this platform, then the installer.
#
# On Windows (Git Bash, as in CI) the installer is the real one: dist/zcws-setup-VERSION.exe.
# Elsewhere the bundle holds this platform's binaries, so the installer is only a compile check
# of installer/zcws.nsi, written to build/zcws-setup-VERSION-check.exe; the real Windows
# installer comes from scripts/build_windows.sh (wine) or the Windows CI workflow.
# Installs nothing: it says what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python}
missing=()
"$PYTHON" -c "import PyInstaller" 2>/dev/null || missing+=("PyInstaller (pip install -e '.[build]')")
"$PYTHON" -c "import PySide6, zxingcpp, pypdfium2, pyzbar.pyzbar" 2>/dev/null || missing+=("the program's dependencies (pip install -e .)")
if [ ${#missing[@]} -gt 0 ]; then
    printf 'build_bundle.sh: missing %s\n' "${missing[@]}" >&2
    exit 1
fi

version=$("$PYTHON" -c "import app; print(app.__version__)")
start=$SECONDS
"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller build.spec
echo "bundle: dist/zcws/ ($(du -sh dist/zcws | cut -f1), $((SECONDS - start)) s)"

compressor=()
case "$(uname -s)" in
    MINGW* | MSYS* | CYGWIN*) setup="dist/zcws-setup-$version.exe" ;;
    # a compile check: quick zlib instead of the real installer's two minutes of LZMA
    *) setup="build/zcws-setup-$version-check.exe" compressor=(-DCOMPRESSOR=zlib) ;;
esac
if ! command -v makensis >/dev/null; then
    echo "build_bundle.sh: makensis not found, no installer built (Debian: apt-get install nsis; Windows: choco install nsis)" >&2
    exit 0
fi
mkdir -p "$(dirname "$setup")"
abs() { (cd "$(dirname "$1")" && printf '%s/%s' "$(pwd -W 2>/dev/null || pwd)" "$(basename "$1")"); }
makensis -V2 -WX -INPUTCHARSET UTF8 "${compressor[@]}" -DVERSION="$version" -DBUNDLE="$(abs dist/zcws)" \
    -DOUTFILE="$(abs "$setup")" installer/zcws.nsi
echo "installer: $setup ($(du -sh "$setup" | cut -f1))"
