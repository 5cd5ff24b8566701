"""What reading a file gives: a :class:`Record` (the front matter's plain
data, the file's text and the positions of its nodes) in a
:class:`ReadResult` with the problems met while reading, and the helpers
that locate a character of the text. Both readers build these: the scanner's
path (:mod:`linter.reading.reader`) and libyaml's
(:mod:`linter.reading.compose`)."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

from linter.base.model import Span

DEFAULT_MAX_SIZE = 1024 * 1024
# libyaml's composer recurses on the C stack: a few thousand nested
# collections crash the process, so deeper nesting is rejected (FM106)
MAX_DEPTH = 100


def escape_pointer(key: str) -> str:
    if "~" in key or "/" in key:
        return key.replace("~", "~0").replace("/", "~1")
    return key


def join(path: str, key) -> str:
    return f"{path}/{escape_pointer(key) if isinstance(key, str) else key}"


@dataclass
class Record:
    """A front-matter record as the rules see it.

    ``data`` is plain Python data (dicts, lists, str, int, float, bool, None);
    ``pos`` maps a JSON pointer (``/genes/3/entrez``; ``""`` is the root) to the
    span of the value node, ``keypos`` to the span of its mapping key (both
    answer ``get``, ``[]`` and ``in``, located on demand).
    ``text`` is the whole file text and spans index into it.
    """

    filename: str
    text: str
    data: dict
    pos: dict[str, Span]
    keypos: dict[str, Span]
    fm_start: int  # offset of the first front-matter character
    fm_end: int  # offset of the closing ``---`` line
    fm_first_line: int  # 1-based line number of the first front-matter line
    issues: list = field(default_factory=list)  # (code, message, span, fix)
    # filled by the engine / collection layer
    generation: str | None = None
    annotations: object | None = None
    fs_path: Path | None = None

    @property
    def multiline_scalars(self) -> list[Span]:
        """Spans of the scalars that run over several lines."""
        return self.pos.multiline()

    def span(self, path: str, key: bool = False) -> Span | None:
        """The span of ``path``, walking up to the nearest located ancestor."""
        table = self.keypos if key else self.pos
        while True:
            s = table.get(path)
            if s is not None:
                return s
            if not path:
                return None
            path = path.rsplit("/", 1)[0] if "/" in path else ""  # "x": no pointer
            table = self.pos

    def node_text(self, path: str) -> str:
        s = self.pos[path]
        return self.text[s.start : s.end]


@dataclass
class ReadResult:
    record: Record | None
    issues: list  # (code, message, span | None, fix | None)


class _LineIndex:
    """Maps offsets of the whole text to 1-based (line, column)."""

    def __init__(self, text: str):
        starts = [0]
        find = text.find
        i = find("\n")
        while i != -1:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self.starts = starts

    def at(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1

    def span(self, start: int, end: int) -> Span:
        line, col = self.at(start)
        end_line, end_col = self.at(end)
        return Span(line, col, end_line, end_col, start, end)


def point_span(text: str, offset: int) -> Span:
    line, col = _LineIndex(text).at(offset)
    return Span(line, col, line, col + 1, offset, offset + 1)
