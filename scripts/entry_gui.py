"""Entry script of ``zcws.exe``, the windowed program that the shortcuts open."""

import os
import sys

# A windowed Windows program has no console: stdout and stderr are None, and the first
# write (a subcommand given to zcws.exe, a library's warning) would crash it.
for _name in ("stdout", "stderr"):
    if getattr(sys, _name) is None:
        setattr(sys, _name, open(os.devnull, "w", encoding="utf-8"))

from app.__main__ import run  # noqa: E402

sys.exit(run())
