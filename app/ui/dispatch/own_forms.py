"""本程序表格: the unit's forms rendered by this program (with our QR code), for offline work and the
demo; the forms uploaded to the portal are the portal's own (:mod:`.portal_blanks`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.store import Store
from app.ui.desktop import open_folder
from app.ui.i18n import _

if TYPE_CHECKING:
    from app.ops.forms import RenderedForm
    from app.ui.dispatch.tab import DispatchTab


def render_forms(tab: DispatchTab, case_ids: list[int] | None, need_selection: bool = False,
                 out: Path | None = None) -> None:  # fmt: skip
    """The forms of ``case_ids`` (None: everyone waiting) into the 空白表格 folder beside the store, shown
    in the file manager."""
    if need_selection and not case_ids:
        tab.message.show_message(_("请先在列表中选择人员（可按住 Ctrl 多选）"), "warning")
        return
    from app.ops.forms import render_forms as render

    folder = out or tab.store.path.parent / _("空白表格")

    def work(store: Store, progress: Any, token: Any) -> Any:
        return render(store, case_ids, folder, progress=progress, token=token)

    def done(forms: list[RenderedForm]) -> None:
        tab.message.show_message(
            _("已生成 {n} 份空白表格，保存在：{folder}。请打印、签字盖章后扫描，拖回本页。").format(
                n=len(forms), folder=folder
            ),
            "success",
        )
        open_folder(folder)

    tab.run(_("正在生成空白表格…"), work, done)
