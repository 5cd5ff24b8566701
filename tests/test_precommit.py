"""The pre-commit hook, for real: a temporary git repository with the
``pfocr-lint`` hook of .pre-commit-hooks.yaml installed; a commit of a clean
record goes through, a commit of a bad record is blocked with the finding in
the output.

pre-commit installs the hook from this repository into a fresh virtualenv
(network to the package registry is needed). ``pre-commit try-repo`` would
install it anew on every call (it keeps its own temporary store), so the
repository is snapshotted once (the working tree, uncommitted and untracked
files included, as ``try-repo`` would see it once committed) and every case
shares one install through a session-wide ``PRE_COMMIT_HOME``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, SEEDS

CLEAN = SEEDS / "PMC6457213__advances029850f7.md"
GIT = ["git", "-c", "user.name=pfocr-lint tests", "-c", "user.email=tests@pfocr-lint.invalid"]
GIT += ["-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"]


def _env(home: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(PRE_COMMIT_HOME=str(home), PRE_COMMIT_COLOR="never", NO_COLOR="1")
    env.pop("GITHUB_ACTIONS", None)
    return env


def _run(args, cwd, env, check=True, timeout=900):
    r = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    if check and r.returncode != 0:
        raise AssertionError(f"{args} failed ({r.returncode}):\n{r.stdout}\n{r.stderr}")
    return r


@pytest.fixture(scope="session")
def hook_source(tmp_path_factory):
    """(snapshot repository, its commit, environment with a shared PRE_COMMIT_HOME)."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    base = tmp_path_factory.mktemp("precommit")
    env = _env(base / "home")
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    snap = base / "pfocr-lint"
    for rel in filter(None, listed.decode().split("\0")):
        src = ROOT / rel
        if src.is_file():
            dest = snap / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest)
    assert (snap / ".pre-commit-hooks.yaml").is_file()
    _run([*GIT, "init", "-q"], snap, env)
    _run([*GIT, "add", "-A"], snap, env)
    _run([*GIT, "commit", "-q", "-m", "snapshot"], snap, env)
    rev = _run(["git", "rev-parse", "HEAD"], snap, env).stdout.strip()
    return snap, rev, env


def test_the_hook_is_declared():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = {h["id"]: h for h in hooks}["pfocr-lint"]
    assert hook["language"] == "python"
    assert hook["entry"].split()[:2] == ["pfocr-lint", "check"]
    assert "md" in hook["files"] or "markdown" in hook.get("types_or", [])


def test_the_hook_blocks_a_bad_record_and_lets_a_clean_one_through(hook_source, tmp_path):
    snap, rev, env = hook_source
    project = tmp_path / "records"
    project.mkdir()
    _run([*GIT, "init", "-q"], project, env)
    config = {"repos": [{"repo": str(snap), "rev": rev, "hooks": [{"id": "pfocr-lint"}]}]}
    (project / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    _run([sys.executable, "-m", "pre_commit", "install"], project, env)

    # a clean record (and a README that is not a record) goes through
    record = project / CLEAN.name
    shutil.copyfile(CLEAN, record)
    (project / "README.md").write_text("# Records\n", encoding="utf-8")
    _run([*GIT, "add", "-A"], project, env)
    r = _run([*GIT, "commit", "-m", "clean record"], project, env, check=False)
    out = r.stdout + r.stderr
    assert r.returncode == 0, out
    assert "pfocr-lint" in out and "Passed" in out

    # a bad record is blocked, and the finding is in the output
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("year: '2019'\n", "year: '2019'\nyear: '2020'\n"))
    _run([*GIT, "add", "-A"], project, env)
    r = _run([*GIT, "commit", "-m", "bad record"], project, env, check=False)
    out = r.stdout + r.stderr
    assert r.returncode != 0, out
    assert "Failed" in out
    assert f"{CLEAN.name}:21:1: FM103" in out
    assert "duplicate key 'year'" in out
    log = _run(["git", "log", "--oneline"], project, env).stdout.splitlines()
    assert len(log) == 1  # the bad commit did not happen
