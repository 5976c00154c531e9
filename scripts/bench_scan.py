"""Speed and memory of the pre-upload self-check, each against a floor measured in the same run.

    python scripts/bench_scan.py            # a table on stdout
    python scripts/bench_scan.py --json F   # and the figures as JSON

Floors (what the page's own bytes allow):
- scanner page (one JPEG per page): take the embedded JPEG out, decode it to grey at full
  size (a check must look at the very pixels that will be uploaded), one zxing-cpp read of
  QR codes with its default options. Goal: ours ≤ 1.5× and ≥ 50 pages/s on one core.
- page that must be rendered (a lossless Flate scan; our drawn form): render with pypdfium2
  at the page's native DPI (the scan's, or our 200 DPI for a drawn page), one default read
  of the bitmap as rendered. Goal: ours ≤ 1.3×.
- 2 page processes (this one and a worker) vs 1 on stamped pages: speedup ≥ 0.85× that of a pure-CPU control run in the
  same kind of pool (spawned processes, start included) in the same run.
- peak memory while sorting a 100-page scanner PDF (this process plus its worker) < 500 MB.
"""

from __future__ import annotations

import argparse
import io
import json
import multiprocessing
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pypdfium2 as pdfium  # noqa: E402
import zxingcpp  # noqa: E402
from fpdf import FPDF  # noqa: E402
from PIL import Image, ImageFilter  # noqa: E402

QR = zxingcpp.BarcodeFormat.QRCode
A4_PT = (595.28, 841.89)


def figure(name: str, value: float, unit: str, goal: str, met: bool, detail: str = "") -> dict:
    return {"name": name, "value": round(value, 3), "unit": unit, "goal": goal, "met": met, "detail": detail}


def setup(work: Path) -> tuple[object, Image.Image, Path]:
    """A demo store, our rendered opinion form of a passed case, and that form at 300 DPI as a scanner sees it."""
    from app.core.payload import FormKind
    from app.forms import render_form_pdf
    from app.ops.demo import load_demo
    from app.store import Store

    store = Store(work / "store" / "zcws.sqlite3")
    load_demo(store, today=date.today())
    case = next(c for c in store.cases() if c.status.value == "passed")
    pdf = render_form_pdf(store, case.id, FormKind.OPINION, work / "form.pdf")
    doc = pdfium.PdfDocument(pdf)
    page = doc[0].render(scale=300 / 72).to_pil().convert("RGB")
    doc.close()
    # paper grain, so that the JPEG is the size of a real scan's
    return store, page.filter(ImageFilter.GaussianBlur(0.6)), pdf


def jpeg(im: Image.Image, quality: int = 85) -> bytes:
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def distinct_pages(im: Image.Image, n: int, quality: int = 85) -> list[bytes]:
    """``n`` different scans of one page (a page number in the margin), so that a PDF holds n images."""
    from PIL import ImageDraw

    out = []
    for i in range(n):
        page = im.copy()
        ImageDraw.Draw(page).text((60, page.height - 80), f"{i + 1:03d}", fill=(60, 60, 60))
        out.append(jpeg(page, quality))
    return out


def scanner_pdf(path: Path, pages: list[bytes | Image.Image]) -> Path:
    pdf = FPDF(unit="pt", format=A4_PT)
    for p in pages:
        pdf.add_page()
        pdf.image(io.BytesIO(p) if isinstance(p, bytes) else p, 0, 0, A4_PT[0], A4_PT[1])
    pdf.output(str(path))
    return path


def best_of(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def floor_extract(pdf: Path) -> None:
    doc = pdfium.PdfDocument(pdf)
    for i in range(len(doc)):
        page = doc[i]
        (img,) = [o for o in page.get_objects() if o.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE]
        im = Image.open(io.BytesIO(bytes(img.get_data())))
        im.draft("L", im.size)
        zxingcpp.read_barcodes(im.convert("L"), formats=QR)
        page.close()
    doc.close()


def floor_render(pdf: Path, dpi: float) -> None:
    doc = pdfium.PdfDocument(pdf)
    for i in range(len(doc)):
        page = doc[i]
        bitmap = page.render(scale=dpi / 72)
        zxingcpp.read_barcodes(bitmap.to_pil(), formats=QR)
        page.close()
    doc.close()


def code_squares(pages: list[bytes]) -> list[tuple[Image.Image, object]]:
    """Each page decoded to grey with its code found: what the second reader is given in a page check."""
    from app.scan.reading import read_strict

    out = []
    for data in pages:
        im = Image.open(io.BytesIO(data))
        im.draft("L", im.size)
        gray = im.convert("L")
        (code,) = read_strict(gray)
        out.append((gray, code))
    return out


def second_reader(squares: list[tuple[Image.Image, object]]) -> None:
    """The page check's second reader: zbar on each page's code square."""
    from app.scan.reading import read_second

    for gray, code in squares:
        assert set(read_second(gray, code)) == {code.text}


def ours(store, pdf: Path, out: Path, workers: int = 1) -> list:
    from app.ops.scan import check_files

    shutil.rmtree(out, ignore_errors=True)
    return check_files(store, [pdf], out_dir=out, workers=workers)


def bench_pages(work: Path) -> list[dict]:
    store, page, form_pdf = setup(work)
    figures = []
    n = 40
    pages = distinct_pages(page, n)
    scan = scanner_pdf(work / "scan.pdf", pages)
    results = ours(store, scan, work / "u")
    assert all(r.ok for r in results), {r.final for r in results}
    floor = best_of(lambda: floor_extract(scan))
    mine = best_of(lambda: ours(store, scan, work / "u"))
    figures.append(figure("scanner page vs extract+decode+read", mine / floor, "×", "≤ 1.5×", mine / floor <= 1.5,
                          f"{mine / n * 1000:.1f} ms vs {floor / n * 1000:.1f} ms per page"))  # fmt: skip
    figures.append(figure("scanner pages per second, one core", n / mine, "pages/s", "≥ 50", n / mine >= 50))
    squares = code_squares(pages)
    second = best_of(lambda: second_reader(squares))
    figures.append(figure("of which the second reader (zbar) vs the floor", second / floor, "×", "(in the 1.5×)", True,
                          f"{second / n * 1000:.1f} ms per page, on the code's square"))  # fmt: skip

    n = 12
    flate = scanner_pdf(work / "flate.pdf", [page] * n)  # fpdf2 stores a PIL image losslessly (Flate)
    results = ours(store, flate, work / "u")
    assert all(r.ok for r in results), {r.final for r in results}
    floor = best_of(lambda: floor_render(flate, 300))
    mine = best_of(lambda: ours(store, flate, work / "u"))
    figures.append(figure("lossless scan page vs render@300+read", mine / floor, "×", "≤ 1.3×", mine / floor <= 1.3,
                          f"{mine / n * 1000:.1f} ms vs {floor / n * 1000:.1f} ms per page"))  # fmt: skip

    drawn = pdfium.PdfDocument.new()
    src = pdfium.PdfDocument(form_pdf)
    for _ in range(n):
        drawn.import_pages(src)
    drawn.save(work / "drawn.pdf")
    results = ours(store, work / "drawn.pdf", work / "u")
    assert all(r.ok for r in results), {r.final for r in results}
    floor = best_of(lambda: floor_render(work / "drawn.pdf", 200))
    mine = best_of(lambda: ours(store, work / "drawn.pdf", work / "u"))
    figures.append(figure("drawn form page vs render@200+read", mine / floor, "×", "≤ 1.3×", mine / floor <= 1.3,
                          f"{mine / n * 1000:.1f} ms vs {floor / n * 1000:.1f} ms per page"))  # fmt: skip
    return figures


def _burn(n: int) -> int:
    total = 0
    for i in range(n):
        total = (total * 31 + i) % 1_000_003
    return total


def _control(workers: int, items: list[int]) -> float:
    t0 = time.perf_counter()
    if workers == 1:
        for n in items:
            _burn(n)
    else:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            list(pool.map(_burn, items))
    return time.perf_counter() - t0


def bench_pool(work: Path) -> list[dict]:
    from app.scan import pool
    from tests.scan.scans import seal

    store, page, _ = setup(work)
    stamped = scanner_pdf(work / "stamped.pdf", distinct_pages(seal(page), 48, 80))
    pool.POOL_MIN_PAGES = 0  # measure the pool itself, whatever the size
    one = ours(store, stamped, work / "u1", 1)
    assert all(r.ok for r in one), {r.final for r in one}
    rounds = []
    for _ in range(2):
        t1 = best_of(lambda: ours(store, stamped, work / "u1", 1), 1)
        t2 = best_of(lambda: ours(store, stamped, work / "u2", 2), 1)
        rate = 2_000_000 / max(_control(1, [2_000_000]), 1e-3)  # control iterations per second
        items = [max(1, int(rate * t1 / 48))] * 48  # as much serial work as the pages, in as many items
        c1, c2 = _control(1, items), _control(2, items)
        rounds.append((t1, t2, c1, c2))
    speedup = statistics.median(t1 / t2 for t1, t2, _, _ in rounds)
    control = statistics.median(c1 / c2 for _, _, c1, c2 in rounds)
    t1, t2, c1, c2 = rounds[-1]
    return [figure("2-worker speedup vs pure-CPU control's", speedup / control, "×", "≥ 0.85×", speedup / control >= 0.85,
                   f"48 stamped pages {t1:.2f} s → {t2:.2f} s ({speedup:.2f}×); control {c1:.2f} s → {c2:.2f} s "
                   f"({control:.2f}×)")]  # fmt: skip


_MEMORY_CHILD = """
import os, sys, threading, time
sys.path.insert(0, {root!r})
from app.store import Store
from app.ops.scan import sort_inbox
from app.scan import pool

def rss_mb(pid):
    try:
        with open(f"/proc/{{pid}}/status") as fh:
            return int(fh.read().split("VmRSS:")[1].split()[0]) / 1024
    except (OSError, IndexError):
        return 0.0

def tree(pid):
    kids = []
    for task in os.listdir(f"/proc/{{pid}}/task"):
        try:
            with open(f"/proc/{{pid}}/task/{{task}}/children") as fh:
                kids += [int(k) for k in fh.read().split()]
        except OSError:
            pass
    return [pid] + [p for k in kids for p in tree(k)]

peak = [0.0]
done = threading.Event()
def sample():
    while not done.is_set():
        peak[0] = max(peak[0], sum(rss_mb(p) for p in tree(os.getpid())))
        time.sleep(0.01)

if __name__ == "__main__":
    pool.POOL_MIN_PAGES = 0
    threading.Thread(target=sample, daemon=True).start()
    s = Store({db!r})
    r = sort_inbox(s, [{pdf!r}], workers=2)
    done.set()
    print(len(r.placed) + len(r.unplaced), round(peak[0], 1))
"""


def bench_memory(work: Path) -> list[dict]:
    """In a fresh interpreter: sort a 100-page scanner PDF with the pool, sampling the RSS of it and its workers."""
    store, page, _ = setup(work)
    pdf = scanner_pdf(work / "hundred.pdf", distinct_pages(page, 100))
    store.close()
    script = work / "memory_child.py"
    script.write_text(_MEMORY_CHILD.format(root=str(ROOT), db=str(work / "store" / "zcws.sqlite3"), pdf=str(pdf)))
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=True).stdout.split()
    pages, peak = int(out[0]), float(out[1])
    assert pages == 100
    return [figure("peak memory sorting 100 pages (main + its worker)", peak, "MB", "< 500 MB", peak < 500,
                   f"{pdf.stat().st_size / 1e6:.0f} MB PDF; RSS of the process tree sampled every 10 ms")]  # fmt: skip


BENCHES = {"pages": bench_pages, "pool": bench_pool, "memory": bench_memory}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("only", nargs="*", choices=[*BENCHES, []], help="only these benchmarks")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args(argv)
    figures = []
    for name in args.only or list(BENCHES):
        with tempfile.TemporaryDirectory(prefix=f"bench-scan-{name}-") as tmp:
            figures += BENCHES[name](Path(tmp))
    for f in figures:
        mark = "ok  " if f["met"] else "MISS"
        print(f"{mark} {f['name']:<50} {f['value']:>8} {f['unit']:<7} goal {f['goal']:<9} {f['detail']}")
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0 if all(f["met"] for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
