"""How a fix's step is taken in the window."""

from __future__ import annotations

from app.core.models import Slot
from app.core.steps import Next, Step, with_how
from app.ui.i18n import _


def how(next: Next | None) -> str | None:
    """Where in the window ``next`` is taken, or None."""
    if next is None:
        return None
    if next.step is Step.ATTACH:
        slot = Slot.parse(next.slot).label if next.slot else _("对应的")
        return _("在“单位送审”页把这一页拖到该人的“{slot}”一格").format(slot=slot)
    places = {
        Step.REPRINT_FORM: _("在“单位送审”页选中这一页，点“重新生成表格”"),
        Step.ASSIGN_BY_HAND: _("在“单位送审”页把这一页拖到对应的人的附件栏"),
        Step.IMPORT_BLANK: _("把下载的 PDF 拖到窗口上"),
        Step.PRINT_BLANK: _("在“单位送审”页选中这一页，点“打印新下载的表”"),
        Step.CHECK_SCANS: _("把扫描件拖到“单位送审”页"),
        Step.SORT_FOLDER: _("把整个文件夹拖到“单位送审”页"),
        Step.ENTER_UNIT: _("设置 → 单位信息"),
        Step.LIST_CASES: _("在“审核列表”中查找"),
        Step.RESTORE: _("文件 → 恢复…"),
        Step.CONFIRM_EXPORT: _("再点“导出送审包…”，在提示中点“仍然导出”"),
    }
    return places[next.step]


def fix_text(fix: str | None, next: Next | None) -> str | None:
    """``fix`` with where in the window its step is taken."""
    return with_how(fix, how(next))
