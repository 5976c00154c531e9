"""送审: the selection (or everyone listed) refused with every missing item named person by person, or
confirmed first (the cases take no more attachments afterwards) and then sent."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.core.errors import RuleError, ZcwsError
from app.ui.dispatch.confirm import confirm
from app.ui.i18n import _
from app.ui.wording import fix_text
from app.ui.workers import Changes, announce, error_text

if TYPE_CHECKING:
    from app.ui.dispatch.tab import DispatchTab


def send_chosen(tab: DispatchTab) -> None:
    from app.ops.dispatch import send_check

    ids = tab.view.chosen_ids()
    if not ids:
        tab.message.show_message(_("没有等待送审的人员：审核通过的办件会出现在这里"), "info")
        return
    try:
        warnings = send_check(tab.store, ids)
    except RuleError as exc:
        tab.message.show_message(
            _("不能送审：\n{problems}\n{fix}").format(problems=exc.message, fix=fix_text(exc.fix, exc.next) or ""),
            "error",
        )
        return
    except ZcwsError as exc:
        tab.message.show_message(error_text(exc), "error")
        return
    names = [r.case.name for r in tab.model.rows if r.case.id in ids]
    shown = "、".join(names[:10]) + (_("等 {n} 人").format(n=len(names)) if len(names) > 10 else "")
    confirm(
        tab, _("确认送审"), _("将送审 {n} 人：{names}").format(n=len(ids), names=shown), warnings,
        _("送审后，这些办件不能再更换附件。"), _("送审"), _("仍然送审"), lambda: _send_confirmed(tab, ids),
    )  # fmt: skip


def _send_confirmed(tab: DispatchTab, ids: list[int]) -> None:
    from app.ops.dispatch import send_cases

    try:
        result = send_cases(tab.store, ids, accept_warnings=True)
    except ZcwsError as exc:  # changed in between (another window, the command line)
        tab.message.show_message(error_text(exc), "error")
        return
    tab.message.show_message(result.message, "success")
    announce(Changes(cases=frozenset(ids)))
