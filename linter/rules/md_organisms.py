"""MD112, MD113: organism entries that name no organism of the figure.

Part of the MD family. MD113 reads ``linter/refdata/taxonomy_nonorganisms.tsv.gz``
(NCBI Taxonomy entries that are not organisms), loaded only when it runs.
"""

from __future__ import annotations

import functools
import gzip
import re

from linter.base.model import Problem
from linter.base.values import short
from linter.rules.md import _organism_items
from linter.rules.na import is_placeholder
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

    return _load(reference.table_path("taxonomy_nonorganisms"))


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


# -- MD112 ------------------------------------------------------------------------

#: genus -> the species code of linter.knowledge.species (its evidence words)
MODEL_GENERA = {
    "Drosophila": "fly",
    "Danio": "zebrafish",
    "Caenorhabditis": "worm",
    "Saccharomyces": "yeast",
    "Schizosaccharomyces": "yeast",
    "Arabidopsis": "arabidopsis",
    "Xenopus": "xenopus",
}
MAMMAL_GENERA = ("Homo", "Mus", "Rattus")
#: name parts that say nothing about which organism it is
_GENERIC = frozenset(
    [
        "sp.",
        "spp.",
        "subsp.",
        "str.",
        "strain",
        "var.",
        "pv.",
        "serovar",
        "group",
        "clade",
        "virus",
        "viruses",
        "phage",
        "type",
        "human",
        "bovine",
        "swine",
        "avian",
        "acute",
        "severe",
        "respiratory",
        "syndrome",
        "associated",
        "like",
        "related",
        "unclassified",
        "uncultured",
        "complex",
    ]
)
_WORD = re.compile(r"[a-z][a-z\-]{3,}")


def _name_words(name: str) -> list[str]:
    """The words of a taxon name that may show in the text: the genus, the
    epithets, a virus name's distinctive words (4+ letters, no digits)."""
    return [
        w for w in (t.lower() for t in name.split()) if w not in _GENERIC and _WORD.fullmatch(w)
    ]


def _acronym(tokens: list[str], parts: list[str]) -> bool:
    """The text writes the species as an acronym ending in its initials
    (`MRSA`, `SA` for Staphylococcus aureus)."""
    if len(tokens) < 2 or not tokens[0][:1].isalpha() or not tokens[1][:1].isalpha():
        return False
    initials = (tokens[0][0] + tokens[1][0]).upper()
    rx = re.compile(r"\b[A-Z]{0,3}" + initials + r"\b")
    return any(rx.search(p) for p in parts)


@rule("MD112", "organism-unsupported", "info", needs=("reference",))
def organism_unsupported(rec, ctx):
    """An organism entry that nothing in the record supports.

    What: an entry of `organisms` or `organisms_ner` that the record's own
    text (figure title, caption, paper title, journal) never names: none of
    its name's words (the genus, the epithet, a virus name's words) occurs,
    nor, for a model organism, a word for it (`fly`, `larva`, `zebrafish`,
    `worm`, `yeast`, `plant`, `frog`...). Human, mouse and rat are reported
    only when the text speaks of plants or microbes alone (no human, host,
    tissue, disease or mammal word): the 2020 records name `Homo sapiens` by
    default. Placeholders and non-organisms (MD113's) are not reported here.
    Why: the species lists are mined from the whole paper and from the genes
    matched; a fly added by fly symbols matched to OCR words, or a plant
    named once in the paper's methods, files the figure under a species it
    does not show.
    Fails:
        figtitle: Bone-brain crosstalk in human ageing
        caption: Osteokines signal from bone to the brain.
        organisms_ner:
        - Homo sapiens
        - Drosophila melanogaster
    Passes:
        figtitle: Dpp signalling in the Drosophila wing disc
        caption: Dpp and Gbb form heterodimers.
        organisms_ner:
        - Drosophila melanogaster
    """
    data = rec.data if isinstance(rec.data, dict) else {}
    items = [
        (k, i, " ".join(v.split()))
        for k, i, v in _organism_items(data)
        if isinstance(v, str) and not is_placeholder(v) and v.strip()
    ]
    if not items:
        return
    from linter.knowledge import species as sp

    parts: list[str] = []
    for key in ("figtitle", "caption", "papertitle", "journal_title", "journal_nlm_ta"):
        value = data.get(key)
        if isinstance(value, str):
            parts.append(value)
    text = " ".join(parts).lower()
    words = set(re.findall(r"[a-z][a-z\-]+", text))
    supported = sp.supported(text)
    non_mammal = None
    skip = _nonorganisms()
    for key, i, name in items:
        if name in skip:
            continue
        tokens = name.split()
        genus = tokens[0]
        if genus in MAMMAL_GENERA:
            if non_mammal is None:
                non_mammal = sp.non_mammal_only(text)
            if not non_mammal:
                continue
            why = "the title, caption, paper title and journal speak only of plants or microbes"
        elif genus in MODEL_GENERA:
            if MODEL_GENERA[genus] in supported or genus.lower() in words:
                continue
            why = (
                f"the title, caption, paper title and journal never name it nor use a word "
                f"for it ({sp.EVIDENCE_SHOWN[MODEL_GENERA[genus]]}...)"
            )
        else:
            mine = _name_words(name)
            if not mine or any(w in words for w in mine):
                continue
            if _acronym(tokens, parts):
                continue
            divs = sp.divisions(name)
            if sp.group_named(divs, text):
                continue  # a review of a group: "plants", "Gram-negative bacteria"
            why = f"none of {', '.join(map(repr, mine))} occurs in the title, caption, paper title or journal"
        path = f"/{key}" if i is None else f"/{key}/{i}"
        source = (
            "gene recognition (a species for every symbol matched)"
            if key == "organisms_ner"
            else "the paper's full text"
        )
        yield Problem(
            path,
            f"{path}: {short(name)} is not supported by the record: {why}; more likely "
            f"added by {source} than shown in the figure; expected the figure's species",
            data={
                "organism": name,
                "more_likely": "a species of the paper or of spurious gene matches, not of the figure",
                "vocabulary": "the record's title, caption, paper title and journal",
            },
        )
