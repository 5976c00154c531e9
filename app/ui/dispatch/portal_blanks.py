"""The portal's blank forms (系统空白表): downloads brought in, the pages nobody could place assigned
by the officer (指定空白表属于谁), and everyone's current blanks printed as one PDF."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFileDialog

from app.core.errors import ZcwsError
from app.core.models import Slot
from app.store import Store
from app.ui.desktop import open_folder
from app.ui.i18n import _
from app.ui.workers import Changes, announce

if TYPE_CHECKING:
    from app.ops.blanks import ImportResult, Unmatched
    from app.ui.dispatch.tab import DispatchTab


def choose_downloads(tab: DispatchTab) -> None:
    """导入系统空白表…: the officer picks the downloads."""
    files, _filter = QFileDialog.getOpenFileNames(
        tab, _("选择从系统下载的空白表"), str(Path.home()), _("PDF 或 ZIP (*.pdf *.zip);;所有文件 (*)")
    )
    if files:
        import_downloads(tab, [Path(f) for f in files])


def import_downloads(tab: DispatchTab, paths: list[Path], case_id: int | None = None, slot: Slot | None = None) -> None:
    """Bring in downloaded blanks (whatever they look like: the officer said they are downloads),
    as ``case_id``'s ``slot`` when given."""
    from app.ops.blanks import import_blanks

    def work(store: Store, progress: Any, token: Any) -> Any:
        return import_blanks(store, paths, case_id, slot, progress=progress, token=token)

    tab.run(_("正在导入系统空白表…"), work, lambda result: brought_in(tab, result))


def brought_in(tab: DispatchTab, result: ImportResult, also: str = "") -> None:
    """What came in, said in the message bar (after ``also``); the pages nobody could place are asked about."""
    new = sum(1 for i in result.imported if i.status != "same")
    same = len(result.imported) - new
    unsure = [u for u in result.unmatched if u.assignable]
    refused = [u for u in result.unmatched if not u.assignable]
    text = _("已导入 {n} 张系统空白表").format(n=new)
    if same:
        text += _("，{same} 张以前已导入").format(same=same)
    if refused:
        text += _("；未导入：") + "；".join(
            f"{u.page.source.file_name} 第 {u.page.page} 页：{u.reason}" for u in refused[:5]
        )
        if len(refused) > 5:
            text += _("……（共 {n} 页）").format(n=len(refused))
    if unsure:
        text += _("；{n} 页不能确定属于谁，请逐页指定").format(n=len(unsure))
    if also:
        text = f"{also}\n{text}"
    tab.message.show_message(text, "warning" if refused or unsure else "success")
    announce(Changes(cases=frozenset(i.case_id for i in result.imported), attachments=True))
    if unsure:
        ask_assignments(tab, unsure)


def ask_assignments(tab: DispatchTab, pages: list[Unmatched]) -> None:
    """指定空白表属于谁, page by page; the pages the officer keeps are brought in together."""
    from app.ui.dialogs.blanks import AssignBlanksDialog

    cases = [r.case for r in tab.model.rows] or tab.store.cases(with_modules=False)
    dialog = AssignBlanksDialog(pages, cases, tab)
    dialog.accepted.connect(lambda: _assign(tab, dialog.chosen))
    dialog.open()


def _assign(tab: DispatchTab, chosen: list[tuple[Any, int, Slot]]) -> None:
    from app.ops.blanks import assign_blank

    def work(store: Store, progress: Any, token: Any) -> Any:
        done, refused = [], []
        for n, (u, case_id, slot) in enumerate(chosen, start=1):
            progress(n - 1, len(chosen), u.page.source.file_name)
            try:
                done.append(assign_blank(store, u.page, case_id, slot))
            except ZcwsError as exc:
                refused.append(f"{u.page.source.file_name} 第 {u.page.page} 页：{exc.message}")
        return done, refused

    def finished(result: Any) -> None:
        done, refused = result
        text = _("已按指定导入 {n} 张系统空白表").format(n=len(done))
        if refused:
            text += _("；未导入：") + "；".join(refused)
        tab.message.show_message(text, "warning" if refused else "success")
        announce(Changes(cases=frozenset(i.case_id for i in done), attachments=True))

    tab.run(_("正在导入指定的空白表…"), work, finished)


def print_blanks(tab: DispatchTab, case_ids: list[int] | None, out: Path | None = None) -> None:
    """打印系统空白表: the current blanks of ``case_ids`` (None: everyone waiting) as one PDF, opened for
    printing (kept in the 打印 folder beside the store)."""
    from app.ops.blanks import print_blanks as merge

    target = out or tab.store.path.parent / _("打印") / f"系统空白表-{datetime.now():%Y%m%d-%H%M%S}.pdf"

    def work(store: Store, progress: Any, token: Any) -> Any:
        return merge(store, case_ids, target)

    def done(printed: Any) -> None:
        text = _("已把 {n} 张系统空白表合成一个 PDF：{path}").format(n=printed.pages, path=printed.path)
        if printed.missing:
            text += _("。还没有导入空白表：") + "、".join(printed.missing)
        tab.message.show_message(text, "warning" if printed.missing else "success")
        open_folder(printed.path)

    tab.run(_("正在合成空白表…"), work, done)
