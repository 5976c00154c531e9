"""A store with our real rendered forms, rasterized once per session; each test gets its own copy of the store."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from PIL import Image

from app.core.payload import FormKind
from app.store import Store
from tests.robustness.tally import TALLY
from tests.scan import scans

# Cases of the demo set (load_demo, seed 2025) that have passed review and wait for dispatch.
CASE_A = 3
CASE_B = 4


@dataclass
class World:
    store: Store
    dir: Path
    pdfs: dict[tuple[int, FormKind], Path]
    pages: dict[tuple[int, FormKind], Image.Image]

    def page(self, case_id: int = CASE_A, kind: FormKind = FormKind.OPINION) -> Image.Image:
        return self.pages[(case_id, kind)].copy()

    def write(self, name: str, data: bytes) -> Path:
        path = self.dir / "inbox" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path


_TEMPLATE: dict[str, object] = {}


@pytest.fixture(scope="session")
def _rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    from app.forms import render_form_pdf
    from app.ops.demo import load_demo

    base = tmp_path_factory.mktemp("scan-world")
    store_dir = base / "store"
    pdfs: dict[tuple[int, FormKind], Path] = {}
    with Store(store_dir / "zcws.sqlite3") as s:
        load_demo(s, today=date.today())
        for case_id, kind in ((CASE_A, FormKind.OPINION), (CASE_A, FormKind.APPRAISAL), (CASE_B, FormKind.OPINION)):
            pdfs[(case_id, kind)] = render_form_pdf(s, case_id, kind, base / f"form-{case_id}-{kind.value}.pdf")
        s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    pages = {key: scans.rasterize(pdf, 300) for key, pdf in pdfs.items()}
    return {"store_dir": store_dir, "pdfs": pdfs, "pages": pages}


@pytest.fixture
def world(_rendered: dict[str, object], tmp_path: Path) -> Iterator[World]:
    target = tmp_path / "store"
    shutil.copytree(_rendered["store_dir"], target)  # type: ignore[arg-type]
    s = Store(target / "zcws.sqlite3")
    yield World(s, tmp_path, _rendered["pdfs"], _rendered["pages"])  # type: ignore[arg-type]
    s.close()


@pytest.fixture
def hostile() -> None:
    """A hostile but realistic input (issue 19), counted in the robustness suite's line."""
    TALLY.input()
