"""Reading a front matter the scanner does not take (:mod:`linter.reading.scan`
answers None: tags, anchors, aliases, comments, flow collections, block
scalars...): libyaml's C composer (PyYAML ``CSafeLoader``), which keeps
start/end marks on every node. The node tree is walked once to check it
(FM103 duplicate keys, FM106 aliases and non-core tags) and to build plain
Python data plus the positions (JSON pointer -> :class:`Span`), located on
demand. The reader imports this module (and with it PyYAML) for the first
front matter the scanner leaves: a run whose records the scanner reads never
loads it to read them."""

from __future__ import annotations

import operator
import re
from bisect import bisect_right

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from linter.base.model import Span
from linter.reading.positions import LazyPositions, pointer_index, pointer_key
from linter.reading.record import MAX_DEPTH, ReadResult, Record, _LineIndex, point_span
from linter.reading.yaml11 import CONSTRUCT as _CONSTRUCT
from linter.reading.yaml11 import IMPLICIT_STARTS as _IMPLICIT_STARTS
from linter.reading.yaml11 import MAP as _MAP
from linter.reading.yaml11 import RESOLVED_WORDS as _RESOLVED_WORDS
from linter.reading.yaml11 import SCALAR_TAGS as _SCALAR_TAGS
from linter.reading.yaml11 import SEQ as _SEQ
from linter.reading.yaml11 import STR as _STR
from linter.reading.yaml11 import WORD_STARTS as _WORD_STARTS

try:  # libyaml's parser and composer alone: records need no constructor
    from yaml._yaml import CParser as _BaseLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader
_RESOLVER = yaml.resolver.Resolver()  # YAML 1.1's implicit resolvers, for the rest


class _Loader(_BaseLoader):
    """libyaml's composer calls ``resolve`` for every node; most scalars of a
    record are text that cannot resolve to anything else, so answer those (and
    every collection) without walking the implicit resolvers."""

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode:
            if not implicit[0] or not value:
                return _STR if value else _RESOLVER.resolve(kind, value, implicit)
            first = value[0]
            if first not in _IMPLICIT_STARTS or (
                first in _WORD_STARTS and value not in _RESOLVED_WORDS
            ):
                return _STR
            return _RESOLVER.resolve(kind, value, implicit)
        return _SEQ if kind is yaml.SequenceNode else _MAP

    # the composer also calls these for every node; records use no path
    # resolvers, so they do nothing, as built-ins that take the same arguments
    # (a Python method that only passes costs ~5% of composing a record)
    descend_resolver = staticmethod(operator.is_)  # (current_node, current_index)
    ascend_resolver = staticmethod(tuple)  # ()


# a ':' may stand right before them too, after a quoted flow key: `{"a":*x}`
_ALIAS = re.compile(r"(?:^|(?<=[\s\[\]{},:]))\*(?=[^\s\[\]{},])", re.M)
_ANCHOR = re.compile(r"(?:^|(?<=[\s\[\]{},:]))&(?=[^\s\[\]{},])", re.M)
# what may stand between a node's start mark and its anchor: a tag
_PROPS = re.compile(r"(?:![^\s]*[ \t]+)?")
# depth <= brackets + 2 * (longest run of blanks and '-', '?', ':' opening a line) + 2
_DEEP_LINE = re.compile(r"^[ \t?:-]{25,}", re.M)
_DEEP_NEXT_LINE = re.compile(r"\n[ \t?:-]{25,}")  # the same after the first line, faster
_START = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_END = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


def compose(
    text: str,
    fm_text: str,
    fm_start: int,
    fm_end: int,
    first_line: int,
    filename: str,
    issues: list,
) -> ReadResult:
    """The record of ``text`` whose front matter ``fm_text`` (at ``fm_start``,
    closed at ``fm_end``, from line ``first_line``) libyaml composes; the
    problems met are added to ``issues``."""
    if _too_deep(fm_text):
        s = point_span(text, fm_start)
        issues.append(("FM106", f"collections nested deeper than {MAX_DEPTH} levels", s, None))
        return ReadResult(None, issues)
    try:
        root = _Loader(fm_text).get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or "invalid YAML"
        if exc.context:
            problem = f"{problem} ({exc.context})"
        if mark is not None:
            off = fm_start + min(_bom_shift(fm_text) + mark.index, len(fm_text))
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
        data = builder.build(root)
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
        pos=Positions(builder, root, False),
        keypos=Positions(builder, root, True),
        fm_start=fm_start,
        fm_end=fm_end,
        fm_first_line=first_line,
        issues=issues,
    )
    return ReadResult(rec, issues)


def _bom_shift(fm_text: str) -> int:
    """1 when ``fm_text`` starts with U+FEFF: libyaml drops it, marks count after it."""
    return 1 if fm_text.startswith("\ufeff") else 0


def _too_deep(fm_text: str) -> bool:
    """True when collections nest deeper than MAX_DEPTH. A cheap upper bound
    first (flow brackets + block indentation); only above it, the parser's
    events (iterative), stopped as soon as the limit is passed."""
    if (
        fm_text.count("[") + fm_text.count("{") <= 48
        and not _DEEP_LINE.match(fm_text)
        and not _DEEP_NEXT_LINE.search(fm_text)
    ):
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
    except yaml.YAMLError as exc:
        # newer libyaml (PyYAML 6.0.4 wheels) has a nesting limit of its own,
        # which its scanner can reach before the parser's events show ours
        if "nesting depth" in str(exc):
            return True
        # anything else is reported by the compose step
    return False


class _Unsafe(Exception):
    def __init__(self, message: str, span: Span):
        self.message, self.span = message, span


class Positions(LazyPositions):
    """JSON pointer -> :class:`Span` of a value node (or, with ``keys``, of its
    mapping key), located on demand by walking the composed node tree: a
    record has ~150 nodes and its rules ask for a handful of positions, so no
    table is built. Paths follow the data: the first of duplicate keys wins."""

    __slots__ = ("_builder", "_root", "_keys")

    def __init__(self, builder: _Builder, root, keys: bool):
        super().__init__()
        self._builder = builder
        self._root = root
        self._keys = keys

    def _locate(self, path: str) -> Span | None:
        key, node = None, self._root
        if path:
            if path[0] != "/":
                return None
            parts = path[1:].split("/")
            if type(node) is MappingNode:  # the top level, from a table built once
                found = self._builder.top_level(node).get(pointer_key(parts[0]))
                if found is None:
                    return None
                key, node = found
                parts = parts[1:]
            for part in parts:
                part = pointer_key(part)
                cls = type(node)
                if cls is MappingNode:
                    for k, v in node.value:
                        if k.value == part:
                            key, node = k, v
                            break
                    else:
                        return None
                elif cls is SequenceNode:
                    i = pointer_index(part, len(node.value))
                    if i is None:
                        return None
                    key, node = None, node.value[i]
                else:
                    return None
        if self._keys:
            return None if key is None else self._builder.span(key)
        return self._builder.node_span(node)

    def multiline(self) -> list[Span]:
        """Spans of the scalars (values and keys) that run over several lines."""
        out: list[Span] = []
        stack = [self._root]
        span = self._builder.span
        while stack:
            node = stack.pop()
            cls = type(node)
            if cls is ScalarNode:
                if node.start_mark.line != node.end_mark.line:
                    out.append(span(node))
            elif cls is SequenceNode:
                stack.extend(node.value)
            else:
                for k, v in node.value:
                    stack.append(k)
                    stack.append(v)
        out.sort(key=lambda sp: sp.start)
        return out


def _last_child(node):
    """The node a block collection's span ends with (its last item, or the
    value of its last distinct key); None when it has none."""
    if type(node) is SequenceNode:
        return node.value[-1] if node.value else None
    seen: set = set()
    last = None
    for k, v in node.value:
        if k.value not in seen:
            seen.add(k.value)
            last = v
    return last


class _Builder:
    """Walks a composed node tree once: checks it and builds plain data. Spans
    are computed from the nodes when asked for (:class:`Positions`)."""

    def __init__(self, text: str, offset: int, line_offset: int, fm_text: str):
        self.text = text
        # libyaml drops a U+FEFF that opens the stream and counts its marks
        # from the character after it: marks are offsets from there
        shift = _bom_shift(fm_text)
        self.text_offset = offset  # where fm_text starts (for regex matches on it)
        self.offset = offset + shift
        self.line_offset = line_offset
        self.issues: list = []
        # aliases reuse a node object: only worth tracking when the text holds
        # something that may be an alias (or an anchor) token
        may_alias = "*" in fm_text and _ALIAS.search(fm_text)
        self.seen: set[int] | None = set() if may_alias else None
        may_anchor = "&" in fm_text and _ANCHOR.search(fm_text)
        self.scalar_spans: list[tuple[int, int]] | None = [] if may_anchor else None
        self._lines: _LineIndex | None = None
        self._top: dict | None = None
        # libyaml also breaks lines at a lone CR, NEL, LS and PS; locations
        # count LF only (as the reporters and editors' row numbers do): with
        # such a break in the text, positions come from offsets instead
        # (plain substring tests: a regex over the whole text costs ~0.2 ms)
        self.odd_breaks = (
            bool(shift)
            or ("\r" in fm_text and fm_text.count("\r") != fm_text.count("\r\n"))
            or (
                not fm_text.isascii()
                and ("\x85" in fm_text or "\u2028" in fm_text or "\u2029" in fm_text)
            )
        )

    def _offsets_span(self, start: int, end: int) -> Span:
        if self._lines is None:
            self._lines = _LineIndex(self.text)
        return self._lines.span(start, end)

    def top_level(self, root) -> dict:
        """key -> (key node, value node) of the root mapping; the first of
        duplicate keys wins."""
        if self._top is None:
            self._top = {}
            for k, v in root.value:
                self._top.setdefault(k.value, (k, v))
        return self._top

    def node_span(self, node) -> Span:
        """A value node's span; a block collection runs from its start to the
        end of its last child."""
        if type(node) is ScalarNode or node.flow_style:
            return self.span(node)
        last = _last_child(node)
        if last is None:
            return self.span(node)
        s, end = node.start_mark, self.node_span(last)
        if self.odd_breaks:
            return self._offsets_span(self.offset + s.index, end.end)
        return Span(
            s.line + self.line_offset + 1,
            s.column + 1,
            end.end_line,
            end.end_col,
            self.offset + s.index,
            end.end,
        )

    def span(self, node) -> Span:
        s, e = node.start_mark, node.end_mark
        off, lo = self.offset, self.line_offset
        if e.column == 0 and e.index > s.index:
            # block scalars end at the start of the next line: pull the end back
            # to the end of the last line of content
            end = off + e.index - 1
            if end > 0 and self.text[end - 1] == "\r":
                end -= 1
            if self.odd_breaks:
                return self._offsets_span(off + s.index, end)
            if self._lines is None:
                self._lines = _LineIndex(self.text)
            el, ec = self._lines.at(end)
            return Span(s.line + lo + 1, s.column + 1, el, ec, off + s.index, end)
        if self.odd_breaks:
            return self._offsets_span(off + s.index, off + e.index)
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
            return self.span(node)
        return point_span(self.text, m.start())

    def _check_alias(self, node) -> None:
        nid = id(node)
        if nid in self.seen:
            raise _Unsafe("YAML aliases are not allowed in a record", self._alias_span(node))
        self.seen.add(nid)

    def build(self, node):
        if self.seen is not None:
            self._check_alias(node)
        tag = node.tag
        cls = type(node)
        if cls is ScalarNode:
            if self.scalar_spans is not None:
                self.scalar_spans.append(
                    (self.offset + node.start_mark.index, self.offset + node.end_mark.index)
                )
            if tag == _STR:
                return node.value
            if tag not in _SCALAR_TAGS:
                raise _Unsafe(f"tag {tag!r} is not a core YAML tag", self.span(node))
            construct = _CONSTRUCT.get(tag)
            if construct is None:  # timestamp: keep the text
                return node.value
            try:
                return construct(node.value)
            except Exception:  # noqa: BLE001 - e.g. an odd int literal
                return node.value
        if cls is SequenceNode:
            if tag != _SEQ:
                raise _Unsafe(f"tag {tag!r} is not a core YAML tag", self.span(node))
            build = self.build
            return [build(child) for child in node.value]
        # mapping
        if tag != _MAP:
            raise _Unsafe(f"tag {tag!r} is not a core YAML tag", self.span(node))
        out: dict = {}
        first_key: dict | None = None
        for knode, vnode in node.value:
            if type(knode) is not ScalarNode:
                raise _Unsafe("complex (non-scalar) mapping keys are not allowed", self.span(knode))
            if knode.tag not in _SCALAR_TAGS:
                raise _Unsafe(f"tag {knode.tag!r} is not a core YAML tag", self.span(knode))
            if self.seen is not None:
                self._check_alias(knode)
            key = knode.value
            if self.scalar_spans is not None:
                self.scalar_spans.append(
                    (self.offset + knode.start_mark.index, self.offset + knode.end_mark.index)
                )
            if key in out:
                if first_key is None:
                    first_key = {k.value: k for k, _ in node.value[::-1] if type(k) is ScalarNode}
                prev, kspan = self.span(first_key[key]), self.span(knode)
                self.issues.append(
                    (
                        "FM103",
                        f"duplicate key {key!r}: first defined on line {prev.line}, again on line {kspan.line}",
                        kspan,
                        None,
                    )
                )
                # keep the first value (like the positions); still check the
                # duplicate's subtree for unsafe content
                self.build(vnode)
                continue
            out[key] = self.build(vnode)
        return out

    def find_anchor(self, fm_text: str) -> Span | None:
        spans = sorted(self.scalar_spans or ())
        starts = [a for a, _ in spans]
        for m in _ANCHOR.finditer(fm_text):
            off = self.text_offset + m.start()
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
