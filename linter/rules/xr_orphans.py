"""XR104 – a sidecar table without a record (a collection rule: see
:mod:`linter.rules.xr` for how collection rules read the run's index)."""

from __future__ import annotations

import glob
import os
import re

from linter.base.model import Problem
from linter.base.paths import folder_prefix
from linter.base.paths import split as split_path
from linter.base.paths import stem as stem_of
from linter.reading.annotations import DEFAULT_DATA_DIR, DEFAULT_PATTERN
from linter.reading.annotations import table_regex as _table_regex
from linter.rules.registry import rule
from linter.rules.xr import _NO_LOC, _shared, _span


def _folder_index(rec, ctx):
    """The record's folder and file name's stem, as ``(folder, stem)``; ``()``
    when they are those of the name it is shown under (the common case: the
    rule takes them from there, and the index holds one shared empty tuple)."""
    fs_path = getattr(rec, "fs_path", None)
    if fs_path is None:  # text linted from memory: no folder, no tables
        return None
    fs_path = os.fspath(fs_path)
    if fs_path == rec.filename:
        return ()
    folder, name = os.path.split(fs_path)
    return (_shared(folder), os.path.splitext(name)[0])


# -- XR104 ---------------------------------------------------------------------------
def _under(path: str, folders: list[str]) -> bool:
    return any(path == d or path.startswith(d.rstrip(os.sep) + os.sep) for d in folders)


def _tables(data_dir: str, pattern: str, regex: re.Pattern):
    """``(relative name, figid)`` of each file in ``data_dir`` named as a table."""
    if "/" not in pattern:
        try:
            with os.scandir(data_dir) as it:
                names = sorted(e.name for e in it if e.is_file())
        except OSError:
            return
    else:
        shape = glob.escape(pattern).replace("{figid}", "*").replace("{kind}", "*")
        root = glob.escape(data_dir)
        names = sorted(
            os.path.relpath(p, data_dir).replace(os.sep, "/")
            for p in glob.glob(os.path.join(root, shape))
            if os.path.isfile(p)
        )
    for name in names:
        m = regex.fullmatch(name)
        if m:
            yield name, m.group("figid")


@rule(
    "XR104",
    "orphan-sidecar",
    "warning",
    scope="collection",
    # it lists the data folders too: never answered from the index's memo
    options={"index": _folder_index, "outside-index": True},
)
def orphan_sidecar(items, ctx):
    """A sidecar table has no record.

    What: a table in the collection's data folder named like a record's
    sidecar table (`_data/<figid>-genes.tsv`, `-chemicals.tsv`,
    `-diseases.tsv`) for which no record `_figures/<figid>.md` exists.
    Reported at line 1 of the table. Only checked when the whole record
    folder was linted: a data folder is looked at only when its record
    folder (`_figures`), or a folder containing it (the collection root,
    `.`), is among the directories on the command line — never for
    individual files, as pre-commit passes them. Without the option
    `data-dir`, only record folders named `_figures` have tables, as for the
    other rules that read them.
    Why: a table whose record was renamed or deleted is dead data; a record
    renamed by hand (a new `figid`) loses its genes, chemicals and diseases
    without any error.
    Options: `data-dir` (the tables' folder relative to the record's folder,
    default `../_data`), `sidecar-pattern` (default `{figid}-{kind}.tsv`).
    Fails:
        # _figures/ holds PMC10030845__fimmu-14-1150879-g001.md only
        _data/PMC10030845__fimmu-14-1150879-g002-genes.tsv
    Passes:
        # _figures/ holds PMC10030845__fimmu-14-1150879-g001.md
        _data/PMC10030845__fimmu-14-1150879-g001-genes.tsv
    """
    options = ctx.options or {}
    linted = [
        os.path.realpath(p) for p in ctx.settings.paths if isinstance(p, str) and os.path.isdir(p)
    ]
    if not linted:
        return
    data_dir = options.get("data-dir")
    explicit = isinstance(data_dir, str) and bool(data_dir)
    if not explicit:
        data_dir = DEFAULT_DATA_DIR
    pattern = options.get("sidecar-pattern")
    if not isinstance(pattern, str) or not pattern:
        pattern = DEFAULT_PATTERN
    regex = _table_regex(pattern)
    if regex is None:  # FM107 reports a bad pattern
        return

    # record folders whose tables are checked: real path -> display path, and
    # the stems of the records linted in each
    decided: dict[str, str | None] = {}  # folder as indexed -> real path or None
    display: dict[str, str] = {}
    stems: dict[str, set[str]] = {}

    def add(folder: str, shown: str) -> str | None:
        if folder in decided:
            return decided[folder]
        real = os.path.realpath(folder)
        if not _under(real, linted) or not (explicit or os.path.basename(real) == "_figures"):
            real = None
        else:
            display.setdefault(real, shown)
            stems.setdefault(real, set())
        decided[folder] = real
        return real

    # the files of one folder come together: while a name is the last
    # folder's ``folder/`` and a base name, that folder's set takes its stem
    prefix, into = None, None  # ``folder/`` and its stems (None: not checked)
    cut = 0  # len(prefix)
    for filename, value in items:
        if value:
            folder, stem = value
            shown = os.path.dirname(filename)
        else:  # the file's own folder and stem
            # (a file of the last folder, see folder_prefix)
            base = filename[cut:] if prefix is not None and filename.startswith(prefix) else None
            if base and "/" not in base:
                if into is not None:
                    into.add(stem_of(base))
                continue
            folder, base = split_path(filename)
            shown = folder
            stem = stem_of(base)
            real = add(folder, shown)
            prefix = folder_prefix(folder)
            cut = len(prefix) if prefix is not None else 0
            into = stems[real] if real is not None else None
            if into is not None:
                into.add(stem)
            continue
        real = add(folder, shown)
        if real is not None:
            stems[real].add(stem)
    for arg in ctx.settings.paths:  # a `_figures` folder with no readable record
        if isinstance(arg, str) and os.path.isdir(arg):
            for candidate in (arg, os.path.join(arg, "_figures")):
                is_figures = os.path.basename(os.path.normpath(candidate)) == "_figures"
                if is_figures and os.path.isdir(candidate):
                    add(os.path.normpath(candidate), os.path.normpath(candidate))

    # data folder -> the record folders whose tables it holds
    owners: dict[str, list[str]] = {}
    shown_data: dict[str, str] = {}
    for real in sorted(display):
        data = os.path.normpath(os.path.join(real, data_dir))
        owners.setdefault(data, []).append(real)
        shown_data.setdefault(data, os.path.normpath(os.path.join(display[real], data_dir)))

    for data, folders in owners.items():
        for name, figid in _tables(data, pattern, regex):
            if any(figid in stems[f] for f in folders):
                continue
            if any(os.path.isfile(os.path.join(f, figid + ".md")) for f in folders):
                continue  # a record that was not linted (unreadable, excluded)
            record = os.path.join(display[folders[0]], figid + ".md")
            yield Problem(
                "",
                f"sidecar table {name!r} has no record: no {record} for figid {figid!r}",
                span=_span(_NO_LOC),
                file=os.path.join(shown_data[data], name),
            )
