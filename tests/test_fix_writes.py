"""How `--fix` (and `--fix --interactive`) writes: only a checked pass, only
over the bytes it was made from, keeping line endings, owner, group and
mode, never cutting hard links without `--fix-hard-links`."""

from __future__ import annotations

import os
import shutil
import sys

import pytest
from conftest import SEEDS
from conftest import run_cli as run

import linter.pipeline.check
from linter.rules import edits

SEED = "PMC7773330__hs9-5-e516-g001.md"  # figlink and .na.character: safe fixes


@pytest.fixture
def record(tmp_path, cli_env):
    dest = tmp_path / SEED
    shutil.copyfile(SEEDS / SEED, dest)
    return dest


def test_a_pass_that_fails_its_check_is_withheld_and_said(record, capsys, monkeypatch):
    before = record.read_bytes()
    monkeypatch.setattr(edits, "verify_fix", lambda *a, **k: "the fix changes /doi")
    code, out, _ = run(capsys, "--fix", "--output-format", "concise", SEED)
    assert record.read_bytes() == before
    assert code == 1
    assert "(fix withheld: the fix changes /doi)" in out
    assert "[*]" not in out  # nothing offered as fixable any more
    assert "All checks passed" not in out


def test_a_file_changed_meanwhile_is_not_overwritten(record, capsys, monkeypatch):
    real = linter.pipeline.check.fix_text
    edited = record.read_bytes().replace(b"year: '2021'", b"year: '2020'")

    def meanwhile(*args, **kwargs):
        out = real(*args, **kwargs)
        record.write_bytes(edited)  # an editor saves while the fixes are made
        return out

    monkeypatch.setattr(linter.pipeline.check, "fix_text", meanwhile)
    code, out, _ = run(capsys, "--fix", "--output-format", "concise", SEED)
    assert record.read_bytes() == edited  # the editor's save survives
    assert "fix not written: the file changed while it was being fixed" in out
    assert code == 1


def test_crlf_record_stays_crlf(record, capsys):
    crlf = record.read_bytes().replace(b"\n", b"\r\n")
    record.write_bytes(crlf)
    run(capsys, "--fix", "--unsafe-fixes", "--output-format", "concise", SEED)
    fixed = record.read_bytes()
    assert fixed != crlf
    assert fixed.count(b"\n") == fixed.count(b"\r\n")


def test_hard_links_are_left_unless_asked(record, capsys, tmp_path):
    other = tmp_path / "elsewhere.md"
    os.link(record, other)
    before = record.read_bytes()
    code, out, _ = run(capsys, "--fix", "--output-format", "concise", SEED)
    assert record.read_bytes() == before == other.read_bytes()
    assert "hard links; --fix-hard-links writes through them" in out
    run(capsys, "--fix", "--fix-hard-links", "--output-format", "concise", SEED)
    assert record.read_bytes() != before
    assert os.path.samefile(record, other)  # still one file, both names see the fix
    assert other.read_bytes() == record.read_bytes()


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
def test_root_keeps_another_users_file_theirs(record, capsys):
    os.chown(record, 12345, 23456)
    os.chmod(record, 0o640)
    run(capsys, "--fix", "--output-format", "concise", SEED)
    st = record.stat()
    assert (st.st_uid, st.st_gid, st.st_mode & 0o7777) == (12345, 23456, 0o640)
    assert b"figlink: /pmc/" in record.read_bytes()  # it was fixed


def test_interactive_review_keeps_crlf_and_stops_on_its_pass_limit(record, monkeypatch):
    from linter.cli import review as review_module
    from linter.engine import fixing
    from linter.pipeline.check import Check, CheckOptions

    crlf = record.read_bytes().replace(b"\n", b"\r\n")
    record.write_bytes(crlf)
    run_ = Check(CheckOptions(paths=[str(record)], cache=False, select=["ID105"], fix=True))
    answers = __import__("io").StringIO("a\n" * 50)
    out = __import__("io").StringIO()
    review_module.review(run_, False, color=False, stdin=answers, out=out)
    fixed = record.read_bytes()
    assert fixed != crlf and fixed.count(b"\n") == fixed.count(b"\r\n")
    # a fix that never converges (it adds what it fixes): "all" stops at the pass limit
    record.write_bytes(crlf)
    real_apply = fixing.apply_fixes
    calls = []

    def never_done(text, fixes):
        calls.append(1)
        new, n = real_apply(text, fixes)
        return new + "\r\n# again", n

    monkeypatch.setattr(review_module, "apply_fixes", never_done)
    monkeypatch.setattr(edits, "verify_fix", lambda *a, **k: None)
    run_ = Check(CheckOptions(paths=[str(record)], cache=False, select=["ID105"], fix=True))
    review_module.review(
        run_, False, color=False, stdin=__import__("io").StringIO("a\n" * 50), out=out
    )
    assert len(calls) <= fixing.MAX_FIX_PASSES + 1


def test_fix_of_a_symlinked_record_outside_the_tree_is_not_written(tmp_path, capsys, cli_env):
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()
    target = outside / SEED
    shutil.copyfile(SEEDS / SEED, target)
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / SEED).symlink_to(target)
    os.chdir(tree)
    before = target.read_bytes()
    run(capsys, "--fix", "--output-format", "concise", ".")
    assert target.read_bytes() == before


assert sys.version_info >= (3, 10)
