"""The check pipeline as a library.

:class:`Check` owns a whole run, from configuration to results: it finds and
validates the configuration, discovers the records, lints them (worker
processes, results cache, or fixes), runs the collection (XR) pass over the
index gathered on the way, applies suppressions, and reports whether the run
fails. It prints nothing: ``linter.run`` parses the command line, drives a
``Check`` and hands its results to a reporter.

:func:`lint` is the same pipeline for Python callers (a notebook, a script):
findings come back as plain dicts, the JSON output's objects::

    from linter import lint

    for finding in lint(["_figures"], select=["NA", "ID"]):
        print(finding["filename"], finding["location"]["row"], finding["code"])
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from linter.config import (
    DEFAULT_EXCLUDE,
    DEFAULT_INCLUDE,
    ConfigError,
    Overrides,
    build_settings,
    load_config,
)
from linter.discovery import PathError, default_paths, discover
from linter.engine import (
    SUPPRESS_KEY,
    CollectionIndex,
    FileResult,
    InternalError,
    Linter,
    collection_findings,
    fails,
    fix_text,
    lint_files,
)

__all__ = [
    "Check",
    "CheckOptions",
    "ConfigError",
    "InternalError",
    "LintError",
    "PathError",
    "lint",
]


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
    cwd: Path | None = None  # the working directory (default: the process's)
    text: str | None = None  # lint this text instead of files ...
    filename: str = "<text>"  # ... shown under this name


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
        self.config = config = load_config(opts.config, cwd)
        self.settings = settings = build_settings(
            config,
            Overrides(
                select=opts.select,
                extend_select=opts.extend_select,
                ignore=opts.ignore,
                fail_on=opts.fail_on,
            ),
        )
        if opts.text is not None:
            self.paths: list[str] = []
            self.files: list[tuple[str, str]] = []
        else:
            if opts.paths:
                self.paths = [str(p) for p in opts.paths]
            elif config.get("paths"):
                self.paths = [_display(config.root / p, cwd) for p in config.get("paths")]
            else:
                self.paths = default_paths(cwd)
            include = config.get("include", DEFAULT_INCLUDE)
            exclude = list(config.get("exclude", DEFAULT_EXCLUDE))
            exclude += list(config.get("extend-exclude", []))
            # plain strings: the display name is the path (a Path object per
            # file would cost memory for the whole run)
            self.files = [
                (str(path), name)
                for path, name in discover(self.paths, include, exclude, config.root)
            ]
        settings.options["_paths"] = list(self.paths)
        self.failed = False
        self.fixed = 0
        self.errors: list[str] = []

    # -- the pipeline ---------------------------------------------------------------
    def selected_rules(self):
        from linter.registry import all_rules

        return [r for c, r in all_rules().items() if c in self.settings.select]

    def _per_file(self) -> Iterator[FileResult]:
        opts, settings = self.options, self.settings
        if opts.text is not None:
            yield Linter(settings).lint_text(opts.text, opts.filename)
        elif opts.fix or opts.diff:
            yield from self._fix_files()
        else:
            cache = None
            if opts.cache and self.config.get("cache", True):
                from linter.cache import Cache

                root = self.config.root if self.config.path else (opts.cwd or Path.cwd())
                cache = Cache(root, settings, key_mode=self.config.get("cache-key", "mtime"))
            yield from lint_files(self.files, settings, jobs=opts.jobs, cache=cache)

    def results(self) -> Iterator[FileResult]:
        settings = self.settings
        collection = [r.code for r in self.selected_rules() if r.scope == "collection"]
        index = CollectionIndex([SUPPRESS_KEY, *collection])
        for res in self._per_file():
            if res.error:
                self.errors.append(res.error)
            else:
                if res.index:
                    index.add(res.filename, res.index)
                self.failed = self.failed or fails(res.findings, settings.fail_on)
            yield res
        if index or collection:
            xr = collection_findings(index, settings)
            if xr:
                self.failed = self.failed or fails(xr, settings.fail_on)
                yield FileResult("", xr)

    # -- fixes ----------------------------------------------------------------------
    def _fix_files(self) -> Iterator[FileResult]:
        settings, unsafe = self.settings, self.options.unsafe_fixes
        linter = Linter(settings)
        for path, filename in self.files:
            path = Path(path)
            try:
                raw = path.read_bytes()
            except OSError as exc:
                yield FileResult(
                    filename, [], error=f"{filename}: cannot read: {exc.strerror or exc}"
                )
                continue
            if len(raw) > settings.max_size:
                yield linter.lint_file(path, filename)  # FM106, never parsed nor fixed
                continue
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                yield linter.lint_file(path, filename)  # FM105, nothing to fix safely
                continue
            result, fixed, count = fix_text(linter, text, filename, path, unsafe)
            if count and fixed != text:
                if self.options.diff:
                    if self.on_diff is not None:
                        self.on_diff(filename, text, fixed)
                    result = linter.lint_file(path, filename)
                else:
                    try:
                        write_atomic(path, fixed)
                    except OSError as exc:
                        yield FileResult(filename, [], error=f"{filename}: cannot write: {exc}")
                        continue
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
) -> list[dict]:
    """Lint records and return their findings as plain dicts, the objects of
    ``pfocr-lint check --output-format json`` (ruff's shape: ``code, name,
    severity, message, filename, location {row, column}, end_location, path,
    fix, url, generation``), in the order the command prints them.

    ``paths``: a path or a list of paths (files or folders); ``None`` lints
    what ``pfocr-lint check`` lints with no path. ``text``: lint this record
    text instead, shown as ``filename``. The configuration is found as the
    command finds it (or ``config=``); ``select`` / ``extend_select`` /
    ``ignore`` / ``fail_on`` act as the command-line options. The results
    cache is off unless ``cache=True``.

    Raises :class:`ConfigError` (bad configuration), :class:`PathError` (a
    path that does not exist) and :class:`LintError` (files that could not be
    linted; the others' findings are in its ``findings``).
    """
    from linter.reporters.jsonfmt import _read, finding_dict

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
        )
    )
    text_of = (
        (lambda name: text if name == filename else _read(name)) if text is not None else _read
    )
    out = [finding_dict(f, res.generation, text_of) for res in run.results() for f in res.findings]
    if run.errors:
        raise LintError(run.errors, out)
    return out


def _display(path: Path, cwd: Path) -> str:
    """A path as the user would write it: relative to the working directory
    when it lies below it."""
    try:
        return str(path.resolve().relative_to(cwd.resolve()))
    except ValueError:
        return str(path)


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder and
    an atomic rename, keeping the file's permissions."""
    import tempfile  # only fixes need it (its import is not free)

    data = text.encode("utf-8")
    path = Path(os.path.realpath(path))  # through a symlink: rewrite its target
    folder = path.parent
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        except OSError:
            pass
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
