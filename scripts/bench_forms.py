"""Benchmark of the forms batch against its floor (issue 4).

Usage: python scripts/bench_forms.py [N]   (default 500 pages; prints one JSON line)

Floor: the same N pages drawn into one fpdf2 document, font loaded once, QR matrices
from qrcode. Goal: the N per-form PDFs written within 1.5x of it (``ratio`` <= 1.5).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.forms.bench import measure


def main() -> int:
    result = measure(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
    print(json.dumps(result.to_json(), ensure_ascii=False))
    return 0 if result.ratio <= 1.5 else 1


if __name__ == "__main__":
    raise SystemExit(main())
