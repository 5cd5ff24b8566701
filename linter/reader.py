"""Reading a record: bytes -> text -> front matter -> plain data + position index.

One parse per file, through libyaml's C composer (PyYAML ``CSafeLoader``),
which keeps start/end marks on every node. The node tree is walked once to
check it (FM103 duplicate keys, FM106 aliases and non-core tags) and to build
plain Python data plus a position index (JSON pointer -> :class:`Span`).
Nothing here knows about rules or output: problems found while reading are
returned as ``(code, message, span, fix)`` tuples; the engine stamps them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml.constructor import SafeConstructor

from linter.model import Edit, Fix, Span

try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

DEFAULT_MAX_SIZE = 1024 * 1024

_CORE = "tag:yaml.org,2002:"
_STR, _SEQ, _MAP = _CORE + "str", _CORE + "seq", _CORE + "map"
_SCALAR_TAGS = {_CORE + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_CONSTRUCTOR = SafeConstructor()
_CONSTRUCT = {
    _CORE + "int": _CONSTRUCTOR.construct_yaml_int,
    _CORE + "float": _CONSTRUCTOR.construct_yaml_float,
    _CORE + "bool": _CONSTRUCTOR.construct_yaml_bool,
    _CORE + "null": _CONSTRUCTOR.construct_yaml_null,
}
# C0/C1 control characters that are never allowed in a record (TAB, LF, CR and
# NEL are fine), plus the non-characters YAML rejects.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x84\x86-\x9f\ufffe\uffff]")
_ALIAS = re.compile(r"(?:^|(?<=[\s\[\]{},]))\*(?=[^\s\[\]{},])", re.M)
_ANCHOR = re.compile(r"(?:^|(?<=[\s\[\]{},]))&(?=[^\s\[\]{},])")
# what may stand between a node's start mark and its anchor: a tag
_PROPS = re.compile(r"(?:![^\s]*[ \t]+)?")
# libyaml's composer recurses on the C stack: a few thousand nested
# collections crash the process, so deeper nesting is rejected (FM106)
MAX_DEPTH = 100
# depth <= brackets + 2 * (longest run of blanks and '-', '?', ':' opening a line) + 2
_DEEP_LINE = re.compile(r"^[ \t?:-]{25,}", re.M)
_START = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_END = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


def escape_pointer(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def join(path: str, key) -> str:
    return f"{path}/{escape_pointer(key) if isinstance(key, str) else key}"


@dataclass
class Record:
    """A front-matter record as the rules see it.

    ``data`` is plain Python data (dicts, lists, str, int, float, bool, None);
    ``pos`` maps a JSON pointer (``/genes/3/entrez``; ``""`` is the root) to the
    span of the value node, ``keypos`` to the span of its mapping key.
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
    multiline_scalars: list = field(default_factory=list)  # spans of scalars over several lines
    # filled by the engine / collection layer
    generation: str | None = None
    annotations: object | None = None
    fs_path: Path | None = None

    def span(self, path: str, key: bool = False) -> Span | None:
        """The span of ``path``, walking up to the nearest located ancestor."""
        table = self.keypos if key else self.pos
        while True:
            s = table.get(path)
            if s is not None:
                return s
            if not path:
                return None
            path = path.rsplit("/", 1)[0]
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


def read_file(path: Path, filename: str, max_size: int = DEFAULT_MAX_SIZE) -> ReadResult:
    """Read and parse one file. Raises OSError only for unreadable paths."""
    with open(path, "rb") as fh:
        raw = fh.read(max_size + 1)
    if len(raw) > max_size:
        return ReadResult(
            None,
            [
                (
                    "FM106",
                    f"file is larger than the size limit of {max_size} bytes",
                    Span(1, 1, 1, 2, 0, 1),
                    None,
                )
            ],
        )
    return parse_bytes(raw, filename)


def parse_bytes(raw: bytes, filename: str) -> ReadResult:
    issues: list = []
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = raw[: exc.start].decode("utf-8", "replace")
        s = point_span(good + "?", len(good))
        return ReadResult(
            None,
            [("FM105", f"not UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded", s, None)],
        )
    body_at = 0
    if text.startswith("\ufeff"):
        fix = Fix("safe", "Remove the byte-order mark", (Edit(0, 1, ""),))
        issues.append(
            ("FM105", "file starts with a UTF-8 byte-order mark", point_span(text, 0), fix)
        )
        body_at = 1
    m = _CONTROL.search(text)
    if m:
        ch = m.group()
        issues.append(
            (
                "FM105",
                f"control character U+{ord(ch):04X} is not allowed",
                point_span(text, m.start()),
                None,
            )
        )
        return ReadResult(None, issues)

    # --- front matter delimiters -------------------------------------------
    nl = text.find("\n", body_at)
    first = text[body_at : nl if nl != -1 else len(text)].rstrip("\r \t")
    if first != "---" or nl == -1:
        issues.append(
            (
                "FM101",
                "file does not start with a '---' front-matter line",
                point_span(text, body_at),
                None,
            )
        )
        return ReadResult(None, issues)
    fm_start = nl + 1
    close = re.compile(r"^---[ \t]*\r?$", re.M).search(text, fm_start)
    if close is None:
        issues.append(
            (
                "FM101",
                "front matter is not closed: no second '---' line",
                point_span(text, body_at),
                None,
            )
        )
        return ReadResult(None, issues)
    fm_end = close.start()
    fm_text = text[fm_start:fm_end]
    first_line = text.count("\n", 0, fm_start) + 1

    # --- parse -----------------------------------------------------------------
    if _too_deep(fm_text):
        s = point_span(text, fm_start)
        issues.append(("FM106", f"collections nested deeper than {MAX_DEPTH} levels", s, None))
        return ReadResult(None, issues)
    try:
        root = yaml.compose(fm_text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or "invalid YAML"
        if exc.context:
            problem = f"{problem} ({exc.context})"
        if mark is not None:
            off = fm_start + min(mark.index, len(fm_text))
            s = point_span(text, off)
        else:
            s = point_span(text, fm_start)
        issues.append(("FM102", f"invalid YAML: {problem}", s, None))
        return ReadResult(None, issues)
    except yaml.YAMLError as exc:
        issues.append(("FM102", f"invalid YAML: {exc}", point_span(text, fm_start), None))
        return ReadResult(None, issues)

    if not isinstance(root, yaml.MappingNode):
        kind = "empty" if root is None else type(root).__name__.replace("Node", "").lower()
        s = point_span(text, fm_start)
        issues.append(("FM104", f"front matter is {kind}, expected a mapping of keys", s, None))
        return ReadResult(None, issues)

    builder = _Builder(text, fm_start, first_line - 1, "&" in fm_text)
    try:
        data = builder.build(root, "")
    except _Unsafe as exc:
        issues.append(("FM106", exc.message, exc.span, None))
        return ReadResult(None, issues)
    if builder.scalar_spans is not None:
        bad = builder.find_anchor(fm_text)
        if bad is not None:
            issues.append(("FM106", "YAML anchors are not allowed in a record", bad, None))
            return ReadResult(None, issues)
    issues.extend(builder.issues)
    rec = Record(
        filename=filename,
        text=text,
        data=data,
        pos=builder.pos,
        keypos=builder.keypos,
        fm_start=fm_start,
        fm_end=fm_end,
        fm_first_line=first_line,
        issues=issues,
        multiline_scalars=builder.multiline_scalars,
    )
    return ReadResult(rec, issues)


def _too_deep(fm_text: str) -> bool:
    """True when collections nest deeper than MAX_DEPTH. A cheap upper bound
    first (flow brackets + block indentation); only above it, the parser's
    events (iterative), stopped as soon as the limit is passed."""
    if fm_text.count("[") + fm_text.count("{") <= 48 and not _DEEP_LINE.search(fm_text):
        return False  # at most 48 + 2 * 24 + 2 = MAX_DEPTH levels
    depth = 0
    try:
        for event in yaml.parse(fm_text, Loader=_Loader):
            if isinstance(event, _START):
                depth += 1
                if depth > MAX_DEPTH:
                    return True
            elif isinstance(event, _END):
                depth -= 1
    except yaml.YAMLError:
        pass  # reported by the compose step
    return False


class _Unsafe(Exception):
    def __init__(self, message: str, span: Span):
        self.message, self.span = message, span


class _Builder:
    """Walks a composed node tree once: checks it and builds data + positions."""

    def __init__(self, text: str, offset: int, line_offset: int, track_scalars: bool):
        self.text = text
        self.offset = offset
        self.line_offset = line_offset
        self.pos: dict[str, Span] = {}
        self.keypos: dict[str, Span] = {}
        self.issues: list = []
        self.multiline_scalars: list[Span] = []
        self.seen: set[int] = set()
        self.scalar_spans: list[tuple[int, int]] | None = [] if track_scalars else None
        self._lines: _LineIndex | None = None

    def _span(self, node) -> Span:
        s, e = node.start_mark, node.end_mark
        off, lo = self.offset, self.line_offset
        if e.column == 0 and e.index > s.index:
            # block scalars end at the start of the next line: pull the end back
            # to the end of the last line of content
            end = off + e.index - 1
            if end > 0 and self.text[end - 1] == "\r":
                end -= 1
            if self._lines is None:
                self._lines = _LineIndex(self.text)
            el, ec = self._lines.at(end)
            return Span(s.line + lo + 1, s.column + 1, el, ec, off + s.index, end)
        return Span(
            s.line + lo + 1,
            s.column + 1,
            e.line + lo + 1,
            e.column + 1,
            off + s.index,
            off + e.index,
        )

    def _alias_span(self, node) -> Span:
        """Where the alias (``*name``) of an already seen node stands: the first
        alias token after the anchored node; the node itself when not found."""
        m = _ALIAS.search(self.text, self.offset + node.end_mark.index)
        if m is None:
            return self._span(node)
        return point_span(self.text, m.start())

    def build(self, node, path: str):
        nid = id(node)
        if nid in self.seen:
            raise _Unsafe("YAML aliases are not allowed in a record", self._alias_span(node))
        self.seen.add(nid)
        tag = node.tag
        if isinstance(node, yaml.ScalarNode):
            span = self._span(node)
            self.pos[path] = span
            if span.end_line != span.line:
                self.multiline_scalars.append(span)
            if self.scalar_spans is not None:
                self.scalar_spans.append((span.start, span.end))
            if tag == _STR:
                return node.value
            if tag not in _SCALAR_TAGS:
                raise _Unsafe(f"tag {tag!r} is not a core YAML tag", span)
            construct = _CONSTRUCT.get(tag)
            if construct is None:  # timestamp: keep the text
                return node.value
            try:
                return construct(node)
            except Exception:  # noqa: BLE001 - e.g. an odd int literal
                return node.value
        if isinstance(node, yaml.SequenceNode):
            if tag != _SEQ:
                raise _Unsafe(f"tag {tag!r} is not a core YAML tag", self._span(node))
            out = [self.build(child, f"{path}/{i}") for i, child in enumerate(node.value)]
            self._collection_span(node, path, [f"{path}/{i}" for i in range(len(out))])
            return out
        # mapping
        if tag != _MAP:
            raise _Unsafe(f"tag {tag!r} is not a core YAML tag", self._span(node))
        out: dict = {}
        first_key: dict[str, Span] = {}
        child_paths = []
        for knode, vnode in node.value:
            if not isinstance(knode, yaml.ScalarNode):
                raise _Unsafe(
                    "complex (non-scalar) mapping keys are not allowed", self._span(knode)
                )
            if knode.tag not in _SCALAR_TAGS:
                raise _Unsafe(f"tag {knode.tag!r} is not a core YAML tag", self._span(knode))
            if id(knode) in self.seen:
                raise _Unsafe("YAML aliases are not allowed in a record", self._alias_span(knode))
            self.seen.add(id(knode))
            key = knode.value
            kspan = self._span(knode)
            if self.scalar_spans is not None:
                self.scalar_spans.append((kspan.start, kspan.end))
            if key in first_key:
                prev = first_key[key]
                self.issues.append(
                    (
                        "FM103",
                        f"duplicate key {key!r}: first defined on line {prev.line}, again on line {kspan.line}",
                        kspan,
                        None,
                    )
                )
                # keep the first value (like the position index); still check the
                # duplicate's subtree for unsafe content
                self.build(vnode, f"{path}/{escape_pointer(key)}#dup{kspan.line}")
                continue
            first_key[key] = kspan
            child = f"{path}/{escape_pointer(key)}"
            self.keypos[child] = kspan
            out[key] = self.build(vnode, child)
            child_paths.append(child)
        self._collection_span(node, path, child_paths)
        return out

    def _collection_span(self, node, path: str, children: list[str]) -> None:
        if node.flow_style or not children:
            self.pos[path] = self._span(node)
            return
        s = node.start_mark
        last = self.pos[children[-1]]
        self.pos[path] = Span(
            s.line + self.line_offset + 1,
            s.column + 1,
            last.end_line,
            last.end_col,
            self.offset + s.index,
            last.end,
        )

    def find_anchor(self, fm_text: str) -> Span | None:
        spans = sorted(self.scalar_spans or ())
        starts = [a for a, _ in spans]
        for m in _ANCHOR.finditer(fm_text):
            off = self.offset + m.start()
            i = bisect_right(starts, off) - 1
            if (
                i >= 0
                and spans[i][0] <= off < spans[i][1]
                # a node's span starts at its properties: `&a x` is an anchor
                and not _PROPS.fullmatch(self.text, spans[i][0], off)
            ):
                continue
            line_start = fm_text.rfind("\n", 0, m.start()) + 1
            before = fm_text[line_start : m.start()]
            if re.search(r"(^|\s)#", before):
                continue  # inside a comment
            return point_span(self.text, off)
        return None
