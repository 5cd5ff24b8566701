"""A record's annotations: its genes, chemicals and diseases.

Taken from the front matter's own ``genes:`` / ``chemicals:`` / ``diseases:``
lists (older records) or, when the record has none, from its sidecar tables
(newer records; see FORMAT.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from linter.model import Span


@dataclass
class Entry:
    """One annotation row: its fields, and where it is (a JSON pointer into the
    front matter, or a sidecar file and its span)."""

    fields: dict
    path: str | None = None
    file: str | None = None
    span: Span | None = None


@dataclass
class Annotations:
    source: str  # "front-matter" | "sidecar" | "none"
    genes: list[Entry] = field(default_factory=list)
    chemicals: list[Entry] = field(default_factory=list)
    diseases: list[Entry] = field(default_factory=list)


def attach(rec, ctx) -> None:
    """Set ``rec.annotations`` (front-matter lists only, for now)."""
    data = rec.data
    lists = {}
    for kind in ("genes", "chemicals", "diseases"):
        items = data.get(kind)
        if isinstance(items, list):
            lists[kind] = [
                Entry(item, path=f"/{kind}/{i}")
                for i, item in enumerate(items)
                if isinstance(item, dict)
            ]
    if lists:
        rec.annotations = Annotations("front-matter", **lists)
    else:
        rec.annotations = Annotations("none")
