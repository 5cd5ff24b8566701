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


# -- the tree boundary ---------------------------------------------------------------
# A run reads below its root: a path that reaches outside it through a
# symbolic link (a record or a table linked to /etc/passwd, to
# /proc/self/environ) is not read, unless the run follows symlinks. Special
# file systems are never read, even then. Set once per process by the engine
# (``confine``); forked workers inherit it.
_SPECIAL = ("/proc/", "/sys/", "/dev/")
_ROOT: str | None = None  # the real root + os.sep; None: links are followed
_REAL_DIRS: dict[str, str] = {}  # folder -> its real path (records share few folders)


class OutsideTree(OSError):
    """The path reaches outside the linted tree through a symbolic link, or
    into a special file system: it is not read."""

    def __init__(self, path, why: str):
        super().__init__(errno.EACCES, why, os.fspath(path))


def confine(root: str | os.PathLike | None) -> None:
    """Read only below ``root`` when a symbolic link is involved (None: follow
    links anywhere but into special file systems)."""
    global _ROOT
    _ROOT = None if root is None else os.path.join(os.path.realpath(root), "")
    _REAL_DIRS.clear()


_CONFINED = object()


def linked_outside(path, root=_CONFINED) -> str | None:
    """Why ``path`` must not be read (or written): it reaches outside
    ``root`` (default: the root :func:`confine` set; None: no root) through a
    symbolic link, or into a special file system through one; None when it may. A path with no link
    in it is never refused: the tree's own files, and files the user named."""
    absolute = os.path.abspath(path)
    folder, name = os.path.split(absolute)
    real_folder = _REAL_DIRS.get(folder)
    if real_folder is None:
        if len(_REAL_DIRS) > 4096:
            _REAL_DIRS.clear()
        real_folder = _REAL_DIRS[folder] = os.path.realpath(folder)
    real = os.path.join(real_folder, name)
    if os.path.islink(real):
        real = os.path.realpath(real)
    if real == absolute:
        return None
    if real.startswith(_SPECIAL):
        return f"a symbolic link into {real[: real.index('/', 1) + 1]}, never read"
    if root is _CONFINED:
        bound = _ROOT
    else:
        bound = None if root is None else os.path.join(os.path.realpath(root), "")
    if bound is not None and not real.startswith(bound):
        return "a symbolic link to outside the linted tree (--follow-symlinks reads it)"
    return None


def open_regular(path) -> tuple[int, os.stat_result]:
    """Open ``path`` for reading without ever blocking (``O_NONBLOCK``) and
    return the descriptor and its ``fstat``; raises :class:`NotRegularFile`
    (an ``OSError``) when it is not a regular file, :class:`OutsideTree`
    when it reaches outside the tree (see :func:`confine`)."""
    why = linked_outside(path)
    if why is not None:
        raise OutsideTree(path, why)
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
        return read_fd(fd, st.st_size, limit)
    finally:
        os.close(fd)


def read_fd(fd: int, size: int, limit: int) -> bytes:
    """Up to ``limit`` bytes from the descriptor ``fd`` of a file whose
    ``fstat`` gave ``size``: the size is the first read's guess, reading goes
    on while the file has more (it may be growing)."""
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
