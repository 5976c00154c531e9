"""查看审核进度 (every decision and revision) and 查看退回修改信息 (what was returned, and why)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from app.core.review import ReviewResult
from app.ops.cases import CaseDetail
from app.ui.i18n import _
from app.ui.models.table import TextTableModel
from app.ui.widgets import fitted_table

HISTORY_HEADERS = ("时间", "事项", "审核人", "审核意见", "退回的模块及原因", "流程版本")
RETURN_HEADERS = ("模块", "审核结果", "退回原因")


def history_rows(detail: CaseDetail) -> list[list[str]]:
    """Reviews and revision changes of a case, oldest first."""
    events: list[tuple[str, list[str]]] = []
    for r in detail.reviews:
        returns = "；".join(f"{m.label}：{why}" for m, why in r.returns.items())
        at = r.at.isoformat(" ", "minutes")
        events.append((r.at.isoformat(), [at, r.result.label, r.reviewer, r.opinion, returns, str(r.revision)]))
    for e in detail.revisions:
        at = e.at.isoformat(" ", "minutes")
        events.append((e.at.isoformat(), [at, e.reason, "", "", "", str(e.revision)]))
    events.sort(key=lambda item: item[0])
    return [row for _key, row in events]


class _TableDialog(QDialog):
    def __init__(
        self, title: str, intro: str, headers: tuple[str, ...], rows: list[list[str]], parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(860, 420)
        layout = QVBoxLayout(self)
        label = QLabel(intro, self)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.model = TextTableModel(headers, rows, self)
        self.table = fitted_table(self.model, self, "history")
        layout.addWidget(self.table)
        layout.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


class HistoryDialog(_TableDialog):
    def __init__(self, detail: CaseDetail, parent: QWidget | None = None) -> None:
        case = detail.row.case
        super().__init__(
            _("审核进度 — {name}").format(name=case.name),
            _("{name}（{business}）的每一次审核和流程信息变更，按时间先后：").format(
                name=case.name, business=case.business
            ),
            HISTORY_HEADERS,
            history_rows(detail),
            parent,
        )


class ReturnInfoDialog(_TableDialog):
    def __init__(self, detail: CaseDetail, parent: QWidget | None = None) -> None:
        case = detail.row.case
        returns = [r for r in detail.reviews if r.result is ReviewResult.RETURN]
        if case.returned:
            intro = _("当前退回修改的模块（申报人只能修改这些模块）：")
            rows = [[m.label, _("审核不通过"), why] for m, why in case.returned.items()]
        elif returns:
            last = returns[-1]
            intro = _("最近一次退回（{at}）的模块；申报人已重新提交：").format(at=last.at.isoformat(" ", "minutes"))
            rows = [[m.label, _("审核不通过"), why] for m, why in last.returns.items()]
        else:
            intro = _("该办件没有被退回过。")
            rows = []
        super().__init__(_("退回修改信息 — {name}").format(name=case.name), intro, RETURN_HEADERS, rows, parent)
