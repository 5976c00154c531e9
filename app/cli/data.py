"""Commands: import, export, backup, restore."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from app.cli import open_store, print_json
from app.core.errors import StoreError, ZcwsError
from app.core.ids import mask_id


def register(sub: argparse._SubParsersAction, add_db: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("import", help="从 .xlsx、.xls 或 .csv 导入办件（先预览，列出每一条有问题的行）")
    p.add_argument("file", type=Path, metavar="FILE", help="表格文件")
    p.add_argument("--plan", help="评审计划的编号或标题")
    p.add_argument("--dry-run", action="store_true", help="只预览，不写入")
    p.add_argument("--skip-bad", action="store_true", help="表格中有问题的行时，仍导入其余正确的行（默认一行也不写入）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出预览和结果")
    add_db(p)
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser("export", help="导出送审包和一览表")
    p.add_argument("--out", type=Path, required=True, help="输出文件夹")
    p.add_argument(
        "--case", type=int, action="append", metavar="CASE", help="办件编号，可多次使用（默认全部待送审办件）"
    )
    p.add_argument("--zip", action="store_true", help="另外生成一个 .zip 压缩包")
    p.add_argument("--yes", action="store_true", help="确认列出的未见签字盖章的盖章页后仍导出")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    add_db(p)
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser("backup", help="备份数据库和附件到一个文件")
    p.add_argument("file", type=Path, metavar="FILE", help="备份文件")
    add_db(p)
    p.set_defaults(handler=cmd_backup)

    p = sub.add_parser("restore", help="从备份文件恢复数据库和附件")
    p.add_argument("file", type=Path, metavar="FILE", help="备份文件")
    p.add_argument("--no-auto-backup", action="store_true", help="恢复前不自动备份当前数据")
    add_db(p)
    p.set_defaults(handler=cmd_restore)


def _progress(done: int, total: int, text: str) -> None:
    if sys.stderr.isatty():
        sys.stderr.write(f"\r{done}/{total} {text}\033[K")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def cmd_import(args: argparse.Namespace) -> int:
    from app.ops.data import apply_import, preview_import

    with open_store(args) as store:
        preview = preview_import(store, args.file, args.plan)
        # a sheet with bad rows changes nothing unless the officer asks for the good rows alone
        held = bool(preview.bad_rows) and not args.skip_bad
        written = 0 if args.dry_run or held else apply_import(store, preview)
    if args.json:
        print_json({**preview.to_json(), "dry_run": args.dry_run, "written": written})
    else:
        if preview.rows:
            print("\t".join(("行号", "姓名", "证件号码", "系列", "专业", "申报职务", "评审计划")))
            for r in preview.rows:
                print("\t".join((str(r.row), r.name, mask_id(r.id_number), r.series, r.specialty, r.position,
                                 r.plan_title)))  # fmt: skip
                for w in r.warnings:
                    print(f"  提醒：第{r.row}行 {w}")
        for s in preview.skipped:
            print(s.text())
        if preview.bad_rows:
            print(f"有问题的行（{len(preview.bad_rows)}）：")
            for b in preview.bad_rows:
                print("  " + b.text())
        print(preview.summary())
        if args.dry_run or held:
            print("未写入任何数据" + ("（预演）" if args.dry_run else ""))
        else:
            print(f"已导入 {written} 个办件")
    if preview.bad_rows:
        if held and not args.dry_run:
            raise ZcwsError(
                f"表格中有 {len(preview.bad_rows)} 行有问题，未导入任何办件（见上方列出的行号和原因）",
                "改正后重新导入；或加 --skip-bad 只导入正确的行",
            )
        what = "未导入" if not args.dry_run else "有问题"
        raise ZcwsError(
            f"{len(preview.bad_rows)} 行{what}（见上方列出的行号和原因）", "改正后重新导入该文件，已导入的行会自动跳过"
        )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from app.ops.data import export_packages

    with open_store(args) as store:
        result = export_packages(
            store, args.out, args.case or None, make_zip=args.zip, progress=_progress, confirmed=args.yes
        )
    if args.json:
        print_json(result.to_json())
        return 0
    for c in result.cases:
        state = f"就绪  {c.folder}" if c.ready else f"未就绪  {c.problem}"
        print(f"{c.number:>3}  {c.case.name}\t{state}")
        for w in c.warnings:
            print(f"       提醒：{w}")
    print(f"一览表：{result.listing}")
    if result.zip_path:
        print(f"压缩包：{result.zip_path}")
    print(result.summary())
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from app.ops.data import backup_info

    with open_store(args) as store:
        info = backup_info(store, args.file, progress=_progress)
    print(f"已备份 {info.cases} 个办件、{info.attachments} 个附件到 {info.path}（{info.size / 2**20:.1f} MB）")
    if info.missing:
        print(f"注意：{len(info.missing)} 个附件在数据文件夹中找不到，未能备份")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from app.dispatch.archive import validate
    from app.ops.data import auto_backup, keep_raw_copy, restore_info
    from app.store import default_db_path

    db_path = Path(args.db or default_db_path())
    validate(args.file)  # refuse a bad archive before making the automatic backup
    if db_path.exists() and not args.no_auto_backup:
        try:
            with open_store(args) as store:
                saved = auto_backup(store)
        except StoreError as exc:
            # a damaged or newer store is what a restore is for: keep its file as it is
            saved = keep_raw_copy(db_path)
            print(f"当前数据库无法打开（{exc.message}），已把原文件另存为 {saved}")
        else:
            print(f"已自动备份当前数据到 {saved}")
    info = restore_info(db_path, args.file, progress=_progress)
    print(
        f"已从 {args.file} 恢复 {info.cases} 个办件、{info.attachments} 个附件（备份时间 {info.created_at}）到 {info.db_path}"
    )
    return 0
