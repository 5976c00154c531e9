"""Running page work: here, and in a pool of processes beside it for many pages.

Files are sniffed and counted here; their pages go out in chunks, so that a
worker opens a PDF once per chunk and holds one page image at a time, and only
a few chunks are in flight (pages stream instead of piling up). This process is
one of the ``workers``: it scans the first chunk at once, page by page (the first
verdict does not wait for a pool), and goes on taking chunks while the pool's
processes (``workers - 1`` of them, started at once for a job of more than
:data:`POOL_MIN_PAGES` pages) take the next ones. Results come out in order.
"""

from __future__ import annotations

import ctypes
import logging
import multiprocessing
import os
import sys
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from pathlib import Path

from app.core.progress import CancelToken, Progress, no_progress
from app.scan import allocator
from app.scan.engine import Job, PageScan, run_job, scan_job
from app.scan.pages import Limits, Unreadable, count_pages, decodes_inverted, sniff

log = logging.getLogger(__name__)

CHUNK_PAGES = 4
MAX_WORKERS = 2
#: Pages from which the pool is worth its start (about half a second of another core).
POOL_MIN_PAGES = 12
#: How much a worker beside a window gives way: a niceness step, or Windows's below-normal priority class.
BACKGROUND_NICE = 5
BELOW_NORMAL_PRIORITY_CLASS = 0x00004000
#: How often a wait for the pool looks at the cancel token (seconds).
CANCEL_POLL_S = 0.05


def default_workers() -> int:
    """Processes scanning pages, this one included."""
    return max(1, min(MAX_WORKERS, os.cpu_count() or 1))


def plan_jobs(paths: list[Path], template: Job) -> tuple[list[Job | PageScan], int]:
    """Per file: its chunks of pages, or a :class:`PageScan` saying why it cannot be read; and the page total."""
    out: list[Job | PageScan] = []
    total = 0
    for path in paths:
        try:
            kind = sniff(path, template.limits)
            pages = count_pages(path, kind, template.limits)
            own_bytes = not decodes_inverted(path) if kind == "pdf" else None
        except Unreadable as exc:
            out.append(PageScan(path, 1, path.suffix.lower() == ".pdf", error=(exc.message, exc.fix)))
            total += 1
            continue
        for start in range(0, pages, CHUNK_PAGES):
            stop = min(pages, start + CHUNK_PAGES)
            out.append(replace(template, path=path, kind=kind, start=start, stop=stop, own_bytes=own_bytes))
        total += pages
    return out, total


def scan_paths(
    paths: list[Path],
    out_dir: Path,
    limits: Limits,
    qr_box_mm: tuple[float, ...] | None = None,
    *,
    known: frozenset[str] = frozenset(),
    progress: Progress = no_progress,
    token: CancelToken | None = None,
    workers: int | None = None,
    here: bool = True,
) -> Iterator[PageScan]:
    """Every page of every file, in order, as it is done.

    ``here``: this process scans pages too (see the module's text). A window's process says no: its pages then
    go to ``workers`` processes beside it, all but the first chunk (read at once, for the first verdict), so
    that the window's thread never waits on page work for its turn at the interpreter."""
    allocator.tune()
    template = Job(Path(), "", 0, 0, out_dir, limits, known=known)
    if qr_box_mm is not None:
        template = replace(template, qr_box_mm=qr_box_mm)
    items, total = plan_jobs(paths, template)
    workers = default_workers() if workers is None else max(1, workers)
    done = 0
    progress(0, total, "")
    for scan in _run(items, workers, token, here):
        done += 1
        progress(done, total, f"{scan.file.name} 第 {scan.page} 页")
        yield scan


def _pages(item: Job | PageScan) -> int:
    return item.stop - item.start if isinstance(item, Job) else 0


def _run(items: list[Job | PageScan], workers: int, token: CancelToken | None, here: bool = True) -> Iterator[PageScan]:
    """The items' pages in order: the front one scanned here page by page, the next few in the pool.

    While the item due next is in the pool, this process takes the first item nobody
    has taken yet, and keeps its pages until their turn. A worker that dies (a file
    that crashes the PDF engine, say) costs its chunk's pages, reported unreadable;
    the chunks it still had go back to be taken again, by a new pool or here.
    """
    many = sum(_pages(i) for i in items) > POOL_MIN_PAGES
    remote = (workers - 1 if here else workers) if many else 0
    todo = list(range(len(items)))  # not taken yet, in order
    futures: dict[int, Future[list[PageScan]]] = {}
    kept: dict[int, list[PageScan]] = {}
    pool: ProcessPoolExecutor | None = None
    up: list[Future[None]] = []  # each worker saying it started
    if remote:
        pool, up = _start_pool(remote, background=not here)

    def feed() -> None:
        nonlocal pool, up
        while remote and todo and len(futures) < 2 * remote:
            n = todo.pop(0)
            item = items[n]
            if isinstance(item, PageScan):
                kept[n] = [item]
                continue
            if pool is None:
                pool, up = _start_pool(remote, background=not here)
            futures[n] = pool.submit(run_job, item)

    try:
        for head in range(len(items)):
            if token is not None:
                token.check()
            if todo and todo[0] == head and (here or not remote or head == 0):  # due now, nobody has it: here
                todo.pop(0)
                feed()
                yield from _here(items[head], token)
                continue
            while head not in kept:
                if head in futures:
                    try:
                        kept[head] = futures[head].result(timeout=0 if todo and here else CANCEL_POLL_S)
                        del futures[head]
                    except FutureTimeout:
                        pass
                    except BrokenProcessPool:
                        if any(f.done() and not f.cancelled() and f.exception() is None for f in up):
                            log.warning("a scan worker died on %s", items[head])
                            kept[head] = _crashed(items[head])  # type: ignore[arg-type]  # a PageScan never goes to the pool
                            del futures[head]
                        else:  # no worker ever started (a broken installation): every page is read here
                            log.warning("the scan workers could not start; pages are read in this process")
                            remote = 0
                        todo[:0] = sorted(futures)  # the dead pool's other chunks are taken again
                        futures.clear()
                        assert pool is not None
                        pool.shutdown(wait=False, cancel_futures=True)
                        pool = None
                    if head in kept:
                        break
                    if token is not None:
                        token.check()
                    if todo and here:  # the pool has the next one: take another here meanwhile
                        n = todo.pop(0)
                        feed()
                        kept[n] = list(_here(items[n], token))
                    feed()
                else:  # handed back from a dead pool
                    todo.remove(head)
                    feed()
                    kept[head] = list(_here(items[head], token))
            feed()
            yield from kept.pop(head)
    finally:
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)


def _here(item: Job | PageScan, token: CancelToken | None) -> Iterator[PageScan]:
    if isinstance(item, PageScan):
        yield item
        return
    for scan in scan_job(item):
        yield scan
        if token is not None:
            token.check()


def _start_pool(workers: int, background: bool = False) -> tuple[ProcessPoolExecutor, list[Future[None]]]:
    """The pool, and a future per worker that is done once that worker has started; ``background``: its
    processes give way to others (beside a window, which then paints on time while they use every core)."""
    # no fork under the GUI's threads; the same on Windows
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=multiprocessing.get_context("spawn"), initializer=_worker_start,
        initargs=(background,),
    )  # fmt: skip
    return pool, [pool.submit(_ready) for _ in range(workers)]  # a process is spawned per task while none is idle


def _worker_start(background: bool) -> None:
    allocator.tune()
    if background:
        _give_way()


def _give_way() -> None:
    """Lower this process's priority a step below normal, as background work should be."""
    try:
        if sys.platform == "win32":
            kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]  # only on Windows
            kernel32.SetPriorityClass(kernel32.GetCurrentProcess(), BELOW_NORMAL_PRIORITY_CLASS)
        else:
            os.nice(BACKGROUND_NICE)
    except (OSError, AttributeError) as exc:
        log.info("the worker's priority stays as it is: %r", exc)


def _ready() -> None:
    """Imports the page work in a new worker, so that its first chunk starts at once."""
    import app.scan.engine  # noqa: F401


def _crashed(job: Job) -> list[PageScan]:
    return [
        PageScan(
            job.path,
            n + 1,
            job.kind == "pdf",
            error=("处理这一页时读取程序异常退出，文件可能已损坏", "请重新扫描或重新导出该文件"),
        )
        for n in range(job.start, job.stop)
    ]
