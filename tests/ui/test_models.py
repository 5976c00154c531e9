"""The table models pass Qt's model tester; the queue filters and sorts 10,000 cases rightly (the speed is
scripts/bench.py's)."""

from __future__ import annotations

import random
from datetime import date

from PySide6.QtCore import Qt

from app.core.review import Status
from app.core.urgency import Urgency
from app.ops.cases import list_cases
from app.ops.dispatch import dispatch_rows
from app.ui.models import RowRole, SortRole
from app.ui.models.cases import COL_NAME, COL_URGENCY, CaseTableModel, QueueRow, search_text
from app.ui.models.dispatch import COL_PROBLEM, DispatchModel
from app.ui.models.table import EditableTableModel, TextTableModel

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超"


def generated_rows(n: int, seed: int = 7) -> list[QueueRow]:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        id_number = f"420202{1960 + i % 40}0101{i % 1000:03d}X"
        rows.append(
            QueueRow(i + 1, "职称评审(通用)", name, "420202********001X", "工程技术人员", "水利水电",
                     rng.choice(list(Status)), rng.choice(list(Urgency)), date(2026, 1, 1), None,
                     search_text(name, id_number, "水利水电"))
        )  # fmt: skip
    return rows


def test_queue_models_pass_the_model_tester(qtmodeltester, demo_store) -> None:
    model = CaseTableModel()
    model.set_rows(QueueRow.from_case_row(r) for r in list_cases(demo_store))
    qtmodeltester.check(model, force_py=True)
    model.set_status(Status.PENDING)
    qtmodeltester.check(model, force_py=True)


def test_text_tables_pass_the_model_tester_and_say_no_data(qtmodeltester) -> None:
    empty = TextTableModel(("专利名称", "取得日期"), [])
    qtmodeltester.check(empty, force_py=True)
    assert empty.index(0, 0).data() == "暂无数据"
    full = TextTableModel(("专利名称", "取得日期"), [["一种防堵塞雨水井盖", "2021-08-17"]])
    qtmodeltester.check(full, force_py=True)
    editable = EditableTableModel(("年度", "学时"), [["2024", "72"]])
    editable.add_row()
    editable.setData(editable.index(1, 0), "2025")
    qtmodeltester.check(editable, force_py=True)
    assert editable.values() == [["2024", "72"], ["2025", ""]]


def test_search_in_ten_thousand_cases_is_right(qapp) -> None:
    rows = generated_rows(10_000)
    model = CaseTableModel()
    model.set_rows(rows)
    for text in ("王", "王伟", "王伟芳", "王伟", "王", "", "42020219", "４２０２０２１９", "水利"):
        model.set_search(text)
        needle = text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
        assert model.case_ids() == [r.case_id for r in rows if needle in r.search_text], text
    model.set_search("")
    model.set_urgency(Urgency.CRITICAL)
    model.set_status(Status.PENDING)
    assert model.rowCount() == sum(1 for r in rows if r.urgency is Urgency.CRITICAL and r.status is Status.PENDING)


def test_sorting_uses_pinyin_order_and_native_values(qapp) -> None:
    rows = generated_rows(300)
    model = CaseTableModel()
    model.set_rows(rows)
    model.sort(COL_NAME, Qt.SortOrder.AscendingOrder)
    names = [model.index(i, COL_NAME).data() for i in range(model.rowCount())]
    surnames_in_order = list(dict.fromkeys(n[0] for n in names))
    # 陈 (chen) before 王 (wang) before 张 (zhang) before 周 (zhou)
    order = [surnames_in_order.index(s) for s in "陈王张周"]
    assert order == sorted(order)
    model.sort(COL_URGENCY, Qt.SortOrder.DescendingOrder)
    keys = [model.index(i, COL_URGENCY).data(SortRole) for i in range(model.rowCount())]
    assert keys == sorted(keys, reverse=True)
    assert all(isinstance(k, int) for k in keys)
    assert isinstance(model.index(0, 0).data(RowRole), QueueRow)


def test_the_dispatch_lists_to_do_column_says_what_stops_the_person_without_the_name(qtmodeltester, demo_store) -> None:
    model = DispatchModel()
    model.set_rows(dispatch_rows(demo_store))
    qtmodeltester.check(model)
    first = model.rows[0]
    assert model.index(0, COL_PROBLEM).data() == "推荐单位公示证明、单位考核表、单位审核意见表未上传"
    assert first.case.name not in model.index(0, COL_PROBLEM).data()
