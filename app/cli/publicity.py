"""Command: publicity (公示 and the 推荐单位公示证明)."""

from __future__ import annotations

import argparse
from collections.abc import Callable


def register(sub: argparse._SubParsersAction, add_db: Callable[[argparse.ArgumentParser], None]) -> None:
    """Registered by the publicity work; nothing yet."""
