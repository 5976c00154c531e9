"""Logging to a file in the data folder, so that a bug leaves a trace the officer can send."""

from __future__ import annotations

import logging
from pathlib import Path

from app.store import default_data_dir


def log_path() -> Path:
    return default_data_dir() / "zcws.log"


def setup(level: int = logging.INFO) -> Path:
    path = log_path()
    root = logging.getLogger()
    if any(getattr(h, "_zcws", False) for h in root.handlers):
        return path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        handler = logging.NullHandler()
    handler._zcws = True  # type: ignore[attr-defined]  # marks our handler, so it is added once
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
    # fontTools reports every subset it makes; one forms batch would fill the log
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    return path
