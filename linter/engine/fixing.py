"""Fixes: applying a record's edits and re-linting until stable."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from linter.base.model import Fix
from linter.engine.filelint import Linter

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
    """Fix until stable. Returns (final FileResult, fixed text, fixes applied)."""
    total = 0
    for _ in range(MAX_FIX_PASSES):
        res = linter.lint_text(text, filename, path)
        if res.error:
            return res, text, total
        fixes = [f.fix for f in res.findings if applicable(f.fix, unsafe)]
        if not fixes:
            return res, text, total
        new, n = apply_fixes(text, fixes)
        if n == 0 or new == text:
            return res, text, total
        text, total = new, total + n
    return linter.lint_text(text, filename, path), text, total
