"""KW104 / KW105: keywords of the chemical part of `schema-jsonld.keywords`
that name no chemical (issue 15, item 5).

Upstream writes the keywords as the gene symbols, then the chemical words,
then the disease words. The chemical part starts at the first keyword that
GN106's lexicon files as a chemical (MeSH / ChEBI) and that is no gene's
symbol, alias or previous symbol (HGNC). Both rules judge only what follows.
"""

from __future__ import annotations

import functools
import re

from linter.base.model import Problem
from linter.base.values import quote
from linter.knowledge.abbreviations import caption_abbreviations
from linter.knowledge.words import GENERIC_WORDS, split_name_fragment
from linter.reading.fields import caption as record_caption
from linter.reading.fields import jsonld_keywords
from linter.rules.registry import rule

KEYWORDS = "/schema-jsonld/keywords"
# a lone functional-group or class word: what is left of a chemical name split
# at a space (`lactic acid` -> `acid`); general chemical nomenclature
_GROUP_WORDS = frozenset(
    [
        "acid",
        "acids",
        "ester",
        "esters",
        "amine",
        "amines",
        "amide",
        "amides",
        "alcohol",
        "alcohols",
        "aldehyde",
        "aldehydes",
        "ketone",
        "ketones",
        "oxide",
        "oxides",
        "salt",
        "salts",
        "ion",
        "ions",
        "anion",
        "cation",
        "sugar",
        "sugars",
        "base",
        "bases",
        "group",
        "groups",
        "chain",
        "chains",
        "residue",
        "residues",
        "derivative",
        "derivatives",
        "compound",
        "compounds",
        "analog",
        "analogs",
        "analogue",
        "analogues",
        "metabolite",
        "metabolites",
    ]
)
# a substituent prefix standing alone (`N-acetyl`, `4-hydroxy`, `Methyl`): what is
# left of a chemical name split at a hyphen or space (IUPAC substituent prefixes)
_PREFIX_ONLY = re.compile(
    r"(?i)(?:[0-9][0-9,'′]*-|[NOSC]-|[α-ω]-|alpha-|beta-)?(?:di|tri|tetra|bis|mono)?"
    r"(?:methyl|ethyl|propyl|butyl|acetyl|hydroxy|amino|phospho|chloro|fluoro|bromo|iodo|"
    r"nitro|oxo|keto|carboxy|deoxy|hydro|dihydro|methoxy|ethoxy|benzyl|phenyl|formyl|"
    r"sulfo|thio|cyano|glucosyl|glycosyl|acyl|alkyl|aryl|nor|iso|cyclo|hydroxymethyl)-?"
)
# `TNF-a`, `IL-1b`, `TGF-b1`: a protein name with a Greek letter written in Latin
_GREEK_SUFFIXED = re.compile(r"[A-Za-z][A-Za-z0-9]*-(?:[0-9]+)?[abgkα-ω][0-9]?")
_NOT_CHEMICAL = ("component", "cell", "anatomy", "process", "technique")


def _keywords(rec) -> list:
    kws = jsonld_keywords(rec.data)
    return kws if isinstance(kws, list) else []


def _tools(ctx):
    from linter.knowledge import lexicon, reference  # lazy: only records with keywords

    return lexicon, reference.from_context(ctx)


@functools.lru_cache(maxsize=16384)
def _gene_names(hgnc, key: str) -> frozenset[str]:
    """Approved symbols that have ``key`` as symbol, alias or previous symbol."""
    found = hgnc.named_by(key) if key else {}
    return frozenset(s for kind in ("symbol", "alias", "previous") for s in found.get(kind, ()))


@functools.lru_cache(maxsize=65536)
def _is_symbol(hgnc, kw: str) -> bool:
    """Is ``kw`` an approved HGNC symbol, as written or in upper case?"""
    if " " in kw:
        return False  # HGNC symbols have no spaces: no block to read (`Lactic Acid`)
    if hgnc.approved(kw) is not None:
        return True
    up = kw.upper()
    return up != kw and hgnc.approved(up) is not None


def _chemical_start(keywords, lexicon, reference, hgnc, lo: int = 0) -> int | None:
    """Index of the first keyword from ``lo`` on that is a chemical (the
    lexicon's, and no HGNC gene name), None when there is none among the
    first :data:`_TRIES` looked up (other species' symbols, most likely)."""
    tries = _TRIES
    for i in range(lo, len(keywords)):
        kw = keywords[i]
        # a word with digits is more likely a symbol (`CG8112`): the anchor is a plain name
        if not isinstance(kw, str) or len(kw) < 4 or any(c.isdigit() for c in kw):
            continue
        if _is_symbol(hgnc, kw):
            continue
        tries -= 1
        if tries < 0:
            return None
        d = lexicon.denote(kw)
        if d is None or d.kind != "chemical" or d.kinds - {"chemical"}:
            continue
        if lexicon.generic(lexicon.phrase_words(kw)) or kw.lower() in _GROUP_WORDS:
            continue
        if _gene_names(hgnc, reference.name_key(kw)):
            continue
        return i
    return None


_TAIL = 80  # the chemical and disease keywords come last: look no further back
_TRIES = 8  # lexicon look-ups for the first chemical (each may read a block)


# the last record's chemical part, shared by KW104 and KW105: (keywords list,
# hgnc table, result); keyed on the objects themselves, never on their text
_LAST: list = [None, None, None]


def _chemical_part(rec, ctx):
    keywords = _keywords(rec)
    if len(keywords) < 2:
        return None
    lexicon, ref = _tools(ctx)
    hgnc = ref.hgnc()
    if _LAST[0] is keywords and _LAST[1] is hgnc:
        return _LAST[2]
    found = _find_chemical_part(keywords, lexicon, ref, hgnc)
    _LAST[:] = [keywords, hgnc, found]
    return found


def _find_chemical_part(keywords, lexicon, ref, hgnc):
    """(lexicon, reference module, reference, hgnc, [(index, keyword)] of the
    chemical part, sure). Read from the end (the chemical and disease words
    come last): the gene block ends at the last two approved HGNC symbols in a
    row; the chemical part starts after the first chemical keyword after it
    (sure), or else, when the block ends with five approved symbols, right
    after the block (not sure: it may still hold other species' genes)."""
    from linter.knowledge import reference

    n = len(keywords)
    lo = max(0, n - _TAIL)
    run, last_gene = 0, None
    for i in range(n - 1, lo - 1, -1):
        kw = keywords[i]
        if isinstance(kw, str) and _is_symbol(hgnc, kw):
            run += 1
            if run == 2:
                last_gene = i + 1
                break
        else:
            run = 0
    tail = last_gene + 1 if last_gene is not None else lo
    start = _chemical_start(keywords, lexicon, reference, hgnc, tail)
    sure = start is not None
    if start is None:
        if last_gene is None or last_gene < 4:
            return None
        block = keywords[last_gene - 4 : last_gene + 1]
        if not all(isinstance(kw, str) and _is_symbol(hgnc, kw) for kw in block):
            return None
        start = last_gene
    part = [(i, kw) for i, kw in enumerate(keywords[start + 1 :], start + 1) if isinstance(kw, str)]
    return lexicon, reference, ref, hgnc, part, sure


@rule("KW104", "junk-keyword", "warning", needs=("reference",))
def junk_keyword(rec, ctx):
    """A chemical keyword names no chemical: a generic word or a split name's fragment.

    What: in the chemical part of `schema-jsonld.keywords` (after the gene
    symbols, which end at the last two approved HGNC symbols in a row; it
    starts at the first keyword after them that GN106's lexicon files as a
    chemical and that is no HGNC gene name), a keyword that
    - is a generic word of biology or chemistry naming no entity in
      particular (the lexicon's class words without an index: `antigens`,
      `proteins`, `kinases`);
    - is a substituent prefix alone (`N-acetyl`, `4-hydroxy`, `Methyl`) or a
      lone functional-group or class word (`acid` of `lactic acid`, `ester`,
      `amine`): a chemical name split in two;
    - is a group with a dangling bond (`-COOH`, `HO-`: a name never starts
      or ends with a hyphen) or a locant and a suffix without their parent
      (`2-carboxylate`, `3-sulfate`), short ones too: the rest of a split name;
    - is a cellular component, cell type, anatomical structure, process or
      technique in the lexicon (GO, MeSH), no chemical (`Nucleus`).
    Why: keywords are what the site indexes and users search; a fragment or
    a generic word files the figure under a chemical it does not show.
    Fails:
        # the gene symbols, then the chemical keywords
        schema-jsonld:
          keywords: [AKR1B1, Glucose, Sorbitol, antigens, acid, Nucleus]
    Passes:
        # the gene symbols, then the chemical keywords
        schema-jsonld:
          keywords: [AKR1B1, Glucose, Sorbitol, Lactic acid]
    """
    found = _chemical_part(rec, ctx)
    if found is None:
        return
    lexicon, _, _, hgnc, part, _ = found
    for i, kw in part:
        word = kw.strip()
        fragment = split_name_fragment(word)  # `HO-`, `6-sulfate`: short ones too
        # a word of one to three letters is more likely a symbol (`an`, `vi`)
        if fragment is None and (len(word) < 4 or _is_symbol(hgnc, word)):
            continue
        words = lexicon.phrase_words(word)
        likely = vocabulary = None
        if fragment is not None:
            likely, vocabulary = fragment, "chemical nomenclature (locants, bonds)"
        elif _PREFIX_ONLY.fullmatch(word):
            likely = "a substituent prefix alone, the start of a split chemical name"
            vocabulary = "chemical nomenclature (IUPAC substituent prefixes)"
        elif word.lower() in _GROUP_WORDS:
            likely = "a lone functional-group or class word, the rest of a split chemical name"
            vocabulary = "chemical nomenclature"
        elif words and any(w in GENERIC_WORDS for w in words) and lexicon.generic(words):
            likely = "a generic word that names no entity in particular"
            vocabulary = "GN106 lexicon (class words)"
        elif (
            # a component or cell word is one plain word (`Nucleus`, `Mitochondria`),
            # looked up only now (a block of the lexicon read for nothing else)
            (d := lexicon.denote(word) if word.isalpha() else None) is not None
            and d.kind in _NOT_CHEMICAL
            and not d.kinds & {"chemical", "disease", "gene", "protein", "enzyme"}
        ):
            likely = f"{lexicon.KIND_WORDS[d.kind]} ({d.label}), no chemical"
            vocabulary = d.label.split(":")[0]
        if likely is None:
            continue
        yield Problem(
            f"{KEYWORDS}/{i}",
            f"keyword {quote(kw)} (in the chemical keywords) is {likely}; expected a "
            "chemical's name, or no keyword",
            data={"word": kw, "likely": likely, "vocabulary": vocabulary},
        )


@rule("KW105", "protein-keyword", "warning", needs=("reference",))
def protein_keyword(rec, ctx):
    """A protein or gene name is filed among the chemical keywords.

    What: in the chemical part of `schema-jsonld.keywords` (see KW104; when
    no keyword after the gene symbols is a chemical, all that follows a
    block ending in five approved HGNC symbols), a
    keyword that is no approved HGNC symbol but names a protein: GN106's
    lexicon files it as a gene (HGNC names, MeSH protein descriptors mapped
    to genes: `cytochrome c` -> CYCS) and not as a chemical, it is a FamPlex
    family (`PARP`, `RAS`), it is a gene's alias written with a Latin
    Greek letter (`TNF-a` -> TNF), or the caption defines it as an enzyme or
    protein (`PGM, phosphoglucomutase`: PGM1-PGM3, PGM5).
    Why: the chemical keywords come from chemical recognition; a protein
    there is a mis-filed gene (its gene keyword, if any, is the symbol), and
    a search for chemicals finds a protein.
    Fails:
        # the gene symbols, then the chemical keywords
        schema-jsonld:
          keywords: [CASP3, Glucose, cytochrome c, PARP, TNF-a]
    Passes:
        # the gene symbols, then the chemical keywords
        schema-jsonld:
          keywords: [CASP3, CYCS, PARP1, TNF, Glucose]
    """
    found = _chemical_part(rec, ctx)
    if found is None:
        return
    lexicon, reference, ref, hgnc, part, sure = found
    families = defined = None
    for i, kw in part:
        word = kw.strip()
        if not word or _is_symbol(hgnc, word):
            continue
        d = lexicon.denote(word)
        genes = likely = vocabulary = None
        # unsure of the part: a single word may be another species' symbol (`Trp53`)
        if (
            d is not None
            and d.kind == "gene"
            and d.genes
            and "chemical" not in d.kinds
            and (sure or " " in word)
        ):
            genes, vocabulary = sorted(d.genes), d.label.split(":")[0]
            likely = f"a protein ({d.label})"
        else:
            if families is None:
                families = ref.famplex()
            members = families.members(word)
            if members and word.isupper() and len(word) >= 3:
                genes, vocabulary = sorted(members), "FamPlex"
                likely = f"a protein family (FamPlex {word})"
            elif _GREEK_SUFFIXED.fullmatch(word):
                owners = _gene_names(hgnc, reference.name_key(word))
                if len(owners) == 1:
                    genes, vocabulary = sorted(owners), "HGNC aliases"
                    likely = f"the protein {genes[0]} (an HGNC alias, Greek letter in Latin)"
            elif " " not in word and len(word) <= 14 and any(c.isupper() for c in word):
                # the caption's abbreviation of an enzyme or protein (`PGM`)
                if defined is None:
                    defined = _defined(rec)
                long = defined.get(word)
                dl = lexicon.denote(long) if long else None
                if (
                    dl is not None
                    and (dl.genes or dl.ecs)
                    and dl.kind in ("gene", "enzyme")
                    and "chemical" not in dl.kinds
                ):
                    genes = sorted(dl.genes) or [f"EC {e}" for e in sorted(dl.ecs)]
                    vocabulary = dl.label.split(":")[0]
                    likely = f"the caption's abbreviation of {quote(long)}, {dl.label}"
        if not genes:
            continue
        shown = ", ".join(genes[:3]) + (f" and {len(genes) - 3} more" if len(genes) > 3 else "")
        yield Problem(
            f"{KEYWORDS}/{i}",
            f"keyword {quote(kw)} is filed among the chemical keywords, but it is {likely}, "
            f"gene(s) {shown}; expected it as a gene keyword (its symbol), not a chemical",
            data={"word": kw, "genes": " ".join(genes), "likely": likely, "vocabulary": vocabulary},
        )


def _defined(rec) -> dict[str, str]:
    """The caption's abbreviations: short form -> long form (the first)."""
    caption, _ = record_caption(rec.data)
    out: dict[str, str] = {}
    for a in caption_abbreviations(caption):
        out.setdefault(a.short, a.long)
    return out
