"""``pfocr-lint report``: a check whose output is the HTML page, written
atomically to ``-o FILE`` (the format itself: :mod:`linter.reporters.html`),
or, when FILE ends in ``.csv``, the CSV worklist (:mod:`linter.reporters.csvfmt`).

Unlike ``check``, a configured baseline (or ``--baseline FILE``) hides
nothing: every finding is shown and the ones the baseline records are marked
(the curators' backlog); ``--no-baseline`` ignores it."""

from __future__ import annotations

import io
from pathlib import Path

from linter.base.atomic import write_atomic
from linter.base.exitcodes import EXIT_ERROR
from linter.base.textsafe import to_stderr, unsurrogate
from linter.cli.check import check
from linter.reporters.html import INSTALL_HINT, missing_requirements


def report(args) -> int:
    """``pfocr-lint report``: ``check --output-format html`` into ``args.output``,
    written atomically. Exits 0 when the page is written (findings or not:
    the page is the result), 2 when it cannot be or a file could not be linted."""
    if str(args.output).lower().endswith(".csv"):
        # the worklist: every finding, the baseline's marked (check's csv drops them)
        args.output_format = "csv"
    missing = missing_requirements() if args.output_format == "html" else []
    if missing:
        to_stderr(f"pfocr-lint: error: the HTML report needs {', '.join(missing)}: {INSTALL_HINT}")
        return EXIT_ERROR
    page = io.StringIO()
    # the report's arguments are check's: its own flags, check's defaults for
    # the rest, and the html format written to the page
    code = check(args, stream=page)
    if code == EXIT_ERROR and not page.getvalue():
        return code
    text = unsurrogate(page.getvalue())  # a non-UTF-8 file name: its bytes as \xNN
    try:
        write_atomic(Path(args.output), text)
    except OSError as exc:
        to_stderr(f"pfocr-lint: error: cannot write {args.output}: {exc}")
        return EXIT_ERROR
    size = len(text.encode("utf-8"))
    to_stderr(f"Wrote {args.output} ({size / 1e6:.1f} MB).")
    return code
