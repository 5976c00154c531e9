"""How long work reports progress and learns it was cancelled, for both faces.

The CLI draws a bar on stderr, the GUI a progress dialog; page loops call
``progress(done, total, text)`` and ``token.check()`` between pages.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from app.core.errors import ZcwsError

Progress = Callable[[int, int, str], None]


def no_progress(done: int, total: int, text: str) -> None:
    """The default: report nothing."""


class Cancelled(ZcwsError):
    def __init__(self) -> None:
        super().__init__("操作已取消，未完成的部分没有写入")


class CancelToken:
    """Set from the GUI thread (or Ctrl+C), checked by the worker between steps."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        if self._event.is_set():
            raise Cancelled()
