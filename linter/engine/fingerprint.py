"""The stable identity of a finding: what a baseline records and what CI
formats (SARIF ``partialFingerprints``, GitLab ``fingerprint``) carry.

A finding's :class:`Key` is, independent of line numbers:

- ``file``: the file's path relative to the root (the configuration's
  folder), posix;
- ``path``: where in the file — the record path (JSON pointer) for a finding
  in a record's front matter; for a finding in a sidecar table (or any file
  that is not a record), ``row:`` + a hash of the row's text (whitespace
  normalised), so a row keeps its identity when rows above it come or go;
- ``code``;
- ``value``: a short hash of the offending value, the source text of the
  finding's span with whitespace normalised. When the finding points at a
  collection (a mapping or list) or at the ancestor of a missing key, whose
  text changes with edits elsewhere in it, it is ``m`` + a hash of the
  message with its numbers left out instead.

List indices in a record path are ``*`` (``/genes/*/entrez``): an item
inserted above keeps the others' keys; the value tells items apart.

Two identical findings share a key; a baseline counts them.

The engine computes the file-local part (``path``, ``value``) while it still
has the record's text (``Finding.extra["fp"]``); for a finding without it
(a collection finding, say) :func:`key` reads the file again.
"""

from __future__ import annotations

import functools
import os
import re
from typing import NamedTuple

from linter.base.digests import blake2b
from linter.reading.files import read_regular
from linter.reading.reader import DEFAULT_MAX_SIZE, read_file

EXTRA = "fp"  # Finding.extra key of the file-local part: (path, value hash)


class Key(NamedTuple):
    file: str
    path: str
    code: str
    value: str

    def __str__(self) -> str:
        return f"{self.file}:{self.path}:{self.code}:{self.value}"


def short_hash(text: str) -> str:
    """12 hex digits of BLAKE2b over the text."""
    return blake2b(text.encode("utf-8", "surrogatepass"), digest_size=6).hexdigest()


def normalise(text: str) -> str:
    return " ".join(text.split())


_MISSING = object()
_DIGITS = re.compile(r"[0-9]+")


@functools.lru_cache(maxsize=4096)
def _parts(pointer: str) -> tuple[tuple[str, bool, str], ...]:
    """The parts of a JSON pointer: (as written, all digits, unescaped)
    each (pointers recur: every record's `/schema-jsonld/keywords/3`)."""
    return tuple(
        (part, part.isdigit(), part.replace("~1", "/").replace("~0", "~"))
        for part in pointer.split("/")[1:]
    )


def _walk(data, pointer: str):
    """``(value or _MISSING, the pointer with list indices as *)``."""
    node = data
    out = []
    for part, digits, name in _parts(pointer):
        if digits and isinstance(node, list):
            i = int(part)
            node = node[i] if i < len(node) else _MISSING
            out.append("*")
            continue
        out.append(part)
        if isinstance(node, dict):
            node = node.get(name, _MISSING)
        else:
            node = _MISSING
    if node is _MISSING:  # a missing key below a list item: still no index
        out = ["*" if p.isdigit() else p for p in out]
    return node, "/" + "/".join(out) if out else ""


def _span_hash(text: str, span) -> str:
    """The hash of a one-line span's text; ``""`` for none, an empty or a
    multi-line span (whose text would change with edits inside it)."""
    if span is None or span.end <= span.start or span.line != span.end_line:
        return ""
    piece = normalise(text[span.start : span.end])
    return short_hash(piece) if piece else ""


def _message_hash(message: str) -> str:
    """For a finding without a value of its own: its message, numbers left
    out (they are often line numbers), tells two findings on one node apart."""
    return "m" + short_hash(_DIGITS.sub("#", normalise(message)))


def in_record(finding, rec) -> tuple[str, str]:
    """``(path, value hash)`` of a finding in the front matter of ``rec``
    (``rec`` may be ``None`` when the file could not be parsed). List indices
    in the path become ``*``: inserting an item above keeps the key."""
    path, span = finding.path, finding.span
    if rec is None:
        return path, _message_hash(finding.message)
    if not path:  # file-level: read issues, suppression comments
        return "", _span_hash(rec.text, span) or _message_hash(finding.message)
    value, path = _walk(rec.data, path)
    if value is _MISSING or isinstance(value, (dict, list)) or span is None:
        return path, _message_hash(finding.message)
    piece = normalise(rec.text[span.start : span.end])  # a scalar: multi-line is fine
    return path, short_hash(piece) if piece else _message_hash(finding.message)


def in_table(finding, text: str | None) -> tuple[str, str]:
    """``(row:<hash of the row>, value hash)`` of a finding in a table (or any
    other file that is not a record) whose text is ``text``."""
    span = finding.span
    if text is None:
        return "row:", ""
    line = span.line if span is not None else 1
    lines = _lines(text)
    row = normalise(lines[line - 1]) if 0 < line <= len(lines) else ""
    value = _span_hash(text, span)
    if value and span is not None and normalise(text[span.start : span.end]) == row:
        value = ""  # the finding is about the whole row: the row's hash says it
    return "row:" + short_hash(row), value


@functools.lru_cache(maxsize=4096)
def _real_dir(folder: str) -> str:  # an absolute folder: the cache cannot outlive a chdir
    return os.path.realpath(folder)


def real_path(filename: str) -> str:
    """``filename`` absolute with its folder's symbolic links resolved (one
    ``realpath`` per folder, not per file)."""
    folder, name = os.path.split(os.path.abspath(filename))
    return os.path.join(_real_dir(folder), name)


def relative(filename: str, root) -> str:
    """``filename`` relative to ``root``, posix (``..`` parts when outside)."""
    rel = os.path.relpath(real_path(filename), _real_dir(os.path.abspath(root)))
    return rel.replace(os.sep, "/")


@functools.lru_cache(maxsize=2)
def _lines(text: str) -> list[str]:
    """The lines of a table, split once for all its findings (the same text
    object comes back for each: the lookup is by identity, not a rehash)."""
    return text.split("\n")


def read_text(filename: str, limit: int = 1 << 20) -> str | None:
    """The text of a table (at most ``limit`` bytes: a larger table has only
    its line-1 finding), or None when it cannot be read or is not a regular
    file (never blocks on a FIFO)."""

    try:
        return read_regular(filename, limit).decode("utf-8", "replace")
    except OSError:
        return None


def local_part(finding, max_size: int | None = None) -> tuple[str, str]:
    """The file-local part of a finding's key, computed by the engine or, when
    missing, from the file as it is now."""
    part = finding.extra.get(EXTRA)
    if part is not None:
        return tuple(part)
    if not finding.filename:
        return finding.path, ""
    from pathlib import Path

    if finding.filename.endswith(".md"):  # a record
        try:
            size = max_size or DEFAULT_MAX_SIZE
            rec = read_file(Path(finding.filename), finding.filename, size).record
        except Exception:  # noqa: BLE001 - unreadable now: the key goes without its value
            rec = None
        part = in_record(finding, rec)
    else:
        part = in_table(finding, read_text(finding.filename))
    finding.extra[EXTRA] = part
    return part


def key(finding, root) -> Key:
    """The stable key of ``finding``; ``root`` is the folder file paths are
    relative to (``Settings.root``: the configuration's folder)."""
    path, value = local_part(finding)
    file = relative(finding.filename, root) if finding.filename else ""
    return Key(file, path, finding.code, value)


def fingerprint(finding, root) -> str:
    """A finding's key as 32 hex digits (SARIF ``partialFingerprints``,
    GitLab Code Quality ``fingerprint``)."""
    k = key(finding, root)
    return blake2b("\0".join(k).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
