"""The linted tree is the boundary: a record or table that a symbolic link
places outside it is not read (a note, or FM107 for a table), its bytes never
reach the output, special file systems are never read, and `--follow-symlinks`
reads outside links but never fixes there."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SEEDS

SEED = "PMC7773330__hs9-5-e516-g001.md"
TABLE_RECORD = "PMC11745090__cbm-21-1156-g007.md"  # a record without genes in its front matter
SECRET = "TOPSECRET-3141592653"
pytestmark = pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")


def lint(cwd: Path, *args: str, env=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "linter", "check", "--no-cache", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture
def tree(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    secret_record = (
        (SEEDS / SEED).read_text(encoding="utf-8").replace("year: '2021'", f"year: '{SECRET}'")
    )
    (outside / "stolen.md").write_text(secret_record, encoding="utf-8")
    repo = tmp_path / "repo"
    figs = repo / "_figures"
    figs.mkdir(parents=True)
    shutil.copyfile(SEEDS / SEED, figs / SEED)
    return repo, outside


def test_a_record_linked_outside_is_skipped_with_a_note(tree):
    repo, outside = tree
    (repo / "_figures" / "PMC1__linked.md").symlink_to(outside / "stolen.md")
    for fmt in ("full", "json", "github", "sarif", "csv"):
        done = lint(repo, "--output-format", fmt, ".")
        assert SECRET not in done.stdout + done.stderr, fmt
        assert "PMC1__linked.md: skipped, a symbolic link to outside the linted tree" in done.stderr
        assert done.returncode == 1  # the seed's own findings
    followed = lint(repo, "--follow-symlinks", "--output-format", "concise", ".")
    assert "PMC1__linked.md" in followed.stdout  # read when asked


def test_a_link_into_proc_is_never_read(tree, monkeypatch):
    repo, _ = tree
    (repo / "_figures" / "PMC2__environ.md").symlink_to("/proc/self/environ")
    for extra in ((), ("--follow-symlinks",)):
        done = lint(repo, *extra, "--output-format", "full", ".", env={"LEAK": SECRET})
        assert SECRET not in done.stdout + done.stderr
        assert "PMC2__environ.md: skipped, a symbolic link into /proc/, never read" in done.stderr


@pytest.mark.parametrize("how", ["table", "folder"])
def test_a_sidecar_table_linked_outside_is_fm107_and_not_shown(tmp_path, how):
    repo = tmp_path / "repo"
    (repo / "_figures").mkdir(parents=True)
    shutil.copyfile(SEEDS / TABLE_RECORD, repo / "_figures" / TABLE_RECORD)
    figid = TABLE_RECORD[:-3]
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / f"{figid}-genes.tsv").write_text(f"word\tsymbol\n{SECRET}\tX\n", encoding="utf-8")
    if how == "table":
        (repo / "_data").mkdir()
        (repo / "_data" / f"{figid}-genes.tsv").symlink_to(outside / f"{figid}-genes.tsv")
    else:
        (repo / "_data").symlink_to(outside)
    done = lint(repo, "--output-format", "concise", "--select", "FM107,GN,KW", ".")
    assert SECRET not in done.stdout + done.stderr
    assert "FM107" in done.stdout and "symbolic link to outside the linted tree" in done.stdout


def test_the_report_shows_no_byte_of_a_linked_file(tree):
    repo, outside = tree
    (repo / "_figures" / "PMC1__linked.md").symlink_to(outside / "stolen.md")
    done = subprocess.run(
        [sys.executable, "-m", "linter", "report", "--no-cache", ".", "-o", "r.html"],
        cwd=repo,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert SECRET not in (repo / "r.html").read_text(encoding="utf-8")
