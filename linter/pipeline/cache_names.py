"""The names of a pack's entries (:mod:`linter.pipeline.cache_pack`), as
stored: one ``bytes`` (UTF-8, ``\\0`` between the names) and where each name
starts. No string object per entry: at 100,000 entries a list of the names
and a dict of them cost about 20 MB."""

from __future__ import annotations

from array import array


class PackNames:
    """The names of ``n`` entries, found by name in the stored order or,
    out of it, through a hash table of 4 bytes a slot built once."""

    __slots__ = ("blob", "starts", "n", "_next", "_table")

    def __init__(self, blob: bytes, starts: array):
        self.blob = blob
        self.starts = starts  # one more than there are names: the end plus one
        self.n = len(starts) - 1
        self._next = 0  # find(): the entry after the last one found
        self._table: array | None = None

    @classmethod
    def read(cls, blob: bytes, n: int) -> PackNames | None:
        """The ``n`` names stored in ``blob``; None when it holds another
        number of names (a name that is not UTF-8: ValueError)."""
        blob.decode("utf-8", "surrogatepass")
        starts = array("I", [0])
        if not n:
            return cls(blob, starts) if not blob else None
        find, at = blob.find, 0
        for _ in range(n - 1):
            at = find(b"\0", at) + 1
            if not at:
                return None
            starts.append(at)
        if find(b"\0", at) >= 0:
            return None
        starts.append(len(blob) + 1)
        return cls(blob, starts)

    def raw(self, i: int) -> bytes:
        """Entry ``i``'s name as stored (UTF-8)."""
        return self.blob[self.starts[i] : self.starts[i + 1] - 1]

    def name(self, i: int) -> str:
        """Entry ``i``'s name."""
        return self.raw(i).decode("utf-8", "surrogatepass")

    def span(self, lo: int, hi: int) -> bytes:
        """The names of entries ``lo`` to ``hi - 1`` as stored (``\\0`` between)."""
        return self.blob[self.starts[lo] : self.starts[hi] - 1]

    def find(self, name: str) -> int | None:
        """The entry named ``name``, else None. Asked in the order the
        entries were stored (a run meets its files in the order the last one
        did), the answer is the entry after the last one found: one
        comparison; otherwise the hash table answers."""
        raw = name.encode("utf-8", "surrogatepass")
        i = self._next
        if i < self.n and self.raw(i) == raw:
            self._next = i + 1
            return i
        table = self._table if self._table is not None else self._build_table()
        mask = len(table) - 1
        h = hash(raw) & mask
        while (i := table[h]) >= 0:
            if self.raw(i) == raw:
                self._next = i + 1
                return i
            h = (h + 1) & mask
        return None

    def _build_table(self) -> array:
        size = 1 << max(4, (2 * self.n).bit_length())
        mask = size - 1
        table = array("i", [-1]) * size
        for i in range(self.n):
            h = hash(self.raw(i)) & mask
            while table[h] >= 0:
                h = (h + 1) & mask
            table[h] = i
        self._table = table
        return table
