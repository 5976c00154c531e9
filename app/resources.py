"""Where the shipped data files are, in a source checkout and in the PyInstaller bundle."""

from __future__ import annotations

import sys
from pathlib import Path

_SOURCE_ROOT = Path(__file__).resolve().parent.parent


def resource_path(*parts: str) -> Path:
    """The path of ``resources/<parts...>``.

    A frozen build unpacks its data next to the executable (``sys._MEIPASS``);
    ``build.spec`` must list every file under ``resources/`` for this to find it.
    """
    base = getattr(sys, "_MEIPASS", None)
    root = Path(base) if base else _SOURCE_ROOT
    return root.joinpath("resources", *parts)
