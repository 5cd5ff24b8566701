"""GN113: gene symbols of a model organism the record is not about.

Part of the GN family. The species symbol list (MeSH supplementary concepts,
``linter/refdata/species_symbols.tsv.gz``) loads only when the rule runs and
finds a candidate keyword.
"""

from __future__ import annotations

from linter.base.model import Problem
from linter.base.values import quote
from linter.knowledge.abbreviations import key
from linter.reading.annotations import Annotations, sidecar_gene_rows
from linter.reading.fields import jsonld_keywords
from linter.rules.gn import _at
from linter.rules.registry import rule

_species = None
_CG_CR = ("CG", "CR")


def _knowledge():
    """``linter.knowledge.species`` (imported here: a run without GN113 never
    loads it)."""
    global _species
    if _species is None:
        from linter.knowledge import species

        _species = species
    return _species


def _chemical_word(word: str) -> bool:
    """Does a keyword name a chemical: a name GN106's lexicon gives that kind
    (`Trazodone`, `Glucose`), or an abbreviation the senses table grounds to
    a chemical, written with a capital as the chemical is (`ATP`, `GTP`)?
    (The chemicals follow the genes in a keyword list: the end of the last
    species' run.)"""
    # imported here: the tables load only when a run's walk reaches a keyword
    from linter.knowledge import lexicon, senses

    d = lexicon.denote(word)
    if d is not None and "chemical" in d.kinds:
        return True
    if word.islower():
        return False  # (a lower-case fly symbol: `wa`, not withaferin A's WA)
    return any(s.sense == "chemical" and s.written(word) for s in senses.senses(key(word)))


def _keywords(rec) -> list | None:
    kws = jsonld_keywords(rec.data)
    return kws if isinstance(kws, list) and kws else None


def _human_genes_off(rec, data: dict, genes: list):
    """Inline `genes:` entries (human HGNC genes by construction) of a figure
    whose prose speaks only of plants or microbes."""
    sp = _knowledge()
    if not sp.mammal_free(sp.prose(data)) or not sp.non_mammal_only(sp.prose_evidence(data)):
        return
    for i, entry in enumerate(genes):
        if not isinstance(entry, dict):
            continue
        symbol, word = entry.get("hgnc_symbol"), entry.get("word")
        if not isinstance(symbol, str) or not symbol.strip():
            continue
        yield Problem(
            f"/genes/{i}/hgnc_symbol",
            f"gene entry word {quote(word)} was matched to the human gene {quote(symbol)} "
            "(HGNC), and the record's title, caption, paper title and journal speak only "
            "of plants or microbes, never of a human, a mammal or a host tissue: most "
            "likely the word names the organism's own protein; expected genes of the "
            "figure's species",
            data={
                "word": str(word),
                "symbol": symbol,
                "species": "human",
                "more_likely": "the plant's or microbe's own protein",
                "vocabulary": "HGNC; the record's text (plant / microbe words only)",
            },
        )


def _sidecar_rows(rec, ctx, data: dict) -> list:
    """The rows of the record's sidecar genes table: those the engine read
    (a record without front-matter lists), else, beside a front-matter
    `genes` list, the table itself (read only then, as GN109 does)."""
    ann = getattr(rec, "annotations", None)
    if isinstance(ann, Annotations) and ann.available and ann.source == "sidecar":
        return ann.genes
    if isinstance(data.get("genes"), list) and getattr(rec, "fs_path", None) is not None:
        return sidecar_gene_rows(rec, getattr(ctx, "options", None) or {})
    return []


def _sidecar_off(rec, ctx, data: dict):
    """Rows of the sidecar genes table whose organism (``organism_id`` /
    ``organism_name``) is a model organism the record's text never speaks of
    (human rows too, on a figure whose prose speaks only of plants or
    microbes): PFOCR matches every OCR word against every species' lexicon."""
    rows = _sidecar_rows(rec, ctx, data)
    if not rows:
        return
    sp = _knowledge()
    found = supported = human_off = None
    for e in rows:
        code = sp.row_species(e.fields)
        if code is None or code in ("mouse", "rat"):
            continue
        if found is None:
            organisms = sp.text_words(sp.record_text(data, ("organisms",)))
            found = sp.prose_evidence(data) | sp.words_evidence(organisms)
            supported = sp.supported(found)
            prose = sp.prose(data)
            human_off = sp.mammal_free(prose) and sp.non_mammal_only(sp.evidence(prose))
        if code == "human" and not human_off:
            continue
        if code != "human" and code in supported:
            continue
        word, symbol = e.fields.get("word"), e.fields.get("ncbigene_symbol")
        name = sp.SPECIES[code][0] if code in sp.SPECIES else "Homo sapiens (human)"
        yield Problem(
            **_at(e, "ncbigene_symbol"),
            message=(
                f"sidecar gene row word {quote(word)} was matched to {quote(symbol)}, a gene "
                f"of {name} (the row's organism), and the record's title, caption, paper "
                "title, journal and organisms never speak of that organism: most likely a "
                "spurious match of an OCR word against another species' lexicon; expected "
                "genes of the figure's species"
            ),
            data={
                "word": str(word),
                "symbol": str(symbol),
                "species": code,
                "more_likely": "an OCR word matched to another species' gene lexicon",
                "vocabulary": "NCBI Taxonomy (the row's organism); the record's text",
            },
        )


@rule("GN113", "off-species-gene", "warning", needs=("reference",))
def off_species_gene(rec, ctx):
    """A gene keyword or sidecar gene row is of a model organism the record is not about.

    What: a `schema-jsonld` keyword that is a gene symbol of another species
    than the figure's, by one of:
    - letter for letter a fly, zebrafish, worm, yeast, Arabidopsis or
      Xenopus symbol (MeSH supplementary concepts `SYMBOL protein, SPECIES`:
      `dpp protein, Drosophila`) that is no human (HGNC), mouse (MGI) or rat
      (RGD) symbol, or, for the fly, the symbol of a protein-coding gene in
      NCBI Gene that is none of theirs (`fly_symbols.tsv.gz`);
    - FlyBase nomenclature no vertebrate uses: annotation ids (`CG8112`),
      mixed-case names ending in a cytological band (`Pi3K92E`, `betaTub56D`)
      and anonymous genes named by their band (`anon-70Da`);
    - zebrafish nomenclature: the lower-case form of an approved HGNC symbol
      (`fgf23`, paralogue `cxcl8a`), with a digit or beside another such
      keyword (human symbols are upper case, mouse and rat ones capitalised);
    - a keyword between two such hits of one species a few places apart,
      before them at the list's start, or among the few right before a run
      that starts, or right after one that ends, with two such hits, up to
      the first that is not, that is a symbol of other species only
      (`HOG1`, yeast, beside fly symbols) or that names a chemical
      (`Trazodone`, `ATP`: the chemicals follow the genes; the list groups
      each species' symbols together), unless it is a human symbol or its
      mouse / rat form that is no symbol of that species (`Rel`, fly and
      mouse, in a run of fly symbols is the fly's);
    - an approved human symbol when the title, caption, paper title and
      journal speak only of plants or microbes (no human, host, tissue,
      disease or mammal word); on such a figure also every front-matter
      `genes:` entry (human HGNC genes by construction);
    - a row of the sidecar genes table (also beside a `genes:` list) whose
      organism (`organism_id`, else `organism_name`) is one of those model
      organisms, or human on a figure about plants or microbes only;
    while nothing in the record's own text (figure title, caption, paper
    title, journal, `organisms`) speaks of that organism (`Drosophila`,
    `fly`, `larva`, `insect`, `zebrafish`, `fish`, `worm`, `yeast`,
    `fungal`, `plant`, `leaf`, `Xenopus`, `oocyte`...). `organisms_ner` is
    not evidence: gene recognition adds a species there for every symbol it
    matched. A symbol a model organism shares with a mammal (`Rel`: fly and
    mouse) is not reported.
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
    data = rec.data if isinstance(rec.data, dict) else {}
    genes = data.get("genes")
    if isinstance(genes, list) and genes:
        yield from _human_genes_off(rec, data, genes)
    yield from _sidecar_off(rec, ctx, data)
    kws = _keywords(rec)
    if kws is None:
        return
    sp = _knowledge()
    table, shared = sp.symbols(), sp.shared_with_mammals()
    state: dict = {}

    def found() -> frozenset[str]:
        # the evidence of the prose and `organisms` (``record_text(data)``
        # joins them with a space: its words are the words of both)
        if "found" not in state:
            organisms = sp.text_words(sp.record_text(data, ("organisms",)))
            state["found"] = prose_found() | sp.words_evidence(organisms)
        return state["found"]

    def prose_text() -> str:
        # `organisms` names Homo sapiens on many a bacterial or plant figure
        if "prose_text" not in state:
            state["prose_text"] = sp.prose(data)
        return state["prose_text"]

    def prose_found() -> frozenset[str]:
        if "prose" not in state:
            state["prose"] = sp.prose_evidence(data)
        return state["prose"]

    def unsupported(kinds) -> bool:
        if "supported" not in state:
            state["supported"] = sp.supported(found())
        return not any(k in state["supported"] for k in kinds)

    hgnc = None

    def approved(symbol: str) -> bool:
        nonlocal hgnc
        if hgnc is None:
            from linter.knowledge import reference

            hgnc = reference.from_context(ctx).hgnc()
        return hgnc.approved(symbol) is not None

    # pass 1: exact symbols of one model organism (and of no mammal)
    hits: dict[int, tuple[tuple[str, ...], str]] = {}
    lower: dict[int, str] = {}
    flyish: dict[int, str] = {}
    upper = False
    get = table.get
    fly_form = sp.FLY_FORM.fullmatch
    for i, kw in enumerate(kws):
        if type(kw) is not str:
            continue
        kinds = get(kw)
        if kinds is not None:
            if kw not in shared and len(kw) > 1 and unsupported(kinds):
                hits[i] = (kinds, "mesh")
        elif kw.islower():
            if 2 < len(kw) <= 16 and kw.isascii() and kw.isalnum() and kw[0].isalpha():
                lower[i] = kw
        elif kw.isupper():
            # no lower-case letter: of FlyBase's forms only `CG1234` / `CR1234`
            upper = True
            if kw[:2] in _CG_CR and fly_form(kw):
                flyish[i] = kw
        elif fly_form(kw):
            flyish[i] = kw
    # pass 2: lower-case forms of human symbols (zebrafish nomenclature:
    # `fgf23`, `cxcl8a`), with a digit or beside another such keyword
    if lower and unsupported(("zebrafish",)):
        forms = {i: sp.zebrafish_human(kw, approved) for i, kw in lower.items()}
        forms = {i: human for i, human in forms.items() if human is not None}
        for i, human in forms.items():
            near = any(j in forms or j in hits for j in (i - 1, i + 1))
            if near or any(c.isdigit() for c in lower[i]):
                hits[i] = (("zebrafish",), human)
    # pass 2b: FlyBase nomenclature (annotation ids `CG8112`, genes named by
    # a cytological band: `Pi3K92E`, `betaTub56D`)
    if flyish and unsupported(("fly",)):
        for i, kw in flyish.items():
            if kw not in shared and not approved(kw.upper()):
                hits[i] = (("fly",), "fly-form")
    # pass 3: human symbols (upper case, approved HGNC) in a figure about
    # plants or microbes only
    if upper and (
        # the cheaper test first: the evidence when it is worked out already
        # (a human figure fails it without the regex search), else the search
        sp.non_mammal_only(prose_found()) and sp.mammal_free(prose_text())
        if "prose" in state
        else sp.mammal_free(prose_text()) and sp.non_mammal_only(prose_found())
    ):
        for i, kw in enumerate(kws):
            if i in hits or type(kw) is not str or len(kw) < 2 or not kw.isupper():
                continue
            if not sp.SYMBOL_FORM.fullmatch(kw):
                continue
            kinds = get(kw)
            if kinds and any(k in sp.SPECIES for k in kinds):
                continue  # also a plant / microbe symbol
            if approved(kw):
                hits[i] = (("human",), "human")

    def in_block(j: int, species=()) -> bool:
        kw = kws[j]
        if j in hits or type(kw) is not str or not sp.block_symbol(kw):
            return False
        # a human symbol, or its mouse / rat form, only when it is also a
        # symbol of the run's species (`Rel`, `Ace`: fly and mouse)
        return not approved(kw.upper()) or sp.also_of(get(kw), species)

    # pass 4: keywords between two hits of the same species, a few places
    # apart (the keyword list groups each species' symbols together)
    order = sorted(hits)
    for a, b in zip(order, order[1:]):
        if not 1 < b - a <= sp.BLOCK_GAP + 1:
            continue
        common = set(hits[a][0]) & set(hits[b][0]) & set(sp.SPECIES)
        if common:
            for j in range(a + 1, b):
                if in_block(j, common):
                    hits[j] = (tuple(sorted(common)), "block")
    # and the keywords before the first hit when it comes within a few
    # places of the list's start (the list starts with gene symbols)
    if order and 0 < order[0] <= sp.BLOCK_GAP:
        first = tuple(k for k in hits[order[0]][0] if k in sp.SPECIES)
        if first and order[0] + 1 in hits:
            for j in range(order[0]):
                if in_block(j, first):
                    hits[j] = (first, "block")
    # and the keywords right after a run's last hit or right before its first,
    # when the run ends (starts) with two hits of one species: the run goes on
    # until another species' symbols (a human symbol, or one the table gives
    # other species only: `HOG1`) or the chemicals
    for b in order:
        for step in (1, -1):
            if b + step in hits or b - step not in hits:
                continue
            common = set(hits[b][0]) & set(hits[b - step][0]) & set(sp.SPECIES)
            if not common:
                continue
            species = tuple(sorted(common))
            j = b + step
            for _ in range(sp.BLOCK_GAP):
                if not 0 <= j < len(kws):
                    break
                kinds = get(kws[j]) if type(kws[j]) is str else None
                if (
                    not in_block(j, common)
                    or (kinds and not sp.also_of(kinds, common))  # the next species' run
                    or _chemical_word(kws[j])  # the chemicals after the genes
                ):
                    break
                hits[j] = (species, "block")
                j += step
    for i in sorted(hits):
        kw = kws[i]
        kinds, how = hits[i]
        names = " / ".join(sp.SPECIES[k][0] for k in kinds if k in sp.SPECIES)
        if how == "human":
            yield Problem(
                f"/schema-jsonld/keywords/{i}",
                f"keyword {quote(kw)} is an approved human gene symbol (HGNC), and the "
                "record's title, caption, paper title and journal speak only of plants "
                "or microbes, never of a human, a mammal or a host tissue: most likely "
                "a spurious match of an OCR word; expected genes of the figure's species",
                data={
                    "word": kw,
                    "symbol": kw,
                    "species": "human",
                    "more_likely": "an OCR word matched to the human gene lexicon",
                    "vocabulary": "HGNC; the record's text (plant / microbe words only)",
                },
            )
            continue
        if how == "mesh" and sp.NCBI_GENE in kinds:
            why = f"a gene symbol of {names} (NCBI Gene), not of human, mouse or rat"
            vocab = "NCBI Gene (Drosophila melanogaster protein-coding genes)"
        elif how == "mesh":
            mesh = "; ".join(quote(f"{kw} protein, {sp.SPECIES[k][1]}") for k in kinds)
            why = f"a gene symbol of {names} (MeSH: {mesh}), not of human, mouse or rat"
            vocab = "MeSH supplementary concepts (SYMBOL protein, SPECIES)"
        elif how == "fly-form":
            why = (
                f"written as FlyBase names {names} genes (an annotation id `CG1234`, or a "
                "gene named by its cytological band: a number and a letter A-F)"
            )
            vocab = "FlyBase nomenclature"
        elif how == "block":
            why = (
                f"in a run of {names} gene symbols (MeSH, NCBI Gene) in the keyword list, which "
                "groups each species' symbols together"
            )
            vocab = "MeSH supplementary concepts, NCBI Gene (neighbouring keywords)"
        else:
            why = (
                f"the zebrafish-style lower-case form of the HGNC symbol {how} "
                "(human symbols are upper case, mouse and rat ones capitalised)"
            )
            vocab = "HGNC (case convention of species nomenclatures)"
        yield Problem(
            f"/schema-jsonld/keywords/{i}",
            f"keyword {quote(kw)} is {why}, and the record's title, caption, paper "
            "title, journal and organisms never speak of that organism: most likely a "
            "spurious match of an OCR word; expected genes of the figure's species",
            data={
                "word": kw,
                "symbol": kw,
                "species": "|".join(k for k in kinds if k != sp.NCBI_GENE),
                "more_likely": "an OCR word matched to another species' gene lexicon",
                "vocabulary": vocab,
            },
        )
