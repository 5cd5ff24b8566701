"""The baseline workflow (``--write-baseline``, ``--baseline``, the
``baseline`` key, FM198), scripted end to end on a small collection."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import SEEDS
from conftest import run_cli as run

pytestmark = pytest.mark.usefixtures("cli_env")

BAD = SEEDS / "PMC7773330__hs9-5-e516-g001.md"  # ID105 + five NA101
C_SEED = SEEDS / "PMC11745090__cbm-21-1156-g007.md"  # NA102, GN106, KW101 (with the table)
TABLE = f"{C_SEED.stem}-chemicals.tsv"
CHEMICALS = "word\tmesh\tsource\nEGF\tD004815\tMESH\ncisplatin\tmesh:D002945\tMESH\n"


@pytest.fixture
def coll(tmp_path) -> Path:
    root = tmp_path / "coll"
    (root / "_figures").mkdir(parents=True)
    (root / "_data").mkdir()
    shutil.copy(BAD, root / "_figures" / BAD.name)
    shutil.copy(C_SEED, root / "_figures" / C_SEED.name)
    (root / "_data" / TABLE).write_text(CHEMICALS, encoding="utf-8")
    os.chdir(root)
    return root


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def findings(capsys, *args):
    code, out, err = run(capsys, "--output-format", "json", *args)
    return code, json.loads(out), err


def test_the_baseline_workflow_end_to_end(coll, capsys):
    bad = coll / "_figures" / BAD.name
    rec = coll / "_figures" / C_SEED.name
    code, before, _ = findings(capsys, ".")
    assert code == 1 and len(before) > 10
    assert any(f["filename"] == f"_data/{TABLE}" for f in before)  # a sidecar finding too

    # 1. record today's findings: exit 0, nothing printed on stdout
    code, out, err = run(capsys, ".", "--write-baseline", "baseline.json")
    assert code == 0 and out == ""
    assert f"{len(before)} finding(s)" in err
    written = (coll / "baseline.json").read_text(encoding="utf-8")
    data = json.loads(written)
    assert data["format"] == "pfocr-lint-baseline" and data["version"] == 1
    assert sorted(data["findings"]) == sorted(
        [f"_data/{TABLE}", f"_figures/{BAD.name}", f"_figures/{C_SEED.name}"]
    )
    assert sum(n for entries in data["findings"].values() for n in entries.values()) == len(before)
    # stable: writing again gives the same bytes
    run(capsys, ".", "--write-baseline", "baseline.json")
    assert (coll / "baseline.json").read_text(encoding="utf-8") == written

    # 2. with the baseline: nothing to report, exit 0
    code, found, err = findings(capsys, ".", "--baseline", "baseline.json")
    assert code == 0 and found == []
    assert f"{len(before)} findings in the baseline" in err

    # 3. edits elsewhere, moved lines, a moved table row: still nothing
    edit(bad, "figtitle: ", "figtitle: Edited ")
    edit(bad, "---\n", "---\n# curated 2026-12\n\n")  # every line moves down
    edit(rec, "---\n", "---\n\n\n")
    table = coll / "_data" / TABLE
    edit(table, "EGF\t", "aspirin\tmesh:D001241\tMESH\nEGF\t")  # a clean row above the bad one
    code, found, _ = findings(capsys, ".", "--baseline", "baseline.json")
    # only the new row's own finding: its word is not a keyword
    assert [(f["code"], f["filename"]) for f in found] == [("KW101", f"_figures/{C_SEED.name}")]
    assert "'aspirin'" in found[0]["message"]
    # (the entries of rules not selected are not judged unused)
    code, found, _ = findings(capsys, ".", "--baseline", "baseline.json", "--ignore", "KW101")
    assert (code, found) == (0, [])

    # 4. a new defect fails, and only it is reported
    edit(bad, "ndex: ''", "ndex: not-a-uuid")
    code, found, _ = findings(capsys, ".", "--baseline", "baseline.json", "--ignore", "KW101")
    assert code == 1
    assert [(f["code"], f["filename"]) for f in found] == [("MD105", f"_figures/{BAD.name}")]

    # 5. a second identical finding beyond the recorded count is new
    edit(table, "EGF\tD004815\tMESH\n", "EGF\tD004815\tMESH\nEGF\tD004815\tMESH\n")
    code, found, _ = findings(
        capsys, ".", "--baseline", "baseline.json", "--select", "CH101", "--fail-on", "error"
    )
    assert code == 1
    assert [(f["code"], f["filename"], f["location"]["row"]) for f in found] == [
        ("CH101", f"_data/{TABLE}", 4)
    ]


def test_fixed_findings_are_unused_entries_and_write_baseline_drops_them(coll, capsys):
    bad = coll / "_figures" / BAD.name
    run(capsys, ".", "--write-baseline", "baseline.json")
    edit(bad, "doi: .na.character\n", "")  # one NA101 fixed
    code, found, err = findings(capsys, ".", "--baseline", "baseline.json")
    assert code == 0  # info never fails by default
    assert [(f["code"], f["severity"], f["filename"]) for f in found] == [
        ("FM198", "info", "baseline.json")
    ]
    line = found[0]["location"]["row"]
    text = (coll / "baseline.json").read_text(encoding="utf-8").splitlines()
    assert "NA101 /doi " in text[line - 1]  # at the entry's own line
    assert "NA101 /doi" in found[0]["message"] and "--write-baseline" in found[0]["message"]
    code, _, _ = findings(capsys, ".", "--baseline", "baseline.json", "--fail-on", "info")
    assert code == 1
    run(capsys, ".", "--write-baseline", "baseline.json")
    assert "NA101 /doi " not in (coll / "baseline.json").read_text(encoding="utf-8")
    code, found, _ = findings(capsys, ".", "--baseline", "baseline.json", "--fail-on", "info")
    assert (code, found) == (0, [])


def test_linting_one_record_judges_only_its_entries(coll, capsys):
    bad = f"_figures/{BAD.name}"
    run(capsys, ".", "--write-baseline", "baseline.json")
    whole = (coll / "baseline.json").read_text(encoding="utf-8")
    code, found, _ = findings(capsys, bad, "--baseline", "baseline.json")
    assert (code, found) == (0, [])  # the other record's entries are not "unused"
    # writing from one record keeps the other files' entries
    edit(coll / bad, "doi: .na.character\n", "")
    run(capsys, bad, "--write-baseline", "baseline.json")
    after = json.loads((coll / "baseline.json").read_text(encoding="utf-8"))["findings"]
    before = json.loads(whole)["findings"]
    assert after[f"_figures/{C_SEED.name}"] == before[f"_figures/{C_SEED.name}"]
    assert after[f"_data/{TABLE}"] == before[f"_data/{TABLE}"]
    assert sum(after[bad].values()) == sum(before[bad].values()) - 1


def test_the_configured_baseline_and_working_directories(coll, capsys):
    run(capsys, ".", "--write-baseline", "ci/baseline.json")
    (coll / "pfocr-lint.toml").write_text('baseline = "ci/baseline.json"\n', encoding="utf-8")
    code, found, _ = findings(capsys, ".")
    assert (code, found) == (0, [])
    code, found, _ = findings(capsys, ".", "--no-baseline")
    assert code == 1 and found
    # the same files from another folder: keys are relative to the baseline's folder
    os.chdir(coll / "_figures")
    code, found, _ = findings(capsys, ".")
    assert (code, found) == (0, [])
    os.chdir(coll.parent)
    code, found, _ = findings(capsys, "coll")
    assert (code, found) == (0, [])


@pytest.mark.parametrize(
    "content, words",
    [
        ("{not json", ["baseline.json:1:2", "not valid JSON"]),
        ('{"findings": {}}', ["not a pfocr-lint baseline"]),
        (
            '{"format": "pfocr-lint-baseline", "version": 1, "findings": {"a.md": {"NA101 /doi -": 0}}}',
            ["count must be >= 1"],
        ),
        (None, ["baseline.json", "cannot read"]),
    ],
)
def test_a_bad_baseline_is_an_error(coll, capsys, content, words):
    if content is not None:
        (coll / "baseline.json").write_text(content, encoding="utf-8")
    code, out, err = run(capsys, ".", "--baseline", "baseline.json")
    assert code == 2 and out == ""
    for word in words:
        assert word in err
    assert "Traceback" not in err
