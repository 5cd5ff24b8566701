"""A run's files' cache keys, kept compact for the whole run
(:mod:`linter.engine.pool` looks the files up a batch at a time)."""

from __future__ import annotations


class KeyList:
    """The files' cache keys, the digests (``bytes`` of one length) back to
    back: at 100,000 files a list of ``bytes`` costs 5 MB more. A key of
    another form (a racy file's digest and content hash, None) is kept as
    it is, by file. A file never given a key has None."""

    __slots__ = ("n", "width", "digests", "given", "others")

    def __init__(self, n: int):
        self.n = n
        self.width = 0  # the digests' length, from the first one
        self.digests = bytearray()
        self.given = bytearray(n)
        self.others: dict[int, object] = {}

    def put(self, start: int, found: list) -> None:
        width = self.width
        if width and found and start + len(found) <= self.n:
            try:  # (the common case: every key a digest, copied at once)
                joined = b"".join(found)
            except TypeError:  # a racy file's pair, or None
                joined = None
            if joined is not None and set(map(len, found)) == {width}:
                self.digests[start * width : (start + len(found)) * width] = joined
                self.given[start : start + len(found)] = b"\1" * len(found)
                return
        for i, key in enumerate(found, start):
            if type(key) is bytes and key and not self.width:
                self.width = len(key)
                self.digests = bytearray(self.width * self.n)
            if type(key) is bytes and len(key) == self.width:
                self.digests[i * self.width : (i + 1) * self.width] = key
                self.given[i] = 1
            else:
                self.others[i] = key

    def __getitem__(self, i: int):
        if self.given[i]:
            return bytes(self.digests[i * self.width : (i + 1) * self.width])
        return self.others.get(i)
