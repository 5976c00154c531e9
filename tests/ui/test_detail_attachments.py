"""附件材料 in the detail tab speaks Chinese: the stored verdict by its label, not its code."""

from __future__ import annotations

from app.core.models import Slot
from app.core.review import Status
from app.store import Store


def test_stored_attachments_show_the_verdict_label(window, demo_store: Store) -> None:
    from app.ui.models.table import TextTableModel

    case = demo_store.cases(status=Status.PASSED)[0]
    demo_store.add_attachment(case.id, Slot.OPINION, b"scan", "jpg", "意见表.jpg", "ok", "流程信息第 1 版，与当前一致",
                              case.revision)  # fmt: skip
    window.tabs.setCurrentIndex(1)
    window.detail.open_case(case.id)
    window.detail.views.setCurrentIndex(3)
    models = window.detail.attach_area.widget().findChildren(TextTableModel)
    cells = [m.index(r, c).data() for m in models for r in range(m.rowCount()) for c in range(m.columnCount())]
    assert "意见表.jpg" in cells and "可以上传" in cells
    assert "ok" not in cells
