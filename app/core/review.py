"""单位审核: results, case statuses, modules and the rules between them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.core.errors import RuleError, UsageError
from app.core.labels import Labelled
from app.core.urgency import Urgency


class Module(Labelled):
    """The groups of an applicant's data, which are also the units of return."""

    BASIC = "basic", "基本信息"
    STUDY = "study", "学习信息"
    WORK = "work", "工作业绩"
    ACHIEVEMENTS = "achievements", "业绩成果"
    ATTACHMENTS = "attachments", "附件材料"

    @classmethod
    def noun(cls) -> str:
        return "模块"


BASIC_FIELDS: tuple[str, ...] = (
    "姓名", "证件类型", "证件号码", "申报类型", "性别", "出生年月", "参加工作时间", "政治面貌",
    "民族", "移动电话", "现工作单位", "聘岗日期", "继续教育是否达标", "行政职务", "职业资格",
    "职业资格取得时间", "外语程度",
)  # fmt: skip

#: The columns of each table, as the portal shows them.
TABLES: dict[Module, dict[str, tuple[str, ...]]] = {
    Module.STUDY: {
        "学历信息": ("起止时间", "毕业院校", "所学专业", "学历", "学位"),
        "继续教育": ("年度", "学时", "培训内容", "是否达标"),
    },
    Module.WORK: {
        "工作经历": ("起止时间", "工作单位", "从事工作", "职务"),
        "工作业绩": ("时间", "业绩名称", "本人作用", "成效"),
    },
    Module.ACHIEVEMENTS: {
        "著作信息": ("出版年月", "论著名称", "出版社名称", "刊号", "刊号级别", "个人排名", "符合条款",
                  "出版、获奖或在学术会议上交流情况", "合(独)著、译(代码)"),
        "专利信息": ("专利名称", "取得日期", "专利号", "专利类型", "个人排名", "是否主审专利", "符合条款"),
        "论文信息": ("发表年月", "论文题目", "刊物名称", "刊号", "刊物级别", "个人排名", "符合条款"),
        "项目信息": ("起止时间", "项目名称", "项目来源", "项目级别", "本人角色", "符合条款"),
        "获奖信息": ("获奖年月", "奖项名称", "授奖单位", "奖励级别", "个人排名", "符合条款"),
    },
    Module.ATTACHMENTS: {
        "附件材料": ("材料名称", "文件名", "上传日期"),
    },
}  # fmt: skip

EMPTY_TABLE = "暂无数据"


class ReviewResult(Labelled):
    PASS = "pass", "审核通过"
    RETURN = "return", "退回修改"
    UNQUALIFIED = "unqualified", "资格不符"
    TERMINATE = "terminate", "终止审核"

    @classmethod
    def noun(cls) -> str:
        return "审核结果"


class Status(Labelled):
    PENDING = "pending", "待审核"
    PASSED = "passed", "审核通过"
    RETURNED = "returned", "审核不通过退回修改"
    UNQUALIFIED = "unqualified", "资格不符"
    TERMINATED = "terminated", "终止审核"
    DISPATCHED = "dispatched", "已送审"

    @classmethod
    def noun(cls) -> str:
        return "办件状态"


STATUS_AFTER = {
    ReviewResult.PASS: Status.PASSED,
    ReviewResult.RETURN: Status.RETURNED,
    ReviewResult.UNQUALIFIED: Status.UNQUALIFIED,
    ReviewResult.TERMINATE: Status.TERMINATED,
}


@dataclass(frozen=True)
class ModuleMark:
    """One module's line of the review panel: 信息是否需要修改？是/否, and why."""

    module: Module
    needs_change: bool
    reason: str = ""


@dataclass(frozen=True)
class Decision:
    result: ReviewResult
    opinion: str
    returns: dict[Module, str] = field(default_factory=dict)


def decide(result: ReviewResult, opinion: str, marks: list[ModuleMark] | None = None) -> Decision:
    """Validate a unit review as the portal's 保存 does and return what is recorded.

    退回修改 needs at least one module marked 是 with a reason; a module marked 是
    without a reason is an error that names the module. Marks given with another
    result are ignored: only a return makes modules editable.
    """
    opinion = (opinion or "").strip()
    if not opinion:
        raise RuleError("请填写审核意见", "审核意见为必填项，可从“常用审核意见”中选择")
    returns: dict[Module, str] = {}
    if result is ReviewResult.RETURN:
        missing = [m.module for m in marks or [] if m.needs_change and not m.reason.strip()]
        if missing:
            raise RuleError(
                f"{'、'.join(m.label for m in missing)}：已标注需要修改，但未填写退回原因",
                "只有标注“是”并填写对应原因，个人才能在该模块下修改",
                at=tuple(m.value for m in missing),
            )
        returns = {m.module: m.reason.strip() for m in marks or [] if m.needs_change}
        if not returns:
            raise RuleError("退回修改时，至少要将一个模块标注为“是”并填写原因")
    return Decision(result, opinion, returns)


def check_reviewable(status: Status, state: Urgency, closed_reason: str | None) -> None:
    """Raise why a case cannot be reviewed now, or return when it can.

    Until a case is dispatched the officer may review it again: a pass given by
    mistake becomes a return, and the new decision stands.
    """
    if status is Status.DISPATCHED:
        raise RuleError("该办件已送审，不能再审核")
    if status is Status.TERMINATED:
        raise RuleError("该办件已终止审核，不能再审核")
    if not state.reviewable:
        raise RuleError(closed_reason or f"临近审核状态为“{state.label}”，不能审核")


def field_module(name: str) -> Module | None:
    """The module holding a basic field, or None when ``name`` is not one."""
    return Module.BASIC if name in BASIC_FIELDS else None


def apply_corrections(modules: dict[str, Any], returned: dict[Module, str], changes: dict[str, Any]) -> dict[str, Any]:
    """The applicant's corrected data: only the returned modules may change.

    ``changes`` maps either a basic field name (``移动电话``), a dotted
    ``module.field`` path (``basic.移动电话``) or a whole module key (its new
    value, e.g. a dict of tables) to the new value. Returns the new modules.
    """
    new = {k: (dict(v) if isinstance(v, dict) else v) for k, v in modules.items()}
    for key, value in changes.items():
        module, fieldname = _target(key)
        if module not in returned:
            allowed = "、".join(m.label for m in returned) or "无"
            raise RuleError(
                f"“{key}”属于{module.label}模块，该模块未被退回，不能修改",
                f"本次可修改的模块：{allowed}",
            )
        if fieldname is None:
            new[module.value] = _checked_module(module, value)
        else:
            section = dict(new.get(module.value) or {})
            section[fieldname] = _checked_value(module, fieldname, value)
            new[module.value] = section
    return new


def changed_items(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """What an officer reads as changed between two module sets: 基本信息 field names and table names."""
    out: list[str] = []
    for module in Module:
        before, after = old.get(module.value) or {}, new.get(module.value) or {}
        names = BASIC_FIELDS if module is Module.BASIC else tuple(TABLES[module])
        out += [n for n in names if before.get(n) != after.get(n) and (before.get(n) or after.get(n))]
    return out


def _checked_module(module: Module, value: Any) -> dict[str, Any]:
    """A whole module's new value: the fields (基本信息) or the tables it holds, each well-formed."""
    if not isinstance(value, dict):
        raise UsageError(f"{module.label}的新内容格式不对", "应为 字段/表格名称 到 值 的对应")
    return {name: _checked_value(module, str(name), v) for name, v in value.items()}


def _checked_value(module: Module, name: str, value: Any) -> Any:
    """A field's text, or a table's rows: refused when the shape is not what the module holds."""
    if module is Module.BASIC:
        if name not in BASIC_FIELDS:
            raise UsageError(f"基本信息中没有“{name}”这一项")
        if isinstance(value, (list, dict)):
            raise UsageError(f"基本信息“{name}”应为一项文字，不是表格")
        return "" if value is None else str(value)
    columns = TABLES[module].get(name)
    if columns is None:
        raise UsageError(f"{module.label}中没有“{name}”这张表", f"{module.label}的表：{'、'.join(TABLES[module])}")
    shape = f"每行 {len(columns)} 项：{'、'.join(columns)}"
    if not isinstance(value, list) or not all(isinstance(row, list) for row in value):
        raise UsageError(f"“{name}”是一张表，应给出若干行（{shape}）",
                         f'例如 {module.value}.{name}=[["{columns[0]}", …]]（JSON 格式）')  # fmt: skip
    for i, row in enumerate(value, 1):
        if len(row) != len(columns):
            raise UsageError(f"“{name}”第 {i} 行有 {len(row)} 项，应为{shape}")
    return [["" if cell is None else str(cell) for cell in row] for row in value]


def _target(key: str) -> tuple[Module, str | None]:
    key = key.strip()
    if "." in key:
        head, _, rest = key.partition(".")
        module = Module.parse(head)
        if module is Module.BASIC and rest not in BASIC_FIELDS:
            raise UsageError(f"基本信息中没有“{rest}”这一项")
        return module, rest
    found = field_module(key)
    if found is not None:
        return found, key
    return Module.parse(key), None
