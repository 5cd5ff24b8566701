"""A worklist for spreadsheets: CSV (RFC 4180, written by the csv module),
one row per finding.

Columns: ``record`` (the file of the finding), ``figid`` and ``pmcid`` (read
from the file's name: PFOCR names records ``<figid>.md`` and their tables
``<figid>-genes.tsv``…), ``rule``, ``name``, ``severity``, ``message``,
``line``, ``column``, ``fixable`` (``safe``, ``unsafe`` or ``none``).

Spreadsheet-safe: a text cell that begins with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return would be read as a formula by Excel, LibreOffice or
Google Sheets (CSV injection), so it is written with a leading ``'``, which
spreadsheets show as text. Control characters in record text are escaped
(``\\x1b``) as in every other text format.
"""

from __future__ import annotations

import csv

from linter.base.textsafe import clean
from linter.reporters import Reporter, figid_of, pmcid_of

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
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: str) -> str:
    """A text cell no spreadsheet reads as a formula."""
    value = clean(value, newlines=True)
    return "'" + value if value.startswith(FORMULA_START) else value


class CsvReporter(Reporter):
    def start(self) -> None:
        self.writer = csv.writer(self.stream)  # RFC 4180: CRLF, quotes doubled
        self.writer.writerow(COLUMNS)

    def file(self, result) -> None:
        for f in result.findings:
            figid = figid_of(f.filename)
            s = f.span
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
                )
            )
