"""Append-only bytes kept in chunks: what a run keeps per file for the whole
run (the collection index's values, the new pack's names, the summary's
records) without one Python object per file.

One growing ``bytearray`` would do, but at tens of megabytes each resize
may copy it (the old and the new buffer both alive for a moment) and leave
the heap fragmented: at 100,000 files that showed as a 15-20 MB step in
peak memory. Chunks of :data:`CHUNK` bytes never move once full."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator

#: bytes per chunk (an item larger than this gets a chunk of its own)
CHUNK = 1 << 20


class Chunks:
    """Bytes appended item by item, an item never split across chunks:
    ``add`` answers where it starts, ``items`` gives them back from their
    ends, ``parts`` the whole as buffers (to write or hash in order)."""

    __slots__ = ("_chunks", "_size")

    def __init__(self):
        self._chunks: list[bytearray] = [bytearray()]
        self._size = 0  # bytes in the full chunks before the last one

    def __len__(self) -> int:
        return self._size + len(self._chunks[-1])

    def add(self, data) -> int:
        """Append ``data`` (bytes-like); its offset in the whole."""
        last = self._chunks[-1]
        if last and len(last) + len(data) > CHUNK:
            self._size += len(last)
            last = bytearray()
            self._chunks.append(last)
        at = self._size + len(last)
        last += data
        return at

    def extend(self, other: Chunks, ends) -> list[int]:
        """Append ``other``'s items, given the offset where each ends in
        ``other``, as adding them one by one would (in order, none split):
        a chunk of ``other`` at a time. Answers where each ends here."""
        out: list[int] = []
        row, base = 0, 0
        for chunk in other._chunks:
            top = base + len(chunk)
            last = bisect_right(ends, top, row)
            at = self.add(chunk) if chunk else len(self)
            shift = at - base
            out += [end + shift for end in ends[row:last]]
            row, base = last, top
        return out

    def items(self, ends) -> Iterator[memoryview]:
        """The items, given the offset where each ends (an empty item: the
        same end as the one before), as views valid until the next ``add``."""
        chunks = self._chunks
        k, base, start = 0, 0, 0
        view = memoryview(chunks[0])
        try:
            for end in ends:
                while end > base + len(chunks[k]):  # (an item is never split)
                    base += len(chunks[k])
                    k += 1
                    view.release()
                    view = memoryview(chunks[k])
                yield view[start - base : end - base]
                start = end
        finally:
            view.release()

    def prefixes(self, ends, width: int) -> list[bytes]:
        """Each item's first ``width`` bytes (all of a shorter one), given
        the offset where each ends, as :meth:`items` takes them: one slice
        per item of a chunk copied once, not one view per item."""
        out: list[bytes] = []
        row = 0
        base = 0
        for chunk in self._chunks:
            top = base + len(chunk)
            last = bisect_right(ends, top)
            if last > row:
                data = bytes(chunk)
                starts = ends[row - 1 : last - 1] if row else [0, *ends[: last - 1]]
                out += [
                    data[s - base : min(s + width, e) - base]
                    for s, e in zip(starts, ends[row:last])
                ]
                row = last
            base = top
        return out

    def picked(self, ends, rows) -> list[bytes]:
        """The items of ``rows`` (ascending row numbers), given the offset
        where each item ends, as :meth:`items` takes them."""
        out: list[bytes] = []
        chunks = self._chunks
        k, base = 0, 0
        for row in rows:
            end = ends[row]
            while end > base + len(chunks[k]):  # (an item is never split)
                base += len(chunks[k])
                k += 1
            start = ends[row - 1] if row else 0
            out.append(bytes(chunks[k][start - base : end - base]))
        return out

    def parts(self) -> list[memoryview]:
        """The whole, chunk by chunk (views valid until the next ``add``)."""
        return [memoryview(c) for c in self._chunks if c]

    def tobytes(self) -> bytes:
        return b"".join(self._chunks)
