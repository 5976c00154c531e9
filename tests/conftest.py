"""Test setup: Qt offscreen before any Qt import, and the data folder in tmp."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from app.store import Store


@pytest.fixture(autouse=True)
def _data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "zcws-home"
    monkeypatch.setenv("ZCWS_HOME", str(home))
    return home


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "store" / "zcws.sqlite3")
    yield s
    s.close()


_DEMO_TEMPLATE: dict[str, Path] = {}


@pytest.fixture
def demo_store(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A copy of a demo store built once per session (fast, and each test gets its own file)."""
    import shutil

    from app.ops.demo import load_demo

    if "path" not in _DEMO_TEMPLATE:
        base = tmp_path_factory.mktemp("demo-template")
        with Store(base / "zcws.sqlite3") as s:
            load_demo(s, today=date.today())
            s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        _DEMO_TEMPLATE["path"] = base
    target = tmp_path / "demo"
    shutil.copytree(_DEMO_TEMPLATE["path"], target)
    s = Store(target / "zcws.sqlite3")
    yield s
    s.close()
