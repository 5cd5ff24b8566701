"""Path helpers for the loops that run once per file of a run."""

from __future__ import annotations

import os

_POSIX = os.sep == "/" and os.altsep is None  # "/" alone separates a path's parts
POSIX = _POSIX  # (and a path is absolute when it starts with one)


def _posix_split(path: str) -> tuple[str, str]:
    """``posixpath.split`` for a ``str``, without its per-call dispatch."""
    i = path.rfind("/") + 1
    head, tail = path[:i], path[i:]
    if head and head.count("/") != len(head):
        head = head.rstrip("/")
    return head, tail


#: ``os.path.split`` for a ``str`` (where ``/`` is the only separator, a
#: quicker equal: it runs once per file of a run)
split = _posix_split if _POSIX else os.path.split


def stem(base: str) -> str:
    """``os.path.splitext(base)[0]`` (a record's figid from its file name),
    without the call for a ``.md`` name."""
    return base[:-3] if len(base) > 3 and base.endswith(".md") else os.path.splitext(base)[0]


def folder_prefix(folder: str) -> str | None:
    """What the names of ``folder``'s files (as :func:`split` gives the
    folder) start with, for :func:`base_in`: ``folder/``; None where that
    test would not be :func:`split`'s answer (no folder, a folder ending in
    a separator, a system with another separator)."""
    if not _POSIX or not folder or folder.endswith("/"):
        return None
    return folder + "/"


def base_in(path: str, prefix: str | None) -> str | None:
    """``path``'s base name when ``path`` is a file of the folder whose
    :func:`folder_prefix` is ``prefix`` (``split(path)`` would give that
    folder and this name), else None: a run's files come folder by folder,
    and this costs less than splitting each name."""
    if prefix is None or not path.startswith(prefix):
        return None
    base = path[len(prefix) :]
    return base if base and "/" not in base else None
