"""The type checker, as configured in pyproject.toml: strict on app/core and app/store, every module checked.

Run here so that the README's test command (and CI) runs it; it takes half a minute cold, a few
seconds with mypy's cache.
"""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_mypy_finds_nothing() -> None:
    r = subprocess.run([sys.executable, "-m", "mypy"], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stdout + r.stderr


def test_every_type_ignore_names_its_code() -> None:
    """A bare ``# type: ignore`` silences every error of its line; ours name the one they mean."""
    bare = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in sorted((ROOT / "app").rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if re.search(r"type: ignore(?!\[)", line)
    ]
    assert not bare, bare
