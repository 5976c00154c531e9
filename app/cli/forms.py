"""Command: forms (the blank 单位审核意见表 and 考核表)."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from app.core.errors import ZcwsError


def register(sub: argparse._SubParsersAction, add_db: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("forms", help="生成空白的单位审核意见表和考核表（PDF，带二维码）")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--case", type=int, action="append", metavar="CASE", help="办件编号，可多次使用")
    which.add_argument("--all", action="store_true", help="所有审核通过、等待送审的办件")
    p.add_argument("--out", type=__import__("pathlib").Path, required=True, help="输出文件夹")
    p.add_argument("--json", action="store_true", help="以 JSON 输出生成的文件")
    add_db(p)
    p.set_defaults(handler=cmd_forms)


def cmd_forms(args: argparse.Namespace) -> int:
    raise ZcwsError("生成表格的功能尚未完成")
