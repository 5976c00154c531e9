"""Commands: forms (the blank 单位审核意见表 and 考核表) and account-form (开户申请表)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path


def register(sub: argparse._SubParsersAction, add_db: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("forms", help="生成空白的单位审核意见表和考核表（PDF，带二维码）")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--case", type=int, nargs="+", action="extend", metavar="CASE",
                       help="办件编号，可给出多个（--case 1 3 或 --case 1 --case 3）")  # fmt: skip
    which.add_argument("--all", action="store_true", help="所有审核通过、等待送审的办件")
    p.add_argument("--out", type=Path, required=True, help="输出文件夹")
    p.add_argument("--form", choices=("opinion", "appraisal"), action="append",
                   help="只生成这种表格（opinion 单位审核意见表，appraisal 考核表），默认两种都生成")  # fmt: skip
    p.add_argument("--combined", action="store_true", help="另生成一个合并的 PDF，每张表单独一张纸，可直接双面打印")
    p.add_argument("--json", action="store_true", help="以 JSON 输出生成的文件")
    add_db(p)
    p.set_defaults(handler=cmd_forms)

    a = sub.add_parser("account-form", help="生成《黄石市职称评审信息系统用户开户申请表》（PDF）")
    a.add_argument("--out", type=Path, required=True, help="输出的 PDF 文件（或文件夹）")
    a.add_argument("--unit", type=int, metavar="UNIT", help="单位编号（默认：数据库中的第一个单位）")
    add_db(a)
    a.set_defaults(handler=cmd_account_form)


def cmd_forms(args: argparse.Namespace) -> int:
    from app.cli import open_store, print_json
    from app.core.payload import FormKind
    from app.forms import COMBINED_NAME
    from app.ops.forms import CASE_FORM_KINDS, render_forms

    kinds = tuple(FormKind(k) for k in dict.fromkeys(args.form)) if args.form else CASE_FORM_KINDS
    with open_store(args) as store:
        rendered = render_forms(store, None if args.all else args.case, args.out, kinds=kinds, combined=args.combined)
    if args.json:
        print_json([r.to_json() for r in rendered])
        return 0
    if not rendered:
        sys.stderr.write("没有审核通过、等待送审的办件，未生成表格\n")
        return 0
    for r in rendered:
        sys.stdout.write(f"{r.case_id}\t{r.form.label}\t第{r.revision}版\t{r.path}\n")
    sys.stdout.write(f"已生成 {len(rendered)} 份表格，保存在 {args.out}\n")
    if args.combined:
        sys.stdout.write(f"合并打印文件：{args.out / COMBINED_NAME}\n")
    return 0


def cmd_account_form(args: argparse.Namespace) -> int:
    from app.cli import open_store
    from app.ops.forms import render_account_form

    with open_store(args) as store:
        path = render_account_form(store, args.out, unit_id=args.unit)
    sys.stdout.write(f"已生成开户申请表：{path}\n")
    return 0
