"""A worklist for spreadsheets: CSV (RFC 4180, written by the csv module),
one row per finding.

Columns: ``record`` (the file of the finding), ``figid`` and ``pmcid`` (read
from the file's name: PFOCR names records ``<figid>.md`` and their tables
``<figid>-genes.tsv``…), ``rule``, ``name``, ``severity``, ``message``,
``line``, ``column``, ``fixable`` (``safe``, ``unsafe`` or ``none``), then,
added in 0.3 after the first ten (whose order is unchanged, so a consumer
reading columns by position keeps working):

- ``figure_url``: the figure on PMC, from the record's ``figlink`` (else
  the paper, from its PMC ID), empty when neither is usable;
- ``record_path``: the record the finding belongs to (for a finding in a
  sidecar table, the table's record);
- ``json_path``: where in the record (a JSON pointer, ``/genes/3/entrez``;
  empty for a finding outside the front matter);
- ``found``: the text the finding points at (whitespace collapsed, cut to
  200 characters);
- ``expected``: what the rule expects there, from the finding's data
  (``expected``) or its message (``…, expected X``), else empty;
- ``fix``: what the fix does (empty without one);
- ``fix_command``: the command that applies it (``pfocr-lint check --fix
  [--unsafe-fixes] --select CODE FILE``);
- ``baselined``: ``yes`` for a finding the baseline records (only
  ``pfocr-lint report -o worklist.csv`` shows those; ``check`` drops them),
  else ``no``.

Spreadsheet-safe: a text cell that begins with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return would be read as a formula by Excel, LibreOffice or
Google Sheets (CSV injection), so it is written with a leading ``'``, which
spreadsheets show as text. Control characters in record text are escaped
(``\\x1b``) as in every other text format.
"""

from __future__ import annotations

import csv
import re
import shlex

from linter.base.textsafe import clean
from linter.reading.annotations import record_of_table
from linter.reading.files import read_regular
from linter.reporters import Reporter, figid_of, figure_url, pmcid_of

COLUMNS = (
    "record",
    "figid",
    "pmcid",
    "rule",
    "name",
    "severity",
    "message",
    "line",
    "column",
    "fixable",
    # 0.3: appended, the columns above keep their places
    "figure_url",
    "record_path",
    "json_path",
    "found",
    "expected",
    "fix",
    "fix_command",
    "baselined",
)
MAX_FOUND = 200
_EXPECTED = re.compile(r"(?:^|[,;:(]\s*)expected\s+(.+)$", re.S)
_FIGLINK = re.compile(r"^figlink:[ \t]*['\"]?([^'\"\n#]*)", re.M)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: str) -> str:
    """A text cell no spreadsheet reads as a formula."""
    value = clean(value, newlines=True)
    return "'" + value if value.startswith(FORMULA_START) else value


def expected_of(f) -> str:
    """What the rule expects: the finding's ``expected`` datum, else the
    message's ``…, expected X`` (CONTRIBUTING: a message names the value found
    and the one expected), else ``""``."""
    data = (f.extra or {}).get("data") or {}
    if isinstance(data, dict) and data.get("expected"):
        return str(data["expected"])
    m = _EXPECTED.search(f.message)
    return m.group(1).strip() if m else ""


def fix_command(f) -> str:
    """The command that applies ``f``'s fix (with the other fixes of its rule
    in its file); ``""`` without a fix."""
    if f.fix is None:
        return ""
    cmd = ["pfocr-lint", "check", "--fix"]
    if f.fix.applicability != "safe":
        cmd.append("--unsafe-fixes")
    return shlex.join([*cmd, "--select", f.code, f.filename])


class CsvReporter(Reporter):
    def __init__(self, stream, *, options=None, **kw):
        super().__init__(stream, **kw)
        self.options = options or {}
        self._text = ("", None)  # the file read last: (name, text)
        self._urls: dict[str, str] = {}

    def start(self) -> None:
        self.writer = csv.writer(self.stream)  # RFC 4180: CRLF, quotes doubled
        self.writer.writerow(COLUMNS)

    def _read(self, filename: str) -> str | None:
        if self._text[0] != filename:
            try:
                raw = read_regular(filename, 1 << 24)
                self._text = (filename, raw.decode("utf-8", errors="replace"))
            except OSError:
                self._text = (filename, None)
        return self._text[1]

    def _record(self, result, f) -> str:
        if f.filename.endswith(".md"):
            return f.filename
        if result.filename and result.filename.endswith(".md"):
            return result.filename  # a table's findings come with its record's
        try:
            return record_of_table(f.filename, self.options) or ""
        except (OSError, ValueError):
            return ""

    def _figure_url(self, record: str, figid: str) -> str:
        url = self._urls.get(record)
        if url is None:
            figlink = ""
            text = self._read(record) if record else None
            if text and text.startswith("---"):
                end = text.find("\n---", 3)
                m = _FIGLINK.search(text, 0, end if end >= 0 else len(text))
                figlink = m.group(1).strip() if m else ""
            url = self._urls[record] = figure_url(figlink, pmcid_of(figid))
        return url

    def _found(self, f) -> str:
        s = f.span
        if s is None or s.end <= s.start:
            return ""
        text = self._read(f.filename)
        if text is None:
            return ""
        found = " ".join(text[s.start : min(s.end, s.start + 4 * MAX_FOUND)].split())
        return found if len(found) <= MAX_FOUND else found[: MAX_FOUND - 1] + "…"

    def file(self, result) -> None:
        for f in result.findings:
            figid = figid_of(f.filename)
            s = f.span
            record = self._record(result, f)
            self.writer.writerow(
                (
                    cell(f.filename),
                    cell(figid),
                    cell(pmcid_of(figid)),
                    cell(f.code),
                    cell(f.name),
                    f.severity,
                    cell(f.message),
                    s.line if s else "",
                    s.col if s else "",
                    f.fix.applicability if f.fix is not None else "none",
                    cell(self._figure_url(record, figid_of(record) if record else figid)),
                    cell(record),
                    cell(f.path or ""),
                    cell(self._found(f)),
                    cell(expected_of(f)),
                    cell(f.fix.message if f.fix is not None else ""),
                    cell(fix_command(f)),
                    "yes" if (f.extra or {}).get("baselined") else "no",
                )
            )
