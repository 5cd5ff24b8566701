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
    folder) start with: ``folder/``; None where the test below would not be
    :func:`split`'s answer (no folder, a folder ending in a separator, a
    system with another separator). A run's files come folder by folder, so
    the loops that run once per file (the cache keys, XR104) take a path
    that starts with the last folder's prefix, followed by a base name that
    is not empty and holds no ``/``, as a file of that folder without
    splitting it (the test is written inline there: a call per file costs
    more than the test)."""
    if not _POSIX or not folder or folder.endswith("/"):
        return None
    return folder + "/"
