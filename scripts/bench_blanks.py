"""Speed of the portal's blanks, each figure against a floor measured in the same run.

    python scripts/bench_blanks.py          # a table on stdout (also: python scripts/bench.py blanks)

- Bringing in 200 one-page downloads (``import_blanks`` on their folder, every page bound
  and kept in the store) vs the floor of opening each PDF, reading its text layer and one
  strict QR read of its page rendered at the reading resolution. Goal: ≤ 1.5×.
- Checking a 300 DPI scan of a portal blank vs a scan of one of our forms, both stamped
  with nothing, in the same store (with those 200 blanks known). Goal: ≤ 1.1×.
"""

from __future__ import annotations

import io
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pypdfium2 as pdfium  # noqa: E402

from app.blanks.reading import READ_DPI, render  # noqa: E402
from app.core.models import Slot  # noqa: E402
from app.core.review import Status  # noqa: E402
from app.forms.draw import split_pages  # noqa: E402
from app.forms.portal import PortalPage, demo_code, portal_pdf  # noqa: E402
from app.ops.blanks import import_blanks  # noqa: E402
from app.ops.demo import fictional_id  # noqa: E402
from app.ops.forms import render_forms  # noqa: E402
from app.ops.scan import check_files  # noqa: E402
from app.scan.reading import read_strict  # noqa: E402
from app.store import Store  # noqa: E402

COUNT = 200


def _store(folder: Path, rng: random.Random) -> tuple[Store, list[PortalPage]]:
    store = Store(folder / "zcws.sqlite3")
    plan = store.add_plan("计划", "工程技术人员", ["水利水电"], date(2026, 9, 1), date(2026, 9, 10), date(2026, 12, 30))
    pages = []
    for i in range(COUNT):
        name, number = f"申报人{i:03d}", fictional_id(rng)
        store.add_case(plan, name, number, "工程技术人员", "水利水电", "工程师", "单位", date(2026, 9, 1),
                       status=Status.PASSED)  # fmt: skip
        pages.append(PortalPage(Slot.APPRAISAL, demo_code(rng), name, number, "单位", "工程技术人员", "水利水电"))
    return store, pages


def _floor(files: list[Path]) -> float:
    start = time.perf_counter()
    for f in files:
        doc = pdfium.PdfDocument(f.read_bytes())
        page = doc[0]
        text = page.get_textpage()
        text.get_text_range()
        text.close()
        read_strict(render(page, READ_DPI).convert("L"))
        page.close()
        doc.close()
    return time.perf_counter() - start


def _scan(pdf: Path, target: Path) -> Path:
    doc = pdfium.PdfDocument(pdf)
    image = doc[0].render(scale=300 / 72).to_pil().convert("RGB")
    doc.close()
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    target.write_bytes(buffer.getvalue())
    return target


def _check_time(store: Store, scan: Path, out: Path, repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        [r] = check_files(store, [scan], out_dir=out, workers=1)
        times.append(time.perf_counter() - start)
        assert r.ok, r.message
    return statistics.median(times)


def measure() -> list[dict]:
    work = Path(tempfile.mkdtemp(prefix="zcws-bench-blanks-"))
    try:
        rng = random.Random(14)
        store, pages = _store(work / "store", rng)
        downloads = work / "downloads"
        downloads.mkdir()
        files = []
        for i, data in enumerate(split_pages(portal_pdf(pages))):
            files.append(downloads / ("考核表.pdf" if i == 0 else f"考核表({i}).pdf"))
            files[-1].write_bytes(data)
        floor = min(_floor(files), _floor(files))
        start = time.perf_counter()
        result = import_blanks(store, [downloads])
        ours = time.perf_counter() - start
        assert len(result.imported) == COUNT, result.unmatched[:3]
        figures = [{
            "name": f"bringing in {COUNT} one-page blanks vs open+text+one QR read each", "value": round(ours / floor, 3),
            "unit": "×", "goal": "≤ 1.5×", "met": ours / floor <= 1.5,
            "detail": f"{1000 * ours / COUNT:.1f} ms per page vs {1000 * floor / COUNT:.1f} ms",
        }]  # fmt: skip
        form = render_forms(store, [1], work / "forms")[0]
        ours_scan = _scan(form.path, work / "ours.jpg")
        portal_scan = _scan(files[0], work / "portal.jpg")
        out = work / "upload"
        mine, theirs = [], []
        for _ in range(3):  # interleaved, so that the machine's load falls on both alike
            mine.append(_check_time(store, ours_scan, out))
            theirs.append(_check_time(store, portal_scan, out))
        a, b = statistics.median(theirs), statistics.median(mine)
        figures.append({
            "name": "checking a scan of a portal blank vs one of our forms", "value": round(a / b, 3), "unit": "×",
            "goal": "≤ 1.1×", "met": a / b <= 1.1, "detail": f"{1000 * a:.0f} ms vs {1000 * b:.0f} ms per page",
        })  # fmt: skip
        store.close()
        return figures
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    figures = measure()
    for f in figures:
        print(
            f"{f['name']}: {f['value']}{f['unit']} (goal {f['goal']}, {'met' if f['met'] else 'NOT met'}; {f['detail']})"
        )
    return 0 if all(f["met"] for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
