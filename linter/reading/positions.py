"""Positions of a scanned front matter: JSON pointer -> :class:`Span`,
located on demand in the tree :mod:`linter.reading.scan` made."""

from __future__ import annotations

from bisect import bisect_right

from linter.base.model import Span
from linter.reading.scan import FMap, FSeq, Scanned

__all__ = ["FastPositions", "LazyPositions", "pointer_index", "pointer_key"]


def pointer_key(part: str) -> str:
    """The mapping key a JSON pointer part names (``~1``: ``/``, ``~0``: ``~``)."""
    return part.replace("~1", "/").replace("~0", "~") if "~" in part else part


def pointer_index(part: str, length: int) -> int | None:
    """The item a JSON pointer part names in a sequence of ``length`` items;
    None when it names none."""
    if not part.isdecimal() or (part[0] == "0" and part != "0"):
        return None
    i = int(part)
    return i if i < length else None


class LazyPositions:
    """JSON pointer -> :class:`Span`, located on demand by ``_locate`` (which
    a subclass gives) and remembered."""

    __slots__ = ("_memo",)

    def __init__(self):
        self._memo: dict[str, Span | None] = {}

    def _locate(self, path: str) -> Span | None:
        raise NotImplementedError

    def get(self, path: str, default=None):
        try:
            found = self._memo[path]
        except KeyError:
            found = self._memo[path] = self._locate(path)
        return default if found is None else found

    def __getitem__(self, path: str) -> Span:
        found = self.get(path)
        if found is None:
            raise KeyError(path)
        return found

    def __contains__(self, path: object) -> bool:
        return isinstance(path, str) and self.get(path) is not None


class FastPositions(LazyPositions):
    """:class:`linter.reading.compose.Positions` for a scanned tree: JSON
    pointer -> :class:`Span`, located on demand."""

    __slots__ = ("_scanned", "_keys", "_offset", "_line_offset")

    def __init__(self, scanned: Scanned, keys: bool, offset: int, line_offset: int):
        super().__init__()
        self._scanned = scanned
        self._keys = keys
        self._offset = offset
        self._line_offset = line_offset

    def _span(self, start: int, end: int) -> Span:
        starts = self._scanned.starts
        a = bisect_right(starts, start) - 1
        b = bisect_right(starts, end) - 1
        lo, off = self._line_offset + 1, self._offset
        return Span(
            a + lo, start - starts[a] + 1, b + lo, end - starts[b] + 1, off + start, off + end
        )

    def _node_span(self, node) -> Span:
        if type(node) is tuple:
            return self._span(node[0], node[1])
        last = node.last if type(node) is FMap else node.items[-1]
        end = self._node_span(last)
        s = self._span(node.start, node.start)
        return Span(s.line, s.col, end.end_line, end.end_col, s.start, end.end)

    def _locate(self, path: str) -> Span | None:
        key, node = None, self._scanned.root
        if path:
            if path[0] != "/":
                return None
            for part in path[1:].split("/"):
                cls = type(node)
                # (the attributes, not the properties, once a node's runs
                # are made: a path is located for every finding)
                if cls is FMap:
                    found = (node.entries if node._runs else node._entries).get(pointer_key(part))
                    if found is None:
                        return None
                    key, node = (found[0], found[1]), found[2]
                elif cls is FSeq:
                    items = node.items if node._runs else node._items
                    i = pointer_index(part, len(items))
                    if i is None:
                        return None
                    key, node = None, items[i]
                else:
                    return None
        if self._keys:
            return None if key is None else self._span(key[0], key[1])
        return self._node_span(node)

    def multiline(self) -> list[Span]:
        """Spans of the scalars that run over several lines."""
        return [self._span(s, e) for s, e in sorted(self._scanned.multiline)]
