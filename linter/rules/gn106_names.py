"""GN106's word tools: the telling words of a gene name or long form, and
how a compound name, a head noun or a Greek subunit letter reads
(:mod:`linter.rules.gn106` judges with them)."""

from __future__ import annotations

import functools
import re

from linter.knowledge.abbreviations import singular
from linter.knowledge.words import (
    DESCRIPTION_GENERIC_WORDS,
    DESCRIPTION_STOP_WORDS,
    GREEK_NAME,
    GREEK_WORDS,
    SYNONYMS,
    greek,
)


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


# abbreviations that HGNC names and captions both use inside long names
_EXPAND = {
    "il": "interleukin",
    "ifn": "interferon",
    "ldl": "low density lipoprotein",
    "hdl": "high density lipoprotein",
    "tnf": "tumor necrosis factor",
    "tgf": "transforming growth factor",
    "egf": "epidermal growth factor",
    "fgf": "fibroblast growth factor",
    "igf": "insulin growth factor",
    "pdgf": "platelet derived growth factor",
    "vegf": "vascular endothelial growth factor",
    "lps": "lipopolysaccharide",
    "nlr": "nod like receptor",
    "tlr": "toll like receptor",
    "mhc": "major histocompatibility complex",
}


# names whose words differ from the HGNC name's (applied before splitting)
_PHRASES = (
    (
        re.compile(
            r"cysteinyl[ -]aspartate[ -]specific[ -]protei?nases?|cysteine[ -]aspartic[ -]proteases?"
        ),
        "caspase",
    ),
)
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_WORD_PARTS = re.compile(r"[a-z]+|[0-9]+")


def name_words(text: str, generic: bool = False) -> frozenset[str]:
    """The telling words of a name (cached: the same gene names and long forms
    come back record after record)."""
    return _name_words(text, generic)


@functools.lru_cache(maxsize=65536)
def _name_words(text: str, generic: bool = False) -> frozenset[str]:
    """The words of a name that can tell genes apart: lower case, Greek
    letters spelled out, plurals folded, spelling variants and embedded
    abbreviations (`IL`, `LDL`, `TNF`…) unified; stop words, generic words
    (`protein`, `receptor`, `factor`…; kept with ``generic=True``), numbers
    and words under 3 letters dropped. Mixed tokens (`cd40`, `p53`) are kept
    whole."""
    out: set[str] = set()
    low = greek(text, GREEK_NAME).lower()
    for pattern, replacement in _PHRASES:
        low = pattern.sub(replacement, low)
    for raw in _NOT_WORD.split(low):
        if not raw:
            continue
        parts = _WORD_PARTS.findall(raw)
        words = parts if len(parts) == 1 else [raw, *parts]
        for w in words:
            w = singular(w)
            w = SYNONYMS.get(w, w)
            for x in _EXPAND.get(w, w).split():
                if len(x) < 3 or x.isdigit() or x in DESCRIPTION_STOP_WORDS:
                    continue
                if generic or x not in DESCRIPTION_GENERIC_WORDS:
                    out.add(x)
    return frozenset(out)


@functools.lru_cache(maxsize=65536)
def _describes(long: str, name: str) -> bool:
    if name_words(long) & name_words(name):
        return True
    words = name_words(long, generic=True)
    return bool(words) and not name_words(long) and words <= name_words(name, generic=True)


def describes(long: str, gene) -> bool:
    """Does the long form describe the gene's HGNC name? It does when they
    share a telling word, or when every word of a long form made of generic
    words only is in the name (`nuclear factor kappa B` for `nuclear factor
    kappa B subunit 1`)."""
    return _describes(long, gene.name)


# words after which a compound name's head follows: the words before them name
# another protein the head relates to (`Bcl-2-associated X protein`)
_RELATIONAL = re.compile(
    r"(?i)[\s-](?:associated|related|interacting|binding|activated|activating|dependent|"
    r"like|induced|inducing|inducible|regulated|regulating|responsive|containing|derived|"
    r"mediated|specific|coupled|linked|sensitive)\b"
)


@functools.lru_cache(maxsize=16384)
def _modifier_words(long: str) -> tuple[frozenset[str], str]:
    """The telling words before the first relational word of a compound name,
    and that word (`Bcl-2-associated X protein` -> {bcl}, `associated`): they
    name what the head relates to, not the head (unless a gene's name holds
    the relation too: `calcitonin related polypeptide alpha` for `calcitonin
    gene-related peptide`)."""
    m = _RELATIONAL.search(long)
    if m is None:
        return frozenset(), "\0"
    return name_words(long[: m.start()]), m.group()[1:].lower()


@functools.lru_cache(maxsize=16384)
def _own_head(fam, gene, head: str) -> bool:
    """Does ``head`` (a long form's last word, singular) name the gene's own
    kind: a word of its HGNC name (`cyclin dependent kinase inhibitor 1A`)
    or of a FamPlex family it belongs to?"""
    if head in name_words(gene.name, generic=True):
        return True
    return any(
        head in name_words(f.replace("_", " "), generic=True) for f in fam.families_of(gene.symbol)
    )


def _named_after(hgnc, gene, symbols) -> bool:
    """Is a lexicon gene for the long form named after the candidate gene, its
    HGNC name mentioning the candidate's symbol (`TGF-beta activated kinase 1
    (MAP3K7) binding protein 3`, TAB3, for `TAK1, TGF-β activated kinase 1`:
    the long form is the start of a compound name that is about MAP3K7)?"""
    pattern = re.compile(rf"(?<![A-Za-z0-9]){re.escape(gene.symbol)}(?![A-Za-z0-9])")
    return any((g := hgnc.approved(s)) is not None and pattern.search(g.name) for s in symbols)


def _subunits(hgnc, long: str, symbols) -> frozenset[str] | list[str]:
    """A long form ending in a Greek letter (`guanylyl cyclase α`) names a
    subunit: of the lexicon's genes, those whose HGNC name holds that letter
    (GUCY1A1, GUCY1A2), when there are any."""
    words = greek(long, GREEK_NAME).split()
    last = words[-1].lower() if words else ""
    if last not in GREEK_WORDS:
        return symbols
    picked = [
        s for s in symbols if (g := hgnc.approved(s)) is not None and last in g.name.lower().split()
    ]
    return picked or symbols
