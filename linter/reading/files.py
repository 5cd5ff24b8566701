"""Reading files safely: a regular file only (never a FIFO, socket or
device, which could block or never end), opened without blocking, read with
plain system calls up to a size limit."""

from __future__ import annotations

import errno
import os
import stat

_READ_CHUNK = 1024 * 1024  # what one read asks for beyond the size fstat gave
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO opens at once instead of waiting for a writer
    | getattr(os, "O_NOCTTY", 0)
)
_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


class NotRegularFile(OSError):
    """The path is not a regular file (a FIFO, a socket, a device, a folder):
    it is never read, so nothing blocks on it."""

    def __init__(self, path, mode: int):
        super().__init__(errno.EINVAL, f"not a regular file: {file_kind(mode)}", os.fspath(path))


def file_kind(mode: int) -> str:
    """What a non-regular file is, in words (``a named pipe (FIFO)``…)."""
    for test, words in _KINDS:
        if test(mode):
            return words
    return "a special file"


def open_regular(path) -> tuple[int, os.stat_result]:
    """Open ``path`` for reading without ever blocking (``O_NONBLOCK``) and
    return the descriptor and its ``fstat``; raises :class:`NotRegularFile`
    (an ``OSError``) when it is not a regular file."""
    fd = os.open(path, _OPEN_FLAGS)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotRegularFile(path, st.st_mode)
    except BaseException:
        os.close(fd)
        raise
    return fd, st


def read_regular(path, limit: int) -> bytes:
    """Up to ``limit`` bytes of the regular file ``path``, with plain system
    calls (no buffered file object): the size from ``fstat`` is the first
    guess, reading goes on while the file has more (it may be growing).
    Raises ``OSError`` (:class:`NotRegularFile` for a FIFO, socket, device)."""
    fd, st = open_regular(path)
    try:
        size = st.st_size
        first = os.read(fd, min(size + 1 if size > 0 else _READ_CHUNK, limit))
        if not first or len(first) >= limit:
            return first
        parts = [first]
        got = len(first)
        while got < limit:
            # (os.read allocates what it is asked for: never the whole limit)
            more = os.read(fd, min(limit - got, _READ_CHUNK))
            if not more:
                break
            parts.append(more)
            got += len(more)
        return b"".join(parts)
    finally:
        os.close(fd)
