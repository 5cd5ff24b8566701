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
