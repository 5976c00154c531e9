"""One window per store: a second launch shows the window that is already open instead.

An officer who double-clicks the desktop icon while the program is hidden behind other
windows would otherwise get a second window on the same data, each showing what the other
does not. The first launch holds a lock file beside the store and, once its window has
painted, watches a small "wake" file there; a later launch finds the lock taken, writes
the wake file, and ends. No socket: the program has no network code at all.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLockFile

if TYPE_CHECKING:
    from PySide6.QtCore import QFileSystemWatcher

log = logging.getLogger(__name__)


class SingleInstance:
    def __init__(self, store_path: Path) -> None:
        self.lock = QLockFile(str(store_path.with_name(store_path.name + ".lock")))
        self.lock.setStaleLockTime(0)  # a lock is stale only when the program holding it is gone
        self.wake_file = store_path.with_name(store_path.name + ".wake")
        self.watcher: QFileSystemWatcher | None = None

    def acquire(self) -> bool:
        """True when this is the only window on the store (or when no lock can be had at all:
        a read-only folder must not keep the officer out)."""
        try:
            self.wake_file.parent.mkdir(parents=True, exist_ok=True)  # a first launch: no folder yet
        except OSError:
            return True
        if self.lock.tryLock(200):
            return True
        return self.lock.error() != QLockFile.LockError.LockFailedError

    def wake_running(self) -> bool:
        """Ask the window holding the lock to come to the front; False if the request cannot be left."""
        try:
            with self.wake_file.open("w", encoding="ascii") as fh:  # in place: the watcher follows this file
                fh.write(f"{time.time():.3f}\n")
        except OSError as exc:
            log.warning("cannot write %s: %s", self.wake_file, exc)
            return False
        return True

    def listen(self, on_wake: Callable[[], None]) -> None:
        """Call ``on_wake`` whenever a later launch asks for the window."""
        from PySide6.QtCore import QFileSystemWatcher  # after the first paint, as all of this

        try:
            self.wake_file.touch()
        except OSError as exc:
            log.warning("cannot create %s: %s", self.wake_file, exc)
            return
        watcher = QFileSystemWatcher([str(self.wake_file)])

        def changed(path: str) -> None:
            if path not in watcher.files() and Path(path).exists():
                watcher.addPath(path)  # replaced rather than rewritten: follow the new file
            log.info("another launch asked for the window")
            on_wake()

        watcher.fileChanged.connect(changed)
        self.watcher = watcher

    def release(self) -> None:
        if self.watcher is not None:
            self.watcher.removePaths(self.watcher.files())
            self.watcher = None
        self.lock.unlock()
