"""`pfocr-lint check --fix --interactive`, driven through a real
pseudo-terminal (pexpect): answers typed in, files checked after."""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import pytest
from conftest import SEEDS
from conftest import run_cli as run

pexpect = pytest.importorskip("pexpect")

PROMPT = re.compile(r"Apply this fix\? \[y\]es, \[n\]o, \[a\]ll (\w+) fixes, \[q\]uit: ")
DONE = re.compile(r"Applied (\d+) fix\(es\) in (\d+) file\(s\); declined (\d+)\.( Stopped\.)?")


def seeds_copy(tmp_path: Path, name: str) -> Path:
    dest = tmp_path / name
    shutil.copytree(SEEDS, dest)
    return dest


def contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.md"))}


def review(folder: Path, answer, *extra: str) -> tuple[list[str], re.Match]:
    """Run the review on ``folder`` in a pseudo-terminal; ``answer(code)``
    gives what to type at each prompt. Returns the codes asked about and the
    closing line's match."""
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100"}
    env.pop("FORCE_COLOR", None)
    child = pexpect.spawn(
        sys.executable,
        ["-m", "linter", "check", "--no-cache", "--fix", "--interactive", *extra, str(folder)],
        cwd=str(folder.parent),
        env=env,
        encoding="utf-8",
        timeout=60,
        dimensions=(50, 100),
    )
    asked = []
    while True:
        i = child.expect([PROMPT, DONE])
        if i == 1:
            done = child.match
            child.expect(pexpect.EOF)
            child.close()
            return asked, done, child.exitstatus
        code = child.match.group(1)
        asked.append(code)
        child.sendline(answer(code, len(asked)))


def test_answers_apply_skip_and_apply_all(tmp_path, capsys):
    folder = seeds_copy(tmp_path, "records")
    before = contents(folder)
    answers = {"NA102": "n", "ID105": "y", "NA101": "a"}
    asked, done, status = review(folder, lambda code, n: answers.get(code, "n"), "--unsafe-fixes")
    assert "NA101" in asked and "ID105" in asked and "NA102" in asked
    assert asked.count("NA101") == 1  # "a": the later NA101 fixes were not asked about
    after = contents(folder)
    evil = "PMC7773330__hs9-5-e516-g001.md"
    assert b"figlink: /pmc/articles/PMC7773330/figure/F1/" in after[evil]  # y
    assert b".na.character" in before[evil] and b".na.character" not in after[evil]  # a
    na = "PMC11745090__cbm-21-1156-g007.md"
    assert b"- NA\n" in after[na]  # n: left as it was
    applied, files, declined = (int(x) for x in done.groups()[:3])
    said_no = sum(1 for c in asked if answers.get(c, "n") == "n")
    assert declined == said_no
    assert applied > len(asked) - said_no  # the NA101 fixes after "a" were applied unasked
    assert files == sum(1 for name in before if before[name] != after[name])
    # what was accepted is gone, what was declined is still reported
    code, out, _ = run(capsys, "--select", "NA101,ID105", "--output-format", "concise", str(folder))
    assert "NA101" not in out and "ID105" not in out
    code, out, _ = run(capsys, "--select", "NA102", "--output-format", "concise", str(folder))
    assert "NA102" in out
    assert status == 1  # findings remain


def test_all_accepted_writes_exactly_what_fix_writes(tmp_path, capsys):
    reviewed = seeds_copy(tmp_path, "reviewed")
    fixed = seeds_copy(tmp_path, "fixed")
    asked, done, _ = review(reviewed, lambda code, n: "y")
    assert asked
    run(capsys, "--fix", str(fixed))
    assert contents(reviewed) == contents(fixed)
    assert contents(reviewed) != contents(SEEDS)
    assert int(done.group(1)) == len(asked)


def test_quit_leaves_the_files(tmp_path):
    folder = seeds_copy(tmp_path, "records")
    before = contents(folder)
    asked, done, status = review(folder, lambda code, n: "y" if n == 1 else "q")
    assert len(asked) == 2
    assert done.group(4) == " Stopped."
    after = contents(folder)
    changed = [name for name in before if before[name] != after[name]]
    assert len(changed) == 1  # the first answer's fix only
    assert int(done.group(1)) == 1


def test_interactive_needs_a_terminal(capsys, tmp_path, monkeypatch):
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO("y\n"))
    code, out, err = run(capsys, "--fix", "--interactive", str(seeds_copy(tmp_path, "r")))
    assert code == 2 and "--interactive needs a terminal" in err
