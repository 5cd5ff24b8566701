"""Configuration that cannot silently change (found from the linted paths,
malformed files are errors), and what a record's configuration and
suppressions cover: its sidecar tables' findings too."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import SEEDS
from conftest import run_cli as run

pytestmark = pytest.mark.usefixtures("cli_env")

BAD = SEEDS / "PMC7773330__hs9-5-e516-g001.md"  # ID105 + five NA101
C_SEED = SEEDS / "PMC11745090__cbm-21-1156-g007.md"  # reads its sidecar tables
TABLE = f"{C_SEED.stem}-chemicals.tsv"
DUPLICATE = "word\tmesh\tsource\ncisplatin\tmesh:D002945\tMESH\ncisplatin\tmesh:D002945\tMESH\n"


def found(capsys, *args):
    code, out, err = run(capsys, "--output-format", "json", *args)
    return code, (json.loads(out) if out.strip() else None), err


def collection(root: Path, table: str = DUPLICATE) -> Path:
    (root / "_figures").mkdir(parents=True)
    (root / "_data").mkdir()
    shutil.copy(C_SEED, root / "_figures" / C_SEED.name)
    (root / "_data" / TABLE).write_text(table, encoding="utf-8")
    return root


# -- where the configuration comes from -------------------------------------------------
def test_the_configuration_is_found_from_the_linted_paths(capsys, tmp_path, monkeypatch):
    project = tmp_path / "project"
    (project / "records").mkdir(parents=True)
    shutil.copy(BAD, project / "records" / BAD.name)
    (project / "pfocr-lint.toml").write_text('ignore = ["NA101"]\n', encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # a configuration in the working directory must not win over the project's
    (elsewhere / "pfocr-lint.toml").write_text('select = ["NA101"]\n', encoding="utf-8")
    results = []
    for cwd, arg in [
        (project, "records"),
        (project / "records", BAD.name),
        (elsewhere, str(project / "records" / BAD.name)),
        (tmp_path, "project"),
    ]:
        monkeypatch.chdir(cwd)
        code, items, _ = found(capsys, arg)
        results.append(sorted(f["code"] for f in items))
    assert "ID105" in results[0] and "NA101" not in results[0]
    assert all(r == results[0] for r in results), results


def test_a_malformed_pyproject_that_would_be_used_is_an_error(capsys, tmp_path):
    shutil.copy(BAD, tmp_path / BAD.name)
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.pfocr-lint]\nselect = [ID105]\n', encoding="utf-8"
    )
    code, out, err = run(capsys, BAD.name)
    assert code == 2 and out == ""
    assert "pyproject.toml:5:11: invalid TOML" in err
    assert "Traceback" not in err


def test_a_malformed_pyproject_of_another_tool_is_not_ours(capsys, tmp_path):
    shutil.copy(BAD, tmp_path / BAD.name)
    (tmp_path / "pyproject.toml").write_text("[tool.black\nline-length = 1\n", encoding="utf-8")
    code, items, err = found(capsys, BAD.name)
    assert code == 1 and len(items) == 7, err  # ID105, five NA101 and MD112


def test_a_malformed_pfocr_lint_toml_names_its_line(capsys, tmp_path):
    shutil.copy(BAD, tmp_path / BAD.name)
    (tmp_path / "pfocr-lint.toml").write_text('select = ["ID105"]\nignore = [\n', encoding="utf-8")
    code, out, err = run(capsys, BAD.name)
    assert code == 2 and out == ""
    assert "pfocr-lint.toml:3:1: invalid TOML" in err


def test_finding_keys_do_not_depend_on_the_working_directory(tmp_path, monkeypatch):
    from linter.engine import fingerprint
    from linter.pipeline.check import Check, CheckOptions

    root = collection(tmp_path / "coll")
    (root / "pfocr-lint.toml").write_text("select = ['ALL']\n", encoding="utf-8")

    def keys(*paths):
        run_ = Check(CheckOptions(paths=list(paths), cache=False))
        return [fingerprint.key(f, run_.settings.root) for r in run_.results() for f in r.findings]

    monkeypatch.chdir(root)
    here = keys("_figures")
    monkeypatch.chdir(tmp_path)
    there = keys("coll/_figures")
    monkeypatch.chdir(root / "_figures")
    inside = keys(".")
    assert here == there == inside and here
    assert any(k.file == f"_data/{TABLE}" for k in here)
    assert all(k.file.startswith(("_figures/", "_data/")) for k in here)


# -- a record's suppressions and per-file ignores cover its sidecar tables -----------------
def test_a_record_level_suppression_covers_its_sidecar_findings(capsys, tmp_path, monkeypatch):
    root = collection(tmp_path / "coll")
    monkeypatch.chdir(root)
    code, items, _ = found(capsys, ".", "--select", "CH104,FM199")
    assert [(f["code"], f["filename"]) for f in items] == [("CH104", f"_data/{TABLE}")]
    rec = root / "_figures" / C_SEED.name
    rec.write_text(
        rec.read_text(encoding="utf-8").replace("---\n", "---\n# pfocr-lint: disable=CH104\n", 1),
        encoding="utf-8",
    )
    code, items, _ = found(capsys, ".", "--select", "CH104,FM199")
    assert (code, items) == (0, [])  # covered, and no false FM199
    # an end-of-line comment covers its own line only, not the table's rows
    text = rec.read_text(encoding="utf-8").replace("# pfocr-lint: disable=CH104\n", "", 1)
    rec.write_text(text.replace("year: '2024'", "year: '2024'  # pfocr-lint: disable=CH104"))
    assert "disable=CH104" in rec.read_text(encoding="utf-8")
    code, items, _ = found(capsys, ".", "--select", "CH104,FM199")
    assert sorted(f["code"] for f in items) == ["CH104", "FM199"]


@pytest.mark.parametrize(
    "pattern", [f"_figures/{C_SEED.name}", f"_data/{TABLE}", "_data/*.tsv", "*-chemicals.tsv"]
)
def test_per_file_ignores_match_the_record_or_the_table(capsys, tmp_path, monkeypatch, pattern):
    root = collection(tmp_path / "coll")
    monkeypatch.chdir(root)
    (root / "pfocr-lint.toml").write_text(
        f'[per-file-ignores]\n"{pattern}" = ["CH104"]\n', encoding="utf-8"
    )
    code, items, err = found(capsys, ".", "--select", "CH104,FM199")
    assert (code, items) == (0, []), err


def test_per_file_ignores_of_another_table_do_not_apply(capsys, tmp_path, monkeypatch):
    root = collection(tmp_path / "coll")
    monkeypatch.chdir(root)
    (root / "pfocr-lint.toml").write_text(
        '[per-file-ignores]\n"_data/*-genes.tsv" = ["CH104"]\n', encoding="utf-8"
    )
    code, items, _ = found(capsys, ".", "--select", "CH104")
    assert [f["code"] for f in items] == ["CH104"]


# -- a sidecar table given as a path ---------------------------------------------------------
def test_a_table_path_lints_its_record(capsys, tmp_path, monkeypatch):
    root = collection(tmp_path / "coll")
    monkeypatch.chdir(root)
    code, items, _ = found(capsys, f"_data/{TABLE}", "--select", "CH104,NA102")
    assert sorted((f["code"], f["filename"]) for f in items) == [
        ("CH104", f"_data/{TABLE}"),
        ("NA102", f"_figures/{C_SEED.name}"),
    ]
    # given with its record, the record is linted once
    code, again, _ = found(
        capsys, f"_data/{TABLE}", f"_figures/{C_SEED.name}", "--select", "CH104,NA102"
    )
    assert again == items
    # a table without a record: nothing to lint here (XR104 reports it over the collection)
    (root / "_data" / "PMC1__gone-genes.tsv").write_text("word\n", encoding="utf-8")
    code, items, _ = found(capsys, "_data/PMC1__gone-genes.tsv")
    assert (code, items) == (0, [])
