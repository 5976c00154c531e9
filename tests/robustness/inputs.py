"""The inputs the benchmark makes (scripts/bench_inputs.py), shared with the robustness suite."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_PATH = Path(__file__).resolve().parents[2] / "scripts" / "bench_inputs.py"


def _load():
    if "bench_inputs" in sys.modules:
        return sys.modules["bench_inputs"]
    spec = importlib.util.spec_from_file_location("bench_inputs", _PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_inputs"] = module
    spec.loader.exec_module(module)
    return module


_inputs = _load()
make_queue = _inputs.make_queue
make_spreadsheet = _inputs.make_spreadsheet
qr_page = _inputs.qr_page
unique_ids = _inputs.unique_ids
