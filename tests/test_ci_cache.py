"""A CI cache that hits (issue 18): a cache restored into a fresh checkout
(new mtimes, new inodes, the linter reinstalled) answers every unchanged
record, with the same output as a run without the cache; what changed, and
whatever git cannot vouch for, is linted again; a foreign or corrupt cache
is a miss, never a crash."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import CORPUS
from test_cache import Counting

from linter.cli.main import main
from linter.pipeline import cache_files, cache_git, cache_keys
from linter.pipeline.cache import CACHE_DIR, SECRET_ENV

GIT = ["git", "-c", "user.name=t", "-c", "user.email=t@t.invalid", "-c", "commit.gpgsign=false"]
GIT += ["-c", "init.defaultBranch=main", "-c", "core.autocrlf=false"]
FIGIDS = sorted(p.stem for p in (CORPUS / "_figures").glob("*.md"))[:12]

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture
def ci(cli_env, tmp_path, monkeypatch):
    """A CI job: ``CI`` set, the secret key's folder restored with the cache."""
    monkeypatch.setenv("CI", "true")
    monkeypatch.setenv(SECRET_ENV, str(tmp_path / "home" / "pfocr-lint"))
    return cli_env


def git(root: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    done = subprocess.run([*GIT, *args], cwd=root, env=env, capture_output=True, check=True)
    return done.stdout.decode()


def collection(root: Path) -> Path:
    (root / "_figures").mkdir(parents=True)
    (root / "_data").mkdir()
    for figid in FIGIDS:
        shutil.copy(CORPUS / "_figures" / f"{figid}.md", root / "_figures")
        for table in (CORPUS / "_data").glob(f"{figid}-*.tsv"):
            shutil.copy(table, root / "_data")
    return root


def check(capsys, *args: str) -> tuple[int, list]:
    code = main(["check", *args, "--output-format", "json", "."])
    out, err = capsys.readouterr()
    assert code != 2, err
    return code, json.loads(out)


def touch_all(root: Path, when_ns: int = 2_000_000_000_000_000_000) -> None:
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in (".git", CACHE_DIR)]
        for name in files:
            os.utime(os.path.join(folder, name), ns=(when_ns, when_ns))


def fresh_checkout(origin: Path, work: Path, saved: Path) -> None:
    """What a CI job does: a new clone at the same place, the cache restored."""
    shutil.rmtree(work)
    git(origin.parent, "clone", "-q", str(origin), str(work))
    touch_all(work)  # and timestamps nothing like the first checkout's
    shutil.copytree(saved, work / CACHE_DIR)
    os.chdir(work)  # the old working directory is gone


@pytest.fixture
def repo(ci, tmp_path):
    """(origin repository, the job's checkout of it)."""
    origin = collection(tmp_path / "origin")
    git(origin, "init", "-q")
    git(origin, "add", "-A")
    git(origin, "commit", "-qm", "records")
    work = ci / "work"
    git(tmp_path, "clone", "-q", str(origin), str(work))
    return origin, work


@needs_git
def test_a_restored_cache_hits_after_a_fresh_checkout(repo, capsys, monkeypatch, tmp_path):
    origin, work = repo
    monkeypatch.chdir(work)
    expected = main(["check", "--no-cache", "--output-format", "json", "."])
    expected = (expected, json.loads(capsys.readouterr().out))
    assert expected[1], "the records have findings to keep"
    assert check(capsys) == expected  # cold: fills the cache
    saved = tmp_path / "saved-cache"
    shutil.copytree(work / CACHE_DIR, saved)
    fresh_checkout(origin, work, saved)
    counting = Counting(monkeypatch)
    hashed = []
    real_hash = cache_keys._content_hash
    for module in (cache_keys, cache_files):  # keying a file, checking a racy one
        monkeypatch.setattr(
            module, "_content_hash", lambda p, t: hashed.append(p) or real_hash(p, t)
        )
    assert check(capsys) == expected
    assert counting.files == []  # every record answered by the cache
    assert hashed == []  # keyed on git's blob ids: no file read to key it


@needs_git
def test_what_a_pull_request_changes_is_linted_again(repo, capsys, monkeypatch, tmp_path):
    origin, work = repo
    monkeypatch.chdir(work)
    check(capsys)
    saved = tmp_path / "saved-cache"
    shutil.copytree(work / CACHE_DIR, saved)
    # the pull request: one record and one table changed, committed
    changed = origin / "_figures" / f"{FIGIDS[0]}.md"
    changed.write_text(changed.read_text("utf-8") + "\n", encoding="utf-8")
    table = sorted((origin / "_data").glob("*.tsv"))[0]
    table.write_text(table.read_text("utf-8") + "extra\tmesh:D000001\tMESH\n", encoding="utf-8")
    git(origin, "commit", "-qam", "a change")
    fresh_checkout(origin, work, saved)
    counting = Counting(monkeypatch)
    after = check(capsys)
    record_of_table = table.name.rsplit("-", 1)[0] + ".md"
    assert sorted(counting.files) == sorted(
        {f"_figures/{FIGIDS[0]}.md", f"_figures/{record_of_table}"}
    )
    assert after == (
        main(["check", "--no-cache", "--output-format", "json", "."]),
        json.loads(capsys.readouterr().out),
    )


@needs_git
@pytest.mark.parametrize(
    "how", ["edited", "assume-unchanged", "untracked", "symlink", "linked-folder", "gitattributes"]
)
def test_what_git_cannot_vouch_for_is_never_served_stale(repo, capsys, monkeypatch, how):
    """An uncommitted edit (also one git is told to overlook) is hashed, not
    keyed on the blob id; a new .gitattributes changes every key."""
    _, work = repo
    monkeypatch.chdir(work)
    check(capsys)
    record = work / "_figures" / f"{FIGIDS[1]}.md"
    text = record.read_text("utf-8")
    if how == "gitattributes":
        # the same blobs, other bytes in the work tree: no entry may answer
        (work / ".gitattributes").write_text("*.md text eol=crlf\n", encoding="utf-8")
        git(work, "add", ".gitattributes")
        git(work, "commit", "-qm", "crlf")
        counting = Counting(monkeypatch)
        check(capsys)
        assert len(counting.files) == len(FIGIDS)
        return
    if how == "assume-unchanged":
        git(work, "update-index", "--assume-unchanged", str(record.relative_to(work)))
    if how == "untracked":
        record = work / "_figures" / "PMC1__new.md"
        shutil.copy(work / "_figures" / f"{FIGIDS[1]}.md", record)
        check(capsys)
        text = record.read_text("utf-8")
    st = record.stat()
    edited = text.replace("\n---", "\nzz: 1\nzz: 2\n---", 1)  # FM103: a duplicate key
    assert edited != text
    if how == "symlink":  # the tracked file is now a link to other bytes
        target = work / "elsewhere.md"
        target.write_text(edited, encoding="utf-8")
        record.unlink()
        record.symlink_to(target)
    elif how == "linked-folder":  # the records' folder is now a link to edited copies
        shutil.copytree(work / "_figures", work / "edited")
        (work / "edited" / record.name).write_text(edited, encoding="utf-8")
        shutil.rmtree(work / "_figures")
        (work / "_figures").symlink_to(work / "edited")
    else:
        record.write_text(edited, encoding="utf-8")
    counting = Counting(monkeypatch)
    after = check(capsys)
    if how == "linked-folder":  # the walk does not enter the link: edited/ is linted
        assert f"edited/{record.name}" in counting.files
        # named through the link, the edited record is linted, not served as _figures/'s
        named = f"_figures/{record.name}"
        for cache in (["--no-cache"], []):
            counting.files.clear()
            main(["check", *cache, "--output-format", "json", named])
            found = json.loads(capsys.readouterr().out)
            assert counting.files == [named]
            assert any(f["code"] == "FM103" for f in found), found
    else:
        assert counting.files == [str(record.relative_to(work))]
    assert after == (
        main(["check", "--no-cache", "--output-format", "json", "."]),
        json.loads(capsys.readouterr().out),
    )
    assert st.st_size != record.stat().st_size


def test_without_git_a_fresh_copy_hits_by_content(ci, capsys, monkeypatch, tmp_path):
    work = collection(ci / "work")
    monkeypatch.chdir(work)
    cold = check(capsys)
    saved = tmp_path / "saved"
    shutil.copytree(work, saved)
    shutil.rmtree(work)
    shutil.copytree(saved, work)  # a fresh copy at the same place
    os.chdir(work)
    touch_all(work)
    counting = Counting(monkeypatch)
    assert check(capsys) == cold
    assert counting.files == []


@needs_git
@pytest.mark.parametrize("damage", ["garbage", "truncated", "another-key"])
def test_a_corrupt_or_foreign_cache_restored_is_a_miss(repo, capsys, monkeypatch, tmp_path, damage):
    origin, work = repo
    monkeypatch.chdir(work)
    expected = check(capsys)
    saved = tmp_path / "saved-cache"
    shutil.copytree(work / CACHE_DIR, saved)
    (db,) = saved.glob("*.sqlite3")
    if damage == "garbage":
        db.write_bytes(os.urandom(4096))
    elif damage == "truncated":
        db.write_bytes(db.read_bytes()[:3000])
    else:  # sealed with another job's secret key: a cache someone else made
        monkeypatch.setenv(SECRET_ENV, str(tmp_path / "another"))
    fresh_checkout(origin, work, saved)
    counting = Counting(monkeypatch)
    code, found = check(capsys)
    assert (code, found) == expected
    assert len(counting.files) == len(FIGIDS)
    assert check(capsys) == expected  # and the cache was rebuilt


def test_the_code_digest_is_by_content_not_mtime(tmp_path, monkeypatch):
    code = tmp_path / "pkg"
    code.mkdir()
    for name in ("a.py", "b.json"):
        (code / name).write_text(name, encoding="utf-8")
    files = [(p.name, p) for p in sorted(code.iterdir())]
    monkeypatch.setattr(cache_git, "_code_files", lambda: files)
    kept = tmp_path / "kept"
    first = cache_git.code_digest(str(kept))
    assert len(list(kept.iterdir())) == 1
    touch_all(code, 3_000_000_000_000_000_000)  # a reinstall: new mtimes
    cache_git._memo.clear()
    assert cache_git.code_digest(str(kept)) == first
    # while the files' identity holds, the kept digest is used (nothing read)
    cache_git._memo.clear()

    def unread(self):
        raise AssertionError("read")

    monkeypatch.setattr(Path, "read_bytes", unread)
    assert cache_git.code_digest(str(kept)) == first
    monkeypatch.undo()
    monkeypatch.setattr(cache_git, "_code_files", lambda: files)
    (code / "a.py").write_text("A.py", encoding="utf-8")  # same size, other bytes
    cache_git._memo.clear()
    assert cache_git.code_digest(str(kept)) != first
    # a kept file that is not ours is ignored and rewritten
    (kept_file,) = kept.iterdir()
    kept_file.write_bytes(b"\x00garbage")
    cache_git._memo.clear()
    assert cache_git.code_digest(str(kept)) != first


def test_ci_defaults_to_the_auto_key(monkeypatch):
    from linter.pipeline.check import default_key_mode

    monkeypatch.delenv("CI", raising=False)
    assert default_key_mode() == "mtime"
    for value, mode in (("true", "auto"), ("1", "auto"), ("false", "mtime"), ("", "mtime")):
        monkeypatch.setenv("CI", value)
        assert default_key_mode() == mode


@needs_git
def test_an_edit_after_git_looked_is_never_stored_under_the_blob_id(repo, capsys, monkeypatch):
    """The file changes between ``git status`` and its linting: the findings
    of the new bytes must not be stored under the old bytes' blob id."""
    _, work = repo
    monkeypatch.chdir(work)
    record = work / "_figures" / f"{FIGIDS[2]}.md"
    text = record.read_text("utf-8")
    edited = text.replace("\n---", "\nzz: 1\nzz: 2\n---", 1)  # FM103
    real = cache_git.git_blobs

    def looked_then_edited(folder):
        blobs = real(folder)
        record.write_text(edited, encoding="utf-8")
        return blobs

    monkeypatch.setattr(cache_git, "git_blobs", looked_then_edited)
    _, found = check(capsys)
    assert any(f["code"] == "FM103" for f in found)  # the new bytes were linted
    monkeypatch.setattr(cache_git, "git_blobs", real)
    record.write_text(text, encoding="utf-8")  # back to the committed bytes
    counting = Counting(monkeypatch)
    after = check(capsys)
    assert counting.files == [f"_figures/{FIGIDS[2]}.md"]  # not answered by the cache
    assert not any(f["code"] == "FM103" for f in after[1])
    assert check(capsys) == after and counting.files == [f"_figures/{FIGIDS[2]}.md"]


@needs_git
def test_a_changed_since_run_asks_git_once(repo, capsys, monkeypatch):
    """--changed-since reads the unchanged files' index through a second
    cache: it reuses the first one's blob ids (git is asked once a run)."""
    _, work = repo
    monkeypatch.chdir(work)
    check(capsys)
    record = work / "_figures" / f"{FIGIDS[3]}.md"
    record.write_text(record.read_text("utf-8") + "\n", encoding="utf-8")
    calls = []
    real = cache_git.git_blobs
    monkeypatch.setattr(cache_git, "git_blobs", lambda f: calls.append(f) or real(f))
    counting = Counting(monkeypatch)
    check(capsys, "--changed-since", "HEAD")
    assert counting.files == [f"_figures/{FIGIDS[3]}.md"]
    assert len(calls) == 1


@needs_git
def test_the_packed_snapshot_survives_the_restore(repo, capsys, monkeypatch, tmp_path):
    """The warm pack is bound to its database by size, mtime and SQLite's
    change counter, not the inode: restored into new files (as actions/cache
    does, times kept), it still answers every record, no database row read."""
    from test_cache_pack import Reads

    from linter.pipeline import cache_pack

    monkeypatch.setattr(cache_pack, "MIN_FILES", 1)
    origin, work = repo
    monkeypatch.chdir(work)
    expected = check(capsys)
    check(capsys)  # the pack written beside the database
    assert list((work / CACHE_DIR).glob("*.pack"))
    saved = tmp_path / "saved-cache"
    shutil.copytree(work / CACHE_DIR, saved)  # copy2: new inodes, the same times
    fresh_checkout(origin, work, saved)
    reads = Reads(monkeypatch)
    assert check(capsys) == expected
    assert (reads.linted, reads.rows) == ([], 0)


@needs_git
def test_a_configuration_above_the_repository_still_keys_on_blob_ids(ci, capsys, monkeypatch):
    """`pfocr-lint.toml` (and so the cache) in a folder above the clone: git
    is asked from the records' work tree, and no file is read to key it."""
    outer = ci / "outer"
    outer.mkdir()
    (outer / "pfocr-lint.toml").write_text("# above the repository\n", encoding="utf-8")
    work = collection(outer / "collection")
    git(work, "init", "-q")
    git(work, "add", "-A")
    git(work, "commit", "-qm", "records")
    monkeypatch.chdir(work)
    expected = main(["check", "--no-cache", "--output-format", "json", "."])
    expected = (expected, json.loads(capsys.readouterr().out))
    hashed = []
    real_hash = cache_keys._content_hash
    monkeypatch.setattr(
        cache_keys, "_content_hash", lambda p, t: hashed.append(p) or real_hash(p, t)
    )
    assert check(capsys) == expected  # cold: fills the cache beside the configuration
    assert (outer / CACHE_DIR).is_dir()
    assert hashed == []  # keyed on git's blob ids
    counting = Counting(monkeypatch)
    assert check(capsys) == expected
    assert counting.files == [] and hashed == []


@needs_git
def test_a_batch_of_auto_keys_is_the_keys_one_at_a_time(repo, capsys, monkeypatch, tmp_path):
    """The run keys its files a batch at a time (a folder's tables worked
    out once): the same keys as one file at a time, for clean tracked
    records with and without tables, an edited one, an untracked one and one
    outside the work tree (the last three: their bytes hashed)."""
    from linter.pipeline.cache import Cache
    from linter.pipeline.config import build_settings, load_config

    _, work = repo
    monkeypatch.chdir(work)
    (work / "_figures" / f"{FIGIDS[2]}.md").write_text("---\nfigid: edited\n---\n", "utf-8")
    (work / "_figures" / "untracked.md").write_text("---\nfigid: new\n---\n", "utf-8")
    outside = tmp_path / "elsewhere" / "_figures"
    outside.mkdir(parents=True)
    shutil.copy(CORPUS / "_figures" / f"{FIGIDS[0]}.md", outside)
    paths = sorted(f"_figures/{p.name}" for p in (work / "_figures").iterdir())
    paths.append(str(outside / f"{FIGIDS[0]}.md"))
    assert any((work / "_data").glob(f"{Path(p).stem}-*.tsv") for p in paths), (
        "a record with a table"
    )
    settings = build_settings(load_config(start=work))
    batch = Cache(work, settings, key_mode="auto").keys(paths)
    one = Cache(work, settings, key_mode="auto")
    assert batch == [one.key(p) for p in paths]
    assert all(type(k) is bytes for k in batch)
    # the blob ids' keys and the hashed ones are told apart: three hashed
    assert len(one.git.keyed) == len(paths) - 3
