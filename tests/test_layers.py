"""Dependencies point one way: core and store never pull in Qt (the CLI and tests run headless)."""

import pkgutil
import subprocess
import sys
from pathlib import Path

import app.core
import app.store

ROOT = Path(__file__).resolve().parents[1]


def _modules(package) -> list[str]:
    return [f"{package.__name__}.{m.name}" for m in pkgutil.iter_modules(package.__path__)]


def test_core_and_store_do_not_import_qt() -> None:
    names = _modules(app.core) + _modules(app.store)
    code = (
        "import sys\n"
        + "".join(f"import {n}\n" for n in names)
        + ("bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]\nassert not bad, bad\n")
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr


def test_core_does_no_io_or_sql() -> None:
    code = (
        "import sys\n"
        + "".join(f"import {n}\n" for n in _modules(app.core))
        + (
            "bad = [m for m in ('sqlite3', 'sqlite_utils', 'PIL', 'fpdf', 'zxingcpp', 'pypdfium2') if m in sys.modules]\n"
            "assert not bad, bad\n"
        )
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
