"""Blanks kept per case and slot in the order they came; the migration; backups carry them."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from app.blanks.kept import current_image, current_pdf, joined_pdf
from app.core.errors import StoreError
from app.core.models import Slot
from app.dispatch.backup import write_backup
from app.dispatch.restore import restore_backup
from app.store import Store
from app.store.migrations import run_migration
from app.store.schema import MIGRATIONS
from tests.blanks.conftest import Office


def test_a_slot_keeps_its_blanks_in_order_and_the_newest_is_current(office: Office) -> None:
    s, case = office.store, office.ids["张伟"]
    first_pdf = office.download("张伟", Slot.APPRAISAL)[0].read_bytes()
    first = s.add_blank(case, Slot.APPRAISAL, "CODE-1", first_pdf, "考核表.pdf", 1, datetime(2026, 11, 3, 9))
    second = s.add_blank(case, Slot.APPRAISAL, "CODE-2", first_pdf, "考核表(1).pdf", 1, datetime(2026, 11, 20, 9))
    assert (first.number, second.number) == (1, 2)
    assert s.current_blank(case, Slot.APPRAISAL) == second
    assert s.blank_by_code("CODE-1").current is False  # type: ignore[union-attr]
    assert s.current_blank(case, Slot.OPINION) is None
    assert [b.code for b in s.blanks_of([case])] == ["CODE-1", "CODE-2"]
    assert s.blank_codes() == {"CODE-1", "CODE-2"}
    with pytest.raises(StoreError, match="已经导入过"):
        s.add_blank(office.ids["李娜"], Slot.OPINION, "CODE-1", first_pdf, "x.pdf", 1)


def test_the_kept_page_renders_and_prints_again(office: Office) -> None:
    s, case = office.store, office.ids["张伟"]
    path, code = office.download("张伟", Slot.OPINION)
    s.add_blank(case, Slot.OPINION, code, path.read_bytes(), path.name, 1)
    item, pdf = current_pdf(s, case, Slot.OPINION)  # type: ignore[misc]
    assert pdf == path.read_bytes() and item.code == code
    import zxingcpp

    image = current_image(s, case, Slot.OPINION)
    assert image is not None and [b.text for b in zxingcpp.read_barcodes(image)] == [code]
    import pypdfium2 as pdfium

    assert len(pdfium.PdfDocument(joined_pdf(s, [item, item]))) == 2


def test_a_version_4_store_is_brought_up_to_date(tmp_path: Path) -> None:
    path = tmp_path / "v4.sqlite3"
    conn = sqlite3.connect(path)
    for step in MIGRATIONS[:4]:
        run_migration(conn, step)
    conn.execute("INSERT INTO meta(key, value) VALUES ('secret', ?)", (b"s" * 32,))
    conn.execute("PRAGMA user_version=4")
    conn.commit()
    conn.close()
    with Store(path) as s:
        assert s.query("SELECT count(*) AS n FROM blanks")[0]["n"] == 0
    assert (tmp_path / "v4.sqlite3.v4.bak").exists()


def test_a_backup_carries_the_blanks_and_their_pages(office: Office, tmp_path: Path) -> None:
    s, case = office.store, office.ids["李娜"]
    path, code = office.download("李娜", Slot.APPRAISAL)
    s.add_blank(case, Slot.APPRAISAL, code, path.read_bytes(), path.name, 1)
    archive = write_backup(s, tmp_path / "b.zip").path
    target = tmp_path / "restored" / "zcws.sqlite3"
    restore_backup(target, archive)
    with Store(target) as restored:
        item, pdf = current_pdf(restored, case, Slot.APPRAISAL)  # type: ignore[misc]
        assert item.code == code and pdf == path.read_bytes()
