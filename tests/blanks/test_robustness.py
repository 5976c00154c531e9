"""Bringing blanks in meets the robustness corpus: a clear Chinese message per file, the store unchanged."""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2

from app.core.review import Status
from app.ops.blanks import import_blanks
from app.ops.forms import render_forms
from app.store import Store
from tests.robustness.conftest import TALLY, files, fingerprint
from tests.robustness.corpus import odd_names, scan_corpus

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def test_every_bad_file_is_refused_with_a_clear_message(demo_store: Store, tmp_path: Path) -> None:
    case = demo_store.cases(status=Status.PASSED)[0]
    form = next(f for f in render_forms(demo_store, [case.id], tmp_path / "表格") if f.form.value == "opinion")
    png = tmp_path / "表格" / "意见表.png"
    with pypdfium2.PdfDocument(str(form.path)) as pdf:
        pdf[0].render(scale=200 / 72).to_pil().save(png)
    corpus = scan_corpus(tmp_path / "坏文件", Path(form.path), png)
    corpus.update({p.name: p for p in odd_names(tmp_path / "怪名字", Path(form.path))})
    demo_store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = fingerprint(demo_store.path), files(demo_store.attachments_dir)
    for name, path in corpus.items():
        TALLY.input()  # counted with the robustness suite's inputs
        result = import_blanks(demo_store, [path])
        assert not result.imported, name
        assert result.unmatched and all(CHINESE.search(u.reason) for u in result.unmatched), name
    demo_store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert (fingerprint(demo_store.path), files(demo_store.attachments_dir)) == before
