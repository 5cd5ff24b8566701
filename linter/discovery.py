"""Finding the records to lint."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterator
from pathlib import Path


class PathError(Exception):
    pass


def _matches(name: str, rel, patterns) -> bool:
    """``name`` (or, for patterns with a ``/``, the root-relative path given by
    calling ``rel()``) matches one of ``patterns``."""
    for p in patterns:
        if fnmatch.fnmatchcase(name, p):
            return True
        if "/" in p and fnmatch.fnmatchcase(rel(), p):
            return True
    return False


def is_record_candidate(path: Path) -> bool:
    """A record is a file that opens with front matter, or one that is plainly
    meant to be a record (in a ``_figures`` folder, or named ``PMC…__….md``)
    and so gets FM101 when it lacks front matter. Other Markdown files (a
    README) are not records and are skipped."""
    if path.parent.name == "_figures" or (path.name.startswith("PMC") and "__" in path.name):
        return True
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError:
        return True  # let the linter report it
    return head.lstrip(b"\xef\xbb\xbf").startswith(b"---")


def discover(
    paths: list[str], include: list[str], exclude: list[str], root: Path
) -> Iterator[tuple[Path, str]]:
    """Yield ``(path, display name)`` for every record under ``paths``, each
    directory walked in sorted order."""
    seen: set[str] = set()  # real paths: a file reached twice is linted once
    root_s = os.path.realpath(root)
    for arg in paths:
        p = Path(arg)
        if not os.path.lexists(p):
            raise PathError(f"{arg}: no such file or directory")
        if p.is_dir():
            top = str(p)
            real_top = os.path.realpath(top)
            for dirpath, dirnames, filenames in os.walk(top):
                # the real path of this folder, without resolving every file
                real_dir = real_top + dirpath[len(top) :]
                dirnames[:] = sorted(
                    d for d in dirnames if not _matches(d, _relative(real_dir, d, root_s), exclude)
                )
                for name in sorted(filenames):
                    rel = _relative(real_dir, name, root_s)
                    if not _matches(name, rel, include) or _matches(name, rel, exclude):
                        continue
                    real = os.path.join(real_dir, name)
                    fp = Path(dirpath, name)
                    if real in seen or not is_record_candidate(fp):
                        continue
                    seen.add(real)
                    yield fp, str(fp)
        else:
            if not p.exists():
                raise PathError(f"{arg}: broken symbolic link")
            if not os.access(p, os.R_OK):
                raise PathError(f"{arg}: permission denied")
            real = os.path.realpath(p)
            if real in seen:
                continue
            seen.add(real)
            if p.suffix == ".md" and not is_record_candidate(p):
                continue
            yield p, str(p)


def _relative(folder: str, name: str, root: str):
    """A callable giving ``folder/name`` relative to ``root`` (posix), computed
    only when a pattern needs it."""

    def rel() -> str:
        full = os.path.join(folder, name)
        if full.startswith(root + os.sep):
            full = full[len(root) + 1 :]
        return full.replace(os.sep, "/")

    return rel
