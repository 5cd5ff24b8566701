"""KW – ``schema-jsonld.keywords`` against the record's annotations.

Upstream writes the keywords as the distinct gene symbols in order of first
appearance (``hgnc_symbol`` of the front-matter genes; ``ncbigene_symbol`` of
the sidecar genes table, several species mixed), then the chemical words,
then the disease words (FORMAT.md). Words are compared exactly: keywords of
different species differ only by case (``EGFR``, ``Egfr``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from operator import itemgetter

from linter.base.model import Fix, Problem
from linter.base.values import quote
from linter.reading.annotations import KINDS, Annotations, Entry
from linter.reading.fields import jsonld_keywords
from linter.rules import edits
from linter.rules.registry import rule

KEYWORDS = "/schema-jsonld/keywords"
# textual nulls: NA101 / NA102 report them, KW102 does not repeat that
PLACEHOLDERS = frozenset({".na.character", "NA", "N/A", "NaN", "NULL", "None", "null"})
_STR = frozenset({str})
_FIRST = itemgetter(0)
MAX_MISSING_FINDINGS = 20  # KW101: more missing words make one finding; KW102: fixes shown


def _distinct(words) -> list:
    seen, out = set(), []
    for w in words:
        key = (type(w), w) if _hashable(w) else None
        if key is None or key not in seen:
            if key is not None:
                seen.add(key)
            out.append(w)
    return out


def _hashable(value) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


@dataclass
class Plan:
    """What the keywords of a record should be, from its annotations."""

    keywords: object  # the current value (a list when the record is well formed)
    present: set  # the string keywords present
    genes: list[tuple[str, Entry]] = field(default_factory=list)  # distinct, first entry
    chemicals: list[tuple[str, Entry]] = field(default_factory=list)
    diseases: list[tuple[str, Entry]] = field(default_factory=list)
    appended: bool = True  # chemical and disease words belong to the keywords
    backed: set = field(default_factory=set)
    generated: list[str] = field(default_factory=list)

    @property
    def required(self) -> list[tuple[str, str, Entry]]:
        out = [(w, "gene symbol", e) for w, e in self.genes]
        if self.appended:
            out += [(w, "chemical word", e) for w, e in self.chemicals]
            out += [(w, "disease word", e) for w, e in self.diseases]
        seen: set = set()
        distinct = []
        for item in out:  # each word once: a chemical word may also be a gene symbol
            if item[0] not in seen:
                seen.add(item[0])
                distinct.append(item)
        return distinct


def _words(entries: list[Entry], name: str) -> list[tuple[str, Entry]]:
    """The distinct words (non-empty strings) of field ``name``, each with
    its first entry, in order."""
    first: dict[str, Entry] = {}
    for e in entries:
        w = e.fields.get(name)
        if isinstance(w, str) and w and w not in first:
            first[w] = e
    return list(first.items())


def _word_sets(ann: Annotations) -> tuple[set, set] | None:
    """The gene words and the chemical and disease words of the annotations,
    with no ``None`` or '' but possibly other non-strings (a cheaper superset
    of a plan's words: no entries, no order); None when a value is not
    hashable."""
    gene_field = ann.gene_field("symbol") or "hgnc_symbol"
    try:
        genes = {e.fields.get(gene_field) for e in ann.genes}
        other = {e.fields.get("word") for e in ann.chemicals}
        other.update([e.fields.get("word") for e in ann.diseases])
    except TypeError:
        return None
    for words in (genes, other):
        words.discard(None)
        words.discard("")
    return genes, other


def _keywords(rec) -> object:
    """``schema-jsonld.keywords`` (None when there is no `schema-jsonld` mapping)."""
    return jsonld_keywords(rec.data)


def plan(rec) -> Plan | None:
    """The keyword plan of a record, or ``None`` when its annotations are not
    available or it has no ``schema-jsonld`` mapping."""
    ann = rec.annotations
    if not isinstance(ann, Annotations) or not ann.available:
        return None
    jsonld = rec.data.get("schema-jsonld") if isinstance(rec.data, dict) else None
    if not isinstance(jsonld, dict):
        return None
    keywords = jsonld.get("keywords")
    present = {k for k in keywords if isinstance(k, str)} if isinstance(keywords, list) else set()
    p = Plan(keywords, present)
    p.genes = _words(ann.genes, ann.gene_field("symbol") or "hgnc_symbol")
    p.chemicals = _words(ann.chemicals, "word")
    p.diseases = _words(ann.diseases, "word")
    gene_words = list(map(_FIRST, p.genes))
    other_words = list(map(_FIRST, p.chemicals + p.diseases))
    gene_set = set(gene_words)
    if ann.source == "sidecar":
        # generation B (2023) wrote only gene symbols; the 2024 batch script
        # (C) appends chemical and disease words: expect them in C records and
        # in any record whose keywords already carry one of them
        extra = set(other_words) - gene_set
        p.appended = rec.generation == "C" or not extra.isdisjoint(present)
    p.backed = gene_set.union(other_words)
    words = gene_words + other_words if p.appended else gene_words
    p.generated = list(dict.fromkeys(words))  # _distinct(words): they are all strings
    return p


def _where(rec, entry: Entry) -> str:
    if entry.file is not None:
        return f"{os.path.basename(entry.file)} line {entry.line}"
    span = rec.span(entry.path or "")
    kind = (entry.path or "/?").split("/")[1]
    return f"{kind} entry on line {span.line}" if span else f"{kind} entry"


def _show(value) -> str:
    if value is None:
        return "null"
    text = repr(value)
    return text if len(text) <= 60 else text[:59] + "…"


def _regenerate(rec, items: list, message: str, applicability: str) -> Fix | None:
    edit = edits.replace_list(rec, KEYWORDS, items)
    return Fix(applicability, message, (edit,)) if edit else None


@rule("KW101", "keyword-missing", "error", fix="safe", needs=("annotations",))
def keyword_missing(rec, ctx):
    """An annotation's word is missing from `schema-jsonld.keywords`.

    What: a gene's `hgnc_symbol` (front-matter `genes:`) or `ncbigene_symbol`
    (sidecar genes table), a chemical's `word` or a disease's `word` is not
    in `schema-jsonld.keywords` (compared exactly, case included). One finding
    per missing word, on the keywords list; past 20 missing words, one finding
    for them all (naming the first five), so that a huge table cannot make
    the report grow with the square of its rows (each finding carries the fix). Chemical and disease words of the
    front matter are always expected (the 2020 writer put them in). For
    sidecar tables they are expected only in generation C records (the 2024
    batch script appends them) and in records whose keywords already carry
    one of them: the 2023 regeneration (B) wrote gene symbols only, and its
    chemical and disease tables came with a later commit
    (`PMC10003241__ijms-24-04893-g003` lists exactly its 69 gene symbols).
    Records with no annotation lists and no sidecar tables are skipped.
    Why: the keywords feed the site's search and the NDEx export; a gene of
    the figure that is not a keyword cannot be found.
    Fix: regenerate the list in the upstream order: the distinct gene symbols
    in order of first appearance, then the chemical words, then the disease
    words (each word once); keywords that no annotation backs are kept, in
    their order, at the end (removing them is KW102's unsafe fix).
    Fails:
        schema-jsonld:
          keywords: [JAK2]
        genes:
        - {word: PIM1/2, symbol: PIM1, source: hgnc_symbol, hgnc_symbol: PIM1, entrez: '5292'}
    Passes:
        schema-jsonld:
          keywords: [PIM1]
        genes:
        - {word: PIM1/2, symbol: PIM1, source: hgnc_symbol, hgnc_symbol: PIM1, entrez: '5292'}
    """
    ann = rec.annotations
    if not isinstance(ann, Annotations) or not ann.available:
        return
    keywords = _keywords(rec)
    if isinstance(keywords, list) and (words := _word_sets(ann)) is not None:
        # the usual case, cheaply: every word the plan may require is present
        genes, other = words
        present = {k for k in keywords if isinstance(k, str)}
        if ann.source == "sidecar" and rec.generation != "C" and other.isdisjoint(present):
            need = genes  # (not appended: see plan())
        else:
            need = genes | other
        if present.issuperset(need):
            return
    p = plan(rec)
    if p is None or p.present.issuperset(p.generated):  # the words of p.required
        return
    missing = [(w, what, e) for w, what, e in p.required if w not in p.present]
    if not missing:
        return
    current = p.keywords if isinstance(p.keywords, list) else []
    kept = _distinct(k for k in current if not (isinstance(k, str) and k in p.backed))
    fix = _regenerate(
        rec,
        _distinct(p.generated + kept),
        "Regenerate the keywords from the annotations",
        "safe",
    )
    if not isinstance(p.keywords, list):
        shown = "missing" if "keywords" not in rec.data["schema-jsonld"] else _show(p.keywords)
        words = ", ".join(quote(w) for w, _, _ in missing[:5])
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        yield Problem(
            KEYWORDS,
            f"schema-jsonld.keywords is {shown}, expected a list of the "
            f"{len(missing)} annotation words ({words}{more})",
            fix=fix,
        )
        return
    if len(missing) > MAX_MISSING_FINDINGS:
        words = ", ".join(f"{quote(w)} ({_where(rec, e)})" for w, _, e in missing[:5])
        yield Problem(
            KEYWORDS,
            f"{len(missing)} annotation words are not in schema-jsonld.keywords: "
            f"{words} and {len(missing) - 5} more",
            fix=fix,
        )
        return
    for w, what, e in missing:
        yield Problem(
            KEYWORDS,
            f"{what} {quote(w)} ({_where(rec, e)}) is not in schema-jsonld.keywords",
            fix=fix,
        )


def _origin(ann: Annotations) -> str:
    if ann.source == "front-matter":
        return "the front matter's genes, chemicals and diseases"
    names = [os.path.basename(ann.tables[k]) for k in KINDS if ann.has(k)]
    return f"the sidecar tables ({', '.join(names)})"


@rule("KW102", "keyword-unbacked", "warning", fix="unsafe", needs=("annotations",))
def keyword_unbacked(rec, ctx):
    """A keyword that no annotation backs.

    What: an item of `schema-jsonld.keywords` that is neither a gene symbol
    (`hgnc_symbol`; `ncbigene_symbol` of any species in the sidecar table),
    nor a chemical word, nor a disease word of the record (compared exactly,
    case included). Checked only when the annotations are available: the
    front matter has `genes:`, `chemicals:` and `diseases:` lists, or the
    record has a readable sidecar genes table (missing chemical or disease
    tables mean none). Textual nulls (`.na.character`, `NA`) are NA101 /
    NA102's; a repeated keyword is reported once (the repeat is KW103's).
    Why: a keyword without an annotation was edited by hand or left over from
    an earlier annotation run; search then finds the figure for a gene it
    does not show.
    Fix: regenerate the keywords from the annotations (unsafe: drops the
    keyword). Every finding of a record has the same fix; past 20 findings
    the others are listed without it, so that the report does not grow with
    the square of the keywords.
    Fails:
        schema-jsonld:
          keywords: [PIM1, Apk]
        genes:
        - {word: PIM1/2, symbol: PIM1, source: hgnc_symbol, hgnc_symbol: PIM1, entrez: '5292'}
        chemicals: []
        diseases: []
    Passes:
        schema-jsonld:
          keywords: [PIM1]
        genes:
        - {word: PIM1/2, symbol: PIM1, source: hgnc_symbol, hgnc_symbol: PIM1, entrez: '5292'}
        chemicals: []
        diseases: []
    """
    ann = rec.annotations
    if not isinstance(ann, Annotations):
        return
    if ann.source == "front-matter":
        if not all(ann.has(k) for k in ("genes", "chemicals", "diseases")):
            return
    elif not ann.has("genes"):
        return
    keywords = _keywords(rec)
    if not ann.available or not isinstance(keywords, list):
        return  # (plan() is None, or its keywords are no list)
    words = _word_sets(ann)
    if (
        words is not None
        and {*map(type, keywords)} <= _STR
        and words[0].union(words[1]).issuperset(keywords)
    ):
        return  # the usual case, cheaply: every keyword is backed
    p = plan(rec)
    if p is None or not isinstance(p.keywords, list):
        return
    backed = p.backed
    seen = set()
    origin = fix = None
    shown_fixes = 0
    for i, k in enumerate(p.keywords):
        if isinstance(k, str) and (k in backed or k in PLACEHOLDERS):
            continue  # (so are its repeats: it needs no place in seen)
        key = (type(k), k) if _hashable(k) else (type(k), repr(k))
        if key in seen:
            continue
        seen.add(key)
        if origin is None:  # the first finding: most records have none
            origin = _origin(ann)
            fix = _regenerate(
                rec, p.generated, "Regenerate the keywords from the annotations", "unsafe"
            )
        shown = quote(k) if isinstance(k, str) else f"{_show(k)} (not a string)"
        shown_fixes += 1
        yield Problem(
            f"{KEYWORDS}/{i}",
            f"keyword {shown} is backed by no gene symbol, chemical word or disease "
            f"word of {origin}",
            fix=fix if shown_fixes <= MAX_MISSING_FINDINGS else None,
        )


@rule("KW103", "keyword-duplicate", "warning", fix="safe")
def keyword_duplicate(rec, ctx):
    """The same keyword twice in `schema-jsonld.keywords`.

    What: an item of `schema-jsonld.keywords` equals an earlier item exactly
    (case included: `Psoriasis` and `psoriasis` are two keywords). Every
    repeat is reported, naming the line of the first. Upstream writes the
    distinct gene symbols but appends chemical and disease words without
    checking, so a chemical word that is also a gene symbol (`PDC`) repeats.
    Why: a repeated keyword is noise in the search index and the page's
    metadata.
    Fix: remove the repeated item.
    Fails:
        schema-jsonld:
          keywords: [PGF, NOTCH1, PGF]
    Passes:
        schema-jsonld:
          keywords: [PGF, NOTCH1]
    """
    jsonld = rec.data.get("schema-jsonld") if isinstance(rec.data, dict) else None
    keywords = jsonld.get("keywords") if isinstance(jsonld, dict) else None
    if not isinstance(keywords, list):
        return
    try:
        if len(set(keywords)) == len(keywords):
            return  # all items distinct, so are the strings among them
    except TypeError:  # a list or mapping among the items
        pass
    first: dict = {}
    for i, k in enumerate(keywords):
        if not isinstance(k, str):
            continue
        if k not in first:
            first[k] = i
            continue
        span = rec.span(f"{KEYWORDS}/{first[k]}")
        line = f"line {span.line}" if span else f"item {first[k]}"
        edit = edits.delete_item(rec, f"{KEYWORDS}/{i}")
        fix = Fix("safe", f"Remove the repeated keyword {quote(k)}", (edit,)) if edit else None
        yield Problem(
            f"{KEYWORDS}/{i}",
            f"keyword {quote(k)} repeats the keyword on {line}; expected each keyword once",
            fix=fix,
        )
