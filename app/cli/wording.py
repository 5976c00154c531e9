"""How a fix's step is taken on the command line."""

from __future__ import annotations

from app.core.steps import Next, Step, with_how


def how(next: Next | None) -> str | None:
    """The command that takes ``next``, or None."""
    if next is None:
        return None
    case = next.case_id if next.case_id is not None else "办件"
    commands = {
        Step.REPRINT_FORM: f"zcws forms --case {case} --out 文件夹",
        Step.ATTACH: f"zcws attach {case} {next.slot or '附件栏'} 文件",
        Step.ASSIGN_BY_HAND: "zcws attach 办件 附件栏 文件",
        Step.IMPORT_BLANK: "zcws blanks import 下载的文件",
        Step.PRINT_BLANK: f"zcws blanks print --case {case} --out 文件.pdf",
        Step.CHECK_SCANS: "zcws check 文件 或 zcws sort 文件夹",
        Step.SORT_FOLDER: "zcws sort 文件夹",
        Step.ENTER_UNIT: "zcws unit set，或 zcws demo 载入演示数据",
        Step.LIST_CASES: "zcws cases 查看办件编号",
        Step.RESTORE: "zcws restore 备份文件",
        Step.CONFIRM_EXPORT: "zcws export … --yes",
    }
    return commands[next.step]


def fix_text(fix: str | None, next: Next | None) -> str | None:
    """``fix`` with the command that takes its step."""
    return with_how(fix, how(next))
