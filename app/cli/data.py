"""Commands: import, export, backup, restore."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from app.core.errors import ZcwsError


def register(sub: argparse._SubParsersAction, add_db: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("import", help="从 .xlsx 或 .csv 导入办件（先预览，列出每一条有问题的行）")
    p.add_argument("file", type=Path, metavar="FILE", help="表格文件")
    p.add_argument("--plan", help="评审计划的编号或标题")
    p.add_argument("--dry-run", action="store_true", help="只预览，不写入")
    add_db(p)
    p.set_defaults(handler=_todo)

    p = sub.add_parser("export", help="导出送审包和一览表")
    p.add_argument("--out", type=Path, required=True, help="输出文件夹")
    p.add_argument("--case", type=int, action="append", metavar="CASE", help="办件编号，可多次使用（默认全部待送审办件）")
    add_db(p)
    p.set_defaults(handler=_todo)

    p = sub.add_parser("backup", help="备份数据库和附件到一个文件")
    p.add_argument("file", type=Path, metavar="FILE", help="备份文件")
    add_db(p)
    p.set_defaults(handler=_todo)

    p = sub.add_parser("restore", help="从备份文件恢复数据库和附件")
    p.add_argument("file", type=Path, metavar="FILE", help="备份文件")
    add_db(p)
    p.set_defaults(handler=_todo)


def _todo(args: argparse.Namespace) -> int:
    raise ZcwsError("该功能尚未完成")
