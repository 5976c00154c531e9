"""Commands: blanks import | list | print (the portal's downloaded blank forms)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from app.core.models import Slot


def register(sub: argparse._SubParsersAction, add_db: Callable[[argparse.ArgumentParser], None]) -> None:
    top = sub.add_parser("blanks", help="从系统下载的空白表（单位审核意见表、考核表）：导入、查看、打印")
    inner = top.add_subparsers(dest="blanks_command", metavar="操作", parser_class=type(top))

    p = inner.add_parser("import", help="导入下载的空白表（PDF、文件夹或 ZIP）")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE", help="下载的 PDF、文件夹或 ZIP")
    p.add_argument("--case", type=int, help="作为此办件的空白表（与 --slot 一起使用）")
    p.add_argument("--slot", help="表格：opinion（单位审核意见表）或 appraisal（考核表）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    add_db(p)
    p.set_defaults(handler=cmd_import)

    p = inner.add_parser("list", help="各办件导入的空白表：当前的和被替换的")
    p.add_argument("--case", type=int, help="只看此办件")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    add_db(p)
    p.set_defaults(handler=cmd_list)

    p = inner.add_parser("print", help="把当前的空白表合成一个 PDF 打印")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--case", type=int, action="append", help="办件编号（可重复）")
    which.add_argument("--all", action="store_true", help="所有待送审的办件")
    p.add_argument("--out", type=Path, required=True, metavar="FILE.pdf", help="写入的 PDF 文件")
    add_db(p)
    p.set_defaults(handler=cmd_print)
    top.set_defaults(handler=lambda args: (top.print_help(), 2)[1])


def cmd_import(args: argparse.Namespace) -> int:
    from app.cli import open_store, print_json
    from app.cli.scan import progress_bar
    from app.ops.blanks import import_blanks

    slot = Slot.parse(args.slot) if args.slot else None
    with open_store(args) as store:
        result = import_blanks(store, args.files, args.case, slot, progress=progress_bar())
        names = {i.case_id: store.case(i.case_id).name for i in result.imported}
    if args.json:
        print_json(result.to_json())
        return 0
    words = {"new": "已导入", "same": "已导入过，未改动", "replaced": "已导入，替换了之前的空白表"}
    for i in result.imported:
        print(
            f"√ {Path(i.file).name} 第 {i.page} 页：{names[i.case_id]}（办件 {i.case_id}）的{i.slot.label}，{words[i.status]}"
        )
    for u in result.unmatched:
        print(f"× {Path(u.page.file).name} 第 {u.page.page} 页：{u.reason}")
    if any(u.assignable for u in result.unmatched):
        print("    不能确定的页面请单独指定：zcws blanks import 文件 --case 办件 --slot opinion|appraisal")
    print(f"共导入 {len(result.imported)} 页，{len(result.unmatched)} 页未导入")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from app.cli import open_store, print_json
    from app.ops.blanks import list_blanks

    with open_store(args) as store:
        items = list_blanks(store, args.case)
    if args.json:
        print_json([c.to_json() for c in items])
        return 0
    if not items:
        print("还没有导入从系统下载的空白表（zcws blanks import 下载的文件）")
    for c in items:
        print(f"{c.case.name}（办件 {c.case.id}）")
        for b in c.blanks:
            state = "当前" if b.current else "已被替换"
            print(
                f"  {b.slot.label} 第 {b.number} 份（{state}）：{b.came_at:%Y-%m-%d %H:%M} 导入，来自 {b.source_name} 第 {b.source_page} 页"
            )
            if b.id in c.warnings:
                print(f"    注意：{c.warnings[b.id]}")
    return 0


def cmd_print(args: argparse.Namespace) -> int:
    from app.cli import open_store
    from app.ops.blanks import print_blanks

    with open_store(args) as store:
        printed = print_blanks(store, None if args.all else args.case, args.out)
    print(f"已写入 {printed.path}（{printed.pages} 页）")
    if printed.missing:
        print("还没有导入空白表：" + "、".join(printed.missing))
    return 0
