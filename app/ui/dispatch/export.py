"""导出送审包…: the selection (or everyone listed) exported with its 一览表; a 盖章页 seen unsigned or
unstamped is named first and the export goes on only when the officer confirms."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFileDialog

from app.core.errors import ZcwsError
from app.store import Store
from app.ui.desktop import open_folder
from app.ui.dispatch.confirm import confirm
from app.ui.i18n import _
from app.ui.workers import error_text

if TYPE_CHECKING:
    from app.ui.dispatch.tab import DispatchTab


def export_chosen(tab: DispatchTab, out: Path | None = None) -> None:
    """Into ``out``, or a folder the officer chooses once the export is confirmed."""
    from app.ops.data import export_check

    ids = tab.view.selected_ids() or None
    try:
        unstamped = export_check(tab.store, ids)
    except ZcwsError as exc:
        tab.message.show_message(error_text(exc), "error")
        return
    if not unstamped:
        _export_confirmed(tab, out, ids)
        return
    confirm(
        tab, _("确认导出"), _("有 {n} 张盖章页未见签字盖章").format(n=len(unstamped)), unstamped,
        _("系统能识别这些页，但评委会看的是页面：最好签字盖章后重新扫描上传。"), _("导出"), _("仍然导出"),
        lambda: _export_confirmed(tab, out, ids),
    )  # fmt: skip


def _export_confirmed(tab: DispatchTab, out: Path | None, ids: list[int] | None) -> None:
    from app.ops.data import export_packages as export

    if not out:
        chosen = QFileDialog.getExistingDirectory(tab, _("选择送审包的保存位置"), str(Path.home()))
        if not chosen:
            return
        out = Path(chosen)
    folder = out

    def work(store: Store, progress: Any, token: Any) -> Any:
        return export(store, folder, ids, progress=progress, token=token, confirmed=True)

    def done(result: Any) -> None:
        tab.message.show_message(result.summary(), "success" if not result.not_ready else "warning")
        open_folder(result.folder)

    tab.run(_("正在导出送审包…"), work, done)
