"""The check pipeline as a library.

:class:`Check` owns a whole run, from configuration to results: it finds and
validates the configuration, discovers the records, lints them (worker
processes, results cache, or fixes), runs the collection (XR) pass over the
index gathered on the way, applies suppressions, and reports whether the run
fails. It prints nothing: ``linter.cli.check`` parses the command line, drives a
``Check`` and hands its results to a reporter.

:func:`lint` is the same pipeline for Python callers (a notebook, a script):
findings come back as plain dicts, the JSON output's objects::

    from linter import lint

    for finding in lint(["_figures"], select=["NA", "ID"]):
        print(finding["filename"], finding["location"]["row"], finding["code"])
"""

from __future__ import annotations

import os
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from linter.engine import (
    SUPPRESS_KEY,
    CollectionIndex,
    FileResult,
    InternalError,
    Linter,
    RenderedFiles,
    collection_findings,
    fails,
    fix_text,
    lint_files,
    read_for_fix,
    withhold,
    write_fix,
)
from linter.engine.fingerprint import real_path, relative
from linter.engine.serialize import LineIndexes, finding_dict
from linter.pipeline import baseline
from linter.pipeline.baseline import Matcher
from linter.pipeline.config import (
    ConfigError,
    Overrides,
    build_settings,
    common_folder,
    load_config,
)
from linter.pipeline.discovery import (
    DEFAULT_EXCLUDE,
    DEFAULT_INCLUDE,
    PathError,
    Problems,
    default_paths,
    discover,
)
from linter.reading.annotations import record_of_table
from linter.reading.files import linked_outside
from linter.reading.record import _LineIndex
from linter.rules.registry import family_rules

__all__ = [
    "Check",
    "CheckOptions",
    "ConfigError",
    "InternalError",
    "LintError",
    "PathError",
    "lint",
]

# --changed-since: how many unchanged files are probed to tell whether the
# results cache of a whole run answers for them
CONTEXT_PROBE = 32


@dataclass
class CheckOptions:
    """What a check is asked to do (the ``check`` command's options)."""

    paths: list[str] | None = None  # None: the configured paths, else seeds/, else .
    config: str | None = None  # an explicit configuration file
    select: list[str] | None = None  # replaces the configured selection
    extend_select: list[str] | None = None
    ignore: list[str] | None = None
    fail_on: str | None = None
    jobs: int | None = None  # worker processes (default: CPU count)
    cache: bool = True  # read and write the results cache (when configured so)
    fix: bool = False
    unsafe_fixes: bool = False
    diff: bool = False  # compute fixes, write nothing (see ``Check.on_diff``)
    fix_hard_links: bool = False  # fix a file with other hard links, through them
    follow_symlinks: bool = False  # read (never fix) files links place outside the tree
    respect_gitignore: bool = True  # skip what .gitignore files ignore (folder walks)
    force_exclude: bool = False  # include/exclude apply to paths named explicitly too
    cwd: Path | None = None  # the working directory (default: the process's)
    text: str | None = None  # lint this text instead of files ...
    filename: str = "<text>"  # ... shown under this name
    # ... and placed there (--stdin-filename): its configuration, its sidecar tables
    text_at_filename: bool = False
    baseline: str | None = None  # report only findings not in this baseline
    no_baseline: bool = False  # ignore the configured baseline
    # keep the baseline's findings, marked (``Finding.extra["baselined"]``),
    # instead of dropping them: the curators' report shows the whole backlog
    mark_baselined: bool = False
    write_baseline: str | None = None  # record this run's findings there
    changed_since: str | None = None  # lint the records changed against this git ref
    # the text the results cache keeps of a file's findings, findings -> str
    # (the command line: the concise format's), printed by a warm run
    # whose reporter prints just that (``Reporter.prints_brief``)
    brief: Callable[[list], str] | None = None


class LintError(Exception):
    """Some files could not be linted (``errors``); ``findings`` holds the
    findings of the others."""

    def __init__(self, errors: list[str], findings: list[dict]):
        super().__init__("; ".join(errors))
        self.errors = errors
        self.findings = findings


class Check:
    """One run of the check pipeline.

    Building it reads the configuration (:class:`ConfigError`) and discovers
    the files (:class:`PathError`); :meth:`results` then streams one
    :class:`FileResult` per file, in order, and last, when the collection
    rules found something, one with an empty ``filename`` holding the
    collection findings. A file that could not be linted is a result with
    ``error`` set (also kept in ``errors``). After the iteration ``failed``
    says whether a finding reached the failing severity, and ``fixed`` how
    many fixes were written.
    """

    def __init__(
        self,
        options: CheckOptions | None = None,
        *,
        on_diff: Callable[[str, str, str], None] | None = None,
    ):
        self.options = opts = options or CheckOptions()
        self.on_diff = on_diff  # (filename, text, fixed text) for --diff
        cwd = opts.cwd or Path.cwd()
        given = [os.fspath(p) for p in opts.paths] if opts.paths else None
        # the configuration of the files linted, wherever the command runs
        start = common_folder(given, cwd) if given and opts.text is None else cwd
        if opts.text is not None and opts.text_at_filename:
            start = common_folder([opts.filename], cwd)
        self.config = config = load_config(opts.config, cwd, start=start)
        self.settings = settings = build_settings(
            config,
            Overrides(
                select=opts.select,
                extend_select=opts.extend_select,
                ignore=opts.ignore,
                fail_on=opts.fail_on,
            ),
        )
        # what discovery met besides records: notes (skipped special files)
        # and errors (folders that cannot be listed: exit 2, the rest linted)
        self.problems = Problems()
        self.baseline, self.recorder = self._baselines(opts, config)
        self.changed: set[str] | None = None  # --changed-since: real paths
        self.context: list[tuple[str, str]] = []  # unchanged files, read for the XR index
        if opts.text is not None:
            self.paths: list[str] = []
            self.files: list[tuple[str, str]] = []
        else:
            if given:
                self.paths = self._tables_to_records(given)
            elif config.get("paths"):
                self.paths = [_display(config.root / p, cwd) for p in config.get("paths")]
            else:
                self.paths = default_paths(cwd)
            include = list(config.get("include", DEFAULT_INCLUDE))
            include += list(config.get("extend-include", []))
            exclude = list(config.get("exclude", DEFAULT_EXCLUDE))
            exclude += list(config.get("extend-exclude", []))
            # --changed-since: git lists the changes while the files are discovered
            changes = None
            if opts.changed_since is not None:
                # start-up: subprocess is imported only by a run that asks git
                from linter.pipeline.changes import Changes

                changes = Changes(opts.changed_since, str(cwd))
            try:
                # plain strings: the display name is the path (a Path object per
                # file would cost memory for the whole run)
                self.files = [
                    (str(path), name)
                    for path, name in discover(
                        self.paths,
                        include,
                        exclude,
                        config.root,
                        self.problems,
                        follow_symlinks=opts.follow_symlinks,
                        respect_gitignore=opts.respect_gitignore
                        and config.get("respect-gitignore", True),
                        force_exclude=opts.force_exclude or config.get("force-exclude", False),
                    )
                ]
            except BaseException:
                if changes is not None:
                    changes.close()  # (git's listings stopped, not left running)
                raise
            if changes is not None:
                self._only_changed(changes.result())
        settings.paths = tuple(self.paths)
        settings.follow_symlinks = opts.follow_symlinks
        self.failed = False
        self.fixed = 0
        self.would_fix = 0  # --diff: the fixes the diff shows
        self.fixed_text: str | None = None  # --stdin-filename with --fix: the fixed text
        self.errors: list[str] = list(self.problems.errors)
        self._extra: set[str] = {""}  # names of the results that are not a linted file

    def _baselines(self, opts: CheckOptions, config):
        """The baseline that filters (``--baseline``, else the configured
        ``baseline``) and the one that records (``--write-baseline``)."""

        if opts.write_baseline:  # recording: nothing is reported, nothing filtered
            return None, Matcher(opts.write_baseline)
        path = opts.baseline
        if path is None and config.get("baseline") and not opts.no_baseline:
            path = os.fspath(config.root / config.get("baseline"))
        return (Matcher.open(path) if path else None), None

    def _tables_to_records(self, paths: list[str]) -> list[str]:
        """A sidecar table given as a path stands for its record (pre-commit
        passes the files of a commit); a table without a record is left out
        (XR104 reports it when the collection is linted)."""

        out: dict[str, None] = {}  # in order, once each
        for p in paths:
            if p.endswith(".tsv") and os.path.isfile(p):
                record = record_of_table(p, self.settings.options)
                if record is None:
                    continue
                p = record
            out[p] = None
        return list(out)

    def _only_changed(self, changed: set[str]) -> None:
        """Keep in ``files`` the records among ``changed`` (the files changed
        against ``--changed-since``'s revision; a changed sidecar table
        changes its record); the others stay in ``context``, read for the
        collection rules only."""
        for path in list(changed):
            if path.endswith(".tsv"):
                record = record_of_table(path, self.settings.options)
                if record is not None:
                    changed.add(os.path.realpath(record))
        self.changed = changed
        files, context = [], []
        self._positions = positions = []  # of the changed files in the discovery order
        # a file's real path ends in its own name: only those names need resolving
        names = {os.path.basename(p) for p in changed}
        ends = tuple(names)  # (a file not ending so is none of them: one call per file)
        basename = os.path.basename
        for i, item in enumerate(self.files):
            path = item[0]
            if path.endswith(ends) and basename(path) in names and real_path(path) in changed:
                files.append(item)
                positions.append(i)
            else:
                context.append(item)
        self.files, self.context = files, context

    # -- the pipeline ---------------------------------------------------------------
    def selected_rules(self):

        select = self.settings.select
        return [r for c, r in family_rules({c[:2] for c in select}).items() if c in select]

    def _cache(self, settings, keep: bool = True):
        """The results cache of ``settings`` (None when caching is off); with
        ``keep``, the run's cache, whose folder holds the collection memo."""
        opts = self.options
        if not (opts.cache and self.config.get("cache", True)):
            return None
        # start-up: sqlite3 is imported only by a run that uses the cache
        from linter.pipeline.cache import Cache

        root = self.config.root if self.config.path else (opts.cwd or Path.cwd())
        mode = self.config.get("cache-key", default_key_mode())
        # a second cache of the run (--changed-since's context) reuses git's answers
        made = Cache(
            root, settings, key_mode=mode, git=getattr(self, "_made", None), brief=opts.brief
        )
        if keep:
            self._made = made
        return made

    def _collection_memo(self):
        """The collection pass's memo beside the run's results cache (None
        without one, or once the cache is disabled)."""
        cache = getattr(self, "_made", None)
        if cache is None or cache.disabled or cache._mac is None:
            return None
        from linter.pipeline.cache_xr import CollectionMemo  # with the cache only

        return CollectionMemo(cache)

    def _per_file(self, render=None) -> Iterator[FileResult | RenderedFiles]:
        opts, settings = self.options, self.settings
        if opts.text is not None:
            yield self._lint_text(opts)
        elif opts.fix or opts.diff:
            yield from self._fix_files()
        else:
            if self.baseline is not None or self.recorder is not None or self.changed is not None:
                render = None  # a result's findings are needed here
            yield from lint_files(
                self.files, settings, jobs=opts.jobs, cache=self._cache(settings), render=render
            )

    def _context_index(self, codes: list[str]) -> Iterator[FileResult]:
        """The unchanged files of a ``--changed-since`` run, read for the
        collection rules' index only: from the results cache of a whole run
        when it answers (a CI cache restored from the main branch), else read
        with the collection rules alone (no record rule runs on them). When
        that cache holds no current entry for most of them (none written by
        this version and configuration: an upgrade, a new clone), the index
        comes from, and is kept in, a cache of the collection rules alone:
        the next such run reads it instead of every file."""
        if not self.context or not codes:
            return
        from dataclasses import replace

        only = replace(self.settings, select=frozenset(codes), options=self.settings.options)
        cache, jobs = self._cache(self.settings), self.options.jobs
        if cache is not None and not cache.disabled:
            sample = self.context[:: max(1, len(self.context) // CONTEXT_PROBE)]
            if 2 * cache.holds([path for path, _ in sample]) < len(sample):
                own = self._cache(only, keep=False)
                yield from lint_files(self.context, only, jobs=jobs, cache=own, index_only=True)
                return
        yield from lint_files(
            self.context, self.settings, jobs=jobs, cache=cache, miss_settings=only
        )

    def is_file(self, result: FileResult) -> bool:
        """Whether ``result`` is a linted file's (not the collection findings,
        nor the baseline's unused entries)."""
        return result.filename not in self._extra

    def results(self, render=None) -> Iterator[FileResult | RenderedFiles]:
        """The run's results in order: each file's, then the collection
        findings', then the baseline's unused entries. With ``render``
        (cached results -> (the reporter's part, summary counts)), runs
        of files the results cache answers may come as :class:`RenderedFiles`
        instead, read and rendered by worker processes."""
        settings = self.settings
        collection = [r.code for r in self.selected_rules() if r.scope == "collection"]
        index = CollectionIndex([SUPPRESS_KEY, *collection])
        held = []  # --changed-since: the changed files' entries, put in order below
        for res in self._per_file(render):
            if type(res) is RenderedFiles:  # (no baseline, no --changed-since: see _per_file)
                index.extend(res.index)
                self.failed = self.failed or res.failed
                yield res
                continue
            entries = None if res.error else res.index
            if self.changed is not None:
                held.append((self._positions[len(held)], res.filename, entries))
            elif entries:
                index.add(res.filename, entries)
            if res.error:
                self.errors.append(res.error)
            else:
                res.findings = self._baselined(res.findings, res.filename)
                self.failed = self.failed or fails(_live(res.findings), settings.fail_on)
            yield res
        if self.changed is not None:
            self._merge_index(index, held, self._context_index(collection))
        if index or collection:
            xr = collection_findings(index, settings, memo=self._collection_memo())
            if self.changed is not None:
                xr = [f for f in xr if self._involves_changed(f)]
            xr = self._baselined(xr)
            if xr:
                self.failed = self.failed or fails(_live(xr), settings.fail_on)
                yield FileResult("", xr)
        if self.baseline is not None and "FM198" in settings.select:
            linted = self._linted(self.baseline)
            unused = self.baseline.unused(
                lambda key: key.code in settings.select and linted(key.file)
            )
            if unused:
                self._extra.add(self.baseline.path)
                self.failed = self.failed or fails(unused, settings.fail_on)
                yield FileResult(self.baseline.path, unused)
        if self.recorder is not None and not self.errors:
            self.write_baseline()

    def _merge_index(self, index, held, context) -> None:
        """Add the changed files' index entries (``held``: position, name,
        entries) and the unchanged files' in the order of a whole run, so
        that the collection rules decide as they would over the collection
        (XR102 breaks ties by file order). A worker's batch of unchanged
        files that no changed file sits among is added whole."""
        held = [h for h in held if h[2]]
        k = 0
        position = -1
        changed = sorted(self._positions)
        changed_at = set(changed)

        def add_held(before: int) -> None:
            nonlocal k
            while k < len(held) and held[k][0] < before:
                index.add(held[k][1], held[k][2])
                k += 1

        for res in context:
            if type(res) is RenderedFiles:
                first, n = position + 1, len(res.names)
                while first in changed_at:  # (as the loop below skips them)
                    first += 1
                i = bisect_left(changed, first)
                if i == len(changed) or changed[i] >= first + n:  # none among them
                    add_held(first)
                    index.extend(res.index)
                    position = first + n - 1
                    continue
            for name, entries in _index_entries((res,)):
                position += 1
                while position in changed_at:  # a changed file sat here
                    position += 1
                add_held(position)
                if entries:
                    index.add(name, entries)
        for _, name, entries in held[k:]:
            index.add(name, entries)

    def _involves_changed(self, finding) -> bool:
        """A collection finding concerns a changed record: it is on one, or
        names one (the other files of a duplicate, say)."""

        if real_path(finding.filename) in self.changed:
            return True
        return any(name in finding.message for _, name in self.files)

    # -- baseline -------------------------------------------------------------------
    def _baselined(self, findings, filename: str | None = None):
        for matcher in (self.recorder, self.baseline):
            if matcher is not None:
                if filename is not None:
                    matcher.file_linted(filename)
                mark = matcher is self.baseline and self.options.mark_baselined
                findings = matcher.filter(findings, mark=mark)
        return findings

    def _linted(self, matcher):
        """``is_linted(key)`` for ``matcher``'s entries: the entry's file was
        linted in this run, or it is a sidecar table of a record that was."""

        options = self.settings.options

        def is_linted(file: str) -> bool:
            if file in matcher.linted:
                return True
            if not file.endswith(".tsv"):
                return False
            record = record_of_table(os.path.join(matcher.root, file), options)
            return record is not None and relative(record, matcher.root) in matcher.linted

        return is_linted

    def write_baseline(self) -> None:
        """Write ``--write-baseline``: this run's findings, and the entries the
        file had for files this run did not lint."""

        rec = self.recorder
        previous = baseline.load(rec.path)[0] if os.path.isfile(rec.path) else None
        baseline.write(rec.path, rec.to_write(previous or {}, self._linted(rec)))

    # -- fixes ----------------------------------------------------------------------
    def _lint_text(self, opts: CheckOptions) -> FileResult:
        """``text`` linted. Placed at its file name (``--stdin-filename``):
        read as that file's bytes would be (``text`` holds them decoded with
        ``surrogateescape``), and with ``fix`` or ``diff`` fixed, the result
        in ``fixed_text`` (nothing is written)."""
        linter = Linter(self.settings)
        self.fixed_text = opts.text
        if not opts.text_at_filename:
            return linter.lint_text(opts.text, opts.filename)
        path = Path(opts.filename)
        raw = opts.text.encode("utf-8", "surrogateescape")
        try:
            raw.decode("utf-8")
            fixable = len(raw) <= self.settings.max_size
        except UnicodeDecodeError:
            fixable = False  # not UTF-8 (FM105) or too large (FM106): never fixed
        if not (opts.fix or opts.diff) or not fixable:
            return linter.lint_bytes(raw, opts.filename, path)
        result, fixed, count = fix_text(linter, opts.text, opts.filename, path, opts.unsafe_fixes)
        if count and fixed != opts.text:
            self.fixed_text = fixed
            if opts.diff:
                if self.on_diff is not None:
                    self.on_diff(opts.filename, opts.text, fixed)
                result = linter.lint_text(opts.text, opts.filename, path)
            else:
                self.fixed += count
        return result

    def _fix_files(self) -> Iterator[FileResult]:
        settings, unsafe = self.settings, self.options.unsafe_fixes
        linter = Linter(settings)
        for path, filename in self.files:
            path = Path(path)
            try:
                raw, text = read_for_fix(path, settings.max_size)
            except OSError as exc:
                yield FileResult(
                    filename, [], error=f"{filename}: cannot read: {exc.strerror or exc}"
                )
                continue
            if text is None:  # too large (FM106) or not UTF-8 (FM105): never fixed
                yield linter.lint_file(path, filename)
                continue
            result, fixed, count = fix_text(linter, text, filename, path, unsafe)
            if count and fixed != text:
                if self.options.diff:
                    self.would_fix += count
                    if self.on_diff is not None:
                        self.on_diff(filename, text, fixed)
                    result = linter.lint_file(path, filename)
                else:
                    try:
                        why = linked_outside(path, settings.root)  # never written outside
                        if why is not None:
                            why = f"fix not written: {why.split(' (')[0]}"
                        else:
                            why = write_fix(path, raw, fixed, self.options.fix_hard_links)
                    except OSError as exc:
                        yield FileResult(filename, [], error=f"{filename}: cannot write: {exc}")
                        continue
                    if why is not None:  # nothing written: the file's findings say why
                        result = linter.lint_text(text, filename, path)
                        withhold(result, why, unsafe)
                    else:
                        self.fixed += count
            yield result


def lint(
    paths=None,
    *,
    text: str | None = None,
    filename: str = "<text>",
    config: str | os.PathLike | None = None,
    select: Iterable[str] | None = None,
    extend_select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    fail_on: str | None = None,
    jobs: int | None = None,
    cache: bool = False,
    baseline: str | os.PathLike | None = None,
    changed_since: str | None = None,
) -> list[dict]:
    """Lint records and return their findings as plain dicts, the objects of
    ``pfocr-lint check --output-format json`` (ruff's shape: ``code, name,
    severity, message, filename, location {row, column}, end_location, path,
    fix, url, generation``), in the order the command prints them.

    ``paths``: a path or a list of paths (files or folders); ``None`` lints
    what ``pfocr-lint check`` lints with no path. ``text``: lint this record
    text instead, shown as ``filename``. The configuration is found as the
    command finds it (or ``config=``); ``select`` / ``extend_select`` /
    ``ignore`` / ``fail_on`` act as the command-line options, and so do
    ``baseline`` (a baseline file: only the findings not in it; a configured
    ``baseline`` applies too) and ``changed_since`` (a git revision). The
    results cache is off unless ``cache=True``.

    Raises :class:`ConfigError` (bad configuration), :class:`PathError` (a
    path that does not exist) and :class:`LintError` (files that could not be
    linted; the others' findings are in its ``findings``).
    """

    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    run = Check(
        CheckOptions(
            paths=[os.fspath(p) for p in paths] if paths else None,
            config=os.fspath(config) if config is not None else None,
            select=list(select) if select is not None else None,
            extend_select=list(extend_select) if extend_select is not None else None,
            ignore=list(ignore) if ignore is not None else None,
            fail_on=fail_on,
            jobs=jobs,
            cache=cache,
            text=text,
            filename=filename,
            baseline=os.fspath(baseline) if baseline is not None else None,
            changed_since=changed_since,
        )
    )
    lines_of = LineIndexes()
    if text is not None:
        lines_of.name, lines_of.index = filename, _LineIndex(text)
    docs = run.settings.docs_url
    out = [
        finding_dict(f, res.generation, lines_of, docs_url=docs)
        for res in run.results()
        for f in res.findings
    ]
    if run.errors:
        raise LintError(run.errors, out)
    return out


def default_key_mode() -> str:
    """``cache-key`` when none is configured: ``"auto"`` in CI (``CI`` set,
    as every CI system sets it: fresh checkouts, fresh timestamps), else
    ``"mtime"``."""
    ci = os.environ.get("CI", "").strip().lower()
    return "auto" if ci not in ("", "0", "false", "no") else "mtime"


def _index_entries(results) -> Iterator[tuple[str, dict | None]]:
    """(name, collection index entries) of each file of ``results``: the
    files' results, or runs of them read by a worker (:class:`RenderedFiles`)."""
    for res in results:
        if type(res) is RenderedFiles:  # its index holds the files that gave entries
            rows = res.index.rows()
            name, entries = next(rows, (None, None))
            for each in res.names:
                if each != name:
                    yield each, None
                    continue
                yield name, entries
                name, entries = next(rows, (None, None))
        else:
            yield res.filename, None if res.error else res.index


def _live(findings):
    """The findings a baseline does not cover (``mark_baselined`` keeps the
    others, marked; they never fail a run)."""
    if not any(f.extra and f.extra.get(baseline.BASELINED) for f in findings):
        return findings
    return [f for f in findings if not (f.extra and f.extra.get(baseline.BASELINED))]


def _display(path: Path, cwd: Path) -> str:
    """A path as the user would write it: relative to the working directory
    when it lies below it."""
    try:
        return str(path.resolve().relative_to(cwd.resolve()))
    except ValueError:
        return str(path)
