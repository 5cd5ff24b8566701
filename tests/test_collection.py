"""XR rules (scope="collection") over small collections built in tmp_path.

The single-record fixture harness cannot express several records, so these
tests copy corpus records into a temporary `_figures/` + `_data/` layout,
alter them and run the real CLI over the whole collection.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import CORPUS

from linter.cli.main import main

ROOT = Path(__file__).resolve().parents[1]

# two figures of one paper (2023 generation, with sidecar tables)
G1 = "PMC10030845__fimmu-14-1150879-g001"
G2 = "PMC10030845__fimmu-14-1150879-g002"
# two figures of one 2020 paper
JCI1 = "PMC1052008__JCI0524178.f1"
JCI2 = "PMC1052008__JCI0524178.f2"
# a record with a genes table
SOLO = "PMC10029719__cs3c00075_0011"


def make_collection(root: Path, figids, tables=True) -> Path:
    """A collection at ``root`` with the given corpus records and their tables."""
    (root / "_figures").mkdir(parents=True)
    (root / "_data").mkdir()
    for figid in figids:
        shutil.copy(CORPUS / "_figures" / f"{figid}.md", root / "_figures" / f"{figid}.md")
        if tables:
            for table in (CORPUS / "_data").glob(f"{figid}-*.tsv"):
                shutil.copy(table, root / "_data" / table.name)
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def record(root: Path, figid: str) -> Path:
    return root / "_figures" / f"{figid}.md"


def xr(capsys, *args, select="XR"):
    """Run ``pfocr-lint check ARGS --select XR``; returns (exit code, findings)."""
    code = main(
        ["check", *map(str, args), "--select", select, "--output-format", "json", "--no-cache"]
    )
    out = capsys.readouterr().out
    return code, json.loads(out)


def brief(findings):
    return [(f["code"], f["filename"], f["location"]["row"], f["path"]) for f in findings]


@pytest.fixture
def coll(tmp_path, monkeypatch):
    """A collection of five records in tmp_path, the working directory."""
    root = make_collection(tmp_path / "site", [G1, G2, JCI1, JCI2, SOLO])
    monkeypatch.chdir(root)
    return root


# -- XR101 duplicate-figid ------------------------------------------------------------
def test_xr101_copied_record_is_reported_on_both_files(coll, capsys):
    shutil.copy(record(coll, G1), coll / "_figures" / "draft.md")
    code, found = xr(capsys, ".")
    assert code == 1
    assert brief(found) == [
        ("XR101", f"_figures/{G1}.md", 2, "/figid"),
        ("XR101", "_figures/draft.md", 2, "/figid"),
    ]
    assert found[0]["severity"] == "error"
    assert found[0]["location"] == {"row": 2, "column": 8}
    assert f"duplicate figid {G1!r}" in found[0]["message"]
    assert "_figures/draft.md" in found[0]["message"]
    assert f"_figures/{G1}.md" in found[1]["message"]


def test_xr101_passes_distinct_figids_and_one_file_named_twice(coll, capsys):
    # the same file reached through two names counts once
    code, found = xr(capsys, ".", coll.resolve(), "_figures")
    assert (code, found) == (0, [])


# -- XR102 paper-conflict -------------------------------------------------------------
def test_xr102_reports_the_disagreeing_field_of_the_later_record(coll, capsys):
    edit(record(coll, G2), "year: '2023'", "year: '2022'")
    edit(record(coll, G2), "journal_nlm_ta: Front Immunol", "journal_nlm_ta: Front Immunol.")
    code, found = xr(capsys, ".")
    assert code == 1
    assert [(f["code"], f["filename"], f["path"]) for f in found] == [
        ("XR102", f"_figures/{G2}.md", "/year"),
        ("XR102", f"_figures/{G2}.md", "/journal_nlm_ta"),
    ]
    year = found[0]
    assert year["severity"] == "warning"
    assert "'2022'" in year["message"] and "'2023'" in year["message"]
    assert f"_figures/{G1}.md" in year["message"] and "PMC10030845" in year["message"]


def test_xr102_majority_wins_over_file_order(coll, capsys):
    # three records of one paper; the first (in file order) is the odd one out
    third = record(coll, G2).with_name("PMC10030845__fimmu-14-1150879-g003.md")
    shutil.copy(record(coll, G2), third)
    edit(third, G2, "PMC10030845__fimmu-14-1150879-g003")
    edit(record(coll, G1), "doi: 10.3389/fimmu.2023.1150879", "doi: 10.3389/fimmu.2023.1150878")
    code, found = xr(capsys, ".", select="XR102")
    assert brief(found) == [("XR102", f"_figures/{G1}.md", 28, "/doi")]
    assert f"_figures/{G2}.md" in found[0]["message"]


def test_xr102_passes_whitespace_placeholders_case_and_missing_pages(coll, capsys):
    g2 = record(coll, G2)
    edit(g2, "publisher_name: Frontiers Media S.A.", "publisher_name: ''")  # placeholder
    edit(g2, "doi: 10.3389/fimmu.2023.1150879", "doi: 10.3389/FIMMU.2023.1150879")  # case
    edit(g2, "journal_title: Frontiers in Immunology", "journal_title: Frontiers  in Immunology")
    edit(g2, "journal_nlm_ta: Front Immunol", "journal_nlm_ta: .na.character")
    # a 2020 paper: the later batch style writes the citation without pages
    edit(
        record(coll, JCI2),
        "reftext: Gerald W. Dorn, et al. J Clin Invest. 2005 Mar 1;115(3):527-537.",
        "reftext: Gerald W. Dorn, et al. J Clin Invest. 2005 Mar 1;115(3).",
    )
    code, found = xr(capsys, ".")
    assert (code, found) == (0, [])


def test_xr102_reftext_page_ranges_that_differ_conflict(coll, capsys):
    edit(record(coll, JCI2), ":527-537.", ":527-538.")
    code, found = xr(capsys, ".")
    assert brief(found) == [("XR102", f"_figures/{JCI2}.md", 25, "/reftext")]
    assert "527-538" in found[0]["message"] and "527-537" in found[0]["message"]


# -- XR103 duplicate-figid-alias ------------------------------------------------------
def test_xr103_two_figures_with_one_alias(coll, capsys):
    edit(record(coll, G2), "figid_alias: PMC10030845__F2", "figid_alias: PMC10030845__F1")
    code, found = xr(capsys, ".")
    assert code == 1
    assert [(f["code"], f["filename"], f["path"]) for f in found] == [
        ("XR103", f"_figures/{G1}.md", "/figid_alias"),
        ("XR103", f"_figures/{G2}.md", "/figid_alias"),
    ]
    assert "'PMC10030845__F1'" in found[0]["message"]
    assert f"_figures/{G2}.md (figid {G2!r})" in found[0]["message"]
    assert found[0]["severity"] == "error"


def test_xr103_passes_distinct_aliases_and_leaves_copies_to_xr101(coll, capsys):
    code, found = xr(capsys, ".")
    assert (code, found) == (0, [])
    shutil.copy(record(coll, G1), coll / "_figures" / "draft.md")
    code, found = xr(capsys, ".")
    assert {f["code"] for f in found} == {"XR101"}  # one copied record, one finding each
    code, found = xr(capsys, ".", select="XR103")  # without XR101, XR103 reports it
    assert brief(found) == [
        ("XR103", f"_figures/{G1}.md", 35, "/figid_alias"),
        ("XR103", "_figures/draft.md", 35, "/figid_alias"),
    ]


# -- XR104 orphan-sidecar -------------------------------------------------------------
def test_xr104_table_without_record(coll, capsys):
    record(coll, SOLO).rename(coll / "_figures" / "PMC10029719__renamed.md")
    code, found = xr(capsys, ".")
    assert code == 1
    assert brief(found) == [("XR104", f"_data/{SOLO}-genes.tsv", 1, "")]
    f = found[0]
    assert f["severity"] == "warning" and f["location"] == {"row": 1, "column": 1}
    assert f"no _figures/{SOLO}.md" in f["message"] and f"{SOLO}-genes.tsv" in f["message"]


def test_xr104_when_the_figures_folder_or_a_parent_is_linted(coll, tmp_path, capsys):
    (coll / "_data" / "PMC1__gone-chemicals.tsv").write_text("word\tmesh\n", encoding="utf-8")
    want = ("XR104", "_data/PMC1__gone-chemicals.tsv", 1, "")
    assert brief(xr(capsys, "_figures")[1]) == [want]
    assert brief(xr(capsys, "_figures/")[1]) == [want]
    _, found = xr(capsys, tmp_path)  # a folder above the collection root
    assert [f["filename"] for f in found] == [str(tmp_path / "site/_data/PMC1__gone-chemicals.tsv")]


def test_xr104_passes_tables_that_have_records_and_other_files(coll, capsys):
    (coll / "_data" / "README.md").write_text("tables\n", encoding="utf-8")
    (coll / "_data" / "notes.tsv").write_text("a\tb\n", encoding="utf-8")
    code, found = xr(capsys, ".")
    assert (code, found) == (0, [])


def test_xr104_not_when_only_files_are_passed(coll, capsys):
    (coll / "_data" / "PMC1__gone-genes.tsv").write_text("word\n", encoding="utf-8")
    files = sorted(str(p.relative_to(coll)) for p in (coll / "_figures").glob("*.md"))
    assert xr(capsys, *files) == (0, [])
    assert xr(capsys, *files[:2]) == (0, [])  # as pre-commit splits them
    # the tables alone: no records, no opinion on orphans; a folder given that
    # holds no record is "No records found", exit 2 (issue 18, as ruff warns)
    assert xr(capsys, "_data") == (2, [])


def test_xr104_record_that_is_not_linted_still_owns_its_table(coll, capsys):
    # an unreadable record gives no index entry; its table is not an orphan
    record(coll, SOLO).write_text("---\nfigid: [unclosed\n---\n", encoding="utf-8")
    assert xr(capsys, ".") == (0, [])


def test_xr104_configured_data_dir_and_pattern(tmp_path, monkeypatch, capsys):
    root = tmp_path / "c"
    (root / "records").mkdir(parents=True)
    (root / "tables" / "genes").mkdir(parents=True)
    shutil.copy(record(CORPUS, SOLO), root / "records" / f"{SOLO}.md")
    shutil.copy(CORPUS / "_data" / f"{SOLO}-genes.tsv", root / "tables" / "genes" / f"{SOLO}.tsv")
    (root / "tables" / "genes" / "PMC1__gone.tsv").write_text("word\n", encoding="utf-8")
    config = root / "pfocr-lint.toml"
    config.write_text('data-dir = "../tables"\nsidecar-pattern = "{kind}/{figid}.tsv"\n')
    monkeypatch.chdir(root)
    code = main(
        ["check", "records", "--config", str(config), "--select", "XR"]
        + ["--output-format", "json", "--no-cache"]
    )
    found = json.loads(capsys.readouterr().out)
    assert brief(found) == [("XR104", "tables/genes/PMC1__gone.tsv", 1, "")]
    assert code == 1


# -- the corpus and the pre-commit hook ------------------------------------------
def test_corpus_as_a_collection_has_no_cross_record_findings(capsys):
    # 103 records, 6 papers with several figures that agree, 10 tables that all
    # belong to a record: nothing to report
    code, found = xr(capsys, CORPUS)
    assert (code, found) == (0, [])
    code, found = xr(capsys, CORPUS / "_figures")
    assert (code, found) == (0, [])


def test_collection_hook_runs_xr_over_the_repository(tmp_path):
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "pfocr-lint-collection")
    assert hook["pass_filenames"] is False
    root = make_collection(tmp_path / "repo", [G1, G2, SOLO])
    shutil.copy(record(root, G1), root / "_figures" / "draft.md")
    (root / "_data" / "PMC1__gone-diseases.tsv").write_text("word\tmesh\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}  # concise output
    # the hook's command as pre-commit runs it: this environment's scripts first on PATH
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    proc = subprocess.run(
        shlex.split(hook["entry"]), cwd=root, env=env, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 1, proc.stderr
    assert "_figures/draft.md:2:8: XR101" in proc.stdout
    assert "_data/PMC1__gone-diseases.tsv:1:1: XR104" in proc.stdout
    assert "XR102" not in proc.stdout and "XR103" not in proc.stdout
    # the hook keeps the results cache (git ignores it), and a warm run agrees
    assert (root / ".pfocr-lint-cache" / ".gitignore").is_file()
    again = subprocess.run(
        shlex.split(hook["entry"]), cwd=root, env=env, capture_output=True, text=True, timeout=120
    )
    assert (again.returncode, again.stdout) == (proc.returncode, proc.stdout)


# -- suppression of XR findings ------------------------------------------------------
def test_xr_finding_suppressed_in_one_record_and_unused_xr_suppression_reported(coll, capsys):
    draft = coll / "_figures" / "draft.md"
    shutil.copy(record(coll, G1), draft)
    edit(draft, f"figid: {G1}\n", f"figid: {G1}  # pfocr-lint: disable=XR101\n")
    # a whole-record suppression of XR103 that nothing triggers
    edit(record(coll, G2), "pmcid:", "# pfocr-lint: disable=XR103\npmcid:")
    code, found = xr(capsys, ".", select="XR,FM199")
    assert code == 1
    assert [(f["code"], f["filename"]) for f in found] == [
        ("XR101", f"_figures/{G1}.md"),
        ("FM199", f"_figures/{G2}.md"),
    ]
    assert "unused suppression of XR103" in found[1]["message"]


def test_results_cross_processes_intact():
    """Worker results are pickled as plain tuples; every field of every
    finding (spans, fixes, extras) and the index must come back equal."""
    import pickle

    from linter.engine import Linter
    from linter.pipeline.config import build_settings, load_config

    linter = Linter(build_settings(load_config(None, CORPUS)))
    results = [linter.lint_file(p, str(p)) for p in sorted((CORPUS / "_figures").glob("*.md"))]
    assert any(f.fix is not None for r in results for f in r.findings)
    assert any(r.index for r in results)
    for r in results:
        assert pickle.loads(pickle.dumps(r, -1)) == r


def test_a_dead_worker_is_an_error_naming_a_file(tmp_path, monkeypatch, capsys):
    """A worker process that dies mid-run (killed, out of memory) ends the run
    with exit 2 and a message naming a file it was linting, never a hang."""
    from linter import engine

    figures = tmp_path / "_figures"
    figures.mkdir()
    source = sorted((CORPUS / "_figures").glob("*.md"))[0].read_bytes()
    for i in range(200):
        (figures / f"PMC{i}__f{i}.md").write_bytes(source)
    real = engine.Linter.lint_file

    def dying(self, path, filename):
        if path.name == "PMC150__f150.md":
            os._exit(3)  # a worker dies: no exception, no result
        return real(self, path, filename)

    monkeypatch.setattr(engine.Linter, "lint_file", dying)
    monkeypatch.chdir(tmp_path)
    assert main(["check", "_figures", "--no-cache", "--jobs", "2", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "a worker process died while linting" in err
    assert "PMC1" in err


def test_xr104_names_of_one_folder_read_the_quick_way_as_the_slow_way(tmp_path, monkeypatch):
    """XR104 takes a record's stem straight from its name while the names
    come from one folder: with names of two collections, a folder below
    ``_figures`` and an orphan in each, the same findings as splitting every
    name, and no record looked for on disk but the orphans' (a stem missed
    would be looked for there)."""
    from types import SimpleNamespace

    from linter.base import paths
    from linter.rules import xr_orphans as xr_rules

    names = []
    for site in ("a", "b"):
        root = make_collection(tmp_path / site, [SOLO, G1, JCI1])
        (root / "_figures" / "sub").mkdir()
        shutil.copy(record(CORPUS, G2), root / "_figures" / "sub" / f"{G2}.md")
        (root / "_data" / f"PMC1__{site}-genes.tsv").write_text("word\n", encoding="utf-8")
        names += [f"{site}/_figures/{f}.md" for f in sorted((SOLO, G1, JCI1))]
        names.insert(len(names) - 1, f"{site}/_figures/sub/{G2}.md")
    monkeypatch.chdir(tmp_path)
    ctx = SimpleNamespace(options={}, settings=SimpleNamespace(paths=["a", "b"]))
    items = [(n, ()) for n in names]
    looked: list[str] = []
    isfile = os.path.isfile

    def spied(path):
        looked.append(os.fspath(path))
        return isfile(path)

    monkeypatch.setattr(os.path, "isfile", spied)
    quick = [(p.file, p.message) for p in xr_rules.orphan_sidecar(items, ctx)]
    assert sorted(looked) == [str(tmp_path / f"{s}/_figures/PMC1__{s}.md") for s in "ab"]
    monkeypatch.setattr(paths, "_POSIX", False)
    assert [(p.file, p.message) for p in xr_rules.orphan_sidecar(items, ctx)] == quick
    assert sorted(f for f, _ in quick) == [f"{s}/_data/PMC1__{s}-genes.tsv" for s in "ab"]
    # the names as the engine gives them (an index column of `()` values):
    # the same findings
    from linter.engine.collection import CollectionIndex

    index = CollectionIndex(["XR104"])
    for n in names:
        index.add(n, {"XR104": ()})
    monkeypatch.setattr(paths, "_POSIX", True)
    indexed = [(p.file, p.message) for p in xr_rules.orphan_sidecar(index.get("XR104"), ctx)]
    assert indexed == quick
