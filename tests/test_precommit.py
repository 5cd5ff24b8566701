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
import re
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
    files = re.compile(hook["files"])
    assert files.search("_figures/PMC1__f1.md") and files.search("_data/PMC1__f1-genes.tsv")
    assert "types_or" not in hook  # [markdown] would drop the tables
    collection = {h["id"]: h for h in hooks}["pfocr-lint-collection"]
    assert collection["pass_filenames"] is False
    assert "--no-cache" not in collection["entry"] and "XR" in collection["entry"]
    # one process per hook: a record and its table in one run (no finding printed twice)
    assert hook["require_serial"] is True and collection["require_serial"] is True


CI_DOCS = ROOT / "docs" / "ci.md"  # the CI recipes page of the documentation site


def readme_hooks() -> dict:
    """The documentation's `repo: local` pre-commit configuration (docs/ci.md)."""
    text = CI_DOCS.read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(# \.pre-commit-config\.yaml\n.*?)```", text, re.S)
    assert len(blocks) == 1, "docs/ci.md shows one `repo: local` .pre-commit-config.yaml"
    return yaml.safe_load(blocks[0])


@pytest.mark.parametrize(
    "page", [CI_DOCS, ROOT / "docs" / "getting-started" / "contributors.md"], ids=lambda p: p.name
)
def test_the_documented_release_pin_is_the_declared_version(page):
    """The remote form pins a release tag, ``rev: v<__version__>``, and names
    only hooks .pre-commit-hooks.yaml declares: bumping the version without
    the docs fails here."""
    from linter import __version__

    declared = {h["id"] for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    text = page.read_text(encoding="utf-8")
    blocks = [
        yaml.safe_load(b)
        for b in re.findall(r"```yaml\n(.*?)```", text, re.S)
        if "rev: v" in b and "repos:" in b
    ]
    assert blocks, f"{page.name} shows no pre-commit configuration pinned to a tag"
    for config in blocks:
        (repo,) = config["repos"]
        assert repo["rev"] == f"v{__version__}"
        assert {h["id"] for h in repo["hooks"]} <= declared
    assert "--freeze" in text or "frozen" in text  # pinning by commit is explained


def test_the_readme_hooks_are_the_declared_ones():
    declared = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    (repo,) = readme_hooks()["repos"]
    assert repo["repo"] == "local"
    for hook in repo["hooks"]:
        mine = declared[hook["id"]]
        for key in ("entry", "files", "pass_filenames", "types", "require_serial"):
            assert hook.get(key) == mine.get(key), (hook["id"], key)


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


C_SEED = SEEDS / "PMC11745090__cbm-21-1156-g007.md"  # reads its sidecar tables
TABLE = f"_data/{C_SEED.stem}-chemicals.tsv"


def _collection_repo(project: Path, config: dict, env) -> None:
    """A git repository holding a two-record collection, hooks installed."""
    project.mkdir()
    _run([*GIT, "init", "-q"], project, env)
    (project / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    _run([sys.executable, "-m", "pre_commit", "install"], project, env)
    (project / "_figures").mkdir()
    (project / "_data").mkdir()
    shutil.copyfile(CLEAN, project / "_figures" / CLEAN.name)
    shutil.copyfile(C_SEED, project / "_figures" / C_SEED.name)
    (project / TABLE).write_text("word\tmesh\tsource\nEGF\tmesh:D004815\tMESH\n")
    # the seed's own findings are accepted: a baseline, as a legacy collection would
    (project / "pfocr-lint.toml").write_text('baseline = "baseline.json"\n', encoding="utf-8")
    _run(["pfocr-lint", "check", ".", "--write-baseline", "baseline.json"], project, env)
    _run([*GIT, "add", "-A"], project, env)
    r = _run([*GIT, "commit", "-m", "collection"], project, env, check=False)
    assert r.returncode == 0, r.stdout + r.stderr


def _commit(project: Path, env, message: str):
    _run([*GIT, "add", "-A"], project, env)
    r = _run([*GIT, "commit", "-m", message], project, env, check=False)
    return r.returncode, r.stdout + r.stderr


def test_a_table_only_commit_and_the_collection_hook(hook_source, tmp_path):
    snap, rev, env = hook_source
    env = dict(env, PATH=os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", ""))
    hooks = [{"id": "pfocr-lint"}, {"id": "pfocr-lint-collection"}]
    project = tmp_path / "collection"
    _collection_repo(project, {"repos": [{"repo": str(snap), "rev": rev, "hooks": hooks}]}, env)

    # a commit that changes only a sidecar table, badly: the record hook lints it
    table = project / TABLE
    table.write_text(table.read_text() + "cisplatin\tmesh:D002945\n")
    code, out = _commit(project, env, "table only")
    assert code != 0, out
    assert f"{TABLE}:3:1: FM107" in out
    table.write_text(table.read_text().replace("mesh:D002945\n", "mesh:D002945\tMESH\n"))
    code, out = _commit(project, env, "table fixed")
    assert code != 0, out  # cisplatin is not among the record's keywords: KW101, a new finding
    assert "KW101" in out and "cisplatin" in out
    _run(["git", "checkout", "--", TABLE], project, env)
    _run(["git", "reset", "-q"], project, env)

    # a new record copying a figid: only the collection hook can see it
    shutil.copyfile(project / "_figures" / CLEAN.name, project / "_figures" / "copy.md")
    code, out = _commit(project, env, "a copy")
    assert code != 0, out
    assert "XR101" in out and "duplicate figid" in out
    assert re.search(r"pfocr-lint \(whole collection\)\.+Failed", out), out
    assert len(_run(["git", "log", "--oneline"], project, env).stdout.splitlines()) == 1


def test_the_readme_snippet_installs_and_blocks(hook_source, tmp_path):
    _, _, env = hook_source
    env = dict(env, PATH=os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", ""))
    project = tmp_path / "local"
    _collection_repo(project, readme_hooks(), env)
    rec = project / "_figures" / CLEAN.name
    rec.write_text(rec.read_text(encoding="utf-8").replace("ndex: ''", "ndex: not-a-uuid"))
    code, out = _commit(project, env, "bad ndex")
    assert code != 0, out
    assert "MD105" in out and "Failed" in out
    # the baseline keeps the seeds' own findings from blocking an unrelated edit
    rec.write_text(rec.read_text(encoding="utf-8").replace("ndex: not-a-uuid", "ndex: ''"))
    other = project / "_figures" / C_SEED.name
    other.write_text(
        other.read_text(encoding="utf-8").replace("figtitle: ", "figtitle: Edited ", 1)
    )
    code, out = _commit(project, env, "an edit elsewhere")
    assert code == 0, out
