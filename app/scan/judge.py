"""What a page's codes mean for the officer: the verdict, with its cause and fix in Chinese.

The payload is authenticated with the store's secret first; then the case, the
person, the form and the revision are compared, in that order. Never a false
accept: a form of another case, another kind, an older revision, an altered or
foreign code is never ``ok``.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from app.blanks.kept import reissued_since
from app.core import payload as qr
from app.core.blanks import Blank, shown_code
from app.core.errors import NotFoundError
from app.core.ids import mask_id
from app.core.models import Case, Slot
from app.core.payload import FormKind, Payload
from app.core.review import Status
from app.core.steps import Next, Step
from app.scan.engine import PageScan
from app.scan.reading import PLAIN_MODULE_PX
from app.scan.stamping import stamp_of
from app.scan.verdicts import PageResult, Verdict
from app.store import Store

SLOT_KINDS = {Slot.OPINION: FormKind.OPINION, Slot.APPRAISAL: FormKind.APPRAISAL, Slot.PUBLICITY: FormKind.PUBLICITY}
KIND_SLOTS = {k: s for s, k in SLOT_KINDS.items()}
RESCAN = "请用 300 DPI 重新扫描整页：纸张放平，二维码不要被印章、折痕或阴影遮住；手机拍照请正对纸面、光线均匀"
#: A case in one of these states has no process left in the portal: its forms are never ok.
ENDED = frozenset({Status.TERMINATED, Status.UNQUALIFIED})
#: How many recent changes a stale verdict names.
MAX_CHANGES = 4


FORMS_FIX = "请重新生成表格，打印、签字盖章后重新扫描"


def judge(store: Store, scan: PageScan, case_id: int | None = None, slot: Slot | None = None) -> PageResult:
    """The verdict of one scanned page; with ``case_id``/``slot`` as if for that slot of that case."""
    base: dict[str, Any] = dict(
        file=scan.file, page=scan.page, is_pdf=scan.is_pdf, qr_box=scan.qr_box, image_size=scan.image_size,
        converted_path=scan.converted_path, image_path=scan.image_path, blank=scan.blank,
    )  # fmt: skip
    if scan.error is not None:
        message, fix = scan.error
        return PageResult(verdict=Verdict.UNREADABLE_FILE, message=message, fix=fix, **base)
    portal = [b for b in (store.blank_by_code(t) for t in scan.texts if not t.startswith(qr.PREFIX)) if b]
    verdict, message, fix, found = _content(store, scan, case_id, slot, portal)
    ours = any(t.startswith(qr.PREFIX) for t in scan.texts)
    step = _next(verdict, found, slot, ours)
    upload = None
    ended = store.case(found.case_id) if verdict is Verdict.OK and found is not None else None
    if ended is not None and found is not None and ended.status in ENDED:
        verdict = Verdict.STALE
        message = (
            f"{ended.name}的办件状态为“{ended.status.label}”，流程已经结束，这份{found.kind.label}不会再送审，"
            f"系统也不会再收（{message}）"
        )
        fix = "这一页不用上传；如果办件状态有误，请先更正办件，再重新生成表格"
    elif verdict is Verdict.OK and scan.code_only:
        verdict = Verdict.NO_QR
        message = f"这张图片只有二维码，不是整页表格，不能作为表格上传（{message}）"
        fix = "请扫描签字盖章后的整页表格，不要只截取二维码"
    elif verdict is Verdict.OK and scan.mirrored:
        verdict = Verdict.NO_QR
        message = f"页面是镜像的（左右颠倒，常见于手机前置摄像头或自拍模式），不能作为表格上传（{message}）"
        fix = "请用扫描仪，或用手机后置摄像头关闭镜像后重新拍摄这一页"
    elif verdict is Verdict.OK and len(scan.texts) > 1:
        verdict = Verdict.MULTI_QR
        other = scan.texts[1]  # the page's own code comes first
        message = (
            f"{message}；但页面上还有另一个二维码（内容：{shown_code(other)}，比如微信、收款码或公众号的二维码），"
            "系统的识别器可能先读到它，读不到表格的二维码"
        )
        fix = "请把另一个二维码遮住（比如贴一张白纸）后重新扫描，或扫描、拍照时不要把它放进画面"
    elif verdict is Verdict.OK and scan.module_px is not None:
        verdict = Verdict.NO_QR
        message = (
            f"二维码太小：每个小方块只有约 {scan.module_px:.1f} 像素，系统的识别器至少要 {PLAIN_MODULE_PX:.0f} 像素"
            f"才读得准，放大也补不回扫描时丢掉的细节（{message}）"
        )
        fix = "请用更高的分辨率（300 DPI）重新扫描这一页；手机拍照请离近一些，让表格占满画面"
    elif verdict is Verdict.OK:
        assert found is not None
        if scan.upload_path is not None:
            upload = scan.upload_path
            if scan.repairs and scan.strict_as_is:
                message += f"。页面方向不正，已自动处理（{'、'.join(scan.repairs)}），请上传处理后的图片"
            elif scan.repairs:
                message += f"。原图系统可能识别不了，已自动处理（{'、'.join(scan.repairs)}），请上传处理后的图片"
            elif scan.other_format:
                message += "。原图的格式系统不收（只收 JPG、PNG），已转为 JPEG，请上传处理后的图片"
            elif scan.unplain:
                message += f"。{scan.unplain}，有的识别器读不出，已转为普通 JPEG，请上传处理后的图片"
            elif not scan.is_pdf and Path(upload) != Path(scan.file):
                message += "。原图超出上传限制（尺寸或文件大小），已缩小并转为 JPEG，请上传处理后的图片"
        else:
            verdict = Verdict.NO_QR
            message = f"本程序勉强读出了二维码（{message}），但系统的识别器读不出，自动修复也没有成功"
            if scan.too_big:
                message += "；文件也超过了上传大小"
            fix = RESCAN
    fields: dict[str, Any] = {"case_id": None, "form": None, "revision": None}
    if found is not None:
        fields = {"case_id": found.case_id, "form": found.kind, "revision": found.revision}
        if portal and not ours:
            fields["blank_id"] = portal[0].id
        seen = stamp_of(store, scan, found.kind, fields.get("blank_id"))
        if seen is not None:
            fields.update(stamped=seen.stamped, stamp_note=seen.note, stamp_areas=seen.areas)
            if seen.lines:
                message += "；" + "；".join(seen.lines)
                fix = fix or seen.fix
    if scan.is_pdf:
        return PageResult(
            verdict=Verdict.NOT_IMAGE, converted_verdict=verdict, upload_path=upload,
            message=f"系统只收图片，PDF 的这一页已转为图片：{message}", fix=fix, next=step, **fields, **base,
        )  # fmt: skip
    return PageResult(verdict=verdict, message=message, fix=fix, next=step, upload_path=upload, **fields, **base)


def _next(verdict: Verdict, found: Payload | None, slot: Slot | None, ours: bool) -> Next | None:
    """The step that fixes a verdict, for each face to word: reprint, print the newer download, another slot."""
    if verdict is Verdict.FOREIGN_QR and not ours:
        return None if slot is Slot.PUBLICITY else Next(Step.IMPORT_BLANK)
    if found is None or found.kind not in KIND_SLOTS:
        return None
    if verdict is Verdict.STALE:
        return Next(Step.REPRINT_FORM if ours else Step.PRINT_BLANK, found.case_id)
    if verdict is Verdict.WRONG_FORM:
        return Next(Step.ATTACH, found.case_id, KIND_SLOTS[found.kind].value)
    return None


def _content(
    store: Store, scan: PageScan, case_id: int | None, slot: Slot | None, portal: list[Blank]
) -> tuple[Verdict, str, str, Payload | None]:
    ours = [t for t in scan.texts if t.startswith(qr.PREFIX)]
    if scan.blank:
        return (
            Verdict.NO_QR,
            "这一页是空白的（可能是双面扫描时的背面）",
            "空白页不用上传；请确认扫描的是签字盖章后的那一面",
            None,
        )
    if not scan.texts:
        if slot is Slot.PUBLICITY:
            return (
                Verdict.NO_QR,
                "页面上没有二维码；不是本程序生成的推荐单位公示证明本来就没有二维码，可以作为公示证明上传",
                "",
                None,
            )
        return Verdict.NO_QR, "页面上识别不到二维码", RESCAN + "；请确认扫描的是带二维码的表格", None
    if not ours and portal:
        return _portal(store, portal, case_id, slot)
    if not ours:
        note = "；作为推荐单位公示证明可以上传（它不需要本程序的二维码）" if slot is Slot.PUBLICITY else ""
        return (
            Verdict.FOREIGN_QR,
            f"二维码读出来了（内容：{shown_code(scan.texts[0])}），但导入的从系统下载的空白表中没有一张带这个二维码，"
            f"它也不是职称网审助手的表格二维码{note}",
            "" if note else "请在系统中为此人下载单位审核意见表或考核表，把下载的 PDF 导入本程序，再检查这份扫描件",
            None,
        )  # fmt: skip
    decoded = [qr.decode(store.secret, t) for t in ours]
    if len(ours) > 1:
        names = "；".join(_describe(store, d.payload) if d.payload else d.message for d in decoded)
        return (
            Verdict.MULTI_QR,
            f"同一页上有 {len(ours)} 个不同的本程序二维码：{names}",
            "每一页只扫描一份表格，请分开重新扫描",
            None,
        )
    d = decoded[0]
    if d.payload is None:
        if d.failure is qr.Failure.NEWER:
            return Verdict.FOREIGN_QR, d.message, "请安装新版本的职称网审助手后再检查", None
        if d.failure is qr.Failure.FOREIGN:
            return Verdict.FOREIGN_QR, d.message, "请上传本程序生成、打印并盖章的表格", None
        return (
            Verdict.TAMPERED,
            "二维码校验失败：这不是本程序为本数据库打印的表格，或二维码已被改动",
            "请用本程序重新生成表格并打印盖章；若表格是在另一台电脑上生成的，请在那台电脑上检查，或恢复那台电脑的数据库备份",
            None,
        )
    p = d.payload
    try:
        case = store.case(p.case_id)
    except NotFoundError:
        return (
            Verdict.UNKNOWN_CASE,
            f"二维码是本数据库打印的{p.kind.label}，但数据库中已没有编号为 {p.case_id} 的办件",
            "请确认打开的是正确的数据库；若办件已删除，请重新建档后生成表格",
            p,
        )
    if case_id is not None and p.case_id != case_id:
        wanted = _case_or_none(store, case_id)
        target = f"{wanted.name}（办件 {case_id}）" if wanted else f"办件 {case_id}"
        return (
            Verdict.WRONG_PERSON,
            f"这是{_person(case)}的{p.kind.label}，不是{target}的",
            f"请换成{wanted.name if wanted else '该办件申报人'}本人的{p.kind.label}；这一页应放到{case.name}的办件中",
            p,
        )
    if slot is not None and SLOT_KINDS[slot] is not p.kind:
        right = KIND_SLOTS[p.kind]
        return (
            Verdict.WRONG_FORM,
            f"这是{case.name}的{p.kind.label}，不能放在“{slot.label}”栏",
            f"请放到“{right.label}”栏",
            p,
        )
    if p.revision < case.revision:
        return Verdict.STALE, _stale_message(store, case, p), FORMS_FIX, p
    if p.revision > case.revision:
        return (
            Verdict.UNKNOWN_CASE,
            f"二维码中的流程信息（第 {p.revision} 版）比数据库中{case.name}的办件（第 {case.revision} 版）还新",
            "数据库可能是从较早的备份恢复的：请打开最新的数据库，或重新生成表格",
            p,
        )
    return Verdict.OK, f"{case.name}的{p.kind.label}，流程信息第 {p.revision} 版，与当前一致", "", p


def _portal(
    store: Store, portal: list[Blank], case_id: int | None, slot: Slot | None
) -> tuple[Verdict, str, str, Payload | None]:
    """The verdict of a page whose code is a portal blank's brought in."""
    if len({(b.case_id, b.slot) for b in portal}) > 1:
        names = "；".join(_blank_name(store, b) for b in portal)
        return (
            Verdict.MULTI_QR,
            f"同一页上有 {len(portal)} 张不同空白表的二维码：{names}",
            "每一页只扫描一份表格，请分开重新扫描",
            None,
        )
    b = portal[0]
    kind = SLOT_KINDS[b.slot]
    p = Payload(b.case_id, kind, b.number, b.came_at.date())
    case = store.case(b.case_id)
    if case_id is not None and b.case_id != case_id:
        wanted = _case_or_none(store, case_id)
        target = f"{wanted.name}（办件 {case_id}）" if wanted else f"办件 {case_id}"
        return (
            Verdict.WRONG_PERSON,
            f"这是{_person(case)}的{kind.label}（从系统下载的空白表），不是{target}的",
            f"请换成{wanted.name if wanted else '该办件申报人'}本人的{kind.label}；这一页应放到{case.name}的办件中",
            p,
        )
    if slot is not None and slot is not b.slot:
        return (
            Verdict.WRONG_FORM,
            f"这是{case.name}的{kind.label}，不能放在“{slot.label}”栏",
            f"请放到“{b.slot.label}”栏",
            p,
        )
    if not b.current:
        newer = store.current_blank(b.case_id, b.slot)
        assert newer is not None
        return (
            Verdict.STALE,
            f"流程信息不匹配：这是{case.name}的{kind.label}，{_day(b.came_at)}下载的表，"
            f"{_day(newer.came_at)}又下载了新表，两者二维码不同：请用新表",
            "请打印新下载的表，签字盖章后重新扫描",
            p,
        )
    message = f"{case.name}的{kind.label}（从系统下载的空白表，第 {b.number} 份），与导入的当前空白表一致"
    warning = reissued_since(store, b)
    if warning:
        message += f"。注意：{warning}"
    return Verdict.OK, message, "", p


def _day(at: datetime) -> str:
    return f"{at.month} 月 {at.day} 日"


def _blank_name(store: Store, b: Blank) -> str:
    case = _case_or_none(store, b.case_id)
    return f"{case.name if case else f'办件 {b.case_id}'}的{b.slot.label}"


def _case_or_none(store: Store, case_id: int) -> Case | None:
    try:
        return store.case(case_id)
    except NotFoundError:
        return None


def _person(case: Case) -> str:
    return f"{case.name}（{mask_id(case.id_number)}，办件 {case.id}）"


def _describe(store: Store, p: Payload) -> str:
    case = _case_or_none(store, p.case_id)
    return f"{case.name if case else f'办件 {p.case_id}'}的{p.kind.label}"


def _stale_message(store: Store, case: Case, p: Payload) -> str:
    changes = [
        ((r.revision, 0, r.at), f"{r.at:%Y-%m-%d} {r.reason}（第 {r.revision} 版）")
        for r in store.revisions(case.id)
        if r.revision > p.revision
    ]
    reviews = [
        ((r.revision, 1, r.at), f"{r.at:%Y-%m-%d} {r.result.label}：{r.opinion}"
         + ("（" + "；".join(f"{m.label}：{why}" for m, why in r.returns.items()) + "）" if r.returns else ""))
        for r in store.reviews(case.id)
        if r.at.date() >= p.printed_on
    ]  # fmt: skip
    # in the order they happened (a review at revision k falls between revisions k and k+1), the latest kept
    history = [text for _, text in sorted(changes + reviews, key=lambda item: item[0])][-MAX_CHANGES:]
    text = (
        f"流程信息不匹配：这份{p.kind.label}是 {p.printed_on:%Y-%m-%d} 打印的（流程信息第 {p.revision} 版），"
        f"{case.name}的办件现在是第 {case.revision} 版"
    )
    if history:
        text += "。此后的变更：" + "；".join(history)
    return text
