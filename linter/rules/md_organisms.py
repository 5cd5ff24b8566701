"""MD112, MD113: organism entries that name no organism of the figure.

Part of the MD family. MD113 reads ``linter/refdata/taxonomy_nonorganisms.tsv.gz``
(NCBI Taxonomy entries that are not organisms), loaded only when it runs.
"""

from __future__ import annotations

import functools
import re

from linter.base.model import Problem
from linter.base.values import quote, short
from linter.reading.fields import jsonld_keywords
from linter.rules.gn_species import _sidecar_rows
from linter.rules.md import _organism_items
from linter.rules.na import is_placeholder
from linter.rules.registry import rule

NONORGANISMS_FILE = "taxonomy_nonorganisms.tsv.gz"

_WHAT = {
    "sequence": "an NCBI Taxonomy entry for sequences, not an organism",
    "metagenome": "an NCBI Taxonomy metagenome (a sample's mixed DNA), not an organism",
    "environmental": "an NCBI Taxonomy environmental-sample entry, not a named organism",
    "placeholder": "an NCBI Taxonomy placeholder entry, not a named organism",
    "higher-taxon": "a higher taxon, not an organism a figure can be about",
}


class _NonOrganisms:
    """``taxonomy_nonorganisms.tsv.gz`` (blocked gzip): a lookup reads one
    ~16 KB block; answers are remembered by the table."""

    def __init__(self, table):
        self._table = table

    def get(self, name: str) -> tuple[str, str] | None:
        line = self._table.line(name) if self._table is not None else None
        if not line:
            return None
        cells = line.split("\t")
        return (cells[1], cells[2]) if len(cells) >= 3 else None

    def __contains__(self, name: str) -> bool:
        return self.get(name) is not None


@functools.cache
def _load(path) -> _NonOrganisms:
    from linter.knowledge import reference

    return _NonOrganisms(reference.BlockedGzip.open(path))


# the reference settings last seen -> their table: one pathlib lookup per
# configuration, not per organism
_CURRENT: list = [None, None]


def _nonorganisms() -> _NonOrganisms:
    from linter.knowledge import reference

    if _CURRENT[0] is not reference._settings:
        _CURRENT[:] = [
            reference._settings,
            _load(reference.table_path("taxonomy_nonorganisms")),
        ]
    return _CURRENT[1]


@rule("MD113", "organism-not-organism", "warning", needs=("reference",))
def organism_not_organism(rec, ctx):
    """An organism entry is an NCBI Taxonomy entry that names no organism.

    What: a name in `organisms` or `organisms_ner` that NCBI Taxonomy holds,
    but not as an organism: by its lineage, an entry under "other entries"
    (synthetic constructs, vectors) or "unclassified entries" (metagenomes,
    enrichment cultures, `prion`); by its division, an environmental
    sample; a lower-case placeholder filed straight under "unclassified
    eukaryotes/Bacteria/..." (`herbal medicine`); by its rank, a taxon above
    the order (`Embryophyta`, `Sar`, `PX clade`). MD107 passes these names:
    they are NCBI scientific names.
    Why: the organism lists drive the site's species filters; `gut
    metagenome` or `herbal medicine` files the figure under a species that
    does not exist, and a kingdom or clade under no species at all.
    Fails:
        organisms:
        - herbal medicine
        - gut metagenome
    Passes:
        organisms:
        - Panax ginseng
    """
    data = rec.data if isinstance(rec.data, dict) else {}
    items = [
        (k, i, v)
        for k, i, v in _organism_items(data)
        if isinstance(v, str) and not is_placeholder(v)
    ]
    if not items:
        return
    table = _nonorganisms()
    for key, i, value in items:
        name = " ".join(value.split())
        hit = table.get(name)
        if hit is None:
            continue
        kind, detail = hit
        path = f"/{key}" if i is None else f"/{key}/{i}"
        yield Problem(
            path,
            f"{path}: {short(name)} is {_WHAT.get(kind, 'not an organism')} (NCBI Taxonomy: "
            f"{detail}); expected the species the figure is about, or no entry",
            data={
                "organism": name,
                "more_likely": kind,
                "detail": detail,
                "vocabulary": "NCBI Taxonomy (lineage, division, rank)",
            },
        )


# -- MD112 ------------------------------------------------------------------------

#: genus -> the species code of linter.knowledge.species (its evidence words)
MODEL_GENERA = {
    "Drosophila": "fly",
    "Danio": "zebrafish",
    "Caenorhabditis": "worm",
    "Saccharomyces": "yeast",
    "Schizosaccharomyces": "yeast",
    "Arabidopsis": "arabidopsis",
    "Xenopus": "xenopus",
}
MAMMAL_GENERA = ("Homo", "Mus", "Rattus")
#: name parts that say nothing about which organism it is
_GENERIC = frozenset(
    [
        "sp.",
        "spp.",
        "subsp.",
        "str.",
        "strain",
        "var.",
        "pv.",
        "serovar",
        "group",
        "clade",
        "virus",
        "viruses",
        "phage",
        "type",
        "human",
        "bovine",
        "swine",
        "avian",
        "acute",
        "severe",
        "respiratory",
        "syndrome",
        "associated",
        "like",
        "related",
        "unclassified",
        "uncultured",
        "complex",
    ]
)
_LETTERS = re.compile(r"[a-z]+")
_ACRONYM = re.compile(r"\b[A-Z]{2,5}\b")


def _name_words(name: str) -> list[str]:
    """The words of a taxon name that may show in the text: the genus, the
    epithets, a virus name's distinctive words (4+ letters; strain codes
    with digits left out)."""
    out = []
    for token in name.lower().split():
        if token in _GENERIC or any(c.isdigit() for c in token):
            continue
        out.extend(w for w in _LETTERS.findall(token) if len(w) >= 4 and w not in _GENERIC)
    return out


_VIRUS_WORD = re.compile(r"(?i)virus|phage|viroid")


# words that speak of a rodent species (or of experiments done in it: a
# xenograft, a knockout or transgenic animal, in vivo work)
_RODENT_COMMON = r"rodents?|murids?|xenografts?|knock-?outs?|ko|transgenic|in vivo|animals?"
_RODENT_WORDS = {
    "Mus": re.compile(rf"\b(?:mouse|mice|murine|mus|musculus|c57bl\S*|balb\S*|{_RODENT_COMMON})\b"),
    "Rattus": re.compile(rf"\b(?:rats?|rattus|norvegicus|sprague|wistar|{_RODENT_COMMON})\b"),
}
_RODENT_SHOWN = {"Mus": "mouse, mice, murine, rodent", "Rattus": "rat, rats, rodent"}


def _rodent_genes(rec, ctx, data: dict) -> bool:
    """Does the record hold a gene in rodent nomenclature: a keyword whose
    capitals are its first letter only and whose upper case is an approved
    HGNC symbol (`Tnf`, `Il6`), or a sidecar gene row of a mouse or rat?"""
    from linter.knowledge import reference
    from linter.knowledge import species as sp

    kws = jsonld_keywords(data)
    if isinstance(kws, list):
        hgnc = None
        for kw in kws:
            if type(kw) is not str or len(kw) < 2 or not kw[0].isupper():
                continue
            rest = kw[1:]
            if rest.upper() == rest or not rest.isalnum():
                continue  # no lower-case letter after the first, or not a symbol
            if hgnc is None:
                hgnc = reference.from_context(ctx).hgnc()
            if hgnc.approved(kw.upper()) is not None:
                return True
    return any(sp.row_species(e.fields) in ("mouse", "rat") for e in _sidecar_rows(rec, ctx, data))


def _acronym(tokens: list[str], acronyms: set[str]) -> bool:
    """The text writes the species as an acronym ending in its initials
    (`MRSA`, `SA` for Staphylococcus aureus): a bacterium's way of being
    named (a genus NCBI files under no other division, or one the genus
    table lacks); a vertebrate's or plant's initials at the end of an
    acronym are a coincidence (`CDMG`, a growth medium, for Meleagris
    gallopavo)."""
    if len(tokens) < 2 or not tokens[0][:1].isalpha() or not tokens[1][:1].isalpha():
        return False
    if _VIRUS_WORD.search(tokens[-1]) or _VIRUS_WORD.search(tokens[-2]):
        return False  # a virus name is no genus and epithet (`Severe acute ... coronavirus 2`)
    initials = (tokens[0][0] + tokens[1][0]).upper()
    if not any(a.endswith(initials) for a in acronyms):
        return False
    from linter.knowledge import species as sp  # lazy: loaded with the rule

    divs = sp.divisions(" ".join(tokens))
    return not divs or set(divs) <= _ACRONYM_DIVISIONS


# NCBI divisions whose species texts name by an acronym of their initials
# (MRSA, VRE-type names are bacteria's; phages are named after their hosts)
_ACRONYM_DIVISIONS = frozenset(("BCT", "PHG"))


# a word (hyphens inside) with two or more capitals
_CAPITALS_TOKEN = re.compile(r"[A-Za-z0-9-]*[A-Z][A-Za-z0-9-]*[A-Z][A-Za-z0-9-]*")
_NAME_PART = re.compile(r"[A-Za-z0-9]+")


def _virus_acronyms(name: str) -> set[str]:
    """The acronyms a virus name is written as, upper case, without a strain
    number: the initials of its words, a word ending in `virus` giving its
    initial and V or its first two letters and V (`HIV` of Human
    immunodeficiency virus 1, `HPV` of Human papillomavirus, `SARSCOV` of
    Severe acute respiratory syndrome coronavirus 2); none shorter than
    three letters, and none at all for a name of more than 64 readings."""
    found = {""}
    for part in _NAME_PART.findall(name):
        low = part.lower()
        if part.isdigit():
            continue  # a strain number
        if low == "virus":
            options = {"V"}
        elif low.endswith("virus") and len(low) > 5:
            options = {part[0].upper() + "V", part[:2].upper() + "V"}
        else:
            options = {part[0].upper()}
        found = {f + o for f in found for o in options}
        if len(found) > 64:
            return set()
    return {f for f in found if len(f) >= 3}


def _text_acronyms(parts: list[str]) -> set[str]:
    """The text's words with two or more capitals, upper case: their leading
    hyphenated pieces that hold a capital, a number left out (`SARS-CoV-2`
    -> `SARSCOV`, `HIV-1` -> `HIV`, `EBV-driven` -> `EBV`)."""
    out = set()
    for p in parts:
        for token in _CAPITALS_TOKEN.findall(p):
            kept = []
            for piece in token.split("-"):
                if any(c.isupper() for c in piece):
                    kept.append(piece.rstrip("0123456789"))
                elif kept:
                    break  # `EBV-driven`; a lower-case piece before is skipped: `anti-HBV`
            if kept:
                out.add("".join(kept).upper())
    return out


@functools.lru_cache(maxsize=4096)
def _adjective_forms(genus: str) -> frozenset[str]:
    """The genus's adjective and plural forms: its stem without the Latin
    ending and `-al`, `-ic`, `-i`, `-a` (`staphylococcal`, `mycobacterial`,
    `chlamydial`; `streptococci`, `mycobacteria`)."""
    low = genus.lower()
    stem = low[:-2] if low.endswith(("us", "um")) else low[:-1] if low.endswith("a") else ""
    if len(stem) < 5:
        return frozenset()
    return frozenset(stem + ending for ending in _ADJECTIVE_ENDINGS)


# an adjective's endings, and the plurals (`staphylococci`, `mycobacteria`)
_ADJECTIVE_ENDINGS = frozenset({"al", "ic", "ial", "ical", "i", "a", "ae"})


def _warm(ctx) -> None:
    """Before worker processes fork: open the tables MD112 and MD113 read
    (their block indexes; blocks are read as records ask for them)."""
    from linter.knowledge import species as sp

    _nonorganisms()
    sp.divisions("Homo sapiens")


@rule("MD112", "organism-unsupported", "info", needs=("reference",), options={"warm": _warm})
def organism_unsupported(rec, ctx):
    """An organism entry that nothing in the record supports.

    What: an entry of `organisms` or `organisms_ner` that the record's own
    text (figure title, caption, paper title, journal) never names: none of
    its name's words (the genus, the epithet, a virus name's words) occurs,
    nor, for a bacterium, an acronym ending in its initials (`MRSA`; `CDMG`,
    a growth medium, does not name Meleagris gallopavo), nor, for a virus, the
    acronym of its name's initials, a `...virus` word giving its initial and
    V or its first two letters and V (`HBV`, `HIV-1`, `HPV`, `SARS-CoV-2`
    for Severe acute respiratory syndrome coronavirus 2), nor its genus's
    adjective or plural (`staphylococcal`, `mycobacteria`), nor, for a model
    organism, a word for it (`fly`, `larva`, `zebrafish`, `worm`, `yeast`,
    `plant`, `frog`...), nor a word for its NCBI division's organisms
    (`plants`, `bacteria`, `virus`, `insects`, `fish`: a review of a group
    may list its members; not when the figure title names one organism of
    that division, as `MRSA` does). Human is reported only when the text
    speaks of plants, microbes or invertebrates alone (no human, host,
    tissue, disease or mammal word): the 2020 records name `Homo sapiens`
    by default. A mouse or rat is reported then too, and when the
    text never speaks of it (`mouse`, `mice`, `murine`, `rat`, `rodent`,
    nor of its experiments: `xenograft`, `knockout`, `transgenic`, `in
    vivo`, `animal`) and no gene of the record is written in rodent
    nomenclature (a keyword capitalised as `Tnf`, a mouse or rat sidecar row).
    Placeholders and MD113's non-organisms are left to those rules.
    Why: the species lists are mined from the whole paper and from the genes
    matched; a fly added by fly symbols matched to OCR words, or a plant
    named once in the paper's methods, files the figure under a species it
    does not show.
    Fails:
        figtitle: Bone-brain crosstalk in human ageing
        caption: Osteokines signal from bone to the brain.
        organisms_ner:
        - Homo sapiens
        - Drosophila melanogaster
    Passes:
        figtitle: Dpp signalling in the Drosophila wing disc
        caption: Dpp and Gbb form heterodimers.
        organisms_ner:
        - Drosophila melanogaster
    """
    data = rec.data if isinstance(rec.data, dict) else {}
    items = [
        (k, i, " ".join(v.split()))
        for k, i, v in _organism_items(data)
        if isinstance(v, str) and not is_placeholder(v) and v.strip()
    ]
    if not items:
        return
    from linter.knowledge import species as sp

    parts: list[str] = []
    lists = False
    for key in sp.PROSE_FIELDS:  # figtitle, caption, papertitle, journal_title, journal_nlm_ta
        value = data.get(key)
        if isinstance(value, str):
            parts.append(value)
        elif isinstance(value, list):
            lists = True
    # the strings alone (``prose()`` also reads list items): shared with GN113
    # when there is no list
    text = " ".join(parts).lower() if lists else sp.prose(data)
    memo: dict = {}

    def found() -> frozenset[str]:
        if "found" not in memo:
            # = sp.evidence(text); shared with GN113 when there is no list
            memo["found"] = sp.words_evidence(words()) if lists else sp.prose_evidence(data)
        return memo["found"]

    def words() -> frozenset[str]:
        if "words" not in memo:
            memo["words"] = sp.text_words(text) if lists else sp.prose_words(data)
        return memo["words"]

    def title() -> tuple[frozenset[str], set[str], set[str]]:
        if "title" not in memo:
            figtitle = data.get("figtitle") if isinstance(data.get("figtitle"), str) else ""
            memo["title"] = (
                sp.text_words(figtitle.lower()),
                set(_ACRONYM.findall(figtitle)),
                {a for p in parts for a in _ACRONYM.findall(p)},
            )
        return memo["title"]

    # entries the figure title names (their NCBI divisions: a figure about
    # one bacterium is not a review of bacteria in general)
    # (looked up in the genus table only when the text has a division word:
    # without one no group is named, whatever the divisions)
    named: list[str] = []
    todo = []
    for key, i, name in items:
        tokens = name.split()
        genus = tokens[0]
        if genus in MAMMAL_GENERA or genus in MODEL_GENERA:
            todo.append((key, i, name, tokens, None))
            continue
        mine = _name_words(name)
        if not mine:
            continue
        title_words, title_acronyms, acronyms = title()
        if any(w in title_words for w in mine) or _acronym(tokens, title_acronyms):
            named.append(name)  # the figure is about it
            continue
        if any(w in words() for w in mine) or _acronym(tokens, acronyms):
            continue
        if _VIRUS_WORD.search(name):
            if "virus_acronyms" not in memo:
                memo["virus_acronyms"] = _text_acronyms(parts)
            if not memo["virus_acronyms"].isdisjoint(_virus_acronyms(name)):
                continue  # `HBV` for Hepatitis B virus
        elif not _adjective_forms(genus).isdisjoint(words()):
            continue  # `staphylococcal` for Staphylococcus aureus
        todo.append((key, i, name, tokens, mine))

    def rodent_genes() -> bool:
        if "rodent_genes" not in memo:
            memo["rodent_genes"] = _rodent_genes(rec, ctx, data)
        return memo["rodent_genes"]

    for key, i, name, tokens, mine in todo:
        genus = tokens[0]
        if genus in _RODENT_WORDS and not _RODENT_WORDS[genus].search(text) and not rodent_genes():
            # a mouse or rat entry the text never speaks of, and no gene in
            # rodent nomenclature (`Tnf`: capitalised, not `TNF`)
            why = (
                f"the title, caption, paper title and journal never speak of it "
                f"({_RODENT_SHOWN[genus]}...) and no gene of the record is written in "
                "rodent nomenclature (capitalised symbols: `Tnf`, not `TNF`)"
            )
        elif genus in MAMMAL_GENERA:
            if "non_mammal" not in memo:
                if "words" in memo:  # the evidence is cheap now: it decides first
                    memo["non_mammal"] = (
                        sp.non_mammal_only(found()) or sp.invertebrate_only(found())
                    ) and sp.mammal_free(text)
                else:
                    memo["non_mammal"] = sp.mammal_free(text) and (
                        sp.non_mammal_only(found()) or sp.invertebrate_only(found())
                    )
            if not memo["non_mammal"]:
                continue
            why = (
                "the title, caption, paper title and journal speak only of plants, microbes "
                "or invertebrates"
            )
        elif name in _nonorganisms():
            continue  # MD113's
        elif genus in MODEL_GENERA:
            if "supported" not in memo:
                memo["supported"] = sp.supported(found())
            if MODEL_GENERA[genus] in memo["supported"] or genus.lower() in words():
                continue
            why = (
                f"the title, caption, paper title and journal never name it nor use a word "
                f"for it ({sp.EVIDENCE_SHOWN[MODEL_GENERA[genus]]}...)"
            )
        else:
            if "group_words" not in memo:
                memo["group_words"] = any(t.startswith("div:") for t in found())
            if memo["group_words"]:
                divs = sp.divisions(name)
                if "named_divisions" not in memo:
                    memo["named_divisions"] = {d for n in named for d in sp.divisions(n)}
                if not memo["named_divisions"].intersection(divs) and sp.group_named(divs, found()):
                    continue  # a review of a group: "plants", "Gram-negative bacteria"
            shown = ", ".join(quote(w, 30) for w in mine[:4]) + (", ..." if len(mine) > 4 else "")
            why = f"none of {shown} occurs in the title, caption, paper title or journal"
        path = f"/{key}" if i is None else f"/{key}/{i}"
        source = (
            "gene recognition (a species for every symbol matched)"
            if key == "organisms_ner"
            else "the paper's full text"
        )
        yield Problem(
            path,
            f"{path}: {short(name)} is not supported by the record: {why}; more likely "
            f"added by {source} than shown in the figure; expected the figure's species",
            data={
                "organism": name,
                "more_likely": "a species of the paper or of spurious gene matches, not of the figure",
                "vocabulary": "the record's title, caption, paper title and journal",
            },
        )
