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

from linter import edits
from linter.annotations import Annotations, Entry
from linter.model import Fix, Problem
from linter.registry import rule

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
    return repr(value)


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
                fix = Fix("unsafe", f"Remove the repeated gene entry {idf} {nid}", (edit,))
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
        what = f"{idf} {v} is a number, not a quoted string"
        if v > 0:
            expected = f"expected '{v}'"
    elif isinstance(v, float):
        what = f"{idf} {v!r} is a number, not a quoted string"
    elif not isinstance(v, (str, dict, list)):
        what = f"{idf} {v!r} is not a string"
    elif isinstance(v, str) and v == "":
        what = f"{idf} is an empty string"
    elif isinstance(v, str) and v.isascii() and v.isdigit() and v.lstrip("0"):
        what = f"{idf} {v!r} has a leading zero"
        expected = f"expected {v.lstrip('0')!r}"
    elif isinstance(v, str) and v.isascii() and v.isdigit():
        what = f"{idf} {v!r} is zero, not a gene ID"
    elif isinstance(v, str):
        what = f"{idf} {v!r} is not a string of digits"
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
        species = f" of {e.get(orgf)}" if orgf and isinstance(e.get(orgf), str) else ""
        yield Problem(
            **_at(e, idf),
            message=(
                f"{symf} {sym!r}{species} has {idf} {_show(e.get(idf))} here but "
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
    species = ", ".join(f"{org} ({n} row{'s' if n != 1 else ''})" for org, n in counts.items())
    shown = ", ".join(dict.fromkeys(n for names in named_by.values() for n in names))
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
                f"{idf} {_show(e.get(idf))} is not the Entrez ID HGNC gives {symf} {sym!r} "
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
            message=f"{symf} {sym!r} {what}; {expected}",
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
                    f"source {source!r}: {symf} {target!r} is not a member of the FamPlex family "
                    f"{lex!r} ({_names_of(shown) if shown else 'no HGNC members'})"
                    + (f"; it is in {_names_of(home, 3)}" if home else "")
                    + f"; expected a member of {lex!r}"
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
                f"source {source!r}, but {lexf} {lex!r}{_word_of(e, sidecar)} "
                f"{_really(hgnc, families, lex, gene, sidecar)}; {expected}"
            ),
        )
    for key in sorted(unknown_families):
        e, lexf, lex = pending[key]
        n = counts[key]
        yield Problem(
            **_at(e, "symbol" if not sidecar else lexf),
            message=(
                f"{lexf} {lex!r} (source {e.get('source')!r}, {n} entr{'ies' if n != 1 else 'y'}) "
                "is not a FamPlex family, so its members cannot be checked; expected a family "
                "FamPlex knows, or configure its table in [tool.pfocr-lint.reference] "
                "family-tables (PFOCR's 2018 families: pfocr_2018_bioentities.csv)"
            ),
        )


def _word_of(e: Entry, sidecar: bool) -> str:
    word = e.get("word")
    return (
        f" (word {word!r})" if sidecar and isinstance(word, str) and word != e.get("match") else ""
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

_GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta",
    "η": "eta", "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu",
    "ν": "nu", "ξ": "xi", "π": "pi", "ρ": "rho", "σ": "sigma", "τ": "tau", "φ": "phi",
    "χ": "chi", "ψ": "psi", "ω": "omega",
}  # fmt: skip
_GREEK_NAME = str.maketrans(
    {**{g: f" {n} " for g, n in _GREEK.items()}, **{g.upper(): f" {n} " for g, n in _GREEK.items()}}
)


class _Patterns:
    """GN106's regular expressions, compiled once on first use (:func:`_rx`):
    importing this module costs a run without GN106 nothing."""

    def __init__(self) -> None:
        c = re.compile
        self.short = c(r"[0-9A-Za-zΑ-Ωα-ω][0-9A-Za-zΑ-Ωα-ω+/.-]*")
        self.upper = c(r"[A-Z]")
        self.lower3 = c(r"[a-zα-ω]{3}")
        self.long_words = c(r"[\s/,()]+")
        self.paren = c(r"\(([^()]{1,80})\)")
        self.inner_end = c(r"[;,]\s")
        self.clause_end = c(r"[;()\[\]]|[.:]\s")
        self.glossary_lead = c(r"(?i)^\s*(?:abbreviations?|note)\s*:\s*")
        self.glossary_entry = c(r"(?s)^\s*(\S{2,14}?)\s*(?:,|:|=|\s[–—-])\s+(.+)$")
        self.next_entry = c(r",\s+(?=[0-9A-Za-zΑ-Ωα-ω][^\s,;:]{0,13}\s*(?:,|:|=)\s)")
        self.word_parts = c(r"[/,()]")
        self.name_words = c(r"[\s,/()]+")


_PATTERNS: _Patterns | None = None


def _rx() -> _Patterns:
    global _PATTERNS
    if _PATTERNS is None:
        _PATTERNS = _Patterns()
    return _PATTERNS


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


class Abbreviation:
    """An abbreviation the caption defines: ``short`` stands for ``long``.
    (Plain classes here, not dataclasses: building those at import would cost
    every run, also those without GN106.)"""

    __slots__ = ("short", "long", "_keys")

    def __init__(self, short: str, long: str):
        self.short = short
        self.long = long
        self._keys: tuple[set[str], set[str]] | None = None

    def __repr__(self) -> str:
        return f"Abbreviation({self.short!r}, {self.long!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Abbreviation) and (self.short, self.long) == (
            other.short,
            other.long,
        )

    def __hash__(self) -> int:
        return hash((self.short, self.long))

    @property
    def plural(self) -> bool:
        """`IRs`, `ICIs`: a final lower-case s after upper case or a digit."""
        s = self.short
        return len(s) > 2 and s.endswith("s") and (s[-2].isupper() or s[-2].isdigit())

    def keys(self) -> tuple[set[str], set[str]]:
        """(keys as written, keys of the singular): `IRs` -> ({IRS}, {IR});
        `IRS1/2` -> IRS1, IRS2; `AVP/ADH` -> AVP, ADH."""
        if self._keys is None:
            written = set(_short_keys(self.short))
            singular = set(_short_keys(self.short[:-1])) if self.plural else set()
            self._keys = (written, singular)
        return self._keys


@functools.lru_cache(maxsize=65536)
def key(text: str) -> str:
    """A symbol's comparison key (`linter.reference.name_key`): Greek letters
    as Latin, upper case, letters and digits only (`IL-6` -> `IL6`, `TNF-α` ->
    `TNFA`, `P-gp` -> `PGP`)."""
    global _name_key
    if _name_key is None:
        from linter.reference import name_key  # only GN106 calls this

        _name_key = name_key
    return _name_key(text)


_name_key = None


def _short_keys(short: str) -> list[str]:
    parts = [p for p in short.split("/") if p]
    if len(parts) > 1 and all(p.isdigit() for p in parts[1:]):
        stem = re.sub(r"[0-9]+$", "", parts[0])
        return [key(parts[0])] + [key(stem + p) for p in parts[1:]]
    return [key(p) for p in parts if key(p)]


def _short_form_ok(short: str) -> bool:
    if not 2 <= len(short) <= 14:
        return False
    rx = _rx()
    # an upper-case ASCII letter (so a letter), not a Roman numeral
    if not rx.short.fullmatch(short) or not rx.upper.search(short) or not short.strip("IVX"):
        return False
    # a capitalised ordinary word ("Figure", "Treg") is not an abbreviation
    return not (short.isalpha() and len(short) > 3 and short[0].isupper() and short[1:].islower())


def _spelled(short: str, text: str) -> str | None:
    """Schwartz & Hearst: the shortest tail of ``text`` whose characters
    contain the short form's letters and digits in order, the first one at a
    word start. None when there is none."""
    chars = [c for c in short.lower() if c.isalnum()]
    low = text.lower()
    i = len(low) - 1
    for n in range(len(chars) - 1, -1, -1):
        c = chars[n]
        i = low.rfind(c, 0, i + 1)  # the last c at or before i
        if n == 0:
            while i > 0 and low[i - 1].isalnum():  # not at a word start: an earlier one
                i = low.rfind(c, 0, i)
        if i < 0:
            return None
        i -= 1
    start = max(text.rfind(" ", 0, i + 1) + 1, 0)
    return text[start:].strip(" ,;:")


def _long_ok(short: str, long: str) -> bool:
    words = long.split()
    limit = min(len(short) + 5, 2 * len(short))
    if not words or len(words) > limit or len(long) <= len(short):
        return False
    first = long[0] if long[0].isalnum() else next((c for c in long if c.isalnum()), "")
    lead = short[0] if short[0].isalnum() else next(c for c in short if c.isalnum())
    if first.lower() != lead.lower():
        return False
    rx = _rx()
    if not rx.lower3.search(long):
        return False
    return key(short) not in map(key, rx.long_words.split(long))


def caption_abbreviations(text) -> list[Abbreviation]:
    """The abbreviations a caption defines: `long form (ABBR)`, `ABBR (long
    form)` and glossary entries `ABBR, long form;`, `ABBR: long form`,
    `ABBR = long form` (separated by `;`, `.` or `, ` before the next entry).
    A definition counts only when the long form spells the abbreviation
    (Schwartz & Hearst: its letters in order, the first at a word start)."""
    if not isinstance(text, str):
        return []
    # single spaces from here on: the only whitespace left, never two in a row,
    # none at either end
    text = " ".join(text.split())
    if not text:
        return []
    rx = _rx()
    found: dict[tuple[str, str], Abbreviation] = {}

    def add(short: str, long: str) -> None:  # short is _short_form_ok
        long = long.strip(" ,;:.")
        if _long_ok(short, long):
            found.setdefault((short, long.lower()), Abbreviation(short, long))

    for m in rx.paren.finditer(text):
        inner = rx.inner_end.split(m.group(1), 1)[0].strip()
        end = m.start()  # the text before the parenthesis is text[:end]
        if end and text[end - 1] == " ":
            end -= 1
        if _short_form_ok(inner):  # long form (ABBR)
            # the long form is within the last `limit` words of the clause
            # before the parenthesis: look no further back than the space
            # before those words (a clause that starts later starts inside
            # the window; one that starts earlier has them all in it)
            limit = min(len(inner) + 5, 2 * len(inner))
            start = end
            for _ in range(limit):
                start = text.rfind(" ", 0, start)
                if start < 0:
                    start = 0
                    break
            clause = rx.clause_end.split(text[start:end])[-1]
            long = _spelled(inner, " ".join(clause.split()[-limit:]))
            if long:
                add(inner, long)
            continue
        if end and " " in inner:  # ABBR (long form): the last word before
            short = text[text.rfind(" ", 0, end) + 1 : end].strip(",;:")
            long = _spelled(short, inner)
            if long and long == inner and _short_form_ok(short):
                add(short, inner)
    entry, next_entry, lead = rx.glossary_entry, rx.next_entry, rx.glossary_lead
    # segments end at `;`, `. ` and a final `.` (the pattern `;|\.\s+|\.$`
    # on single-spaced text)
    ends = text[:-1] + ";" if text.endswith(".") else text
    for segment in ends.replace(". ", ";").split(";"):
        if ":" in segment:  # `Abbreviations:` / `Note:` lead-ins need one
            segment = lead.sub("", segment)
        while segment:
            m = entry.match(segment)
            if not m:
                break
            short, rest = m.group(1), m.group(2)
            nxt = next_entry.search(rest)
            long, segment = (rest[: nxt.start()], rest[nxt.end() :]) if nxt else (rest, "")
            long = long.partition(" (")[0]
            if _short_form_ok(short) and _spelled(short, long):
                add(short, long)
    return list(found.values())


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "os")):
        return word[:-1]
    return word


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
    low = text.translate(_GREEK_NAME).lower()
    for pattern, replacement in _PHRASES:
        low = re.sub(pattern, replacement, low)
    for raw in re.split(r"[^a-z0-9]+", low):
        if not raw:
            continue
        parts = re.findall(r"[a-z]+|[0-9]+", raw)
        words = parts if len(parts) == 1 else [raw, *parts]
        for w in words:
            w = _SYNONYMS.get(_singular(w), _singular(w))
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
    return not any(key(w) in forms for w in _rx().name_words.split(gene.name) if w)


@functools.lru_cache(maxsize=16384)
def _word_keys(word: str, lex: str | None) -> frozenset[str]:
    """Keys of a gene entry's word, of its parts (`IRS1/2` -> IRS1, IRS2) and
    of its lexicon entry ``lex`` (cached: the same gene words come back)."""
    words = {key(word), *(key(p) for p in _rx().word_parts.split(word) if p)}
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


@rule("GN106", "abbreviation-collision", "warning", needs=("reference",))
def abbreviation_collision(rec, ctx):
    """A gene was matched from a caption abbreviation that means something else.

    What: the caption defines an abbreviation (`IRs, inhibitory receptors`,
    `P-glycoprotein (Pgp)`, `ALT: alanine transaminase`, `IL-6 = interleukin
    6`, also `Pgp (P-glycoprotein)`; the long form must spell the
    abbreviation, Schwartz & Hearst) and a gene of the record was matched
    from that abbreviation, while the long form does not describe the gene's
    HGNC approved name. The genes are the front-matter `genes:` entries (the
    abbreviation is the entry's `word` or `symbol`), the human rows of a
    sidecar genes table (`word` or `match`) or, when a record has neither,
    the `schema-jsonld` keywords that are approved HGNC symbols (the
    abbreviation relates to the keyword through its symbol, an alias, a
    previous symbol or its stem, `IRS` for `IRS1`).
    Heuristic, tuned for precision: "describes" means the long form and the
    HGNC name share a telling word, after folding case, hyphens, Greek
    letters, plurals and a few spellings (`transaminase` = `aminotransferase`,
    `IL` = `interleukin`); generic words (`protein`, `receptor`, `factor`,
    `family`…) and numbers do not count, so `interleukin-6` describes IL6 and
    `alanine transaminase` GPT (glutamic--pyruvic transaminase), while
    `inhibitory receptors` does not describe IRS1 (insulin receptor
    substrate 1); a long form of generic words only describes a name that
    holds them all (`nuclear factor kappa B`, NFKB1). A gene is reported
    only when the evidence is strong: the match needs the plural `s` read as
    a letter (`IRs` → IRS1, `ICIs` → alias ICIS of MTUS1), or the
    abbreviation is the gene's approved symbol (`Pgp` → PGP,
    phosphoglycolate phosphatase, where ABCB1 was meant), or the long form
    describes another gene the abbreviation also names (`PKC, protein kinase
    C` → PRRT2, alias PKC, while FamPlex PKC holds PRKCA…). An alias match
    alone is not enough (`Pgp` is also an alias of ABCB1, whose HGNC name
    does not say "P-glycoprotein"), and a name that spells the symbol itself
    (`BCL2 apoptosis regulator`) needs the last kind of evidence.
    Why: PFOCR's gene recognition has no caption disambiguation: an
    abbreviation of a receptor class, a drug class or a pathway that happens
    to be a gene symbol or alias becomes a gene, its keyword and its NDEx
    node.
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
    caption = data.get("caption")
    if not isinstance(caption, str):
        jsonld = data.get("schema-jsonld")
        caption = jsonld.get("description") if isinstance(jsonld, dict) else None
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
        if not related or any(describes(a.long, c.gene) for a, _ in related):
            continue
        informative = _informative(c.gene)
        for a, how in related:
            reason = _evidence(ref, hgnc, c, a, how if informative else "weak", described)
            if reason is None:
                continue
            gene = c.gene
            yield Problem(
                **c.where,
                message=(
                    f"{c.label} the caption's abbreviation {a.short!r} of {a.long!r}, "
                    f"which does not describe {gene.symbol} ({gene.name}){reason}; expected a "
                    f"gene named by {a.long!r}, or no gene"
                ),
            )
            break


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
    seen = set()
    for i, kw in enumerate(keywords):
        if not isinstance(kw, str) or kw in seen:
            continue
        seen.add(kw)
        found = _approved_forms(hgnc, kw)
        if found is not None and not found[1].isdisjoint(wanted):
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


def _described(ref, hgnc, a: Abbreviation) -> list[str]:
    """The approved genes ``a`` names (by symbol, alias, previous symbol or
    stem, or as a FamPlex family) whose HGNC name its long form describes,
    sorted."""
    written, singular = a.keys()
    others = {s for k in written | singular for s in _named_by(hgnc, k)}
    families = ref.famplex()
    for k in (a.short, a.short[:-1] if a.plural else None):
        members = families.members(k, ignore_case=True) if k else None
        others |= set(members or ())
    return sorted(s for s in others if (g := hgnc.approved(s)) is not None and describes(a.long, g))
