"""Entry script of ``zcws-cli.exe``, the console program for the command line."""

import sys

from app.cli import main

sys.exit(main())
