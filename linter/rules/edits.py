"""Building fixes: text edits located by the node spans of a record.

Rules call these to describe a fix; the engine applies it. Every helper returns
an :class:`~linter.base.model.Edit` (or ``None`` when the layout is one it cannot
edit safely, in which case the rule reports the problem without a fix). Edits
touch only the bytes of the node they mean to change.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Iterable

from linter.base.model import Edit
from linter.reading.reader import Record, parse_bytes
from linter.reading.yaml11 import STR as _STR_TAG
from linter.reading.yaml11 import resolve as _resolve

_PLAIN_SAFE = re.compile(r"^[A-Za-z0-9_./][A-Za-z0-9_ ./()+,;-]*$")
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}

_ODD_BREAKS = ("\r", "\x85", "\u2028", "\u2029")  # line breaks to YAML, besides LF
_BREAKS = ("\n", *_ODD_BREAKS)


def render_scalar(value, indent: int, key: str = "k", flow: bool = False) -> str:
    """YAML text for ``value`` written after ``key: `` where the key stands at
    column ``indent`` (0-based), folded as upstream's writer folds it: lines of
    about 80 columns counted from the start of the line, continuation lines at
    ``indent + 2``. With ``flow``, the value stands inside a flow collection
    (``{...}``, ``[...]``): one line, plain only where a flow context allows
    it, else quoted (double-quoted, with escapes, when it holds a line break)."""
    try:
        if flow:
            return _render_flow_cached(value)
        return _render_cached(value, indent, key)
    except TypeError:  # unhashable value
        return _render_flow(value) if flow else _render(value, indent, key)


@functools.cache
def _dumper():
    """The pure-Python safe dumper, with a line width that may be below what
    PyYAML accepts from its ``width`` argument (a key far to the right). PyYAML
    loads with the first value a fix must write with it (start-up: a run that
    writes none never loads it)."""
    import yaml

    return yaml.SafeDumper


def _dump(doc, width: int, **kwargs) -> str:
    stream = io.StringIO()
    dumper = _dumper()(stream, allow_unicode=True, sort_keys=False, **kwargs)
    dumper.best_width = width
    try:
        dumper.open()
        dumper.represent(doc)
        dumper.close()
    finally:
        dumper.dispose()
    return stream.getvalue()


def _render(value, indent: int, key: str) -> str:
    if (
        isinstance(value, str)
        and _PLAIN_SAFE.match(value)
        and len(value) + indent + len(key) < 78
        and value.lower() not in _YAML_WORDS
        and not value.endswith((" ", ":"))
        # a plain scalar that YAML would not read back as this string (a number,
        # a date, a boolean...) must be quoted
        and _resolve(value) == _STR_TAG
    ):
        return value
    if isinstance(value, str) and any(b in value for b in _ODD_BREAKS):
        # the writer breaks the line there without indenting what follows:
        # escaped, on one line
        return _render_flow(value)
    # `key: value` written at column 0 with the line width shortened by the
    # key's column folds where upstream's writer folds it at that column (the
    # writer's decisions depend on the column only through that comparison);
    # continuation lines are then shifted right. Even columns, as upstream
    # writes nested mappings (an odd column folds as the even one before it).
    # No nesting: any column works, with no recursion in the writer.
    depth2 = max(0, indent) // 2 * 2
    dumped = _dump({key: value}, 80 - depth2)
    key_text = _dump({key: None}, 80)[: -len(": null\n")]
    lines = dumped.rstrip("\n").split("\n")
    if lines and lines[-1] == "...":
        lines.pop()
    if not lines[0].startswith(key_text + ":"):  # an explicit `? key` (a very long key)
        return _render_flow(value)
    head = lines[0][len(key_text) + 1 :].lstrip(" ")
    pad = " " * max(0, indent)
    return "\n".join([head] + [pad + ln if ln else ln for ln in lines[1:]])


_render_cached = functools.lru_cache(maxsize=8192)(_render)

_PLAIN_FLOW_SAFE = re.compile(r"^[A-Za-z0-9_./][A-Za-z0-9_ ./()+;-]*$")


def _render_flow(value) -> str:
    """``value`` as one flow-safe scalar: what the writer puts in a flow
    sequence, double-quoted when that would run over several lines."""
    if (
        isinstance(value, str)
        and _PLAIN_FLOW_SAFE.match(value)
        and value.lower() not in _YAML_WORDS
        and not value.endswith(" ")
        and _resolve(value) == _STR_TAG
    ):
        return value
    text = _dump([value], _WIDE, default_flow_style=True)
    if any(b in text.rstrip("\n") for b in _BREAKS):
        text = _dump([value], _WIDE, default_flow_style=True, default_style='"')
    text = text.rstrip("\n")
    if not (text.startswith("[") and text.endswith("]")):  # pragma: no cover - a writer change
        raise ValueError(f"cannot write {value!r} as a flow scalar")
    return text[1:-1]


_WIDE = 1 << 40  # no folding
_render_flow_cached = functools.lru_cache(maxsize=8192)(_render_flow)


def line_break(text: str) -> str:
    """The line break the file uses: CRLF when its first line ends with one
    (the ``---`` line of a record), else LF. Edits write their line breaks
    so, and a CRLF record stays CRLF."""
    nl = text.find("\n")
    return "\r\n" if nl > 0 and text[nl - 1] == "\r" else "\n"


def _breaks(text: str, content: str) -> str:
    if "\n" in content and line_break(text) == "\r\n":
        return content.replace("\r\n", "\n").replace("\n", "\r\n")
    return content


_TAG_PREFIX = re.compile(r"!\S*[ \t]+")


def in_flow(rec: Record, path: str) -> bool:
    """Whether the node at ``path`` stands inside a flow collection (``{...}``
    or ``[...]``): its parent's text opens with a bracket. (A block
    collection never stands inside a flow one, so the parent tells.)"""
    if not path:
        return False
    parent = rec.pos.get(path.rpartition("/")[0])
    if parent is None:
        return False
    text, at = rec.text, parent.start
    if text.startswith("!", at):  # a tag before the collection: `!!map {...}`
        m = _TAG_PREFIX.match(text, at)
        if m:
            at = m.end()
    return text.startswith(("{", "["), at)


def located(rec: Record, path: str) -> bool:
    """Whether the spans of ``path`` hold its key and value: the key's text
    is the key (or quoted), and a plain string value's text is the value.
    A guard against positions that drifted from the text (a fix written a
    character off breaks the record): no fix then."""
    key = rec.keypos.get(path)
    if key is not None:
        text = rec.text[key.start : key.end]
        name = path.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")
        if text[:1] in ("'", '"'):
            if len(text) < 2 or text[-1] != text[0]:
                return False
        elif text != name:
            return False
    span = rec.pos.get(path)
    if span is None:
        return False
    try:
        value = data_at(rec.data, path)
    except (KeyError, IndexError, ValueError, TypeError):
        return False
    if isinstance(value, str):
        text = rec.text[span.start : span.end]
        if text[:1] not in ("'", '"', "|", ">", "!") and text.split() != value.split():
            return False
    return True


def replace_value(rec: Record, path: str, value) -> Edit | None:
    """Replace the scalar at ``path`` with ``value`` (on one line, flow-safe,
    inside a flow collection; folded as upstream writes it in a block one)."""
    span = rec.pos.get(path)
    if span is None or not located(rec, path):
        return None
    # an empty value (`key:`, `-`) has an empty span right after the
    # indicator: the new value needs a blank before it
    empty = span.start == span.end and rec.text[span.start - 1 : span.start] in (":", "-", "?")
    blank = " " if empty else ""
    if in_flow(rec, path):
        return Edit(span.start, span.end, blank + render_scalar(value, 0, flow=True))
    key = rec.keypos.get(path)
    indent = (key.col - 1) if key else (span.col - 1)
    name = path.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")
    content = _breaks(rec.text, render_scalar(value, indent, name))
    return Edit(span.start, span.end, blank + content)


def _line_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


def _line_end(text: str, offset: int) -> int:
    nl = text.find("\n", offset)
    return len(text) if nl == -1 else nl + 1


def _block_end(rec: Record, end: int, col: int) -> int:
    """Where the lines of a block node that ends at line start ``end`` really
    end: the lines after it indented deeper than ``col`` (the column of its
    key or ``-``) are its own too (what a repeated key of its last entry
    left past its span), and so are blank lines among them."""
    text, stop = rec.text, rec.fm_end
    at = kept = end
    while at < stop:
        nl = text.find("\n", at, stop)
        line_end = stop if nl == -1 else nl + 1
        line = text[at:line_end]
        body = line.lstrip(" ")
        if body.strip():
            if len(line) - len(body) <= col:
                break
            kept = line_end
        at = line_end
    return kept


def delete_key(rec: Record, path: str) -> Edit | None:
    """Delete ``key: value`` (all its lines) from a block mapping. ``None`` in
    a flow mapping (even where the key opens a line of it)."""
    key, value = rec.keypos.get(path), rec.pos.get(path)
    if key is None or value is None or in_flow(rec, path) or not located(rec, path):
        return None
    start = _line_start(rec.text, key.start)
    if rec.text[start : key.start].strip():
        return None  # not the first thing on its line (a list item)
    end = _line_end(rec.text, max(value.end - 1, key.end))
    if rec.text[value.end : end].strip() and not rec.text[value.end : end].lstrip().startswith("#"):
        return None
    return Edit(start, _block_end(rec, end, key.start - start), "")


def delete_item(rec: Record, path: str) -> Edit | None:
    """Delete one item of a block sequence (``- value`` and its lines). When it
    is the only item, the sequence becomes ``[]``; ``None`` for an item of a
    flow sequence that has others."""
    parent, _, index = path.rpartition("/")
    items = data_at(rec.data, parent)
    span = rec.pos.get(path)
    if span is None or not isinstance(items, list) or not index.isdigit():
        return None
    if not located(rec, path):
        return None
    if len(items) == 1:
        return empty_list(rec, parent)
    start = _line_start(rec.text, span.start)
    prefix = rec.text[start : span.start]
    if prefix.strip() != "-" or in_flow(rec, path):
        return None  # flow sequence or nested layout
    end = _line_end(rec.text, span.end - 1 if span.end > span.start else span.end)
    dash = start + len(prefix) - len(prefix.lstrip(" "))
    return Edit(start, _block_end(rec, end, dash - start), "")


def empty_list(rec: Record, path: str) -> Edit | None:
    """Replace the list at ``path`` by ``[]`` (keeping its key)."""
    key, value = rec.keypos.get(path), rec.pos.get(path)
    if key is None or value is None or not located(rec, path):
        return None
    colon = rec.text.find(":", key.end)
    if colon == -1 or colon > value.start:
        return None
    return Edit(colon, value.end, ": []")


def replace_list(rec: Record, path: str, items: list[str]) -> Edit | None:
    """Replace the block (or flow) list at ``path`` by a block list of ``items``,
    written as upstream writes them (``- item`` at the key's indentation).
    Inside a flow mapping (``{keywords: [...]}``), where a block list would
    break the YAML, by a flow list on one line (``[A, B]``). ``None`` when
    the key is not the first thing on its line in a block mapping."""
    key, value = rec.keypos.get(path), rec.pos.get(path)
    if key is None or value is None or not located(rec, path):
        return None
    colon = rec.text.find(":", key.end)
    if colon == -1 or colon > value.start:
        return None
    if in_flow(rec, path):
        flow = ", ".join(render_scalar(v, 0, flow=True) for v in items)
        return Edit(value.start, value.end, f"[{flow}]")
    if rec.text[_line_start(rec.text, key.start) : key.start].strip():
        return None
    if not items:
        return Edit(colon, value.end, ": []")
    indent = " " * (key.col - 1)
    eol = line_break(rec.text)
    body = "".join(
        f"{eol}{indent}- {_breaks(rec.text, render_scalar(v, key.col + 1))}" for v in items
    )
    return Edit(colon, value.end, ":" + body)


def data_at(data, path: str):
    """The value at JSON pointer ``path`` inside ``data``."""
    node = data
    if not path:
        return node
    for part in path.split("/")[1:]:
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(node, list):
            node = node[int(part)]
        else:
            node = node[part]
    return node


# -- checking a fix before it is written ---------------------------------------------
def line_endings(text: str) -> str | None:
    """``"crlf"`` when every line break of ``text`` is CRLF, ``"lf"`` when
    none is, ``"mixed"`` otherwise; None when it has no line break."""
    lf = text.count("\n")
    if not lf:
        return None
    crlf = text.count("\r\n")
    return "crlf" if crlf == lf else "lf" if not crlf else "mixed"


def mixed_line_endings(old_text: str, new_text: str) -> str | None:
    """Why ``new_text`` breaks the line endings of ``old_text`` (all CRLF or all
    LF, and no longer so); None when it keeps them (or they were mixed)."""
    before = line_endings(old_text)
    if before not in ("crlf", "lf"):
        return None
    after = line_endings(new_text)
    if after in (before, None):
        return None
    now = "mixed" if after == "mixed" else f"all {after.upper()}"
    return f"the fix mixes line endings: all {before.upper()} before, {now} after"


_WHOLE = object()  # mask trie: this node may change (or go) as a whole


def _parse(text: str):
    return parse_bytes(text.encode("utf-8", "surrogatepass"), "fix.md")


def parse_problem(text: str) -> str | None:
    """Why the front matter of ``text`` does not parse as a record (the
    reader's problem and its line); None when it does."""
    result = _parse(text)
    return None if result.record is not None else _unparsed(result)


def _unparsed(result) -> str:
    code, message, span, _ = result.issues[-1] if result.issues else ("FM102", "?", None, None)
    where = f" (line {span.line})" if span is not None else ""
    return f"the fixed front matter does not parse: {code} {message}{where}"


def verify_fix(
    old_text: str, new_text: str, edits: Iterable[Edit] = (), paths: Iterable[str] = ()
) -> str | None:
    """Why the fixed text ``new_text`` must not be written over ``old_text``;
    None when it may.

    It must keep the file's line endings (all CRLF or all LF), its front
    matter must parse (with no new duplicate key or other reader problem) and
    its data must equal the old data everywhere except where the fix meant to
    change it: the nodes that ``edits`` (offsets into ``old_text``) touch, and
    the JSON pointers ``paths`` (the paths of the fixed findings). A changed
    node may take any value or go (a list item or a key removed); around it,
    the rest of its list or mapping must stay as it was. Pure: it reads the
    two texts again with the record reader."""
    reason = mixed_line_endings(old_text, new_text)
    if reason:
        return reason
    old = _parse(old_text)
    if old.record is None:
        return None  # nothing to compare: a reader-level fix (a byte-order mark)
    new = _parse(new_text)
    if new.record is None:
        return _unparsed(new)
    before: dict[str, int] = {}
    for issue in old.issues:
        before[issue[0]] = before.get(issue[0], 0) + 1
    for code, message, span, _ in new.issues:
        if before.get(code, 0) > 0:
            before[code] -= 1
        elif code != "FM105":  # (a BOM fix removes, never adds)
            where = f" (line {span.line})" if span is not None else ""
            return f"the fix adds {code}: {message}{where}"
    mask: dict = {}
    for path in paths:
        _mark(mask, path)
    for edit in edits:
        _mark(mask, edited_path(old.record, edit.start, edit.end))
    where = _difference(old.record.data, new.record.data, mask, "")
    if where is not None:
        return f"the fix changes {where or 'the front matter'}, which it was not meant to change"
    return None


def _mark(mask: dict, path: str | None) -> None:
    """Mark the node at JSON pointer ``path`` as free to change. ``""`` (the
    whole record: the findings of the reader) marks nothing."""
    if not path or path[0] != "/":
        return
    node = mask
    for part in path[1:].split("/"):
        node = node.setdefault(part.replace("~1", "/").replace("~0", "~"), {})
    node[_WHOLE] = True


def _children(data, path: str) -> list[tuple[str, str, object]]:
    if isinstance(data, dict):
        return [(str(k), f"{path}/{_escape(str(k))}", v) for k, v in data.items()]
    if isinstance(data, list):
        return [(str(i), f"{path}/{i}", v) for i, v in enumerate(data)]
    return []


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def edited_path(rec: Record, start: int, end: int) -> str | None:
    """The JSON pointer of the deepest node that the edit of
    ``rec.text[start:end]`` changes as a whole: the value it replaces, the
    item or key it removes, or the collection it adds to (or cuts across).
    None when it lies outside the front matter. Iterative."""
    if start < rec.fm_start or end > rec.fm_end:
        return None
    # the blanks and line breaks at either end of a removed or replaced range
    # (a deleted line's indentation and line break) belong to no node
    text = rec.text
    while start < end and text[start] in " \t\r\n":
        start += 1
    while end > start and text[end - 1] in " \t\r\n":
        end -= 1
    path, data = "", rec.data
    while True:
        covered, inside = [], None
        for _, child, value in _children(data, path):
            span = rec.pos.get(child)
            if span is None:
                continue
            key = rec.keypos.get(child)
            first = key.start if key is not None and key.start < span.start else span.start
            last = span.end
            if start < last < end and isinstance(value, (dict, list)):
                last = _extent(rec, first, last)
            if first <= start and end <= last and (start, end) != (first, last):
                inside = (child, value, span)
                break
            if start <= first and last <= end and (start < end or first == last):
                covered.append(child)
            elif first < end and start < last:
                return path  # cuts across an entry
        if inside is not None:
            child, value, span = inside
            if start <= span.start and span.end <= end:
                return child  # the value replaced as a whole
            if not isinstance(value, (dict, list)):
                return child  # a part of a scalar
            path, data = child, value
            continue
        if len(covered) == 1:
            return covered[0]
        return path  # several entries, an insertion, or the collection's own text


def _extent(rec: Record, first: int, end: int) -> int:
    """Where the text of a block collection whose entry starts at ``first``
    and whose span ends at ``end`` really ends: past the lines of a repeated
    key of its last entry, indented deeper than the entry (see
    :func:`_block_end`)."""
    text = rec.text
    nl = text.find("\n", end, rec.fm_end)
    if nl == -1 or text[end:nl].strip(" \t\r"):
        return end  # more on its line: a flow layout
    line = text[text.rfind("\n", 0, first) + 1 : first]
    stop = _block_end(rec, nl + 1, len(line) - len(line.lstrip(" ")))
    while stop > end and text[stop - 1] in " \t\r\n":
        stop -= 1
    return stop


def _difference(old, new, mask: dict, path: str) -> str | None:
    """The JSON pointer of the first difference between ``old`` and ``new``
    outside what ``mask`` frees (None when there is none)."""
    if not mask:
        return _strict_difference(old, new, path)
    if isinstance(old, dict) and isinstance(new, dict):
        for key in list(old) + [k for k in new if k not in old]:
            child = mask.get(str(key))
            if child is not None and _WHOLE in child:
                continue
            here = f"{path}/{_escape(str(key))}"
            if key not in old or key not in new:
                return here
            found = _difference(old[key], new[key], child or {}, here)
            if found is not None:
                return found
        return None
    if isinstance(old, list) and isinstance(new, list):
        return _list_difference(old, new, mask, path)
    return _strict_difference(old, new, path)


def _list_difference(old: list, new: list, mask: dict, path: str) -> str | None:
    """Whether ``new`` is ``old`` with some of its freed items removed or
    replaced (and the others equal, under their masks): the set of how many
    items were removed so far, item by item."""
    removed = {0}
    for i, item in enumerate(old):
        child = mask.get(str(i))
        free = child is not None and _WHOLE in child
        after = set()
        for k in removed:
            j = i - k
            if free:
                after.add(k + 1)
                if j < len(new):
                    after.add(k)
            elif j < len(new) and _difference(item, new[j], child or {}, f"{path}/{i}") is None:
                after.add(k)
        if not after:
            return f"{path}/{i}"
        removed = after
    return None if len(old) - len(new) in removed else path


def _strict_difference(old, new, path: str) -> str | None:
    """The first difference of two plain data trees, types included (``1`` is
    not ``True`` nor ``1.0``; NaN equals NaN). Iterative."""
    stack = [(old, new, path)]
    while stack:
        a, b, here = stack.pop()
        if type(a) is not type(b):
            return here
        if isinstance(a, dict):
            if a.keys() != b.keys():
                return here
            stack.extend((a[k], b[k], f"{here}/{_escape(str(k))}") for k in a)
        elif isinstance(a, list):
            if len(a) != len(b):
                return here
            stack.extend((x, y, f"{here}/{i}") for i, (x, y) in enumerate(zip(a, b)))
        elif a != b and not (a != a and b != b):  # NaN
            return here
    return None
