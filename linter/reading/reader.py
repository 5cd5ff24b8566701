"""Reading a record: bytes -> text -> front matter -> plain data + position index.

One parse per file. The front matter PFOCR writes (block mappings and
sequences of plain or quoted scalars) is read by :mod:`linter.reading.scan`;
anything else by libyaml's C composer (:mod:`linter.reading.compose`,
loaded, with PyYAML, for the first such front matter). Both give the same
plain Python data and positions (JSON pointer -> :class:`Span`, located on
demand). Nothing here knows about rules or output: problems found while
reading are returned as ``(code, message, span, fix)`` tuples; the engine
stamps them.
"""

from __future__ import annotations

import re
from pathlib import Path

from linter.base.model import Edit, Fix, Span
from linter.reading.files import read_regular
from linter.reading.positions import FastPositions
from linter.reading.record import (
    DEFAULT_MAX_SIZE,
    MAX_DEPTH,
    ReadResult,
    Record,
    escape_pointer,
    join,
    point_span,
)
from linter.reading.scan import scan

__all__ = [
    "DEFAULT_MAX_SIZE",
    "MAX_DEPTH",
    "ReadResult",
    "Record",
    "escape_pointer",
    "join",
    "parse_bytes",
    "point_span",
    "read_file",
    "too_large",
]

# C0/C1 control characters that are never allowed in a record (TAB, LF, CR and
# NEL are fine), plus the non-characters YAML rejects.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x84\x86-\x9f\ufffe\uffff]")
_CLOSE_REST = re.compile(r"[ \t]*\r?")
# the ASCII characters of _CONTROL; the others are U+0080-U+009F (UTF-8 lead byte
# 0xC2) and U+FFFE/U+FFFF (0xEF 0xBF ...)
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])


def read_file(path: Path, filename: str, max_size: int = DEFAULT_MAX_SIZE) -> ReadResult:
    """Read and parse one file. Raises OSError only for unreadable paths."""
    raw = read_regular(path, max_size + 1)
    if len(raw) > max_size:
        return too_large(max_size)
    return parse_bytes(raw, filename)


def too_large(max_size: int) -> ReadResult:
    """What a file larger than ``max_size`` bytes reads as: FM106, not parsed."""
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


def parse_bytes(raw: bytes, filename: str, scanner: bool = True) -> ReadResult:
    """Read one file's bytes. ``scanner=False`` composes every front matter
    with libyaml (the differential tests compare both paths)."""
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
    m = _CONTROL.search(text) if _may_hold_control(raw) else None
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
    fm_end = _closing_line(text, fm_start)
    if fm_end < 0:
        issues.append(
            (
                "FM101",
                "front matter is not closed: no second '---' line",
                point_span(text, body_at),
                None,
            )
        )
        return ReadResult(None, issues)
    fm_text = text[fm_start:fm_end]
    first_line = text.count("\n", 0, fm_start) + 1

    # --- the shapes PFOCR writes: scanned, without libyaml -------------------
    scanned = scan(fm_text) if scanner else None
    if scanned is not None:
        pos = FastPositions(scanned, False, fm_start, first_line - 1)
        keypos = FastPositions(scanned, True, fm_start, first_line - 1)
        rec = Record(
            filename, text, scanned.data, pos, keypos, fm_start, fm_end, first_line, issues
        )
        return ReadResult(rec, issues)

    # --- anything else: libyaml (PyYAML loads with the first such file) --------
    from linter.reading.compose import compose  # (start-up: see the module)

    return compose(text, fm_text, fm_start, fm_end, first_line, filename, issues)


def _may_hold_control(raw: bytes) -> bool:
    """False when ``raw`` (valid UTF-8) surely holds no character of _CONTROL:
    a cheap byte test before the regex."""
    if len(raw.translate(None, _CONTROL_BYTES)) != len(raw):
        return True
    return not raw.isascii() and (b"\xc2" in raw or b"\xef\xbf" in raw)


def _closing_line(text: str, start: int) -> int:
    """Offset of the first line at or after ``start`` that is ``---`` (trailing
    blanks and a CR allowed): the end of the front matter; -1 when none."""
    i = text.find("---", start)
    while i != -1:
        if i == start or text[i - 1] == "\n":
            end = text.find("\n", i + 3)
            if end == -1:
                end = len(text)
            if _CLOSE_REST.fullmatch(text, i + 3, end):
                return i
        i = text.find("\n---", i + 1)
        if i != -1:
            i += 1
    return -1
