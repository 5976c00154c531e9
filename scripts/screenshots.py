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
    from app.ui.dialogs.history import HistoryDialog
    from app.ui.dialogs.settings import SettingsDialog

    dialog_shot(HistoryDialog(show_case(store, returned.case_id), window), "06-history")
    dialog_shot(ApplicantPreviewDialog(store, returned.case_id, window), "07-applicant-preview")

    window.tabs.setCurrentIndex(2)
    window.dispatch.ensure_loaded()
    window.dispatch.send()
    shot(window, "08-dispatch-refused")
    _bring_in_blanks(window, settle, shot)
    _scan_demo(window, home, settle)
    wait_for_ops()
    settle()
    lines = window.dispatch.pages.lines
    if lines:
        best = next((i for i, line in enumerate(lines) if line.result.ok and line.result.stamped), 0)
        window.dispatch.pages_view.selectRow(best)
        shot(window, "09-dispatch-checked")
        unsigned = next((i for i, line in enumerate(lines) if line.result.stamped is False), None)
        if unsigned is not None:
            window.dispatch.pages_view.selectRow(unsigned)
            shot(window, "18-dispatch-unsigned")

    dialog_shot(SettingsDialog(store, "urgency", window), "10-settings")
    window.show_faq()
    shot(window._guide, "11-faq")
    window._guide.open_chapter("05-review.md")
    shot(window._guide, "17-guide")
    window._guide.close()

    from app.ui.dialogs.data import ImportDialog
    from app.ui.dialogs.publicity import PublicityDialog

    import_dialog = ImportDialog.start(store, window, _sheet(home / "申报人员名单.csv"))
    if import_dialog is not None:
        # three open plans of 工程技术人员: the officer says which one the list is for
        plan = next(p for p in store.plans() if p.series == "工程技术人员" and "2025" in p.title)
        import_dialog.plan.setCurrentIndex(import_dialog.plan.findData(plan.id))
        import_dialog.tabs.setCurrentIndex(1)
        shot(import_dialog, "12-import-preview")
        import_dialog.close()
    dialog_shot(PublicityDialog(store, [r.case.id for r in window.dispatch.model.rows], window), "13-publicity")
    window.close()
    store.close()
    _start_page(home / "empty", shot)
    QApplication.processEvents()
    return 0


def _start_page(folder: Path, shot: object) -> None:
    """A first launch: the start page on an empty store."""
    from app.store import Store
    from app.ui.main_window import MainWindow

    store = Store(folder / "zcws.sqlite3")
    window = MainWindow(store)
    window.resize(*SIZE)
    window.show()
    shot(window, "16-start")  # type: ignore[operator]
    window.close()
    store.close()


def _bring_in_blanks(window: object, settle: object, shot: object) -> None:
    """Drop the demo's downloads from the portal on the tab; the page nobody could place is asked about."""
    from app.ops.demo import demo_downloads_dir
    from app.ui.workers import wait_for_ops

    tab = window.dispatch  # type: ignore[attr-defined]
    tab.check_inbox([demo_downloads_dir(tab.store)])
    wait_for_ops()
    settle()  # type: ignore[operator]
    from PySide6.QtWidgets import QApplication

    from app.ui.dialogs.blanks import AssignBlanksDialog

    dialog = next(
        (w for w in QApplication.topLevelWidgets() if isinstance(w, AssignBlanksDialog) and w.isVisible()), None
    )
    if dialog is not None:
        if dialog.case_box.currentIndex() < 0:
            dialog.case_box.setCurrentIndex(dialog.case_box.count() - 1)
        shot(dialog, "14-blanks-assign")  # type: ignore[operator]
        dialog.keep()
        wait_for_ops()
    tab.reload()
    shot(window, "15-blanks-in")  # type: ignore[operator]


def _scan_demo(window: object, home: Path, settle: object) -> None:
    """Turn one person's downloaded blanks into 'scans' and drop them on the tab."""
    import pypdfium2

    tab = window.dispatch  # type: ignore[attr-defined]
    if not tab.model.rows:
        return
    case_id = tab.model.rows[0].case.id
    forms = [b for b in tab.store.blanks_of([case_id]) if b.current]
    inbox = home / "inbox"
    inbox.mkdir()
    from tests.scan.stamps import PORTAL_SEAL_MM, PORTAL_SIGNATURE_MM, signed

    for i, f in enumerate(forms):
        pdf = pypdfium2.PdfDocument(tab.store.blank_pdf(f))
        page = pdf[0].render(scale=150 / 72).to_pil().convert("RGB")
        pdf.close()
        # the first signed and stamped, scanned in colour; the other scanned as it was printed
        scan = signed(page, PORTAL_SEAL_MM, PORTAL_SIGNATURE_MM) if i == 0 else page.convert("L")
        scan.save(inbox / f"扫描{i + 1}.jpg", quality=85)
    (inbox / "手机拍照.jpg").write_bytes((inbox / "扫描1.jpg").read_bytes()[:2000])
    tab.check_inbox([inbox])


def _sheet(path: Path) -> Path:
    """A list as an officer gets it: most rows fine, one ID number mistyped, one person twice."""
    from app.core.ids import id_check_char

    people = [("周建国", "42020219800312123"), ("吴晓梅", "42020319850721456"), ("郑海峰", "42028119790905234"),
              ("王丽", "42020419880214567")]  # fmt: skip
    lines = ["序号,姓名,证件号码,系列,专业,申报职务"]
    for i, (name, first17) in enumerate(people, 1):
        lines.append(f"{i},{name},{first17 + id_check_char(first17)},工程技术人员,建筑工程,工程师")
    lines.append("5,陈志强,420202198203151230,工程技术人员,市政工程,工程师")  # a wrong check digit
    lines.append(lines[1].replace("1,", "6,", 1))  # the same person again
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return path


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
