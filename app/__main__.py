"""``python -m app``: the main window, or the command line when given a subcommand."""

from __future__ import annotations

import sys


def run(argv: list[str] | None = None) -> int:
    import multiprocessing

    # A frozen build starts its page-checking workers as copies of this program.
    multiprocessing.freeze_support()
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("--demo", "--guide"):
        return _gui(argv[0] if argv else "")
    from app.cli import main

    return main(argv)


def _gui(mode: str) -> int:
    """The main window (``--demo``: on the demo store), or the user guide alone (``--guide``)."""
    try:
        from app.ui.main_window import run_gui, run_guide
    except ImportError:  # Qt's libraries missing or broken: say so instead of a traceback
        import logging

        from app import logs

        log_file = logs.setup()
        logging.getLogger(__name__).exception("the window cannot be opened")
        print(f"无法打开程序窗口：图形界面组件加载失败（详情见日志 {log_file}）。"
              "请重新安装本程序；命令行仍可使用（zcws --help）。", file=sys.stderr)  # fmt: skip
        return 1
    return run_guide() if mode == "--guide" else run_gui(demo=mode == "--demo")


if __name__ == "__main__":
    sys.exit(run())
