"""Path helpers for the loops that run once per file of a run."""

from __future__ import annotations

import os


def _posix_split(path: str) -> tuple[str, str]:
    """``posixpath.split`` for a ``str``, without its per-call dispatch."""
    i = path.rfind("/") + 1
    head, tail = path[:i], path[i:]
    if head and head.count("/") != len(head):
        head = head.rstrip("/")
    return head, tail


#: ``os.path.split`` for a ``str`` (where ``/`` is the only separator, a
#: quicker equal: it runs once per file of a run)
split = _posix_split if os.sep == "/" and os.altsep is None else os.path.split
