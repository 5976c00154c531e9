"""Commands: check, sort, attach (the pre-upload self-check)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO

from app.cli.wording import fix_text
from app.core.models import Slot
from app.core.progress import Progress, no_progress

#: Draw a progress bar from this many pages on (and only on a terminal).
BAR_MIN_PAGES = 5


def register(sub: argparse._SubParsersAction, add_db: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("check", help="送审前自检：检查扫描件能否被系统识别")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE", help="图片或 PDF 文件")
    p.add_argument("--case", type=int, help="按此办件检查（与 --slot 一起使用）")
    p.add_argument("--slot", help="附件栏：publicity、appraisal、opinion")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    add_db(p)
    p.set_defaults(handler=cmd_check)

    p = sub.add_parser("sort", help="按二维码把扫描件的每一页分到办件和附件栏")
    p.add_argument("inbox", nargs="+", type=Path, metavar="INBOX", help="文件夹、图片或多页 PDF")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.add_argument("--apply", action="store_true", help="把分好的页面保存为办件的附件")
    add_db(p)
    p.set_defaults(handler=cmd_sort)

    p = sub.add_parser("attach", help="检查一个文件并保存到办件的附件栏")
    p.add_argument("case", type=int, metavar="CASE", help="办件编号")
    p.add_argument("slot", metavar="SLOT", help="附件栏：publicity、appraisal、opinion")
    p.add_argument("file", type=Path, metavar="FILE", help="图片或 PDF 文件")
    p.add_argument("--page", type=int, default=1, help="多页文件中的第几页（默认第 1 页）")
    add_db(p)
    p.set_defaults(handler=cmd_attach)


def progress_bar(stream: IO[str] | None = None) -> Progress:
    """A one-line bar on stderr, drawn only on a terminal and only for many pages."""
    out = stream or sys.stderr
    if not getattr(out, "isatty", lambda: False)():
        return no_progress

    def draw(done: int, total: int, text: str) -> None:
        if total < BAR_MIN_PAGES:
            return
        filled = int(30 * done / total) if total else 30
        out.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/{total} 页 {text[:40]:<40}")
        if done >= total:
            out.write("\n")
        out.flush()

    return draw


def cmd_check(args: argparse.Namespace) -> int:
    from app.cli import open_store, print_json
    from app.ops.scan import check_files

    slot = Slot.parse(args.slot) if args.slot else None
    with open_store(args) as store:
        results = check_files(store, args.files, args.case, slot, progress=progress_bar())
    if args.json:
        print_json([{**r.to_json(), "fix": fix_text(r.fix, r.next) or ""} for r in results])
        return 0
    for r in results:
        mark = "√" if r.ok else "×"
        where = f"{r.file.name} 第 {r.page} 页"
        label = r.final.label + ("（PDF 已转为图片）" if r.is_pdf and r.converted_verdict else "")
        print(f"{mark} {where}：{label}")
        print(f"    {r.message}")
        if r.fix:
            print(f"    处理：{fix_text(r.fix, r.next)}")
        if r.upload_path is not None:
            print(f"    上传这个文件：{r.upload_path}")
    good = sum(r.ok for r in results)
    print(f"共 {len(results)} 页：{good} 页可以上传，{len(results) - good} 页需要处理")
    return 0


def cmd_sort(args: argparse.Namespace) -> int:
    from app.cli import open_store, print_json
    from app.ops.scan import sort_inbox

    with open_store(args) as store:
        result = sort_inbox(store, args.inbox, apply=args.apply, progress=progress_bar())
        names = {p.case_id: store.case(p.case_id).name for p in result.placed}
    if args.json:
        print_json(result.to_json())
        return 0
    if result.placed:
        print("已分好的页面：")
    for p in result.placed:
        r = p.result
        state = "已保存" if p.stored else ("可以上传" if r.ok else r.final.label)
        print(f"  {names[p.case_id]}（办件 {p.case_id}）{p.slot.label} ← {r.file.name} 第 {r.page} 页：{state}")
        if p.replacing:
            print(f"      {p.replacing}")
        if not r.ok:
            print(f"      {r.message}")
            if r.fix:
                print(f"      处理：{fix_text(r.fix, r.next)}")
    if result.unplaced:
        print("没有分出去的页面（请手动指定：zcws attach 办件 附件栏 文件）：")
    for u in result.unplaced:
        label = u.result.final.label
        text = u.message if u.message.startswith(label) else f"{label}，{u.message}"
        print(f"  {u.result.file.name} 第 {u.result.page} 页：{text}")
    if result.passed_over_line:
        print(result.passed_over_line)
    stored = sum(p.stored for p in result.placed)
    tail = f"，已保存 {stored} 个附件" if args.apply else ("，用 --apply 保存为附件" if result.placed else "")
    print(f"共分好 {len(result.placed)} 页，{len(result.unplaced)} 页未分{tail}")
    return 0


def cmd_attach(args: argparse.Namespace) -> int:
    from app.cli import open_store
    from app.ops.scan import attach_file

    slot = Slot.parse(args.slot)
    with open_store(args) as store:
        result = attach_file(store, args.case, slot, args.file, page=args.page)
        name = store.case(args.case).name
    note = "" if result.ok else "（没有本程序的二维码，按公示证明保存）"
    print(f"已保存到{name}（办件 {args.case}）的“{slot.label}”栏{note}：{result.message}")
    return 0
