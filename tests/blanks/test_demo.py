"""The demo's portal-style downloads: the real flow, from bringing blanks in to a checked scan."""

from __future__ import annotations

from pathlib import Path

from app.core.review import Status
from app.forms.portal import DEMO_PREFIX
from app.ops.blanks import import_blanks, print_blanks
from app.ops.demo import demo_downloads_dir
from app.ops.scan import check_files
from app.store import Store
from tests.scan.scans import jpeg, rasterize


def test_the_demo_downloads_come_in_print_and_their_scans_check_ok(demo_store: Store, tmp_path: Path) -> None:
    folder = demo_downloads_dir(demo_store)
    waiting = demo_store.cases(status=Status.PASSED)
    assert len(list(folder.glob("*.pdf"))) == 2 * len(waiting)
    result = import_blanks(demo_store, [folder])
    assert len(result.imported) == 2 * len(waiting) - 1 and len(result.unmatched) == 1
    assert result.unmatched[0].assignable  # the page without a text layer: the officer says whose
    assert all(b.code.startswith(DEMO_PREFIX) for b in demo_store.blanks_of())
    printed = print_blanks(demo_store, None, tmp_path / "print.pdf")
    assert printed.pages == len(result.imported) and len(printed.missing) == 1
    page = result.imported[0]
    scan = tmp_path / "scan.jpg"
    scan.write_bytes(jpeg(rasterize(Path(page.file), 300), 85))
    [r] = check_files(demo_store, [scan])
    assert r.ok and (r.case_id, r.form) == (page.case_id, page.slot.value)
