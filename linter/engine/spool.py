"""Bytes a warm run's workers hand the parent through a file, not the pipe.

The workers render the cached text of tens of thousands of files (190 MB at
50,000 records). Sent through the pipe, every byte was pickled, written,
read in chunks, copied and unpickled, and the reading was the parent's: the
one process every answer goes through. A :class:`Spool` is an unlinked
temporary file the parent opens before it forks the workers, cut in
``slots`` slots of :data:`SLOT_BYTES`: a worker writes the text of batch
``number`` into slot ``number % slots`` (``pwrite``: the file offset the
processes share is never used) and sends a :class:`Spooled` (two integers)
in its place; the parent reads it back (``pread``) when it takes that
batch, in order. The parent never has more than ``slots`` batches sent and
not yet taken, so a slot is free when it is written. A text larger than a
slot, or one the file would not take, goes through the pipe. The file holds
at most ``slots`` slots' worth of text (written, not reserved)."""

from __future__ import annotations

import os
import tempfile

SLOT_BYTES = 1 << 20  # a batch's text (64 files: ~250 KB of concise lines)


class Spooled:
    """``length`` bytes of the spool at slot ``slot``."""

    __slots__ = ("slot", "length")

    def __init__(self, slot: int, length: int):
        self.slot, self.length = slot, length

    def __reduce__(self):
        return (Spooled, (self.slot, self.length))


class Spool:
    """``slots`` slots (see the module docstring)."""

    def __init__(self, slots: int):
        self.slots = slots
        # kept open for the run (closed by close()): no with-block
        self._file = tempfile.TemporaryFile(prefix="pfocr-lint-")  # noqa: SIM115
        self.fd = self._file.fileno()

    @classmethod
    def open(cls, slots: int) -> Spool | None:
        """A spool of ``slots`` slots; None where the system has no
        positioned reads and writes, or no temporary file can be made."""
        if not hasattr(os, "pwrite") or not hasattr(os, "pread"):
            return None  # pragma: no cover - Windows
        try:
            return cls(slots)
        except OSError:
            return None

    def put(self, number: int, data: bytes) -> Spooled | bytes:
        """(A worker's.) ``data`` written to batch ``number``'s slot: where
        it is; ``data`` itself when it does not fit or cannot be written."""
        if len(data) > SLOT_BYTES:
            return data
        slot = number % self.slots
        at = slot * SLOT_BYTES
        view = memoryview(data)
        done = 0
        try:
            while done < len(view):
                done += os.pwrite(self.fd, view[done:], at + done)
        except OSError:
            return data
        return Spooled(slot, len(data))

    def take(self, spooled: Spooled) -> bytes | None:
        """(The parent's.) The bytes a worker spooled; None when they cannot
        be read back whole."""
        if not 0 <= spooled.slot < self.slots or not 0 <= spooled.length <= SLOT_BYTES:
            return None
        try:
            data = os.pread(self.fd, spooled.length, spooled.slot * SLOT_BYTES)
        except OSError:
            return None
        return data if len(data) == spooled.length else None

    def close(self) -> None:
        self._file.close()
