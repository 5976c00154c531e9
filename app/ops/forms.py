"""Rendering the blank forms of cases (单位送审: 下载单位审核意见表 / 下载考核表) and the 开户申请表."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from app.core.errors import NotFoundError, RuleError, UsageError
from app.core.payload import FormKind
from app.core.progress import CancelToken, Progress, no_progress
from app.core.review import Status
from app.core.steps import Next, Step
from app.forms import account
from app.forms.batch import case_forms, render_batch
from app.ops import cases as case_ops
from app.ops import units as unit_ops
from app.store import Store

CASE_FORM_KINDS = (FormKind.OPINION, FormKind.APPRAISAL)
# Forms of these cases will never be sent: printing them is a mistake worth stopping.
_NO_FORMS = {Status.UNQUALIFIED: "资格不符", Status.TERMINATED: "终止审核"}


@dataclass(frozen=True)
class RenderedForm:
    """One PDF written: whose, which form, where, and the process revision its QR code carries."""

    case_id: int
    form: FormKind
    path: Path
    revision: int

    def to_json(self) -> dict[str, Any]:
        return {"case_id": self.case_id, "form": self.form.value, "path": str(self.path), "revision": self.revision}


def render_forms(
    store: Store,
    case_ids: list[int] | None,
    out: Path,
    *,
    kinds: tuple[FormKind, ...] = CASE_FORM_KINDS,
    combined: bool = False,
    today: date | None = None,
    progress: Progress = no_progress,
    token: CancelToken | None = None,
) -> list[RenderedForm]:
    """Render the blank forms of ``case_ids`` (None: every case that passed unit review) into ``out``.

    One PDF per case and form, written atomically; with ``combined`` also one PDF of
    them all, each form on its own sheet (:data:`app.forms.COMBINED_NAME`). Every
    form written is recorded as printed on ``today``.
    """
    on = today or case_ops.today()
    bad_kinds = [k for k in kinds if k not in CASE_FORM_KINDS]
    if bad_kinds or not kinds:
        raise UsageError("只能生成单位审核意见表（opinion）和考核表（appraisal）", "公示证明请用 zcws publicity 生成")
    if case_ids is None:
        ids = [c.id for c in store.cases(status=Status.PASSED)]
    else:
        ids = list(dict.fromkeys(case_ids))
        refused = []
        for case_id in ids:
            case = store.case(case_id)
            if case.status in _NO_FORMS:
                refused.append(f"{case.name}（办件 {case.id}，{_NO_FORMS[case.status]}）")
        if refused:
            raise RuleError(f"以下办件已{'或'.join(sorted(set(_NO_FORMS.values())))}，不需要送审表格：{'、'.join(refused)}",
                            "请去掉这些办件后重试")  # fmt: skip
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out} 是一个文件，不是文件夹", "--out 请给出输出文件夹")
    forms = case_forms(store, ids, kinds, on)
    written: list[RenderedForm] = []
    try:
        render_batch(forms, out, combined=combined, progress=progress, token=token,
                     on_written=lambda f, p: written.append(RenderedForm(f.case_id, f.kind, p, f.revision)))  # fmt: skip
    finally:
        # a cancelled or failed batch still records the files it did write
        if written:
            with store.transaction():
                for r in written:
                    store.log_printed(r.case_id, r.form.value, r.revision, on)
    return written


def render_account_form(store: Store, out: Path, unit_id: int | None = None, today: date | None = None) -> Path:
    """《黄石市职称评审信息系统用户开户申请表》 of the store's unit, as a PDF at ``out``.

    Refuses a unit whose 统一社会信用代码 or manager's 身份证号码 is invalid.
    """
    unit = unit_ops.get_unit(store, unit_id)
    if unit is None:
        raise NotFoundError("数据库中还没有单位信息", "请先登记本单位信息", next=Next(Step.ENTER_UNIT))
    if out.is_dir():
        out = out / account.FILE_NAME
    return account.render_account_form(unit, out, today or case_ops.today())
