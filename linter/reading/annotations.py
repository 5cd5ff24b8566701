"""A record's annotations: its genes, chemicals and diseases.

Taken from one place only (FORMAT.md):

- the front matter's own ``genes:`` / ``chemicals:`` / ``diseases:`` lists
  (older records). When any of the three keys is present, the front matter
  wins and no sidecar table is read (``PMC100003`` / ``PMC100005`` have 2020
  inline lists beside 2023 tables of other species);
- otherwise the sidecar tables of a record that lives in a ``_figures/``
  folder: ``<collection>/_data/<figid>-genes.tsv``, ``-chemicals.tsv``,
  ``-diseases.tsv`` (newer records), ``figid`` being the file stem.

Options (``ctx.options``): ``data-dir`` — the tables' folder relative to the
record's folder (default ``../_data``; when set, tables are looked up for a
record in any folder, not only ``_figures/``); ``sidecar-pattern`` — the
table's file name (default ``{figid}-{kind}.tsv``; fields ``{figid}`` and
``{kind}`` = genes | chemicals | diseases).

Tables are R ``write.table(quote=F)`` output: tab-separated, a header row,
the text ``NA`` for a missing value (stored as ``None`` in ``Entry.fields``).
Loading never raises: a table that cannot be used (unreadable, not UTF-8,
no header, missing columns, a row with the wrong number of columns) becomes a
problem in ``Annotations.table_problems``, which FM107 reports.
"""

from __future__ import annotations

import functools
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from linter.base.model import Problem, Span
from linter.base.values import quote
from linter.reading.files import open_regular, read_fd

KINDS = ("genes", "chemicals", "diseases")
DEFAULT_DATA_DIR = "../_data"
DEFAULT_PATTERN = "{figid}-{kind}.tsv"
MISSING = "NA"  # R's write.table(quote=F) text for a missing value
# a larger table is FM107 and not read (the record's max-file-size when set)
MAX_TABLE_BYTES = 1024 * 1024
# the columns the rules read; a table without one of them is unusable
REQUIRED_COLUMNS = {
    "genes": ("organism_name", "word", "ncbigene_symbol", "ncbigene_id"),
    "chemicals": ("word", "mesh"),
    "diseases": ("word", "mesh"),
}
# which field holds a gene's symbol / id / species, by source
GENE_FIELDS = {
    "front-matter": {"symbol": "hgnc_symbol", "id": "entrez", "organism": None},
    "sidecar": {"symbol": "ncbigene_symbol", "id": "ncbigene_id", "organism": "organism_name"},
}


@dataclass
class Entry:
    """One annotation row: its fields, and where it is (a JSON pointer into the
    front matter, or a sidecar file and the span of its line)."""

    fields: dict
    path: str | None = None
    file: str | None = None
    span: Span | None = None

    @property
    def line(self) -> int | None:
        """The 1-based line of a sidecar row (``None`` for front-matter entries;
        use ``rec.span(entry.path)`` for those)."""
        return self.span.line if self.span else None

    def get(self, name: str, default=None):
        return self.fields.get(name, default)


@dataclass
class Annotations:
    """``source`` is ``"front-matter"``, ``"sidecar"`` or ``"none"`` (no list
    and no table: the record's annotations are not available).

    ``kinds`` holds the kinds whose list or table exists and could be read: a
    front-matter kind whose key is a list; a sidecar kind whose table exists
    and has the required columns. ``tables`` maps a kind to the display path
    of the sidecar table found for it (also when it is malformed).
    """

    source: str  # "front-matter" | "sidecar" | "none"
    genes: list[Entry] = field(default_factory=list)
    chemicals: list[Entry] = field(default_factory=list)
    diseases: list[Entry] = field(default_factory=list)
    kinds: frozenset = frozenset()
    tables: dict = field(default_factory=dict)
    table_problems: list[Problem] = field(default_factory=list)

    @property
    def available(self) -> bool:
        return self.source != "none"

    def has(self, kind: str) -> bool:
        return kind in self.kinds

    def entries(self, kind: str) -> list[Entry]:
        return getattr(self, kind) if kind in KINDS else []

    def gene_field(self, role: str) -> str | None:
        """The field of a gene entry holding its ``symbol``, ``id`` or
        ``organism`` for this source (``hgnc_symbol`` / ``ncbigene_symbol``…)."""
        return GENE_FIELDS.get(self.source, {}).get(role)


def attach(rec, ctx) -> None:
    """Set ``rec.annotations``. Never raises for bad data or bad tables."""
    rec.annotations = load(rec, ctx)


def load(rec, ctx) -> Annotations:
    data = rec.data if isinstance(rec.data, dict) else {}
    if any(kind in data for kind in KINDS):
        return _from_front_matter(data)
    return _from_sidecars(rec, getattr(ctx, "options", None) or {})


def _from_front_matter(data: dict) -> Annotations:
    lists: dict[str, list[Entry]] = {}
    kinds = set()
    for kind in KINDS:
        items = data.get(kind)
        if isinstance(items, list):
            kinds.add(kind)
            lists[kind] = [
                Entry(item, path=f"/{kind}/{i}")
                for i, item in enumerate(items)
                if isinstance(item, dict)
            ]
    return Annotations("front-matter", kinds=frozenset(kinds), **lists)


# -- sidecar tables ------------------------------------------------------------------
def sidecar_locations(fs_path, filename: str, options: dict) -> dict[str, tuple[str, str]] | None:
    """``kind -> (path on disk, display path)`` of the sidecar tables of the
    record at ``fs_path`` shown as ``filename`` (whether they exist or not), or
    ``None`` when the record has no place for them (in-memory text, not in a
    ``_figures/`` folder); a bad pattern raises a :class:`ValueError` naming
    the problem."""
    if fs_path is None:
        return None
    fs_dir, base = os.path.split(os.fspath(fs_path))
    data_dir = options.get("data-dir")
    pattern = options.get("sidecar-pattern")
    if not isinstance(pattern, str) or not pattern:
        pattern = DEFAULT_PATTERN
    data_dir = data_dir if isinstance(data_dir, str) else None
    folder_name = os.path.basename(fs_dir)
    if folder_name in ("", ".", ".."):  # `check .` inside _figures: its real name
        folder_name = os.path.basename(os.path.abspath(fs_dir))
    place = _tables_place(fs_dir, os.path.dirname(filename or ""), data_dir, folder_name)
    if place is None:
        return None
    disk, shown = place
    figid = os.path.splitext(base)[0]
    out = {}
    for kind in KINDS:
        try:
            name = pattern.format(figid=figid, kind=kind)
        except (KeyError, IndexError, ValueError, AttributeError) as exc:
            raise ValueError(
                f"sidecar-pattern {pattern!r} is invalid ({type(exc).__name__}: {exc}); "
                "expected a file name using {figid} and {kind}"
            ) from None
        if not name or name.startswith(".") or "/" in name or os.sep in name or shown == ".":
            out[kind] = (os.path.join(disk, name), os.path.normpath(os.path.join(shown, name)))
        else:  # the same as joining and normalising, without its cost
            out[kind] = (disk + name, shown + name)
    return out


def table_regex(pattern: str) -> re.Pattern | None:
    """A regex for table names written with ``pattern`` (``None`` when the
    pattern cannot name a figure's table)."""
    if "{figid}" not in pattern:
        return None
    try:
        pattern.format(figid="x", kind="genes")
    except (KeyError, IndexError, ValueError, AttributeError):
        return None
    out = re.escape(pattern)
    out = out.replace(re.escape("{figid}"), "(?P<figid>.+)", 1)
    out = out.replace(re.escape("{figid}"), "(?P=figid)")
    kinds = "|".join(KINDS)
    if "{kind}" in pattern:
        out = out.replace(re.escape("{kind}"), f"(?P<kind>{kinds})", 1)
        out = out.replace(re.escape("{kind}"), "(?P=kind)")
    try:
        return re.compile(out)
    except re.error:
        return None


def record_of_table(path: str, options: dict) -> str | None:
    """The record whose sidecar table ``path`` is (``path`` as given, the
    record's path built from it), or None when ``path`` is not named as a
    table or its record does not exist. The records' folder is found back
    from the tables' folder: the folder ``data-dir`` leads from to it
    (``_figures`` beside ``_data`` by default), looked for among the tables'
    folder, its parent and the parent's subfolders."""
    pattern = options.get("sidecar-pattern")
    if not isinstance(pattern, str) or not pattern:
        pattern = DEFAULT_PATTERN
    data_dir = options.get("data-dir")
    data_dir = data_dir if isinstance(data_dir, str) and data_dir else None
    regex = table_regex(pattern)
    if regex is None:
        return None
    parts = os.path.normpath(path).split(os.sep)
    depth = pattern.count("/") + 1
    if len(parts) <= depth - 1:
        return None
    m = regex.fullmatch("/".join(parts[-depth:]))
    if m is None:
        return None
    data = os.sep.join(parts[:-depth]) or "."
    parent = os.path.dirname(os.path.abspath(data))
    candidates = [os.path.join(data, os.pardir, "_figures"), data, os.path.join(data, os.pardir)]
    if data_dir:
        try:
            with os.scandir(parent) as it:
                subs = sorted(e.name for e in it if e.is_dir())
        except OSError:
            subs = []
        candidates += [os.path.join(data, os.pardir, name) for name in subs]
    target = os.path.abspath(data)
    for folder in candidates:
        folder = os.path.normpath(folder)
        if data_dir is None and os.path.basename(os.path.abspath(folder)) != "_figures":
            continue
        leads = os.path.join(folder, data_dir or DEFAULT_DATA_DIR)
        if os.path.abspath(leads) != target:
            continue
        record = os.path.join(folder, m.group("figid") + ".md")
        if os.path.isfile(record):
            return record
    return None


@functools.lru_cache(maxsize=256)
def _tables_place(
    fs_dir: str, display_dir: str, data_dir: str | None, folder_name: str
) -> tuple[str, str] | None:
    """The tables' folder on disk and as shown (normalised), each ending in a
    separator, for the records of one folder (named ``folder_name``); None
    when that folder has no place for tables (no data-dir configured and not
    a ``_figures`` folder)."""
    if not data_dir:
        if folder_name != "_figures":
            return None
        data_dir = DEFAULT_DATA_DIR
    shown = os.path.normpath(os.path.join(display_dir, data_dir))
    return os.path.join(fs_dir, data_dir, ""), shown if shown == "." else os.path.join(shown, "")


# folder -> (mtime_ns, names, casefolded names) of the tables' folders listed
_LISTINGS: dict[str, tuple[int, frozenset[str], frozenset[str]]] = {}
_SETTLED_NS = 2_000_000_000  # a folder changed this recently is not cached


def _listing(folder: str):
    """The names in ``folder`` (and their casefolded forms) from a listing read
    once per process while the folder is unchanged, so that a missing table
    costs one ``stat`` of its folder instead of a failed ``open``; ``()``
    when the folder does not exist, None when unsure (a folder modified in
    the last seconds is not cached: its timestamp may not show the next
    change), and then ``open`` decides."""
    try:
        mtime = os.stat(folder).st_mtime_ns
    except (FileNotFoundError, NotADirectoryError):
        return ()
    except OSError:
        return None
    entry = _LISTINGS.get(folder)
    if entry is None or entry[0] != mtime:
        if time.time_ns() - mtime < _SETTLED_NS:
            return None
        try:
            names = os.listdir(folder)
        except OSError:
            return None
        if len(_LISTINGS) >= 64:
            _LISTINGS.clear()
        entry = _LISTINGS[folder] = (
            mtime,
            frozenset(names),
            frozenset(n.casefold() for n in names),
        )
    return entry[1:]


def _may_exist(path: str, listings: dict | None = None) -> bool:
    """False when ``path`` surely does not exist (see :func:`_listing`);
    ``listings`` remembers the folders' listings over one record's tables."""
    folder, name = os.path.split(path)
    if listings is None:
        listings = {}
    if folder not in listings:
        listings[folder] = _listing(folder)
    found = listings[folder]
    if found is None:
        return True
    if not found:
        return False
    return name in found[0] or name.casefold() in found[1]


def sidecar_gene_rows(rec, options: dict) -> list[Entry]:
    """The rows of the record's sidecar genes table, also for a record whose
    front matter has lists of its own (which :func:`load` prefers): GN109
    judges the sidecar gene rows of such records too, GN113 their species.
    Empty when there is no usable table; only that table is read; never
    raises. The last record's rows are kept for the next rule that asks
    (keyed on the record object and the options, not on any text)."""
    last = _LAST_ROWS
    if last[0] is rec and last[1] == options:
        return last[2]
    rows = _sidecar_gene_rows(rec, options)
    last[:] = [rec, options, rows]
    return rows


# the last record (object) whose sidecar gene rows were read: [rec, options, rows]
_LAST_ROWS: list = [None, None, []]


def _sidecar_gene_rows(rec, options: dict) -> list[Entry]:
    options = options or {}
    try:
        where = sidecar_locations(getattr(rec, "fs_path", None), rec.filename, options)
    except ValueError:
        return []
    if not where or "genes" not in where:
        return []
    fs, display = where["genes"]
    if not _may_exist(fs):
        return []
    limit = options.get("max-file-size") or MAX_TABLE_BYTES
    table = read_table(fs, display, "genes", limit)
    return table.entries if table is not None and table.usable else []


def _from_sidecars(rec, options: dict) -> Annotations:
    try:
        where = sidecar_locations(getattr(rec, "fs_path", None), rec.filename, options)
    except ValueError as exc:
        return Annotations("none", table_problems=[Problem("", str(exc))])
    if where is None:
        return Annotations("none")
    listings: dict = {}
    limit = options.get("max-file-size") or MAX_TABLE_BYTES
    return from_tables(
        (kind, display, read_table(fs, display, kind, limit) if _may_exist(fs, listings) else None)
        for kind, (fs, display) in where.items()
    )


def from_tables(found) -> Annotations:
    """The annotations of the sidecar tables read: ``found`` gives (kind,
    display name, :class:`Table` or None when there is none), in order."""
    lists: dict[str, list[Entry]] = {}
    kinds = set()
    tables = {}
    problems: list[Problem] = []
    for kind, display, table in found:
        if table is None:
            continue
        tables[kind] = display
        problems.extend(table.problems)
        if table.usable:
            kinds.add(kind)
            lists[kind] = table.entries
    if not tables:
        return Annotations("none")
    return Annotations(
        "sidecar", kinds=frozenset(kinds), tables=tables, table_problems=problems, **lists
    )


@dataclass
class Table:
    kind: str
    file: str  # display path
    columns: list[str] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    usable: bool = False


def _line_span(line_no: int, start: int, length: int) -> Span:
    return Span(line_no, 1, line_no, length + 1, start, start + length)


def read_table(
    fs: str | Path, display: str, kind: str, limit: int = MAX_TABLE_BYTES
) -> Table | None:
    """Read one sidecar table; ``None`` when it does not exist. A table that
    is not a regular file (a FIFO…) or is larger than ``limit`` bytes is a
    problem and is not read: memory and time stay bounded by ``limit``."""
    table = Table(kind, display)

    def problem(message: str, span: Span | None = None) -> None:
        table.problems.append(
            Problem("", f"{kind} table: {message}", span=span or _line_span(1, 0, 0), file=display)
        )

    try:
        fd, st = open_regular(fs)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        problem(f"cannot read the file: {exc.strerror or exc}")
        return table
    try:
        if st.st_size > limit:
            problem(f"larger than {limit} bytes (max-file-size), not read")
            return table
        raw = read_fd(fd, st.st_size, limit + 1)
    except OSError as exc:
        problem(f"cannot read the file: {exc.strerror or exc}")
        return table
    finally:
        os.close(fd)
    if len(raw) > limit:  # it grew while read
        problem(f"larger than {limit} bytes (max-file-size), not read")
        return table
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_no = raw.count(b"\n", 0, exc.start) + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        col = len(raw[line_start : exc.start].decode("utf-8", "replace")) + 1
        span = Span(line_no, col, line_no, col + 1, 0, 0)
        problem(f"not UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded", span)
        return table
    del raw
    pos = 1 if text.startswith("\ufeff") else 0
    end = len(text)
    if text.endswith("\n"):
        end -= 1  # the final newline ends the last row
    if pos == len(text):
        problem("the file is empty, expected a header row of tab-separated column names")
        return table
    find = text.find
    nl = find("\n", pos, end)
    if nl == -1:
        nl = end
    header = text[pos:nl].rstrip("\r")
    cr = header.find("\r")
    if cr != -1:
        # lines that end in CR alone (classic Mac OS): the whole table would be
        # one header line; it is not read (FM107), like any unusable header
        problem(
            "line 1 holds a carriage return (CR) not followed by a line feed: "
            "a table whose lines end in CR alone is not read; expected LF (or CRLF) line endings",
            _line_span(1, pos, cr),
        )
        return table
    columns = header.split("\t")
    table.columns = columns
    header_span = _line_span(1, pos, len(header))
    if not header.strip():
        problem("line 1 is blank, expected a header row of tab-separated column names")
        return table
    dupes = _repeated(columns)
    if dupes:
        problem(f"header repeats column {quote(min(dupes), 200)}", header_span)
        return table
    missing = [c for c in REQUIRED_COLUMNS[kind] if c not in columns]
    if missing:
        problem(
            f"header lacks column {missing[0]!r}"
            + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else "")
            + f"; expected the columns {', '.join(REQUIRED_COLUMNS[kind])}",
            header_span,
        )
        return table
    table.usable = True
    width = len(columns)
    entries = table.entries
    line_no = 1
    while nl < end:  # one row at a time: no list of lines beside the text
        start = nl + 1
        nl = find("\n", start, end)
        if nl == -1:
            nl = end
        line_no += 1
        ln = text[start:nl]
        if ln.endswith("\r"):
            ln = ln[:-1]
        values = ln.split("\t")
        if len(values) != width:
            span = _line_span(line_no, start, len(ln))
            if ln.strip() == "":
                problem(f"line is blank, expected a row of {width} tab-separated columns", span)
            else:
                n = len(values)
                problem(
                    f"row has {n} column{'s' if n != 1 else ''}, expected {width} as in the header",
                    span,
                )
            continue
        fields = {c: (None if v == MISSING else v) for c, v in zip(columns, values)}
        entries.append(Entry(fields, file=display, span=_line_span(line_no, start, len(ln))))
    return table


def _repeated(columns: list[str]) -> set[str]:
    """The names that occur more than once (one pass: a header of 100,000
    columns costs no more than its length)."""
    seen: set[str] = set()
    twice: set[str] = set()
    for c in columns:
        if c in seen:
            twice.add(c)
        else:
            seen.add(c)
    return twice
