"""GN106's candidates: the genes of a record it judges (annotation entries,
or keyword symbols) with the keys they may have been matched from, and how a
caption abbreviation relates to them (:mod:`linter.rules.gn106` judges them).
"""

from __future__ import annotations

import functools
import re

from linter.base.values import quote
from linter.knowledge.abbreviations import Abbreviation, key
from linter.rules.gn import _at
from linter.rules.gn_alias_words import _senses_module
from linter.rules.gn_reference import _human_genes, _usable

_WORD_PARTS = re.compile(r"[/,()]")
_NAME_WORDS = re.compile(r"[\s,/()]+")


@functools.lru_cache(maxsize=65536)
def _stem(symbol: str) -> str | None:
    """`IRS` of IRS1 (`linter.knowledge.reference.symbol_stem`)."""
    from linter.knowledge.reference import symbol_stem  # lazy: loaded with the tables

    return symbol_stem(symbol)


@functools.lru_cache(maxsize=16384)
def _forms(gene) -> frozenset[str]:
    """Keys of the gene's symbol, aliases, previous symbols and stem (cached
    per gene: records name the same genes again and again)."""
    forms = {key(gene.symbol), *(key(x) for x in (*gene.aliases, *gene.prev))}
    stem = _stem(gene.symbol)
    if stem:
        forms.add(stem)
    return frozenset(forms)


@functools.lru_cache(maxsize=16384)
def _informative(gene) -> bool:
    """False when the HGNC name spells the symbol itself (`BCL2 apoptosis
    regulator`, `CD274 molecule`, `Wnt family member 1`): such a name cannot
    show that a long form means another gene."""
    forms = _forms(gene)
    return not any(key(w) in forms for w in _NAME_WORDS.split(gene.name) if w)


@functools.lru_cache(maxsize=16384)
def _word_keys(word: str, lex: str | None) -> frozenset[str]:
    """Keys of a gene entry's word, of its parts (`IRS1/2` -> IRS1, IRS2) and
    of its lexicon entry ``lex`` (cached: the same gene words come back)."""
    words = {key(word), *(key(p) for p in _WORD_PARTS.split(word) if p)}
    if lex is not None:
        words.add(key(lex))
    words.discard("")
    return frozenset(words)


@functools.lru_cache(maxsize=16384)
def _approved_forms(hgnc, symbol: str) -> tuple | None:
    """``(gene, _forms(gene))`` when ``symbol`` is approved, else None (cached
    per table and symbol: keyword lists repeat the same genes)."""
    gene = hgnc.approved(symbol)
    return (gene, _forms(gene)) if gene is not None else None


def _keyword_forms(hgnc, symbol: str, synonyms: dict[str, frozenset[str]]) -> tuple | None:
    """``_approved_forms``, with the keys of ``synonyms`` (the caption's
    abbreviations that are an NCBI Gene synonym HGNC does not list -> the
    genes with it) that are the gene's: a keyword may have been matched from
    one. (Its other NCBI synonyms are no abbreviation of the caption: no form
    compared with one.)"""
    found = _approved_forms(hgnc, symbol)
    if found is None or not synonyms:
        return found
    gene = found[0]
    extra = [k for k, genes in synonyms.items() if gene.symbol in genes]
    return (gene, found[1].union(extra)) if extra else found


@functools.lru_cache(maxsize=16384)
def _named_by(hgnc, k: str) -> frozenset[str]:
    """The approved symbols whose symbol, alias, previous symbol or stem has
    key ``k`` (``hgnc.named_by``, cached per table and key)."""
    return frozenset(s for names in hgnc.named_by(k).values() for s in names)


class _Candidate:
    """A gene GN106 judges: ``where`` (Problem location arguments), ``label``
    (how the message introduces it, "word 'Pgp' (…) is"), ``words`` (keys of
    the matched word and lexicon entry; None for a keyword: unknown),
    ``strong`` (matched by the approved symbol itself) and ``keys`` (``words``,
    or for a keyword the keys of the gene's symbol, aliases, previous symbols,
    stem and NCBI Gene synonyms: an abbreviation sharing none is unrelated)."""

    __slots__ = ("gene", "word", "where", "label", "words", "strong", "symbol_key", "keys")

    def __init__(
        self,
        gene,
        word: str,
        where: dict,
        label: str,
        words: frozenset | None,
        strong: bool,
        forms=None,
    ):
        self.gene = gene
        self.word = word
        self.where = where
        self.label = label
        self.words = words
        self.strong = strong
        self.symbol_key = key(gene.symbol)
        self.keys = words if words is not None else forms if forms is not None else _forms(gene)

    @property
    def forms(self) -> frozenset[str]:
        """Keys of the gene's symbol, aliases, previous symbols and stem."""
        return self.keys if self.words is None else _forms(self.gene)


def _relation(c: _Candidate, a: Abbreviation) -> str | None:
    """How abbreviation ``a`` can be the word the gene was matched from:
    "plural" (only by reading its plural s as a letter), "symbol" (it is the
    approved symbol), "weak" (an alias, previous symbol, NCBI Gene synonym,
    stem or family), or None."""
    written, singular = a.keys()
    if c.words is not None:
        if c.words.isdisjoint(written) and c.words.isdisjoint(singular):
            return None
        if a.plural and c.words.isdisjoint(singular):
            return "plural"
        return "symbol" if c.strong else "weak"
    forms = c.forms
    if forms.isdisjoint(written) and forms.isdisjoint(singular):
        return None
    if a.plural and forms.isdisjoint(singular):
        return "plural"
    return "symbol" if c.symbol_key in written or c.symbol_key in singular else "weak"


def _candidates(rec, hgnc, wanted):
    """The genes GN106 judges: annotation entries, or keyword symbols; only
    those with a key in ``wanted`` (a set of the abbreviations' keys)."""
    ann, genes = _human_genes(rec)
    if ann is not None and ann.has("genes"):
        sidecar = ann.source == "sidecar"
        symf = ann.gene_field("symbol")
        lexf = "match" if sidecar else "symbol"
        for e in genes:
            fields = e.fields
            word = fields.get("word")
            if not isinstance(word, str):
                continue
            lex = fields.get(lexf)
            words = _word_keys(word, lex if isinstance(lex, str) else None)
            if words.isdisjoint(wanted):
                continue
            sym = fields.get(symf)
            gene = hgnc.approved(sym) if _usable(sym) else None
            if gene is None:
                continue
            strong = fields.get("source") in ("hgnc_symbol", "ncbigene_symbol")
            label = f"word {quote(word)} ({symf} {quote(gene.symbol)}) is"
            yield _Candidate(gene, word, _at(e, "word"), label, words, strong)
        return
    data = rec.data if isinstance(rec.data, dict) else {}
    jsonld = data.get("schema-jsonld")
    keywords = jsonld.get("keywords") if isinstance(jsonld, dict) else None
    if not isinstance(keywords, list):
        return
    # a keyword is a candidate when it is an approved symbol (as written, or
    # in upper case: `Ros1`, `esr1` are the same false gene) one of whose keys
    # (symbol, aliases, previous symbols, stem) an abbreviation stands for
    wanted = wanted - {""}
    # the approved symbols that have one of those keys, from HGNC's key
    # index: a keyword that is none of them is no candidate, and is never
    # looked up (most keywords; the forms are still compared below)
    named: set[str] = set()
    ncbi = _senses_module()
    synonyms: dict[str, frozenset[str]] = {}  # key -> genes with an NCBI synonym of that key
    for k in wanted:
        named |= _named_by(hgnc, k)
        # PFOCR also matches NCBI Gene synonyms HGNC does not list (`GTP`:
        # MTG1, `Raf`: ZHX2, `TAM`: STIM1): such a keyword was matched from them
        if genes := ncbi.ncbi_genes(k) | ncbi.synonym_genes(k):
            named |= genes
            synonyms[k] = genes
    seen = set()
    for i, kw in enumerate(keywords):
        if not isinstance(kw, str) or kw in seen:
            continue
        seen.add(kw)
        if kw not in named and kw.upper() not in named:
            continue
        found = _keyword_forms(hgnc, kw, synonyms)
        if found is None or found[1].isdisjoint(wanted):
            kw_up = kw.upper()
            if kw_up == kw:
                continue
            found = _keyword_forms(hgnc, kw_up, synonyms)
            if found is None or found[1].isdisjoint(wanted):
                continue
        where = {"path": f"/schema-jsonld/keywords/{i}"}
        label = f"keyword {quote(kw)} was likely matched from"
        yield _Candidate(found[0], kw, where, label, None, False, found[1])
