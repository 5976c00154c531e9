"""Only the decoders we mean, chosen by content; every PDF render within a pixel budget.

An EPS file named ``.jpg`` must never reach Pillow's EPS plugin (it runs Ghostscript,
which loops for ever on a hostile file); a PDF whose pages claim to be 5 m wide must
not be rendered at that size. The hang guard is the subprocess's timeout.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from fpdf import FPDF
from PIL import Image

from app.ops.scan import check_files
from app.scan.pages import DECODERS, DRAWN_PAGE_PIXELS, Limits, Page, iter_pages
from app.scan.verdicts import Verdict
from tests.scan import scans
from tests.scan.conftest import World

ROOT = Path(__file__).resolve().parents[2]

#: PostScript that never ends: what Ghostscript would run for ever.
EPS = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 600 800\n%%EndComments\n{ 1 pop } loop\nshowpage\n%%EOF\n"


def _saved(im: Image.Image, fmt: str) -> bytes:
    buf = io.BytesIO()
    im.save(buf, fmt)
    return buf.getvalue()


def _probe(args: list[str], home: Path) -> dict:
    """Run the command line in a fresh interpreter; report the verdicts and which Pillow plugins it loaded."""
    code = (
        "import json, sys\n"
        "from app.cli import main\n"
        "code = main(sys.argv[1:])\n"
        "print('\\nPLUGINS=' + json.dumps(sorted(m for m in sys.modules if m.startswith('PIL.') and m.endswith('Plugin'))))\n"
        "sys.exit(code)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True, encoding="utf-8",
        env={"PYTHONPATH": str(ROOT), "ZCWS_HOME": str(home), "PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen"},
        timeout=120,  # the hang guard: Ghostscript on the loop above never returns
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    body, _, plugins = done.stdout.rpartition("\nPLUGINS=")
    return {"out": json.loads(body), "plugins": json.loads(plugins)}


def test_an_eps_named_jpg_never_reaches_ghostscript(world: World) -> None:
    eps = world.write("扫描件.jpg", EPS)
    also = world.write("扫描件.eps", EPS)
    db = str(world.store.path)
    world.store.close()
    checked = _probe(["check", str(eps), str(also), "--db", db, "--json"], world.dir)
    assert [r["verdict"] for r in checked["out"]] == ["unreadable_file", "unreadable_file"]
    assert all("不是图片" in r["message"] for r in checked["out"])
    assert "PIL.EpsImagePlugin" not in checked["plugins"]
    sorted_ = _probe(["sort", str(eps.parent), "--db", db, "--json"], world.dir)
    assert [u["verdict"] for u in sorted_["out"]["unplaced"]] == ["unreadable_file"]
    assert "PIL.EpsImagePlugin" not in sorted_["plugins"]


@pytest.mark.parametrize("fmt", ["PPM", "ICO", "PCX", "TGA", "SGI", "DDS", "XBM"])
def test_formats_we_do_not_decode_are_unreadable_whatever_their_name(world: World, fmt: str) -> None:
    page = world.page().resize((620, 877))
    im = page.convert("1") if fmt == "XBM" else page.resize((256, 256)) if fmt == "ICO" else page
    path = world.write(f"page-{fmt}.jpg", _saved(im, fmt))
    (r,) = check_files(world.store, [path], out_dir=world.dir / "upload")
    assert r.verdict is Verdict.UNREADABLE_FILE, (fmt, r.message)
    assert "JPG" in r.fix


@pytest.mark.parametrize("fmt", ["WEBP", "JPEG2000", "TIFF", "BMP", "GIF"])
def test_the_decoders_we_mean_still_read_the_form(world: World, fmt: str) -> None:
    assert fmt in DECODERS
    page = world.page()
    im = page.convert("L").convert("P") if fmt == "GIF" else page
    path = world.write(f"page.{fmt.lower()}", _saved(im, fmt))
    (r,) = check_files(world.store, [path], out_dir=world.dir / "upload")
    assert r.verdict is Verdict.OK, (fmt, r.message)
    assert r.upload_path is not None and r.upload_path.suffix == ".jpg"
    assert "格式系统不收" in r.message and "超出上传限制" not in r.message


def _huge_pages_pdf(path: Path, pages: int = 12, side_pt: float = 14400, drawn: bool = False, px: int = 8) -> Path:
    """A few kilobytes that claim ``pages`` pages of ``side_pt`` points square (5 m)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf = FPDF(unit="pt", format=(side_pt, side_pt))
    pdf.set_compression(True)
    tiny = _saved(Image.new("L", (px, px), 128), "PNG")
    for _ in range(pages):
        pdf.add_page()
        if drawn:
            pdf.set_line_width(20)
            pdf.line(0, 0, side_pt, side_pt)
        else:
            pdf.image(io.BytesIO(tiny), 0, 0, side_pt, side_pt)
    pdf.output(str(path))
    return path


def test_a_pdf_of_huge_pages_is_rendered_within_the_budget(world: World) -> None:
    for drawn in (False, True):
        path = _huge_pages_pdf(world.dir / f"huge-{drawn}.pdf", drawn=drawn, px=600)
        assert path.stat().st_size < 16000
        pages = list(iter_pages(path, "pdf", Limits()))
        assert len(pages) == 12
        for page in pages:
            assert isinstance(page, Page)
            w, h = page.color().size
            assert w * h <= (DRAWN_PAGE_PIXELS if drawn else 2 * 600 * 600)
            page.release()


def test_check_and_sort_of_a_pdf_of_huge_pages_end_with_a_verdict(world: World) -> None:
    path = _huge_pages_pdf(world.dir / "inbox" / "huge.pdf")
    db = str(world.store.path)
    world.store.close()
    checked = _probe(["check", str(path), "--db", db, "--json"], world.dir)["out"]
    assert len(checked) == 12 and {r["converted_verdict"] or r["verdict"] for r in checked} == {"unreadable_file"}
    assert "太小" in checked[0]["message"]  # 8 pixels over 5 m: nothing to read
    sorted_ = _probe(["sort", str(path.parent), "--db", db, "--json"], world.dir)["out"]
    assert len(sorted_["unplaced"]) == 12 and not sorted_["placed"]


def test_a_scanned_pdf_page_is_still_rendered_at_its_own_resolution(world: World) -> None:
    png = _saved(world.page().convert("L"), "PNG")  # not a JPEG: rendered, not taken out
    path = scans.scanner_pdf([png], world.dir / "gray.pdf")
    (page,) = iter_pages(path, "pdf", Limits())
    assert isinstance(page, Page)
    assert abs(page.color().width - world.page().width) <= 2
