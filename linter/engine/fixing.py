"""Fixes: applying a record's edits and re-linting until stable."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from linter.base.atomic import ChangedOnDisk, HardLinked, write_atomic
from linter.base.model import Fix
from linter.engine.filelint import FileResult, Linter
from linter.reading.files import read_regular
from linter.rules import edits

MAX_FIX_PASSES = 10


def applicable(fix: Fix | None, unsafe: bool) -> bool:
    return fix is not None and (fix.applicability == "safe" or unsafe)


def apply_fixes(text: str, fixes: Iterable[Fix]) -> tuple[str, int]:
    """Apply non-overlapping fixes (a fix whose edits overlap an earlier one
    waits for the next pass). Returns the new text and the number applied."""
    taken: list[tuple[int, int]] = []
    edits = []
    count = 0
    for fix in fixes:
        spans = [(e.start, e.end) for e in fix.edits]
        if any(_overlaps(s, t) for s in spans for t in taken):
            continue
        taken.extend(spans)
        edits.extend(fix.edits)
        count += 1
    for e in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        text = text[: e.start] + e.content + text[e.end :]
    return text, count


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    if a[0] == a[1] or b[0] == b[1]:  # insertions: only the same point conflicts
        return a[0] == b[0] or (b[0] < a[0] < b[1]) or (a[0] < b[0] < a[1])
    return a[0] < b[1] and b[0] < a[1]


def fix_text(linter: Linter, text: str, filename: str, path: Path | None, unsafe: bool):
    """Fix until stable. Returns (final FileResult, fixed text, fixes applied).

    Every pass is checked before it is kept (:func:`linter.rules.edits.verify_fix`):
    the text must parse to the same data apart from what the fixes meant to
    change, keep its line endings and gain no reader problem. A pass that
    fails is withheld: the text stays as it was, and the findings whose fixes
    were withheld say so (and carry no fix)."""
    total = 0
    for _ in range(MAX_FIX_PASSES):
        res = linter.lint_text(text, filename, path)
        if res.error:
            return res, text, total
        fixing = [f for f in res.findings if applicable(f.fix, unsafe)]
        if not fixing:
            return res, text, total
        new, n = apply_fixes(text, [f.fix for f in fixing])
        if n == 0 or new == text:
            return res, text, total
        why = edits.verify_fix(
            text, new, [e for f in fixing for e in f.fix.edits], [f.path for f in fixing]
        )
        if why:
            withhold(res, f"fix withheld: {why}", unsafe)
            return res, text, total
        text, total = new, total + n
    return linter.lint_text(text, filename, path), text, total


def withhold(result: FileResult, why: str, unsafe: bool) -> None:
    """Say on each finding whose fix would have been applied that it was not
    (``why``), and drop the fix: the output then neither offers nor counts it."""
    for f in result.findings:
        if applicable(f.fix, unsafe):
            f.message = f"{f.message} ({why})"
            f.fix = None


def read_for_fix(path: Path, max_size: int) -> tuple[bytes, str | None]:
    """The file's bytes and their text (None when it is larger than
    ``max_size`` or not UTF-8: nothing to fix safely), read as they are: no
    newline translation, so a CRLF file is fixed as CRLF. Raises OSError."""
    raw = read_regular(path, max_size + 1)
    if len(raw) > max_size:
        return raw, None
    try:
        return raw, raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw, None


def write_fix(path: Path, raw: bytes, text: str, hard_links: bool) -> str | None:
    """Write the fixed ``text`` over ``path`` if it still holds ``raw`` (the
    bytes the fixes were made from), atomically, keeping its mode, owner and
    group; a file with other hard links is written through them only when
    ``hard_links``. Returns None when written, else why not (nothing was
    written); raises OSError when the file cannot be written."""
    try:
        write_atomic(path, text, expect=raw, hard_links="in-place" if hard_links else "refuse")
    except ChangedOnDisk:
        return "fix not written: the file changed while it was being fixed"
    except HardLinked as exc:
        return f"fix not written: {exc.strerror}; --fix-hard-links writes through them"
    return None
