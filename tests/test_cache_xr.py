"""The collection pass's memo (linter/pipeline/cache_xr.py): a run whose
index is the last run's takes the findings of the index-only collection
rules from the memo; any other index, a planted, damaged or foreign memo is
a miss, and the output is always a cold run's."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from test_collection import G1, G2, JCI1, JCI2, SOLO, edit, make_collection, record

from linter.base.formats import FORMATS
from linter.cli.main import main
from linter.pipeline.cache import CACHE_DIR
from linter.pipeline.cache_xr import SUFFIX
from linter.rules.registry import get_rule


@pytest.fixture
def coll(cli_env, monkeypatch):
    """Five records with XR findings of every index-only rule and XR104:
    a copied record (XR101), a year that differs (XR102), a table without
    a record (XR104)."""
    root = make_collection(cli_env / "site", [G1, G2, JCI1, JCI2, SOLO])
    shutil.copy(record(root, G1), root / "_figures" / "draft.md")
    edit(record(root, G2), "year: '2023'", "year: '2022'")
    (root / "_data" / "PMC1__gone-genes.tsv").write_text("word\tsymbol\n", encoding="utf-8")
    monkeypatch.chdir(root)
    return root


class Runs:
    """Counts how often each collection rule runs (the memo answers the others)."""

    def __init__(self, monkeypatch):
        self.codes: list[str] = []
        for code in ("XR101", "XR102", "XR103", "XR104"):
            r = get_rule(code)

            def counted(items, ctx, func=r.func, code=code):
                self.codes.append(code)
                return func(items, ctx)

            monkeypatch.setattr(r, "func", counted)


def run(capsys, *args, fmt="json", cache=True):
    argv = ["check", ".", "--select", "XR", "--output-format", fmt, *args]
    if not cache:
        argv.append("--no-cache")
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def memos(root: Path) -> list[Path]:
    return sorted((root / CACHE_DIR).glob(f"*{SUFFIX}"))


def test_a_warm_run_takes_the_index_only_rules_from_the_memo(coll, capsys, monkeypatch):
    cold = run(capsys, cache=False)
    assert cold[0] == 1 and all(c in cold[1] for c in ("XR101", "XR102", "XR104"))
    assert run(capsys) == cold  # writes the cache and the memo
    assert len(memos(coll)) == 1
    runs = Runs(monkeypatch)
    for fmt in FORMATS:
        want = run(capsys, fmt=fmt, cache=False)
        runs.codes.clear()
        assert run(capsys, fmt=fmt) == want, fmt
        # XR104 lists the data folder: it always runs; the others do not
        assert runs.codes == ["XR104"], fmt


def test_an_edit_that_changes_no_indexed_value_keeps_the_memo(coll, capsys, monkeypatch):
    run(capsys)
    path = record(coll, JCI1)
    path.write_text(path.read_text(encoding="utf-8") + "\nmore text\n", encoding="utf-8")
    runs = Runs(monkeypatch)
    assert run(capsys) == run(capsys, cache=False)
    assert runs.codes[0] == "XR104"  # the cached run: the memo answered the others


def test_an_indexed_value_changed_runs_the_rules_again(coll, capsys, monkeypatch):
    run(capsys)
    edit(record(coll, G2), "year: '2022'", "year: '2023'")  # the conflict is gone
    runs = Runs(monkeypatch)
    got = run(capsys)
    assert "XR102" in runs.codes
    assert got == run(capsys, cache=False)
    assert "XR102" not in got[1] and "XR101" in got[1]


@pytest.mark.parametrize(
    "damage",
    ["truncate", "flip", "foreign", "empty", "directory", "link"],
)
def test_a_damaged_planted_or_foreign_memo_is_a_miss(coll, capsys, monkeypatch, tmp_path, damage):
    cold = run(capsys, cache=False)
    run(capsys)
    (memo,) = memos(coll)
    data = memo.read_bytes()
    if damage == "truncate":
        memo.write_bytes(data[: len(data) // 2])
    elif damage == "flip":  # one byte of the findings changed: the seal no longer fits
        memo.write_bytes(data[:-5] + bytes([data[-5] ^ 1]) + data[-4:])
    elif damage == "foreign":  # written under another secret key
        ours = os.environ["PFOCR_LINT_CACHE_SECRET_DIR"]
        monkeypatch.setenv("PFOCR_LINT_CACHE_SECRET_DIR", str(tmp_path / "other-secret"))
        shutil.rmtree(coll / CACHE_DIR)
        run(capsys)
        (theirs,) = memos(coll)
        planted = theirs.read_bytes()
        monkeypatch.setenv("PFOCR_LINT_CACHE_SECRET_DIR", ours)
        shutil.rmtree(coll / CACHE_DIR)
        run(capsys)
        assert memo.read_bytes() != planted  # (the same findings, sealed with another key)
        memo.write_bytes(planted)
    elif damage == "empty":
        memo.write_bytes(b"")
    elif damage == "directory":
        memo.unlink()
        memo.mkdir()
    else:  # a link to a memo elsewhere: never read through
        elsewhere = tmp_path / "elsewhere.xr"
        elsewhere.write_bytes(data)
        memo.unlink()
        os.symlink(elsewhere, memo)
    runs = Runs(monkeypatch)
    assert run(capsys) == cold
    assert "XR101" in runs.codes and "XR102" in runs.codes  # worked out again
    if damage == "link":
        assert elsewhere.read_bytes() == data  # the link's target is never written


def test_a_memo_of_findings_that_do_not_fit_the_index_is_not_trusted(coll, capsys):
    """A memo is bound to its index: the one of a collection without the
    copied record is not taken for this one."""
    run(capsys)
    (memo,) = memos(coll)
    before = memo.read_bytes()
    (coll / "_figures" / "draft.md").unlink()
    got = run(capsys)
    assert "XR101" not in got[1]
    assert got == run(capsys, cache=False)
    assert memo.read_bytes() != before  # the new index's memo


def test_no_memo_without_an_index_only_rule(coll, capsys):
    """A run whose collection rules all read more than the index (XR104
    alone) keeps no memo."""
    assert main(["check", ".", "--select", "XR104", "--output-format", "json"]) == 1
    capsys.readouterr()
    assert memos(coll) == []
    run(capsys)
    assert len(memos(coll)) == 1
