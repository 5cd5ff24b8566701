"""A progress bar for long runs: on stderr, only where a person watches.

Shown when stderr is a terminal, the run is not in CI (no ``CI`` variable),
not ``--quiet``, and there are at least :data:`MIN_FILES` files; never in
piped or CI output. While it is drawn, output for a stdout that is the same
terminal is printed above the bar (rich's stdout redirection) instead of
through it; output to a pipe or a file is untouched.
"""

from __future__ import annotations

import os
import sys
import time

MIN_FILES = 200  # fewer files take about a second or less: no bar
REDRAW = 0.1  # seconds between two drawings of the bar, at most ten a second


class CurrentStdout:
    """A stream that writes to whatever ``sys.stdout`` is at the time: the
    terminal, or, while the bar is drawn, rich's proxy that prints above it."""

    def write(self, text: str) -> int:
        return sys.stdout.write(text)

    def writelines(self, lines) -> None:
        sys.stdout.writelines(lines)

    def flush(self) -> None:
        sys.stdout.flush()

    def isatty(self) -> bool:
        isatty = getattr(sys.stdout, "isatty", None)
        return bool(isatty and isatty())

    def __getattr__(self, name):  # encoding, fileno, errors...
        if name == "rich_proxied_file":  # rich would write past the proxy to the terminal
            raise AttributeError(name)
        return getattr(sys.stdout, name)


def wanted(files: int, quiet: bool, environ=None) -> bool:
    env = os.environ if environ is None else environ
    if quiet or files < MIN_FILES or env.get("CI", "").strip().lower() not in ("", "0", "false"):
        return False
    isatty = getattr(sys.stderr, "isatty", None)
    return bool(isatty and isatty())


def _same_terminal() -> bool:
    """stdout is the terminal stderr draws on (its lines must go above the bar)."""
    try:
        if not sys.stdout.isatty():
            return False
        out, err = os.fstat(sys.stdout.fileno()), os.fstat(sys.stderr.fileno())
        return (out.st_dev, out.st_ino, out.st_rdev) == (err.st_dev, err.st_ino, err.st_rdev)
    except (AttributeError, OSError, ValueError):
        return False


class Bar:
    """``advance()`` once per file done; ``stop()`` at the end (idempotent).

    The bar is drawn by ``advance()`` (at most every :data:`REDRAW` seconds)
    and once more by ``stop()``, never by a thread of its own: the run forks
    its worker processes while the bar is up, and a fork copies any lock that
    another thread holds at that moment (a thread drawing on stderr holds
    stderr's) into a child that has no thread to release it."""

    def __init__(self, total: int):
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        redirect = _same_terminal()
        self.progress = Progress(
            TextColumn("linting"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("files"),
            TextColumn("{task.fields[rate]}"),
            # each time with its label after it: "0:00:03 elapsed, 0:00:12 left"
            # (a bare elapsed time followed by "left" read as the time left)
            TimeElapsedColumn(),
            TextColumn("elapsed,"),
            TimeRemainingColumn(),
            TextColumn("left"),
            console=Console(file=sys.stderr, stderr=True),
            transient=True,
            redirect_stdout=redirect,
            redirect_stderr=True,
            auto_refresh=False,
        )
        self.task = self.progress.add_task("lint", total=total, rate="")
        self.progress.start()
        self.live = True
        self.drawn = time.monotonic()

    def advance(self, files: int = 1) -> None:
        task = self.progress.tasks[0]
        speed = task.speed
        rate = f"{speed:,.0f} files/s" if speed else ""
        now = time.monotonic()
        draw = now - self.drawn >= REDRAW
        if draw:
            self.drawn = now
        self.progress.update(self.task, advance=files, rate=rate, refresh=draw)

    def stop(self) -> None:
        if self.live:
            self.live = False
            self.progress.stop()


def start(files: int, quiet: bool) -> Bar | None:
    """A running bar for ``files`` files, or ``None`` when none is wanted."""
    return Bar(files) if wanted(files, quiet) else None
