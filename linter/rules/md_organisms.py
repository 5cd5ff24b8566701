"""MD112, MD113: organism entries that name no organism of the figure.

Part of the MD family. MD113 reads ``linter/refdata/taxonomy_nonorganisms.tsv.gz``
(NCBI Taxonomy entries that are not organisms), loaded only when it runs.
"""

from __future__ import annotations

import functools
import gzip
import re

from linter.base.model import Problem
from linter.base.values import quote, short
from linter.rules.na import is_placeholder
from linter.rules.md import _organism_items
from linter.rules.registry import rule

NONORGANISMS_FILE = "taxonomy_nonorganisms.tsv.gz"

_WHAT = {
    "sequence": "an NCBI Taxonomy entry for sequences, not an organism",
    "metagenome": "an NCBI Taxonomy metagenome (a sample's mixed DNA), not an organism",
    "environmental": "an NCBI Taxonomy environmental-sample entry, not a named organism",
    "placeholder": "an NCBI Taxonomy placeholder entry, not a named organism",
    "higher-taxon": "a higher taxon, not an organism a figure can be about",
}


@functools.cache
def _load(path) -> dict[str, tuple[str, str]]:
    table: dict[str, tuple[str, str]] = {}
    try:
        text = gzip.decompress(path.read_bytes()).decode("utf-8")
    except OSError:
        return table
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) >= 3:
            table[cells[0]] = (cells[1], cells[2])
    return table


def _nonorganisms() -> dict[str, tuple[str, str]]:
    from linter.knowledge import reference

    return _load(reference.table_path("sources").with_name(NONORGANISMS_FILE))


@rule("MD113", "organism-not-organism", "warning", needs=("reference",))
def organism_not_organism(rec, ctx):
    """An organism entry is an NCBI Taxonomy entry that names no organism.

    What: a name in `organisms` or `organisms_ner` that NCBI Taxonomy holds,
    but not as an organism: by its lineage, an entry under "other entries"
    (synthetic constructs, vectors) or "unclassified entries" (metagenomes,
    enrichment cultures, `prion`); by its division, an environmental
    sample; a lower-case placeholder filed straight under "unclassified
    eukaryotes/Bacteria/..." (`herbal medicine`); by its rank, a taxon above
    the order (`Embryophyta`, `Sar`, `PX clade`). MD107 passes these names:
    they are NCBI scientific names.
    Why: the organism lists drive the site's species filters; `gut
    metagenome` or `herbal medicine` files the figure under a species that
    does not exist, and a kingdom or clade under no species at all.
    Fails:
        organisms:
        - herbal medicine
        - gut metagenome
    Passes:
        organisms:
        - Panax ginseng
    """
    data = rec.data if isinstance(rec.data, dict) else {}
    items = [
        (k, i, v)
        for k, i, v in _organism_items(data)
        if isinstance(v, str) and not is_placeholder(v)
    ]
    if not items:
        return
    table = _nonorganisms()
    for key, i, value in items:
        name = " ".join(value.split())
        hit = table.get(name)
        if hit is None:
            continue
        kind, detail = hit
        path = f"/{key}" if i is None else f"/{key}/{i}"
        yield Problem(
            path,
            f"{path}: {short(name)} is {_WHAT.get(kind, 'not an organism')} (NCBI Taxonomy: "
            f"{detail}); expected the species the figure is about, or no entry",
            data={
                "organism": name,
                "more_likely": kind,
                "detail": detail,
                "vocabulary": "NCBI Taxonomy (lineage, division, rank)",
            },
        )


_ = (quote, re)
