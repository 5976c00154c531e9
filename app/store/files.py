"""Files written whole or not at all, and files hashed, for every layer that writes or checks them."""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer


def fsync_dir(path: Path) -> None:
    """Make a rename durable (POSIX; Windows has no directory handles to sync)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def atomic_file(path: Path, durable: bool = True) -> Iterator[IO[bytes]]:
    """A file to write that appears at ``path`` whole, when the block ends without an error, or not at all.

    The bytes go to a hidden temporary file beside it (``.NAME.PID.tmp``), which is renamed over it.
    ``durable=False`` skips the flush to disk: for files made again in a click (the forms of a
    batch), where 3 ms a file is worth more than surviving a power cut. Raises :class:`OSError`,
    which the caller turns into its own message.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as fh:
            yield fh
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def write_atomic(path: Path, data: bytes, durable: bool = True) -> None:
    """Write ``data`` to ``path`` so that the file is either the old one or the whole new one (:func:`atomic_file`)."""
    with atomic_file(path, durable) as fh:
        fh.write(data)


class TooLong(Exception):
    """A stream gave more bytes than it was declared to hold."""


class Passing(io.RawIOBase):
    """A readable stream that passes what is read from ``source`` on to ``out`` and counts it, so that
    :func:`hashlib.file_digest` hashes a stream while it is copied; more than ``limit`` bytes raise
    :class:`TooLong`."""

    def __init__(self, source: IO[bytes], out: IO[bytes] | None = None, limit: int | None = None) -> None:
        super().__init__()
        self.source, self.out, self.limit, self.size = source, out, limit, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        view = memoryview(buffer)
        n = self.source.readinto(view) if hasattr(self.source, "readinto") else _read_into(self.source, view)
        self.size += n
        if self.limit is not None and self.size > self.limit:
            raise TooLong
        if n and self.out is not None:
            self.out.write(view[:n])
        return n


def _read_into(source: IO[bytes], view: memoryview) -> int:
    data = source.read(len(view))
    view[: len(data)] = data
    return len(data)


def sha256_file(path: Path) -> str:
    """The hex sha256 of a file's content."""
    with open(path, "rb") as fh:
        import hashlib  # OpenSSL with it: loaded on the first digest, not with the window

        return hashlib.file_digest(fh, "sha256").hexdigest()


def sha256_copied(source: IO[bytes], out: IO[bytes] | None = None, limit: int | None = None) -> tuple[str, int]:
    """The hex sha256 and size of a stream read to its end, copied to ``out`` on the way (:class:`Passing`)."""
    passing = Passing(source, out, limit)
    import hashlib

    return hashlib.file_digest(passing, "sha256").hexdigest(), passing.size
