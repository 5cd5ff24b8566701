"""Resolved settings of a run: what to run, on what, and how findings count."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

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

    def ignored_for(self, filename: str) -> frozenset[str]:
        if not self.per_file_ignores:
            return frozenset()
        rel = _relative(filename, self.root)
        out: set[str] = set()
        for pattern, codes in self.per_file_ignores:
            if _glob_match(rel, pattern):
                out |= codes
        return frozenset(out)


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
