"""Stores with a few cases, and portal-style downloads made by the tests (real PDFs, real codes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from app.core.models import Slot
from app.core.review import Status
from app.forms.portal import PortalPage, demo_code, portal_pdf
from app.store import Store

PEOPLE = (("张伟", "420202198501011235"), ("李娜", "42020319900202123X"), ("王芳", "420204197803031237"))


@dataclass
class Office:
    store: Store
    ids: dict[str, int]  # name → case id
    folder: Path

    def download(self, name: str, slot: Slot, file: str | None = None, *, code: str | None = None,
                 shown_id: str | None = None, **options: object) -> tuple[Path, str]:  # fmt: skip
        """A portal-style one-page download for ``name``; returns its path and its code."""
        code = code or demo_code()
        number = dict(PEOPLE).get(name, "")
        page = PortalPage(
            slot, code, name, number if shown_id is None else shown_id, "黄石市某单位", "工程技术人员", "水利水电"
        )
        path = self.folder / (file or f"{name}-{slot.value}.pdf")
        path.write_bytes(portal_pdf([page], **options))  # type: ignore[arg-type]
        return path, code


@pytest.fixture
def office(store: Store, tmp_path: Path) -> Office:
    plan = store.add_plan(
        "2026年度工程系列", "工程技术人员", ["水利水电"], date(2026, 9, 1), date(2026, 9, 10), date(2026, 12, 30)
    )
    ids = {
        name: store.add_case(plan, name, number, "工程技术人员", "水利水电", "工程师", "黄石市某单位", date(2026, 9, 1),
                             status=Status.PASSED)
        for name, number in PEOPLE
    }  # fmt: skip
    folder = tmp_path / "downloads"
    folder.mkdir()
    return Office(store, ids, folder)
