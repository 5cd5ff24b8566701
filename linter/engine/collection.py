"""The collection pass: collection-scope (XR) rules over the index every file gave."""

from __future__ import annotations

from linter.base.model import Finding, Span
from linter.engine.filelint import Context, Linter
from linter.engine.settings import Settings
from linter.engine.suppression import SUPPRESS_KEY, apply_suppressions


class CollectionIndex:
    """What the collection rules get from every file, kept compact: one row
    per file (its name, then one value per collection rule code, None when
    the file gave none). ``get(code)`` lists ``(filename, value)`` pairs
    like a dict of lists would, built when asked for."""

    def __init__(self, codes):
        self.codes = tuple(codes)
        self._at = {code: i for i, code in enumerate(self.codes, start=1)}
        self.rows: list[tuple] = []

    def add(self, filename: str, entries: dict) -> None:
        row = (filename, *(entries.get(code) for code in self.codes))
        self.rows.append(row)

    def get(self, code: str, default=None):
        i = self._at.get(code)
        if i is None:
            return default
        found = [(row[0], row[i]) for row in self.rows if row[i] is not None]
        return found if found else default

    def __bool__(self) -> bool:
        return bool(self.rows)


def collection_findings(entries, settings: Settings) -> list[Finding]:
    """Run the collection-scope rules over the index gathered from every file
    (a :class:`CollectionIndex`, or a dict of ``(filename, value)`` lists by
    code), then apply per-file ignores and the records' suppressions of XR
    codes."""
    linter = Linter(settings)
    findings: list[Finding] = []
    for r in linter.collection_rules:
        items = entries.get(r.code, [])
        for p in r.func(items, linter.ctx):
            f = linter.stamp(r, p, None, p.file or "")
            if f.code in settings.severity:
                f.severity = settings.severity[f.code]
            if f.code not in settings.ignored_for(f.filename):
                findings.append(f)
    _locate_late(findings, linter.ctx)
    xr_codes = {r.code for r in linter.collection_rules}
    for filename, comments in entries.get(SUPPRESS_KEY, []):
        mine = [f for f in findings if f.filename == filename]
        others = [f for f in findings if f.filename != filename]
        for c in comments:  # only the XR codes are judged here
            pairs = [(code, sp) for code, sp in zip(c.codes, c.code_spans) if code in xr_codes]
            c.codes, c.code_spans = [p[0] for p in pairs], [p[1] for p in pairs]
        kept = apply_suppressions(
            mine, comments, filename, settings, linter.rules, settings.ignored_for(filename)
        )
        findings = others + kept
    findings.sort(key=Finding.sort_key)
    return findings


def _locate_late(findings: list[Finding], ctx: Context) -> None:
    """Give a position to the collection findings that name a path in their
    file but no span. The index the workers send holds digests only, so the
    few files with a finding are read again here (a file's name is its path,
    as given on the command line); a file that can no longer be read or
    parsed gets its first line."""
    for f in findings:
        if f.span is None and f.filename:
            rec = ctx.reread(f.filename) if f.path else None
            span = rec.span(f.path) if rec is not None else None
            f.span = span or Span(1, 1, 1, 1, 0, 0)
