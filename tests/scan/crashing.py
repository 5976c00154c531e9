"""A page job that kills its worker process on its second chunk, as a native crash would."""

from __future__ import annotations

import os

from app.scan.engine import Job, PageScan, run_job


def run_job_crashing(job: Job) -> list[PageScan]:
    if job.start == 4:
        os._exit(3)
    return run_job(job)


def never_starts() -> None:
    """A worker that dies before it can take any page, as in a broken installation."""
    os._exit(3)
