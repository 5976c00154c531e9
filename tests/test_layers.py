"""Dependencies point one way: core and store never pull in Qt (the CLI and tests run headless)."""

import pkgutil
import subprocess
import sys
from pathlib import Path

import app
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


def test_no_module_needs_numpy() -> None:
    """numpy is not a dependency (28 MB of the installed program): every module imports and a page is
    checked, repaired and thresholded with numpy made unimportable, and sqlite-utils does without it too."""
    names = [m.name for m in pkgutil.walk_packages(app.__path__, "app.") if m.name != "app.__main__"]
    code = (
        "import sys\n"
        "class NoNumpy:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('numpy', 'pandas'):\n"
        "            raise ImportError(name)\n"
        "sys.meta_path.insert(0, NoNumpy())\n" + "".join(f"import {n}\n" for n in names) + "import sqlite_utils\n"
        "from PIL import Image\n"
        "from app.scan.repair import otsu\n"
        "assert otsu(Image.linear_gradient('L')) in range(120, 136)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
