"""Rendering many forms at once: one PDF per case and form, and a combined PDF to print.

The font is cut down once for the whole batch (:class:`~app.forms.fonts.BatchFont`);
every file is written atomically, so an interrupted batch leaves whole files only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from app.core.payload import FormKind
from app.core.progress import CancelToken, Progress, no_progress
from app.forms import draw
from app.forms.case_forms import DRAWERS, CaseForm, blank_page, static_texts
from app.forms.fonts import BatchFont
from app.forms.names import safe_filename
from app.store import Store

CHUNK = 10
"""Forms drawn into one fpdf2 document and then split into their own files.

fpdf2 subsets the font each time it writes a document (~15 ms); split by pdfium
(~1 ms a page), ten forms pay for it once and each file is only ~10 % larger."""

COMBINED_NAME = "全部表格_双面打印.pdf"
"""The combined PDF of a batch, in the output folder: every form on its own sheet."""


def form_filename(form: CaseForm) -> str:
    """``0012_王伟_单位审核意见表.pdf``: sorts by case, says whose and which form.

    The revision is not in the name, so that a form rendered again after a return
    replaces the stale file instead of lying beside it.
    """
    return safe_filename(f"{form.case_id:04d}_{form.name}_{form.kind.label}.pdf")


def case_forms(store: Store, case_ids: Sequence[int], kinds: Sequence[FormKind], printed_on: date) -> list[CaseForm]:
    """The forms of ``case_ids`` (in that order, each in the order of ``kinds``)."""
    plans = {p.id: p for p in store.plans()}
    secret = store.secret
    out = []
    for case_id in case_ids:
        case = store.case(case_id)
        for kind in kinds:
            if kind not in DRAWERS:
                raise ValueError(f"not a case form: {kind}")
            out.append(CaseForm.of(secret, case, plans[case.plan_id], kind, printed_on))
    return out


def batch_font(forms: Sequence[CaseForm]) -> BatchFont:
    texts = static_texts()
    for form in forms:
        texts += form.texts()
    return BatchFont(texts)


def render_document(forms: Sequence[CaseForm], font: BatchFont, duplex: bool = False) -> bytes:
    """One PDF of ``forms``; ``duplex`` puts every form on its own sheet (a blank back after each page)."""
    title = forms[0].kind.label if len(forms) == 1 else "单位审核意见表与考核表"
    pdf = draw.new_document(font, f"{title} - {forms[0].name}" if len(forms) == 1 else title)
    for form in forms:
        DRAWERS[form.kind](pdf, form)
        if duplex:
            blank_page(pdf)
    return draw.pdf_bytes(pdf)


def render_batch(
    forms: Sequence[CaseForm], out: Path, *, combined: bool = False, progress: Progress = no_progress,
    token: CancelToken | None = None, on_written: Callable[[CaseForm, Path], None] | None = None,
) -> list[Path]:  # fmt: skip
    """Write one PDF per form into the folder ``out``; returns their paths, in order.

    With ``combined`` also ``out/`` :data:`COMBINED_NAME`, ready to print double-sided.
    ``on_written`` hears of each file as soon as it is complete, also when the batch
    is cancelled or fails later.
    """
    total = len(forms) + (1 if combined else 0)
    paths: list[Path] = []
    if not forms:
        return paths
    with batch_font(forms) as font:
        for start in range(0, len(forms), CHUNK):
            if token is not None:
                token.check()
            chunk = forms[start : start + CHUNK]
            for i, (form, data) in enumerate(zip(chunk, draw.split_pages(render_document(chunk, font)), strict=True)):
                path = out / form_filename(form)
                draw.write_atomic(path, data, durable=False)
                paths.append(path)
                if on_written is not None:
                    on_written(form, path)
                progress(start + i + 1, total, f"{form.name} {form.kind.label}")
        if combined:
            if token is not None:
                token.check()
            draw.write_atomic(out / COMBINED_NAME, render_document(forms, font, duplex=True))
            progress(total, total, "合并打印文件")
    return paths


def render_form_pdf(store: Store, case_id: int, kind: FormKind, path: Path, today: date | None = None) -> Path:
    """Render one form of one case to ``path`` (a file name, or a folder to put it in); returns the file.

    Does not record the printing: :func:`app.ops.forms.render_forms` does, for the officer's prints.
    """
    (form,) = case_forms(store, [case_id], [kind], today or date.today())
    if path.is_dir():
        path = path / form_filename(form)
    with batch_font([form]) as font:
        draw.write_atomic(path, render_document([form], font))
    return path
