"""GN109's verdict on one word and one gene: what the vocabularies say a
word that reached the gene through an alias names instead (a chemical,
another gene, a family the gene is not in, an ordinary English word,
nothing in particular), and the per-gene facts the rule compares (the keys
of a gene's aliases, its FamPlex families, its paralogs). Pure functions of
the reference tables, cached per table; :mod:`linter.rules.gn_alias` reads
the records."""

from __future__ import annotations

import functools
import re

from linter.knowledge.abbreviations import key

_senses = None  # linter.knowledge.senses, imported by the first rule that runs

_AMBIGUOUS_MIN = 3  # an alias of genes of this many symbol stems, the symbol of none
_FAMILY_MAX = 60  # a FamPlex family larger than this names nothing in particular


def _senses_module():
    global _senses
    if _senses is None:
        from linter.knowledge import senses as _senses_mod  # only these rules load it

        _senses = _senses_mod
    return _senses


class Verdict:
    """Why a word is not the gene's: ``kind`` (chemical, gene, family,
    symbol, ambiguous), ``means`` (what the word more likely names, for the
    message), ``vocabulary`` (which source says so) and ``others`` (the genes
    it names instead, for ``data``)."""

    __slots__ = ("kind", "means", "vocabulary", "others")

    def __init__(self, kind: str, means: str, vocabulary: str, others: tuple[str, ...] = ()):
        self.kind = kind
        self.means = means
        self.vocabulary = vocabulary
        self.others = others


def _per_gene(func):
    """Cache ``func(gene)`` by the gene's symbol, checked against the gene
    object itself (tables keep one object per gene): a string lookup, where
    ``lru_cache`` would hash every field of the named tuple at each call."""
    memo: dict[str, tuple] = {}

    @functools.wraps(func)
    def cached(gene):
        hit = memo.get(gene.symbol)
        if hit is not None and hit[0] is gene:
            return hit[1]
        value = func(gene)
        if len(memo) >= 16384:
            memo.clear()
        memo[gene.symbol] = (gene, value)
        return value

    return cached


@_per_gene
def _gene_keys(gene) -> tuple[str, frozenset[str]]:
    """The key of the gene's approved symbol and the keys of its aliases and
    previous symbols, HGNC's and NCBI's (cached per gene; the keys are
    :func:`_named_keys`', worked out once)."""
    return key(gene.symbol), frozenset([k for _, k in _named_keys(gene)])


def _names(symbols, limit: int = 4) -> str:
    shown = sorted(symbols)
    return ", ".join(shown[:limit]) + (
        f" and {len(shown) - limit} more" if len(shown) > limit else ""
    )


@functools.lru_cache(maxsize=65536)
def _judge_word(word: str, k: str, symbol: str, hgnc, fam) -> Verdict | None:
    """What ``word`` (key ``k``) names instead of the gene ``symbol``, or
    None when nothing says it names something else (cached per tables)."""
    own = key(symbol)
    found = _senses_module().senses(k)
    # a numbered gene of the word (GLS2 of GLS, FASN of FAS): it may be meant,
    # unless every sense of the word as written is a thing that is no gene
    # (`DAG`, diacylglycerol, for DAG1)
    if (
        own.startswith(k)
        and _NUMBERED.fullmatch(own[len(k) :])
        and not (found and all(x.sense in _THINGS and x.written(word) for x in found))
    ):
        return None
    ncbi_only = symbol in _senses_module().ncbi_genes(k)
    if ncbi_only and k.startswith(own) and _PSEUDO.fullmatch(k[len(own) :]):
        return None  # NCBI lists a pseudogene's symbol (DVL1P1) among its parent's synonyms
    named, labels = _sense_genes(k, fam)
    if labels:
        if symbol in named:
            return None
        if _paralog(fam, symbol, named, any_size=ncbi_only):
            return None  # NCBI's synonyms name paralogs loosely (p38 for MAPK1)
        if named:
            what = f"{_names(named)}" if len(named) > 1 else next(iter(named))
            means = f"names {what}" + (" (a family or complex)" if len(named) > 1 else "")
        else:
            means = "names a family or complex without HGNC genes"
        kind = "family" if any(x.sense == "family" for x in found) else "gene"
        return Verdict(kind, means, labels[0], tuple(sorted(named)))
    thing = next((s for s in found if s.sense in _THINGS and s.written(word)), None)
    if thing is not None:
        return Verdict(thing.sense, f"names {_THINGS[thing.sense]}", thing.label)
    english = next((s for s in found if s.sense == "word"), None)
    if (
        english is not None
        and word.isalpha()
        and (word.islower() or word.istitle())
        and not _word_of_gene(word, symbol, hgnc)
    ):
        # written as a word, not as a symbol (`Killer`, not `KILLER`)
        return Verdict("word", "is an ordinary English word", english.label)
    members = fam.members(word, ignore_case=True)
    if members and len(members) <= _FAMILY_MAX:
        if symbol in members:
            return None
        return Verdict(
            "family",
            f"names a family ({_names(members)})",
            f"FamPlex {word}",
            tuple(sorted(members)),
        )
    by = hgnc.named_by(k)
    if by["symbol"]:
        named = by["symbol"]
        if symbol in named or _paralog(fam, symbol, named):
            return None  # the gene or a paralog
        return Verdict(
            "symbol",
            f"is the approved symbol of {_names(named)}",
            "HGNC approved symbols",
            tuple(sorted(named)),
        )
    stems = by["stem"] - {symbol}
    if len(stems) >= 2 and symbol not in by["stem"] and not _paralog(fam, symbol, stems):
        # the common stem of a numbered family's symbols (`FBP`: FBP1, FBP2,
        # fructose-bisphosphatases; an alias of FUBP1)
        return Verdict(
            "stem",
            f"is the stem of the approved symbols {_names(stems)}",
            "HGNC approved symbols",
            tuple(sorted(stems)),
        )
    ncbi = _senses_module().ncbi_genes(k)
    alias_of = by["alias"] | by["previous"] | ncbi
    groups = {(re.match(r"[A-Za-z]+", g) or re.match(".*", g)).group() for g in alias_of}
    if len(groups) >= _AMBIGUOUS_MIN and symbol in alias_of and not _own(k, symbol, hgnc):
        return Verdict(
            "ambiguous",
            f"is an alias of {len(alias_of)} genes ({_names(alias_of)}) and the approved "
            "symbol of none",
            "HGNC aliases and previous symbols"
            + (", NCBI Gene synonyms" if not ncbi <= (by["alias"] | by["previous"]) else ""),
            tuple(sorted(alias_of)),
        )
    curated = (by["alias"] | by["previous"]) - {symbol}
    if ncbi_only and curated and not _own(k, symbol, hgnc):
        if _paralog(fam, symbol, curated, any_size=True):
            return None
        return Verdict(
            "alias",
            f"is HGNC's alias of {_names(curated)}, while HGNC does not list it for {symbol}",
            "HGNC aliases and previous symbols, NCBI Gene synonyms",
            tuple(sorted(curated)),
        )
    return None


def _word_of_gene(word: str, symbol: str, hgnc) -> bool:
    """Is the English ``word`` the gene's own name: a word of its HGNC name
    (`snail family transcriptional repressor 1` for `Snail`), an alias HGNC
    writes in lower case, as a word and not as a symbol (`raptor`, `parkin`,
    `merlin`; `KILLER` is written as a symbol), or, written capitalised as
    a name is, a previous symbol, the gene's approved symbol once (`Slug`:
    SNAI2 was SLUG; lower-case `cell` is the word, not CELP's CELL)?"""
    gene = hgnc.approved(symbol)
    if gene is None:
        return False
    low = word.lower()
    if any(a == low for a in gene.aliases):
        return True
    if word.istitle() and any(p.lower() == low for p in gene.prev):
        return True
    return low in _NAME_WORD.findall(gene.name.lower())


_NAME_WORD = re.compile(r"[a-z]+")


# senses that name no gene, in order of precedence, and how a message says them
_THINGS = {
    "chemical": "a chemical",
    "cell": "a cell type",
    "process": "a biological process",
    "component": "a cellular component",
    "disease": "a disease",
    "technique": "a technique",
    "anatomy": "an anatomical structure",
    "organism": "an organism",
}
_NUMBERED = re.compile(r"[0-9]+[A-Z]?|[A-Z]")  # GLS2 of GLS, not the pseudogene RHEBP1 of RHEB
_PSEUDO = re.compile(r"P[0-9]+")  # a pseudogene of the symbol: DVL1P1 of DVL1
_INITIALS = re.compile(r"[A-Za-z0-9]+")


def _own(k: str, symbol: str, hgnc) -> bool:
    """Is the ambiguous alias ``k`` the gene's own abbreviation: a start of its
    symbol (`FBP` of FBP1), starting with its symbol's stem (`CPT1` of CPT2),
    or spelled by the initials of its HGNC name (`TRAP` of ACP5, `acid
    phosphatase 5, tartrate resistant`)?"""
    symbol_key = key(symbol)
    if symbol_key.startswith(k):
        return True
    stem = re.match(r"[A-Z]{2,}", symbol_key)
    if stem and len(stem.group()) >= 3 and k.startswith(stem.group()):
        return True
    gene = hgnc.approved(symbol)
    letters = [c for c in k if c.isalpha()]
    if gene is None or len(letters) < 3:
        return False
    initials = {w[0].upper() for w in _INITIALS.findall(gene.name)}
    return all(c in initials for c in letters)


_INDEX_TAIL = re.compile(r"(?:[0-9]+[A-Z]?|[A-Z])$")


@functools.lru_cache(maxsize=65536)
def _kin(fam, a: str, b: str) -> bool:
    """Are the approved symbols ``a`` and ``b`` paralogs: in one FamPlex
    family of up to 60 members, or the same symbol but for a final index
    (CD8A and CD8B, IDH1 and IDH2)? (Cached per table: a fact of the
    reference data, asked for every pair of keyword genes sharing a name.)"""
    stem = _INDEX_TAIL.sub("", a)
    if len(stem) >= 2 and stem == _INDEX_TAIL.sub("", b):
        return True
    mine = _families_of(fam, a)
    return bool(mine) and not mine.isdisjoint(_families_of(fam, b))


def _paralog(fam, symbol: str, named, any_size: bool = False) -> bool:
    """Is ``symbol`` a paralog (same FamPlex family) of one of the one or two
    genes a word names (of any of them, ``any_size``)? Then the word may name
    their family (`AC`, grounded to ADCY1, for the adenylyl cyclases), as
    GN106 holds."""
    mine = _families_of(fam, symbol)
    return (
        bool(mine)
        and (any_size or len(named) <= 2)
        and any(not mine.isdisjoint(_families_of(fam, g)) for g in named)
    )


@functools.lru_cache(maxsize=65536)
def _sense_genes(k: str, fam) -> tuple[frozenset[str], tuple[str, ...]]:
    """The genes the word with key ``k`` names by its gene and family senses
    (grounding maps; FamPlex members), and those senses' labels (cached per
    table)."""
    named: set[str] = set()
    labels: list[str] = []
    for s in _senses_module().senses(k):
        if s.sense == "gene":
            named.update(s.targets)
            labels.append(s.label)
        elif s.sense == "family":
            for fid in s.targets:
                members = fam.members(fid)
                if members is not None:
                    named.update(members)
                    labels.append(s.label)
    return frozenset(named), tuple(labels)


@functools.lru_cache(maxsize=16384)
def _families_of(fam, symbol: str) -> frozenset[str]:
    """The FamPlex families of up to 60 members that hold ``symbol``."""
    return frozenset(fam.families_of(symbol, _FAMILY_MAX))


def _judge(word: str, gene, hgnc, fam) -> Verdict | None:
    k = key(word)
    if not k:
        return None
    symbol_key, alias_keys = _gene_keys(gene)
    if k == symbol_key:
        return None
    return _judge_word(word, k, gene.symbol, hgnc, fam)


def _chemical_only(k: str) -> bool:
    """Does the word with key ``k`` name a chemical (ChEBI, or a grounding
    map to a chemical vocabulary) and no gene or family?"""
    found = _senses_module().senses(k)
    return any(s.sense == "chemical" for s in found) and not any(
        s.sense in ("gene", "family") for s in found
    )


@functools.lru_cache(maxsize=65536)
def _is_symbol(hgnc, k: str) -> bool:
    """Is ``k`` the key of an approved symbol (cached per table)?"""
    return bool(hgnc.named_by(k)["symbol"])


@_per_gene
def _named_keys(gene) -> tuple[tuple[str, str], ...]:
    """(alias or previous symbol, its key) of the gene (cached per gene)."""
    named = tuple((n, k) for n in (*gene.aliases, *gene.prev) if (k := key(n)))
    mod = _senses_module()
    known = {k for _, k in named}
    extra = sorted(k for k in mod.ncbi_keys(gene.symbol) if k not in known)
    return named + tuple((mod.ncbi_form(k), k) for k in extra)
