"""单位送审: × / √ per attachment, and 送审 refusing person by person."""

from __future__ import annotations

from datetime import date

import pytest

from app.core.errors import RuleError
from app.core.models import Slot
from app.core.review import Status
from app.ops.cases import change_case
from app.ops.dispatch import dispatch_rows, send_cases
from app.store import Store


def _open_passed(store: Store) -> list[int]:
    return [r.case.id for r in dispatch_rows(store) if r.closed_reason is None]


def _attach(store: Store, case_id: int, slots=tuple(Slot), verdict: str = "ok") -> None:
    case = store.case(case_id)
    for slot in slots:
        store.add_attachment(case_id, slot, f"{case_id}{slot}".encode(), "jpg", "x.jpg", verdict,
                             revision=case.revision)  # fmt: skip


def test_list_shows_a_cross_for_every_missing_attachment(demo_store: Store) -> None:
    rows = dispatch_rows(demo_store)
    assert rows and all(r.case.status is Status.PASSED for r in rows)
    first = rows[0]
    assert [first.mark(s) for s in Slot] == ["×", "×", "×"]
    _attach(demo_store, first.case.id, (Slot.APPRAISAL,))
    again = dispatch_rows(demo_store, [first.case.id])[0]
    assert (again.mark(Slot.PUBLICITY), again.mark(Slot.APPRAISAL), again.mark(Slot.OPINION)) == ("×", "√", "×")


def test_send_names_every_missing_item_person_by_person_and_sends_nobody(demo_store: Store) -> None:
    a, b, c = _open_passed(demo_store)[:3]
    _attach(demo_store, a)
    _attach(demo_store, b, (Slot.APPRAISAL,))
    with pytest.raises(RuleError) as err:
        send_cases(demo_store, [a, b, c], accept_warnings=True)
    lines = err.value.message.splitlines()
    name_b, name_c = demo_store.case(b).name, demo_store.case(c).name
    assert f"{name_b}：推荐单位公示证明、单位审核意见表未上传" in lines
    assert f"{name_c}：推荐单位公示证明、单位考核表、单位审核意见表未上传" in lines
    assert demo_store.case(a).status is Status.PASSED  # all or nothing


def test_a_publicity_certificate_made_elsewhere_counts(demo_store: Store) -> None:
    case_id = _open_passed(demo_store)[0]
    _attach(demo_store, case_id, (Slot.APPRAISAL, Slot.OPINION))
    _attach(demo_store, case_id, (Slot.PUBLICITY,), verdict="no_qr")
    row = dispatch_rows(demo_store, [case_id])[0]
    assert row.mark(Slot.PUBLICITY) == "√" and not row.missing


def test_forms_of_an_older_revision_block_sending(demo_store: Store) -> None:
    case_id = _open_passed(demo_store)[0]
    _attach(demo_store, case_id)
    change_case(demo_store, case_id, specialty="给排水工程")
    row = dispatch_rows(demo_store, [case_id])[0]
    assert row.mark(Slot.OPINION) == "×" and row.mark(Slot.PUBLICITY) == "√"
    with pytest.raises(RuleError, match="流程信息不匹配"):
        send_cases(demo_store, [case_id], accept_warnings=True)


def test_send_with_everything_there_dispatches(demo_store: Store) -> None:
    case_id = _open_passed(demo_store)[0]
    _attach(demo_store, case_id)
    with pytest.raises(RuleError, match="公示"):
        send_cases(demo_store, [case_id])  # no publicity recorded: a warning the officer must confirm
    result = send_cases(demo_store, [case_id], today=date.today(), accept_warnings=True)
    assert result.message == "已送审 1 人"
    assert demo_store.case(case_id).status is Status.DISPATCHED
    assert case_id not in [r.case.id for r in dispatch_rows(demo_store)]


def test_sending_a_case_already_sent_says_what_to_do_about_that(demo_store: Store) -> None:
    sent = demo_store.cases(status=Status.DISPATCHED)[0]
    with pytest.raises(RuleError) as err:
        send_cases(demo_store, [sent.id], accept_warnings=True)
    assert "已送审" in err.value.message
    assert err.value.fix == "请只选择审核通过、尚未送审的办件"  # nothing to upload for it


def test_what_stops_a_person_is_told_with_and_without_the_name(demo_store: Store) -> None:
    first = dispatch_rows(demo_store)[0]
    assert first.blockers() == "推荐单位公示证明、单位考核表、单位审核意见表未上传"
    assert first.problem() == f"{first.case.name}：{first.blockers()}"


def test_a_case_imported_without_its_position_is_asked_about_at_send(demo_store: Store) -> None:
    """The portal's five-column list leaves 申报职务 empty: 送审 names it among what to confirm."""
    case_id = _open_passed(demo_store)[0]
    _attach(demo_store, case_id)
    demo_store.update_case(case_id, position="")
    name = demo_store.case(case_id).name
    with pytest.raises(RuleError, match=f"{name}：未填申报职务"):
        send_cases(demo_store, [case_id])
    assert f"{name}：未填申报职务" in " ".join(
        next(r for r in dispatch_rows(demo_store) if r.case.id == case_id).warnings
    )
