"""The queue's search box, typed into as an officer does: what it finds, with the other filters,
and the queue's models checked by Qt's model tester while the search changes them."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from app.core.ids import id_check_char, mask_id
from app.core.review import Status
from app.core.urgency import Urgency
from app.ui.models import RowRole
from app.ui.models.cases import CaseTableModel, QueueRow, search_text
from tests.ui.conftest import type_text

FULL_WIDTH = str.maketrans("0123456789X*", "０１２３４５６７８９Ｘ＊")


def shown_ids(queue) -> list[int]:
    return [queue.model.index(i, 0).data(RowRole).case_id for i in range(queue.model.rowCount())]


def expected_ids(store, text: str) -> list[int]:
    """The cases a search should show, worked out here on the store's cases, in number order."""
    pattern = re.compile(".".join(re.escape(part) for part in _folded(text).strip().split("*")))
    return [c.id for c in store.cases() if any(pattern.search(_folded(f)) for f in (c.name, c.id_number, c.specialty))]


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text).upper()


def search(qtbot, queue, text: str) -> list[int]:
    queue.search.clear()
    type_text(qtbot, queue.search, text)
    assert queue.search.text() == text
    return shown_ids(queue)


def add_case(store, name: str, id_number: str, specialty: str) -> int:
    plan = store.plans()[0]
    return store.add_case(plan.id, name, id_number, plan.series, specialty, "工程师", "黄石市演示单位", date.today())


def id_number_ending_in_x() -> str:
    first17 = next(f for n in range(1000) if id_check_char(f := f"42020219850101{n:03d}") == "X")
    return first17 + "X"


def test_an_id_number_is_found_whole_masked_in_part_and_in_full_width(window, qtbot) -> None:
    store, queue = window.store, window.queue
    someone = store.cases()[7]
    assert search(qtbot, queue, someone.id_number) == [someone.id]
    # as the list shows it: each * stands for one hidden digit
    masked = mask_id(someone.id_number)
    found = search(qtbot, queue, masked)
    assert someone.id in found and found == expected_ids(store, masked)
    assert search(qtbot, queue, masked.translate(FULL_WIDTH)) == found
    assert search(qtbot, queue, someone.id_number.translate(FULL_WIDTH)) == [someone.id]
    tail = someone.id_number[-6:]
    assert search(qtbot, queue, tail) == expected_ids(store, tail)
    assert search(qtbot, queue, "*" + tail[-4:]) == expected_ids(store, tail[-4:])
    search(qtbot, queue, someone.id_number)
    assert queue.model.index(0, 3).data() == masked  # found by the full number, shown masked


def test_a_check_letter_x_typed_in_either_case_or_width(window, qtbot) -> None:
    store, queue = window.store, window.queue
    number = id_number_ending_in_x()
    case_id = add_case(store, "欧阳晓", number, "电气工程")
    queue.reload()
    for typed in (number, number.lower(), number.translate(FULL_WIDTH), number[:-1] + "ｘ"):
        assert search(qtbot, queue, typed) == [case_id], typed


def test_names_and_specialties_with_the_other_filters(window, qtbot) -> None:
    store, queue = window.store, window.queue
    someone = store.cases()[3]
    assert someone.id in search(qtbot, queue, someone.name)
    assert search(qtbot, queue, someone.name) == expected_ids(store, someone.name)
    assert search(qtbot, queue, someone.name[0]) == expected_ids(store, someone.name[0])
    found = search(qtbot, queue, someone.specialty)
    assert found == expected_ids(store, someone.specialty) and someone.id in found
    assert all(store.case(i).specialty == someone.specialty for i in found)
    assert "显示" in queue.count.text()
    # the status filter narrows what the search found, and lets it go again
    status = store.case(found[0]).status
    queue.status_filter.setCurrentIndex(queue.status_filter.findData(status))
    assert shown_ids(queue) == [i for i in found if store.case(i).status is status]
    queue.set_filters()
    assert shown_ids(queue) == found
    assert search(qtbot, queue, "没有这个人") == []
    queue.search.clear()
    assert shown_ids(queue) == [c.id for c in store.cases()]


def test_a_specialty_typed_with_full_width_brackets(window, qtbot) -> None:
    store, queue = window.store, window.queue
    first17 = "42020219800202001"
    case_id = add_case(store, "柯明", first17 + id_check_char(first17), "给排水(市政)工程")
    queue.reload()
    assert search(qtbot, queue, "给排水（市政）") == [case_id]
    assert search(qtbot, queue, "给排水(市政)") == [case_id]


def test_the_selected_case_stays_selected_while_the_search_keeps_it(window, qtbot) -> None:
    store, queue = window.store, window.queue
    someone = store.cases()[5]
    assert queue.select_case(someone.id)
    type_text(qtbot, queue.search, someone.name)
    assert queue.current_case_id() == someone.id
    queue.search.clear()
    assert queue.current_case_id() == someone.id
    type_text(qtbot, queue.search, "没有这个人")
    assert queue.current_case_id() is None


def _queue(store) -> tuple[list[QueueRow], CaseTableModel]:
    from app.ops.cases import list_cases

    rows = [QueueRow.from_case_row(r) for r in list_cases(store)]
    model = CaseTableModel()
    model.set_rows(rows)
    return rows, model


def _reviewed(row: QueueRow, status: Status) -> QueueRow:
    fields = {name: getattr(row, name) for name in QueueRow.__dataclass_fields__}
    return QueueRow(**{**fields, "status": status, "cells": ()})


def test_the_queue_model_passes_the_model_tester_while_searched_sorted_and_changed(qtmodeltester, demo_store) -> None:
    rows, model = _queue(demo_store)
    qtmodeltester.check(model, force_py=True)
    someone = rows[4]
    model.set_search(someone.name)
    assert someone.case_id in model.case_ids()
    model.set_search(mask_id(demo_store.case(someone.case_id).id_number).translate(FULL_WIDTH))
    assert someone.case_id in model.case_ids()
    model.set_search("")
    model.set_status(Status.PENDING)
    model.sort(2)
    model.set_urgency(Urgency.NORMAL)
    model.set_urgency(None)
    pending = model.rowCount()
    # a review changes a row's status: it leaves the rows shown
    first = model.index(0, 0).data(RowRole)
    model.update_rows([_reviewed(first, Status.PASSED)])
    assert model.rowCount() == pending - 1 and first.case_id not in model.case_ids()
    # and one that stays shown is changed where it is
    second = model.index(0, 0).data(RowRole)
    model.update_rows([_reviewed(second, Status.PENDING)])
    assert model.index(0, 0).data(RowRole).case_id == second.case_id
    model.set_rows(rows)
    assert model.case_ids() == [r.case_id for r in model.rows if r.status is Status.PENDING]
    model.set_rows(rows[:5])
    assert model.rowCount() <= 5


def test_sort_and_filters_together_keep_the_order_and_the_selection(qapp, demo_store) -> None:
    from PySide6.QtCore import QPersistentModelIndex, Qt

    from app.ui.models.cases import COL_NAME, COL_STATUS

    rows, model = _queue(demo_store)
    model.sort(COL_STATUS, Qt.SortOrder.DescendingOrder)
    model.set_status(Status.PENDING)
    pending = [r for r in model.rows if r.status is Status.PENDING]
    assert model.case_ids() == [r.case_id for r in pending]
    someone = pending[len(pending) // 2]
    held = QPersistentModelIndex(model.index(model.row_of(someone.case_id), COL_NAME))
    # sorted again while filtered: the filter keeps what it shows, in the new order, the index follows
    model.sort(COL_NAME, Qt.SortOrder.AscendingOrder)
    names = model.sort_key(COL_NAME)
    shown = [model.shown_row(i) for i in range(model.rowCount())]
    assert [names(r) for r in shown] == sorted(names(r) for r in shown)
    assert {r.case_id for r in shown} == {r.case_id for r in pending}
    assert held.isValid() and held.column() == COL_NAME and held.data(RowRole).case_id == someone.case_id
    # searched for: the order stays the sort's, the index follows its case
    model.set_search(someone.name)
    assert model.case_ids() == [r.case_id for r in shown if someone.name in r.name]
    assert held.isValid() and held.data(RowRole).case_id == someone.case_id
    # filtered out: the index goes; the filters let go: every case again, in the sort's order
    model.set_search("没有这个人")
    assert model.rowCount() == 0 and not held.isValid()
    model.set_search("")
    model.set_status(None)
    assert model.case_ids() == [r.case_id for r in model.rows] and len(model.rows) == len(rows)
    assert [names(r) for r in model.rows] == sorted(names(r) for r in model.rows)


def test_the_search_text_is_folded_once_per_row() -> None:
    text = search_text("王伟", "42020219850101123x", "给排水（市政）")
    assert text == "王伟\n42020219850101123X\n给排水(市政)"
