"""The library entry point (``from linter import lint``), the pipeline it
shares with the command line, and the findings' stable keys
(``linter.engine.fingerprint``)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SEEDS
from conftest import run_cli as run

from linter.engine import fingerprint
from linter.pipeline.check import Check, CheckOptions, LintError, PathError

pytestmark = pytest.mark.usefixtures("cli_env")

BAD = SEEDS / "PMC7773330__hs9-5-e516-g001.md"  # ID105 + five NA101 + MD112
C_SEED = SEEDS / "PMC11745090__cbm-21-1156-g007.md"  # no inline lists: reads sidecar tables
CHEMICALS = "word\tmesh\tsource\nEGF\tmesh:D004815\tMESH\ncisplatin\tmesh:D002945\tMESH\n"


def collection(root: Path, chemicals: str = CHEMICALS) -> Path:
    (root / "_figures").mkdir(parents=True)
    (root / "_data").mkdir()
    shutil.copy(C_SEED, root / "_figures" / C_SEED.name)
    table = root / "_data" / f"{C_SEED.stem}-chemicals.tsv"
    table.write_text(chemicals, encoding="utf-8")
    return root


def test_lint_returns_what_the_json_output_prints(capsys):
    from linter import lint

    code, out, _ = run(capsys, "--output-format", "json", str(SEEDS))
    assert code == 1
    found = lint(SEEDS)
    assert found == json.loads(out)
    assert len(found) == 19  # the seeds pinned in test_pinned
    first = found[0]
    assert set(first) == {
        "code",
        "name",
        "severity",
        "message",
        "filename",
        "location",
        "end_location",
        "path",
        "fix",
        "url",
        "generation",
    }
    assert set(first["location"]) == {"row", "column"}


def test_lint_takes_selection_and_a_list_of_paths():
    from linter import lint

    found = lint([str(BAD)], select=["NA"], ignore=["NA102"])
    assert {f["code"] for f in found} == {"NA101"}
    assert len(found) == 5
    assert all(f["filename"] == str(BAD) for f in found)


def test_lint_text_matches_linting_the_file():
    from linter import lint

    text = BAD.read_text(encoding="utf-8")
    from_text = lint(text=text, filename=str(BAD))
    assert from_text == lint(BAD)
    named = lint(text=text, filename="mine.md", select=["ID105"])
    assert [(f["code"], f["filename"], f["location"]["row"]) for f in named] == [
        ("ID105", "mine.md", 14)
    ]
    # the fix's edits are located in the text itself
    assert named[0]["fix"]["edits"][0]["location"] == {"row": 14, "column": 10}


def test_lint_errors_are_exceptions(tmp_path):
    from linter import lint

    with pytest.raises(PathError):
        lint(tmp_path / "nothing-here")
    (tmp_path / "pfocr-lint.toml").write_text("select = ['XX999']\n", encoding="utf-8")
    from linter.pipeline.check import ConfigError

    with pytest.raises(ConfigError, match="XX999"):
        lint(text="---\n---\n", config=tmp_path / "pfocr-lint.toml")


def test_an_unlintable_file_raises_with_the_others_findings(tmp_path, monkeypatch):
    import linter.engine
    from linter import lint

    good = tmp_path / BAD.name
    shutil.copy(BAD, good)
    shutil.copy(BAD, tmp_path / "PMC1__x.md")
    real = linter.engine.filelint.read_file

    def read_file(path, filename, max_size):
        if filename.endswith("PMC1__x.md"):
            raise RuntimeError("boom")
        return real(path, filename, max_size)

    monkeypatch.setattr(linter.engine.filelint, "read_file", read_file)
    with pytest.raises(LintError, match="boom") as info:
        lint(tmp_path, jobs=1)
    assert "PMC1__x.md" in str(info.value) and len(info.value.errors) == 1
    assert {f["filename"] for f in info.value.findings} == {str(good)}
    assert len(info.value.findings) == 7


def test_import_linter_stays_light():
    code = (
        "import sys, linter; assert 'linter.pipeline.check' not in sys.modules, sorted(sys.modules); "
        "from linter import lint; assert 'linter.pipeline.check' in sys.modules; print(lint.__module__)"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "linter.pipeline.check"


def test_check_streams_files_then_the_collection(tmp_path):
    (tmp_path / "_figures").mkdir()
    shutil.copy(BAD, tmp_path / "_figures" / BAD.name)
    shutil.copy(BAD, tmp_path / "_figures" / "copy.md")  # same figid twice: XR101
    run_ = Check(
        CheckOptions(paths=[str(tmp_path / "_figures")], cache=False, select=["XR101", "ID105"])
    )
    results = list(run_.results())
    assert [bool(r.filename) for r in results] == [True, True, False]
    assert {f.code for f in results[-1].findings} == {"XR101"}
    assert run_.failed and not run_.errors


# -- stable keys --------------------------------------------------------------------
def keys(root: Path, *paths) -> list[fingerprint.Key]:
    run_ = Check(CheckOptions(paths=[str(p) for p in paths], cache=False, cwd=root))
    return [fingerprint.key(f, run_.settings.root) for r in run_.results() for f in r.findings]


def test_keys_survive_moved_lines_and_edits_elsewhere(tmp_path):
    rec = tmp_path / BAD.name
    text = BAD.read_text(encoding="utf-8")
    rec.write_text(text, encoding="utf-8")
    before = keys(tmp_path, rec)
    assert before and all(k.file == BAD.name for k in before)
    assert len(set(before)) == len(before)
    # lines moved (a key added at the top) and an edit elsewhere (the title)
    moved = text.replace("---\n", "---\n# a comment\n\n", 1)
    moved = moved.replace("figtitle: ", "figtitle: Edited ", 1)
    assert moved != text
    rec.write_text(moved, encoding="utf-8")
    assert sorted(keys(tmp_path, rec)) == sorted(before)
    # the offending value itself changes: a new key
    changed = moved.replace("figlink: pmc/articles/", "figlink: pmc/articlez/", 1)
    rec.write_text(changed, encoding="utf-8")
    after = keys(tmp_path, rec)
    id105 = [k for k in after if k.code == "ID105"]
    assert id105 and id105[0] not in before
    assert [k for k in after if k.code != "ID105"] == [k for k in before if k.code != "ID105"]


def test_keys_of_list_items_survive_an_item_inserted_above(tmp_path):
    rec = tmp_path / C_SEED.name
    text = C_SEED.read_text(encoding="utf-8")
    rec.write_text(text, encoding="utf-8")
    na = [k for k in keys(tmp_path, rec) if k.code == "NA102"]
    assert [k.path for k in na] == ["/organisms/*"]
    rec.write_text(text.replace("organisms:\n- NA\n", "organisms:\n- Homo sapiens\n- NA\n"))
    assert [k for k in keys(tmp_path, rec) if k.code == "NA102"] == na


def test_sidecar_rows_keep_their_key_when_rows_move(tmp_path):
    root = collection(tmp_path / "coll", CHEMICALS.replace("mesh:D002945", "D002945"))
    table = root / "_data" / f"{C_SEED.stem}-chemicals.tsv"
    before = [k for k in keys(root, root) if k.code == "CH101"]
    assert len(before) == 1
    k = before[0]
    assert k.file == f"_data/{C_SEED.stem}-chemicals.tsv"
    assert k.path.startswith("row:") and k.path != "row:"
    lines = table.read_text(encoding="utf-8").splitlines(keepends=True)
    table.write_text(lines[0] + "aspirin\tmesh:D001241\tMESH\n" + "".join(lines[1:]))
    assert [k for k in keys(root, root) if k.code == "CH101"] == before


def test_a_key_computed_from_the_file_equals_the_engines(tmp_path):
    root = collection(tmp_path / "coll", CHEMICALS + "cisplatin\tmesh:D002945\tMESH\n")
    run_ = Check(CheckOptions(paths=[str(root)], cache=False, cwd=root))
    findings = [f for r in run_.results() for f in r.findings]
    assert any(f.code == "CH104" for f in findings)
    for f in findings:
        engine = fingerprint.key(f, run_.settings.root)
        f.extra.pop(fingerprint.EXTRA)
        assert fingerprint.key(f, run_.settings.root) == engine
        assert len(fingerprint.fingerprint(f, run_.settings.root)) == 32


def test_lint_with_a_baseline(tmp_path, capsys):
    from linter import lint

    rec = tmp_path / BAD.name
    shutil.copy(BAD, rec)
    code, _, _ = run(capsys, str(rec), "--write-baseline", str(tmp_path / "b.json"))
    assert code == 0
    assert lint(rec, baseline=tmp_path / "b.json") == []
    rec.write_text(rec.read_text(encoding="utf-8").replace("ndex: ''", "ndex: x"))
    assert [f["code"] for f in lint(rec, baseline=tmp_path / "b.json")] == ["MD105"]
