"""A finding as a plain dict: ruff's JSON diagnostic shape. The one place a
finding becomes a dict: the JSON output and ``linter.lint()`` both use it."""

from __future__ import annotations

from linter.base.links import DOCS_URL, rule_url
from linter.reading.files import read_regular
from linter.reading.record import _LineIndex


def _loc(index, offset):
    row, col = index.at(offset)
    return {"row": row, "column": col}


def finding_dict(f, generation=None, lines_of=None, *, docs_url: str | None = DOCS_URL) -> dict:
    """``lines_of(filename)`` gives the file's line index (``_LineIndex``) for
    the rows and columns of fix edits, or None. ``url`` is the rule's
    documentation page under ``docs_url`` (None when that is empty)."""
    s = f.span
    fix = None
    if f.fix is not None:
        edits = []
        index = lines_of(f.filename) if lines_of else None
        for e in f.fix.edits:
            item = {"content": e.content, "offset": e.start, "end_offset": e.end}
            if index is not None:
                item["location"] = _loc(index, e.start)
                item["end_location"] = _loc(index, e.end)
            edits.append(item)
        fix = {"applicability": f.fix.applicability, "message": f.fix.message, "edits": edits}
    out = {
        "code": f.code,
        "name": f.name,
        "severity": f.severity,
        "message": f.message,
        "filename": f.filename,
        "location": {"row": s.line, "column": s.col} if s else None,
        "end_location": {"row": s.end_line, "column": s.end_col} if s else None,
        "path": f.path,
        "fix": fix,
        "url": rule_url(f.code, docs_url),
        "generation": generation,
    }
    related = f.extra.get("related") if f.extra else None
    if related:  # an optional field: absent when a finding has no second location
        out["related"] = [
            {
                "message": message,
                "filename": filename,
                "location": {"row": span[0], "column": span[1]},
                "end_location": {"row": span[2], "column": span[3]},
            }
            for message, filename, span in related
        ]
    return out


class LineIndexes:
    """A file's line index for fix locations, kept for the file last asked for
    (findings come file by file): one read per file, not one per finding."""

    def __init__(self):
        self.name, self.index = None, None

    def __call__(self, filename):
        if filename != self.name:
            self.name, self.index = filename, None
            try:
                text = read_regular(filename, 1 << 26).decode("utf-8")
                self.index = _LineIndex(text)
            except (OSError, UnicodeDecodeError):
                pass
        return self.index
