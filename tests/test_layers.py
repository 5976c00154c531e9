"""Dependencies point one way (core ← store ← forms/scan/dispatch/blanks ← ops ← cli/ui), on the whole
import graph, imports inside functions included; core and store never pull in Qt (the CLI and tests run
headless)."""

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import app
import app.core
import app.store

ROOT = Path(__file__).resolve().parents[1]

#: Each part of app/ and its rank: a module may import its own part and parts of a lower rank only
#: (the parts of one rank may import each other). ``app`` is the package itself (its version).
RANKS = {
    "app": 0, "core": 0,
    "store": 1, "resources": 1,
    "forms": 2, "scan": 2, "dispatch": 2, "blanks": 2,
    "ops": 3,
    "logs": 4, "cli": 4, "ui": 4,
    "__main__": 5,
}  # fmt: skip


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "app"


def import_graph() -> dict[str, set[tuple[str, int]]]:
    """Every app module → the app modules it imports (with the line), wherever in the file the import is."""
    files = {_module_name(p): p for p in (ROOT / "app").rglob("*.py")}
    graph: dict[str, set[tuple[str, int]]] = {}
    for module, path in files.items():
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        found: set[tuple[str, int]] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {(a.name, node.lineno) for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*up, *([node.module] if node.module else [])])
                for alias in node.names:
                    child = f"{base}.{alias.name}"
                    found.add((child if child in files else base, node.lineno))
        graph[module] = {(t, line) for t, line in found if t == "app" or t.startswith("app.")}
    return graph


def test_every_import_points_down_the_layers() -> None:
    graph = import_graph()
    unknown = sorted({_part(m) for m in graph} - set(RANKS))
    assert not unknown, f"parts of app/ without a rank in RANKS: {unknown}"
    wrong = [
        f"{module}:{line} imports {target}"
        for module, targets in sorted(graph.items())
        for target, line in sorted(targets)
        if RANKS[_part(target)] > RANKS[_part(module)]
    ]
    assert not wrong, "imports that point up the layers:\n" + "\n".join(wrong)


def test_the_layer_check_sees_imports_inside_functions() -> None:
    assert any(target == "app.logs" for target, _ in import_graph()["app.cli"])  # imported in main() only


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
