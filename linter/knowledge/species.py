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


class Words:
    """Evidence words: a text word matches when it is one of ``exact`` or
    starts with one of ``prefixes`` (word starts: `larva` matches `larvae`)."""

    __slots__ = ("exact", "prefixes")

    def __init__(self, prefixes: str, exact: str = ""):
        self.prefixes = tuple(prefixes.split())
        self.exact = frozenset(exact.split())

    def __or__(self, other: Words) -> Words:
        new = Words("")
        new.prefixes = self.prefixes + other.prefixes
        new.exact = self.exact | other.exact
        return new

    def regex(self) -> re.Pattern:
        """The same test on a whole lower-case text (stops at the first hit)."""
        parts = [re.escape(x) for x in self.prefixes]
        if self.exact:
            parts.append("(?:" + "|".join(map(re.escape, sorted(self.exact))) + r")\b")
        return re.compile(r"\b(?:" + "|".join(parts) + ")")

    def found(self, words: frozenset[str]) -> bool:
        if not self.exact.isdisjoint(words):
            return True
        prefixes = self.prefixes
        return any(w.startswith(prefixes) for w in words)


#: words of a record's text that say the figure may be about the species
EVIDENCE = {
    "fly": Words("drosophil melanogast flybase imaginal insect dipter mosquito larva", "fly flies"),
    "zebrafish": Words("zebrafish danio fish teleost medaka embryo"),
    "worm": Words("elegans caenorhab nematod worm"),
    "yeast": Words("yeast saccharomyc cerevisi pombe fung candida aspergill budding fission"),
    "arabidopsis": Words(
        "arabidops thaliana plant leaf leaves seedling maize wheat tobacco tomato crop "
        "flower photosynth chloroplast botan phyto oryza nicotiana solanum brassica poplar "
        "populus",
        "root roots rice zea",
    ),
    "xenopus": Words("xenopus frog laevis tropicalis amphibian oocyte tadpole"),
}
#: a figure about plants or microbes only: its text has one of these words ...
NON_MAMMAL = EVIDENCE["arabidopsis"] | Words(
    "bacteri microb staphylococc streptococc escherichia salmonella pseudomonas mycobacter "
    "bacillus listeria mrsa archae cyanobacter plasmodium malaria parasit trypanosom "
    "toxoplasm leishmania yeast saccharomyc fung",
    "coli",
)
#: a figure about insects or worms (MD112: no human there; GN113 keeps human
#: ortholog symbols, the curators' choice for animals without a lexicon)
INVERTEBRATE = Words(
    "insect moth silkworm bombyx lepidopter mosquito drosophil larva diapause caterpillar "
    "beetle aphid nematod elegans",
    "fly flies worm worms",
)
#: ... and none of these (a mammal, a host, a human tissue or disease)
MAMMAL = Words(
    "human sapiens patient clinic mouse mice murine musculus rattus mammal host hela hek "
    "cancer tumor tumour carcinom leuk lymph blood serum plasma liver hepat brain neur heart "
    "cardi kidney renal lung pulmonar skin immun macrophage inflamm disease syndrome diabet "
    "obes porcine bovine cattle sheep ovine goat canine feline monkey primate chicken avian "
    "duck hamster rabbit intestin colon stomach gastr bone muscle",
    "homo rat rats pig pigs dog dogs cat cats gut",
)

#: keywords between two hits of one species at most this many places apart
BLOCK_GAP = 3
#: what a gene symbol looks like (no spaces, not too long)
SYMBOL_FORM = re.compile(r"[A-Za-z0-9][A-Za-z0-9()'.:+\-]{0,19}")
#: FlyBase nomenclature no vertebrate uses: annotation ids (`CG8112`,
#: `CR4567`) and mixed-case names ending in a cytological band (`Pi3K92E`,
#: `betaTub56D`, `Lcp65Aa`: 1-102 and a letter A-F)
FLY_FORM = re.compile(
    r"C[GR]\d{3,5}|(?=[A-Za-z0-9\-]*[a-z])[A-Za-z][A-Za-z0-9\-]*[A-Za-z]\d{2,3}[A-F][a-z]?"
)


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


PROSE_FIELDS = ("figtitle", "caption", "papertitle", "journal_title", "journal_nlm_ta")
TEXT_FIELDS = (*PROSE_FIELDS, "organisms")


def _path() -> Path:
    return reference.table_path("species_symbols")


@functools.cache
def _load(path: Path) -> tuple[dict[str, tuple[str, ...]], frozenset[str]]:
    table: dict[str, tuple[str, ...]] = {}
    shared: set[str] = set()
    try:
        text = gzip.decompress(path.read_bytes()).decode("utf-8")
    except OSError:
        return table, frozenset()
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        symbol, _, kinds = line.partition("\t")
        table[symbol] = tuple(kinds.split("|"))
        if any(k in MAMMALS for k in table[symbol]):
            shared.add(symbol)
    return table, frozenset(shared)


def symbols() -> dict[str, tuple[str, ...]]:
    """symbol (exact case) -> its species codes (then any of ``MAMMALS``)."""
    return _load(_path())[0]


def shared_with_mammals() -> frozenset[str]:
    """The symbols of ``symbols()`` that are also a human, mouse or rat symbol."""
    return _load(_path())[1]


_TOKEN = re.compile(r"[a-z]+")


def record_text(data: dict, fields: tuple[str, ...] = TEXT_FIELDS) -> str:
    """The record's own words about its subject, lower case (``fields``:
    the text fields and ``organisms``; pass ``PROSE_FIELDS`` for the text
    alone)."""
    parts: list[str] = []
    for key in fields:
        value = data.get(key)
        if isinstance(value, str):
            parts.append(value)
        elif isinstance(value, list):
            parts.extend(v for v in value if isinstance(v, str))
    return " ".join(parts).lower()


def text_words(text: str) -> frozenset[str]:
    """The distinct words (letters only) of a lower-case text."""
    return frozenset(_TOKEN.findall(text))


def non_mammal_only(found: frozenset[str]) -> bool:
    """The text (its ``evidence()``) speaks of plants or microbes and of no
    mammal, host or human tissue."""
    return "non-mammal" in found and "mammal" not in found


def mammal_free(text: str) -> bool:
    """No mammal, host, human tissue or disease word in the lower-case text
    (one regex search that stops at the first hit: most texts have one
    early, so the word-by-word ``evidence()`` is then not needed)."""
    return _MAMMAL_RX.search(text) is None


def invertebrate_only(found: frozenset[str]) -> bool:
    """The text (its ``evidence()``) speaks of insects or worms and of no
    mammal, host or human tissue."""
    return "invertebrate" in found and "mammal" not in found


def supported(found: frozenset[str]) -> set[str]:
    """The species codes whose evidence words the text (``evidence()``) holds."""
    return {code for code in EVIDENCE if code in found}


# -- organisms by NCBI division (MD112) ----------------------------------------------

GENUS_FILE = "genus_division.tsv.gz"
#: NCBI division -> words of a record's text that speak of organisms of it
DIVISION_EVIDENCE = {
    "BCT": Words(
        "bacteri microb gram prokaryot enterobacter biofilm pathogen antibiotic probiotic quorum"
    ),
    "PHG": Words("phage bacteriophage bacteri"),
    "PLN": EVIDENCE["arabidopsis"] | Words("fung yeast mushroom mould alga", "mold molds"),
    "INV": Words(
        "insect invertebrate worm nematod parasit mosquito mollus crustace shrimp silkworm "
        "larva drosophil",
        "tick ticks bee bees moth moths fly flies",
    ),
    "VRT": Words("fish bird avian chicken frog amphibian reptil vertebrate duck turkey"),
    "VRL": Words("virus viral virion infect"),
    "MAM": Words(
        "mammal animal livestock rodent porcine bovine cattle sheep ovine goat canine feline "
        "horse equine rabbit hamster",
        "pig pigs dog dogs cat cats",
    ),
}
DIVISION_EVIDENCE["PRI"] = DIVISION_EVIDENCE["MAM"] | Words("primate monkey macaque human")
DIVISION_EVIDENCE["ROD"] = DIVISION_EVIDENCE["MAM"] | Words("mouse mice murine", "rat rats")
VIRUS_NAME = re.compile(r"virus|phage|viroid", re.IGNORECASE)


@functools.cache
def _genera(path: Path) -> reference.BlockedGzip | None:
    return reference.BlockedGzip.open(path)


def divisions(name: str) -> tuple[str, ...]:
    """The NCBI divisions of an organism name's genus (a virus name: VRL)."""
    if VIRUS_NAME.search(name):
        return ("VRL",)
    genus = name.split(" ", 1)[0]
    table = _genera(reference.table_path("genus_division"))
    line = table.line(genus) if table is not None else None
    return tuple(line.split("\t", 1)[1].split("|")) if line and "\t" in line else ()


def group_named(divs: tuple[str, ...], found: frozenset[str]) -> bool:
    """The text (its ``evidence()``) speaks of organisms of one of these divisions."""
    return any("div:" + d in found for d in divs)


def _index() -> tuple[dict[str, frozenset[str]], dict[str, tuple[tuple[str, frozenset[str]], ...]]]:
    """Every evidence word list by tag, indexed: exact words, and prefixes
    by their first three letters (a text word is looked up once or twice)."""
    lists = dict(EVIDENCE)
    lists["mammal"] = MAMMAL
    lists["non-mammal"] = NON_MAMMAL
    lists["invertebrate"] = INVERTEBRATE
    lists.update({"div:" + d: w for d, w in DIVISION_EVIDENCE.items()})
    exact: dict[str, set[str]] = {}
    prefixes: dict[str, set[str]] = {}
    for tag, words in lists.items():
        for w in words.exact:
            exact.setdefault(w, set()).add(tag)
        for w in words.prefixes:
            (exact if len(w) < 3 else prefixes).setdefault(w, set()).add(tag)
    buckets: dict[str, list[tuple[str, frozenset[str]]]] = {}
    for w, tags in sorted(prefixes.items()):
        buckets.setdefault(w[:3], []).append((w, frozenset(tags)))
    return (
        {w: frozenset(t) for w, t in exact.items()},
        {k: tuple(v) for k, v in buckets.items()},
    )


_EXACT, _BUCKETS = _index()
_MAMMAL_RX = MAMMAL.regex()


def evidence(text: str) -> frozenset[str]:
    """The evidence tags a lower-case text holds: species codes of
    ``EVIDENCE``, ``mammal``, ``non-mammal``, ``div:<NCBI division>``."""
    found: set[str] = set()
    exact, buckets = _EXACT, _BUCKETS
    for w in _TOKEN.findall(text):
        hit = exact.get(w)
        if hit:
            found |= hit
        bucket = buckets.get(w[:3])
        if bucket:
            for prefix, tags in bucket:
                if w.startswith(prefix):
                    found |= tags
    return frozenset(found)
