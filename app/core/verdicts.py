"""The self-check's verdicts and the one rule of what the portal takes in an attachment slot."""

from __future__ import annotations

from app.core.labels import Labelled
from app.core.models import Slot


class Verdict(Labelled):
    """The SPEC's verdict codes of ``zcws check``, with the officer's words for them."""

    OK = "ok", "可以上传"
    NOT_IMAGE = "not_image", "PDF 需转为图片"
    NO_QR = "no_qr", "识别不到二维码"
    FOREIGN_QR = "foreign_qr", "未知的二维码"
    TAMPERED = "tampered", "二维码校验失败"
    UNKNOWN_CASE = "unknown_case", "办件不存在"
    WRONG_FORM = "wrong_form", "表格放错附件栏"
    WRONG_PERSON = "wrong_person", "不是此人的表格"
    STALE = "stale", "流程信息不匹配"
    MULTI_QR = "multi_qr", "一页有多个二维码"
    UNREADABLE_FILE = "unreadable_file", "文件无法读取"

    @classmethod
    def noun(cls) -> str:
        return "自检结论"


#: Verdicts of a page that carries no code of ours at all (the portal does not read a 公示证明's code).
WITHOUT_OUR_CODE = frozenset({Verdict.NO_QR, Verdict.FOREIGN_QR})


def portal_takes(slot: Slot, verdict: Verdict, *, our_code: bool = False, blank: bool = False) -> bool:
    """Whether the portal takes a page with ``verdict`` as the attachment in ``slot``.

    A page whose code a plain reader reads as this case's current form (``ok``) always; in the
    推荐单位公示证明's slot also a page made elsewhere, without a code of ours, since the portal
    does not read that page's code: but not an (almost) empty page, nor one whose code is ours
    (``our_code``: it names a case, so it was meant for another slot or is wrong). The same rule
    serves attach, the dispatch list, 送审 and export.
    """
    if verdict is Verdict.OK:
        return True
    return slot is Slot.PUBLICITY and verdict in WITHOUT_OUR_CODE and not our_code and not blank
