"""``pfocr-lint check``: arguments → :class:`linter.pipeline.check.Check` → reporter.

The pipeline (configuration, discovery, linting, the collection pass,
suppressions, fixes) lives in :mod:`linter.pipeline.check`; this module turns the parsed
arguments into its options and prints what it yields.
"""

from __future__ import annotations

import io
import os
import sys

from linter.base.atomic import AtomicOutput
from linter.base.exitcodes import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, UsageError
from linter.base.textsafe import clean, to_stderr
from linter.cli import progress
from linter.engine import FileBrief, InternalError, RenderedFiles
from linter.pipeline.baseline import BaselineError
from linter.pipeline.check import Check, CheckOptions
from linter.pipeline.config import KEYS, ConfigError
from linter.pipeline.discovery import PathError
from linter.reporters import (
    FORMATS,
    TERMINAL_FORMATS,
    Reporter,
    Summary,
    Tee,
    concise,
    make_reporter,
    plural,
    want_color,
)


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


def options_from(args) -> CheckOptions:
    """The pipeline's options from the parsed ``check`` arguments."""
    return CheckOptions(
        paths=args.paths or None,
        config=args.config,
        select=_split(args.select),
        extend_select=_split(args.extend_select),
        ignore=_split(args.ignore),
        fail_on=args.fail_on,
        jobs=args.jobs,
        cache=not args.no_cache,
        fix=args.fix,
        unsafe_fixes=args.unsafe_fixes,
        fix_hard_links=args.fix_hard_links,
        follow_symlinks=args.follow_symlinks,
        respect_gitignore=not args.no_respect_gitignore,
        force_exclude=args.force_exclude,
        diff=args.diff,
        baseline=args.baseline,
        no_baseline=args.no_baseline,
        mark_baselined=getattr(args, "mark_baselined", False),
        write_baseline=args.write_baseline,
        changed_since=args.changed_since,
        # --stdin-filename: the text read from stdin, as that file
        text=getattr(args, "stdin_text", None),
        filename=getattr(args, "stdin_filename", None) or "<text>",
        text_at_filename=getattr(args, "stdin_text", None) is not None,
        brief=concise.brief,  # what the results cache keeps to print warm runs fast
    )


def check(args, stream=None) -> int:
    """Run ``check``; under ``--output-format json`` stdout holds a valid JSON
    document whatever happens (see :meth:`JsonReporter.abort`). The report goes
    to ``stream`` when given (``report``'s page), else to stdout."""
    if getattr(args, "watch", False) or getattr(args, "stdin_filename", None) is not None:
        from linter.cli import watch  # --watch and --stdin-filename (start-up: only they)

        if args.watch:
            return watch.watch(args, check)
        watch.read_stdin(args)
    out = _Output(args)
    try:
        return _check(args, out, stream)
    finally:
        out.close()


class _Output:
    """The reporter of the run, once made; on the way out, an unfinished
    reporter is closed (a JSON document stays valid on an exit-2 error)."""

    def __init__(self, args):
        self.args = args
        self.reporter = None

    def close(self) -> None:
        if self.reporter is not None:
            self.reporter.abort()
        elif self.args.output_format == "json" and not getattr(self.args, "output_file", None):
            # reporter modules load only when chosen (the format registry's seam)
            from linter.reporters.jsonfmt import empty_document

            sys.stdout.write(empty_document(bool(self.args.statistics)))


def _check(args, out: _Output, stream=None) -> int:
    if args.debug:
        os.environ["PFOCR_LINT_DEBUG"] = "1"
    try:
        run = Check(options_from(args), on_diff=_print_diff)
    except ConfigError as exc:
        to_stderr(f"pfocr-lint: configuration error: {exc}")
        return EXIT_ERROR
    except (PathError, BaselineError) as exc:
        to_stderr(f"pfocr-lint: error: {exc}")
        return EXIT_ERROR
    if getattr(args, "show_settings", False):
        return show_settings(run, sys.stdout)
    if not run.files and not run.context and not run.problems.errors and run.paths:
        # ruff: "warning: No Python files found under the given path(s)"
        to_stderr("pfocr-lint: warning: No records found under the given path(s).")
        if _explicit_paths_matched_nothing(args):
            return EXIT_ERROR
    if args.interactive:  # --fix with a person in the loop (linter/review.py)
        return _review(run, args)
    fmt = choose_format(args.output_format, run.config.get("output-format"))
    if fmt not in FORMATS:
        raise UsageError(f"unknown output format {fmt!r}")
    if fmt == "json":
        args.output_format = "json"  # chosen by the configuration: an error prints JSON too
    for note in run.problems.notes:
        to_stderr(f"pfocr-lint: note: {note}")
    for error in run.problems.errors:
        to_stderr(f"pfocr-lint: error: {error}")

    if args.write_baseline:
        return _write_baseline(run, args)
    show_bar = progress.wanted(len(run.files), args.quiet)
    stdout = progress.CurrentStdout() if show_bar else sys.stdout
    if stream is not None:
        stdout = stream
    elif getattr(args, "stdin_text", None) is not None and args.fix:
        stdout = sys.stderr  # stdout holds the fixed text, as ruff does
    if args.diff:  # ruff: --diff prints the patch alone; the count goes to stderr
        # (an --output-file still gets its report: it is not the terminal)
        reporter, report_file = _Silent(stdout), None
        if args.output_file:
            reporter, report_file = _reporters(fmt, args, run, stdout, terminal=False)
    else:
        reporter, report_file = _reporters(fmt, args, run, stdout)
    out.reporter = reporter
    summary = Summary()
    summary.errors.extend(run.problems.errors)
    unsafe = args.unsafe_fixes

    # --statistics: the summary alone on the terminal (a report file keeps its findings)
    alone = args.statistics and fmt in TERMINAL_FORMATS and not args.output_file
    reporter.start()
    bar = progress.Bar(len(run.files)) if show_bar else None
    try:
        for res in run.results(render=_render_apart(reporter, unsafe, alone)):
            if type(res) is RenderedFiles:  # cached files a worker rendered
                summary.merge(res.summary)
                if bar is not None:
                    bar.advance(len(res.names))
                if not alone:
                    reporter.put(res.part)
                continue
            if res.error:
                if run.is_file(res):
                    summary.files += 1
                    if bar is not None:
                        bar.advance()
                summary.errors.append(res.error)
                to_stderr(f"pfocr-lint: error: {res.error}")
                continue
            if run.is_file(res):  # not the collection findings nor the baseline's
                summary.take(res, unsafe)
                if bar is not None:
                    bar.advance()
            else:
                summary.add(res.findings, unsafe)
            if not alone:
                reporter.file(res)
    except InternalError as exc:  # a worker process died
        to_stderr(f"pfocr-lint: error: {exc}")
        return EXIT_ERROR
    except BaselineError as exc:
        to_stderr(f"pfocr-lint: error: {exc}")
        return EXIT_ERROR
    finally:
        if bar is not None:
            bar.stop()
    summary.fixed = run.fixed
    if args.diff:
        if report_file is not None:
            reporter.finish(summary, quiet=args.quiet, statistics=args.statistics)
            report_file.commit()
        return _diff_done(run, summary, args)
    reporter.finish(summary, quiet=args.quiet, statistics=args.statistics)
    if getattr(args, "stdin_text", None) is not None and args.fix and not args.diff:
        from linter.cli.watch import write_fixed

        write_fixed(run.fixed_text)
    if report_file is not None:
        report_file.commit()
    if summary.fixed and not args.quiet and fmt != "json":
        to_stderr(f"Fixed {summary.fixed} problem(s).")
    marked = getattr(args, "mark_baselined", False)  # report: shown, marked
    if run.baseline is not None and run.baseline.matched and not args.quiet:
        n = run.baseline.matched
        how = "shown, marked" if marked else "not shown"
        to_stderr(f"{n} finding{'' if n == 1 else 's'} in the baseline {run.baseline.path} {how}.")
    if summary.errors:
        return EXIT_ERROR
    if run.failed and not args.exit_zero:
        return EXIT_FINDINGS
    return EXIT_OK


class _Silent(Reporter):
    """``--diff``: the findings are not printed, only the patch."""

    def file(self, result) -> None:
        pass


def _diff_done(run: Check, summary: Summary, args) -> int:
    """The end of a ``--diff`` run, as ruff ends one: ``Would fix N findings.``
    on stderr (with the fixes ``--unsafe-fixes`` would add), exit 1 when the
    diff is not empty, 0 when there is nothing to fix, 2 on an error."""
    n, hidden = run.would_fix, summary.hidden_fixes
    if not args.quiet:
        extra = f"{hidden} additional fix{'' if hidden == 1 else 'es'}" if hidden else ""
        if n:
            line = f"Would fix {plural(n, 'finding')}"
            line += f" ({extra} available with `--unsafe-fixes`)." if extra else "."
        elif hidden:
            line = (
                f"No findings would be fixed ({hidden} fix{'' if hidden == 1 else 'es'} "
                "available with `--unsafe-fixes`)."
            )
        else:
            line = "No findings would be fixed."
        to_stderr(line)
    if summary.errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if n and not args.exit_zero else EXIT_OK


def _explicit_paths_matched_nothing(args) -> bool:
    """Paths were given and none holds a record: exit 2, as a mistyped folder
    should. Paths that are all files (what pre-commit and editors pass: the
    files of a commit, some of them out of scope) only warn."""
    paths = list(getattr(args, "paths", None) or ())
    return bool(paths) and not all(os.path.isfile(p) for p in paths)


def show_settings(run: Check, stream) -> int:
    """``--show-settings``: the configuration file, then every setting as
    resolved for this run (configured value or default, after the command
    line's overrides), one ``key = value`` line each (values in JSON), and
    the records the run would lint. Lints nothing; exit 0."""
    import json  # start-up: only --show-settings needs it

    config, settings = run.config, run.settings

    def line(key, value) -> None:
        text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
        stream.write(f"{key} = {clean(text)}\n")

    stream.write(
        f"Settings path: {clean(str(config.path)) if config.path else 'none (defaults)'}\n"
    )
    line("root", str(config.root))
    stream.write("\n# resolved\n")
    line("select", sorted(settings.select))
    line("severity", dict(sorted(settings.severity.items())))
    line("fail-on", settings.fail_on)
    line("max-file-size", settings.max_size)
    line(
        "per-file-ignores",
        {pattern: sorted(codes) for pattern, codes in settings.per_file_ignores},
    )
    line("paths", list(run.paths))
    line("baseline", run.baseline.path if run.baseline is not None else None)
    stream.write("\n# configured (unset keys: the default)\n")
    for key in KEYS:
        if key in config.values:
            line(key, config.values[key])
        else:
            stream.write(f"# {key}: {KEYS[key][1]}\n")
    stream.write(f"\n# {plural(len(run.files), 'record')} to lint\n")
    for _, name in run.files:
        stream.write(f"{clean(name)}\n")
    return EXIT_OK


def _render_apart(reporter, unsafe: bool, alone: bool):
    """What a warm run's worker processes do with a run of cached files
    (results -> the reporter's part and the summary), as this loop does with
    each file; None when the reporter's output is more than its files' in
    turn. Its ``brief`` says what it needs of a cached file instead of its
    findings (:class:`~linter.engine.FileBrief`): the counts, or the counts
    and the text the cache keeps, when that is what the reporter prints."""
    if not alone and reporter.apart(io.StringIO()) is None:
        return None

    def render(results):
        stream = io.StringIO()
        apart = None if alone else reporter.apart(stream)
        summary = Summary()
        texts = []  # each file's: the cache's text (UTF-8 bytes; str) or what apart wrote
        for res in results:
            if type(res) is FileBrief:
                summary.take_brief(res, unsafe)
                texts.append(res.text)
            else:
                summary.take(res, unsafe)
                if apart is not None:
                    apart.file(res)
                    texts.append(stream.getvalue())
                    stream.seek(0)
                    stream.truncate()
        if apart is None:
            return None, summary
        if all(type(t) is bytes for t in texts):  # passed on undecoded (Reporter.put)
            return apart.part(b"".join(texts)), summary
        return apart.part("".join(t if type(t) is str else t.decode() for t in texts)), summary

    render.brief = "counts" if alone else "text" if reporter.prints_brief() else None
    return render


def _reporters(fmt: str, args, run: Check, stdout, terminal: bool = True):
    """The run's reporter and, with ``--output-file``, the file it writes: the
    report goes to the file in ``fmt`` while the terminal gets the human
    format (full on a terminal, concise piped, github in GitHub Actions)."""
    settings = run.settings
    marked = getattr(args, "mark_baselined", False) and run.baseline is not None
    facts = {
        "options": settings.options,  # the worklist finds a table's record
        "baseline": run.baseline.path if marked else None,  # report: findings marked
        "paths": list(args.paths or ()),  # the report's fix commands
    }

    def make(name, stream, **kw):
        color = name == "full" and want_color("never" if args.no_color else args.color, stream)
        extra = {"statistics": True} if name == "json" and args.statistics else {}
        return make_reporter(
            name,
            stream,
            color=color,
            root=settings.root,
            fail_on=settings.fail_on,
            docs_url=settings.docs_url,
            **facts,
            **extra,
            **kw,
        )

    if not args.output_file:
        return make(fmt, stdout), None
    try:
        report_file = AtomicOutput(args.output_file)
    except OSError as exc:
        raise UsageError(f"cannot write {args.output_file}: {exc.strerror or exc}") from exc
    human = choose_format(None, None) if terminal else None
    # one step summary per run: the terminal's github reporter writes it
    report = make(fmt, report_file.stream, step_summary=human != "github")
    if human is None:  # --diff: the terminal gets the patch alone
        return report, report_file
    return Tee([make(human, stdout), report]), report_file


def _write_baseline(run: Check, args) -> int:
    """``--write-baseline FILE``: lint, record every finding, print nothing
    but a line on stderr; exit 0 (2 when a file could not be linted: the
    baseline is then left as it was)."""
    files = findings = 0
    bar = progress.start(len(run.files), args.quiet)
    try:
        for res in run.results():
            if res.error:
                to_stderr(f"pfocr-lint: error: {res.error}")
            if run.is_file(res):
                files += 1
                if bar is not None:
                    bar.advance()
    except (InternalError, BaselineError, OSError) as exc:
        to_stderr(f"pfocr-lint: error: {exc}")
        return EXIT_ERROR
    finally:
        if bar is not None:
            bar.stop()
    if run.errors:
        to_stderr(f"pfocr-lint: baseline {args.write_baseline} not written")
        return EXIT_ERROR
    findings = sum(run.recorder.seen.values())
    if not args.quiet:
        to_stderr(
            f"Wrote {args.write_baseline}: {findings} finding(s) of {files} file(s) "
            f"({len(run.recorder.seen)} entries)."
        )
    return EXIT_OK


def _review(run, args) -> int:
    from linter.cli.review import review  # start-up: only --interactive needs it

    if args.diff or args.write_baseline:
        raise UsageError("--interactive cannot be combined with --diff or --write-baseline")
    if not sys.stdin.isatty():
        raise UsageError("--interactive needs a terminal to answer on (use --fix or --diff)")
    color = want_color("never" if args.no_color else args.color, sys.stdout)
    return review(run, args.unsafe_fixes, color=color)


def _print_diff(filename: str, text: str, fixed: str) -> None:
    import difflib

    sys.stdout.writelines(
        difflib.unified_diff(
            text.splitlines(keepends=True),
            fixed.splitlines(keepends=True),
            fromfile=f"a/{clean(filename)}",
            tofile=f"b/{clean(filename)}",
        )
    )
