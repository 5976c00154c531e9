"""The unit (单位): view and edit it, and see who creates its account (一、建立账号步骤).

One set of functions for both faces: ``zcws unit`` and the settings dialog's 单位信息 page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from app.core.errors import UsageError
from app.core.ids import check_credit_code, check_id_number, mask_id
from app.core.units import REGIONS, Authority, Manager, Unit, UnitKind, account_creator, is_phone, validate_unit
from app.store import Store

#: The unit's fields as the faces name them, with their Chinese labels.
FIELDS: dict[str, str] = {
    "name": "单位名称",
    "credit_code": "统一社会信用代码",
    "kind": "单位类型",
    "region": "注册地区",
    "parent": "上级单位",
    "manager_name": "管理人员姓名",
    "manager_id_number": "管理人员身份证号码",
    "manager_phone": "管理人员联系电话",
}


@dataclass(frozen=True)
class SaveResult:
    """A unit saved: its id, what deserves a look, and who creates its account."""

    unit_id: int
    warnings: list[str]
    authority: Authority


@dataclass(frozen=True)
class FieldCheck:
    """What one field's current text is worth: ``ok``, a ``warning`` (saved anyway) or an ``error``."""

    level: Literal["ok", "warning", "error"]
    message: str


@dataclass(frozen=True)
class UnitInfo:
    """A stored unit as shown to the officer: the manager's ID masked, the account's creator, the problems."""

    unit_id: int
    unit: Unit
    warnings: list[str]
    problem: str | None
    authority: Authority | None

    def to_json(self) -> dict[str, Any]:
        u = self.unit
        return {
            "id": self.unit_id,
            "name": u.name,
            "credit_code": u.credit_code,
            "kind": u.kind.value,
            "kind_label": u.kind.label,
            "region": u.region,
            "parent": u.parent,
            "manager": {"name": u.manager.name, "id_number": mask_id(u.manager.id_number), "phone": u.manager.phone},
            "account_creator": None
            if self.authority is None
            else {"name": self.authority.name, "level": self.authority.level, "reason": self.authority.reason},
            "warnings": self.warnings,
            "problem": self.problem,
        }


def get_unit(store: Store, unit_id: int | None = None) -> Unit | None:
    """The unit ``unit_id``, or the first (usually only) unit; None when none is registered yet.

    :class:`NotFoundError` when ``unit_id`` is given and not stored.
    """
    found = store.read_unit(unit_id)
    return None if found is None else found[1]


def unit_info(store: Store, unit_id: int | None = None, today: date | None = None) -> UnitInfo | None:
    """The unit with its warnings, the blocking problem of stored data (if any) and its account's creator."""
    found = store.read_unit(unit_id)
    if found is None:
        return None
    uid, unit = found
    try:
        warnings, problem = validate_unit(unit, today), None
    except UsageError as exc:
        warnings, problem = [], exc.message
    try:
        authority: Authority | None = account_creator(unit.kind, unit.region)
    except UsageError:
        authority = None
    return UnitInfo(uid, unit, warnings, problem, authority)


def _normalized(unit: Unit) -> Unit:
    # the checks accept full-width characters and spaces; store the code they checked
    parent = (unit.parent or "").strip() or None
    manager = Manager(unit.manager.name.strip(), check_id_number(unit.manager.id_number).value,
                      unit.manager.phone.strip())  # fmt: skip
    return Unit(unit.name.strip(), check_credit_code(unit.credit_code).value, unit.kind, unit.region.strip(),
                manager, parent)  # fmt: skip


def save_unit(store: Store, unit: Unit, unit_id: int | None = None, today: date | None = None) -> SaveResult:
    """Validate ``unit`` and store it over ``unit_id`` (None: over the first unit, or as the first).

    A blocking problem raises :class:`UsageError` naming the field, and nothing is written;
    a credit code wrong only in its check character is saved and returned as a warning.
    """
    unit = _normalized(unit)
    warnings = validate_unit(unit, today)
    authority = account_creator(unit.kind, unit.region)
    with store.transaction():
        target = store.first_unit_id() if unit_id is None else unit_id
        saved = store.write_unit(unit, target)
    return SaveResult(saved, warnings, authority)


def unit_fields(unit: Unit | None) -> dict[str, str]:
    """The unit as the texts of :data:`FIELDS` (all empty for None); ``kind`` is its key."""
    if unit is None:
        return dict.fromkeys(FIELDS, "")
    return {
        "name": unit.name,
        "credit_code": unit.credit_code,
        "kind": unit.kind.value,
        "region": unit.region,
        "parent": unit.parent or "",
        "manager_name": unit.manager.name,
        "manager_id_number": unit.manager.id_number,
        "manager_phone": unit.manager.phone,
    }


def unit_from_fields(values: Mapping[str, str]) -> Unit:
    """A :class:`Unit` from texts of :data:`FIELDS` (kind as key or label); an empty kind is refused.

    The rest is checked by :func:`save_unit`.
    """
    kind = values.get("kind", "").strip()
    if not kind:
        raise UsageError("请选择单位类型", fix=f"单位类型应为：{'、'.join(k.label for k in UnitKind)}")
    manager = Manager(values.get("manager_name", ""), values.get("manager_id_number", ""),
                      values.get("manager_phone", ""))  # fmt: skip
    return Unit(values.get("name", ""), values.get("credit_code", ""), UnitKind.parse(kind),
                values.get("region", "").strip(), manager, values.get("parent", "").strip() or None)  # fmt: skip


def edit_unit(unit: Unit | None, changes: Mapping[str, str | None]) -> Unit:
    """``unit`` with the fields given in ``changes`` replaced (None: unchanged; "" clears the parent)."""
    values = unit_fields(unit)
    values.update({k: v for k, v in changes.items() if v is not None})
    if unit is None:
        missing = [FIELDS[k] for k in FIELDS if k != "parent" and not values[k].strip()]
        if missing:
            raise UsageError(f"尚未登记单位信息，缺少：{'、'.join(missing)}", "首次登记须给出除上级单位外的全部信息")
    return unit_from_fields(values)


def check_fields(values: Mapping[str, str], today: date | None = None) -> dict[str, FieldCheck]:
    """Live checks of the form's texts, field by field, by the same rules as :func:`save_unit`.

    Only fields with something to say are returned; the two codes say so when they pass.
    """
    checks: dict[str, FieldCheck] = {}
    name = values.get("name", "").strip()
    if not name:
        checks["name"] = FieldCheck("error", "单位名称不能为空")
    code = check_credit_code(values.get("credit_code", ""))
    if not code.ok:
        checks["credit_code"] = FieldCheck("error", code.message or "统一社会信用代码无效")
    elif code.warning:
        checks["credit_code"] = FieldCheck("warning", code.warning)
    else:
        checks["credit_code"] = FieldCheck("ok", "统一社会信用代码校验通过")
    if not values.get("kind", "").strip():
        checks["kind"] = FieldCheck("error", "请选择单位类型")
    if values.get("region", "").strip() not in REGIONS:
        checks["region"] = FieldCheck("error", "请选择注册地区")
    parent = values.get("parent", "").strip()
    if parent and parent == name:
        checks["parent"] = FieldCheck("error", "上级单位不能是本单位")
    if not values.get("manager_name", "").strip():
        checks["manager_name"] = FieldCheck("error", "管理人员姓名不能为空")
    person = check_id_number(values.get("manager_id_number", ""), today)
    if person.ok:
        checks["manager_id_number"] = FieldCheck("ok", "身份证号码校验通过")
    else:
        checks["manager_id_number"] = FieldCheck("error", person.message or "证件号码无效")
    phone = values.get("manager_phone", "").strip()
    if not is_phone(phone):
        checks["manager_phone"] = FieldCheck(
            "error",
            "联系电话应为以1开头的11位手机号或带区号的座机号（如0714-6222222）" if phone else "联系电话不能为空",
        )
    return checks


def creator_of(kind: str, region: str) -> Authority | None:
    """Who creates the account for a kind (key or label) and region; None while either is not chosen."""
    if not kind.strip() or region.strip() not in REGIONS:
        return None
    return account_creator(UnitKind.parse(kind), region.strip())
