"""The one rule of what the portal takes in an attachment slot."""

from datetime import date
from pathlib import Path

import pytest

from app.core.models import Slot
from app.core.verdicts import Verdict, portal_takes


@pytest.mark.parametrize("slot", list(Slot))
def test_an_ok_page_is_taken_in_every_slot(slot: Slot) -> None:
    assert portal_takes(slot, Verdict.OK)
    assert portal_takes(slot, Verdict.OK, our_code=True)


@pytest.mark.parametrize("verdict", [Verdict.NO_QR, Verdict.FOREIGN_QR])
def test_a_publicity_page_made_elsewhere_needs_no_code_of_ours(verdict: Verdict) -> None:
    assert portal_takes(Slot.PUBLICITY, verdict)
    assert not portal_takes(Slot.PUBLICITY, verdict, blank=True)  # an empty page is no 公示证明
    assert not portal_takes(Slot.PUBLICITY, verdict, our_code=True)
    assert not portal_takes(Slot.OPINION, verdict)
    assert not portal_takes(Slot.APPRAISAL, verdict)


@pytest.mark.parametrize("verdict", sorted(set(Verdict) - {Verdict.OK, Verdict.NO_QR, Verdict.FOREIGN_QR}))
@pytest.mark.parametrize("slot", list(Slot))
def test_every_other_verdict_is_refused(slot: Slot, verdict: Verdict) -> None:
    assert not portal_takes(slot, verdict)


def test_verdicts_and_forms_are_typed_where_they_are_kept(tmp_path: Path) -> None:
    from app.core.payload import FormKind
    from app.scan.verdicts import PageResult
    from app.store import Store

    with Store(tmp_path / "s.sqlite3") as store:
        plan = store.add_plan("计划", "工程技术人员", ["电气"], date(2026, 1, 1), date(2026, 1, 2), date(2026, 1, 3))
        case = store.add_case(
            plan, "张三", "11010519491231002X", "工程技术人员", "电气", "工程师", "单位", date(2026, 1, 1)
        )
        store.add_attachment(case, Slot.OPINION, b"x", "jpg", "x.jpg", Verdict.OK)
        (attachment,) = store.attachments(case)
    assert attachment.verdict is Verdict.OK
    assert PageResult(tmp_path, 1, Verdict.OK, "", form=FormKind.OPINION).to_json()["form"] == "opinion"
