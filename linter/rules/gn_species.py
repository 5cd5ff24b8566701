"""GN113: gene symbols of a model organism the record is not about.

Part of the GN family. The species symbol list (MeSH supplementary concepts,
``linter/refdata/species_symbols.tsv.gz``) loads only when the rule runs and
finds a candidate keyword.
"""

from __future__ import annotations

from linter.base.model import Problem
from linter.base.values import quote
from linter.rules.registry import rule

_species = None


def _knowledge():
    """``linter.knowledge.species`` (imported here: a run without GN113 never
    loads it)."""
    global _species
    if _species is None:
        from linter.knowledge import species

        _species = species
    return _species


def _keywords(rec) -> list | None:
    data = rec.data if isinstance(rec.data, dict) else {}
    block = data.get("schema-jsonld")
    if not isinstance(block, dict):
        return None
    kws = block.get("keywords")
    return kws if isinstance(kws, list) and kws else None


@rule("GN113", "off-species-gene", "warning", needs=("reference",))
def off_species_gene(rec, ctx):
    """A gene keyword is a symbol of a model organism the record is not about.

    What: a `schema-jsonld` keyword that is, letter for letter, the gene
    symbol of a fly, zebrafish, worm, yeast, Arabidopsis or Xenopus gene (MeSH
    supplementary concepts `SYMBOL protein, SPECIES`: `dpp protein,
    Drosophila`) and not the symbol of a human (HGNC), mouse (MGI) or rat (RGD)
    gene, while nothing in the record's own text (figure title, caption,
    paper title, journal, `organisms`) speaks of that organism (`Drosophila`,
    `fly`, `larva`, `zebrafish`, `fish`, `worm`, `yeast`, `fungal`, `plant`,
    `leaf`, `Xenopus`, `oocyte`...). `organisms_ner` is not evidence: gene
    recognition adds a species there for every symbol it matched. A symbol
    two species share with a mammal (`Rel`: fly and mouse) is not reported.
    Why: the 2023-25 keyword lists start with the gene symbols of every
    species the OCR words matched; fly symbols in a human bone-brain figure
    (`dpp`, `gbb`, `tsh`) are spurious matches of ordinary words and
    abbreviations, and the figure is then filed under genes it does not show.
    Fails:
        figtitle: Bone-brain crosstalk in human ageing
        caption: Osteokines signal from bone to the brain.
        schema-jsonld:
          keywords: [dpp, gbb, BMP2]
    Passes:
        figtitle: Dpp signalling in the Drosophila wing disc
        caption: Dpp and Gbb form heterodimers.
        schema-jsonld:
          keywords: [dpp, gbb]
    """
    kws = _keywords(rec)
    if kws is None:
        return
    sp = _knowledge()
    table = sp.symbols()
    supported = None
    for i, kw in enumerate(kws):
        if not isinstance(kw, str) or len(kw) < 2:
            continue
        kinds = table.get(kw)
        if not kinds or any(k in sp.MAMMALS for k in kinds):
            continue
        if supported is None:
            supported = sp.supported(sp.record_text(rec.data))
        if any(k in supported for k in kinds):
            continue
        names = [sp.SPECIES[k][0] for k in kinds if k in sp.SPECIES]
        mesh = [f"{kw} protein, {sp.SPECIES[k][1]}" for k in kinds if k in sp.SPECIES]
        yield Problem(
            f"/schema-jsonld/keywords/{i}",
            f"keyword {quote(kw)} is a gene symbol of {' / '.join(names)} (MeSH: "
            f"{'; '.join(quote(m) for m in mesh)}), not of human, mouse or rat, and the "
            "record's title, caption, paper title, journal and organisms never speak of "
            "that organism: most likely a spurious match of an OCR word; expected genes "
            "of the figure's species",
            data={
                "word": kw,
                "symbol": kw,
                "species": "|".join(kinds),
                "more_likely": "an OCR word matched to another species' gene lexicon",
                "vocabulary": "MeSH supplementary concepts (SYMBOL protein, SPECIES)",
            },
        )
