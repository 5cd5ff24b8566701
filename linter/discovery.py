"""Finding the records to lint."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterator
from pathlib import Path


class PathError(Exception):
    pass


def _matches(name: str, rel: str, patterns) -> bool:
    return any(fnmatch.fnmatchcase(name, p) or fnmatch.fnmatchcase(rel, p) for p in patterns)


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
    for arg in paths:
        p = Path(arg)
        if not os.path.lexists(p):
            raise PathError(f"{arg}: no such file or directory")
        if p.is_dir():
            for dirpath, dirnames, filenames in os.walk(p):
                dirnames[:] = sorted(
                    d for d in dirnames if not _matches(d, _rel(Path(dirpath) / d, root), exclude)
                )
                for name in sorted(filenames):
                    fp = Path(dirpath) / name
                    rel = _rel(fp, root)
                    if not _matches(name, rel, include) or _matches(name, rel, exclude):
                        continue
                    real = os.path.realpath(fp)
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


def _rel(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
