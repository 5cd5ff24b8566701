"""Finding the records to lint.

What a folder walk lints (ruff's model, ``include`` / ``exclude`` globs):

- ``include`` (default :data:`DEFAULT_INCLUDE`: ``**/_figures/**/*.md`` and
  ``PMC*__*.md``) says which files are records. Other Markdown files (a
  Jekyll page, a blog post, ``about.md``) are not records, whatever their
  front matter says. ``extend-include`` adds patterns to it.
- ``exclude`` (default :data:`DEFAULT_EXCLUDE`) names files and folders never
  linted (a folder excluded is not entered); ``extend-exclude`` adds to it.
- A pattern without a ``/`` matches a file's or folder's name; one with a
  ``/`` matches its path relative to the configuration's folder (the project
  root). ``*`` and ``?`` match any character, ``/`` included (fnmatch and
  ruff's globset alike); ``**/`` at the start, ``/**/`` inside and ``/**`` at
  the end match zero or more whole folders.
- ``.gitignore`` files are respected (``respect-gitignore = false`` or
  ``--no-respect-gitignore`` turns that off), as git reads them: only inside
  a git work tree, every ``.gitignore`` from the repository's top down and
  ``.git/info/exclude``; git's global excludes file is not read; and, as in
  git, a file git tracks is never ignored (one ``git ls-files``, asked only
  once a rule has matched).

A path named on the command line is linted as ruff lints it: even when
``exclude``, ``include`` or ``.gitignore`` leave it out, unless
``--force-exclude`` (``force-exclude = true``), under which it is linted only
when a folder walk would lint it (``exclude`` and ``include``; ruff applies
only ``exclude``, but its hook passes only Python files, as pre-commit's
``files:`` can only approximate a configured ``include``). One exception,
kept from 0.1: a Markdown file named explicitly that has no front matter and
lies outside the default record scope (a README) is still not a record.
"""

from __future__ import annotations

import itertools
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path

from linter.reading.files import file_kind, linked_outside

# records: figure pages in _figures/ (at any depth), and files named like one
DEFAULT_INCLUDE = ["**/_figures/**/*.md", "PMC*__*.md"]
DEFAULT_EXCLUDE = [
    ".git",
    ".hg",
    ".svn",
    ".venv",
    "venv",
    ".tox",
    "node_modules",
    "_site",
    ".jekyll-cache",
    ".sass-cache",
    ".pfocr-lint-cache",
]


class PathError(Exception):
    pass


def translate(pattern: str, separator: bool = False, atomic: bool = True) -> str:
    """The regular expression (no anchors) of a glob: ``*`` any run of
    characters, ``?`` one, ``[...]`` / ``[!...]`` a class, ``\\`` escapes;
    ``**/`` (at the start or after a ``/``) matches zero or more whole
    folders and a final ``**`` everything. ``separator``: ``*``, ``?`` and
    classes never match ``/`` (gitignore's rule); otherwise they do (fnmatch's
    and ruff's globset's default).

    Like fnmatch's, the expression never backtracks into a wildcard that
    another follows: each but the last matches up to the earliest place the
    text after it matches, atomically (a pattern from a ``.gitignore`` with
    many ``*`` cannot make a walk take hours; ``atomic=False``: the plain
    backtracking form, the same language, for the tests)."""
    one = "[^/]" if separator else "."
    pieces: list[list[str]] = [[]]  # text between the wildcards, as regular expressions
    gaps: list[tuple[str, str, bool]] = []  # the wildcards: (lazy, greedy, crosses a /)
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        at_folder = i == 0 or pattern[i - 1] == "/"
        if c == "*":
            if at_folder and pattern.startswith("**/", i):
                gaps.append(("(?:.*?/)??", "(?:.*/)?", True))
                pieces.append([])
                i += 3
                continue
            if at_folder and pattern[i:] == "**":
                gaps.append((".*?", ".*", True))
                pieces.append([])
                break
            while i < n and pattern[i] == "*":
                i += 1
            gaps.append((one + "*?", one + "*", not separator))
            pieces.append([])
            continue
        out = pieces[-1]
        if c == "?":
            out.append(one)
        elif c == "[":
            j = i + 1
            if j < n and pattern[j] in "!^":
                j += 1
            if j < n and pattern[j] == "]":
                j += 1
            while j < n and pattern[j] != "]":
                j += 1
            if j >= n:  # no closing bracket: a literal [
                out.append("\\[")
            else:
                inner = pattern[i + 1 : j]
                negate = inner[:1] in ("!", "^")
                if negate:
                    inner = inner[1:]
                inner = re.sub(r"([\\\[&~|])", r"\\\1", inner)
                if separator:
                    out.append(f"(?!/)[{'^' if negate else ''}{inner}]")
                else:
                    out.append(f"[{'^' if negate else ''}{inner}]")
                i = j + 1
                continue
        elif c == "\\" and i + 1 < n:
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        else:
            out.append(re.escape(c))
        i += 1
    texts = ["".join(p) for p in pieces]
    regex = [texts[0]]
    for k, (lazy, greedy, crosses) in enumerate(gaps, start=1):
        # the earliest match is the right one unless this wildcard crosses folders
        # and the next does not (gitignore's **/a*b on a/x/ab needs the later a)
        if atomic and k < len(gaps) and texts[k] and (gaps[k][2] or not crosses):
            # the earliest match of the text after this wildcard, atomically
            # (a lookahead's group and a back-reference: Python 3.10 has no (?>...))
            group = f"g{next(_GROUPS)}"
            regex.append(f"(?=(?P<{group}>{lazy}{texts[k]}))(?P={group})")
        else:
            regex.append(greedy + texts[k])
    return "".join(regex)


_GROUPS = itertools.count()  # group names, unique in every alternation of patterns


class _Patterns:
    """Glob patterns compiled once: those without a ``/`` match a file or
    folder name, those opening with ``**`` its absolute path (ruff matches
    them so: anywhere), the others its root-relative path (computed only
    then)."""

    def __init__(self, patterns):
        names = [translate(p) for p in patterns if "/" not in p]
        # a pattern with a "/" is relative to the project root ("./x" and "/x" alike)
        paths = [translate(_anchored(p)) for p in patterns if "/" in p and not p.startswith("**")]
        anywhere = [translate(p) for p in patterns if "/" in p and p.startswith("**")]
        self._name = _compiled(names)
        self._path = _compiled(paths)
        self._anywhere = _compiled(anywhere)

    def __call__(self, name: str, rel) -> bool:
        """``name`` (or, for patterns with a ``/``, the path given by calling
        ``rel()``, relative to the root, or ``rel(True)``, absolute) matches
        one of the patterns."""
        if self._name is not None and self._name(name):
            return True
        if self._anywhere is not None and self._anywhere(rel(True)):
            return True
        return self._path is not None and self._path(rel()) is not None

    def among(self, names, folder: str, root: str) -> set[str]:
        """The ``names`` of files in ``folder`` (real) that match, as calling
        the patterns on each would (with ``_relative(folder, name, root)``):
        the name patterns over all names at once, a path computed only for
        a name they leave, when a pattern with a ``/`` is there."""
        found = set(filter(self._name, names)) if self._name is not None else set()
        if self._anywhere is not None or self._path is not None:
            found.update(n for n in names if n not in found and self(n, _relative(folder, n, root)))
        return found


def _compiled(regexes: list[str]):
    return re.compile("(?:" + "|".join(regexes) + r")\Z", re.S).match if regexes else None


def _anchored(pattern: str) -> str:
    """A pattern with a ``/``, relative to the project root: ``./x`` and
    ``/x`` are ``x``; one opening with ``**`` is anywhere already."""
    while pattern.startswith("./"):
        pattern = pattern[2:]
    return pattern.lstrip("/") if not pattern.startswith("**") else pattern


def in_default_scope(path) -> bool:
    """Whether ``path`` is a record by the default scope: a Markdown file in a
    ``_figures`` folder (at any depth), or one named ``PMC…__….md``."""
    folder, name = os.path.split(os.path.abspath(os.fspath(path)))
    if name.startswith("PMC") and "__" in name and name.endswith(".md"):
        return True
    return name.endswith(".md") and "_figures" in folder.replace(os.sep, "/").split("/")


def is_record_candidate(path) -> bool:
    """A file named on the command line is a record when it is in the default
    scope (then it gets FM101 when it lacks front matter) or opens with front
    matter. Other Markdown files (a README) are not records and are skipped."""
    if in_default_scope(path):
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


# -- .gitignore ------------------------------------------------------------------------
class _IgnoreRule:
    __slots__ = ("base", "match", "negate", "folders_only", "anchored")

    def __init__(self, base: str, match, negate: bool, folders_only: bool, anchored: bool):
        self.base, self.match, self.negate = base, match, negate
        self.folders_only, self.anchored = folders_only, anchored


def parse_gitignore(text: str, base: str) -> list[_IgnoreRule]:
    """The rules of a ``.gitignore`` in the folder ``base`` (git's syntax:
    ``#`` comments, ``!`` negation, a final ``/`` for folders only, a pattern
    with another ``/`` relative to ``base``, else a name at any depth)."""
    rules: list[_IgnoreRule] = []
    runs: list[tuple[tuple[bool, bool, bool], list[str]]] = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        # trailing spaces are dropped unless escaped
        stripped = line.rstrip(" ")
        if stripped.endswith("\\") and len(stripped) < len(line):
            stripped += " "
        line = stripped
        negate = line.startswith("!")
        if negate or line.startswith("\\!") or line.startswith("\\#"):
            line = line[1:]
        folders_only = line.endswith("/")
        line = line.rstrip("/")
        if not line:
            continue
        anchored = "/" in line
        line = line.lstrip("/")
        regex = translate(line, separator=True)
        try:
            re.compile(regex)
        except re.error:  # git skips a pattern it cannot read
            continue
        kind = (negate, folders_only, anchored)
        if runs and runs[-1][0] == kind:
            runs[-1][1].append(regex)
        else:
            runs.append((kind, [regex]))
    # consecutive rules of one kind decide alike: one expression for each run
    # (the last match wins only between runs), so a long .gitignore stays cheap
    for (negate, folders_only, anchored), regexes in runs:
        match = re.compile("(?:" + "|".join(regexes) + r")\Z", re.S).match
        rules.append(_IgnoreRule(base, match, negate, folders_only, anchored))
    return rules


def _read_ignore_file(path: str) -> str:
    try:
        fd = os.open(path, _PEEK_FLAGS)
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return ""
            return os.read(fd, 1 << 20).decode("utf-8", "replace")
        finally:
            os.close(fd)
    except OSError:
        return ""


def _git_top(folder: str) -> str | None:
    """The work tree holding ``folder`` (the nearest folder upward with a
    ``.git``), or None."""
    while True:
        if os.path.lexists(os.path.join(folder, ".git")):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


class _GitIgnore:
    """The ``.gitignore`` rules in force in each folder of a walk, and, as
    git has it, a file git tracks is never ignored (a pull request cannot
    hide a record it commits behind a ``.gitignore`` line)."""

    def __init__(self):
        self.rules: dict[str, list[_IgnoreRule]] = {}  # real folder -> rules in force
        self.tops: dict[str, str] = {}  # real folder walked -> its work tree's top
        self.top: str | None = None  # the work tree of the walk under way
        self._tracked: dict[str, tuple[set, set] | None] = {}  # top -> (files, folders)

    def hides(self, rules, real_dir: str, name: str, is_dir: bool) -> bool:
        """Whether ``name`` in ``real_dir`` is ignored: a rule says so and git
        tracks nothing there (asked only when a rule matched)."""
        if not ignored(rules, real_dir, name, is_dir):
            return False
        tracked = self._tracked_in(self.top)
        if tracked is None:
            return True
        rel = os.path.join(real_dir, name)[len(self.top) + 1 :].replace(os.sep, "/")
        return rel not in tracked[1 if is_dir else 0]

    def _tracked_in(self, top: str | None):
        """The files git tracks in ``top`` and their folders (one ``git
        ls-files`` per work tree, only once a rule has matched); None when
        git cannot say."""
        if top is None:
            return None
        if top not in self._tracked:
            self._tracked[top] = _git_ls_files(top)
        return self._tracked[top]

    def start(self, real_top: str) -> list[_IgnoreRule] | None:
        """The rules in force in the folder ``real_top`` (and remembered for
        it): ``.git/info/exclude`` and the ``.gitignore`` files from the work
        tree's top down to it. None outside a git work tree."""
        if real_top in self.rules:
            self.top = self.tops.get(real_top)
            return self.rules[real_top]
        top = self.top = _git_top(real_top)
        if top is None:
            return None
        self.tops[real_top] = top
        rules = parse_gitignore(
            _read_ignore_file(os.path.join(top, ".git", "info", "exclude")), top
        )
        folder = top
        rel = os.path.relpath(real_top, top)
        parts = [] if rel == "." else rel.split(os.sep)
        rules += parse_gitignore(_read_ignore_file(os.path.join(folder, ".gitignore")), folder)
        for part in parts:
            folder = os.path.join(folder, part)
            rules += parse_gitignore(_read_ignore_file(os.path.join(folder, ".gitignore")), folder)
        self.rules[real_top] = rules
        return rules

    def enter(self, real_dir: str, parent_rules: list[_IgnoreRule], has_file: bool):
        """The rules in force in ``real_dir``, a subfolder met in the walk."""
        if not has_file:
            rules = parent_rules
        else:
            own = parse_gitignore(_read_ignore_file(os.path.join(real_dir, ".gitignore")), real_dir)
            rules = parent_rules + own if own else parent_rules
        self.rules[real_dir] = rules
        return rules


def _git_ls_files(top: str) -> tuple[set, set] | None:
    """(files, folders) git tracks in the work tree ``top``, relative to it;
    None when git is not installed or fails."""
    import shutil  # start-up: only a walk that met an ignored path asks git
    import subprocess

    git = shutil.which("git")
    if git is None:
        return None
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    command = [git, "--literal-pathspecs", "-C", top, "-c", "safe.bareRepository=explicit"]
    command += ["-c", "core.fsmonitor=false", "ls-files", "-z"]
    try:
        done = subprocess.run(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    if done.returncode != 0:
        return None
    files = {p for p in done.stdout.decode("utf-8", "surrogateescape").split("\0") if p}
    folders = set()
    for path in files:
        cut = path.rfind("/")
        while cut > 0 and path[:cut] not in folders:
            folders.add(path[:cut])
            cut = path.rfind("/", 0, cut)
    return files, folders


def ignored(rules: list[_IgnoreRule], real_dir: str, name: str, is_dir: bool) -> bool:
    """Whether git ignores ``name`` in ``real_dir`` under ``rules`` (the last
    rule that matches decides)."""
    for rule in reversed(rules):
        if rule.folders_only and not is_dir:
            continue
        if rule.anchored:
            if real_dir == rule.base:
                rel = name
            elif real_dir.startswith(rule.base + os.sep):
                rel = real_dir[len(rule.base) + 1 :].replace(os.sep, "/") + "/" + name
            else:
                continue
            hit = rule.match(rel)
        else:
            hit = rule.match(name)
        if hit:
            return not rule.negate
    return False


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
    respect_gitignore: bool = True,
    force_exclude: bool = False,
) -> Iterator[tuple[Path | str, str]]:
    """Yield ``(path, display name)`` for every record under ``paths``, each
    directory walked in sorted order (see the module docstring for what is
    a record). A path given that does not exist or is not a regular file or
    a folder raises :class:`PathError`; what is met inside folders besides
    records goes to ``problems``. A file that a symbolic link places outside
    ``root`` is skipped with a note, unless ``follow_symlinks``."""
    if problems is None:
        problems = Problems()
    seen: set[str] = set()  # real paths: a file reached twice is linted once
    root_s = os.path.realpath(root)
    included, excluded = _Patterns(include), _Patterns(exclude)
    gitignore = _GitIgnore() if respect_gitignore else None
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
            if force_exclude and _excluded_path(real_top, root_s, excluded):
                continue
            rules = gitignore.start(real_top) if gitignore is not None else None
            for dirpath, dirnames, filenames, others, linked in _walk(top, problems):
                # the real path of this folder, without resolving every file
                real_dir = real_top + dirpath[len(top) :]
                if rules is not None:
                    in_force = gitignore.rules.get(real_dir)
                    if in_force is None:
                        parent = gitignore.rules.get(os.path.dirname(real_dir), rules)
                        in_force = gitignore.enter(real_dir, parent, ".gitignore" in filenames)
                else:
                    in_force = None
                dirnames[:] = sorted(
                    d
                    for d in dirnames
                    if not excluded(d, _relative(real_dir, d, root_s))
                    and not (in_force and gitignore.hides(in_force, real_dir, d, True))
                )
                shown = str(Path(dirpath))  # as Path(dirpath, name) shows it, once per folder
                for name, kind in others.items():
                    rel = _relative(real_dir, name, root_s)
                    if included(name, rel) and not excluded(name, rel):
                        problems.notes.append(
                            f"{os.path.join(dirpath, name)}: skipped, {kind}, not a regular file"
                        )
                # a listed name holds no separator: joined by concatenation
                real_in = os.path.join(real_dir, "")
                shown_in = "" if shown == "." else os.path.join(shown, "")
                names = sorted(filenames)
                # the patterns over the folder's names at once (a call per file costs)
                chosen = included.among(names, real_dir, root_s)
                chosen.difference_update(excluded.among(chosen, real_dir, root_s))
                for name in names:
                    if name not in chosen:
                        continue
                    if in_force and gitignore.hides(in_force, real_dir, name, False):
                        continue
                    real = real_in + name
                    if real in seen:
                        continue
                    if name in linked and _refused(
                        os.path.join(dirpath, name), root_s, follow_symlinks, problems
                    ):
                        continue
                    seen.add(real)
                    # one string, path and display name alike (no Path per file)
                    fp = shown_in + name
                    yield fp, fp
        elif not stat.S_ISREG(mode):
            raise PathError(f"{arg}: {file_kind(mode)}, not a record file")
        else:
            # an unreadable file is the linter's to report (exit 2, the rest linted)
            real = os.path.realpath(p)
            if real in seen:
                continue
            if force_exclude and not _walk_lints(p, root_s, included, excluded):
                continue
            seen.add(real)
            if p.suffix == ".md" and not is_record_candidate(p):
                continue
            if os.path.islink(p) and _refused(str(p), root_s, follow_symlinks, problems):
                continue
            yield p, str(p)


def in_scope(path, include: list[str], exclude: list[str], root) -> bool:
    """Whether a folder walk would lint the file ``path`` as a record: it
    matches ``include`` and neither it nor a folder of it below ``root``
    matches ``exclude`` (``.gitignore`` aside). The editor server asks."""
    return _walk_lints(Path(path), os.path.realpath(root), _Patterns(include), _Patterns(exclude))


def _walk_lints(p: Path, root: str, included: _Patterns, excluded: _Patterns) -> bool:
    absolute = os.path.join(os.path.realpath(p.parent), p.name)
    rel = _relative(os.path.dirname(absolute), p.name, root)
    return included(p.name, rel) and not _excluded_path(absolute, root, excluded)


def _excluded_path(path: str, root: str, excluded: _Patterns) -> bool:
    """Whether ``path`` (absolute) or one of its folders below ``root`` is
    excluded (``--force-exclude``; a path outside ``root``: only its name)."""
    while True:
        folder, name = os.path.split(path)
        if not name or excluded(name, _relative(folder, name, root)):
            return bool(name)
        if not folder.startswith(root + os.sep):
            return False
        path = folder


def _refused(path: str, root: str, follow: bool, problems: Problems) -> bool:
    """Whether the symbolic link ``path`` is skipped: it reaches outside
    ``root`` (unless ``follow``), or into a special file system (always)."""
    why = linked_outside(path, None if follow else root)
    if why is None:
        return False
    problems.notes.append(f"{path}: skipped, {why}")
    return True


def _relative(folder: str, name: str, root: str):
    """A callable giving ``folder/name`` relative to ``root`` (posix; absolute
    when called with True), computed only when a pattern needs it."""

    def rel(absolute: bool = False) -> str:
        full = os.path.join(folder, name)
        if not absolute and full.startswith(root + os.sep):
            full = full[len(root) + 1 :]
        return full.replace(os.sep, "/")

    return rel


def default_paths(cwd: Path) -> list[str]:
    """What `check` lints with no path and no configured `paths`: the
    embedded seeds when run from the project, else the working directory."""
    if (cwd / "seeds").is_dir():
        return ["seeds"]
    return ["."]
