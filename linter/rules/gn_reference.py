"""GN103–GN105: the record's genes against HGNC (the shipped reference data).

Part of the GN family (see :mod:`linter.rules.gn` for how gene annotations
are read).
"""

from __future__ import annotations

import functools

from linter.base.model import Fix, Problem
from linter.base.values import quote
from linter.reading.annotations import Annotations, Entry
from linter.rules import edits
from linter.rules.gn import _PLACEHOLDERS, _at, _genes, _norm_id, _show
from linter.rules.registry import rule

# ------------------------------------------------------------------------------------
# Reference-data rules (GN103–GN106) follow below this line.
# ------------------------------------------------------------------------------------
#
# They apply to the record's gene entries where a human gene is meant: every
# front-matter `genes:` entry (HGNC genes by construction) and the sidecar
# rows whose `organism_id` is 9606 (Homo sapiens); NCBI Gene symbols of other
# species have no HGNC record to compare with. The reference data
# (linter/reference.py) is imported and loaded only when one of these rules
# runs, and configured once per run from `[tool.pfocr-lint.reference]`.

HUMAN = "9606"
FRONT_SOURCES = ("hgnc_symbol", "hgnc_alias_symbol", "hgnc_prev_symbol", "bioentities_symbol")
SIDE_SOURCES = ("ncbigene_symbol", "ncbigene_synonym", "famplex_relations")


def _ref(ctx):
    """The configured reference-data module (imported here, not at module
    import: a run without these rules never loads it)."""
    global _reference
    if _reference is None:
        from linter.knowledge import reference

        _reference = reference
    return _reference.from_context(ctx)


_reference = None


def _human_genes(rec) -> tuple[Annotations | None, list[Entry]]:
    """The gene entries these rules check: all front-matter entries, the
    sidecar rows of Homo sapiens."""
    ann, genes = _genes(rec)
    if ann is None or ann.source != "sidecar":
        return ann, genes
    out = []
    for e in genes:
        fields = e.fields
        org = fields.get("organism_id")
        if org is None and "organism_id" not in fields:
            org = HUMAN if fields.get("organism_name") == "Homo sapiens" else None
        if org == HUMAN or (isinstance(org, str) and org.strip() == HUMAN):
            out.append(e)
    return ann, out


def _usable(value) -> bool:
    # not blank: "" is a placeholder
    return isinstance(value, str) and value.strip().casefold() not in _PLACEHOLDERS


def _snapshot_date(ref) -> str:
    """The HGNC snapshot's date ('' when unknown)."""
    dates = ref.snapshot_dates("hgnc")
    return dates[-1] if dates else ""


def _fix_value(rec, entry: Entry, name: str, value: str, message: str) -> Fix | None:
    if entry.file is not None or not entry.path:
        return None
    edit = edits.replace_value(rec, f"{entry.path}/{name}", value)
    return Fix("unsafe", message, (edit,)) if edit is not None else None


def _names_of(symbols, limit: int = 4) -> str:
    shown = [repr(s) for s in list(symbols)[:limit]]
    more = len(symbols) - limit
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


@rule("GN103", "entrez-mismatch", "error", fix="unsafe", needs=("reference",))
def entrez_mismatch(rec, ctx):
    """A gene's Entrez ID is not the one HGNC gives its symbol.

    What: a front-matter gene whose `hgnc_symbol` is an approved HGNC symbol
    and whose well-formed `entrez` differs from the NCBI Gene ID HGNC records
    for that symbol (compared as numbers); the message names HGNC's ID and,
    when the record's ID belongs to another approved gene, that gene. In a
    sidecar genes table the same holds for `ncbigene_symbol` / `ncbigene_id`
    of human rows (`organism_id` 9606) only: other species have no HGNC
    record. Not checked: symbols HGNC does not approve (GN104), malformed
    IDs (GN102), and genes for which HGNC records no Entrez ID.
    Why: the symbol and the ID name two different genes; whichever is wrong,
    joins on the ID (the site, enrichment, NDEx) pick the other gene.
    Fix: unsafe, front matter only: set `entrez` to HGNC's ID for the symbol
    (when the symbol is the wrong half, fix the symbol instead).
    Options: `[tool.pfocr-lint.reference]` `hgnc` / `data-dir` point at a
    fresher HGNC snapshot.
    Fails:
        genes:
        - {word: PIM1, symbol: PIM1, source: hgnc_symbol, hgnc_symbol: PIM1, entrez: '5293'}
    Passes:
        genes:
        - {word: PIM1, symbol: PIM1, source: hgnc_symbol, hgnc_symbol: PIM1, entrez: '5292'}
    """
    ann, genes = _human_genes(rec)
    if ann is None or not genes:
        return
    hgnc = _ref(ctx).hgnc()
    symf, idf = ann.gene_field("symbol"), ann.gene_field("id")
    for e in genes:
        fields = e.fields
        sym = fields.get(symf)
        if not _usable(sym):
            continue
        nid = _norm_id(fields.get(idf))
        if nid is None:
            continue
        gene = hgnc.approved(sym)
        if gene is None or not gene.entrez or gene.entrez == nid:
            continue
        other = hgnc.by_entrez(nid)
        whose = f"; {nid} is HGNC's {other.symbol!r}" if other is not None else ""
        yield Problem(
            **_at(e, idf),
            message=(
                f"{idf} {_show(e.get(idf))} is not the Entrez ID HGNC gives {symf} {quote(sym)} "
                f"({gene.name}){whose}; expected {gene.entrez!r}"
            ),
            fix=_fix_value(
                rec, e, idf, gene.entrez, f"Set entrez to HGNC's {gene.entrez!r} for {sym}"
            ),
        )


@rule("GN104", "symbol-not-approved", "error", fix="unsafe", needs=("reference",))
def symbol_not_approved(rec, ctx):
    """A gene's symbol is not an approved HGNC symbol.

    What: a front-matter gene's `hgnc_symbol` (a sidecar human row's
    `ncbigene_symbol`, `organism_id` 9606 only) is not an approved symbol of
    the HGNC snapshot. The message names what it is instead and the current
    symbol: a previous symbol (`FAM123A` → `AMER2`), a withdrawn symbol and
    its successor, a case variant (`Il6` → `IL6`) or an alias (`ERK` →
    `MAPK1`). A symbol HGNC does not know at all is reported as a warning,
    not an error: it may be newer than the snapshot.
    Why: `hgnc_symbol` is the gene's name in keywords, on the site and in the
    exports; an outdated symbol splits one gene in two across records, and
    an alias may name several genes.
    Fix: unsafe, front matter only: set `hgnc_symbol` to the current symbol,
    when there is exactly one (for an alias, only when `entrez` is that
    gene's).
    Options: `[tool.pfocr-lint.reference]` `hgnc` / `hgnc-withdrawn` /
    `data-dir` point at fresher snapshots.
    Fails:
        genes:
        - {word: MDR1, symbol: MDR1, source: hgnc_prev_symbol, hgnc_symbol: MDR1, entrez: '5243'}
    Passes:
        genes:
        - {word: MDR1, symbol: MDR1, source: hgnc_prev_symbol, hgnc_symbol: ABCB1, entrez: '5243'}
    """
    ann, genes = _human_genes(rec)
    if ann is None or not genes:
        return
    ref = _ref(ctx)
    hgnc = ref.hgnc()
    symf, idf = ann.gene_field("symbol"), ann.gene_field("id")
    for e in genes:
        sym = e.fields.get(symf)
        if not _usable(sym) or hgnc.approved(sym) is not None:  # `sym in hgnc`
            continue
        nid = _norm_id(e.get(idf))
        by_id = hgnc.by_entrez(nid) if nid is not None else None
        kind, what, candidates = _not_approved(hgnc, sym)
        agreed = by_id is not None and (by_id.symbol in candidates or _another_name(sym, by_id))
        if agreed:
            candidates = [by_id.symbol]
            if kind != "alias" and _another_name(sym, by_id) and by_id.symbol not in what:
                what += f"; it also names {by_id.symbol!r}, the gene of {idf} {nid}"
        severity = None
        if kind == "unknown":
            date = _snapshot_date(ref)
            what = (
                f"is not in the HGNC snapshot{' of ' + date if date else ''} "
                "(neither approved, previous, withdrawn nor an alias)"
            )
            if by_id is not None:
                what += f"; {idf} {nid} is HGNC's {by_id.symbol!r}"
                candidates = [by_id.symbol]
            severity = "warning"  # "not found": the symbol may be newer than the snapshot
        if len(candidates) == 1:
            expected = f"expected {candidates[0]!r}"
        elif candidates:
            expected = f"expected one of {_names_of(candidates)}"
        else:
            expected = "expected an approved HGNC symbol"
        fix = None
        if len(candidates) == 1 and kind != "unknown" and (kind != "alias" or agreed):
            fix = _fix_value(rec, e, symf, candidates[0], f"Set {symf} to {candidates[0]!r}")
        yield Problem(
            **_at(e, symf),
            message=f"{symf} {quote(sym)} {what}; {expected}",
            fix=fix,
            severity=severity,
        )


def _another_name(sym: str, gene) -> bool:
    """Is ``sym`` an alias or previous symbol of ``gene`` (ignoring case)?"""
    up = sym.upper()
    return any(up == n.upper() for n in (*gene.aliases, *gene.prev))


def _not_approved(hgnc, sym: str) -> tuple[str, str, list[str]]:
    """(kind, what the symbol is, the approved symbols it stands for)."""
    case = hgnc.approved_ignoring_case(sym)
    if case:
        return "case", "differs from the approved symbol only in case", case
    prev = sorted(hgnc.symbols_for_prev(sym))
    if prev:
        return "prev", f"is a previous HGNC symbol (of {_names_of(prev)})", prev
    gone = hgnc.withdrawn(sym)
    if gone is not None:
        if gone.successors:
            succ = list(gone.successors)
            return "withdrawn", f"was withdrawn by HGNC (successor {_names_of(succ)})", succ
        return "withdrawn", "was withdrawn by HGNC (entry withdrawn, no successor)", []
    alias = sorted(hgnc.symbols_for_alias(sym, extra=False))
    if alias:
        return "alias", f"is an HGNC alias (of {_names_of(alias)}), not an approved symbol", alias
    return "unknown", "", []


@rule("GN105", "source-mismatch", "warning", needs=("reference",))
def source_mismatch(rec, ctx):
    """A gene's `source` does not hold for its symbol.

    What: the lexicon class a gene entry claims does not hold in the
    reference data. Front matter: `source: hgnc_symbol` → `symbol` is
    `hgnc_symbol` (ignoring case); `hgnc_alias_symbol` / `hgnc_prev_symbol`
    → `symbol` is an alias / previous symbol of `hgnc_symbol` in HGNC (or, for
    aliases, in a configured gene-synonyms table); `bioentities_symbol` →
    `hgnc_symbol` is a member of the FamPlex family `symbol`. Sidecar human
    rows (`organism_id` 9606) the same with the matched word (`match`) and
    `ncbigene_symbol` for `ncbigene_symbol`, `ncbigene_synonym` and
    `famplex_relations`. Families are FamPlex's and PFOCR's own 2018 ones
    (`AC`, `Gq`, `CALCINEURIN`: shipped in `pfocr_families.tsv.gz`), members
    of a name both hold united. The message says which class the symbol really
    belongs to (the approved symbol, an alias or previous symbol of this or
    another gene, a family). An alias HGNC does not know at all, and a
    family that neither FamPlex, PFOCR's 2018 families nor a configured
    family table knows, are reported too (once per family and record): the
    data cannot back the claim. Entries whose `hgnc_symbol` is not approved
    are GN104's.
    Why: the source says how the OCR word became a gene; a wrong class
    means the word was matched to the wrong gene, or the lexicon was stale.
    Options: `[tool.pfocr-lint.reference]` `family-tables` (CSV family +
    entrez_id/symbol) and `gene-synonyms` (NCBI Gene synonyms,
    `symbol<TAB>synonym`) add what HGNC, FamPlex and PFOCR's families lack.
    Fails:
        genes:
        - {word: ERK, symbol: ERK, source: hgnc_alias_symbol, hgnc_symbol: EPHB2, entrez: '2048'}
    Passes:
        genes:
        - {word: ERK, symbol: ERK, source: hgnc_prev_symbol, hgnc_symbol: EPHB2, entrez: '2048'}
    """
    ann, genes = _human_genes(rec)
    if ann is None or not genes:
        return
    ref = _ref(ctx)
    hgnc, families = ref.hgnc(), ref.famplex()
    sidecar = ann.source == "sidecar"
    symf = ann.gene_field("symbol")
    unknown_families: set[str] = set()
    counts: dict[str, int] = {}
    pending: dict[str, tuple[Entry, str, str]] = {}
    lexf = "match" if sidecar else "symbol"
    for e in genes:
        fields = e.fields
        source = fields.get("source")
        kind = _SOURCE_KIND.get(source) if isinstance(source, str) else None
        if kind is None:
            continue
        target, lex = fields.get(symf), fields.get(lexf)
        if not _usable(lex) or not _usable(target):
            continue
        gene = hgnc.approved(target)
        if gene is None:
            continue  # GN104
        if kind == "family":
            members = families.members(lex, ignore_case=sidecar)
            if members is None:
                key = lex.upper() if sidecar else lex
                counts[key] = counts.get(key, 0) + 1
                if key not in unknown_families:
                    unknown_families.add(key)
                    pending[key] = (e, lexf, lex)
                continue
            if target in members:
                continue
            shown = sorted(members)
            home = families.families_of(target)
            yield Problem(
                **_at(e, "source" if not sidecar else lexf),
                message=(
                    f"source {quote(source)}: {symf} {quote(target)} is not a member of the "
                    f"family {quote(lex)} (FamPlex / PFOCR 2018) "
                    f"({_names_of(shown) if shown else 'no HGNC members'})"
                    + (f"; it is in {_names_of(home, 3)}" if home else "")
                    + f"; expected a member of {quote(lex)}"
                ),
            )
            continue
        if _holds(hgnc, kind, lex, gene, sidecar):
            continue
        expected = {
            "symbol": f"expected {lexf} to be {target!r}",
            "alias": f"expected an alias of {target!r}",
            "prev": f"expected a previous symbol of {target!r}",
        }[kind]
        yield Problem(
            **_at(e, "source" if not sidecar else lexf),
            message=(
                f"source {quote(source)}, but {lexf} {quote(lex)}{_word_of(e, sidecar)} "
                f"{_really(hgnc, families, lex, gene, sidecar)}; {expected}"
            ),
        )
    for key in sorted(unknown_families):
        e, lexf, lex = pending[key]
        n = counts[key]
        yield Problem(
            **_at(e, "symbol" if not sidecar else lexf),
            message=(
                f"{lexf} {quote(lex)} (source {quote(e.get('source'))}, "
                f"{n} entr{'ies' if n != 1 else 'y'}) "
                "is a family neither FamPlex nor PFOCR's 2018 families know, so its members "
                "cannot be checked; expected a known family, or configure its table in "
                "[tool.pfocr-lint.reference] family-tables"
            ),
        )


def _word_of(e: Entry, sidecar: bool) -> str:
    word = e.get("word")
    return (
        f" (word {quote(word)})"
        if sidecar and isinstance(word, str) and word != e.get("match")
        else ""
    )


_SOURCE_KIND = {
    "hgnc_symbol": "symbol",
    "hgnc_alias_symbol": "alias",
    "hgnc_prev_symbol": "prev",
    "bioentities_symbol": "family",
    "ncbigene_symbol": "symbol",
    "ncbigene_synonym": "alias",
    "famplex_relations": "family",
}


def _holds(hgnc, kind: str, lex: str, gene, sidecar: bool) -> bool:
    """Does ``lex`` belong to ``gene`` as the claimed class? Case is ignored
    (PFOCR's sidecar `match` is upper case; HGNC has `p62`). A sidecar
    synonym may be any alias or previous symbol (NCBI Gene's synonyms are
    both)."""
    up = lex.upper()
    if kind == "symbol":
        return up == gene.symbol.upper()
    aliases, prev = _upper_names(gene)
    if kind == "alias":
        if up in aliases or (sidecar and up in prev):
            return True
        return gene.symbol in _alias_owners(hgnc, lex)  # extra tables
    return up in prev


@functools.lru_cache(maxsize=16384)
def _alias_owners(hgnc, lex: str) -> frozenset[str]:
    """``hgnc.symbols_for_alias(lex, ignore_case=True)`` (cached per table and
    word)."""
    return hgnc.symbols_for_alias(lex, ignore_case=True)


@functools.lru_cache(maxsize=16384)
def _upper_names(gene) -> tuple[frozenset[str], frozenset[str]]:
    """The gene's aliases and previous symbols, upper case (cached per gene)."""
    return frozenset(a.upper() for a in gene.aliases), frozenset(p.upper() for p in gene.prev)


@functools.lru_cache(maxsize=16384)
def _really(hgnc, families, lex: str, gene, sidecar: bool) -> str:
    """What ``lex`` is in the reference data, relative to ``gene`` (cached per
    tables, word and gene: lookups only)."""
    up = lex.upper()
    if up == gene.symbol.upper():
        return f"is the approved symbol of {gene.symbol!r}"
    if up in {a.upper() for a in gene.aliases}:
        return f"is an alias of {gene.symbol!r}"
    if up in {p.upper() for p in gene.prev}:
        return f"is a previous symbol of {gene.symbol!r}"
    owner = hgnc.approved(lex) or next(
        (hgnc.approved(s) for s in hgnc.approved_ignoring_case(lex)), None
    )
    if owner is not None:
        return f"is the approved symbol of another gene, {owner.symbol!r}"
    fam = families.members(lex, ignore_case=True)
    if fam is not None and gene.symbol in fam:
        return f"is a FamPlex family of which {gene.symbol!r} is a member"
    alias_of = sorted(hgnc.symbols_for_alias(lex, ignore_case=True))
    prev_of = sorted(hgnc.symbols_for_prev(lex, ignore_case=True))
    parts = []
    if alias_of:
        parts.append(f"an alias of {_names_of(alias_of)}")
    if prev_of:
        parts.append(f"a previous symbol of {_names_of(prev_of)}")
    if fam is not None:
        parts.append("a FamPlex family")
    if parts:
        return "is " + " and ".join(parts) + f", not of {gene.symbol!r}"
    return (
        f"is unknown to HGNC as a symbol, alias or previous symbol (PFOCR took "
        f"{'synonyms' if sidecar else 'aliases'} from NCBI Gene, which has more: configure "
        "[tool.pfocr-lint.reference] gene-synonyms to check against them)"
    )
