"""Where the shipped data files are, in a source checkout and in the PyInstaller bundle."""

from __future__ import annotations

import sys
from pathlib import Path

_SOURCE_ROOT = Path(__file__).resolve().parent.parent


def _root() -> Path:
    """The checkout, or the folder a frozen build unpacks its data into (``sys._MEIPASS``)."""
    base = getattr(sys, "_MEIPASS", None)
    return Path(base) if base else _SOURCE_ROOT


def resource_path(*parts: str) -> Path:
    """The path of ``resources/<parts...>``.

    ``build.spec`` must list every file under ``resources/`` for a frozen build to find it.
    """
    return _root().joinpath("resources", *parts)


def guide_path(*parts: str) -> Path:
    """The path of ``docs/guide/<parts...>``, the user guide (使用说明).

    ``build.spec`` bundles the guide's chapters and the screenshots they show at the same
    places under ``docs/``, so that links between them resolve in both cases.
    """
    return _root().joinpath("docs", "guide", *parts)
