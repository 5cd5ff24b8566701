"""Record generations (FORMAT.md): which upstream writer produced a record."""

from __future__ import annotations


def detect(data: dict) -> str | None:
    """The generation of a record's data: "A", "A'", 'A"', "B", "C" or None
    when the marks are contradictory or missing. (Placeholder: refined by the
    generation module's owner.)"""
    if "automl_pathway" in data:
        return "B"
    if "pathway_score" in data:
        return "A"
    return None
