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
from yaml.nodes import ScalarNode, SequenceNode

from linter.model import Edit, Fix, Span

try:
    _BaseLoader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader

# the first characters for which YAML 1.1's implicit resolvers (bool, int,
# float, null, timestamp, merge, value) can give anything but a string
_IMPLICIT_STARTS = frozenset("yYnNtTfFoO-+0123456789.<~=")
_STR_TAG = "tag:yaml.org,2002:str"


class _Loader(_BaseLoader):
    """libyaml's composer calls ``resolve`` for every node; most scalars of a
    record are text that cannot resolve to anything else, so answer those
    without walking the implicit resolvers."""

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode and (
            not implicit[0] or (value and value[0] not in _IMPLICIT_STARTS)
        ):
            return _STR_TAG
        return super().resolve(kind, value, implicit)


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
    multiline_paths: list = field(default_factory=list)  # scalars over several lines
    # filled by the engine / collection layer
    generation: str | None = None
    annotations: object | None = None
    fs_path: Path | None = None

    @property
    def multiline_scalars(self) -> list[Span]:
        """Spans of the scalars that run over several lines."""
        return [self.pos[p] for p in self.multiline_paths]

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

    builder = _Builder(text, fm_start, first_line - 1, fm_text)
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
        multiline_paths=builder.multiline,
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


class Positions(dict):
    """JSON pointer -> :class:`Span`, converted lazily from the composed nodes:
    a record has ~100 nodes and its rules look at a handful of positions, so a
    Span is only built when asked for."""

    __slots__ = ("_conv",)

    def __init__(self, conv):
        super().__init__()
        self._conv = conv

    def __getitem__(self, path):
        value = dict.__getitem__(self, path)
        if type(value) is not Span:
            value = self._conv(value, self)
            dict.__setitem__(self, path, value)
        return value

    def get(self, path, default=None):
        try:
            return self[path]
        except KeyError:
            return default

    def values(self):
        return [self[k] for k in self]

    def items(self):
        return [(k, self[k]) for k in self]


class _Builder:
    """Walks a composed node tree once: checks it and builds data + positions."""

    def __init__(self, text: str, offset: int, line_offset: int, fm_text: str):
        self.text = text
        self.offset = offset
        self.line_offset = line_offset
        self.pos = Positions(self._convert)
        self.keypos = Positions(self._convert)
        self.issues: list = []
        self.multiline: list[str] = []  # paths of scalars over several lines
        # aliases reuse a node object; only worth tracking when a '*' is there
        self.seen: set[int] | None = set() if "*" in fm_text else None
        self.scalar_spans: list[tuple[int, int]] | None = [] if "&" in fm_text else None
        self._lines: _LineIndex | None = None

    def _convert(self, value, table) -> Span:
        if type(value) is tuple:  # a block collection: from its start to its last child
            node, last = value
            s, end = node.start_mark, self.pos[last]
            lo = self.line_offset
            return Span(
                s.line + lo + 1,
                s.column + 1,
                end.end_line,
                end.end_col,
                self.offset + s.index,
                end.end,
            )
        return self._span(value)

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

    def _check_alias(self, node) -> None:
        nid = id(node)
        if nid in self.seen:
            raise _Unsafe("YAML aliases are not allowed in a record", self._alias_span(node))
        self.seen.add(nid)

    def build(self, node, path: str):
        if self.seen is not None:
            self._check_alias(node)
        tag = node.tag
        cls = type(node)
        if cls is ScalarNode:
            self.pos[path] = node
            if node.start_mark.line != node.end_mark.line:
                self.multiline.append(path)
            if self.scalar_spans is not None:
                self.scalar_spans.append(
                    (self.offset + node.start_mark.index, self.offset + node.end_mark.index)
                )
            if tag == _STR:
                return node.value
            if tag not in _SCALAR_TAGS:
                raise _Unsafe(f"tag {tag!r} is not a core YAML tag", self._span(node))
            construct = _CONSTRUCT.get(tag)
            if construct is None:  # timestamp: keep the text
                return node.value
            try:
                return construct(node)
            except Exception:  # noqa: BLE001 - e.g. an odd int literal
                return node.value
        if cls is SequenceNode:
            if tag != _SEQ:
                raise _Unsafe(f"tag {tag!r} is not a core YAML tag", self._span(node))
            build = self.build
            out = [build(child, f"{path}/{i}") for i, child in enumerate(node.value)]
            if out and not node.flow_style:
                self.pos[path] = (node, f"{path}/{len(out) - 1}")
            else:
                self.pos[path] = node
            return out
        # mapping
        if tag != _MAP:
            raise _Unsafe(f"tag {tag!r} is not a core YAML tag", self._span(node))
        out: dict = {}
        first_key: dict = {}
        keypos = self.keypos
        last = None
        for knode, vnode in node.value:
            if type(knode) is not ScalarNode:
                raise _Unsafe(
                    "complex (non-scalar) mapping keys are not allowed", self._span(knode)
                )
            if knode.tag not in _SCALAR_TAGS:
                raise _Unsafe(f"tag {knode.tag!r} is not a core YAML tag", self._span(knode))
            if self.seen is not None:
                self._check_alias(knode)
            key = knode.value
            if self.scalar_spans is not None:
                self.scalar_spans.append(
                    (self.offset + knode.start_mark.index, self.offset + knode.end_mark.index)
                )
            if key in first_key:
                prev, kspan = self._span(first_key[key]), self._span(knode)
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
            first_key[key] = knode
            child = (
                f"{path}/{key}"
                if "/" not in key and "~" not in key
                else f"{path}/{escape_pointer(key)}"
            )
            keypos[child] = knode
            out[key] = self.build(vnode, child)
            last = child
        if last is not None and not node.flow_style:
            self.pos[path] = (node, last)
        else:
            self.pos[path] = node
        return out

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
