"""Finding the records to lint."""

from __future__ import annotations

import fnmatch
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path

from linter.reading.files import file_kind, linked_outside


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


def is_record_candidate(path) -> bool:
    """A record is a file that opens with front matter, or one that is plainly
    meant to be a record (in a ``_figures`` folder, or named ``PMC…__….md``)
    and so gets FM101 when it lacks front matter. Other Markdown files (a
    README) are not records and are skipped."""
    folder, name = os.path.split(os.fspath(path))
    if os.path.basename(folder) == "_figures" or (name.startswith("PMC") and "__" in name):
        return True
    try:
        fd = os.open(path, _PEEK_FLAGS)  # never waits on a FIFO that appeared since the listing
        try:
            head = os.read(fd, 8)
        finally:
            os.close(fd)
    except OSError:
        return True  # let the linter report it
    return head.lstrip(b"\xef\xbb\xbf").startswith(b"---")


_PEEK_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)


class Problems:
    """What discovery met besides records: ``notes`` (entries skipped: not
    regular files) and ``errors`` (folders that could not be listed: the run
    exits 2, the other files are still linted)."""

    def __init__(self):
        self.notes: list[str] = []
        self.errors: list[str] = []


def _walk(top: str, problems: Problems):
    """``os.walk(top)`` (top-down; the caller may prune ``dirs`` in place;
    symlinked folders are listed but not entered), yielding ``(folder, dirs,
    files, others, linked)``; ``linked``: the files that are symbolic links; ``others`` maps the name of an entry that is neither a
    folder nor a regular file (FIFO, socket, device) to what it is; a folder
    that cannot be listed is an error in ``problems``. The file types come from the listing (``d_type``): no extra
    system call per file."""
    stack = [top]
    while stack:
        folder = stack.pop()
        dirs, files, links, others, linked = [], [], set(), {}, set()
        try:
            entries = os.scandir(folder)
        except OSError as exc:
            problems.errors.append(f"{folder}: cannot list the folder: {exc.strerror or exc}")
            continue
        with entries:
            for entry in entries:
                try:
                    if entry.is_file():  # most entries: d_type, no system call
                        files.append(entry.name)
                        if entry.is_symlink():  # d_type too
                            linked.add(entry.name)
                        continue
                    if entry.is_dir():
                        dirs.append(entry.name)
                        if entry.is_symlink():
                            links.add(entry.name)
                        continue
                    mode = os.stat(entry.path).st_mode
                except FileNotFoundError:  # a dangling link: the linter reports it
                    files.append(entry.name)
                    continue
                except OSError as exc:
                    problems.errors.append(f"{entry.path}: {exc.strerror or exc}")
                    continue
                others[entry.name] = file_kind(mode)
        yield folder, dirs, files, others, linked
        stack.extend(os.path.join(folder, d) for d in reversed(dirs) if d not in links)


def discover(
    paths: list[str],
    include: list[str],
    exclude: list[str],
    root: Path,
    problems: Problems | None = None,
    follow_symlinks: bool = False,
) -> Iterator[tuple[Path | str, str]]:
    """Yield ``(path, display name)`` for every record under ``paths``, each
    directory walked in sorted order. A path given that does not exist or is
    not a regular file or a folder raises :class:`PathError`; what is met
    inside folders besides records goes to ``problems``. A file that a
    symbolic link places outside ``root`` is skipped with a note, unless
    ``follow_symlinks``."""
    if problems is None:
        problems = Problems()
    seen: set[str] = set()  # real paths: a file reached twice is linted once
    root_s = os.path.realpath(root)
    included, excluded = _Patterns(include), _Patterns(exclude)
    for arg in paths:
        p = Path(arg)
        try:
            mode = os.stat(p).st_mode
        except FileNotFoundError:
            if os.path.lexists(p):
                raise PathError(f"{arg}: broken symbolic link") from None
            raise PathError(f"{arg}: no such file or directory") from None
        except OSError as exc:
            raise PathError(f"{arg}: {exc.strerror or exc}") from None
        if stat.S_ISDIR(mode):
            top = str(p)
            real_top = os.path.realpath(top)
            for dirpath, dirnames, filenames, others, linked in _walk(top, problems):
                # the real path of this folder, without resolving every file
                real_dir = real_top + dirpath[len(top) :]
                dirnames[:] = sorted(
                    d for d in dirnames if not excluded(d, _relative(real_dir, d, root_s))
                )
                in_figures = os.path.basename(dirpath) == "_figures"
                shown = str(Path(dirpath))  # as Path(dirpath, name) shows it, once per folder
                for name, kind in others.items():
                    rel = _relative(real_dir, name, root_s)
                    if included(name, rel) and not excluded(name, rel):
                        problems.notes.append(
                            f"{os.path.join(dirpath, name)}: skipped, {kind}, not a regular file"
                        )
                for name in sorted(filenames):
                    rel = _relative(real_dir, name, root_s)
                    if not included(name, rel) or excluded(name, rel):
                        continue
                    real = os.path.join(real_dir, name)
                    if real in seen:
                        continue
                    if not (in_figures or is_record_candidate(Path(dirpath, name))):
                        continue
                    if name in linked and _refused(
                        os.path.join(dirpath, name), root_s, follow_symlinks, problems
                    ):
                        continue
                    seen.add(real)
                    # one string, path and display name alike (no Path per file)
                    fp = name if shown == "." else os.path.join(shown, name)
                    yield fp, fp
        elif not stat.S_ISREG(mode):
            raise PathError(f"{arg}: {file_kind(mode)}, not a record file")
        else:
            # an unreadable file is the linter's to report (exit 2, the rest linted)
            real = os.path.realpath(p)
            if real in seen:
                continue
            seen.add(real)
            if p.suffix == ".md" and not is_record_candidate(p):
                continue
            if os.path.islink(p) and _refused(str(p), root_s, follow_symlinks, problems):
                continue
            yield p, str(p)


def _refused(path: str, root: str, follow: bool, problems: Problems) -> bool:
    """Whether the symbolic link ``path`` is skipped: it reaches outside
    ``root`` (unless ``follow``), or into a special file system (always)."""
    why = linked_outside(path, None if follow else root)
    if why is None:
        return False
    problems.notes.append(f"{path}: skipped, {why}")
    return True


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
