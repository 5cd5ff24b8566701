"""Writing a file atomically: through a temporary file in the same folder
and a rename, so a reader (or a run killed half-way) never sees half a file.
The one implementation behind fixes, baselines, reports and ``--output-file``."""

from __future__ import annotations

import atexit
import errno
import os
import stat
import sys
import tempfile
from pathlib import Path


def writes_in_place(path) -> bool:
    """Whether a report or baseline target is written into what is there,
    not replaced: ``-`` (standard output), a device, a FIFO, a socket,
    ``/dev/stdout`` or anything else under ``/dev`` or ``/proc``, or a
    symlink to one. Only regular files (and new paths) get the temporary
    file and the rename, which would replace a device node by a file."""
    if os.fspath(path) == "-":
        return True
    real = os.path.realpath(path)
    if real.startswith(("/dev/", "/proc/")):
        return True
    try:
        return not stat.S_ISREG(os.stat(real).st_mode)
    except OSError:
        return False


def _write_stream(path, text: str) -> None:
    if os.fspath(path) == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)


class ChangedOnDisk(OSError):
    """The file no longer holds the bytes the fix was made from (an editor
    saved it, a checkout replaced it): nothing was written."""


class HardLinked(OSError):
    """The file has other hard links, which a rename would cut off from the
    new text: nothing was written."""


def write_atomic(
    path: Path, text: str, *, expect: bytes | None = None, hard_links: str = "break"
) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder and
    an atomic rename, keeping the file's permissions, and its owner and group
    where the process may set them (as root: always); a new file gets the
    usual permissions. Through a symlink, the link's target is rewritten.

    ``expect``: the bytes the text was made from; when the file holds others
    by the time of the rename, nothing is written (:class:`ChangedOnDisk`).
    ``hard_links``: for a file with more than one link, ``"break"`` renames
    over this one (the others keep the old text), ``"refuse"`` writes nothing
    (:class:`HardLinked`), ``"in-place"`` writes through the file itself so
    every link sees the new text (not atomic: a reader may see it half-way)."""
    if writes_in_place(path):
        _write_stream(path, text)
        return
    data = text.encode("utf-8")
    path = Path(os.path.realpath(path))  # through a symlink: rewrite its target
    try:
        st = os.stat(path)
    except FileNotFoundError:
        st = None
    if st is not None and st.st_nlink > 1 and hard_links != "break":
        if hard_links == "refuse":
            raise HardLinked(
                errno.EMLINK, f"the file has {st.st_nlink} hard links", os.fspath(path)
            )
        _unchanged(path, expect)
        _write_in_place(path, data)
        return
    folder = path.parent
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        # a new file: the usual permissions, not mkstemp's 0o600
        mode = st.st_mode & 0o7777 if st is not None else new_file_mode()
        if st is not None and (st.st_uid, st.st_gid) != (os.geteuid(), os.getegid()):
            try:  # root keeps another user's file theirs; others may keep the group
                os.chown(tmp, st.st_uid, st.st_gid)
            except OSError:
                pass
        try:
            os.chmod(tmp, mode)  # after chown, which clears set-id bits
        except OSError:
            pass
        _unchanged(path, expect)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _unchanged(path: Path, expect: bytes | None) -> None:
    """Raise :class:`ChangedOnDisk` unless ``path`` holds ``expect`` (None: no check)."""
    if expect is None:
        return
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise ChangedOnDisk(errno.ENOENT, "the file is gone", os.fspath(path)) from None
    try:
        parts, got = [], 0
        while got <= len(expect):
            more = os.read(fd, len(expect) + 1 - got)
            if not more:
                break
            parts.append(more)
            got += len(more)
    finally:
        os.close(fd)
    if b"".join(parts) != expect:
        raise ChangedOnDisk(
            errno.EAGAIN, "the file changed while it was being fixed", os.fspath(path)
        )


def _write_in_place(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.ftruncate(fd, len(data))
        os.fsync(fd)
    finally:
        os.close(fd)


class AtomicOutput:
    """A report file written through a temporary file beside it and renamed
    into place by :meth:`commit`; if the run never commits (an internal error,
    an interrupt), the temporary file is removed at exit and the target left
    as it was."""

    def __init__(self, path: str):
        self.tmp = None
        if writes_in_place(path):  # a device, a FIFO, `-`: written into, never replaced
            self.path = path
            if path == "-":
                self.stream = sys.stdout
            else:
                self.stream = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115
            self.in_place = True
            return
        self.in_place = False
        self.path = os.path.abspath(path)
        folder, name = os.path.split(self.path)
        fd, self.tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
        # newline="": the csv module writes its own RFC 4180 line ends
        self.stream = os.fdopen(fd, "w", encoding="utf-8", newline="")
        atexit.register(self.discard)

    def commit(self) -> None:
        if self.in_place:
            self.stream.flush()
            if self.stream is not sys.stdout:
                self.stream.close()
            return
        self.stream.flush()
        os.fsync(self.stream.fileno())
        self.stream.close()
        os.chmod(self.tmp, new_file_mode())
        os.replace(self.tmp, self.path)
        self.tmp = None

    def discard(self) -> None:
        if self.tmp is None:
            return
        try:
            self.stream.close()
            os.unlink(self.tmp)
        except OSError:
            pass
        self.tmp = None


def new_file_mode() -> int:
    """The permissions a newly created file gets (0o666 less the umask)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask
