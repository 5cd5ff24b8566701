"""CLI behaviour matching ruff's (issue 18, item 7): the hidden unsafe fixes
in the summary (tests/test_reporters.py pins the lines), ``--diff`` printing
only the patch, ``No records found``, ``--show-settings`` and did-you-mean
for configuration keys. Shell completion: tests/test_completion.py; the
progress bar's labels: tests/test_progress.py; ``require_serial``:
tests/test_precommit.py."""

from __future__ import annotations

import json

import pytest
from conftest import SEEDS
from conftest import run_cli as run

BAD = SEEDS / "PMC7773330__hs9-5-e516-g001.md"  # ID105 + five NA101 (safe fixes)
NA = SEEDS / "PMC11745090__cbm-21-1156-g007.md"  # NA102: an unsafe fix
CLEAN = SEEDS / "PMC6457213__advances029850f7.md"

pytestmark = pytest.mark.usefixtures("cli_env")


def put(tmp_path, *sources):
    for src in sources:
        (tmp_path / src.name).write_bytes(src.read_bytes())


# -- --diff -----------------------------------------------------------------------------------
def test_diff_prints_only_the_patch(capsys, tmp_path):
    put(tmp_path, BAD, NA)
    rc, out, err = run(capsys, "--diff", "--select", "ID105,NA101,NA102", ".")
    assert rc == 1  # something to fix, as ruff --diff
    lines = out.splitlines()
    assert lines[0] == f"--- a/{BAD.name}" and lines[1] == f"+++ b/{BAD.name}"
    assert all(ln[:1] in ("-", "+", " ", "@") for ln in lines), out  # a patch, nothing else
    assert "Found" not in out and ": NA102" not in out and "[*]" not in out
    assert err.strip() == (
        "Would fix 6 findings (1 additional fix available with `--unsafe-fixes`)."
    )
    rc, out, err = run(capsys, "--diff", "--unsafe-fixes", "--select", "ID105,NA101,NA102", ".")
    assert f"--- a/{NA.name}" in out and err.strip() == "Would fix 7 findings."
    # a patch in any output format: the format's document is not printed
    rc, out, _ = run(capsys, "--diff", "--output-format", "json", "--select", "ID105", BAD.name)
    assert out.startswith(f"--- a/{BAD.name}") and "[" not in out.splitlines()[-1]
    # an --output-file still gets its report; the terminal the patch alone
    args = ("--diff", "--output-format", "json", "--output-file", "r.json", "--select", "ID105")
    rc, out, _ = run(capsys, *args, BAD.name)
    assert rc == 1 and out.startswith(f"--- a/{BAD.name}") and "ID105" not in out
    assert [f["code"] for f in json.loads((tmp_path / "r.json").read_text())] == ["ID105"]


def test_diff_with_nothing_to_fix(capsys, tmp_path):
    put(tmp_path, NA)
    rc, out, err = run(capsys, "--diff", "--select", "NA102", NA.name)
    assert (rc, out) == (0, "")  # findings, but no fix --diff would apply
    assert err.strip() == "No findings would be fixed (1 fix available with `--unsafe-fixes`)."
    put(tmp_path, CLEAN)
    rc, out, err = run(capsys, "--diff", CLEAN.name)
    assert (rc, out, err.strip()) == (0, "", "No findings would be fixed.")
    rc, out, err = run(capsys, "--diff", "-q", "--select", "NA102", NA.name)
    assert (rc, out, err) == (0, "", "")


# -- No records found ---------------------------------------------------------------------------
def test_an_explicit_folder_without_records_warns_and_exits_2(capsys, tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.txt").write_text("not a record\n", encoding="utf-8")
    rc, out, err = run(capsys, "empty")
    assert rc == 2
    assert err.strip() == "pfocr-lint: warning: No records found under the given path(s)."
    assert out == ""
    rc, out, err = run(capsys, "--output-format", "json", "empty")
    assert rc == 2 and json.loads(out) == []  # JSON stays a document


def test_no_records_without_paths_only_warns(capsys, tmp_path):
    rc, out, err = run(capsys)  # the default: seeds/ else . (here: an empty folder)
    assert rc == 0
    assert "No records found" in err


def test_files_that_are_not_records_only_warn(capsys, tmp_path):
    """pre-commit passes the files of a commit; a table without its record
    stands for nothing (XR104 reports it over the collection): no warning, exit 0."""
    data = tmp_path / "_data"
    data.mkdir()
    (data / "PMC1__f1-genes.tsv").write_text("hgnc_symbol\tentrez\n", encoding="utf-8")
    rc, out, err = run(capsys, "_data/PMC1__f1-genes.tsv")
    assert rc == 0 and "error" not in err


# -- --show-settings ----------------------------------------------------------------------------
def test_show_settings(capsys, tmp_path):
    put(tmp_path, BAD, CLEAN)
    (tmp_path / "pfocr-lint.toml").write_text(
        'fail-on = "error"\nignore = ["GN"]\n', encoding="utf-8"
    )
    rc, out, err = run(capsys, "--show-settings", "--select", "NA,ID")
    assert rc == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == f"Settings path: {tmp_path / 'pfocr-lint.toml'}"
    settings = dict(ln.split(" = ", 1) for ln in lines if " = " in ln)
    select = json.loads(settings["select"])
    assert "NA101" in select and "ID105" in select and not [c for c in select if c[:2] == "GN"]
    assert json.loads(settings["fail-on"]) == "error"
    assert json.loads(settings["ignore"]) == ["GN"]  # as configured
    assert "# 2 records to lint" in lines
    assert {BAD.name, CLEAN.name} <= set(lines)
    assert ": ID105" not in out  # nothing linted


# -- did you mean ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "toml, hint",
    [
        ('fail_on = "error"\n', "unknown configuration key 'fail_on' (did you mean 'fail-on'?)"),
        ('selct = ["NA"]\n', "unknown configuration key 'selct' (did you mean 'select'?)"),
        ('select = ["NA1O1"]\n', "unknown rule code 'NA1O1' (did you mean 'NA101'?)"),
        ("[reference]\nhgcn = 'x.tsv'\n", "(did you mean 'hgnc'?)"),
        ("zzzzzz = 1\n", "unknown configuration key 'zzzzzz'\n"),
    ],
)
def test_unknown_configuration_keys_suggest_the_closest(capsys, tmp_path, toml, hint):
    put(tmp_path, CLEAN)
    (tmp_path / "pfocr-lint.toml").write_text(toml, encoding="utf-8")
    rc, out, err = run(capsys, CLEAN.name)
    assert rc == 2
    assert "configuration error" in err and hint in err
    if hint.endswith("\n"):
        assert "did you mean" not in err
