"""Benchmark of the forms batch against its floor (issue 4).

Usage: python scripts/bench_forms.py [N]   (default 500 pages; prints one JSON line)

The floor: the same N pages drawn into one fpdf2 document, the font loaded once (the shipped
font, subset once when the document is written), the QR matrices from qrcode. Our batch writes
one PDF per form and should stay within 1.5x of it (``ratio`` <= 1.5). ``scripts/bench.py``
calls :func:`measure`. Not part of the product: it is not bundled.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.core.payload import FormKind, Payload, encode
from app.forms import draw
from app.forms.batch import render_batch
from app.forms.case_forms import DRAWERS, CaseForm
from app.forms.fonts import shipped_font_path

_SECRET = b"bench-secret-0123456789abcdef012"


@dataclass(frozen=True)
class BenchResult:
    pages: int
    floor_s: float  # one document of all pages
    batch_s: float  # one file per form, as zcws forms writes them

    @property
    def ratio(self) -> float:
        return self.batch_s / self.floor_s

    def to_json(self) -> dict[str, float | int]:
        return {"pages": self.pages, "floor_s": round(self.floor_s, 3), "batch_s": round(self.batch_s, 3),
                "floor_ms_per_page": round(1000 * self.floor_s / self.pages, 1),
                "batch_ms_per_file": round(1000 * self.batch_s / self.pages, 1), "ratio": round(self.ratio, 2)}  # fmt: skip


def sample_forms(n: int, printed_on: date = date(2025, 10, 20)) -> list[CaseForm]:
    """``n`` forms of made-up cases, half 单位审核意见表 and half 考核表, with varied names."""
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
    given = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力鹏飞堃喆赟玥"
    base = CaseForm(0, FormKind.OPINION, 1, printed_on, "", "", "420202********1234", "工程技术人员", "水利水电",
                    "工程师", "黄石市城市建设投资开发有限责任公司",
                    "关于开展2025年度黄石市工程技术人员职称评审材料申报工作的通知", date(2025, 9, 28))  # fmt: skip
    out = []
    for i in range(n):
        case_id = i // 2 + 1
        kind = FormKind.OPINION if i % 2 == 0 else FormKind.APPRAISAL
        name = surnames[case_id % len(surnames)] + given[case_id % len(given)] + given[(case_id * 7) % len(given)]
        text = encode(_SECRET, Payload(case_id, kind, 1 + case_id % 3, printed_on))
        out.append(replace(base, case_id=case_id, kind=kind, revision=1 + case_id % 3, qr_text=text, name=name))
    return out


def floor_seconds(forms: list[CaseForm], out: Path) -> float:
    start = time.perf_counter()
    pdf = draw.new_document(shipped_font_path(), "floor")
    for form in forms:
        DRAWERS[form.kind](pdf, form)
    draw.write_atomic(out, draw.pdf_bytes(pdf))
    return time.perf_counter() - start


def batch_seconds(forms: list[CaseForm], out: Path) -> float:
    start = time.perf_counter()
    render_batch(forms, out)
    return time.perf_counter() - start


def measure(n: int = 500) -> BenchResult:
    forms = sample_forms(n)
    with tempfile.TemporaryDirectory(prefix="zcws-bench-") as tmp:
        floor = floor_seconds(forms, Path(tmp) / "floor.pdf")
        batch = batch_seconds(forms, Path(tmp) / "batch")
    return BenchResult(n, floor, batch)


def main() -> int:
    result = measure(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
    print(json.dumps(result.to_json(), ensure_ascii=False))
    return 0 if result.ratio <= 1.5 else 1


if __name__ == "__main__":
    raise SystemExit(main())
