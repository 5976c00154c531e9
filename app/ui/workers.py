"""Background operations, after Anki's ``CollectionOp``/``QueryOp``.

:class:`Op` runs ``fn`` on a worker thread of a one-thread pool (store work is
serialised, like Anki's collection executor), with a store opened on that thread
when ``store_path`` is given. ``success``/``failure`` run on the GUI thread. Its
progress is shown by one :class:`~app.ui.progress.ProgressStrip` bound to it: the
caller's (inline on a tab), or a popup that appears only when the work lasts longer
than :data:`PROGRESS_DELAY_MS`; 取消 sets the :class:`CancelToken` that page loops
check. After a write, :func:`announce` sends one :class:`Changes` to every view.

``fn`` must never touch a widget.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.core.errors import ZcwsError
from app.core.progress import Cancelled, CancelToken
from app.store import Store
from app.ui.i18n import _
from app.ui.wording import fix_text

if TYPE_CHECKING:
    from app.ui.progress import ProgressPopup, ProgressStrip

log = logging.getLogger(__name__)

PROGRESS_DELAY_MS = 500


@dataclass(frozen=True)
class Changes:
    """What a write changed, so that each view refreshes only what it shows.

    ``cases`` names the cases touched; None with ``all_cases`` means any of them.
    """

    cases: frozenset[int] = frozenset()
    all_cases: bool = False
    attachments: bool = False
    settings: bool = False
    opinions: bool = False

    def touches_cases(self) -> bool:
        return self.all_cases or bool(self.cases)


class _Bus(QObject):
    changed = Signal(object)  # Changes


_bus: _Bus | None = None


def bus() -> _Bus:
    """The one application-wide change signal (Anki's ``operation_did_execute``)."""
    global _bus
    if _bus is None:
        _bus = _Bus(QApplication.instance())
    return _bus


def announce(changes: Changes) -> None:
    bus().changed.emit(changes)


def later(receiver: QObject, fn: Callable[[], None], msecs: int = 0) -> None:
    """``fn`` in a turn of the event loop of its own, ``msecs`` from now (while ``receiver`` lives).

    A timer's turn: the repaints waiting and the timers already due run before it. Not
    ``QTimer.singleShot(0, …)``, whose call is posted as an event: the loop's next turn runs it
    before the timers due, and with the repaints of the turn before, as one long turn.
    """
    timer = QTimer(receiver)
    timer.setSingleShot(True)
    timer.timeout.connect(fn)
    timer.timeout.connect(timer.deleteLater)
    timer.start(msecs)


_pool: QThreadPool | None = None


def store_pool() -> QThreadPool:
    """One worker thread: store work runs one op at a time."""
    global _pool
    if _pool is None:
        _pool = QThreadPool(QApplication.instance())
        _pool.setMaxThreadCount(1)
    return _pool


def wait_for_ops(msecs: int = 30_000) -> bool:
    return store_pool().waitForDone(msecs)


# The store worker's connections, one per store, kept from one op to the next (opening a
# store checks its schema); touched only by the one store worker, one op at a time.
_worker_stores: dict[Path, Store] = {}


def _worker_store(path: Path) -> Store:
    store = _worker_stores.get(path)
    if store is None:
        store = _worker_stores[path] = Store(path)
    return store


def _close_worker_stores() -> None:
    while _worker_stores:
        _worker_stores.popitem()[1].close()


def release_stores(msecs: int = 30_000) -> bool:
    """Wait for the ops, then close the worker's connections (the window closes, a store is replaced)."""
    done = wait_for_ops(msecs)
    if done:
        _close_worker_stores()
    return done


class _Relay(QObject):
    """Lives on the GUI thread; signals emitted by the worker arrive here queued."""

    finished = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int, str)


class _Runnable(QRunnable):
    def __init__(self, call: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._call = call
        self._relay = relay
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self._call()
        except BaseException as exc:  # delivered to the GUI thread, never lost
            self._relay.failed.emit(exc)
        else:
            self._relay.finished.emit(result)


class Stream(QObject):
    """Items handed over by the worker one by one (``stream(item)``) reach ``fn`` on the GUI thread.

    Items that come while the GUI thread is busy wait together and arrive as one list,
    so that a fast worker costs the window one call per turn of its event loop, not one
    per item.
    """

    _arrived = Signal()

    def __init__(self, parent: QObject | None, fn: Callable[[list[Any]], None]) -> None:
        super().__init__(parent)
        self._fn = fn
        self._lock = threading.Lock()
        self._items: list[Any] = []
        self._arrived.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def __call__(self, item: Any) -> None:  # on the worker's thread
        with self._lock:
            self._items.append(item)
            first = len(self._items) == 1
        if first:
            self._arrived.emit()

    @Slot()
    def _deliver(self) -> None:
        with self._lock:
            items, self._items = self._items, []
        if items:
            self._fn(items)


_running: set[Op] = set()


class Op(QObject):
    """``Op(parent, fn).success(cb).failure(cb).with_progress("…").run()``.

    ``fn(store, progress, token)`` when ``store_path`` is given, else ``fn(progress, token)``.
    """

    started_work = Signal()
    progressed = Signal(int, int, str)  # done, total, what it is on
    done = Signal()

    def __init__(self, parent: QWidget | None, fn: Callable[..., Any], *, store_path: Path | None = None) -> None:
        super().__init__(parent)
        self._parent = parent
        self._fn = fn
        self._store_path = store_path
        self._success: Callable[[Any], None] | None = None
        self._failure: Callable[[BaseException], object] | None = None
        self._label: str | None = None
        self._strip: ProgressStrip | None = None
        self.token = CancelToken()
        self._dialog: ProgressPopup | None = None
        self._timer: QTimer | None = None
        self.running = False

    def success(self, fn: Callable[[Any], None]) -> Op:
        self._success = fn
        return self

    def failure(self, fn: Callable[[BaseException], object]) -> Op:
        self._failure = fn
        return self

    def with_progress(self, label: str, strip: ProgressStrip | None = None) -> Op:
        """Show the progress with 取消 in ``strip`` from the start, or without one in a popup if the
        work lasts longer than half a second."""
        self._label = label
        self._strip = strip
        return self

    def cancel(self) -> None:
        self.token.cancel()

    def run(self) -> Op:
        relay = _Relay()
        self._relay = relay
        relay.finished.connect(self._finished, Qt.ConnectionType.QueuedConnection)
        relay.failed.connect(self._failed, Qt.ConnectionType.QueuedConnection)
        relay.progressed.connect(self._progressed, Qt.ConnectionType.QueuedConnection)

        def progress(done: int, total: int, text: str) -> None:
            relay.progressed.emit(int(done), int(total), str(text))

        fn, path, token = self._fn, self._store_path, self.token

        def call() -> Any:
            if path is None:
                _close_worker_stores()  # work without a store (a restore) may replace a store's files
                return fn(progress, token)
            return fn(_worker_store(path), progress, token)

        if self._label is not None and self._strip is not None:
            self._strip.follow(self, self._label)
        elif self._label is not None:
            self._timer = QTimer(self)
            self._timer.setSingleShot(True)
            self._timer.timeout.connect(self._show_dialog)
            self._timer.start(PROGRESS_DELAY_MS)
        self.running = True
        _running.add(self)
        QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        self.started_work.emit()
        store_pool().start(_Runnable(call, relay))
        return self

    # -- GUI thread ------------------------------------------------------------

    def _show_dialog(self) -> None:
        if not self.running or self._label is None:
            return
        from app.ui.progress import ProgressPopup

        self._dialog = ProgressPopup(self, self._label, self._parent)
        self._dialog.show()

    @Slot(int, int, str)
    def _progressed(self, done: int, total: int, text: str) -> None:
        self.progressed.emit(done, total, text)

    def _end(self) -> None:
        self.running = False
        _running.discard(self)
        QApplication.restoreOverrideCursor()
        if self._timer is not None:
            self._timer.stop()
        self._dialog = None  # it closes itself on done
        self.done.emit()

    @Slot(object)
    def _finished(self, result: Any) -> None:
        self._end()
        if self._success is not None:
            self._success(result)

    @Slot(object)
    def _failed(self, exc: BaseException) -> None:
        self._end()
        if self._failure is not None:
            self._failure(exc)
        else:
            show_error(self._parent, exc)


_open_boxes: list[QMessageBox] = []


def message(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str, info: str = "") -> QMessageBox:
    """A message box opened without blocking the event loop (tests and long work go on)."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    if info:
        box.setInformativeText(info)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    _open_boxes.append(box)
    box.finished.connect(lambda _result: _open_boxes.remove(box) if box in _open_boxes else None)
    box.open()
    return box


def keep_or_drop(parent: QWidget | None, title: str, text: str, keep: str, drop: str) -> str:
    """Before unsaved work is left behind: ``"keep"`` (save it first), ``"drop"`` or ``"stay"``.

    Modal, as the step it guards waits for the answer.
    """
    buttons = QMessageBox.StandardButton
    box = QMessageBox(QMessageBox.Icon.Question, title, text, buttons.Save | buttons.Discard | buttons.Cancel, parent)
    box.button(buttons.Save).setText(keep)
    box.button(buttons.Discard).setText(drop)
    box.button(buttons.Cancel).setText(_("取消"))
    box.setDefaultButton(buttons.Save)
    answer = box.exec()
    return {buttons.Save: "keep", buttons.Discard: "drop"}.get(buttons(answer), "stay")


def show_error(parent: QWidget | None, exc: BaseException) -> QMessageBox | None:
    """A ZcwsError as a message with its fix; anything else as 内部错误 with the log's path."""
    if isinstance(exc, Cancelled):
        return None
    if isinstance(exc, ZcwsError):
        return message(parent, QMessageBox.Icon.Warning, _("无法完成"), exc.message, fix_text(exc.fix, exc.next) or "")
    from app import logs

    log.error("internal error", exc_info=(type(exc), exc, exc.__traceback__))
    return message(
        parent,
        QMessageBox.Icon.Critical,
        _("内部错误"),
        _("操作未完成，这是程序的错误。"),
        _("详情已写入日志：{path}").format(path=logs.log_path()),
    )


def error_text(exc: BaseException) -> str:
    """One line for an inline message: the message and, after it, the fix."""
    if isinstance(exc, ZcwsError):
        fix = fix_text(exc.fix, exc.next)
        return exc.message + (f"（{fix}）" if fix else "")
    from app import logs

    log.error("internal error", exc_info=(type(exc), exc, exc.__traceback__))
    return _("内部错误，操作未完成。详情已写入日志：{path}").format(path=logs.log_path())
