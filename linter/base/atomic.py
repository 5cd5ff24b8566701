"""Writing a file atomically: through a temporary file in the same folder
and a rename, so a reader (or a run killed half-way) never sees half a file.
The one implementation behind fixes, baselines, reports and ``--output-file``."""

from __future__ import annotations

import atexit
import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder and
    an atomic rename, keeping the file's permissions (a new file gets the
    usual ones)."""
    data = text.encode("utf-8")
    path = Path(os.path.realpath(path))  # through a symlink: rewrite its target
    folder = path.parent
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            mode = path.stat().st_mode & 0o7777
        except FileNotFoundError:  # a new file: the usual permissions, not mkstemp's 0o600
            mode = new_file_mode()
        try:
            os.chmod(tmp, mode)
        except OSError:
            pass
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


class AtomicOutput:
    """A report file written through a temporary file beside it and renamed
    into place by :meth:`commit`; if the run never commits (an internal error,
    an interrupt), the temporary file is removed at exit and the target left
    as it was."""

    def __init__(self, path: str):
        self.path = os.path.abspath(path)
        folder, name = os.path.split(self.path)
        fd, self.tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
        # newline="": the csv module writes its own RFC 4180 line ends
        self.stream = os.fdopen(fd, "w", encoding="utf-8", newline="")
        atexit.register(self.discard)

    def commit(self) -> None:
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
