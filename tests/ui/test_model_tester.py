"""The models test_models.py does not reach pass Qt's model tester too: the checked pages of a drop
and the applicants of the 公示 dialog (every model of app/ui is checked somewhere)."""

from __future__ import annotations

from pathlib import Path

from app.core.review import Status
from app.core.verdicts import Verdict
from app.scan.verdicts import PageResult
from app.ui.dialogs.publicity import PublicityCaseModel
from app.ui.models.dispatch import PageLine, PageModel


def test_the_page_list_passes_the_model_tester_while_pages_come_and_are_placed(qtmodeltester) -> None:
    def line(page: int, verdict: Verdict, placed: bool) -> PageLine:
        result = PageResult(Path("扫描.pdf"), page, verdict, verdict.label, case_id=1 if placed else None)
        return PageLine(result, result.case_id, "张三" if placed else "", None, placed, result.message)

    model = PageModel()
    model.set_lines([line(1, Verdict.OK, True), line(2, Verdict.NO_QR, False)])
    model.add_lines([line(3, Verdict.STALE, True)])
    model.replace(1, line(2, Verdict.OK, True))
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 3


def test_the_publicity_applicants_pass_the_model_tester(qtmodeltester, demo_store) -> None:
    cases = demo_store.cases(status=Status.PASSED, with_modules=False)
    model = PublicityCaseModel(cases, {cases[0].id: "2025-10-01 至 2025-10-09"}, {cases[0].id})
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == len(cases)
