"""Annotations: front-matter lists or sidecar tables, and the KW/GN/FM107 rules
on real corpus records."""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import CORPUS

from linter.engine import Linter, Settings, fix_text
from linter.reading.annotations import Annotations, load
from linter.reading.reader import parse_bytes, read_file
from linter.rules import kw

FIGURES = CORPUS / "_figures"
DATA = CORPUS / "_data"
MINE = ["KW101", "KW102", "KW103", "GN101", "GN102", "GN107", "GN108", "FM107"]
B_RECORD = "PMC10003241__ijms-24-04893-g003"
GENES_HEADER = (
    "organism_id\torganism_name\torganism_group\tword\tmatch\tncbigene_symbol\t"
    "ncbigene_id\tsource\tcount_direct\tcount_synonym\tcount_match\n"
)


class Ctx:
    def __init__(self, **options):
        self.options = options


def record(path: Path, filename: str | None = None, generation: str | None = None):
    rec = read_file(path, filename or str(path)).record
    rec.fs_path = path
    rec.generation = generation
    rec.annotations = load(rec, Ctx())
    return rec


def linter(*codes: str, **options) -> Linter:
    return Linter(Settings(select=frozenset(codes or MINE), options=options))


def copy_record(tmp_path: Path, figid: str) -> Path:
    (tmp_path / "_figures").mkdir()
    (tmp_path / "_data").mkdir()
    target = tmp_path / "_figures" / f"{figid}.md"
    shutil.copy(FIGURES / f"{figid}.md", target)
    for table in DATA.glob(f"{figid}-*.tsv"):
        shutil.copy(table, tmp_path / "_data" / table.name)
    for p in tmp_path.rglob("*"):
        p.chmod(0o644 if p.is_file() else 0o755)
    return target


# -- discovery and precedence ----------------------------------------------------------
def test_sidecar_tables_found_for_a_record_in_figures():
    rec = record(FIGURES / f"{B_RECORD}.md", generation="B")
    ann = rec.annotations
    assert ann.source == "sidecar"
    assert ann.kinds == {"genes", "chemicals", "diseases"}
    assert (len(ann.genes), len(ann.chemicals), len(ann.diseases)) == (69, 12, 1)
    assert ann.table_problems == []
    first = ann.genes[0]
    assert first.fields["ncbigene_symbol"] == "LRP6" and first.fields["ncbigene_id"] == "4040"
    assert first.line == 2 and first.span.col == 1 and first.path is None
    # display path: the record's filename's folder, then ../_data, normalised
    want = os.path.normpath(str(FIGURES / ".." / "_data" / f"{B_RECORD}-genes.tsv"))
    assert first.file == want == ann.tables["genes"]
    # R's NA is a missing value
    acetyl = ann.chemicals[2]
    assert acetyl.fields["word"] == "Acetil-CoA" and acetyl.fields["match"] is None


def test_display_path_follows_the_filename_style():
    rec = record(FIGURES / f"{B_RECORD}.md", filename=f"corpus/_figures/{B_RECORD}.md")
    assert rec.annotations.tables["genes"] == f"corpus/_data/{B_RECORD}-genes.tsv"
    assert rec.annotations.genes[5].file == f"corpus/_data/{B_RECORD}-genes.tsv"


@pytest.mark.parametrize("figid", ["PMC100003__mb2410470011", "PMC100005__mb2410575011"])
def test_inline_lists_win_over_tables(figid):
    assert (DATA / f"{figid}-genes.tsv").exists()
    ann = record(FIGURES / f"{figid}.md").annotations
    assert ann.source == "front-matter"
    assert ann.tables == {} and ann.table_problems == []
    assert all(e.path and e.file is None for e in ann.genes)
    assert ann.genes[0].fields.get("hgnc_symbol")


def test_no_annotations_without_a_place_for_tables(tmp_path):
    text = (FIGURES / f"{B_RECORD}.md").read_bytes()
    rec = parse_bytes(text, "x.md").record  # in-memory: fs_path is None
    assert load(rec, Ctx()).source == "none"
    other = tmp_path / "records" / f"{B_RECORD}.md"  # not in a _figures folder
    other.parent.mkdir()
    other.write_bytes(text)
    (tmp_path / "_data").mkdir()
    shutil.copy(DATA / f"{B_RECORD}-genes.tsv", tmp_path / "_data")
    assert record(other).annotations.source == "none"
    # an explicit data-dir applies to any folder
    rec = read_file(other, str(other)).record
    rec.fs_path = other
    ann = load(rec, Ctx(**{"data-dir": "../_data"}))
    assert ann.source == "sidecar" and ann.kinds == {"genes"}


def test_a_figures_record_without_tables_has_no_annotations():
    ann = record(FIGURES / "PMC10957088__pbio.3002543.g006.md").annotations
    assert ann.source == "none" and not ann.available


# -- keyword order on real records -----------------------------------------------------
def test_generation_b_keywords_are_the_distinct_gene_symbols_in_table_order():
    rec = record(FIGURES / f"{B_RECORD}.md", generation="B")
    p = kw.plan(rec)
    assert p.appended is False
    assert len(p.generated) == 69
    assert p.generated == rec.data["schema-jsonld"]["keywords"]
    assert list(kw.keyword_missing(rec, None)) == []
    assert list(kw.keyword_unbacked(rec, None)) == []


def test_generation_c_expects_chemical_then_disease_words():
    rec = record(FIGURES / f"{B_RECORD}.md", generation="C")
    p = kw.plan(rec)
    assert p.appended is True
    chemicals = ["Fatty acid", "Asp", "Acetil-CoA", "Asn", "TCA", "Glucose", "Pyruvate"]
    chemicals += ["ATP", "GSH", "Arg"]
    assert p.generated == rec.data["schema-jsonld"]["keywords"] + chemicals + ["OBS proteins"]
    problems = list(kw.keyword_missing(rec, None))
    assert len(problems) == 11
    assert "chemical word 'Fatty acid'" in problems[0].message
    assert f"{B_RECORD}-chemicals.tsv line 2" in problems[0].message
    assert "disease word 'OBS proteins'" in problems[-1].message


def test_kw101_fix_restores_a_real_record(tmp_path):
    target = copy_record(tmp_path, B_RECORD)
    original = target.read_text(encoding="utf-8")
    broken = original.replace("  - LRP5\n", "").replace("  - SLC1A3\n", "  - SLC1A3\n  - Foo\n")
    broken = broken.replace("  - WNT1\n  - WNT2\n", "  - WNT2\n  - WNT1\n")
    target.write_text(broken, encoding="utf-8")
    lint = linter()
    codes = [(f.code, f.message) for f in lint.lint_file(target, str(target)).findings]
    assert [c for c, _ in codes] == ["KW101", "KW102"]
    assert "gene symbol 'LRP5'" in codes[0][1] and "'Foo'" in codes[1][1]
    # safe fix: regenerated, the unbacked keyword kept at the end
    res, fixed, n = fix_text(lint, broken, str(target), target, unsafe=False)
    assert fixed == original.replace("  - SLC1A3\n", "  - SLC1A3\n  - Foo\n")
    yaml.safe_load(fixed.split("---\n")[1])
    assert [f.code for f in res.findings] == ["KW102"]
    # unsafe: the unbacked keyword goes too
    res, fixed, n = fix_text(lint, broken, str(target), target, unsafe=True)
    assert fixed == original and res.findings == []


# -- malformed tables --------------------------------------------------------------------
def test_malformed_table_is_fm107_at_the_tsv_line(tmp_path):
    target = copy_record(tmp_path, B_RECORD)
    table = tmp_path / "_data" / f"{B_RECORD}-genes.tsv"
    lines = table.read_text(encoding="utf-8").split("\n")
    lines[9] = lines[9].replace("\t", " ", 1)  # line 10: one column fewer
    table.write_text("\n".join(lines), encoding="utf-8")
    res = linter().lint_file(target, f"_figures/{B_RECORD}.md")
    assert res.error is None
    fm107 = [f for f in res.findings if f.code == "FM107"]
    assert len(fm107) == 1
    f = fm107[0]
    assert f.filename == f"_data/{B_RECORD}-genes.tsv"
    assert (f.span.line, f.span.col) == (10, 1)
    assert f.span.end_col == len(lines[9]) + 1
    assert "row has 10 columns, expected 11" in f.message
    # the bad row is skipped: its gene symbol (MLST8) is now an unbacked keyword
    kw102 = [f for f in res.findings if f.code == "KW102"]
    assert len(kw102) == 1 and "'MLST8'" in kw102[0].message


def test_undecodable_table(tmp_path):
    target = copy_record(tmp_path, B_RECORD)
    table = tmp_path / "_data" / f"{B_RECORD}-chemicals.tsv"
    table.write_bytes(b"word\tmesh\tmatch\tname\tchebi\nGlu\xffcose\tmesh:D005947\tG\tg\tc\n")
    res = linter().lint_file(target, str(target))
    assert res.error is None
    [f] = [f for f in res.findings]
    assert f.code == "FM107" and f.filename.endswith(f"_data/{B_RECORD}-chemicals.tsv")
    assert (f.span.line, f.span.col) == (2, 4)
    assert "not UTF-8: byte 0xff" in f.message
    ann = record(target).annotations
    assert "chemicals" not in ann.kinds and "chemicals" in ann.tables


def test_unreadable_table_and_bad_pattern_never_raise(tmp_path):
    target = copy_record(tmp_path, B_RECORD)
    table = tmp_path / "_data" / f"{B_RECORD}-diseases.tsv"
    table.unlink()
    table.mkdir()  # a folder where the table should be
    res = linter().lint_file(target, str(target))
    assert res.error is None
    [f] = res.findings
    assert f.code == "FM107" and "cannot read the file" in f.message
    assert (f.span.line, f.span.col) == (1, 1)
    res = linter(**{"sidecar-pattern": "{figid}-{nope}.tsv"}).lint_file(target, str(target))
    assert res.error is None
    [f] = res.findings
    assert f.code == "FM107" and f.filename == str(target)
    assert "sidecar-pattern '{figid}-{nope}.tsv' is invalid" in f.message


# -- odd data never raises ---------------------------------------------------------------
ODD = [
    "genes: not a list\nchemicals: 3\ndiseases: {a: 1}\n",
    "genes: [1, null, [], {entrez: {a: 1}, hgnc_symbol: [x]}, {entrez: true, hgnc_symbol: 2}]\n",
    "schema-jsonld: []\ngenes: []\n",
    "schema-jsonld: {keywords: {a: 1}}\ngenes: [{hgnc_symbol: A, entrez: '1'}]\n",
    "schema-jsonld: {keywords: [1, null, [a], {b: 1}, A, A]}\n"
    "genes: [{hgnc_symbol: A, entrez: '1'}]\nchemicals: [{word: 2}]\ndiseases: [x]\n",
    "schema-jsonld:\n  keywords:\ngenes: [{hgnc_symbol: A, entrez: '1'}]\n",
    "schema-jsonld: {}\ngenes: [{hgnc_symbol: A, entrez: '1'}]\n",
    "organisms: [[x], 1]\norganisms_ner: 3\n",
]


@pytest.mark.parametrize("body", ODD)
def test_odd_data_gives_findings_not_errors(body, tmp_path):
    (tmp_path / "_figures").mkdir()
    (tmp_path / "_data").mkdir()
    target = tmp_path / "_figures" / "PMC1__f1.md"
    target.write_text("---\nfigid: PMC1__f1\n" + body + "---\n", encoding="utf-8")
    (tmp_path / "_data" / "PMC1__f1-genes.tsv").write_text(
        GENES_HEADER + "1\t\t\t\t\t\t\t\t\t\t\n9606\tHomo sapiens\tP\tw\tm\tA\t007\ts\t1\t1\t1\n",
        encoding="utf-8",
    )
    lint = linter()
    res = lint.lint_file(target, str(target))
    assert res.error is None, res.error
    res, fixed, _ = fix_text(lint, target.read_text(), str(target), target, unsafe=True)
    assert res.error is None, res.error
    yaml.safe_load(fixed.split("---\n")[1])


def test_sidecar_rows_with_empty_and_bad_values(tmp_path):
    (tmp_path / "_figures").mkdir()
    (tmp_path / "_data").mkdir()
    target = tmp_path / "_figures" / "PMC1__f1.md"
    target.write_text("---\nfigid: PMC1__f1\norganisms: Homo sapiens\n---\n", encoding="utf-8")
    (tmp_path / "_data" / "PMC1__f1-genes.tsv").write_text(
        GENES_HEADER + "9606\tHomo sapiens\tP\tw\tm\tA\t007\ts\t1\t1\t1\n", encoding="utf-8"
    )
    res = linter().lint_file(target, str(target))
    assert [(f.code, f.span.line) for f in res.findings] == [("GN102", 2)]
    assert "'007' has a leading zero; expected '7'" in res.findings[0].message


# -- fixes on real records ----------------------------------------------------------------
def _changed(before: str, after: str) -> list[str]:
    return [
        ln
        for ln in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if ln[:1] in "+-" and not ln.startswith(("+++", "---"))
    ]


def test_gn101_unsafe_fix_drops_only_the_repeated_entries():
    path = FIGURES / "PMC1236696__JCI0526322.f1.md"
    text = path.read_text(encoding="utf-8")
    lint = linter("GN101")
    assert len(lint.lint_file(path, str(path)).findings) == 5
    res, fixed, n = fix_text(lint, text, str(path), path, unsafe=True)
    assert res.findings == [] and n == 5
    changed = _changed(text, fixed)
    assert len(changed) == 25 and all(ln.startswith("-") for ln in changed)
    before = yaml.safe_load(text.split("---\n")[1])
    after = yaml.safe_load(fixed.split("---\n")[1])
    assert len(after["genes"]) == len(before["genes"]) - 5
    assert {k: v for k, v in after.items() if k != "genes"} == {
        k: v for k, v in before.items() if k != "genes"
    }


def test_kw103_fix_removes_the_repeat_only():
    path = FIGURES / "PMC12003952__research.0675.fig.001.md"
    text = path.read_text(encoding="utf-8")
    lint = linter("KW103")
    res, fixed, n = fix_text(lint, text, str(path), path, unsafe=False)
    assert n == 1 and res.findings == []
    assert _changed(text, fixed) == ["-  - PDC"]
    assert yaml.safe_load(fixed.split("---\n")[1])["schema-jsonld"]["keywords"].count("PDC") == 1


def test_real_corpus_findings_are_the_known_defects():
    lint = linter()
    found = []
    for path in sorted(FIGURES.glob("*.md")):
        res = lint.lint_file(path, str(path))
        assert res.error is None
        found += [(path.stem, f.code) for f in res.findings]
    assert sorted(set(found)) == [
        ("PMC1052008__JCI0524178.f2", "GN101"),
        ("PMC11842143__SCI2025-5551222.001", "KW103"),
        ("PMC12003952__research.0675.fig.001", "KW103"),
        ("PMC1236696__JCI0526322.f1", "GN101"),
    ]
    assert len(found) == 9


def test_annotations_default():
    assert Annotations("none").available is False


def test_table_folder_listing_is_cached_only_while_unchanged(tmp_path):
    """Missing tables are answered from the folder's listing; a change to the
    folder (its mtime) makes a new table visible, and a folder changed in the
    last seconds is never trusted to a cached listing."""
    from linter.reading import annotations

    folder = tmp_path / "_data"
    folder.mkdir()
    (folder / "a-genes.tsv").write_text("x\n")
    old = 1_600_000_000
    os.utime(folder, (old, old))
    assert annotations._may_exist(str(folder / "a-genes.tsv"))
    assert not annotations._may_exist(str(folder / "b-genes.tsv"))
    assert str(folder) in annotations._LISTINGS
    (folder / "b-genes.tsv").write_text("x\n")  # the folder's mtime is now recent
    assert annotations._may_exist(str(folder / "b-genes.tsv"))
    os.utime(folder, (old + 1, old + 1))  # settled again, with another mtime
    assert annotations._may_exist(str(folder / "b-genes.tsv"))
    assert not annotations._may_exist(str(folder / "c-genes.tsv"))
    assert not annotations._may_exist(str(tmp_path / "nowhere" / "a-genes.tsv"))
