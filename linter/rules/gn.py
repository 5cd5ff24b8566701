"""GN – genes.

The rules read the record's gene annotations (``rec.annotations``, see
:mod:`linter.reading.annotations`): the front matter's ``genes:`` list (fields
``hgnc_symbol`` and ``entrez``) or, for newer records, the sidecar genes
table (``ncbigene_symbol``, ``ncbigene_id``, ``organism_name``; one row per
(word, gene, organism), several species mixed). Findings on a sidecar row
point at the table's file and line.
"""

from __future__ import annotations

import os

from linter.base.model import Fix, Problem
from linter.base.values import clip, listed, quote
from linter.reading.annotations import Annotations, Entry
from linter.rules import edits
from linter.rules.registry import rule

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
