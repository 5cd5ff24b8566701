"""A scanner for the front matter PFOCR writes, in front of libyaml.

PFOCR's generator writes one shape: block mappings and block sequences of
plain or quoted scalars (``key: value``, ``- item``, ``- key: value`` and
their indented continuation lines), ``[]`` and ``{}`` for empty lists and
tables.  :func:`scan` reads that shape line by line and builds the same
plain data as the libyaml path (:mod:`linter.reading.compose`) plus a small
tree of offsets from which the same positions are computed on demand; it
answers ``None`` for anything else (tags, anchors, aliases, comments, flow
collections with content, block scalars, empty values, duplicate keys,
escapes in double quotes, tabs, CR or other line breaks, a byte-order mark,
nesting deeper than :data:`MAX_DEPTH`...), and the reader then composes the
text with libyaml as before.  Being stricter than YAML is fine (the fallback
answers); accepting a text libyaml reads differently is not:
``tests/test_scan.py`` compares both paths on every corpus record and on
fuzzed inputs (values, types, positions, issues).
"""

from __future__ import annotations

import re

from linter.reading.yaml11 import CONSTRUCT as _CONSTRUCT
from linter.reading.yaml11 import IMPLICIT_STARTS as _IMPLICIT_STARTS
from linter.reading.yaml11 import RESOLVED_WORDS as _RESOLVED_WORDS
from linter.reading.yaml11 import SCALAR_TAGS as _SCALAR_TAGS
from linter.reading.yaml11 import STR as _STR
from linter.reading.yaml11 import WORD_STARTS as _WORD_STARTS
from linter.reading.yaml11 import resolve as _resolve

__all__ = ["MAX_DEPTH", "FMap", "FSeq", "Scanned", "scan"]

#: deeper nesting goes to libyaml (which has the depth check)
MAX_DEPTH = 24

# characters that cannot start a plain scalar (quotes are read as quoted
# scalars; '-', '?' and ':' can, when a non-space follows)
_NOT_PLAIN = frozenset(",[]{}#&*!|>%@`'\"")
_INDICATORS = frozenset("-?:")
# first characters a one-line plain value is read without more checks for
_SPECIAL_START = _NOT_PLAIN | _INDICATORS | frozenset("[{")
_QUOTES = frozenset("'\"")

# -- runs of simple lines, read with one regex ------------------------------------
_FIRST = r"[^" + re.escape("".join(sorted(_SPECIAL_START))) + r" \n]"
# A one-line plain scalar, loosely: a first character not in _SPECIAL_START
# (nor a space), then the rest of the line. The line-by-line path also wants
# no ":" or space at its end (checked after the line's end, so that a line
# that is not one fails fast: `[^\n]*` backs off only to a "\n"), and no ": "
# and no " #" in it (the runs check that with `in`, faster than the regex
# engine character by character).
_PLAIN = _FIRST + r"[^\n]*"
_PLAIN_END = r"(?<=[^ :\n]\n)"
# a quoted scalar closed on its line (double quotes: without a backslash);
# '' in single quotes as two quoted chunks side by side
_QUOTED = r"'[^'\n]*'(?:'[^'\n]*')*|\"[^\"\\\n]*\""
# a key: plain, with a first character as _PLAIN's but for those that start
# numbers and the other implicit tags that are not words (a plain key that
# starts with a letter is one _plain_key_ok accepts), then no space, ":" or
# "#" (so its ": " is the line's first), at most 1000 characters; or quoted,
# without '' or a backslash
_FIRST_WORD = (
    r"[^" + re.escape("".join(sorted(_SPECIAL_START | (_IMPLICIT_STARTS - _WORD_STARTS)))) + " \n]"
)
_KEY = _FIRST_WORD + r"[^\n:# ]{0,999}|'[^'\n]*'|\"[^\"\\\n]*\""


def _value_after(indent: int) -> str:
    """A one-line value of a collection whose entries stand at ``indent``:
    a plain scalar the next line does not continue (it holds something and
    stands at most at ``indent``), a quoted scalar, ``[]`` or ``{}``; then
    the line's end."""
    return rf"(?:({_PLAIN})\n{_PLAIN_END}(?= {{0,{indent}}}[^ \n])|({_QUOTED}|\[\]|\{{\}}) *\n)"


# from just after an opening quote, up to and with its closing quote
_SINGLE_TO_CLOSE = re.compile(r"[^']*(?:''[^']*)*'")
_DOUBLE_TO_CLOSE = re.compile(r'[^"]*"')

_RUNS: dict = {}


def _runs(indent: int):
    """``findall`` of the run patterns for collections at column ``indent``:
    block-sequence items (``- plain``) and mapping entries (``key: value``),
    one match per line from where it starts, then one match of the rest of
    the text (its groups all empty) from the first line that is not one."""
    found = _RUNS.get(indent)
    if found is None:
        pad = " " * indent
        value = _value_after(indent)
        # (a plain item, with a first character as a plain key's: only the
        # words of _RESOLVED_WORDS among them resolve to anything but a string)
        item = rf"{pad}- ({_FIRST_WORD}[^\n]*)\n{_PLAIN_END}(?= {{0,{indent}}}[^ \n])"
        entry = rf"(?:{pad}|(?<=- ))({_KEY})( *: +){value}"
        found = (
            re.compile(f"{item}|(?s:.+)").findall,
            re.compile(f"{entry}|(?s:.+)").findall,
        )
        if indent <= 64:
            _RUNS[indent] = found
    return found


class _Fallback(Exception):
    """The text is not of the scanned shape: compose it with libyaml."""


class FMap:
    """A block mapping: ``entries`` key -> (key start, key end, value node);
    offsets are relative to the front matter (the entries of a run of
    one-line entries, :class:`_MapRun`, made on first use)."""

    __slots__ = ("start", "_entries", "_last", "_runs")

    def __init__(self, start: int, entries: dict, last, runs: list | None = None):
        self.start, self._entries, self._last, self._runs = start, entries, last, runs

    @property
    def entries(self) -> dict:
        if self._runs:
            entries = self._entries
            for run in self._runs:
                indent = run.indent
                for at, (written, sep, plain, other) in zip(run.starts, run.rows):
                    at += indent
                    kend = at + len(written)
                    vstart = kend + len(sep)
                    key = written if written[0] not in _QUOTES else written[1:-1]
                    entries[key] = (at, kend, (vstart, vstart + len(plain or other)))
            self._runs = None
        return self._entries

    @property
    def last(self):
        last = self._last
        if type(last) is _MapRun:
            written = last.rows[len(last.starts) - 1][0]
            last = self._last = self.entries[
                written if written[0] not in _QUOTES else written[1:-1]
            ][2]
        return last


class _MapRun:
    """A run of one-line entries: the starts of their lines, the keys'
    column, the rows the run pattern read (those past the run's lines left
    out)."""

    __slots__ = ("starts", "indent", "rows")

    def __init__(self, starts: list, indent: int, rows: list):
        self.starts, self.indent, self.rows = starts, indent, rows


class FSeq:
    """A block sequence: its first ``-`` and its item nodes (those of a run
    of one-line items, :class:`_RunNodes`, made on first use)."""

    __slots__ = ("start", "_items", "_runs")

    def __init__(self, start: int, items: list, runs: bool = False):
        self.start, self._items, self._runs = start, items, runs

    @property
    def items(self) -> list:
        if self._runs:
            items = []
            for node in self._items:
                if type(node) is _RunNodes:
                    col = node.col
                    items += [
                        (at + col, at + col + len(t)) for at, t in zip(node.starts, node.texts)
                    ]
                else:
                    items.append(node)
            self._items, self._runs = items, False
        return self._items


class _RunNodes:
    """The nodes of a run of one-line plain items: the starts of their lines,
    the items' column and texts."""

    __slots__ = ("starts", "col", "texts")

    def __init__(self, starts: list, col: int, texts: list):
        self.starts, self.col, self.texts = starts, col, texts


# a scalar, or an empty flow collection ([] or {}), is a (start, end) tuple


def _plain_value(text: str):
    """Plain data of a plain scalar, as the libyaml path builds it."""
    first = text[0]
    if first not in _IMPLICIT_STARTS or (first in _WORD_STARTS and text not in _RESOLVED_WORDS):
        return text
    tag = _resolve(text)
    if tag == _STR:
        return text
    if tag not in _SCALAR_TAGS:
        raise _Fallback
    construct = _CONSTRUCT.get(tag)
    if construct is None:  # timestamp: the text
        return text
    try:
        return construct(text)
    except Exception:  # noqa: BLE001 - as the reader: the text
        return text


def _plain_key_ok(key: str) -> bool:
    """Does a plain key resolve to a tag the reader accepts?"""
    first = key[0]
    if first not in _IMPLICIT_STARTS or (first in _WORD_STARTS and key not in _RESOLVED_WORDS):
        return True
    return _resolve(key) in _SCALAR_TAGS


def _quoted_end(line: str, at: int) -> int:
    """Index just past the closing quote of the quoted scalar opening at
    ``line[at]``, when it closes on this line; -1 when it does not (or holds
    a backslash, in double quotes)."""
    q = line[at]
    i = at + 1
    if q == "'":
        while True:
            j = line.find("'", i)
            if j < 0:
                return -1
            if line.startswith("'", j + 1):
                i = j + 2
                continue
            return j + 1
    j = line.find('"', i)
    if j < 0 or "\\" in line[i:j]:
        return -1
    return j + 1


def _other_value(text: str):
    """Plain data of a one-line quoted scalar, ``[]`` or ``{}`` (as a run
    pattern matched it)."""
    q = text[0]
    if q == "'":
        return text[1:-1].replace("''", "'")
    if q == '"':
        return text[1:-1]
    return [] if q == "[" else {}


def _unquote(body: str, q: str) -> str:
    return body.replace("''", "'") if q == "'" else body


class Scanned:
    """What :func:`scan` found: the data, the node tree, the line starts of
    the front matter, and the multi-line scalars (relative offsets)."""

    __slots__ = ("data", "root", "starts", "multiline")

    def __init__(self, data, root, starts, multiline):
        self.data, self.root, self.starts, self.multiline = data, root, starts, multiline


def scan(fm: str) -> Scanned | None:
    """The data and node tree of front matter ``fm``, or None when libyaml
    must read it."""
    if "\t" in fm or "\r" in fm:
        return None
    if fm.startswith(("---", "...")) or "\n---" in fm or "\n..." in fm:
        return None  # document markers
    if not fm.isascii() and ("\x85" in fm or "\u2028" in fm or "\u2029" in fm or "\ufeff" in fm):
        return None
    try:
        return _Scanner(fm).run()
    except (_Fallback, IndexError, RecursionError):
        return None


class _Scanner:
    def __init__(self, fm: str):
        lines = fm.split("\n")
        starts = []
        inds = []  # column of each line's first non-space; -1 for a blank line
        at = 0
        for line in lines:
            starts.append(at)
            at += len(line) + 1
            content = line.lstrip(" ")
            inds.append(len(line) - len(content) if content else -1)
        self.fm = fm
        self.lines = lines
        self.starts = starts
        self.inds = inds
        self.n = len(lines)
        self.multiline: list[tuple[int, int]] = []

    def run(self) -> Scanned:
        inds, n = self.inds, self.n
        i = 0
        while i < n and inds[i] < 0:
            i += 1
        if i == n:
            raise _Fallback  # empty: FM104 from the libyaml path
        data, root, i = self.mapping(i, inds[i], False, 0)
        while i < n:
            if inds[i] >= 0:
                raise _Fallback  # a dedented line after the root mapping
            i += 1
        return Scanned(data, root, self.starts, self.multiline)

    # -- collections -------------------------------------------------------
    def mapping(self, i: int, indent: int, inline: bool, depth: int):
        """The block mapping whose keys stand at column ``indent`` from line
        ``i`` (``inline``: line ``i``'s first key follows a ``- ``)."""
        if depth > MAX_DEPTH:
            raise _Fallback
        lines, starts, inds, n = self.lines, self.starts, self.inds, self.n
        fm = self.fm
        run = _runs(indent)[1]
        after_run = -1
        runs: list = []
        out: dict = {}
        entries: dict = {}
        child = None
        start = starts[i] + indent
        while i < n:
            if inline:
                # line i: `- key: value`, the key at column indent
                inline = False
                at = starts[i] + indent
            else:
                col = inds[i]
                if col != indent:
                    if col < 0:
                        i += 1
                        continue
                    if col < indent:
                        break
                    raise _Fallback
                at = starts[i]
            if i != after_run and i + 1 < n and 0 <= inds[i + 1] <= indent and lines[i][-1] != ":":
                # a run of one-line `key: value` entries (tried where this
                # line may start one: its value is on it, the next line does
                # not continue it), up to the first line that is not; their
                # entries are made when a position is asked for
                rows = run(fm, at)
                k = 0
                for written, _, plain, other in rows:
                    if plain:
                        if ": " in plain or " #" in plain:
                            break
                        value = plain if plain[0] not in _IMPLICIT_STARTS else _plain_value(plain)
                    elif other:
                        value = _other_value(other)
                    else:
                        break  # the rest of the text
                    key = written if written[0] not in _QUOTES else written[1:-1]
                    if key in out:
                        raise _Fallback  # duplicate keys: FM103 from libyaml
                    out[key] = value
                    k += 1
                if k:
                    child = _MapRun(starts[i : i + k], indent, rows)
                    runs.append(child)
                    i += k
                    after_run = i  # line i: the line-by-line path
                    continue
            line = lines[i]
            c0 = line[indent]
            if c0 == "'" or c0 == '"':
                kend = _quoted_end(line, indent)
                if kend < 0:
                    raise _Fallback  # a key runs over lines
                key = _unquote(line[indent + 1 : kend - 1], c0)
                after = line[kend:].lstrip(" ")
                if not after.startswith(":") or (len(after) > 1 and after[1] != " "):
                    raise _Fallback
                j = len(line) - len(after)
            else:
                if c0 in _NOT_PLAIN or (c0 in _INDICATORS and line[indent + 1 : indent + 2] in " "):
                    raise _Fallback
                j = line.find(": ", indent)
                if j < 0:
                    if line[-1] != ":":
                        raise _Fallback
                    j = len(line) - 1
                key = line[indent:j].rstrip(" ")
                if " #" in key or len(key) > 1000:
                    raise _Fallback
                if key[0] in _IMPLICIT_STARTS and not _plain_key_ok(key):
                    raise _Fallback
                kend = indent + len(key)
            if key in out:
                raise _Fallback  # duplicate keys: FM103 from the libyaml path
            at = starts[i]
            text = line[j + 1 :].lstrip(" ")
            if not text:
                value, child, i = self.block(i + 1, indent, depth)
            else:
                v0 = text[0]
                nxt = inds[i + 1] if i + 1 < n else -2
                if (
                    v0 not in _SPECIAL_START
                    and (nxt <= indent and nxt != -1)
                    and text[-1] != " "
                    and text[-1] != ":"
                    and ": " not in text
                    and " #" not in text
                ):
                    # a plain scalar on one line (the common case)
                    vstart = at + len(line) - len(text)
                    child = (vstart, vstart + len(text))
                    if v0 in _IMPLICIT_STARTS:
                        value = _plain_value(text)
                    else:
                        value = text
                    i += 1
                else:
                    value, child, i = self.scalar(i, len(line) - len(text), indent)
            out[key] = value
            entries[key] = (at + indent, at + kend, child)
        return out, FMap(start, entries, child, runs), i

    def block(self, i: int, indent: int, depth: int):
        """The collection below a ``key:`` with nothing after it."""
        inds, n = self.inds, self.n
        while i < n and inds[i] < 0:
            i += 1
        if i == n:
            raise _Fallback  # an empty value
        col = inds[i]
        line = self.lines[i]
        if line[col] == "-" and line[col + 1 : col + 2] in " ":
            if col < indent:
                raise _Fallback
            return self.sequence(i, col, depth + 1)
        if col > indent:
            return self.mapping(i, col, False, depth + 1)
        raise _Fallback  # an empty value, or a scalar on the next line

    def sequence(self, i: int, indent: int, depth: int):
        if depth > MAX_DEPTH:
            raise _Fallback
        lines, starts, inds, n = self.lines, self.starts, self.inds, self.n
        fm = self.fm
        run = _runs(indent)[0]
        after_run = -1
        runs = False
        out: list = []
        items: list = []
        start = starts[i] + indent
        while i < n:
            col = inds[i]
            if col != indent:
                if col < 0:
                    i += 1
                    continue
                if col < indent:
                    break
                raise _Fallback
            if i != after_run and ": " not in lines[i]:
                # a run of one-line `- plain` items (tried where this line
                # may start one: not `- key: value`), up to the first line
                # that is not one or holds ": " or " #"; their nodes are made
                # when a position is asked for
                found = run(fm, starts[i])
                if not found[-1]:
                    found.pop()  # the rest of the text
                k = len(found)
                if k:
                    seg = fm[starts[i] : starts[i + k]]
                    if ": " in seg or " #" in seg:
                        k = next((j for j, t in enumerate(found) if ": " in t or " #" in t), k)
                        del found[k:]
                if k:
                    if _RESOLVED_WORDS.isdisjoint(found):
                        out += found
                    else:
                        out += map(_plain_value, found)
                    items.append(_RunNodes(starts[i : i + k], indent + 2, found))
                    runs = True
                    i += k
                after_run = i  # line i: the line-by-line path
                continue
            line = lines[i]
            if line[col] != "-" or line[col + 1 : col + 2] not in " ":
                break
            item = line[col + 1 :].lstrip(" ")
            if not item:
                raise _Fallback  # `-` alone: an empty item or a block below
            icol = len(line) - len(item)
            c0 = item[0]
            if c0 == "'" or c0 == '"':
                end = _quoted_end(item, 0)
                after = item[end:].lstrip(" ") if end > 0 else ""
                is_map = after.startswith(":") and (len(after) == 1 or after[1] == " ")
            elif c0 == "-" and item[1:2] in " ":
                raise _Fallback  # `- - x`
            else:
                is_map = ": " in item or item[-1] == ":"
            if is_map:
                value, node, i = self.mapping(i, icol, True, depth + 1)
            else:
                nxt = inds[i + 1] if i + 1 < n else -2
                if (
                    c0 not in _SPECIAL_START
                    and (nxt <= indent and nxt != -1)
                    and item[-1] != " "
                    and " #" not in item
                ):
                    vstart = starts[i] + icol
                    node = (vstart, vstart + len(item))
                    value = _plain_value(item) if c0 in _IMPLICIT_STARTS else item
                    i += 1
                else:
                    value, node, i = self.scalar(i, icol, indent)
            out.append(value)
            items.append(node)
        return out, FSeq(start, items, runs), i

    # -- scalars -----------------------------------------------------------
    def scalar(self, i: int, col: int, parent: int):
        """The scalar (or ``[]``/``{}``) at line ``i``, column ``col``, in a
        collection whose entries stand at column ``parent``; its
        continuation lines stand further right."""
        line = self.lines[i]
        c0 = line[col]
        start = self.starts[i] + col
        if c0 == "'" or c0 == '"':
            return self.quoted(i, col, parent)
        text = line[col:].rstrip(" ")
        if c0 == "[" or c0 == "{":
            if text == "[]":
                return [], (start, start + 2), i + 1
            if text == "{}":
                return {}, (start, start + 2), i + 1
            raise _Fallback
        if c0 in _NOT_PLAIN or (c0 in _INDICATORS and (len(text) == 1 or text[1] == " ")):
            raise _Fallback
        if ": " in text or text[-1] == ":" or " #" in text:
            raise _Fallback
        k = i + 1
        if k < self.n and (self.inds[k] > parent or self.inds[k] < 0):
            return self._plain_lines(i, col, parent, text, start)
        return _plain_value(text), (start, start + len(text)), k

    def _plain_lines(self, i: int, col: int, parent: int, text: str, start: int):
        """A plain scalar that may go on over the next lines."""
        lines, starts, inds, n = self.lines, self.starts, self.inds, self.n
        chunks = [text]
        end_line, end = i, starts[i] + col + len(text)
        blank = 0  # blank lines since the last line that holds something
        k = i + 1
        while k < n:
            c = inds[k]
            if c < 0:
                blank += 1
            elif c <= parent:
                break
            else:
                content = lines[k][c:].rstrip(" ")
                # (libyaml reads any other first character as text here)
                if content[0] == "#" or ": " in content or content[-1] == ":" or " #" in content:
                    raise _Fallback
                chunks.append("\n" * blank if blank else " ")
                chunks.append(content)
                end_line, end = k, starts[k] + c + len(content)
                blank = 0
            k += 1
        if end_line != i:
            self.multiline.append((start, end))
            text = "".join(chunks)
        return _plain_value(text), (start, end), end_line + 1

    def quoted(self, i: int, col: int, parent: int):
        starts = self.starts
        line = self.lines[i]
        q = line[col]
        start = starts[i] + col
        close = _quoted_end(line, col)
        if close > 0:
            if line[close:].strip(" "):
                raise _Fallback  # something after the closing quote
            return _unquote(line[col + 1 : close - 1], q), (start, starts[i] + close), i + 1
        # over several lines: the closing quote is the first one the text
        # from the opening quote on holds that is not one of a pair ('' in
        # single quotes; a pair never runs over a line end, a quote at the
        # end of a line closes), then the lines between are folded
        fm = self.fm
        m = (_SINGLE_TO_CLOSE if q == "'" else _DOUBLE_TO_CLOSE).match(fm, start + 1)
        if m is None:
            raise _Fallback  # never closed
        close = m.end() - 1
        raw = fm[start + 1 : close]
        if q == '"' and "\\" in raw:
            raise _Fallback
        eol = fm.find("\n", close)
        if fm[close + 1 : eol if eol >= 0 else len(fm)].strip(" "):
            raise _Fallback  # something after the closing quote
        parts = raw.split("\n")
        chunks = [parts[0].rstrip(" ")]
        blank = 0
        for part in parts[1:-1]:
            content = part.lstrip(" ")
            if not content:
                blank += 1
                continue
            if len(part) - len(content) <= parent:
                raise _Fallback
            chunks.append("\n" * blank if blank else " ")
            chunks.append(content.rstrip(" "))
            blank = 0
        part = parts[-1]  # the closing line, up to the quote: never blank
        content = part.lstrip(" ")
        if len(part) - len(content) <= parent:
            raise _Fallback
        chunks.append("\n" * blank if blank else " ")
        chunks.append(content)
        text = "".join(chunks)
        end = close + 1
        self.multiline.append((start, end))
        return _unquote(text, q), (start, end), i + len(parts)
