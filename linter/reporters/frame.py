"""Code frames: the lines around a finding, with the offending span marked.

Shared by the terminal (``full``) and HTML reporters. A frame is a list of
:class:`FrameLine`; ``mark`` is the 0-based, end-exclusive character range of
the line to underline (``None``: not an offending line). For a sidecar table
(a ``.tsv`` finding, whose span is a whole row) the frame starts with the
table's header line and marks the offending column in the row and the header,
not the whole row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CONTEXT = 1  # lines shown before and after the offending lines
MAX_LINES = 6  # at most this many lines of one node are shown
_QUOTED = re.compile(r"(?:([A-Za-z_]+) )?'([^']*)'")


@dataclass(frozen=True, slots=True)
class FrameLine:
    number: int  # 1-based; 0 for the "…" gap between a table's header and its row
    text: str
    mark: tuple[int, int] | None = None


def code_frame(lines: list[str], span, filename: str = "", message: str = "") -> list[FrameLine]:
    """The frame of ``span`` in a file split into ``lines`` (no line ends)."""
    if span is None or not lines or span.line < 1 or span.line > len(lines):
        return []
    if filename.endswith(".tsv") and span.line > 1:
        return _table_frame(lines, span, message)
    first = max(1, span.line - CONTEXT)
    last = min(len(lines), max(span.line, min(span.end_line, span.line + MAX_LINES - 1)) + CONTEXT)
    out = []
    for n in range(first, last + 1):
        text = lines[n - 1].rstrip("\r")
        mark = None
        if span.line <= n <= span.end_line:
            start = span.col - 1 if n == span.line else len(text) - len(text.lstrip())
            end = span.end_col - 1 if n == span.end_line else len(text)
            mark = (max(0, start), max(start + 1, min(end, len(text))))
        out.append(FrameLine(n, text, mark))
    return out


def _table_frame(lines: list[str], span, message: str) -> list[FrameLine]:
    header = lines[0].rstrip("\r").split("\t")
    row = lines[span.line - 1].rstrip("\r").split("\t")
    col = offending_column(header, row, message)
    # the header's and the row's cells aligned in columns (two spaces apart)
    n = max(len(header), len(row))
    widths = [
        max(len(header[i]) if i < len(header) else 0, len(row[i]) if i < len(row) else 0)
        for i in range(n)
    ]
    head_mark = _cell(header, widths, col) if col is not None else None
    row_mark = _cell(row, widths, col) if col is not None else None
    head_text, row_text = _aligned(header, widths), _aligned(row, widths)
    if row_mark is None:
        row_mark = (0, max(1, len(row_text)))
    out = [FrameLine(1, head_text, head_mark)]
    if span.line > 2:
        out.append(FrameLine(0, "…"))
    out.append(FrameLine(span.line, row_text, row_mark))
    return out


def _aligned(cells: list[str], widths: list[int]) -> str:
    return "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()


def offending_column(header: list[str], row: list[str], message: str) -> int | None:
    """Which column of a table row a finding is about: the first column the
    message names with a quoted value (``word 'CPT1'``), else the first cell
    holding a value the message quotes; ``None`` when neither is found."""
    quoted = _QUOTED.findall(message)
    for name, value in quoted:
        if name in header:
            i = header.index(name)
            if i < len(row) and row[i] == value:
                return i
    for _, value in quoted:
        if value and value in row:
            return row.index(value)
    return None


def _cell(cells: list[str], widths: list[int], i: int) -> tuple[int, int] | None:
    if i >= len(cells):
        return None
    start = sum(w + 2 for w in widths[:i])
    return (start, start + max(1, len(cells[i])))
