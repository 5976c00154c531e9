"""Keep big image buffers in the heap, so that page after page does not pay fresh page faults.

glibc serves every allocation above its mmap threshold (128 KB, rising to at most 32 MB)
with freshly mapped pages and returns them on free. A page image is tens of megabytes, so a
process that has not grown its heap yet (a new worker, or the program soon after it starts)
faults in every buffer of every page again: measured here, 1.6 times the time of the same
pages in a process whose heap is already large. Raising the thresholds once makes the freed
buffers reusable. Other platforms' allocators are left alone.
"""

from __future__ import annotations

import ctypes
import logging
import sys

log = logging.getLogger(__name__)

M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
#: Buffers up to this size come from the heap (an A4 page at 300 DPI in RGB is 26 MB).
MMAP_THRESHOLD = 64 << 20
#: Free heap kept for the next page before it is given back to the system.
TRIM_THRESHOLD = 128 << 20

_tuned = False


def tune() -> None:
    """Raise glibc's thresholds once per process (a no-op elsewhere)."""
    global _tuned
    if _tuned or not sys.platform.startswith("linux"):
        return
    _tuned = True
    try:
        libc = ctypes.CDLL("libc.so.6")
        ok = libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) and libc.mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD)
    except (OSError, AttributeError):
        ok = False  # not glibc (musl, say): nothing to tune
    if not ok:
        log.info("malloc thresholds left as they are")
