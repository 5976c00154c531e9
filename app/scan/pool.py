"""Running page work: in this process for small jobs, in a pool of processes for many pages.

Files are sniffed and counted here; their pages go out in chunks, so that a
worker opens a PDF once per chunk and holds one page image at a time, and only
a few chunks are in flight (pages stream instead of piling up). Starting a pool
costs about half a second, so small jobs never pay it: the first chunks run
here, and only when the pages left would take longer than :data:`POOL_WORTH_S`
at the pace measured on them does the rest go to the pool.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from pathlib import Path

from app.core.progress import CancelToken, Progress, no_progress
from app.scan import allocator
from app.scan.engine import Job, PageScan, run_job
from app.scan.pages import Limits, Unreadable, count_pages, sniff

log = logging.getLogger(__name__)

CHUNK_PAGES = 4
MAX_WORKERS = 2
#: Serial work left (seconds, estimated) from which a pool pays for its start.
POOL_WORTH_S = 1.5
#: Pages from which the pool's processes are started while the first chunks run here.
WARM_START_PAGES = 2 * CHUNK_PAGES


def default_workers() -> int:
    return max(1, min(MAX_WORKERS, os.cpu_count() or 1))


def plan_jobs(paths: list[Path], template: Job) -> tuple[list[Job | PageScan], int]:
    """Per file: its chunks of pages, or a :class:`PageScan` saying why it cannot be read; and the page total."""
    out: list[Job | PageScan] = []
    total = 0
    for path in paths:
        try:
            kind = sniff(path, template.limits)
            pages = count_pages(path, kind, template.limits)
        except Unreadable as exc:
            out.append(PageScan(path, 1, path.suffix.lower() == ".pdf", error=(exc.message, exc.fix)))
            total += 1
            continue
        for start in range(0, pages, CHUNK_PAGES):
            out.append(replace(template, path=path, kind=kind, start=start, stop=min(pages, start + CHUNK_PAGES)))
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
) -> Iterator[PageScan]:
    """Every page of every file, in order, as it is done."""
    allocator.tune()
    template = Job(Path(), "", 0, 0, out_dir, limits, known=known)
    if qr_box_mm is not None:
        template = replace(template, qr_box_mm=qr_box_mm)
    items, total = plan_jobs(paths, template)
    workers = default_workers() if workers is None else max(1, workers)
    done = 0
    progress(0, total, "")
    for scans in _run(items, workers, token):
        for scan in scans:
            done += 1
            progress(done, total, f"{scan.file.name} 第 {scan.page} 页")
            yield scan


def _pages(item: Job | PageScan) -> int:
    return item.stop - item.start if isinstance(item, Job) else 0


def _run(items: list[Job | PageScan], workers: int, token: CancelToken | None) -> Iterator[list[PageScan]]:
    """Chunks here while the work left is small; the rest in a pool when it is worth starting one.

    When there is more than a couple of chunks, the pool's processes are started at
    once and start up while this process measures the pace on the first chunks, so
    that a big job does not wait half a second for them; a job that turns out
    small shuts them down unused.
    """
    left = sum(_pages(i) for i in items)
    spent = pages_done = 0.0
    warm: ProcessPoolExecutor | None = None
    try:
        for n, item in enumerate(items):
            if token is not None:
                token.check()
            if workers > 1 and pages_done and left * spent / pages_done > POOL_WORTH_S:
                started, warm = warm, None
                yield from _in_pool(items[n:], workers, token, started)
                return
            if warm is None and workers > 1 and left > WARM_START_PAGES:
                warm = _start_pool(workers)
            start = time.perf_counter()
            scans = [item] if isinstance(item, PageScan) else run_job(item)
            spent += time.perf_counter() - start
            pages_done += _pages(item)
            left -= _pages(item)
            yield scans
    finally:
        if warm is not None:
            warm.shutdown(wait=False, cancel_futures=True)


def _start_pool(workers: int) -> ProcessPoolExecutor:
    # no fork under the GUI's threads; the same on Windows
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=multiprocessing.get_context("spawn"), initializer=allocator.tune
    )
    for _ in range(workers):
        pool.submit(_ready)  # a process is spawned per task while none is idle
    return pool


def _ready() -> None:
    """Imports the page work in a new worker, so that its first chunk starts at once."""
    import app.scan.engine  # noqa: F401


def _in_pool(
    items: list[Job | PageScan], workers: int, token: CancelToken | None, started: ProcessPoolExecutor | None = None
) -> Iterator[list[PageScan]]:
    """A few chunks in flight, results in order. A worker that dies (a file that crashes the
    PDF engine, say) costs its chunk's pages, reported unreadable; the rest goes to a new pool."""
    queue = list(items)
    while queue:
        with started or _start_pool(workers) as pool:
            started = None
            pending: list[tuple[Job | PageScan, Future[list[PageScan]] | None]] = []
            try:
                while queue or pending:
                    while queue and sum(f is not None for _, f in pending) < workers * 2:
                        item = queue.pop(0)
                        pending.append((item, None if isinstance(item, PageScan) else pool.submit(run_job, item)))
                    if token is not None:
                        token.check()
                    item, future = pending.pop(0)
                    if future is None:
                        yield [item]  # type: ignore[list-item]
                        continue
                    try:
                        scans = future.result()
                    except BrokenProcessPool:
                        log.warning("a scan worker died on %s pages %d-%d", item.path, item.start + 1, item.stop)  # type: ignore[union-attr]
                        yield _crashed(item)  # type: ignore[arg-type]
                        queue[:0] = [i for i, _ in pending]
                        break
                    yield scans
            except BaseException:
                pool.shutdown(wait=True, cancel_futures=True)
                raise


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
