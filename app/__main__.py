"""``python -m app``: the main window, or the command line when given a subcommand."""

from __future__ import annotations

import sys


def run(argv: list[str] | None = None) -> int:
    import multiprocessing

    # A frozen build starts its page-checking workers as copies of this program.
    multiprocessing.freeze_support()
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("--demo",):
        return _gui(demo=bool(argv))
    from app.cli import main

    return main(argv)


def _gui(demo: bool) -> int:
    try:
        from app.ui.main_window import run_gui
    except ImportError:
        # the window is not built yet: show the demo queue on the command line
        from app.cli import main

        if demo:
            main(["demo", "--reset"])
        return main(["cases"] if not demo else ["cases", "--db", str(_demo_db())])
    return run_gui(demo=demo)


def _demo_db() -> str:
    from app.store import default_db_path

    return str(default_db_path(demo=True))


if __name__ == "__main__":
    sys.exit(run())
