"""Fix text for values at any column.

:func:`linter.edits.render_scalar` writes a value as YAML by dumping it inside
one nested mapping per two columns of indentation: a key at column 1,000 (a
flow mapping on one long line, or a block indented that far) nests 500
mappings, and PyYAML's representer recurses on them until ``RecursionError``.
These helpers give the same text without that cost: from column
``DEEP_INDENT`` on, every line the emitter writes is already past its width
of 80 columns, so it breaks at every space whatever the indentation is; the
value is rendered at a fixed indentation and its continuation lines are moved
to the real one. Below ``DEEP_INDENT`` they call :mod:`linter.edits` as is
(ordinary records: byte-identical fixes).
"""

from __future__ import annotations

import re

from linter import edits
from linter.model import Edit
from linter.reader import Record

# the indentation the value is rendered at when it stands further right: past
# 80 columns (the emitter's width) with the key, and far below PyYAML's
# recursion limit (about 700 columns); even, so that the odd column's pad
# (edits._render) stays the same
DEEP_INDENT = 100
# where the emitter indented a line of the rendered value: after a line break
# (LF, or the NEL/LS/PS a single-quoted scalar keeps), a run of at least
# DEEP_INDENT spaces (the odd column's pad alone is one space)
_INDENTED = re.compile(f"(?<=[\n\x85\u2028\u2029])(?= {{{DEEP_INDENT}}})")


def render_scalar(value, indent: int, key: str = "k") -> str:
    """:func:`linter.edits.render_scalar` for a key at any column."""
    if indent <= DEEP_INDENT + 1:
        return edits.render_scalar(value, indent, key)
    shallow = DEEP_INDENT + indent % 2
    text = edits.render_scalar(value, shallow, key)
    return _INDENTED.sub(" " * (indent - shallow), text)


def replace_value(rec: Record, path: str, value) -> Edit | None:
    """:func:`linter.edits.replace_value` for a value at any column."""
    span = rec.pos.get(path)
    if span is None:
        return None
    key = rec.keypos.get(path)
    indent = (key.col - 1) if key else (span.col - 1)
    if indent <= DEEP_INDENT + 1:
        return edits.replace_value(rec, path, value)
    name = path.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")
    return Edit(span.start, span.end, render_scalar(value, indent, name))


def replace_list(rec: Record, path: str, items: list[str]) -> Edit | None:
    """:func:`linter.edits.replace_list` for a key at any column."""
    key = rec.keypos.get(path)
    if key is None or key.col + 1 <= DEEP_INDENT + 1:
        return edits.replace_list(rec, path, items)
    edit = edits.replace_list(rec, path, [])  # the checks, and where the list stands
    if edit is None or not items:
        return edit
    indent = " " * (key.col - 1)
    body = "".join(f"\n{indent}- {render_scalar(v, key.col + 1)}" for v in items)
    return Edit(edit.start, edit.end, ":" + body)
