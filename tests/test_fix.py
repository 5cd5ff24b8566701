"""--fix, --unsafe-fixes, --diff: only the intended bytes change, files are
written atomically (mode kept, no temporary file left), --diff writes nothing."""

from __future__ import annotations

import json
import os
import stat

import pytest
from conftest import SEEDS
from conftest import run_cli as run

import linter.cli.check

CLEAN = SEEDS / "PMC6457213__advances029850f7.md"
BAD = SEEDS / "PMC7773330__hs9-5-e516-g001.md"  # ID105 + five NA101, all safe
NA = SEEDS / "PMC11745090__cbm-21-1156-g007.md"  # NA102: unsafe fix

NA_LINES = (
    b"doi: .na.character\n"
    b"journal_title: .na.character\n"
    b"journal_nlm_ta: .na.character\n"
    b"publisher_name: .na.character\n"
    b"keywords: .na.character\n"
)
FIGLINK_OLD = b"figlink: pmc/articles/PMC7773330/figure/F1/\n"
FIGLINK_NEW = b"figlink: /pmc/articles/PMC7773330/figure/F1/\n"


pytestmark = pytest.mark.usefixtures("cli_env")


def put(tmp_path, raw: bytes, name: str = BAD.name, mode: int = 0o644):
    p = tmp_path / name
    p.write_bytes(raw)
    p.chmod(mode)
    return p


def replace_once(raw: bytes, old: bytes, new: bytes) -> bytes:
    assert raw.count(old) == 1, old
    return raw.replace(old, new)


def expected_bad_fixed(raw: bytes) -> bytes:
    return replace_once(replace_once(raw, FIGLINK_OLD, FIGLINK_NEW), NA_LINES, b"")


def assert_only_changed(before: bytes, after: bytes, start: int, end_from_tail: int):
    """Bytes before ``start`` and the last ``end_from_tail`` bytes are unchanged."""
    assert after[:start] == before[:start]
    assert after[len(after) - end_from_tail :] == before[len(before) - end_from_tail :]


# -- safe fixes ---------------------------------------------------------------------------------
def test_fix_applies_safe_fixes_and_only_changes_their_bytes(capsys, tmp_path):
    before = BAD.read_bytes()
    p = put(tmp_path, before, mode=0o640)
    rc, out, err = run(capsys, "--fix", "--select", "ID105,NA101", p.name)
    assert rc == 0
    assert "All checks passed!" in out
    assert "Fixed 6 problem(s)." in err
    after = p.read_bytes()
    assert after == expected_bad_fixed(before)
    first = before.index(FIGLINK_OLD)
    assert_only_changed(before, after, first, len(before) - before.index(NA_LINES) - len(NA_LINES))
    # written atomically: the mode is kept, no temporary file is left
    assert stat.S_IMODE(p.stat().st_mode) == 0o640
    assert sorted(os.listdir(tmp_path)) == [p.name]


def test_fix_matches_the_reported_edits(capsys, tmp_path):
    before = BAD.read_bytes()
    p = put(tmp_path, before)
    rc, out, err = run(capsys, "--output-format", "json", "--select", "ID105,NA101", p.name)
    text = before.decode("utf-8")
    edits = [e for f in json.loads(out) for e in f["fix"]["edits"]]
    for e in sorted(edits, key=lambda e: e["offset"], reverse=True):
        text = text[: e["offset"]] + e["content"] + text[e["end_offset"] :]
    run(capsys, "--fix", "--select", "ID105,NA101", p.name)
    assert p.read_bytes() == text.encode("utf-8")


def test_fix_keeps_non_ascii_text_and_crlf(capsys, tmp_path):
    raw = replace_once(
        BAD.read_bytes(),
        b"pmcid: PMC7773330\n",
        b"# na\xc3\xafve \xe2\x80\x93 \xce\xb2\npmcid: PMC7773330\n",
    )
    for name, data in (("lf.md", raw), ("crlf.md", raw.replace(b"\n", b"\r\n"))):
        put(tmp_path, data, name=name)
    rc, out, err = run(capsys, "--fix", "--select", "ID105,NA101", "lf.md", "crlf.md")
    assert rc == 0
    lf = (tmp_path / "lf.md").read_bytes()
    assert lf == expected_bad_fixed(raw)
    crlf = (tmp_path / "crlf.md").read_bytes()
    assert crlf == expected_bad_fixed(raw).replace(b"\n", b"\r\n")


def test_fix_is_idempotent(capsys, tmp_path):
    p = put(tmp_path, BAD.read_bytes())
    run(capsys, "--fix", "--select", "ID105,NA101", p.name)
    once = p.read_bytes()
    mtime = p.stat().st_mtime_ns
    rc, out, err = run(capsys, "--fix", "--select", "ID105,NA101", p.name)
    assert rc == 0 and "Fixed" not in err
    assert p.read_bytes() == once
    assert p.stat().st_mtime_ns == mtime  # nothing to fix: not rewritten


def test_fix_bom_removes_exactly_three_bytes(capsys, tmp_path):
    before = b"\xef\xbb\xbf" + CLEAN.read_bytes()
    p = put(tmp_path, before, name=CLEAN.name)
    rc, out, err = run(capsys, "--output-format", "concise", p.name)
    assert rc == 1 and f"{p.name}:1:1: FM105 [*]" in out
    rc, out, err = run(capsys, "--fix", p.name)
    assert rc == 0
    assert p.read_bytes() == before[3:] == CLEAN.read_bytes()


def test_fix_id103_id104(capsys, tmp_path):
    raw = CLEAN.read_bytes()
    bad = replace_once(raw, b"figid_alias: PMC6457213__F7\n", b"figid_alias: PMC6457213__F6\n")
    bad = replace_once(
        bad, b"redirect_from: /figures/PMC6457213__F7\n", b"redirect_from: /figure/PMC6457213__F7\n"
    )
    p = put(tmp_path, bad, name=CLEAN.name)
    rc, out, err = run(capsys, "--output-format", "concise", p.name)
    assert f"{p.name}:85:14: ID103 [*]" in out and f"{p.name}:86:16: ID104 [*]" in out
    rc, out, err = run(capsys, "--fix", p.name)
    assert (rc, p.read_bytes()) == (0, raw)
    assert "Fixed 2 problem(s)." in err


def test_fix_leaves_files_without_fixes_alone(capsys, tmp_path):
    dup = put(tmp_path, b"---\nfigid: a\nfigid: b\n---\n", name="PMC1__dup.md")
    bad_utf8 = put(tmp_path, b"\xef\xbb\xbf---\nfigid: \xff\n---\n", name="PMC1__utf.md")
    before = {p: p.read_bytes() for p in (dup, bad_utf8)}
    rc, out, err = run(capsys, "--fix", "--select", "FM", dup.name, bad_utf8.name)
    assert rc == 1
    assert {p: p.read_bytes() for p in before} == before
    assert sorted(os.listdir(tmp_path)) == sorted(p.name for p in before)


def test_fix_respects_the_size_limit(capsys, tmp_path):
    (tmp_path / "pfocr-lint.toml").write_text("max-file-size = 100\n")
    before = b"\xef\xbb\xbf" + CLEAN.read_bytes()
    p = put(tmp_path, before, name=CLEAN.name)
    rc, out, err = run(capsys, "--fix", "--output-format", "concise", p.name)
    assert rc == 1
    assert "FM106" in out and "100 bytes" in out
    assert p.read_bytes() == before


def test_fix_through_a_symlink_rewrites_the_target(capsys, tmp_path):
    (tmp_path / "real").mkdir()
    target = put(tmp_path / "real", BAD.read_bytes())
    link = tmp_path / BAD.name
    link.symlink_to(target)
    rc, out, err = run(capsys, "--fix", "--select", "ID105,NA101", link.name)
    assert rc == 0
    assert link.is_symlink()
    assert target.read_bytes() == expected_bad_fixed(BAD.read_bytes())
    assert sorted(os.listdir(tmp_path / "real")) == [BAD.name]


def test_a_failed_write_leaves_the_file_intact(capsys, tmp_path, monkeypatch):
    before = BAD.read_bytes()
    p = put(tmp_path, before)

    def fail(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(linter.cli.check.os, "replace", fail)
    rc, out, err = run(capsys, "--fix", "--select", "ID105,NA101", p.name)
    assert rc == 2
    assert p.name in err and "cannot write" in err and "Traceback" not in err
    assert p.read_bytes() == before
    assert os.listdir(tmp_path) == [p.name]  # the temporary file is removed


# -- unsafe fixes ---------------------------------------------------------------------------
def test_unsafe_fixes_need_the_flag(capsys, tmp_path):
    before = NA.read_bytes()
    p = put(tmp_path, before, name=NA.name)
    rc, out, err = run(capsys, "--fix", "--select", "NA102", p.name)
    assert rc == 1 and "NA102" in out
    assert p.read_bytes() == before
    rc, out, err = run(capsys, "--fix", "--unsafe-fixes", "--select", "NA102", p.name)
    assert rc == 0
    after = p.read_bytes()
    assert after != before
    start = before.index(b"organisms:\n- NA\n")
    tail = len(before) - before.index(b"organisms_ner:")
    assert_only_changed(before, after, start, tail)
    middle = after[start : len(after) - tail]
    assert b"NA" not in middle and middle.startswith(b"organisms:")
    assert sorted(os.listdir(tmp_path)) == [p.name]


# -- diff ----------------------------------------------------------------------------------------
def test_diff_prints_and_writes_nothing(capsys, tmp_path):
    before = BAD.read_bytes()
    p = put(tmp_path, before)
    mtime = p.stat().st_mtime_ns
    rc, out, err = run(capsys, "--diff", "--select", "ID105,NA101", p.name)
    assert rc == 1
    assert p.read_bytes() == before and p.stat().st_mtime_ns == mtime
    assert sorted(os.listdir(tmp_path)) == [p.name]
    lines = out.splitlines()
    assert lines[0] == f"--- a/{p.name}"
    assert lines[1] == f"+++ b/{p.name}"
    removed = [ln for ln in lines if ln.startswith("-") and not ln.startswith("---")]
    added = [ln for ln in lines if ln.startswith("+") and not ln.startswith("+++")]
    assert removed == ["-" + FIGLINK_OLD.decode().rstrip("\n")] + [
        "-" + ln for ln in NA_LINES.decode().splitlines()
    ]
    assert added == ["+" + FIGLINK_NEW.decode().rstrip("\n")]


def test_diff_with_unsafe_fixes(capsys, tmp_path):
    before = NA.read_bytes()
    p = put(tmp_path, before, name=NA.name)
    rc, out, err = run(capsys, "--diff", "--select", "NA102", p.name)
    assert "---" not in out.split("\n", 1)[0]  # no diff without --unsafe-fixes
    rc, out, err = run(capsys, "--diff", "--unsafe-fixes", "--select", "NA102", p.name)
    assert f"--- a/{p.name}" in out and "-- NA" in out
    assert p.read_bytes() == before
