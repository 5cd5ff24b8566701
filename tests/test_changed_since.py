"""``--changed-since REF``: only the records changed against a git revision
(a changed sidecar table changes its record), with the collection rules
still comparing them against every record."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import SEEDS
from conftest import run_cli as run

pytestmark = pytest.mark.usefixtures("cli_env")

BAD = SEEDS / "PMC7773330__hs9-5-e516-g001.md"
CLEAN = SEEDS / "PMC6457213__advances029850f7.md"
C_SEED = SEEDS / "PMC11745090__cbm-21-1156-g007.md"
TABLE = f"{C_SEED.stem}-chemicals.tsv"
GIT = ["git", "-c", "user.name=t", "-c", "user.email=t@t.invalid", "-c", "commit.gpgsign=false"]


def git(root: Path, *args: str) -> None:
    subprocess.run([*GIT, *args], cwd=root, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = tmp_path / "repo"
    (root / "_figures").mkdir(parents=True)
    (root / "_data").mkdir()
    for seed in (BAD, CLEAN, C_SEED):
        shutil.copy(seed, root / "_figures" / seed.name)
    (root / "_data" / TABLE).write_text("word\tmesh\tsource\nEGF\tmesh:D004815\tMESH\n")
    # two unchanged records that already clash (XR101): not this change's business
    shutil.copy(BAD, root / "_figures" / "old-copy.md")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "records")
    monkeypatch.chdir(root)
    return root


def found(capsys, *args):
    code, out, err = run(capsys, "--output-format", "json", *args)
    return code, json.loads(out) if out.strip() else None, err


def brief(items):
    return sorted((f["code"], f["filename"]) for f in items)


def test_nothing_changed_nothing_linted(repo, capsys):
    code, items, _ = found(capsys, ".")
    assert code == 1 and any(f["code"] == "XR101" for f in items)
    code, items, _ = found(capsys, ".", "--changed-since", "HEAD")
    assert (code, items) == (0, [])


def test_an_edited_record_alone_is_linted(repo, capsys):
    rec = repo / "_figures" / CLEAN.name
    rec.write_text(rec.read_text().replace("ndex: ''", "ndex: not-a-uuid"))
    code, items, _ = found(capsys, ".", "--changed-since", "HEAD")
    assert code == 1
    assert brief(items) == [("MD105", f"_figures/{CLEAN.name}")]


def test_a_changed_table_lints_its_record(repo, capsys):
    table = repo / "_data" / TABLE
    table.write_text(table.read_text() + "cisplatin\tD002945\tMESH\n")
    code, items, _ = found(capsys, ".", "--changed-since", "HEAD", "--select", "CH101,NA102")
    assert brief(items) == [("CH101", f"_data/{TABLE}"), ("NA102", f"_figures/{C_SEED.name}")]


def test_collection_rules_see_every_record(repo, capsys):
    # a new (untracked) record copying an unchanged one's figid
    shutil.copy(repo / "_figures" / CLEAN.name, repo / "_figures" / "new-copy.md")
    code, items, _ = found(capsys, ".", "--changed-since", "HEAD", "--select", "XR")
    assert code == 1
    # both sides of the new clash, not the old clash between unchanged records
    assert brief(items) == [("XR101", f"_figures/{CLEAN.name}"), ("XR101", "_figures/new-copy.md")]
    # committed, then compared with the commit before
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "copy")
    code, items, _ = found(capsys, ".", "--changed-since", "HEAD~1", "--select", "XR")
    assert len(items) == 2
    code, items, _ = found(capsys, ".", "--changed-since", "HEAD", "--select", "XR")
    assert (code, items) == (0, [])


def test_a_bad_revision_is_an_error(repo, capsys):
    code, out, err = run(capsys, ".", "--changed-since", "no-such-ref")
    assert code == 2 and out == ""
    assert "no-such-ref" in err and "Traceback" not in err


def test_collection_findings_are_those_of_a_whole_run(repo, capsys):
    """The index is gathered in the order of a whole run, so a collection
    rule that breaks ties by file order decides as it does over everything;
    a cache of a whole run answers for the unchanged files."""
    figures = repo / "_figures"
    # three records of one paper: the middle one changes its year
    base = (figures / CLEAN.name).read_text(encoding="utf-8")
    for name in ("PMC6457213__a.md", "PMC6457213__b.md"):
        (figures / name).write_text(
            base.replace("figid: PMC6457213__advances029850f7", "figid: " + name[:-3])
        )
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "papers")
    middle = figures / "PMC6457213__a.md"
    middle.write_text(middle.read_text(encoding="utf-8").replace("year: '2019'", "year: '2018'"))
    args = ("--select", "XR102", "--output-format", "json")
    whole = json.loads(run(capsys, "check", ".", *args, check=False)[1])  # warms the cache
    assert whole, "the year conflict is an XR102 finding"
    assert (repo / ".pfocr-lint-cache").is_dir()
    for extra in ((), ("--no-cache",)):
        code, out, _ = run(
            capsys, "check", ".", "--changed-since", "HEAD", *args, *extra, check=False
        )
        changed = json.loads(out)
        assert changed == [f for f in whole if "PMC6457213__a.md" in f["filename"] + f["message"]]
        assert changed and code == 1


def test_without_a_whole_runs_cache_the_index_is_kept_for_the_next_run(repo, capsys, monkeypatch):
    """No cache of a whole run for this version (an upgrade, a new clone):
    the unchanged files are read with the collection rules alone, and their
    index kept in a cache of those rules, which the next run reads instead
    of the files, with the same findings."""
    from linter.engine import Linter

    shutil.copy(repo / "_figures" / CLEAN.name, repo / "_figures" / "new-copy.md")
    args = ("check", ".", "--changed-since", "HEAD", "--output-format", "json")
    linted: list[str] = []
    real = Linter.lint_file

    def counted(self, path, name=None):
        linted.append(Path(path).name)
        return real(self, path, name)

    monkeypatch.setattr(Linter, "lint_file", counted)
    code, first, _ = run(capsys, *args, check=False)
    assert code == 1 and "XR101" in first
    assert sorted(linted) == sorted(p.name for p in (repo / "_figures").iterdir())
    # the changed file's entry (every rule) and the unchanged files' (XR rules)
    assert len(list((repo / ".pfocr-lint-cache").glob("*.sqlite3"))) == 2
    linted.clear()
    code, again, _ = run(capsys, *args, check=False)
    assert (code, again) == (1, first)
    assert linted == []  # the unchanged files' index came from the cache
    # a whole run's findings, for the same files
    whole = json.loads(run(capsys, ".", "--output-format", "json")[1])
    assert json.loads(first) == [f for f in whole if "new-copy" in f["filename"] + f["message"]]


def test_git_lists_the_changes_while_the_files_are_discovered(repo, capsys, monkeypatch):
    """git's two listings (the diff, the untracked files) are started before
    discovery and read after it; a failure of one is a usage error (exit 2)
    naming git's command, never a traceback."""
    from linter.pipeline import changes, check

    started, seen = [], []
    popen, discover = changes.subprocess.Popen, check.discover

    def recording(args, **kwargs):
        started.append(args[1])
        return popen(args, **kwargs)

    def discovering(*args, **kwargs):
        seen.append(list(started))
        yield from discover(*args, **kwargs)

    monkeypatch.setattr(changes.subprocess, "Popen", recording)
    monkeypatch.setattr(check, "discover", discovering)
    (repo / "_figures" / CLEAN.name).write_text(BAD.read_text())
    code, out, _ = found(capsys, ".", "--changed-since", "HEAD")
    assert seen == [["rev-parse", "rev-parse", "diff", "ls-files"]]  # all before discovery
    assert {f["filename"] for f in out if f["code"][:2] != "XR"} == {f"_figures/{CLEAN.name}"}
    monkeypatch.setattr(
        changes.Changes, "_LISTINGS", (changes.Changes._LISTINGS[0], ["ls-files", "--no-such"])
    )
    code, out, err = run(capsys, ".", "--changed-since", "HEAD")
    assert code == 2 and out == ""
    assert "--changed-since: git ls-files:" in err and "Traceback" not in err


def test_a_failed_discovery_stops_git(repo, capsys, monkeypatch):
    """When discovery fails, the listings git was running are stopped and
    reaped, not left behind."""
    from linter.pipeline import changes, check

    procs = []
    popen = changes.subprocess.Popen

    def recording(args, **kwargs):
        procs.append(popen(args, **kwargs))
        return procs[-1]

    def failing(*args, **kwargs):
        raise KeyboardInterrupt
        yield  # (a generator, as discover is)

    monkeypatch.setattr(changes.subprocess, "Popen", recording)
    monkeypatch.setattr(check, "discover", failing)
    with pytest.raises(KeyboardInterrupt):
        check.Check(check.CheckOptions(paths=["."], changed_since="HEAD"))
    assert [p.args[1] for p in procs] == ["rev-parse", "rev-parse", "diff", "ls-files"]
    assert all(p.returncode is not None for p in procs)  # stopped and reaped
