"""``pfocr-lint check``: configuration → discovery → engine → reporter / fixer."""

from __future__ import annotations

import difflib
import os
import sys
import tempfile
from pathlib import Path

from linter.cli import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, UsageError, default_paths
from linter.config import (
    DEFAULT_EXCLUDE,
    DEFAULT_INCLUDE,
    ConfigError,
    Overrides,
    build_settings,
    load_config,
)
from linter.discovery import PathError, discover
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
from linter.reporters import Summary, make_reporter


def _split(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [v.strip() for v in value.split(",") if v.strip()]


def choose_format(explicit: str | None, configured: str | None) -> str:
    if explicit:
        return explicit
    if os.environ.get("GITHUB_ACTIONS") == "true":
        return "github"
    if configured:
        return configured
    return "full" if sys.stdout.isatty() else "concise"


def check(args) -> int:
    if args.debug:
        os.environ["PFOCR_LINT_DEBUG"] = "1"
    try:
        config = load_config(args.config)
        overrides = Overrides(
            select=_split(args.select),
            extend_select=_split(args.extend_select),
            ignore=_split(args.ignore),
            fail_on=args.fail_on,
        )
        settings = build_settings(config, overrides)
    except ConfigError as exc:
        print(f"pfocr-lint: configuration error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    fmt = choose_format(args.output_format, config.get("output-format"))
    if fmt not in ("full", "concise", "json", "github"):
        raise UsageError(f"unknown output format {fmt!r}")

    cwd = Path.cwd()
    if args.paths:
        paths = args.paths
    elif config.get("paths"):
        paths = [_display(config.root / p, cwd) for p in config.get("paths")]
    else:
        paths = default_paths(cwd)
    include = config.get("include", DEFAULT_INCLUDE)
    exclude = list(config.get("exclude", DEFAULT_EXCLUDE)) + list(config.get("extend-exclude", []))
    try:
        # plain strings: the display name is the path (a Path object per file
        # would cost memory for the whole run)
        files = [(str(path), name) for path, name in discover(paths, include, exclude, config.root)]
    except PathError as exc:
        print(f"pfocr-lint: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    settings.options["_paths"] = [str(p) for p in paths]

    color = (
        fmt == "full" and sys.stdout.isatty() and not args.no_color and "NO_COLOR" not in os.environ
    )
    extra = {"statistics": True} if fmt == "json" and args.statistics else {}
    reporter = make_reporter(fmt, sys.stdout, color=color, **extra)
    summary = Summary()
    fail = False
    unsafe = args.unsafe_fixes

    if args.fix or args.diff:
        results = _fix_files(files, settings, unsafe, diff=args.diff, summary=summary)
    else:
        cache = None
        if not args.no_cache and config.get("cache", True):
            from linter.cache import Cache

            cache = Cache(config.root if config.path else Path.cwd(), settings)
        results = lint_files(files, settings, jobs=args.jobs, cache=cache)

    index = CollectionIndex(
        [SUPPRESS_KEY, *(r.code for r in _selected_rules(settings) if r.scope == "collection")]
    )
    reporter.start()
    try:
        for res in results:
            summary.files += 1
            if res.error:
                summary.errors.append(res.error)
                print(f"pfocr-lint: error: {res.error}", file=sys.stderr)
                continue
            if res.generation is not None:
                summary.generations[res.generation] += 1
            if res.index:
                index.add(res.filename, res.index)
            summary.add(res.findings, unsafe)
            fail = fail or fails(res.findings, settings.fail_on)
            reporter.file(res)
    except InternalError as exc:  # a worker process died
        print(f"pfocr-lint: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    if index or any(r.scope == "collection" for r in _selected_rules(settings)):
        xr = collection_findings(index, settings)
        if xr:
            summary.add(xr, unsafe)
            fail = fail or fails(xr, settings.fail_on)
            reporter.file(FileResult("", xr))
    reporter.finish(summary, quiet=args.quiet, statistics=args.statistics)
    if summary.fixed and not args.quiet and fmt != "json":
        print(f"Fixed {summary.fixed} problem(s).", file=sys.stderr)
    if summary.errors:
        return EXIT_ERROR
    if fail and not args.exit_zero:
        return EXIT_FINDINGS
    return EXIT_OK


def _display(path: Path, cwd: Path) -> str:
    """A path as the user would write it: relative to the working directory
    when it lies below it."""
    try:
        return str(path.resolve().relative_to(cwd.resolve()))
    except ValueError:
        return str(path)


def _selected_rules(settings):
    from linter.registry import all_rules

    return [r for c, r in all_rules().items() if c in settings.select]


def _fix_files(files, settings, unsafe: bool, diff: bool, summary: Summary):
    linter = Linter(settings)
    for path, filename in files:
        path = Path(path)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            yield FileResult(filename, [], error=f"{filename}: cannot read: {exc.strerror or exc}")
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
            if diff:
                sys.stdout.writelines(
                    difflib.unified_diff(
                        text.splitlines(keepends=True),
                        fixed.splitlines(keepends=True),
                        fromfile=f"a/{filename}",
                        tofile=f"b/{filename}",
                    )
                )
                result = linter.lint_file(path, filename)
            else:
                try:
                    write_atomic(path, fixed)
                except OSError as exc:
                    yield FileResult(filename, [], error=f"{filename}: cannot write: {exc}")
                    continue
                summary.fixed += count
        yield result


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder and
    an atomic rename, keeping the file's permissions."""
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
