"""Command: unit (本单位信息: view it, change it, see who creates its account)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from app.cli import open_store, print_json
from app.core.ids import mask_id
from app.core.units import REGIONS, UnitKind

if TYPE_CHECKING:
    from app.ops.units import UnitInfo

#: ``zcws unit set`` options → the unit's fields (app.ops.units.FIELDS).
_OPTIONS = {
    "name": ("--name", "单位名称"),
    "credit_code": ("--credit-code", "统一社会信用代码（18位）"),
    "kind": ("--kind", f"单位类型：{'、'.join(f'{k.value}（{k.label}）' for k in UnitKind)}"),
    "region": ("--region", f"注册地区：{'、'.join(REGIONS)}"),
    "manager_name": ("--manager-name", "管理人员姓名"),
    "manager_id_number": ("--manager-id", "管理人员居民身份证号码（18位）"),
    "manager_phone": ("--manager-phone", "管理人员联系电话（手机号或带区号的座机号）"),
    "parent": ("--parent", '上级单位名称（给出空字符串 "" 则清除）'),
}


def register(sub: argparse._SubParsersAction, add_db: Callable[[argparse.ArgumentParser], None]) -> None:
    # one parser, "set" an optional word: --db, --unit and --json then mean the same before or after it
    p = sub.add_parser(
        "unit",
        help="本单位信息：查看、修改，以及单位账号由谁创建",
        description="zcws unit 显示本单位信息；zcws unit set --name … 修改给出的信息"
        "（首次登记须给出除上级单位外的全部信息）。",
    )
    p.add_argument("action", nargs="?", choices=("set",), metavar="set", help="修改给出的单位信息")
    for field, (option, text) in _OPTIONS.items():
        p.add_argument(option, dest=field, metavar="TEXT", help=text)
    p.add_argument("--unit", type=int, metavar="UNIT", help="单位编号（默认：数据库中的第一个单位）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出（身份证号码已隐藏中间 8 位）")
    add_db(p)
    p.set_defaults(handler=cmd_unit)


def cmd_unit(args: argparse.Namespace) -> int:
    return cmd_set(args) if args.action == "set" else cmd_show(args)


def cmd_show(args: argparse.Namespace) -> int:
    from app.core.errors import UsageError
    from app.ops.units import unit_info

    given = [option for field, (option, _) in _OPTIONS.items() if getattr(args, field) is not None]
    if given:
        raise UsageError(f"修改单位信息请用 zcws unit set {' '.join(given)} …")
    with open_store(args) as store:
        info = unit_info(store, args.unit)
    if info is None:
        if args.json:
            print_json(None)
        sys.stderr.write("尚未登记单位信息。用 zcws unit set --name … --credit-code … 等登记本单位\n")
        return 0
    if args.json:
        print_json(info.to_json())
        return 0
    _print(info)
    return 0


def cmd_set(args: argparse.Namespace) -> int:
    from app.core.errors import UsageError
    from app.ops.units import edit_unit, get_unit, save_unit, unit_info

    changes = {field: getattr(args, field) for field in _OPTIONS}
    if all(v is None for v in changes.values()):
        raise UsageError("没有给出要修改的单位信息", f"可用的选项：{' '.join(o for o, _ in _OPTIONS.values())}")
    with open_store(args) as store:
        unit = edit_unit(get_unit(store, args.unit), changes)
        saved = save_unit(store, unit, args.unit)  # its warnings are shown by _print
        info = unit_info(store, saved.unit_id)
    assert info is not None
    if args.json:
        print_json(info.to_json())
        return 0
    sys.stdout.write("单位信息已保存\n")
    _print(info)
    return 0


def _print(info: UnitInfo) -> None:
    u = info.unit
    rows = [
        ("单位编号", str(info.unit_id)),
        ("单位名称", u.name),
        ("统一社会信用代码", u.credit_code),
        ("单位类型", u.kind.label),
        ("注册地区", u.region),
        ("上级单位", u.parent or "无"),
        ("管理人员", u.manager.name),
        ("身份证号码", mask_id(u.manager.id_number)),
        ("联系电话", u.manager.phone),
    ]
    if info.authority is not None:
        rows.append(("账号创建", f"账号由{info.authority.name}创建"))
        rows.append(("依据", info.authority.reason))
    for label, value in rows:
        sys.stdout.write(f"{label}：{value}\n")
    for w in info.warnings:
        sys.stdout.write(f"提醒：{w}\n")
    if info.problem:
        sys.stdout.write(f"问题：{info.problem}（请用 zcws unit set 更正）\n")
