"""The real flow on the command line, with the demo's downloads: bring in → print → scan → sort → export."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from app.cli import main
from app.core.review import Status
from app.ops.blanks import split_drop
from app.ops.demo import demo_downloads_dir
from app.ops.forms import render_forms
from app.store import Store
from tests.blanks.test_check import portal_seal, strictly
from tests.scan.scans import jpeg, rasterize, scanner_pdf
from tests.scan.stamps import PORTAL_SEAL_MM, PORTAL_SIGNATURE_MM, signed


def zcws(capsys: pytest.CaptureFixture[str], store: Store, *args: str) -> str:
    code = main([*args, "--db", str(store.path)])
    out = capsys.readouterr()
    assert code == 0, out.err
    return out.out


def test_demo_downloads_to_an_exported_package(demo_store: Store, capsys, tmp_path: Path) -> None:
    folder = demo_downloads_dir(demo_store)
    brought = json.loads(zcws(capsys, demo_store, "blanks", "import", str(folder), "--json"))
    [unsure] = brought["unmatched"]
    waiting = demo_store.cases(status=Status.PASSED)
    last = waiting[-1]
    zcws(capsys, demo_store, "blanks", "import", unsure["file"], "--case", str(last.id), "--slot", "opinion")
    printed = tmp_path / "打印.pdf"
    zcws(capsys, demo_store, "blanks", "print", "--all", "--out", str(printed))
    assert len(pdfium.PdfDocument(printed)) == 2 * len(waiting)

    person = waiting[0]
    blanks = {s: b for (cid, s), b in demo_store.current_blanks().items() if cid == person.id}
    scans = tmp_path / "scans"
    for slot, b in blanks.items():  # their pages, signed, stamped (a seal over the code too) and scanned
        page = signed(rasterize(Path(b.source_name), 300), PORTAL_SEAL_MM, PORTAL_SIGNATURE_MM)
        scanner_pdf([jpeg(portal_seal(page))], scans / f"扫描-{slot.value}.pdf")
    sorted_ = json.loads(zcws(capsys, demo_store, "sort", str(scans), "--apply", "--json"))
    assert {(p["case_id"], p["slot"], p["stored"], p["stamped"]) for p in sorted_["placed"]} == {
        (person.id, "appraisal", True, True), (person.id, "opinion", True, True)}  # fmt: skip

    start = date.today() - timedelta(days=14)
    zcws(capsys, demo_store, "publicity", "create", "--case", str(person.id), "--start", start.isoformat(),
         "--place", "单位公示栏")  # fmt: skip
    certs = tmp_path / "certs"
    zcws(capsys, demo_store, "publicity", "certificate", "1", "--out", str(certs))
    cert = next(certs.glob("*.pdf"))
    (tmp_path / "公示.jpg").write_bytes(jpeg(rasterize(cert, 200)))
    zcws(capsys, demo_store, "attach", str(person.id), "publicity", str(tmp_path / "公示.jpg"))
    out = tmp_path / "送审包"
    zcws(capsys, demo_store, "export", "--out", str(out), "--case", str(person.id))
    [package] = [p for p in out.iterdir() if p.is_dir()]
    images = {p.name: p for p in package.iterdir()}
    for slot, b in blanks.items():  # what goes up is read strictly, with the portal's code
        assert b.code in strictly(images[f"{slot.upload_name}.jpg"])


def test_drops_are_told_apart_by_content(demo_store: Store, tmp_path: Path) -> None:
    folder = demo_downloads_dir(demo_store)
    download = next(folder.glob("*.pdf"))
    ours = render_forms(demo_store, [demo_store.cases(status=Status.PASSED)[0].id], tmp_path / "forms")[0].path
    scan = scanner_pdf([jpeg(rasterize(download, 150))], tmp_path / "扫描.pdf", 150)
    word = tmp_path / "公示证明.pdf"
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.text(20, 20, "publicity certificate")
    pdf.output(str(word))
    downloads, scans = split_drop([download, ours, scan, word])
    assert downloads == [download] and scans == [ours, scan, word]
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    (mixed / "a.pdf").write_bytes(download.read_bytes())
    (mixed / "b.jpg").write_bytes(jpeg(rasterize(download, 100)))
    assert split_drop([mixed]) == ([mixed / "a.pdf"], [mixed / "b.jpg"])
    assert split_drop([tmp_path / "forms"]) == ([], [tmp_path / "forms"])
