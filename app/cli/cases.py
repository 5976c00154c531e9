"""Commands of the foundation: demo, cases, show, review, resubmit."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from app.cli import open_store, print_json
from app.core.ids import mask_id
from app.core.review import Module, ReviewResult, Status
from app.core.urgency import Urgency


def register(sub: argparse._SubParsersAction, add_db: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("demo", help="写入演示数据（一个单位、不同临近状态的评审计划、各种状态的办件）")
    p.add_argument("--reset", action="store_true", help="先清空数据库（只应对演示数据库使用）")
    p.add_argument("--seed", type=int, default=2025, help="随机种子（默认 2025）")
    add_db(p)
    p.set_defaults(handler=cmd_demo)

    p = sub.add_parser("cases", help="列出办件")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.add_argument("--full", action="store_true", help="与 --json 一起使用时输出完整证件号码")
    p.add_argument("--status", help="按状态筛选：" + "、".join(f"{s.value}（{s.label}）" for s in Status))
    p.add_argument("--urgency", help="按临近审核状态筛选：" + "、".join(f"{u.value}（{u.label}）" for u in Urgency))
    p.add_argument("--search", help="按姓名、证件号码、专业搜索")
    add_db(p)
    p.set_defaults(handler=cmd_cases)

    p = sub.add_parser("show", help="显示一个办件：模块、审核进度、附件")
    p.add_argument("case", type=int, metavar="CASE", help="办件编号")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.add_argument("--full", action="store_true", help="输出完整证件号码")
    add_db(p)
    p.set_defaults(handler=cmd_show)

    p = sub.add_parser("review", help="记录单位审核结果")
    p.add_argument("case", type=int, metavar="CASE", help="办件编号")
    p.add_argument(
        "--result",
        required=True,
        help="pass（审核通过）、return（退回修改）、unqualified（资格不符）、terminate（终止审核）",
    )
    p.add_argument("--opinion", required=True, help="审核意见")
    p.add_argument("--return", dest="returns", action="append", default=[], metavar="MODULE=REASON",
                   help="退回修改的模块及原因，可多次使用；模块：" + "、".join(f"{m.value}（{m.label}）" for m in Module))  # fmt: skip
    p.add_argument("--reviewer", help="审核人（默认取设置中的审核人姓名）")
    add_db(p)
    p.set_defaults(handler=cmd_review)

    p = sub.add_parser("resubmit", help="申报人修改后重新提交（只能修改被退回的模块）")
    p.add_argument("case", type=int, metavar="CASE", help="办件编号")
    p.add_argument("--set", dest="sets", action="append", default=[], metavar="FIELD=VALUE",
                   help="修改的字段，如 移动电话=13900000000 或 basic.民族=汉族；表格用 JSON，"
                        '如 study.继续教育=\'[["2024", "90", "公需科目", "是"]]\'，可多次使用')  # fmt: skip
    add_db(p)
    p.set_defaults(handler=cmd_resubmit)

    p = sub.add_parser("position", help="填写或更正申报职务（系统的名单没有这一列）")
    p.add_argument("case", type=int, metavar="CASE", help="办件编号")
    p.add_argument("position", metavar="申报职务", help="如 工程师、主治医师")
    add_db(p)
    p.set_defaults(handler=cmd_position)

    p = sub.add_parser("dispatch", help="单位送审列表：待送审人员及三项附件（× / √）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    add_db(p)
    p.set_defaults(handler=cmd_dispatch)

    p = sub.add_parser("send", help="送审：三项附件齐全后把办件送评委会")
    p.add_argument("cases", nargs="+", type=int, metavar="CASE", help="办件编号")
    p.add_argument("--yes", action="store_true", help="确认列出的提醒（公示、空白表、未见签字盖章的盖章页）后仍送审")
    add_db(p)
    p.set_defaults(handler=cmd_send)


def cmd_demo(args: argparse.Namespace) -> int:
    from app.ops.demo import demo_downloads_dir, load_demo, reset

    with open_store(args, demo=True) as store:
        if args.reset:
            reset(store)
        made = load_demo(store, seed=args.seed)
        print(
            f"已写入演示数据：{made['units']} 个单位、{made['plans']} 个评审计划、{made['cases']} 个办件（{store.path}）"
        )
        if made["blanks"]:
            print(f"演示用的“从系统下载的空白表”{made['blanks']} 张：{demo_downloads_dir(store)}"
                  "（把整个文件夹拖到窗口上，或 zcws blanks import 文件夹）")  # fmt: skip
        if not args.db:
            # the demo lives apart from the officer's data: say how to reach it
            print(f'演示数据与正式数据分开保存。查看：zcws cases --db "{store.path}"；打开演示窗口：zcws --demo')
    return 0


def cmd_cases(args: argparse.Namespace) -> int:
    from app.ops.cases import list_cases

    status = Status.parse(args.status) if args.status else None
    urgency = Urgency.parse(args.urgency) if args.urgency else None
    with open_store(args) as store:
        rows = list_cases(store, status=status, urgency=urgency, search=args.search)
    if args.json:
        print_json([r.to_json(full=args.full) for r in rows])
        return 0
    print("\t".join(("编号", "姓名", "证件号码", "评审计划", "系列", "专业", "状态", "临近审核状态", "流程版本")))
    for r in rows:
        c = r.case
        print("\t".join(map(str, (c.id, c.name, mask_id(c.id_number), _short(r.plan.title), c.series, c.specialty,
                                  c.status.label, r.urgency.label, c.revision))))  # fmt: skip
    print(f"共 {len(rows)} 条", file=sys.stderr)
    return 0


def _short(title: str, width: int = 24) -> str:
    return title if len(title) <= width else title[: width - 1] + "…"


def cmd_show(args: argparse.Namespace) -> int:
    from app.ops.cases import show_case

    with open_store(args) as store:
        detail = show_case(store, args.case)
    data = detail.to_json(full=args.full)
    if args.json:
        print_json(data)
        return 0
    from app.core.review import BASIC_FIELDS, EMPTY_TABLE, TABLES
    from app.ops.scan import verdict_label

    c = detail.row.case
    print(f"业务名称：{c.business}  申报单位：{c.unit_name}  申报人：{c.name}")
    print(f"证件号码：{data['id_number']}  系列：{c.series}  专业：{c.specialty}  职务：{c.position}")
    print(f"评审计划：{detail.row.plan.title}")
    print(f"状态：{c.status.label}  临近审核状态：{detail.row.urgency.label}  流程版本：{c.revision}")
    if detail.row.closed_reason:
        print(f"注意：{detail.row.closed_reason}")
    basic = c.modules.get(Module.BASIC.value) or {}
    print(f"\n【{Module.BASIC.label}】")
    for name in BASIC_FIELDS:
        value = basic.get(name, "")
        if name == "证件号码" and not args.full:
            value = mask_id(str(value))
        print(f"  {name}：{value}")
    for module, tables in TABLES.items():
        print(f"\n【{module.label}】" + (f"  退回原因：{c.returned[module]}" if module in c.returned else ""))
        for table, columns in tables.items():
            rows = (c.modules.get(module.value) or {}).get(table) or []
            print(f"  {table}（{'、'.join(columns)}）")
            if not rows:
                print(f"    {EMPTY_TABLE}")
            for row in rows:
                print("    " + " | ".join(map(str, row)))
    print("\n【审核进度】" + ("" if detail.reviews else f"\n  {EMPTY_TABLE}"))
    for r in detail.reviews:
        reasons = "；".join(f"{m.label}：{why}" for m, why in r.returns.items())
        print(f"  {r.at:%Y-%m-%d %H:%M} {r.reviewer} {r.result.label}（流程版本 {r.revision}）意见：{r.opinion}"
              + (f" 退回：{reasons}" if reasons else ""))  # fmt: skip
    print("\n【流程变更】")
    for e in detail.revisions:
        print(f"  版本 {e.revision}  {e.at:%Y-%m-%d %H:%M}  {e.reason}")
    print("\n【送审附件】" + ("" if detail.attachments else f"\n  {EMPTY_TABLE}"))
    for a in detail.attachments:
        print(f"  {a.slot.label}：{a.original_name}（{verdict_label(a.verdict)}）{a.message}")
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    from app.core.errors import UsageError
    from app.ops.cases import parse_marks, review_case

    result = ReviewResult.parse(args.result)
    if args.returns and result is not ReviewResult.RETURN:
        raise UsageError(f"--return 只能与 --result return 一起使用（本次审核结果为“{result.label}”）",
                         "审核通过、资格不符、终止审核不退回任何模块，请去掉 --return")  # fmt: skip
    marks = parse_marks(args.returns)
    with open_store(args) as store:
        outcome = review_case(store, args.case, result, args.opinion, marks, reviewer=args.reviewer)
    print(f"{outcome.message}：{outcome.case.name}（办件 {outcome.case.id}，状态：{outcome.case.status.label}）")
    return 0


def cmd_resubmit(args: argparse.Namespace) -> int:
    from app.core.errors import UsageError
    from app.ops.cases import resubmit_case

    changes = {}
    for item in args.sets:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"“{item}”格式不对，应为 字段=值，例如 移动电话=13900000000")
        changes[key.strip()] = _table_or_text(value)
    with open_store(args) as store:
        case = resubmit_case(store, args.case, changes)
    print(f"已重新提交：{case.name}（办件 {case.id}），流程版本升至 {case.revision}，已回到审核列表")
    return 0


def cmd_position(args: argparse.Namespace) -> int:
    from app.ops.cases import set_position

    with open_store(args) as store:
        case = set_position(store, args.case, args.position)
    print(f"已填写：{case.name}（办件 {case.id}）的申报职务为“{case.position}”，流程版本 {case.revision}")
    return 0


def _table_or_text(value: str) -> object:
    """A table's rows come as JSON (``[["2024", "90", …]]``); anything else is the field's text."""
    import json

    from app.core.errors import UsageError

    if not value.lstrip().startswith(("[", "{")):
        return value
    try:
        return json.loads(value)
    except json.JSONDecodeError:
        raise UsageError(f"“{value[:40]}”不是有效的 JSON 表格", '表格请写成 [["第1列", "第2列", …], …]') from None


def cmd_dispatch(args: argparse.Namespace) -> int:
    from app.ops.dispatch import SLOTS, dispatch_rows

    with open_store(args) as store:
        rows = dispatch_rows(store)
    if args.json:
        print_json([r.to_json() for r in rows])
        return 0
    print("\t".join(("序号", "编号", "姓名", "证件号码", "系列", "专业", *(s.label for s in SLOTS), "公示期")))
    for number, r in enumerate(rows, 1):
        c = r.case
        print("\t".join((str(number), str(c.id), c.name, mask_id(c.id_number), c.series, c.specialty,
                         *(r.cell(s) for s in SLOTS), r.publicity or "—")))  # fmt: skip
    print(f"共 {len(rows)} 人待送审，{sum(r.ready for r in rows)} 人附件齐全", file=sys.stderr)
    for r in rows:
        for line in r.unstamped:
            print(f"注意：{r.case.name}：{line}（送审、导出前会要求确认）", file=sys.stderr)
    return 0


def cmd_send(args: argparse.Namespace) -> int:
    from app.ops.dispatch import send_cases

    with open_store(args) as store:
        result = send_cases(store, args.cases, accept_warnings=args.yes)
    for w in result.warnings:
        print(f"提醒：{w}", file=sys.stderr)
    print(result.message)
    return 0
