"""Units (单位) and who creates their accounts (一、建立账号步骤).

The city guide: "市人社职改部门负责各县（市、区）人社职改、市直行业主管部门、市直属企事业单位
账号创建工作；各县（市、区）参照市级权限负责辖区内账号创建工作；注册地址在大冶市、阳新县的
非公企业向当地人社职改部门申请，在各城区的非公企业暂由市人社职改部门直接创建。"
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Literal

from app.core.errors import UsageError
from app.core.ids import check_credit_code, check_id_number


class UnitKind(StrEnum):
    """The kinds of unit the guide distinguishes; the value is the stable key."""

    county_hr = "county_hr"
    city_department = "city_department"
    city_owned = "city_owned"
    private = "private"
    county_unit = "county_unit"

    @property
    def label(self) -> str:
        """The Chinese name shown to the officer."""
        return _KIND_LABELS[self]

    @classmethod
    def parse(cls, text: str) -> UnitKind:
        """A kind from its key ("private") or its label ("非公企业")."""
        wanted = text.strip()
        for kind in cls:
            if wanted in (kind.value, kind.label):
                return kind
        labels = "、".join(kind.label for kind in cls)
        raise UsageError(f"未知的单位类型“{wanted}”", fix=f"单位类型应为：{labels}")


_KIND_LABELS: dict[UnitKind, str] = {
    UnitKind.county_hr: "县市区人社职改部门",
    UnitKind.city_department: "市直行业主管部门",
    UnitKind.city_owned: "市直属企事业单位",
    UnitKind.private: "非公企业",
    UnitKind.county_unit: "县市区属单位",
}

DEVELOPMENT_ZONE = "黄石经济技术开发区"
DISTRICTS: tuple[str, ...] = ("黄石港区", "西塞山区", "下陆区", "铁山区", DEVELOPMENT_ZONE)
"""城区: a non-public enterprise registered here is created by the city for now."""
COUNTIES: tuple[str, ...] = ("大冶市", "阳新县")
"""A non-public enterprise registered here applies to the local 人社职改部门."""
REGIONS: tuple[str, ...] = DISTRICTS + COUNTIES

CITY_AUTHORITY = "黄石市人社局职改部门"

_MOBILE = re.compile(r"1\d{10}")
_LANDLINE = re.compile(r"0\d{2,3}-?\d{7,8}")


@dataclass(frozen=True)
class Manager:
    """The unit's 管理人员, who receives the account."""

    name: str
    id_number: str
    phone: str


@dataclass(frozen=True)
class Unit:
    """A 单位 that needs an account; ``parent`` names the unit above it, if any."""

    name: str
    credit_code: str
    kind: UnitKind
    region: str
    manager: Manager
    parent: str | None = None


@dataclass(frozen=True)
class Authority:
    """The 人社职改部门 that creates an account, and the rule of the guide that says so."""

    name: str
    level: Literal["city", "county"]
    reason: str


def _local_authority(region: str) -> str:
    return f"{region}人社局职改部门"


def account_creator(kind: UnitKind, region: str) -> Authority:
    """Who creates the account of a unit of ``kind`` registered in ``region``."""
    if region not in REGIONS:
        raise UsageError(f"未知的注册地区“{region}”", fix=f"注册地区应为：{'、'.join(REGIONS)}")
    if kind in (UnitKind.county_hr, UnitKind.city_department, UnitKind.city_owned):
        return Authority(
            CITY_AUTHORITY,
            "city",
            "市人社职改部门负责各县（市、区）人社职改、市直行业主管部门、"
            f"市直属企事业单位账号创建工作（本单位为{kind.label}）",
        )
    if kind is UnitKind.private:
        if region in COUNTIES:
            return Authority(
                _local_authority(region),
                "county",
                f"注册地址在{region}的非公企业向当地人社职改部门申请",
            )
        return Authority(
            CITY_AUTHORITY,
            "city",
            f"注册地址在{region}（城区）的非公企业暂由市人社职改部门直接创建",
        )
    if region == DEVELOPMENT_ZONE:
        # The guide delegates to 县（市、区） only; the zone is not one of them and is
        # treated as a 城区 elsewhere in the same rule, so its units stay with the city.
        return Authority(
            CITY_AUTHORITY,
            "city",
            "各县（市、区）参照市级权限负责辖区内账号创建工作；"
            f"{DEVELOPMENT_ZONE}不属于县（市、区），其所属单位由市人社职改部门创建",
        )
    return Authority(
        _local_authority(region),
        "county",
        f"各县（市、区）参照市级权限负责辖区内账号创建工作（本单位属{region}）",
    )


def is_phone(text: str) -> bool:
    """An 11-digit mobile number starting with 1, or a landline such as 0714-6222222."""
    value = text.strip()
    return bool(_MOBILE.fullmatch(value) or _LANDLINE.fullmatch(value))


def validate_unit(unit: Unit, today: date | None = None) -> list[str]:
    """Warnings worth showing for ``unit``; :class:`UsageError` listing every blocking problem.

    ``today`` bounds the manager's birth date (defaults to the system date).
    """
    problems: list[str] = []
    warnings: list[str] = []
    if not unit.name.strip():
        problems.append("单位名称不能为空")
    if unit.region not in REGIONS:
        problems.append(f"未知的注册地区“{unit.region}”")
    if unit.parent is not None and unit.parent.strip() == unit.name.strip():
        problems.append("上级单位不能是本单位")
    code = check_credit_code(unit.credit_code)
    if not code.ok:
        problems.append(code.message or "统一社会信用代码无效")
    elif code.warning:
        warnings.append(code.warning)
    if not unit.manager.name.strip():
        problems.append("管理人员姓名不能为空")
    manager_id = check_id_number(unit.manager.id_number, today)
    if not manager_id.ok:
        problems.append(f"管理人员{manager_id.message}")
    if not is_phone(unit.manager.phone):
        problems.append(
            f"管理人员联系电话“{unit.manager.phone.strip()}”无效，"
            "应为以1开头的11位手机号或带区号的座机号（如0714-6222222）"
        )
    if problems:
        raise UsageError("；".join(problems), fix="请修改单位信息后重新保存")
    return warnings
