"""FM107 – a record's sidecar table cannot be read as a table.

The tables are loaded once per record by :mod:`linter.reading.annotations` (which
never raises); this rule reports the problems found while loading them, at
the table's file and line.
"""

from __future__ import annotations

from linter.reading.annotations import Annotations
from linter.rules.registry import rule


@rule("FM107", "sidecar-table", "error", needs=("annotations",))
def sidecar_table(rec, ctx):
    r"""A sidecar table of the record is unreadable or malformed.

    What: a `_data/<figid>-genes.tsv`, `-chemicals.tsv` or `-diseases.tsv`
    table of a record without inline annotation lists cannot be used: the
    file cannot be read, is not UTF-8, is empty, its lines end in a carriage
    return alone (classic Mac OS line endings: the table is not read; save it
    with LF or CRLF line endings), its header repeats a column
    or lacks a column the rules need (genes: `organism_name`, `word`,
    `ncbigene_symbol`, `ncbigene_id`; chemicals and diseases: `word`,
    `mesh`), or a row has another number of tab-separated columns than the
    header. The finding names the table and its line; a table with a bad
    header is not used, a bad row is skipped. Tables beside a record whose
    front matter has `genes:` / `chemicals:` / `diseases:` lists are not
    read (the front matter wins).
    Why: the tables are R `write.table(quote=F)` output; a tab inside a word
    or a hand edit shifts every column after it, and the gene, keyword and
    species checks would read the wrong values.
    Options: `data-dir` (the tables' folder relative to the record's folder,
    default `../_data`), `sidecar-pattern` (default `{figid}-{kind}.tsv`).
    Fails:
        # _data/PMC1__f1-chemicals.tsv, tabs shown as \t: 4 of 5 columns
        word\tmesh\tmatch\tname\tchebi
        Glucose\tmesh:D005947\tGlucose\tD-glucopyranose
    Passes:
        word\tmesh\tmatch\tname\tchebi
        Glucose\tmesh:D005947\tGlucose\tD-glucopyranose\tchebi:4167
    """
    ann = rec.annotations
    if isinstance(ann, Annotations):
        yield from ann.table_problems
