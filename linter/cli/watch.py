"""``check --watch`` (lint again whenever a file changes, with watchfiles)
and ``check --stdin-filename NAME`` (lint the text on stdin as the file NAME).
"""

from __future__ import annotations

import copy
import os
import sys
import time

from linter.base.exitcodes import EXIT_OK, UsageError
from linter.base.textsafe import to_stderr

# what a change must touch to start a run: records, tables, configuration
WATCHED = (".md", ".tsv", ".toml", ".json", ".yml", ".yaml")


def read_stdin(args) -> None:
    """``--stdin-filename``: read the record's bytes from stdin into
    ``args.stdin_text`` (decoded with ``surrogateescape``: bytes that are not
    UTF-8 stay as they were, and FM105 names the first)."""
    if args.paths and args.paths != ["-"]:
        raise UsageError("--stdin-filename lints stdin: give no PATH (or '-')")
    if args.interactive or args.write_baseline:
        raise UsageError(
            "--stdin-filename cannot be combined with --interactive or --write-baseline"
        )
    stream = getattr(sys.stdin, "buffer", None)
    raw = stream.read() if stream is not None else sys.stdin.read().encode("utf-8")
    args.stdin_text = raw.decode("utf-8", "surrogateescape")
    args.paths = []


def write_fixed(text: str) -> None:
    """The fixed text to stdout, byte for byte as it was read."""
    sys.stdout.flush()
    out = getattr(sys.stdout, "buffer", None)
    if out is None:
        sys.stdout.write(text)
    else:
        out.write(text.encode("utf-8", "surrogateescape"))
    sys.stdout.flush()


def watch(args, check) -> int:
    """Run ``check(args)``, then again after every change under the paths
    (default: the working directory) until interrupted."""
    try:
        from watchfiles import watch as changes
    except ImportError:
        raise UsageError(
            "--watch needs the watchfiles package: pip install 'pfocr-lint[watch]'"
        ) from None
    if args.interactive or args.write_baseline or args.stdin_filename is not None:
        raise UsageError(
            "--watch cannot be combined with --interactive, --write-baseline or --stdin-filename"
        )
    roots = [p for p in (args.paths or ["."]) if os.path.exists(p)] or ["."]

    def run() -> None:
        once = copy.copy(args)  # a run may change its arguments (the format chosen)
        once.watch = False
        check(once)
        sys.stdout.flush()
        to_stderr(f"[{time.strftime('%H:%M:%S')}] Watching for file changes.")

    run()
    try:
        for changed in changes(*roots, watch_filter=_wanted, raise_interrupt=False):
            names = sorted({os.path.relpath(p) for _, p in changed})
            shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
            to_stderr(f"[{time.strftime('%H:%M:%S')}] File change detected: {shown}")
            run()
    except KeyboardInterrupt:
        pass
    return EXIT_OK


def _wanted(change, path: str) -> bool:
    name = os.path.basename(path)
    if name.startswith(".") and name not in (".pfocr-lint.toml",):
        return False
    if f"{os.sep}.pfocr-lint-cache" in path or f"{os.sep}.git{os.sep}" in path:
        return False
    return name.endswith(WATCHED)
