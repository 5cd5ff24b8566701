"""The ``pfocr-lint`` command.

Exit codes: 0 no finding at or above the failing severity; 1 findings;
2 usage or configuration error, unreadable path, internal error.
"""

from __future__ import annotations

import argparse
import os
import sys

from linter import __version__
from linter.base.exitcodes import EXIT_ERROR, EXIT_OK, UsageError
from linter.base.formats import FORMATS, formats_help
from linter.base.textsafe import to_stderr

SUBCOMMANDS = (
    "check",
    "rule",
    "rules",
    "reference",
    "report",
    "completion",
    "generate-shell-completion",
    "server",
)


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # exit 2 with a one-line message, like ruff
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="pfocr-lint", description="Lint PFOCR figure records.")
    p.add_argument("--version", action="version", version=f"pfocr-lint {__version__}")
    sub = p.add_subparsers(dest="command", parser_class=_Parser)

    c = sub.add_parser(
        "check", help="lint records (default: configured paths, else seeds/, else .)"
    )
    add_run_flags(c)
    c.add_argument(
        "--output-format",
        choices=FORMATS,
        help=formats_help(),
    )
    c.add_argument(
        "--output-file",
        metavar="PATH",
        help="write the report (--output-format) to PATH, atomically; the terminal still "
        "gets the human format",
    )
    c.add_argument(
        "--statistics",
        action="store_true",
        help="print the summary alone: per rule its severity, count, safe and unsafe fixes, "
        "records",
    )
    c.add_argument(
        "--show-settings",
        action="store_true",
        help="print the resolved settings and the records a run would lint; lint nothing",
    )
    c.add_argument("--fix", action="store_true", help="apply safe fixes")
    c.add_argument(
        "--interactive",
        action="store_true",
        help="with --fix: review each fix (diff, rule, safety) and answer y/n/a/q",
    )
    c.add_argument(
        "--unsafe-fixes", action="store_true", help="with --fix or --diff, apply unsafe fixes too"
    )
    c.add_argument(
        "--diff", action="store_true", help="print the fixes as a unified diff; write nothing"
    )
    c.add_argument(
        "--fix-hard-links",
        action="store_true",
        help="with --fix: fix a file that has other hard links, writing through them "
        "(default: leave it, saying why)",
    )
    c.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    c.add_argument(
        "--fail-on", choices=("error", "warning", "info"), help="lowest severity that fails the run"
    )
    c.add_argument(
        "--color",
        choices=("always", "never", "auto"),
        help="colour the full output (auto: on a terminal; NO_COLOR, FORCE_COLOR honoured)",
    )
    c.add_argument("--no-color", action="store_true", help="same as --color never")
    c.add_argument("--quiet", "-q", action="store_true", help="print findings only, no summary")
    # -- CI gate: baseline, changed records only ---------------------------------------
    c.add_argument(
        "--write-baseline",
        metavar="FILE",
        help="record this run's findings in FILE (a baseline) and exit 0",
    )
    c.add_argument(
        "--changed-since",
        metavar="REF",
        help="lint only the records changed against this git revision (XR rules still see all)",
    )

    # editors and watchers (linter/cli/watch.py)
    c.add_argument(
        "--stdin-filename",
        metavar="NAME",
        help="lint the record text read from stdin as the file NAME (its configuration, "
        "tables and findings' file name); with --fix, print the fixed text to stdout",
    )
    c.add_argument("--watch", action="store_true", help="lint again whenever a file changes")

    r = sub.add_parser("rule", help="explain a rule")
    r.add_argument("code")
    r.add_argument("--output-format", choices=("text", "json"), default="text")

    rs = sub.add_parser("rules", help="list all rules")
    rs.add_argument("--output-format", choices=("text", "json"), default="text")

    ref = sub.add_parser("reference", help="show the shipped reference data")
    ref.add_argument("--output-format", choices=("text", "json"), default="text")

    comp = sub.add_parser(
        "completion",
        aliases=["generate-shell-completion"],  # ruff's name
        help="print a shell completion script (bash, zsh or fish)",
    )
    comp.add_argument("shell", choices=("bash", "zsh", "fish"))

    # the curators' HTML report: a check whose output is a page (linter/cli/report.py)
    rep = sub.add_parser("report", help="write a self-contained HTML report of the findings")
    add_run_flags(rep)
    rep.add_argument("-o", "--output", metavar="FILE", default="report.html", help="(report.html)")
    # check's other options keep their defaults; the format is the page
    shared = {a.dest for a in rep._actions}
    defaults = {a.dest: a.default for a in c._actions if a.dest not in shared}
    rep.set_defaults(
        **{**defaults, "output_format": "html", "exit_zero": True, "mark_baselined": True}
    )
    # the editor server (linter/server/): the Language Server Protocol over stdio
    sub.add_parser("server", help="run the language server (LSP over stdio) for editors")
    return p


def add_run_flags(p: argparse.ArgumentParser) -> None:
    """The flags every command that runs a check takes (``check``, ``report``):
    what to lint, with which configuration and rules, and how."""
    p.add_argument("paths", nargs="*", metavar="PATH")
    p.add_argument(
        "--config", metavar="FILE", help="configuration file (pyproject.toml or pfocr-lint.toml)"
    )
    p.add_argument(
        "--select",
        metavar="CODES",
        help="comma-separated codes or prefixes to enable (replaces the configured selection)",
    )
    p.add_argument(
        "--extend-select", metavar="CODES", help="codes or prefixes to enable in addition"
    )
    p.add_argument("--ignore", metavar="CODES", help="comma-separated codes or prefixes to disable")
    p.add_argument(
        "--jobs", "-j", type=int, metavar="N", help="worker processes (default: CPU count)"
    )
    p.add_argument("--no-cache", action="store_true", help="do not read or write the results cache")
    p.add_argument(
        "--follow-symlinks",
        action="store_true",
        help="read records and tables that symbolic links place outside the tree "
        "(never fixed there; special file systems are never read)",
    )
    p.add_argument(
        "--no-respect-gitignore",
        action="store_true",
        help="lint files that .gitignore files ignore (folder walks)",
    )
    p.add_argument(
        "--force-exclude",
        action="store_true",
        help="apply include/exclude to paths named on the command line too (pre-commit)",
    )
    p.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    p.add_argument(
        "--baseline",
        metavar="FILE",
        help="check: report and fail only on findings not recorded in this baseline; "
        "report: show every finding and mark the ones it records (default: the configured one)",
    )
    p.add_argument("--no-baseline", action="store_true", help="ignore the configured baseline")


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] not in SUBCOMMANDS and argv[0] not in ("-h", "--help", "--version"):
        argv.insert(0, "check")
    if not argv:
        argv = ["check"]
    debug = "--debug" in argv
    _never_crash_on_encoding()
    started = False  # whether a subcommand (which owns stdout) was reached
    try:
        args = build_parser().parse_args(argv)
        started = True
        if args.command == "rule":
            from linter.cli.explain import explain_rule

            return explain_rule(args.code, args.output_format, sys.stdout)
        if args.command == "rules":
            from linter.cli.explain import list_rules

            return list_rules(args.output_format, sys.stdout)
        if args.command == "reference":
            from linter.cli.explain import show_reference

            return show_reference(args.output_format, sys.stdout)
        if args.command in ("completion", "generate-shell-completion"):
            from linter.cli.completion import script

            sys.stdout.write(script(args.shell, build_parser()))
            return EXIT_OK
        if args.command == "server":
            try:
                from linter.server.lsp import serve
            except ImportError as exc:  # the optional dependency (pygls) is missing
                raise UsageError(
                    f"the server needs {(exc.name or 'pygls').split('.')[0]}: "
                    "pip install 'pfocr-lint[server]'"
                ) from None
            return serve()
        if args.command == "report":
            from linter.cli.report import report

            return report(args)
        from linter.cli.check import check

        return check(args)
    except UsageError as exc:
        if not started and argv[:1] == ["check"] and _json_requested(argv):
            from linter.reporters.jsonfmt import empty_document

            # what check --output-format json prints on exit 2
            sys.stdout.write(empty_document("--statistics" in argv))
        _to_stderr(f"pfocr-lint: error: {exc}")
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - last resort: no traceback without --debug
        message = f"pfocr-lint: internal error: {type(exc).__name__}: {exc}"
        if debug:
            import traceback

            message = traceback.format_exc() + message
        _to_stderr(message)
        return EXIT_ERROR


def _to_stderr(message: str) -> None:

    to_stderr(message)


def _json_requested(argv: list[str]) -> bool:
    """``--output-format json`` is on the command line (read before, or
    without, a successful parse)."""
    for i, arg in enumerate(argv):
        if arg == "--output-format=json" or (
            arg == "--output-format" and argv[i + 1 : i + 2] == ["json"]
        ):
            return True
    return False


def _never_crash_on_encoding() -> None:
    """Whatever ``PYTHONIOENCODING`` says, a character stdout cannot encode is
    written escaped (``\\xe9``), never a ``UnicodeEncodeError`` half-way
    through the output (stderr does this by default)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            if getattr(stream, "errors", None) == "strict":
                stream.reconfigure(errors="backslashreplace")
        except (AttributeError, ValueError, OSError):
            pass


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass
