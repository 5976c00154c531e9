"""Command: publicity (公示 and the 推荐单位公示证明)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

from app.cli import Parser, open_store, print_json
from app.core.errors import UsageError


def register(sub: argparse._SubParsersAction, add_db: Callable[[argparse.ArgumentParser], None]) -> None:
    top = sub.add_parser("publicity", help="公示：建立公示、生成公示通知和推荐单位公示证明、核对公示期")
    top.set_defaults(handler=lambda _args: _help(top))
    cmds = top.add_subparsers(dest="publicity_command", metavar="子命令", parser_class=Parser)

    p = cmds.add_parser("create", help="建立公示：选择人员、开始日期和地点，结束日期按 5 个工作日自动推算")
    p.add_argument("--case", type=int, action="append", required=True, metavar="CASE", help="办件编号，可多次使用")
    p.add_argument("--start", required=True, metavar="DATE", help="公示开始日期，如 2025-09-29")
    p.add_argument("--end", metavar="DATE", help="公示结束日期（默认：满 5 个工作日的最早一天）")
    p.add_argument("--place", required=True, help="公示地点，如 单位公示栏、单位内网")
    p.add_argument("--contact", help="受理异议的联系人及电话（默认：单位账号的管理人员）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    add_db(p)
    p.set_defaults(handler=cmd_create)

    p = cmds.add_parser("list", help="列出公示")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    add_db(p)
    p.set_defaults(handler=cmd_list)

    p = cmds.add_parser("notice", help="生成公示通知（A4 PDF）")
    p.add_argument("publicity", type=int, metavar="ID", help="公示编号")
    p.add_argument("--out", type=Path, required=True, metavar="FILE", help="输出的 PDF 文件")
    add_db(p)
    p.set_defaults(handler=cmd_notice)

    p = cmds.add_parser("certificate", help="公示期满后生成推荐单位公示证明（PDF，带二维码）")
    p.add_argument("publicity", type=int, metavar="ID", help="公示编号")
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="输出文件夹")
    p.add_argument("--case", type=int, action="append", metavar="CASE", help="只为这些办件生成，可多次使用")
    p.add_argument("--objections", metavar="TEXT", help="收到的异议及处理情况（默认：公示期间无异议）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出生成的文件")
    add_db(p)
    p.set_defaults(handler=cmd_certificate)

    p = cmds.add_parser("calendar", help="工作日历：已收录的年份；--set 填写程序尚未收录的年份的放假和调休安排")
    p.add_argument("--set", type=Path, metavar="FILE", help="文本文件：每行一个日期或日期范围，再写节日名称或“上班”")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    add_db(p)
    p.set_defaults(handler=cmd_calendar)

    p = cmds.add_parser("check", help="核对公示：缺少、不足 5 个工作日或尚未结束")
    p.add_argument("--case", type=int, action="append", metavar="CASE", help="办件编号（默认：审核通过待送审的办件）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    add_db(p)
    p.set_defaults(handler=cmd_check)


def _help(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def _date(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"{what}“{text}”格式不对", "应为 年-月-日，例如 2025-09-29") from None


def cmd_calendar(args: argparse.Namespace) -> int:
    from app.ops import publicity as ops

    with open_store(args) as store:
        if args.set is not None:
            try:
                text = args.set.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError):
                raise UsageError(f"无法读取 {args.set}", "请给出 UTF-8 编码的文本文件") from None
            days = ops.set_entered_calendar(store, text)
        else:
            days = ops.calendar(store)
    first, last = days.covered_years()
    entered = sorted(days.entered)
    if args.json:
        print_json({"first_year": first, "last_year": last, "entered_years": entered})
    else:
        print(
            f"工作日历已收录 {first}—{last} 年"
            + (f"（其中 {'、'.join(map(str, entered))} 年为手工填写）" if entered else "")
        )
    return 0


def cmd_create(args: argparse.Namespace) -> int:
    from app.ops import publicity as ops
    from app.ops.cases import today as case_today

    start = _date(args.start, "开始日期")
    end = _date(args.end, "结束日期") if args.end else None
    with open_store(args) as store:
        created = ops.create_publicity(store, args.case, start, args.place, args.contact, end)
        today = case_today()
    for w in created.warnings:
        print(f"提醒：{w}", file=sys.stderr)
    v = created.publicity
    if args.json:
        print_json({**v.to_json(today), "warnings": created.warnings})
        return 0
    names = "、".join(c.name for c in v.cases)
    print(f"已建立公示 {v.id}：{names}，公示期 {v.period_text()}，地点：{v.publicity.place}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from app.ops import publicity as ops
    from app.ops.cases import today as case_today

    with open_store(args) as store:
        views = ops.list_publicities(store)
        today = case_today()
    if args.json:
        print_json([v.to_json(today) for v in views])
        return 0
    print("\t".join(("编号", "公示期", "地点", "状态", "人数", "人员")))
    for v in views:
        names = "、".join(c.name for c in v.cases)
        print("\t".join((str(v.id), v.period_text(), v.publicity.place, v.state(today), str(len(v.cases)), names)))
    print(f"共 {len(views)} 次公示", file=sys.stderr)
    return 0


def cmd_notice(args: argparse.Namespace) -> int:
    from app.ops import publicity as ops

    with open_store(args) as store:
        path = ops.render_notice(store, args.publicity, args.out)
    print(f"已生成公示通知：{path}")
    return 0


def cmd_certificate(args: argparse.Namespace) -> int:
    from app.ops import publicity as ops

    with open_store(args) as store:
        files = ops.render_certificates(store, args.publicity, args.out, args.case, args.objections)
    if args.json:
        print_json([f.to_json() for f in files])
        return 0
    for f in files:
        print(f.path)
    print(f"已生成推荐单位公示证明 {len(files)} 个文件", file=sys.stderr)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from app.ops import publicity as ops

    with open_store(args) as store:
        rows = ops.check_cases(store, args.case)
    if args.json:
        print_json([r.to_json() for r in rows])
        return 0
    print("\t".join(("编号", "姓名", "公示期", "工作日", "结果")))
    for r in rows:
        period = f"{r.period[0].isoformat()} 至 {r.period[1].isoformat()}" if r.period else "—"
        workdays = "—" if r.workdays is None else str(r.workdays)
        print("\t".join((str(r.case.id), r.case.name, period, workdays, r.problem or "公示已满 5 个工作日并结束")))
    bad = sum(r.problem is not None for r in rows)
    print(f"共 {len(rows)} 人，{bad} 人的公示有问题", file=sys.stderr)
    return 0
