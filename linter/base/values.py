"""Naming values in messages: what kind a value is, and a short quotation."""

from __future__ import annotations


def kind(value) -> str:
    """``a string``, ``a number``, ``a list``… as a message says it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def short(value, limit: int = 60) -> str:
    """``repr(value)`` cut to ``limit`` characters (``null`` for None)."""
    text = "null" if value is None else repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# the most characters of a record value a message quotes (a caption, a
# citation, a table cell can be a megabyte: a message stays a line)
QUOTE_LIMIT = 200


def quote(value, limit: int = QUOTE_LIMIT) -> str:
    """``repr(value)`` when the value is short; else its first ``limit``
    characters and how many it left out: ``'abc…' (12,345 more characters)``.
    The cost is bounded by ``limit`` for a string (no repr of the rest)."""
    if isinstance(value, str):
        if len(value) <= limit:
            return repr(value)
        head = repr(value[:limit])
        return f"{head[:-1]}…{head[-1]} ({len(value) - limit:,} more characters)"
    text = repr(value)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit:,} more characters)"


def clip(text: str, limit: int = QUOTE_LIMIT) -> str:
    """``text`` itself (unquoted) when short; else its first ``limit``
    characters and how many it left out: ``abc… (12,345 more characters)``."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit:,} more characters)"


def listed(items, limit: int, sep: str = ", ") -> str:
    """The first ``limit`` of ``items`` (strings) joined by ``sep``, and how
    many were left out: ``a, b, c (and 12 more)``."""
    items = list(items)
    shown = sep.join(items[:limit])
    return shown if len(items) <= limit else f"{shown} (and {len(items) - limit:,} more)"


def first_capitalised(name: str) -> str:
    """``name`` with its first word capitalised and the others lower case
    (`Epstein-Barr virus` -> `Epstein-barr virus`): the case MD107 also
    tries an organism name in, and the one ``taxonomy_renamed.tsv.gz`` keys
    virus names on."""
    words = name.split()
    return " ".join([words[0].capitalize(), *(w.lower() for w in words[1:])]) if words else name
