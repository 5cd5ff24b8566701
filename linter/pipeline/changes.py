"""``--changed-since REF``: the files that differ from a git revision.

``git diff --name-only REF`` (committed, staged and unstaged changes against
REF) plus the untracked files git does not ignore; deleted files drop out
(there is nothing to lint). Paths come back absolute and normalised.
"""

from __future__ import annotations

import os
import subprocess

from linter.base.exitcodes import UsageError


def _start(args: list[str], cwd: str) -> subprocess.Popen:
    """git running ``args`` in ``cwd``, its output and errors piped."""
    try:
        return subprocess.Popen(
            ["git", *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
    except OSError as exc:
        raise UsageError(f"--changed-since needs git: {exc.strerror or exc}") from None


def _output(args: list[str], proc: subprocess.Popen) -> str:
    """The output of git's ``args`` (``proc``, waited for) as text, decoded as
    the file system decodes names (``os.fsdecode``: UTF-8 with surrogate
    escapes on POSIX), so that a file name that is not UTF-8 comes back as
    ``os.listdir`` gives it; a failure is a :class:`UsageError` with git's
    last line."""
    out, err = proc.communicate()
    if proc.returncode != 0:
        detail = (err.decode("utf-8", "replace").strip().splitlines() or ["git failed"])[-1]
        raise UsageError(f"--changed-since: git {args[0]}: {detail}")
    return os.fsdecode(out)


def _git(args: list[str], cwd: str) -> str:
    """git's output for ``args`` in ``cwd`` (see :func:`_output`)."""
    return _output(args, _start(args, cwd))


class Changes:
    """The files changed against ``ref`` (and the untracked ones) in the git
    work tree holding ``cwd``: the revision is checked at once, and git's two
    listings (the diff against ``ref``, the untracked files) run side by
    side while the caller goes on (the run discovers its files meanwhile);
    :meth:`result` waits for them and gives the absolute paths. :meth:`close`
    stops them when the result is not wanted."""

    _LISTINGS = (
        ["diff", "--name-only", "-z", "--no-renames"],
        ["ls-files", "-z", "--others", "--exclude-standard"],
    )

    def __init__(self, ref: str, cwd: str):
        if ref.startswith("-"):
            raise UsageError(f"--changed-since: {ref!r} is not a git revision")
        self.top = top = _git(["rev-parse", "--show-toplevel"], cwd).strip()
        try:
            _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], top)
        except UsageError:
            raise UsageError(f"--changed-since: {ref!r} is not a revision of {top}") from None
        self.runs: list[tuple[list[str], subprocess.Popen]] = []
        try:
            for args in self._LISTINGS:
                args = [*args, ref, "--"] if args[0] == "diff" else args
                self.runs.append((args, _start(args, top)))
        except UsageError:
            self.close()
            raise

    def result(self) -> set[str]:
        """The changed files (a git failure: :class:`UsageError`)."""
        names: list[str] = []
        try:
            for args, proc in self.runs:
                names += _output(args, proc).split("\0")
        finally:
            self.close()
        out = set()
        for name in filter(None, names):
            full = os.path.normpath(os.path.join(self.top, name))
            if os.path.lexists(full):
                out.add(full)
        return out

    def close(self) -> None:
        """Stop the listings still running (none once :meth:`result` read them)."""
        for _, proc in self.runs:
            if proc.returncode is None:
                proc.kill()
                proc.communicate()
        self.runs = []
