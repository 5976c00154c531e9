"""The command-line face: parses, calls an ops function, prints.

Exit codes: 0 success, 2 usage error, 1 any other failure, always with one
Chinese line on stderr and never a traceback.
"""

from __future__ import annotations

import argparse
import gettext
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from app import APP_TITLE, __version__
from app.core.errors import UsageError, ZcwsError

log = logging.getLogger(__name__)

# argparse speaks through gettext; these are its messages that an officer can meet.
_ARGPARSE_ZH = {
    "usage: ": "用法：",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "expected one argument": "需要一个值",
    "expected at least one argument": "至少需要一个值",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项 %(value)r（可选：%(choices)s）",
    "invalid %(type)s value: %(value)r": "无效的值：%(value)r",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "参数 %s 必须给出其中之一",
    "show this help message and exit": "显示帮助并退出",
    "positional arguments": "位置参数",
    "options": "选项",
    "ambiguous option: %(option)s could match %(matches)s": "有歧义的选项：%(option)s 可能是 %(matches)s",
}


def _zh(message: str) -> str:
    return _ARGPARSE_ZH.get(message, gettext.gettext(message))


argparse._ = _zh  # type: ignore[attr-defined]  # argparse's own messages through our Chinese table


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors are one Chinese line and exit code 2."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"命令用法错误：{message}", f"用 {self.prog} --help 查看用法")


Handler = Callable[[argparse.Namespace], int]

#: Options that commands take where they apply, given before the command too, as ``git -C`` is
#: (``zcws --db F cases``): the number of values each takes.
COMMON_OPTIONS = {"--db": 1, "--json": 0}


def common_options_last(argv: Sequence[str]) -> list[str]:
    """``zcws --db F --json cases`` read as ``zcws cases --json --db F``: the common options given
    before the command move behind it (before a ``--``), where its parser takes them."""
    rest, moved = list(argv), []
    while rest:
        name, joined, _value = rest[0].partition("=")
        count = 0 if joined else COMMON_OPTIONS.get(name, -1)
        if count < 0 or len(rest) <= count:
            break
        moved += rest[: count + 1]
        rest = rest[count + 1 :]
    if not moved or not rest:
        return list(argv)
    end = rest.index("--") if "--" in rest else len(rest)
    return [*rest[:end], *moved, *rest[end:]]


def _add_db(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", type=Path, help="数据库文件（默认：用户应用数据文件夹中的数据库）")


def build_parser() -> Parser:
    from app.cli import blanks, cases, data, forms, publicity, scan, units

    parser = Parser(
        prog="zcws",
        description=f"{APP_TITLE}：职称网审的单位审核、表格、送审前自检与送审包。不带参数时打开主窗口。",
        epilog="--db 数据库文件、--json 可以写在命令之前或之后：zcws --db 文件 cases 与 zcws cases --db 文件 相同。",
    )
    parser.add_argument("--version", action="version", version=f"zcws {__version__}", help="显示版本号并退出")
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=Parser)
    for module in (cases, forms, blanks, scan, data, publicity, units):
        module.register(sub, _add_db)
    return parser


def open_store(args: argparse.Namespace, demo: bool = False):
    from app.store import Store, default_db_path

    if args.db is not None and Path(args.db).is_dir():
        raise UsageError(f"{args.db} 是一个文件夹，不是数据库文件", "--db 请给出数据库文件，例如 zcws.sqlite3")
    return Store(args.db or default_db_path(demo=demo))


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def main(argv: Sequence[str] | None = None) -> int:
    import multiprocessing

    from app import logs

    # A frozen build starts its page-checking workers as copies of this program.
    multiprocessing.freeze_support()
    logs.setup()
    argv = _paths_not_options(list(sys.argv[1:] if argv is None else argv))
    _utf8_streams()
    try:
        parser = build_parser()
        args = parser.parse_args(common_options_last(argv))
        if not getattr(args, "handler", None):
            parser.print_help()
            return 2
        return int(args.handler(args) or 0)
    except UsageError as exc:
        _fail(exc)
        return 2
    except ZcwsError as exc:
        _fail(exc)
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("已取消\n")
        return 1
    except BrokenPipeError:
        # the reader went away (`zcws cases | head`): not an error of ours
        _silence_stdout()
        return 0
    except SystemExit as exc:  # --help and --version
        return int(exc.code or 0)
    except Exception:
        log.exception("internal error in zcws %s", argv)
        sys.stderr.write(f"内部错误，操作未完成。详情已写入日志：{logs.log_path()}\n")
        return 1


def _paths_not_options(argv: list[str]) -> list[str]:
    """A file or folder whose name starts with '-' (``zcws check -rf.jpg``) given as ``./-rf.jpg``, so that the
    parser does not take it for an option; after ``--`` everything is a name already."""
    out: list[str] = []
    for i, arg in enumerate(argv):
        if arg == "--":
            return out + argv[i:]
        named = arg.startswith("-") and arg != "-" and not arg.startswith("--") and os.path.lexists(arg)
        out.append(os.path.join(os.curdir, arg) if named else arg)
    return out


def _silence_stdout() -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _fail(exc: ZcwsError) -> None:
    from app.cli.wording import fix_text

    fix = fix_text(exc.fix, exc.next)
    text = exc.message if not fix else f"{exc.message}。{fix}"
    sys.stderr.write(text.replace("\n", " ") + "\n")


def _utf8_streams() -> None:
    """Chinese output must survive a Windows console or a pipe with another code page."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(encoding="utf-8", errors="replace")
            except (ValueError, OSError):
                pass
