"""A 盖章页 the portal takes but seen without the seal or the signature: marked in the dispatch list,
named person by person by 送审 and export, which go on only when confirmed."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from app.cli import main
from app.cli.wording import fix_text as cli_fix
from app.core.errors import RuleError
from app.core.models import Slot
from app.core.review import Status
from app.core.steps import Next, Step
from app.ops.data import export_check, export_packages
from app.ops.dispatch import UNSTAMPED, dispatch_rows, send_cases, send_check
from app.store import Store
from tests.dispatch.conftest import form_image, passed_ids


def _unstamp(store: Store, case_id: int, slot: Slot, note: str) -> None:
    """The slot's page stored again as the check would store one seen without the seal or signature."""
    case = store.case(case_id)
    data = form_image(store, case_id, slot, case.revision)
    store.add_attachment(case_id, slot, data, "png", f"{slot.value}.png", "ok", revision=case.revision,
                         stamped=False, stamp_note=note)  # fmt: skip


@pytest.fixture
def marked(ready_store: Store) -> tuple[Store, int, int]:
    """Two ready cases: the first's 考核表 without a seal, the second's 意见表 the printout itself."""
    first, second = passed_ids(ready_store)[:2]
    _unstamp(ready_store, first, Slot.APPRAISAL, "未见单位公章")
    _unstamp(ready_store, second, Slot.OPINION, "是空白表本身，未签字盖章")
    return ready_store, first, second


def test_the_dispatch_list_marks_the_page_and_it_still_counts_as_there(marked: tuple[Store, int, int]) -> None:
    store, first, _second = marked
    [row] = dispatch_rows(store, [first])
    assert row.ready and row.mark(Slot.APPRAISAL) == "√"  # the portal takes it
    assert row.cell(Slot.APPRAISAL) == f"√ {UNSTAMPED}" and row.cell(Slot.OPINION) == "√"
    assert row.unstamped == ["单位考核表未见单位公章"]
    shown = row.to_json()
    assert shown["unstamped"] == ["单位考核表未见单位公章"]
    assert shown["stamped"] == {"appraisal": False, "opinion": None}
    assert f"{row.case.name}：单位考核表未见单位公章" in row.warnings


def test_send_names_them_person_by_person_and_goes_on_only_when_confirmed(marked: tuple[Store, int, int]) -> None:
    store, first, second = marked
    names = store.case(first).name, store.case(second).name
    said = send_check(store, [first, second])
    assert f"{names[0]}：单位考核表未见单位公章" in said
    assert f"{names[1]}：单位审核意见表是空白表本身，未签字盖章" in said
    with pytest.raises(RuleError) as err:
        send_cases(store, [first, second], today=date.today())
    assert f"{names[0]}：单位考核表未见单位公章" in err.value.message.splitlines()
    assert "盖章页未见签字盖章" in (err.value.fix or "")
    assert store.case(first).status is Status.PASSED  # nothing sent
    send_cases(store, [first, second], today=date.today(), accept_warnings=True)
    assert store.case(first).status is Status.DISPATCHED and store.case(second).status is Status.DISPATCHED


def test_export_names_them_and_writes_only_when_confirmed(marked: tuple[Store, int, int], tmp_path: Path) -> None:
    store, first, second = marked
    names = store.case(first).name, store.case(second).name
    expected = [f"{names[0]}：单位考核表未见单位公章", f"{names[1]}：单位审核意见表是空白表本身，未签字盖章"]
    assert export_check(store) == expected
    with pytest.raises(RuleError) as err:
        export_packages(store, tmp_path / "pkg")
    assert err.value.message.splitlines() == expected and err.value.next == Next(Step.CONFIRM_EXPORT)
    assert "zcws export … --yes" in cli_fix(err.value.fix, err.value.next)
    assert not (tmp_path / "pkg").exists()  # nothing written
    result = export_packages(store, tmp_path / "pkg", confirmed=True)
    assert {c.case.id for c in result.ready} >= {first, second}
    # the 一览表 keeps the reminder beside the person
    [exported] = [c for c in result.cases if c.case.id == first]
    assert "单位考核表未见单位公章" in exported.note()


def test_export_of_others_and_of_a_case_not_ready_asks_nothing(marked: tuple[Store, int, int]) -> None:
    store, first, _second = marked
    others = passed_ids(store)[2:]
    assert export_check(store, others) == []
    store.update_case(first, status=Status.RETURNED)  # not exportable: no package, nothing to confirm
    assert export_check(store, [first]) == []


def test_the_command_line_exits_1_naming_them_and_goes_on_with_yes(
    marked: tuple[Store, int, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store, first, _second = marked
    name = store.case(first).name
    db = str(store.path)
    store.close()
    assert main(["dispatch", "--db", db]) == 0
    out, err = capsys.readouterr()
    assert f"√ {UNSTAMPED}" in out and f"{name}：单位考核表未见单位公章" in err
    assert main(["dispatch", "--json", "--db", db]) == 0
    rows = {r["case_id"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows[first]["unstamped"] == ["单位考核表未见单位公章"]

    assert main(["export", "--out", str(tmp_path / "pkg"), "--case", str(first), "--db", db]) == 1
    assert f"{name}：单位考核表未见单位公章" in capsys.readouterr().err
    assert not (tmp_path / "pkg").exists()
    assert main(["export", "--out", str(tmp_path / "pkg"), "--case", str(first), "--yes", "--db", db]) == 0
    assert "就绪" in capsys.readouterr().out

    assert main(["send", str(first), "--db", db]) == 1
    assert f"{name}：单位考核表未见单位公章" in capsys.readouterr().err
    assert main(["send", str(first), "--yes", "--db", db]) == 0
    with Store(db) as s:
        assert s.case(first).status is Status.DISPATCHED
