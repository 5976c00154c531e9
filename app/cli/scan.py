"""Commands: check, sort, attach (the pre-upload self-check)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from app.core.errors import ZcwsError


def register(sub: argparse._SubParsersAction, add_db: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("check", help="送审前自检：检查扫描件能否被系统识别")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE", help="图片或 PDF 文件")
    p.add_argument("--case", type=int, help="按此办件检查（与 --slot 一起使用）")
    p.add_argument("--slot", help="附件栏：publicity、appraisal、opinion")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    add_db(p)
    p.set_defaults(handler=_todo)

    p = sub.add_parser("sort", help="按二维码把扫描件的每一页分到办件和附件栏")
    p.add_argument("inbox", nargs="+", type=Path, metavar="INBOX", help="文件夹、图片或多页 PDF")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.add_argument("--apply", action="store_true", help="把分好的页面保存为办件的附件")
    add_db(p)
    p.set_defaults(handler=_todo)

    p = sub.add_parser("attach", help="检查一个文件并保存到办件的附件栏")
    p.add_argument("case", type=int, metavar="CASE", help="办件编号")
    p.add_argument("slot", metavar="SLOT", help="附件栏：publicity、appraisal、opinion")
    p.add_argument("file", type=Path, metavar="FILE", help="图片或 PDF 文件")
    add_db(p)
    p.set_defaults(handler=_todo)


def _todo(args: argparse.Namespace) -> int:
    raise ZcwsError("送审前自检的功能尚未完成")
