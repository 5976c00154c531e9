"""Screenshots of the main window on the demo data: one PNG per tab and main dialog.

Usage: python scripts/screenshots.py OUTDIR

Runs offscreen on a fresh demo store in a temporary data folder, so the officer's
data is never touched.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SIZE = (1440, 880)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="zcws-shots-"))
    os.environ["ZCWS_HOME"] = str(home)

    from PySide6.QtWidgets import QApplication, QDialog, QWidget

    from app.core.review import Module, Status
    from app.ui.main_window import MainWindow, make_app, open_window_store
    from app.ui.workers import wait_for_ops

    app = make_app()
    store = open_window_store(demo=True)
    window = MainWindow(store, demo=True)
    window.resize(*SIZE)
    window.show()

    def settle() -> None:
        for _ in range(5):
            app.processEvents()

    def shot(widget: QWidget, name: str) -> None:
        settle()
        path = out / f"{name}.png"
        widget.grab().save(str(path))
        print(path)

    def dialog_shot(dialog: QDialog, name: str) -> None:
        dialog.show()
        shot(dialog, name)
        dialog.close()

    shot(window, "01-queue")

    rows = window.queue.model.rows
    returned = next(r for r in rows if r.status is Status.RETURNED and r.urgency.reviewable)
    pending = next(r for r in rows if r.status is Status.PENDING and r.urgency.reviewable)
    window.queue.select_case(pending.case_id)
    window.queue.open_current()
    panel = window.detail.panel
    panel.set_result(__import__("app.core.review", fromlist=["ReviewResult"]).ReviewResult.RETURN)
    panel.opinion.setPlainText("业绩成果佐证材料不全，请补充。")
    panel.mark_row(Module.ACHIEVEMENTS).yes.setChecked(True)
    panel.mark_row(Module.ACHIEVEMENTS).reason.setText("论文缺少检索证明")
    panel.mark_row(Module.STUDY).yes.setChecked(True)
    window.detail.save()
    shot(window, "02-detail-error")
    panel.mark_row(Module.STUDY).reason.setText("2024年继续教育学时证明缺失")
    window.detail.save()
    shot(window, "03-detail-saved")
    window.detail.views.setCurrentIndex(1)
    shot(window, "04-detail-form")
    window.detail.views.setCurrentIndex(2)
    shot(window, "05-detail-summary")
    window.detail.views.setCurrentIndex(0)

    from app.ops.cases import show_case
    from app.ui.applicant_preview import ApplicantPreviewDialog
    from app.ui.dialogs.help import FaqDialog
    from app.ui.dialogs.history import HistoryDialog
    from app.ui.dialogs.settings import SettingsDialog

    dialog_shot(HistoryDialog(show_case(store, returned.case_id), window), "06-history")
    dialog_shot(ApplicantPreviewDialog(store, returned.case_id, window), "07-applicant-preview")

    window.tabs.setCurrentIndex(2)
    window.dispatch.ensure_loaded()
    window.dispatch.send()
    shot(window, "08-dispatch-refused")
    _scan_demo(window, home, settle)
    wait_for_ops()
    settle()
    lines = window.dispatch.pages.lines
    if lines:
        best = next((i for i, line in enumerate(lines) if line.result.ok), 0)
        window.dispatch.pages_view.selectRow(best)
        shot(window, "09-dispatch-checked")

    dialog_shot(SettingsDialog(store, "urgency", window), "10-settings")
    dialog_shot(FaqDialog(window), "11-faq")
    window.close()
    store.close()
    QApplication.processEvents()
    return 0


def _scan_demo(window: object, home: Path, settle: object) -> None:
    """Render one person's blank forms, turn them into 'scans' and drop them on the tab."""
    try:
        from app.ops.forms import render_forms
        from app.ops.scan import sort_inbox  # noqa: F401
    except ImportError:
        return
    import pypdfium2

    tab = window.dispatch  # type: ignore[attr-defined]
    if not tab.model.rows:
        return
    case_id = tab.model.rows[0].case.id
    forms_dir = home / "forms"
    forms = render_forms(tab.store, [case_id], forms_dir)
    inbox = home / "inbox"
    inbox.mkdir()
    for i, f in enumerate(forms):
        pdf = pypdfium2.PdfDocument(str(f.path))
        pdf[0].render(scale=150 / 72).to_pil().convert("L").save(inbox / f"扫描{i + 1}.jpg", quality=85)
        pdf.close()
    (inbox / "手机拍照.jpg").write_bytes((inbox / "扫描1.jpg").read_bytes()[:2000])
    tab.check_inbox([inbox])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
