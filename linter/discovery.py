"""Finding the records to lint."""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Iterator
from pathlib import Path


class PathError(Exception):
    pass


class _Patterns:
    """Glob patterns compiled once: those without a ``/`` match a file or
    folder name, the others its root-relative path (computed only then)."""

    def __init__(self, patterns):
        names = [fnmatch.translate(p) for p in patterns if "/" not in p]
        paths = [fnmatch.translate(p) for p in patterns if "/" in p]
        self._name = re.compile("|".join(names)).match if names else None
        self._path = re.compile("|".join(paths)).match if paths else None

    def __call__(self, name: str, rel) -> bool:
        """``name`` (or, for patterns with a ``/``, the root-relative path given
        by calling ``rel()``) matches one of the patterns."""
        if self._name is not None and self._name(name):
            return True
        return self._path is not None and self._path(rel()) is not None


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
    included, excluded = _Patterns(include), _Patterns(exclude)
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
                    d for d in dirnames if not excluded(d, _relative(real_dir, d, root_s))
                )
                in_figures = os.path.basename(dirpath) == "_figures"
                for name in sorted(filenames):
                    rel = _relative(real_dir, name, root_s)
                    if not included(name, rel) or excluded(name, rel):
                        continue
                    real = os.path.join(real_dir, name)
                    if real in seen:
                        continue
                    fp = Path(dirpath, name)
                    if not (in_figures or is_record_candidate(fp)):
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


def default_paths(cwd: Path) -> list[str]:
    """What `check` lints with no path and no configured `paths`: the
    embedded seeds when run from the project, else the working directory."""
    if (cwd / "seeds").is_dir():
        return ["seeds"]
    return ["."]
