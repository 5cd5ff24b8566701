"""The word lists and letter tables the knowledge layer and GN106 share,
each defined once: Greek letters (spelled out, and as PFOCR transliterates
them), function words, generic words of names, and spelling variants.

Each list says who reads it. Two lists of a kind differ on purpose: the
lexicon's phrase keys drop fewer words than GN106's "does this long form
describe that gene" comparison, which also ignores clause words and the
generic words of descriptions.
"""

from __future__ import annotations

import re

# -- Greek letters ----------------------------------------------------------------------
#: Greek letters spelled out (``TNF-α`` -> ``TNF- alpha ``): the long forms' and
#: names' words (GN106's ``name_words``, the lexicon's ``phrase_words``)
GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta",
    "η": "eta", "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu",
    "ν": "nu", "ξ": "xi", "π": "pi", "ρ": "rho", "σ": "sigma", "τ": "tau", "υ": "upsilon",
    "φ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega",
}  # fmt: skip
GREEK_NAME = str.maketrans(
    {**{g: f" {n} " for g, n in GREEK.items()}, **{g.upper(): f" {n} " for g, n in GREEK.items()}}
)
#: the letters' names as words
GREEK_WORDS = frozenset(GREEK.values())
#: a letter's name standing alone in lower-case text
GREEK_WORD = re.compile(r"(?<![a-z])(?:" + "|".join(sorted(GREEK_WORDS)) + r")(?![a-z])")
#: Greek letters as PFOCR transliterates them (``TNFα`` -> ``TNFA``; the
#: reference data's name keys and the build that writes them)
GREEK_LATIN = {
    "α": "A", "β": "B", "γ": "G", "δ": "D", "ε": "E", "ζ": "Z", "η": "H", "θ": "T",
    "ι": "I", "κ": "K", "λ": "L", "μ": "M", "ν": "N", "ξ": "X", "π": "P", "ρ": "R",
    "σ": "S", "τ": "T", "φ": "F", "χ": "C", "ψ": "PS", "ω": "O",
}  # fmt: skip
GREEK_LATIN_TABLE = str.maketrans({**GREEK_LATIN, **{k.upper(): v for k, v in GREEK_LATIN.items()}})


def greek(text: str, table: dict) -> str:
    """``text.translate(table)`` for a table of Greek letters (``GREEK_NAME``,
    ``GREEK_LATIN_TABLE``, a fold of them): an ASCII text is returned as it is
    (it holds none; the translation would copy it character by character)."""
    return text if text.isascii() else text.translate(table)


# -- function words ---------------------------------------------------------------------
#: words a phrase key drops (the lexicon's ``phrase_words``)
FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "and",
        "or",
        "to",
        "in",
        "for",
        "with",
        "by",
        "on",
        "at",
        "from",
        "as",
        "via",
    ]
)
#: words that say nothing about which gene is meant (compared after plural
#: folding): GN106 needs a shared word outside these to call a gene described
DESCRIPTION_STOP_WORDS = FUNCTION_WORDS | frozenset(
    ["into", "its", "their", "this", "that", "which", "is", "are", "be", "not", "non", "like"]
)

# -- generic words of names -------------------------------------------------------------
# name-comparison words, which also drop `cell`, `membrane`, `nuclear`,
# `RNA`...: `small nuclear RNA` and `RNA-activated protein kinase` name one
# thing each
_GENERIC_TEXT = """protein polypeptide peptide gene pseudogene product factor receptor antigen ligand
    molecule enzyme isoenzyme isozyme isoform variant family superfamily subfamily member
    subunit chain domain complex homolog type group class
    kinase phosphatase transferase methyltransferase acetyltransferase glycosyltransferase
    oxidoreductase dehydrogenase reductase oxidase synthase synthetase hydroxylase hydrolase
    lyase isomerase ligase mutase protease proteinase peptidase esterase lipase deacetylase
    demethylase oxygenase monooxygenase dioxygenase carboxylase decarboxylase hydratase
    dehydratase cyclase atpase gtpase transporter channel
    binding associated related containing like interacting dependent specific regulator
    regulatory activator inhibitor inhibitory
    open reading frame uncharacterized putative probable novel"""
GENERIC_WORDS = frozenset(_GENERIC_TEXT.split())
#: generic words of a description (GN106): a long form sharing only these
#: with a gene's name does not describe it
DESCRIPTION_GENERIC_WORDS = frozenset(
    [
        "protein",
        "factor",
        "receptor",
        "family",
        "member",
        "subunit",
        "domain",
        "containing",
        "complex",
        "associated",
        "related",
        "binding",
        "gene",
        "cell",
        "type",
        "region",
        "molecule",
        "antigen",
        "ligand",
        "inhibitor",
        "inhibitory",
        "activator",
        "regulator",
        "regulatory",
        "homolog",
        "polypeptide",
        "enzyme",
        "group",
        "class",
        "isoform",
        "variant",
        "pseudogene",
        "open",
        "reading",
        "frame",
        "small",
        "large",
        "long",
        "short",
        "alpha",
        "beta",
        "gamma",
        "delta",
        "kappa",
        "subfamily",
        "superfamily",
        "motif",
        "repeat",
        "rich",
        "transcript",
        "rna",
        "specific",
        "dependent",
        "induced",
        "activated",
        "mediated",
        "interacting",
        "signaling",
        "signalling",
        "pathway",
        "system",
        "human",
        "novel",
        "putative",
        "probable",
        "function",
        "functional",
        "component",
        "partner",
        "positive",
        "negative",
        "nuclear",
        "membrane",
        "transmembrane",
        "cytoplasmic",
        "mitochondrial",
        "chain",
    ]
)

# -- spellings --------------------------------------------------------------------------
# British -> American spellings, on whole words' parts (both sides get them)
BRITISH_SPELLINGS = (
    (re.compile(r"tumour"), "tumor"),
    (re.compile(r"\boe(?=[a-z])"), "e"),  # oestrogen, oedema
    (re.compile(r"aem"), "em"),  # haem, leukaemia, anaemia
    (re.compile(r"sulph"), "sulf"),
    (re.compile(r"isation"), "ization"),
    (re.compile(r"homologue"), "homolog"),
)
#: spellings of one thing (left -> right), on whole words (GN106)
SYNONYMS = {
    "aminotransferase": "transaminase",
    "glutamate": "glutamic",
    "pyruvate": "pyruvic",
    "oxaloacetate": "oxaloacetic",
    "adenylyl": "adenylate",
    "metalloproteinase": "metallopeptidase",
    "tumour": "tumor",
    "homologue": "homolog",
    "oestrogen": "estrogen",
    "haem": "heme",
    "sulphate": "sulfate",
    "sulphotransferase": "sulfotransferase",
    "leukaemia": "leukemia",
}


# What is left of a chemical name split at a space or a hyphen (KW104), by
# chemical nomenclature: a dangling bond (`HO-`, `-COOH`: a name never starts
# or ends with a hyphen) or a locant and a suffix with no parent (`3-sulfate`,
# `2-carboxylate`: the parent went to the keyword before)
_DANGLING = re.compile(r"-\S{1,15}|\S{1,15}-")
_LOCANT_SUFFIX = re.compile(
    r"(?i)[0-9][0-9,'′]*-(?:mono|di|tri|tetra|bis|tris)?"
    r"(?:phosphate|phosphonate|sulfate|sulphate|carboxylate|carboxylic acid|oic acid|oate|ol|one"
    r"|amine|amide)s?"
)


def split_name_fragment(word: str) -> str | None:
    """How ``word`` (stripped) is what is left of a split chemical name: a
    dangling bond or a locant and a suffix alone (a phrase for a message),
    else None."""
    if not word:
        return None
    first, last = word[0], word[-1]
    if (first == "-" or last == "-") and _DANGLING.fullmatch(word):
        if any(c.isalpha() for c in word):
            return "a group with a dangling bond, a piece of a split chemical name"
    elif first.isdigit() and _LOCANT_SUFFIX.fullmatch(word):
        return "a locant and a suffix without their parent, the end of a split chemical name"
    return None
