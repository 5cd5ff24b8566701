"""The data that flows between the layers: spans, edits, fixes, problems and findings.

Rules yield :class:`Problem` objects (a path into the record, a message and an
optional :class:`Fix`); the engine turns them into :class:`Finding` objects by
resolving the path to a position and stamping code, name and severity.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SEVERITIES = ("info", "warning", "error")
SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}


@dataclass(slots=True, unsafe_hash=True)  # not frozen: 5x cheaper to build, and
class Span:  # the reader builds one per node; treat it as immutable
    """A located piece of text: 1-based line/column of start and end, and 0-based
    character offsets ``start``/``end`` into the whole file text (end exclusive)."""

    line: int
    col: int
    end_line: int
    end_col: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``text[start:end]`` of the file with ``content``."""

    start: int
    end: int
    content: str


@dataclass(frozen=True, slots=True)
class Fix:
    """A fix is data: edits on the file text, applied by the engine."""

    applicability: str  # "safe" | "unsafe"
    message: str
    edits: tuple[Edit, ...]


@dataclass(slots=True)
class Problem:
    """What a rule reports: where (``path`` into the record, or an explicit
    ``span``/``file`` for findings outside the front matter) and what."""

    path: str
    message: str
    fix: Fix | None = None
    key: bool = False  # point at the key of ``path`` rather than its value
    span: Span | None = None
    file: str | None = None
    # SC101 only: the complaint is about the node's own value (type, pattern,
    # enum...), so a more specific rule reporting the same node supersedes it.
    about_value: bool = False
    # a lower (or higher) severity than the rule's default for this finding
    # only, e.g. "not found in the snapshot" under an error rule; None = the
    # rule's. A configured severity override still wins.
    severity: str | None = None
    # more locations that explain the finding: ((message, Span), ...), e.g.
    # where GN106's caption defines the abbreviation (Finding.extra["related"])
    related: tuple = ()
    # structured facts of the finding for reporters (str -> str), e.g. GN106's
    # word, abbreviation, long form and gene (Finding.extra["data"])
    data: dict | None = None


@dataclass(slots=True)
class Finding:
    code: str
    name: str
    severity: str
    message: str
    filename: str
    path: str
    span: Span | None
    fix: Fix | None = None
    extra: dict = field(default_factory=dict)

    def sort_key(self):
        s = self.span
        return (self.filename, s.line if s else 0, s.col if s else 0, self.code)

    def pack(self) -> tuple:
        """The finding as plain tuples: what crosses process boundaries and
        the cache (pickling slotted dataclasses one by one is slow)."""
        s, fix = self.span, self.fix
        return (
            self.code,
            self.name,
            self.severity,
            self.message,
            self.filename,
            self.path,
            None if s is None else (s.line, s.col, s.end_line, s.end_col, s.start, s.end),
            None
            if fix is None
            else (fix.applicability, fix.message, [(e.start, e.end, e.content) for e in fix.edits]),
            self.extra or None,
        )

    @staticmethod
    def unpack(packed: tuple) -> Finding:
        code, name, severity, message, filename, path, span, fix, extra = packed
        return Finding(
            code,
            name,
            severity,
            message,
            filename,
            path,
            None if span is None else Span(*span),
            None if fix is None else Fix(fix[0], fix[1], tuple(Edit(*e) for e in fix[2])),
            extra or {},
        )


def finding_groups(findings) -> tuple:
    """What a run's counts need of a file's findings: one
    ``(code, name, severity, filename, findings, safe fixes, other fixes)``
    per distinct rule, severity and file, in the order the findings first
    show each (a warm run keeps it in the cache and counts from it without
    the findings)."""
    groups: dict[tuple, list] = {}
    for f in findings:
        k = (f.code, f.name, f.severity, f.filename)
        g = groups.get(k)
        if g is None:
            g = groups[k] = [0, 0, 0]
        g[0] += 1
        fix = f.fix
        if fix is not None:
            g[1 if fix.applicability == "safe" else 2] += 1
    return tuple([(*k, *g) for k, g in groups.items()])
