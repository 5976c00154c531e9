"""Files written whole or not at all, for every layer that writes them."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def write_atomic(path: Path, data: bytes, durable: bool = True) -> None:
    """Write ``data`` to ``path`` so that the file is either the old one or the whole new one.

    The bytes go to a hidden temporary file beside it, which is renamed over it.
    ``durable=False`` skips the flush to disk: for files made again in a click (the forms
    of a batch), where 3 ms a file is worth more than surviving a power cut. Raises
    :class:`OSError`, which the caller turns into its own message.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
