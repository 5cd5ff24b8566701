"""``--changed-since REF``: the files that differ from a git revision.

``git diff --name-only REF`` (committed, staged and unstaged changes against
REF) plus the untracked files git does not ignore; deleted files drop out
(there is nothing to lint). Paths come back absolute and normalised.
"""

from __future__ import annotations

import os
import subprocess

from linter.base.exitcodes import UsageError


def _git(args: list[str], cwd: str) -> str:
    """git's output as text, decoded as the file system decodes names
    (``os.fsdecode``: UTF-8 with surrogate escapes on POSIX), so that a file
    name that is not UTF-8 comes back as ``os.listdir`` gives it."""
    try:
        r = subprocess.run(["git", *args], cwd=cwd, capture_output=True)
    except OSError as exc:
        raise UsageError(f"--changed-since needs git: {exc.strerror or exc}") from None
    if r.returncode != 0:
        stderr = r.stderr.decode("utf-8", "replace")
        detail = (stderr.strip().splitlines() or ["git failed"])[-1]
        raise UsageError(f"--changed-since: git {args[0]}: {detail}")
    return os.fsdecode(r.stdout)


def changed_files(ref: str, cwd: str) -> set[str]:
    """Absolute paths of the files changed against ``ref`` (and untracked)
    in the git work tree holding ``cwd``."""
    if ref.startswith("-"):
        raise UsageError(f"--changed-since: {ref!r} is not a git revision")
    top = _git(["rev-parse", "--show-toplevel"], cwd).strip()
    try:
        _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], top)
    except UsageError:
        raise UsageError(f"--changed-since: {ref!r} is not a revision of {top}") from None
    names = _git(["diff", "--name-only", "-z", "--no-renames", ref, "--"], top).split("\0")
    names += _git(["ls-files", "-z", "--others", "--exclude-standard"], top).split("\0")
    out = set()
    for name in filter(None, names):
        full = os.path.normpath(os.path.join(top, name))
        if os.path.lexists(full):
            out.add(full)
    return out
