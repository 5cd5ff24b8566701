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

#: a few of each species' evidence words, for messages
EVIDENCE_SHOWN = {
    "fly": "Drosophila, fly, larva, insect",
    "zebrafish": "zebrafish, Danio, fish",
    "worm": "C. elegans, nematode, worm",
    "yeast": "yeast, Saccharomyces, fungal",
    "arabidopsis": "Arabidopsis, plant, leaf, root",
    "xenopus": "Xenopus, frog, oocyte",
}
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
#: a figure about plants or microbes only: its text has one of these words ...
NON_MAMMAL = re.compile(
    r"\b(?:" + EVIDENCE["arabidopsis"] + r"|bacteri|microb|staphylococc|streptococc|"
    r"escherichia|e\. ?coli|salmonella|pseudomonas|mycobacter|bacillus|listeria|mrsa|"
    r"archae|cyanobacter|plasmodium|malaria|parasit|trypanosom|toxoplasm|leishmania|"
    r"yeasts?\b|saccharomyces|fung(?:us|i|al))"
)
#: ... and none of these (a mammal, a host, a human tissue or disease)
MAMMAL = re.compile(
    r"\b(?:human|homo sapiens|patients?\b|clinic|mouse|mice|murine|mus musculus|rats?\b|"
    r"rattus|mammal|host|cell lines?|hela|hek|cancer|tumou?r|carcinom|leuk|lymph|blood|"
    r"serum|plasma|liver|hepat|brain|neur|heart|cardi|kidney|renal|lung|pulmonar|skin|"
    r"immun|macrophage|t.?cells?|b.?cells?|inflamm|disease|syndrome|diabet|obes|"
    r"pig|porcine|bovine|cattle|sheep|ovine|goat|dog|canine|cat\b|feline|monkey|primate|"
    r"chicken|avian|duck|hamster|rabbit|gut|intestin|colon|stomach|gastr|bone|muscle)"
)
_EVIDENCE = {k: re.compile(r"\b(?:" + v + ")") for k, v in EVIDENCE.items()}
#: keywords between two hits of one species at most this many places apart
BLOCK_GAP = 3
#: what a gene symbol looks like (no spaces, not too long)
SYMBOL_FORM = re.compile(r"[A-Za-z0-9][A-Za-z0-9()'.:+\-]{0,19}")
#: zebrafish nomenclature: lower-case letters and digits
ZEBRAFISH_FORM = re.compile(r"[a-z][a-z0-9]{2,15}")


def block_symbol(word: str) -> bool:
    """``word`` looks like a gene symbol, not an ordinary word (`Andorra`,
    `wash`, `Cyt-c-p` do; `glucose` does not)."""
    if not SYMBOL_FORM.fullmatch(word) or len(word) > 12:
        return False
    return len(word) <= 5 or any(c.isupper() or c.isdigit() for c in word)


def zebrafish_human(word: str, approved) -> str | None:
    """The approved HGNC symbol whose zebrafish-style form ``word`` is
    (``fgf23`` -> FGF23, paralogue ``cxcl8a`` -> CXCL8), else None."""
    upper = word.upper()
    if approved(upper):
        return upper
    if word[-1] in "ab" and len(word) > 3 and approved(upper[:-1]):
        return upper[:-1]
    return None


TEXT_FIELDS = ("figtitle", "caption", "papertitle", "journal_title", "journal_nlm_ta", "organisms")


def _path() -> Path:
    return reference.table_path("species_symbols")


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


def non_mammal_only(text: str) -> bool:
    """The text speaks of plants or microbes and of no mammal, host or
    human tissue."""
    return bool(NON_MAMMAL.search(text)) and not MAMMAL.search(text)


def supported(text: str) -> set[str]:
    """The species codes whose evidence words ``text`` holds."""
    return {code for code, rx in _EVIDENCE.items() if rx.search(text)}


# -- organisms by NCBI division (MD112) ----------------------------------------------

GENUS_FILE = "genus_division.tsv.gz"
#: NCBI division -> words of a record's text that speak of organisms of it
DIVISION_EVIDENCE = {
    "BCT": r"bacteri|microb|gram.?(?:negative|positive)|prokaryot|enterobacter|biofilm|"
    r"pathogen|antibiotic|probiotic|quorum",
    "PHG": r"phages?\b|bacteriophage|bacteri",
    "PLN": EVIDENCE["arabidopsis"] + r"|" + r"fung(?:us|i|al)|yeasts?\b|mushroom|mou?lds?\b|"
    r"algae?\b|algal",
    "INV": r"insects?\b|invertebrate|worms?\b|nematodes?\b|parasit|mosquito|ticks?\b|mollus|"
    r"crustace|shrimp|silkworm|bees?\b|moths?\b|larva|drosophila|fl(?:y|ies)\b",
    "VRT": r"fish|birds?\b|avian|chicken|frogs?\b|amphibian|reptil|vertebrate|duck|turkey",
    "VRL": r"virus|viral|virion|infect",
    "MAM": r"mammal|animal|livestock|rodent|pig|porcine|bovine|cattle|sheep|ovine|goat|"
    r"dogs?\b|canine|cats?\b|feline|horse|equine|rabbit|hamster",
}
DIVISION_EVIDENCE["PRI"] = DIVISION_EVIDENCE["MAM"] + r"|primate|monkey|macaque|human"
DIVISION_EVIDENCE["ROD"] = DIVISION_EVIDENCE["MAM"] + r"|mouse|mice|murine|rats?\b"
_DIVISION = {k: re.compile(r"\b(?:" + v + ")") for k, v in DIVISION_EVIDENCE.items()}
VIRUS_NAME = re.compile(r"virus|phage|viroid", re.IGNORECASE)


@functools.cache
def _load_genera(path: Path) -> dict[str, tuple[str, ...]]:
    table: dict[str, tuple[str, ...]] = {}
    try:
        text = gzip.decompress(path.read_bytes()).decode("utf-8")
    except OSError:
        return table
    for line in text.splitlines():
        if line and not line.startswith("#"):
            genus, _, divs = line.partition("\t")
            table[genus] = tuple(divs.split("|"))
    return table


def divisions(name: str) -> tuple[str, ...]:
    """The NCBI divisions of an organism name's genus (a virus name: VRL)."""
    if VIRUS_NAME.search(name):
        return ("VRL",)
    genus = name.split(" ", 1)[0]
    return _load_genera(reference.table_path("genus_division")).get(genus, ())


def group_named(divs: tuple[str, ...], text: str) -> bool:
    """The text speaks of organisms of one of these divisions."""
    return any(d in _DIVISION and _DIVISION[d].search(text) for d in divs)
