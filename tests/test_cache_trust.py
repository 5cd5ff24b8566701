"""The results cache's trust boundaries (issue 19).

The CI gate lints pull requests whose files an attacker controls: nothing in
the linted tree may decide a record's findings, nor make the cache delete or
write outside its own folder. Every test runs the real command (or the real
:class:`~linter.cache.Cache`) and compares with a run without the cache.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from test_cache import Counting, databases, lint

from linter import engine
from linter.pipeline import cache as cache_module
from linter.pipeline.config import build_settings, load_config

CACHE_DIR = cache_module.CACHE_DIR
SECRET_ENV = cache_module.SECRET_ENV
SECRET_FILE = cache_module.SECRET_FILE
Cache = cache_module.Cache
decode_result = cache_module.decode_result
encode_result = cache_module.encode_result

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
OLD = time.time() - 90 * 86400  # older than any cache keeps another configuration's file
needs_symlinks = pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")
needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture(autouse=True)
def secret(tmp_path, monkeypatch):
    """Each test's own secret key folder (never the user's)."""
    folder = tmp_path / "secret"
    monkeypatch.setenv(SECRET_ENV, str(folder))
    return folder


@pytest.fixture
def seeds(cli_env):
    """The four seed records in ``records/`` of an empty working directory."""
    work = cli_env / "work"
    shutil.copytree(SEEDS, work / "records")
    os.chdir(work)
    return work


def forge(db: Path) -> list[str]:
    """What an attacker plants: every record of the cache "has no findings"
    (well-formed entries, the keys left as they are). The entries changed."""
    changed = []
    with sqlite3.connect(db) as conn:
        for path, text in conn.execute("SELECT path, result FROM entries").fetchall():
            result = decode_result(text)
            if result.findings:
                result.findings = []
                forged = encode_result(result)
                conn.execute("UPDATE entries SET result = ? WHERE path = ?", (forged, path))
                changed.append(result.filename)
    return sorted(changed)


def snapshot(folder: Path) -> dict:
    """Every name under ``folder`` (links not followed): its kind and bytes."""
    out = {}
    for p in sorted(folder.rglob("*")):
        if p.is_symlink():
            out[str(p.relative_to(folder))] = ("link", os.readlink(p))
        elif p.is_file():
            out[str(p.relative_to(folder))] = ("file", p.read_bytes())
        else:
            out[str(p.relative_to(folder))] = ("dir", None)
    return out


# -- 1. entries are authenticated ------------------------------------------------------
def test_a_planted_no_findings_entry_is_a_miss_and_is_replaced(seeds, capsys, monkeypatch):
    cold = lint(capsys, "records")
    assert cold[0] == 1 and cold[1] and cold[2] == ""
    (db,) = databases(seeds)
    forged = forge(db)
    assert len(forged) >= 2
    counting = Counting(monkeypatch)
    assert lint(capsys, "records") == cold  # not exit 0: the planted entries are misses
    assert sorted(counting.files) == forged
    counting.files.clear()
    assert lint(capsys, "records") == cold  # replaced by authentic entries: hits
    assert counting.files == []


def test_seals_that_are_not_ours_are_misses_never_a_crash(seeds, capsys, monkeypatch):
    cold = lint(capsys, "records")
    (db,) = databases(seeds)
    counting = Counting(monkeypatch)
    for seal in (b"", b"\0" * 64, os.urandom(64), os.urandom(200), "text", 7, 1.5):
        with sqlite3.connect(db) as conn:
            conn.execute("UPDATE entries SET seal = ?", (seal,))
        counting.files.clear()
        assert lint(capsys, "records") == cold
        assert len(counting.files) == 4
    # a key or a hash changed under a seal that was right
    for column, value in (("key", b"\0" * 16), ("hash", b"\0" * 16)):
        lint(capsys, "records")
        with sqlite3.connect(db) as conn:
            conn.execute(f"UPDATE entries SET {column} = ?", (value,))
        counting.files.clear()
        assert lint(capsys, "records") == cold
        assert len(counting.files) == 4
    # the collection index (read alone for --changed-since) changed under its seal
    lint(capsys, "records")
    settings = build_settings(load_config(None, seeds))
    cache = Cache(seeds, settings)
    assert cache.file == db
    items = [(p, p, cache.key(p)) for p in sorted(str(p) for p in Path("records").glob("*.md"))]
    assert all(r is not None for r in cache.load(items, findings=False))
    cache.save()
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE entries SET idx = ?", ('["records/x.md", null, null]',))
    cache = Cache(seeds, settings)
    assert cache.load(items, findings=False) == [None] * 4
    assert all(r is not None for r in cache.load(items))  # the findings are intact
    cache.save()


def test_a_restored_ci_cache_hits_with_its_secret_and_misses_without(
    cli_env, capsys, monkeypatch, secret
):
    """CI: a fresh checkout (new timestamps, new inodes) at the same place, the
    cache folder and the secret key folder restored (actions/cache). Entries
    are named by absolute path, so "elsewhere" is another job's checkout of
    the same workspace: the tree is removed and checked out again."""
    work = cli_env / "work"
    config = 'cache-key = "content"\n'

    def checkout():
        os.chdir(cli_env)
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(SEEDS, work / "records", copy_function=shutil.copyfile)
        (work / "pfocr-lint.toml").write_text(config, encoding="utf-8")
        for p in (work / "records").iterdir():
            os.utime(p, ns=(time.time_ns(), time.time_ns() + 10**9))
        os.chdir(work)

    checkout()
    cold = lint(capsys, "records")
    saved = cli_env / "restored-cache"
    shutil.copytree(work / CACHE_DIR, saved)
    counting = Counting(monkeypatch)

    checkout()  # job 2: the cache and the same secret folder restored
    shutil.copytree(saved, work / CACHE_DIR)
    assert lint(capsys, "records") == cold
    assert counting.files == []  # every record answered from the restored cache

    checkout()  # job 3: the cache restored, another secret (not restored)
    shutil.copytree(saved, work / CACHE_DIR)
    monkeypatch.setenv(SECRET_ENV, str(cli_env / "another-secret"))
    counting.files.clear()
    assert lint(capsys, "records") == cold  # no warning: misses, quietly
    assert len(counting.files) == 4
    counting.files.clear()
    assert lint(capsys, "records") == cold  # the entries were replaced under that key
    assert counting.files == []


def test_the_secret_key_is_private_and_kept_outside_the_tree(cli_env, capsys, monkeypatch):
    shutil.copytree(SEEDS, cli_env / "records")
    xdg = cli_env / "xdg"
    monkeypatch.delenv(SECRET_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(xdg))
    cold = lint(capsys, "records")
    key = xdg / "pfocr-lint" / SECRET_FILE
    first = key.read_bytes()
    assert len(first) == 32
    if os.name == "posix":
        assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert lint(capsys, "records") == cold
    assert key.read_bytes() == first  # read, not made again
    assert not list((cli_env / CACHE_DIR).glob("*secret*"))
    # without XDG_CACHE_HOME (or a relative one, which the spec ignores): ~/.cache
    monkeypatch.setenv("XDG_CACHE_HOME", "relative")
    monkeypatch.setenv("HOME", str(cli_env / "home"))
    assert lint(capsys, "records")[:2] == cold[:2]
    assert len((cli_env / "home" / ".cache" / "pfocr-lint" / SECRET_FILE).read_bytes()) == 32


@pytest.mark.parametrize("what", ["a file", "a link", "short", "unwritable"])
def test_an_unusable_secret_is_a_warning_and_the_run_goes_on(
    seeds, capsys, monkeypatch, secret, what
):
    expected = lint(capsys, "records", cache=False)
    if what == "a file":
        secret.write_text("not a folder\n", encoding="utf-8")
    elif what == "a link":
        if not hasattr(os, "symlink"):
            pytest.skip("no symbolic links")
        secret.mkdir()
        (seeds / "key").write_bytes(b"k" * 32)
        (secret / SECRET_FILE).symlink_to(seeds / "key")
    elif what == "short":
        secret.mkdir()
        (secret / SECRET_FILE).write_bytes(b"")
        os.utime(secret / SECRET_FILE, (OLD, OLD))  # not one another run is writing
    else:
        if os.name != "posix" or os.geteuid() == 0:
            pytest.skip("permissions are not enforced")
        secret.mkdir(mode=0o500)
    code, found, err = lint(capsys, "records")
    assert (code, found) == expected[:2]
    assert "warning" in err and "secret" in err and "running without the cache" in err
    assert databases(seeds) == []


# -- 2. a cache the repository provides is not used -----------------------------------
@needs_git
def test_a_cache_folder_tracked_by_git_is_not_used(seeds, capsys, monkeypatch):
    expected = lint(capsys, "records", cache=False)
    lint(capsys, "records")
    (db,) = databases(seeds)
    forge(db)
    git = ["git", "-c", "init.defaultBranch=main"]
    subprocess.run([*git, "init", "-q"], cwd=seeds, check=True)
    subprocess.run([*git, "add", "-f", CACHE_DIR], cwd=seeds, check=True)
    before = snapshot(seeds / CACHE_DIR)
    counting = Counting(monkeypatch)
    code, found, err = lint(capsys, "records")
    assert (code, found) == expected[:2]
    assert "warning" in err and CACHE_DIR in err and "tracked by git" in err
    assert len(counting.files) == 4
    assert snapshot(seeds / CACHE_DIR) == before
    # untracked again: used as before (its forged entries are misses)
    subprocess.run(["git", "rm", "-q", "-r", "--cached", CACHE_DIR], cwd=seeds, check=True)
    assert lint(capsys, "records") == (*expected[:2], "")


@needs_git
def test_a_failing_or_missing_git_means_not_tracked(seeds, capsys, monkeypatch):
    """A folder that is no git work tree, a git that fails, no git at all:
    the cache is used."""
    (seeds / ".git").write_text("gitdir: nowhere\n", encoding="utf-8")
    cold = lint(capsys, "records")
    assert cold[2] == ""
    counting = Counting(monkeypatch)
    assert lint(capsys, "records") == cold
    assert counting.files == []
    (seeds / ".git").unlink()
    subprocess.run(["git", "init", "-q"], cwd=seeds, check=True)
    subprocess.run(["git", "add", "-f", CACHE_DIR], cwd=seeds, check=True)
    monkeypatch.setenv("PATH", "")  # tracked, but no git to say so
    assert lint(capsys, "records") == cold
    assert counting.files == []


@needs_git
def test_a_secret_key_that_git_tracks_is_not_used(seeds, capsys, monkeypatch):
    expected = lint(capsys, "records", cache=False)
    folder = seeds / "ci-key"
    monkeypatch.setenv(SECRET_ENV, str(folder))
    lint(capsys, "records")  # the key made in the tree (the cache is used)
    assert (folder / SECRET_FILE).is_file() and len(databases(seeds)) == 1
    subprocess.run(["git", "init", "-q"], cwd=seeds, check=True)
    subprocess.run(["git", "add", f"ci-key/{SECRET_FILE}"], cwd=seeds, check=True)
    code, found, err = lint(capsys, "records")
    assert (code, found) == expected[:2]
    assert "secret key" in err and "tracked by git" in err


@needs_symlinks
def test_a_symlinked_cache_folder_is_neither_pruned_written_nor_read(seeds, capsys, tmp_path):
    expected = lint(capsys, "records", cache=False)
    target = tmp_path / "elsewhere"
    target.mkdir()
    for name in ("0" * 32 + ".pickle", "1" * 32 + ".sqlite3", "keep.pickle", "old.sqlite3"):
        (target / name).write_text(name, encoding="utf-8")
        os.utime(target / name, (OLD, OLD))
    before = snapshot(target)
    (seeds / CACHE_DIR).symlink_to(target, target_is_directory=True)
    for _ in range(2):
        code, found, err = lint(capsys, "records")
        assert (code, found) == expected[:2]
        assert "warning" in err and CACHE_DIR in err and "symbolic link" in err
    assert snapshot(target) == before  # nothing deleted, nothing written
    assert (seeds / CACHE_DIR).is_symlink()


@needs_symlinks
def test_a_cache_inside_a_symlinked_folder_is_not_used(cli_env, tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real, target_is_directory=True)
    settings = build_settings(load_config(None, cli_env))
    warnings: list[str] = []
    cache = Cache(tmp_path / "link", settings, warn=warnings.append)
    assert cache.disabled
    assert len(warnings) == 1 and "symbolic link" in warnings[0]
    cache.put(str(SEEDS / "x.md"), b"k" * 16, engine.FileResult("x.md", []))
    cache.save()
    assert list(real.iterdir()) == []


# -- 3. the cache deletes and writes only its own files --------------------------------
@needs_symlinks
@pytest.mark.parametrize("dangling", [True, False])
def test_a_gitignore_link_in_the_cache_folder_is_never_written_through(
    seeds, capsys, tmp_path, dangling
):
    cold = lint(capsys, "records")
    outside = tmp_path / "outside.txt"
    if not dangling:
        outside.write_text("theirs\n", encoding="utf-8")
    for db in databases(seeds):
        db.unlink()  # the next run writes a new database (and the .gitignore if absent)
    gitignore = seeds / CACHE_DIR / ".gitignore"
    gitignore.unlink()
    gitignore.symlink_to(outside)
    assert lint(capsys, "records") == cold
    assert gitignore.is_symlink() and os.readlink(gitignore) == str(outside)
    if dangling:
        assert not os.path.lexists(outside)
    else:
        assert outside.read_text(encoding="utf-8") == "theirs\n"
    assert len(databases(seeds)) == 1


def test_pruning_removes_only_the_caches_own_stale_files(seeds, capsys, tmp_path):
    folder = seeds / CACHE_DIR
    folder.mkdir()
    outside = tmp_path / "outside.sqlite3"
    outside.write_text("theirs", encoding="utf-8")
    own = {
        "a" * 32 + ".sqlite3": True,  # another configuration's database, unused a month
        "b" * 32 + ".pickle": True,  # pfocr-lint 0.1's cache
        "a" * 32 + ".xr": True,  # another configuration's collection memo
        "a" * 32 + ".xr.123.tmp": True,  # one a run left half-written
        "notes.sqlite3": False,  # not a name the cache writes
        "c" * 31 + ".sqlite3": False,
        "D" * 32 + ".sqlite3": False,
        "data.pickle": False,
    }
    for name in own:
        (folder / name).write_text(name, encoding="utf-8")
        os.utime(folder / name, (OLD, OLD))
    recent = folder / ("e" * 32 + ".sqlite3")
    recent.write_text("in use", encoding="utf-8")
    (folder / ("f" * 32 + ".sqlite3")).mkdir()  # not a file
    os.utime(folder / ("f" * 32 + ".sqlite3"), (OLD, OLD))
    if hasattr(os, "symlink"):
        link = folder / ("9" * 32 + ".sqlite3")
        link.symlink_to(outside)
        os.utime(link, (OLD, OLD), follow_symlinks=False)
    lint(capsys, "records")
    for name, pruned in own.items():
        assert (folder / name).exists() is not pruned, name
    assert recent.exists() and (folder / ("f" * 32 + ".sqlite3")).is_dir()
    assert outside.read_text(encoding="utf-8") == "theirs"
    if hasattr(os, "symlink"):
        assert link.is_symlink()


# -- 4. concurrent runs from a cold start ----------------------------------------------
WORKER = textwrap.dedent(
    """
    import json, os, sys, time
    from pathlib import Path
    from linter.pipeline.cache import Cache
    from linter.pipeline.config import build_settings, load_config
    from linter.engine import Linter

    me, peers = sys.argv[1], int(sys.argv[2])

    def barrier(step):
        Path(f"{step}-{me}").touch()
        while len(list(Path().glob(f"{step}-*"))) < peers:
            time.sleep(0.0005)

    settings = build_settings(load_config(None, Path.cwd()))
    linter = Linter(settings)
    names = sorted(str(p) for p in Path("records").glob("*.md"))
    results = [(n, linter.lint_file(Path(n), n)) for n in names]
    warnings = []
    cache = Cache(Path.cwd(), settings, warn=warnings.append)
    barrier("go")  # every process has found no cache: all start writing at once
    for n, r in results:
        cache.put(n, cache.key(n), r)
    cache._flush()  # the first write: the database is made here
    barrier("wrote")
    for n, r in results:  # a later write, after the other processes' first ones
        cache.put(n, cache.key(n), r)
    cache._flush()
    ok = cache.db is not None and not cache.disabled
    cache.save()
    print(json.dumps({"warnings": warnings, "ok": ok}))
    """
)


@pytest.mark.parametrize("start", ["no cache", "an empty folder", "a file that is not a cache"])
def test_runs_that_start_together_without_a_cache_share_one(cli_env, capsys, monkeypatch, start):
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    for round_ in range(4):
        work = cli_env / f"round{round_}"
        shutil.copytree(SEEDS, work / "records")
        if start != "no cache":
            (work / CACHE_DIR).mkdir()
        if start == "a file that is not a cache":  # every run finds it and replaces it
            Cache(work, build_settings(load_config(None, work))).file.write_bytes(os.urandom(8192))
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", WORKER, str(i), "3"],
                cwd=work,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
            )
            for i in range(3)
        ]
        for p in procs:
            out, err = p.communicate(timeout=300)
            assert p.returncode == 0, err
            assert json.loads(out) == {"warnings": [], "ok": True}, round_
        (db,) = databases(work)
        with sqlite3.connect(db) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            assert conn.execute("SELECT count(*) FROM entries").fetchone() == (4,)
        assert sorted(p.name for p in (work / CACHE_DIR).iterdir()) == [".gitignore", db.name]
        os.chdir(work)
        cold = lint(capsys, "records", cache=False)
        with monkeypatch.context() as patch:
            counting = Counting(patch)
            assert lint(capsys, "records") == (*cold[:2], "")
            assert counting.files == []  # the entries they wrote answer
