"""Which species a gene symbol belongs to, and which species a record is about.

``symbols()`` reads ``species_symbols.tsv.gz`` (built by
``tools/build_reference_data.py`` from MeSH supplementary concepts named
``SYMBOL protein, SPECIES``): the gene symbols of the non-mammalian model
organisms (fly, zebrafish, worm, yeast, Arabidopsis, Xenopus), each with its
species and, where the same string (exact case) is also a human (HGNC), mouse
(MGI) or rat (RGD) symbol, those mammals too.  It loads on the first call (a
rule body), never at import.

Drosophila's NCBI Gene symbols (``fly_symbols.tsv.gz``, from goatools'
copy of NCBI Gene, with the mammals whose symbol each also is) join that
table as fly symbols where MeSH names none (MeSH names a few thousand of the
fly's proteins; FlyBase has many more: `Debcl`, `Pka-C1`).

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

from linter.base.memo import TableMemo
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


def _trie(words) -> str:
    """A regex matching exactly ``words``, as a trie of their letters."""
    trie: dict = {}
    for w in words:
        node = trie
        for c in w:
            node = node.setdefault(c, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alts = [re.escape(c) + emit(n) for c, n in sorted(node.items()) if c]
        if not alts:
            return ""
        s = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return "(?:" + s + ")?" if "" in node else s

    return emit(trie)


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
        """The same test on a whole lower-case text (stops at the first hit).
        The words are written as a trie (`h(?:ea(?:rt|...)|...)`): one
        branch per letter instead of every word tried at every word start."""
        parts = []
        if self.prefixes:
            parts.append(_trie(self.prefixes))
        if self.exact:
            parts.append(_trie(self.exact) + r"\b")
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
#: `CR4567`), mixed-case names ending in a cytological band (`Pi3K92E`,
#: `betaTub56D`, `Lcp65Aa`: 1-102 and a letter A-F) and anonymous genes
#: named by their band (`anon-70Da`)
FLY_FORM = re.compile(
    r"C[GR]\d{3,5}|(?=[A-Za-z0-9\-]*[a-z])[A-Za-z][A-Za-z0-9\-]*[A-Za-z]\d{2,3}[A-F][a-z]?"
    r"|anon-\d{1,3}[A-F][a-z]?"
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
    # a few hundred distinct species lists for ~25,000 symbols: each split once
    parsed: dict[str, tuple[tuple[str, ...], bool]] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        symbol, _, kinds = line.partition("\t")
        found = parsed.get(kinds)
        if found is None:
            codes = tuple(kinds.split("|"))
            found = parsed[kinds] = (codes, any(k in MAMMALS for k in codes))
        table[symbol] = found[0]
        if found[1]:
            shared.add(symbol)
    return table, frozenset(shared)


# the reference settings last seen -> the tables they name, each loaded on
# its first use: one pathlib lookup per configuration, not per record
_CURRENT: list = [None, None, None]
_UNREAD = object()


def _tables() -> list:
    settings = reference._settings
    if _CURRENT[0] is not settings:
        _CURRENT[:] = [settings, _UNREAD, _UNREAD]
    return _CURRENT


def _symbol_tables() -> tuple[dict[str, tuple[str, ...]], frozenset[str]]:
    current = _tables()
    if current[1] is _UNREAD:
        current[1] = _with_fly(_path(), reference.table_path("fly_symbols"))
    return current[1]


#: the mark of a symbol NCBI Gene names (not MeSH), after its species
NCBI_GENE = "ncbi-gene"
_FLY = ("fly", NCBI_GENE)


@functools.cache
def _with_fly(path: Path, fly_path: Path) -> tuple[dict[str, tuple[str, ...]], frozenset[str]]:
    """The MeSH symbol table (``_load(path)``) with the fly's NCBI Gene
    symbols (``fly_path``: symbol, then the mammals whose symbol it also is)
    added as fly symbols where MeSH has none (a copy: ``_load``'s table is
    kept as read)."""
    table, shared = _load(path)
    try:
        text = gzip.decompress(fly_path.read_bytes()).decode("utf-8")
    except OSError:
        return table, shared
    table, also = dict(table), set(shared)
    kinds: dict[str, tuple[str, ...]] = {"": _FLY}  # mammals as written -> the codes
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        symbol, _, mammals = line.partition("\t")
        if symbol in table:
            continue
        codes = kinds.get(mammals)
        if codes is None:
            codes = kinds[mammals] = (*_FLY, *mammals.split("|"))
        table[symbol] = codes
        if mammals:
            also.add(symbol)
    return table, frozenset(also)


def _genus_table() -> reference.BlockedGzip | None:
    current = _tables()
    if current[2] is _UNREAD:
        current[2] = _genera(reference.table_path("genus_division"))
    return current[2]


def symbols() -> dict[str, tuple[str, ...]]:
    """symbol (exact case) -> its species codes (then any of ``MAMMALS``)."""
    return _symbol_tables()[0]


def shared_with_mammals() -> frozenset[str]:
    """The symbols of ``symbols()`` that are also a human, mouse or rat symbol."""
    return _symbol_tables()[1]


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


# the last record's prose, shared by the rules that read it in turn (GN113,
# MD112): keyed on the field values themselves (immutable strings), never on
# their text; [values, lower-case text, its words or None, their evidence or None]
_LAST_PROSE: list = [(), "", None, None]


def _prose_values(data: dict) -> tuple | None:
    """The prose fields' values, when all are strings or absent (else None:
    a list is mutable, and not memoised)."""
    values = tuple(data.get(k) for k in PROSE_FIELDS)
    for v in values:
        if v is not None and type(v) is not str:
            return None
    return values


def prose(data: dict) -> str:
    """``record_text(data, PROSE_FIELDS)``, read once per record."""
    values = _prose_values(data)
    if values is None:
        return record_text(data, PROSE_FIELDS)
    last = _LAST_PROSE[0]
    if len(last) != len(values) or any(a is not b for a, b in zip(last, values)):
        _LAST_PROSE[:] = [values, record_text(data, PROSE_FIELDS), None, None]
    return _LAST_PROSE[1]


def _from_last_prose(slot: int, base, derive):
    """``derive(base)``, kept in ``_LAST_PROSE[slot]`` when ``base`` is the
    value the slot before holds (the record's memoised prose or words), else
    worked out each time (a list value: not memoised)."""
    if _LAST_PROSE[slot - 1] is not base:
        return derive(base)
    if _LAST_PROSE[slot] is None:
        _LAST_PROSE[slot] = derive(base)
    return _LAST_PROSE[slot]


def prose_words(data: dict) -> frozenset[str]:
    """``text_words(prose(data))``, read once per record."""
    return _from_last_prose(2, prose(data), text_words)


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
    table = _genus_table()
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
    return words_evidence(frozenset(_TOKEN.findall(text)))


def words_evidence(words: frozenset[str]) -> frozenset[str]:
    """``evidence()`` of a text whose distinct words (``text_words()``) are
    ``words``."""
    memo = _WORD_TAGS.of(_EXACT)
    get = memo.get
    found: set[str] = set()
    for w in words:
        tags = get(w)
        if tags is None:
            tags = memo[w] = _word_tags(w)
        if tags:
            found |= tags
    return frozenset(found)


def _word_tags(word: str) -> frozenset[str]:
    """The evidence tags of one word: as an exact word, and by the prefixes
    it starts with (empty for most words)."""
    found: set[str] = set(_EXACT.get(word, ()))
    bucket = _BUCKETS.get(word[:3])
    if bucket:
        for prefix, tags in bucket:
            if word.startswith(prefix):
                found |= tags
    return frozenset(found)


# a text word -> its evidence tags (words recur from record to record)
_WORD_TAGS = TableMemo(100_000)


# -- sidecar gene rows by species (GN113) ---------------------------------------------

#: NCBI Taxonomy id -> species code of ``SPECIES`` (the model organisms whose
#: NCBI Gene symbols PFOCR's sidecar tables hold), and the mammals
TAXON_SPECIES = {
    "7227": "fly",
    "7955": "zebrafish",
    "6239": "worm",
    "4932": "yeast",
    "559292": "yeast",
    "4896": "yeast",
    "284812": "yeast",
    "3702": "arabidopsis",
    "8355": "xenopus",
    "8364": "xenopus",
    "9606": "human",
    "10090": "mouse",
    "10116": "rat",
}
#: the same species by the scientific name a sidecar row writes
NAME_SPECIES = {
    "Drosophila melanogaster": "fly",
    "Danio rerio": "zebrafish",
    "Caenorhabditis elegans": "worm",
    "Saccharomyces cerevisiae": "yeast",
    "Saccharomyces cerevisiae S288C": "yeast",
    "Schizosaccharomyces pombe": "yeast",
    "Schizosaccharomyces pombe 972h-": "yeast",
    "Arabidopsis thaliana": "arabidopsis",
    "Xenopus laevis": "xenopus",
    "Xenopus tropicalis": "xenopus",
    "Homo sapiens": "human",
    "Mus musculus": "mouse",
    "Rattus norvegicus": "rat",
}


def row_species(fields: dict) -> str | None:
    """The species code (of ``SPECIES``, or ``human`` / ``mouse`` / ``rat``)
    of a sidecar gene row, by its ``organism_id`` or else its
    ``organism_name``; None for any other organism or none."""
    org = fields.get("organism_id")
    if isinstance(org, str):
        code = TAXON_SPECIES.get(org.strip())
        if code is not None:
            return code
    name = fields.get("organism_name")
    return NAME_SPECIES.get(name.strip()) if isinstance(name, str) else None


def prose_evidence(data: dict) -> frozenset[str]:
    """``words_evidence(prose_words(data))``: the evidence of the record's
    prose (read once per record)."""
    return _from_last_prose(3, prose_words(data), words_evidence)


def also_of(kinds: tuple[str, ...] | None, species) -> bool:
    """Is a symbol of these ``kinds`` (a ``symbols()`` value, None when the
    table lacks it) a symbol of one of ``species`` too?"""
    return kinds is not None and any(k in species for k in kinds)
