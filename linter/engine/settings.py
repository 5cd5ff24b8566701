"""Resolved settings of a run: what to run, on what, and how findings count."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from linter.base.links import DOCS_URL
from linter.base.model import SEVERITY_RANK, Finding
from linter.reading.reader import DEFAULT_MAX_SIZE


class InternalError(Exception):
    """A bug (or an environment failure) while linting ``filename``."""

    def __init__(self, filename: str, detail: str):
        super().__init__(f"{filename}: internal error: {detail}")
        self.filename = filename
        self.detail = detail


@dataclass
class Settings:
    """Resolved configuration: what to run and how to report it."""

    select: frozenset[str]
    severity: dict[str, str] = field(default_factory=dict)
    per_file_ignores: list[tuple[str, frozenset[str]]] = field(default_factory=list)
    fail_on: str = "warning"
    max_size: int = DEFAULT_MAX_SIZE
    root: Path = field(default_factory=Path.cwd)
    options: dict = field(default_factory=dict)  # rule and collection options
    # facts of the run the rules may consult: the folder of the configuration
    # (relative paths in rule options are against it) and the paths given
    config_root: Path | None = None
    paths: tuple[str, ...] = ()
    # read records and tables that symbolic links place outside ``root``
    follow_symlinks: bool = False
    # the documentation site's base URL (``docs-url``): findings link to
    # <docs_url>rules/<CODE>/; "" for no links. Not part of the cache key:
    # it changes no finding, only how reporters link them
    docs_url: str = DOCS_URL

    def ignored_for(self, filename: str) -> frozenset[str]:
        """The codes ``per-file-ignores`` turns off for ``filename``. The
        patterns are grouped by their codes: a pattern without wildcards is a
        dictionary lookup, the others of a group one compiled regex (with
        50,000 patterns, trying each in turn thrashed fnmatch's cache and
        took seconds per file)."""
        if not self.per_file_ignores:
            return frozenset()
        matcher = self.__dict__.get("_matcher")
        if matcher is None or matcher[0] is not self.per_file_ignores:
            matcher = (self.per_file_ignores, _GlobMatcher(self.per_file_ignores))
            self.__dict__["_matcher"] = matcher
        return matcher[1].codes(_relative(filename, self.root))


def _relative(filename: str, root: Path) -> str:
    p = Path(filename)
    try:
        return p.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return p.as_posix()


def _glob_match(rel: str, pattern: str) -> bool:
    if fnmatch.fnmatchcase(rel, pattern):
        return True
    if "/" not in pattern:  # a bare pattern matches the file name anywhere
        return fnmatch.fnmatchcase(rel.rsplit("/", 1)[-1], pattern)
    return False


def fails(findings: Iterable[Finding], fail_on: str) -> bool:
    limit = SEVERITY_RANK[fail_on]
    return any(SEVERITY_RANK[f.severity] >= limit for f in findings)


_GLOB_CHARS = re.compile(r"[*?\[]")


class _GlobMatcher:
    """``_glob_match`` over many (pattern, codes) pairs at once."""

    def __init__(self, pairs):
        self.exact: dict[str, set] = {}  # a path (or a bare file name) -> codes
        self.bare: dict[str, set] = {}
        groups: dict[frozenset, tuple[list, list]] = {}
        for pattern, codes in pairs:
            if not _GLOB_CHARS.search(pattern):
                self.exact.setdefault(pattern, set()).update(codes)
                if "/" not in pattern:
                    self.bare.setdefault(pattern, set()).update(codes)
                continue
            full, bare = groups.setdefault(frozenset(codes), ([], []))
            translated = fnmatch.translate(pattern)
            full.append(translated)
            if "/" not in pattern:
                bare.append(translated)
        self.regexes = [
            (_alternation(full), _alternation(bare), codes)
            for codes, (full, bare) in groups.items()
        ]

    def codes(self, rel: str) -> frozenset[str]:
        name = rel.rsplit("/", 1)[-1]
        out: set[str] = set()
        out.update(self.exact.get(rel, ()))
        out.update(self.bare.get(name, ()))
        for full, bare, codes in self.regexes:
            if not codes <= out and (
                (full is not None and full(rel)) or (bare is not None and bare(name))
            ):
                out |= codes
        return frozenset(out)


def _alternation(translated: list[str]):
    if not translated:
        return None
    return re.compile("|".join(f"(?:{t})" for t in translated)).match
