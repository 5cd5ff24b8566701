"""Which species a gene symbol belongs to, and which species a record is about.

``symbols()`` reads ``species_symbols.tsv.gz`` (built by
``tools/build_reference_data.py`` from MeSH supplementary concepts named
``SYMBOL protein, SPECIES``): the gene symbols of the non-mammalian model
organisms (fly, zebrafish, worm, yeast, Arabidopsis, Xenopus), each with its
species and, where the same string (exact case) is also a human (HGNC), mouse
(MGI) or rat (RGD) symbol, those mammals too.  It loads on the first call (a
rule body), never at import.

``supported(data)`` tells which of those species the record's own text
supports: its figure title, caption, paper title, journal and ``organisms``
(not ``organisms_ner``: gene recognition adds a species there for every
symbol it matched, spurious ones included).
"""

from __future__ import annotations

import functools
import gzip
import re
from pathlib import Path

from linter.knowledge import reference

SPECIES_FILE = "species_symbols.tsv.gz"

#: species code -> (name shown in messages, MeSH's species word)
SPECIES = {
    "fly": ("Drosophila melanogaster (fly)", "Drosophila"),
    "zebrafish": ("Danio rerio (zebrafish)", "zebrafish"),
    "worm": ("Caenorhabditis elegans (worm)", "C elegans"),
    "yeast": ("yeast (Saccharomyces / Schizosaccharomyces)", "S cerevisiae / S pombe"),
    "arabidopsis": ("Arabidopsis thaliana (plant)", "Arabidopsis"),
    "xenopus": ("Xenopus (frog)", "Xenopus"),
}
MAMMALS = ("human", "mouse", "rat")

#: words of a record's text that say the figure may be about the species
#: (lower case; matched at word starts).
EVIDENCE = {
    "fly": r"drosophila|melanogaster|fruit ?fl(?:y|ies)|fl(?:y|ies)\b|flybase|imaginal|"
    r"insects?\b|dipter|mosquito|larva",
    "zebrafish": r"zebra ?fish|danio|fish|teleost|medaka|embryos?\b",
    "worm": r"elegans|caenorhabditis|nematodes?\b|worms?\b|c\. ?elegans",
    "yeast": r"yeasts?\b|saccharomyces|cerevisiae|pombe|fung(?:us|i|al)|candida|"
    r"aspergillus|budding|fission",
    "arabidopsis": r"arabidopsis|thaliana|plants?\b|leaf|leaves|seedlings?|roots?\b|"
    r"rice\b|maize|wheat|tobacco|tomato|crops?\b|flower|photosynth|chloroplast|"
    r"botan|phyto|oryza|zea\b|nicotiana|solanum|glycine max|brassica|poplar|populus",
    "xenopus": r"xenopus|frogs?\b|laevis|tropicalis|amphibian|oocytes?\b|tadpole",
}
_EVIDENCE = {k: re.compile(r"\b(?:" + v + ")") for k, v in EVIDENCE.items()}
TEXT_FIELDS = ("figtitle", "caption", "papertitle", "journal_title", "journal_nlm_ta", "organisms")


def _path() -> Path:
    return reference.table_path("sources").with_name(SPECIES_FILE)


@functools.cache
def _load(path: Path) -> dict[str, tuple[str, ...]]:
    table: dict[str, tuple[str, ...]] = {}
    try:
        text = gzip.decompress(path.read_bytes()).decode("utf-8")
    except OSError:
        return table
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        symbol, _, kinds = line.partition("\t")
        table[symbol] = tuple(kinds.split("|"))
    return table


def symbols() -> dict[str, tuple[str, ...]]:
    """symbol (exact case) -> its species codes (then any of ``MAMMALS``)."""
    return _load(_path())


def record_text(data: dict) -> str:
    """The record's own words about its subject, lower case."""
    parts: list[str] = []
    for key in TEXT_FIELDS:
        value = data.get(key)
        if isinstance(value, str):
            parts.append(value)
        elif isinstance(value, list):
            parts.extend(v for v in value if isinstance(v, str))
    return " ".join(parts).lower()


def supported(text: str) -> set[str]:
    """The species codes whose evidence words ``text`` holds."""
    return {code for code, rx in _EVIDENCE.items() if rx.search(text)}
