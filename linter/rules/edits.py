"""Building fixes: text edits located by the node spans of a record.

Rules call these to describe a fix; the engine applies it. Every helper returns
an :class:`~linter.base.model.Edit` (or ``None`` when the layout is one it cannot
edit safely, in which case the rule reports the problem without a fix). Edits
touch only the bytes of the node they mean to change.
"""

from __future__ import annotations

import functools
import re

import yaml

from linter.base.model import Edit
from linter.reading.reader import Record

_PLAIN_SAFE = re.compile(r"^[A-Za-z0-9_./][A-Za-z0-9_ ./()+,;-]*$")
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}


_RESOLVER = yaml.resolver.Resolver()
_STR_TAG = "tag:yaml.org,2002:str"


def render_scalar(value, indent: int, key: str = "k") -> str:
    """YAML text for ``value`` written after ``key: `` where the key stands at
    column ``indent`` (0-based), folded as upstream's writer folds it: lines of
    about 80 columns counted from the start of the line, continuation lines at
    ``indent + 2``."""
    try:
        return _render_cached(value, indent, key)
    except TypeError:  # unhashable value
        return _render(value, indent, key)


def _render(value, indent: int, key: str) -> str:
    if (
        isinstance(value, str)
        and _PLAIN_SAFE.match(value)
        and len(value) + indent + len(key) < 78
        and value.lower() not in _YAML_WORDS
        and not value.endswith((" ", ":"))
        # a plain scalar that YAML would not read back as this string (a number,
        # a date, a boolean...) must be quoted
        and _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) == _STR_TAG
    ):
        return value
    depth = max(0, indent) // 2
    doc = {key: value}
    for _ in range(depth):
        doc = {"x": doc}
    dumped = yaml.dump(doc, Dumper=yaml.SafeDumper, allow_unicode=True, width=80, sort_keys=False)
    key_text = yaml.dump({key: None}, Dumper=yaml.SafeDumper, allow_unicode=True)[
        : -len(": null\n")
    ]
    lines = dumped.rstrip("\n").split("\n")
    if lines and lines[-1] == "...":
        lines.pop()
    head = lines[depth][len("  " * depth) + len(key_text) + 1 :].lstrip(" ")
    rest = lines[depth + 1 :]
    pad = " " * (indent - 2 * depth)  # odd indents (rare): shift continuation lines
    return "\n".join([head] + [pad + ln if ln else ln for ln in rest])


_render_cached = functools.lru_cache(maxsize=8192)(_render)


def replace_value(rec: Record, path: str, value) -> Edit | None:
    """Replace the scalar at ``path`` with ``value``."""
    span = rec.pos.get(path)
    if span is None:
        return None
    key = rec.keypos.get(path)
    indent = (key.col - 1) if key else (span.col - 1)
    name = path.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")
    return Edit(span.start, span.end, render_scalar(value, indent, name))


def _line_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


def _line_end(text: str, offset: int) -> int:
    nl = text.find("\n", offset)
    return len(text) if nl == -1 else nl + 1


def delete_key(rec: Record, path: str) -> Edit | None:
    """Delete ``key: value`` (all its lines) from a block mapping."""
    key, value = rec.keypos.get(path), rec.pos.get(path)
    if key is None or value is None:
        return None
    start = _line_start(rec.text, key.start)
    if rec.text[start : key.start].strip():
        return None  # not the first thing on its line (flow mapping or list item)
    end = _line_end(rec.text, max(value.end - 1, key.end))
    if rec.text[value.end : end].strip() and not rec.text[value.end : end].lstrip().startswith("#"):
        return None
    return Edit(start, end, "")


def delete_item(rec: Record, path: str) -> Edit | None:
    """Delete one item of a block sequence (``- value`` and its lines). When it
    is the only item, the sequence becomes ``[]``."""
    parent, _, index = path.rpartition("/")
    items = data_at(rec.data, parent)
    span = rec.pos.get(path)
    if span is None or not isinstance(items, list) or not index.isdigit():
        return None
    if len(items) == 1:
        return empty_list(rec, parent)
    start = _line_start(rec.text, span.start)
    prefix = rec.text[start : span.start]
    if prefix.strip() != "-":
        return None  # flow sequence or nested layout
    return Edit(start, _line_end(rec.text, span.end - 1 if span.end > span.start else span.end), "")


def empty_list(rec: Record, path: str) -> Edit | None:
    """Replace the list at ``path`` by ``[]`` (keeping its key)."""
    key, value = rec.keypos.get(path), rec.pos.get(path)
    if key is None or value is None:
        return None
    colon = rec.text.find(":", key.end)
    if colon == -1 or colon > value.start:
        return None
    return Edit(colon, value.end, ": []")


def replace_list(rec: Record, path: str, items: list[str]) -> Edit | None:
    """Replace the block (or flow) list at ``path`` by a block list of ``items``,
    written as upstream writes them (``- item`` at the key's indentation).
    ``None`` when the key is not the first thing on its line (a flow mapping,
    ``{keywords: [...]}``, where a block list would break the YAML)."""
    key, value = rec.keypos.get(path), rec.pos.get(path)
    if key is None or value is None:
        return None
    if rec.text[_line_start(rec.text, key.start) : key.start].strip():
        return None
    colon = rec.text.find(":", key.end)
    if colon == -1 or colon > value.start:
        return None
    if not items:
        return Edit(colon, value.end, ": []")
    indent = " " * (key.col - 1)
    body = "".join(f"\n{indent}- {render_scalar(v, key.col + 1)}" for v in items)
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
