"""Inline suppression comments (``# pfocr-lint: disable=CODE``) and FM199."""

from __future__ import annotations

import re
from dataclasses import dataclass

from linter.base.model import Finding, Span
from linter.engine.settings import Settings
from linter.reading.reader import Record

SUPPRESS_RE = re.compile(
    r"(?:^|\s)#\s*pfocr-lint:\s*disable=([A-Za-z]+[0-9]+(?:\s*,\s*[A-Za-z]+[0-9]+)*)"
)
SUPPRESS_KEY = "_suppressions"  # index entry: a record's suppressions of XR codes


def apply_suppressions(
    findings, comments, filename: str, settings: Settings, rules, ignored, skip=frozenset()
) -> list[Finding]:
    """Drop the findings of ``filename`` that a suppression comment covers and
    report (FM199) the suppressions that covered nothing; codes in ``skip`` are
    not reported as unused here. Findings in another file (the record's
    sidecar tables) are covered by the whole-record comments."""
    kept = []
    used: set[tuple[int, str]] = set()
    whole = [(c.line, code) for c in comments if c.whole_record for code in c.codes]
    by_line: dict[int, list] = {}
    for c in comments:
        if not c.whole_record:
            by_line.setdefault(c.line, []).append(c)
    for f in findings:
        if f.code == "FM199":
            kept.append(f)
            continue
        hit = None
        # a finding in the record's sidecar table: only whole-record comments
        line = f.span.line if f.span and f.filename == filename else None
        if line is not None:
            for c in by_line.get(line, ()):
                if f.code in c.codes:
                    hit = (c.line, f.code)
                    break
        if hit is None:
            hit = next(((cl, code) for cl, code in whole if code == f.code), None)
        if hit is None:
            kept.append(f)
        else:
            used.add(hit)
    if "FM199" in settings.select and "FM199" not in ignored:
        r = rules["FM199"]
        for c in comments:
            for code, (start, end) in zip(c.codes, c.code_spans):
                if (c.line, code) in used or code in skip:
                    continue
                if code not in rules:
                    why = f"unknown rule code {code!r} in suppression"
                elif code not in settings.select:
                    why = f"unused suppression of {code}: the rule is not enabled"
                else:
                    why = f"unused suppression of {code}: no {code} finding "
                    why += "in this record" if c.whole_record else "on this line"
                span = Span(c.line, start + 1, c.line, end + 1, 0, 0)
                kept.append(Finding("FM199", r.name, r.severity, why, filename, "", span))
    return kept


@dataclass
class Suppression:
    line: int
    whole_record: bool
    codes: list[str]
    code_spans: list[tuple[int, int]]  # 0-based columns of each code on its line


def parse_suppressions(rec: Record) -> list[Suppression]:
    fm = rec.text[rec.fm_start : rec.fm_end]
    if "pfocr-lint" not in fm:
        return []
    out = []
    for i, line in enumerate(fm.split("\n")):
        if "pfocr-lint" not in line:
            continue
        m = SUPPRESS_RE.search(line)
        if not m:
            continue
        lineno = rec.fm_first_line + i
        # inside a multi-line scalar? then it is text, not a comment
        if _inside_scalar(rec, lineno, m.start(1)):
            continue
        whole = line[: m.start()].strip() == ""
        codes, spans = [], []
        for cm in re.finditer(r"[A-Za-z0-9_]+", m.group(1)):
            codes.append(cm.group().upper())
            spans.append((m.start(1) + cm.start(), m.start(1) + cm.end()))
        out.append(Suppression(lineno, whole, codes, spans))
    return out


def _inside_scalar(rec: Record, line: int, col0: int) -> bool:
    for s in rec.multiline_scalars:
        if (
            s.line <= line <= s.end_line
            and s.line != s.end_line
            and (s.line, s.col) < (line, col0 + 1) < (s.end_line, s.end_col)
        ):
            return True
    return False
