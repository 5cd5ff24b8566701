"""The results cache's packed snapshot (``linter.pipeline.cache_pack``): what a
warm run reads. A warm run prints exactly what a cold run prints, in every
format; a pack that is truncated, corrupt, of another version or Python,
stale, or planted (without the secret key) is a miss, never a crash, and
the run's findings stay right."""

from __future__ import annotations

import os
import shutil
import struct
import sys
import time
from pathlib import Path

import pytest
from conftest import CORPUS

from linter import engine
from linter.base.formats import FORMATS
from linter.cli.main import main
from linter.engine import pool
from linter.pipeline import cache_pack
from linter.pipeline.cache import CACHE_DIR, Cache
from linter.pipeline.cache_codec import encode_packed

ARGS = ("records", "--exit-zero")


@pytest.fixture
def corpus(cli_env, monkeypatch):
    """The 103 corpus records and their tables in ``records/``; the pack is
    written for runs of any size."""
    shutil.copytree(CORPUS / "_figures", cli_env / "records" / "_figures")
    shutil.copytree(CORPUS / "_data", cli_env / "records" / "_data")
    monkeypatch.setattr(cache_pack, "MIN_FILES", 1)
    return cli_env


def run(capsys, *args, cache=True, fmt="json"):
    argv = ["check", *ARGS, *args, "--output-format", fmt]
    if not cache:
        argv.append("--no-cache")
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def packs(folder: Path) -> list[Path]:
    return sorted((folder / CACHE_DIR).glob("*.pack"))


class Reads:
    """Counts the files the engine lints and the entries the database answers."""

    def __init__(self, monkeypatch):
        self.linted: list[str] = []
        self.rows = 0
        lint_file, load_rows = engine.Linter.lint_file, Cache._load_rows

        def counted(linter, path, filename):
            self.linted.append(filename)
            return lint_file(linter, path, filename)

        def rows(cache, items, findings):
            self.rows += len(items)
            return load_rows(cache, items, findings)

        monkeypatch.setattr(engine.Linter, "lint_file", counted)
        monkeypatch.setattr(Cache, "_load_rows", rows)


def test_warm_output_is_byte_identical_to_a_cold_run_in_every_format(corpus, capsys, monkeypatch):
    run(capsys)  # writes the database and the pack
    assert len(packs(corpus)) == 1
    reads = Reads(monkeypatch)
    for fmt in FORMATS:
        cold = run(capsys, cache=False, fmt=fmt)
        assert cold[1], fmt
        reads.linted.clear()
        assert run(capsys, fmt=fmt) == cold, fmt
        assert reads.linted == [], fmt  # every file answered ...
    assert reads.rows == 0  # ... by the pack, not the database
    # the json output holds the lazily decoded parts: fix edits, related locations, data
    out = run(capsys)[1]
    assert '"edits"' in out and '"related"' in out


def test_statistics_and_a_baseline_read_the_same_from_the_pack(corpus, capsys):
    run(capsys)
    assert main(["check", "records", "--write-baseline", "base.json", "--no-cache"]) == 0
    capsys.readouterr()
    for extra in (("--statistics",), ("--baseline", "base.json"), ("--select", "XR,GN")):
        cold = run(capsys, *extra, cache=False, fmt="concise")
        assert run(capsys, *extra, fmt="concise") == cold, extra


@pytest.mark.parametrize("block", [256, 8])  # 8: most blocks copied byte for byte
def test_one_changed_file_is_linted_and_the_pack_rewritten(corpus, capsys, monkeypatch, block):
    monkeypatch.setattr(cache_pack, "BLOCK", block)
    cold = run(capsys)
    reads = Reads(monkeypatch)
    record = sorted((corpus / "records" / "_figures").glob("*.md"))[5]
    record.write_text(record.read_text(encoding="utf-8") + "\n<!-- an edit -->\n", "utf-8")
    name = f"records/_figures/{record.name}"
    assert run(capsys) == cold  # the edit changes no finding
    assert reads.linted == [name] and reads.rows == 0
    reads.linted.clear()
    assert run(capsys) == cold
    assert reads.linted == [] and reads.rows == 0  # the new pack holds the new entry
    # ... once: the edited file's old entry was not carried over
    pack = _open(corpus)
    names = [pack.name(i) for i in range(pack.n)]
    pack.close()
    assert len(names) == len(set(names)) == 103


@pytest.mark.parametrize("racy", [True, False])
def test_the_quick_and_the_full_pack_check_agree(corpus, capsys, monkeypatch, racy):
    """The pack lookup answers the common case by the keys alone (a key
    without a content hash, an entry without one) and the others through
    the full check (the content hashes compared): files named by absolute
    paths are answered by the pack either way, and an edited file is linted
    again, never answered from its old entry. ``racy``: the files were just
    written, so their keys carry a content hash (the full check); else
    nothing counts as racy (the keys alone)."""
    from linter.pipeline import cache_keys, cache_warm

    if not racy:
        monkeypatch.setattr(cache_keys, "RACY_NS", 0)
    full = []
    same_content = cache_warm._same_content

    def counted(path, now, stored, tables):
        full.append(path)
        return same_content(path, now, stored, tables)

    monkeypatch.setattr(cache_warm, "_same_content", counted)
    folder = corpus / "records" / "_figures"
    absolute = [str(p) for p in sorted(folder.glob("*.md"))]
    argv = ["check", *absolute, "--exit-zero", "--output-format", "json"]
    assert main(argv) == 0  # the cache and the pack, with absolute names
    capsys.readouterr()
    reads = Reads(monkeypatch)
    full.clear()
    assert main(argv) == 0
    warm = capsys.readouterr().out
    assert reads.linted == [] and reads.rows == 0  # every file from the pack
    assert len(full) == (len(absolute) if racy else 0)
    record = Path(absolute[3])
    before = record.read_bytes()
    record.write_bytes(before.replace(b"figtitle: ", b"figtitle: X", 1))
    reads.linted.clear()
    assert main(argv) == 0
    capsys.readouterr()
    assert reads.linted == [str(record)]
    record.write_bytes(before)
    reads.linted.clear()
    assert main(argv) == 0
    assert capsys.readouterr().out == warm
    assert reads.linted == [str(record)]


def test_blocks_after_a_changed_entry_are_not_rewritten(corpus, capsys, monkeypatch):
    """An append realigns on the old blocks: after the changed entry's block
    the writer starts a block where an old one starts, so that the old ones
    are kept where they are, not copied entry by entry into blocks that
    start elsewhere (files old enough not to be re-hashed as racy)."""
    monkeypatch.setattr(cache_pack, "BLOCK", 8)
    then = time.time() - 3600
    for p in (corpus / "records").rglob("*"):
        os.utime(p, (then, then))
    run(capsys)
    (path,) = packs(corpus)
    size = path.stat().st_size
    _edit(corpus, 5)
    run(capsys)
    pack = _open(corpus)
    starts = pack.block_pos[0 :: cache_pack._POS]
    pack.close()
    moved = [at for at in starts if at >= size]
    assert len(starts) > 12 and 0 < len(moved) <= len(starts) // 4, (len(starts), len(moved))


def _edit(folder: Path, k: int) -> None:
    record = sorted((folder / "records" / "_figures").glob("*.md"))[k]
    record.write_text(record.read_text(encoding="utf-8") + "\n<!-- an edit -->\n", "utf-8")


@pytest.mark.parametrize("block", [256, 8])
def test_a_changed_file_is_appended_to_the_pack(corpus, capsys, monkeypatch, block):
    """One file changed: the pack keeps its bytes and gets the new blocks and
    a new index after them (no copy of the unchanged blocks); the next run
    reads every file from it."""
    monkeypatch.setattr(cache_pack, "BLOCK", block)
    cold = run(capsys)
    (path,) = packs(corpus)
    before, old = path.stat(), path.read_bytes()
    _edit(corpus, 5)
    assert run(capsys) == cold
    after = path.stat()
    assert (after.st_ino, path.read_bytes()[: len(old)]) == (before.st_ino, old)
    assert 0 < after.st_size - before.st_size < len(old)  # the index again, a block or two
    reads = Reads(monkeypatch)
    assert run(capsys) == cold
    assert reads.linted == [] and reads.rows == 0
    pack = _open(corpus)
    names = [pack.name(i) for i in range(pack.n)]
    pack.close()
    assert len(names) == len(set(names)) == 103


def test_a_pack_with_too_much_slack_or_locked_is_written_anew(corpus, capsys, monkeypatch):
    """Once the bytes no index points at outgrow SLACK, or while another run
    holds the pack's lock, a changed file makes a new pack (a new file)."""
    import fcntl

    monkeypatch.setattr(cache_pack, "SLACK", 0.0)
    cold = run(capsys)
    (path,) = packs(corpus)
    first = path.stat().st_ino
    _edit(corpus, 1)
    assert run(capsys) == cold
    assert path.stat().st_ino == first  # no slack yet: appended
    _edit(corpus, 2)
    assert run(capsys) == cold
    second = path.stat().st_ino
    assert second != first  # the old index and block were slack: a new pack
    monkeypatch.setattr(cache_pack, "SLACK", 0.5)
    with open(path, "rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # another run appending
        _edit(corpus, 3)
        assert run(capsys) == cold
    assert path.stat().st_ino != second
    reads = Reads(monkeypatch)
    assert run(capsys) == cold
    assert reads.linted == [] and reads.rows == 0


def test_an_append_that_fails_leaves_the_pack_as_it_was(corpus, capsys, monkeypatch):
    """A failure while the new index is written (a full disk) takes the
    appended bytes back: the file is the old pack again, which the changed
    database makes stale; the next run reads the database and writes anew."""
    cold = run(capsys)
    (path,) = packs(corpus)
    old = path.read_bytes()
    mac = cache_pack._mac

    def full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cache_pack, "_mac", full)
    _edit(corpus, 7)
    assert run(capsys) == cold
    assert path.read_bytes() == old
    monkeypatch.setattr(cache_pack, "_mac", mac)
    reads = Reads(monkeypatch)
    assert run(capsys) == cold
    assert reads.linted == [] and reads.rows == 103  # stale: the database answered
    reads.rows = 0
    assert run(capsys) == cold
    assert reads.rows == 0


def _open(folder: Path) -> cache_pack.Pack:
    """The folder's pack, opened with its cache's key."""
    from linter.pipeline.config import build_settings, load_config

    cache = Cache(folder, build_settings(load_config(None, folder)))
    (path,) = packs(folder)
    pack = cache_pack.Pack.open(path, cache.secret, cache._domain, cache_pack.db_stamp(cache.file))
    cache.save()
    assert pack is not None
    return pack


@pytest.mark.parametrize("block", [8, 5])
def test_copy_all_writes_the_pack_that_copies_one_at_a_time_write(
    corpus, capsys, monkeypatch, tmp_path, block
):
    """``PackWriter.copy_all`` (whole blocks met in order taken at once)
    writes the same bytes as ``copy`` entry by entry, for entries met in
    order, out of order, a block cut short, a block missing an entry, and
    fresh entries between them."""
    monkeypatch.setattr(cache_pack, "BLOCK", block)
    run(capsys)
    pack = _open(corpus)
    n = pack.n
    orders = [
        list(range(n)),
        list(range(n // 2)),
        [*range(3, n // 2), *range(0, 3), *range(n // 2 + 1, n)],
        [i for i in range(n) if i % 11 != 4],
        list(range(n - 1, -1, -1)),
    ]
    fresh = pack.stored(0)
    for k, order in enumerate(orders):
        written = []
        for how in ("copy", "copy_all"):
            final = str(tmp_path / f"{how}-{k}.pack")
            writer = cache_pack.PackWriter(final)
            half = len(order) // 2
            for m, part in enumerate((order[:half], order[half:])):  # a fresh entry between
                if how == "copy":
                    for i in part:
                        writer.copy(pack, i)
                else:
                    writer.copy_all(pack, part)
                writer._add(f"new-{m}".encode(), pack.key(0), None, *fresh)
            writer.finish(b"k" * 32, b"d", tmp_path / "db")
            written.append(Path(final).read_bytes())
        assert written[0] == written[1], order[:8]
    pack.close()


def test_a_changed_file_replaces_its_entry_without_a_search_by_name(corpus, capsys, monkeypatch):
    """The entry a lookup found stale is the one the fresh entry replaces:
    the run does not search the pack's names for it again (a hash table of
    every name, built for that one search, once the lookups are past it)."""
    from linter.pipeline.cache_names import PackNames

    cold = run(capsys)
    _edit(corpus, 50)
    built = []
    build = PackNames._build_table
    monkeypatch.setattr(PackNames, "_build_table", lambda names: built.append(1) or build(names))
    assert run(capsys) == cold
    assert built == []
    pack = _open(corpus)
    names = [pack.name(i) for i in range(pack.n)]
    pack.close()
    assert len(names) == len(set(names)) == 103  # its old entry was not carried over


def test_entries_are_found_by_name_in_any_order(corpus, capsys):
    """In the stored order one comparison finds each entry; out of order a
    hash table of the names does; a name the pack lacks is None."""
    run(capsys)
    pack = _open(corpus)
    names = [pack.name(i) for i in range(pack.n)]
    assert all(pack.find(name) == i for i, name in enumerate(names))  # in order
    assert pack.names._table is None  # no table was needed
    for i in [*range(pack.n - 1, -1, -7), 3, 3, 0]:
        assert pack.find(names[i]) == i
    assert pack.find(names[0] + "x") is None and pack.find("") is None
    assert pack.find("\udcff\u00e9") is None  # any string, even one UTF-8 cannot write
    pack.close()


@pytest.mark.parametrize("block", [256, 8])
def test_a_partial_run_keeps_the_other_entries(corpus, capsys, monkeypatch, block):
    monkeypatch.setattr(cache_pack, "BLOCK", block)
    cold = run(capsys)
    one = sorted((corpus / "records" / "_figures").glob("*.md"))[0]
    one.write_text(one.read_text(encoding="utf-8") + "\n", "utf-8")
    assert main(["check", str(one.relative_to(corpus)), "--exit-zero"]) == 0
    capsys.readouterr()
    reads = Reads(monkeypatch)
    assert run(capsys) == cold
    assert reads.linted == [] and reads.rows == 0


def _corrupt_index(data: bytes) -> bytes:
    at, length, mac, magic = struct.unpack("<QQ32s8s", data[-56:])
    i = at + length // 2
    return data[:i] + bytes([data[i] ^ 1]) + data[i + 1 :]


def _corrupt_block(data: bytes) -> bytes:
    return data[:100] + bytes([data[100] ^ 0x20]) + data[101:]


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: d[: len(d) // 2],  # truncated
        lambda d: d[:-1],
        lambda d: b"",
        lambda d: os.urandom(len(d)),  # not a pack at all
        _corrupt_index,
        lambda d: d[:-8] + b"PFLPACK\x02",  # another format version
    ],
    ids=["half", "last-byte", "empty", "random", "index", "magic"],
)
def test_a_damaged_pack_is_a_miss_and_is_replaced(corpus, capsys, monkeypatch, damage):
    cold = run(capsys)
    (pack,) = packs(corpus)
    pack.write_bytes(damage(pack.read_bytes()))
    os.utime(pack)
    reads = Reads(monkeypatch)
    assert run(capsys) == cold
    assert reads.linted == []  # the database answered
    assert reads.rows == 103
    reads.rows = 0
    assert run(capsys) == cold
    assert reads.rows == 0  # a sound pack again


def test_a_corrupt_block_is_a_miss_for_its_entries_only(corpus, capsys, monkeypatch):
    cold = run(capsys)
    (pack,) = packs(corpus)
    pack.write_bytes(_corrupt_block(pack.read_bytes()))
    reads = Reads(monkeypatch)
    assert run(capsys) == cold
    assert 0 < len(reads.linted) <= cache_pack.BLOCK  # the block's files, linted again
    reads.linted.clear()
    assert run(capsys) == cold
    assert reads.linted == [] and reads.rows == 0


def _first_block(data: bytes) -> tuple[int, int, int]:
    """Where the pack's first block starts, its length and its heads' length
    (read from the index, as the pack lays it out)."""
    import json
    from array import array

    at, length, _mac, _magic = struct.unpack("<QQ32s8s", data[-56:])
    index = data[at : at + length]
    head_len = int.from_bytes(index[:4], "little")
    head = json.loads(index[4 : 4 + head_len])
    n = head["n"]
    pos = 4 + head_len + head["names"] + 16 * n + 4 * n + 16 * n
    block_pos = array("Q")
    block_pos.frombytes(index[pos : pos + 24 * head["blocks"]])
    return block_pos[0], block_pos[1], block_pos[2]


@pytest.mark.parametrize("fmt", ["concise", "json"])
@pytest.mark.parametrize("part", ["heads", "findings"])
def test_a_block_is_read_as_far_as_the_run_needs(corpus, capsys, monkeypatch, part, fmt):
    """A block keeps its entries' heads (the counts and the concise text)
    apart from their findings, each with its digest: a concise run reads the
    heads alone, so damaged findings cost it nothing, while a run that
    renders the findings finds the block a miss; damaged heads are a miss
    for both. Every output is still the cold run's. (A warm run's workers
    read the heads alone: forked, on Linux.)"""
    if fmt == "concise" and part == "findings" and not sys.platform.startswith("linux"):
        pytest.skip("the warm run's workers are forked (Linux)")
    monkeypatch.setattr(pool, "RENDER_MIN", 1)
    monkeypatch.setattr(pool, "RENDER_BATCH", 8)
    cold = run(capsys, "--jobs", "2", fmt=fmt, cache=False)
    assert run(capsys, "--jobs", "2", fmt=fmt) == cold
    (pack,) = packs(corpus)
    data = pack.read_bytes()
    at, length, heads = _first_block(data)
    assert 0 < heads < length
    i = at + (heads // 2 if part == "heads" else heads + (length - heads) // 2)
    pack.write_bytes(data[:i] + bytes([data[i] ^ 0x20]) + data[i + 1 :])
    reads = Reads(monkeypatch)
    assert run(capsys, "--jobs", "2", fmt=fmt) == cold
    missed = part == "heads" or fmt == "json"
    assert (0 < len(reads.linted) <= cache_pack.BLOCK) if missed else reads.linted == []


@pytest.mark.parametrize("name, value", [("PACK_VERSION", 0), ("PYTHON", "cpython-0/0")])
def test_a_pack_of_another_version_or_python_is_not_read(corpus, capsys, monkeypatch, name, value):
    cold = run(capsys)
    reads = Reads(monkeypatch)
    monkeypatch.setattr(cache_pack, name, value)
    assert run(capsys) == cold
    assert reads.rows == 103 and reads.linted == []


def test_a_stale_pack_is_not_read(corpus, capsys, monkeypatch):
    """Another write to the database (another run, a hand edit) makes the
    pack stale: the database answers until the pack is rewritten."""
    cold = run(capsys)
    (db,) = sorted((corpus / CACHE_DIR).glob("*.sqlite3"))
    os.utime(db, ns=(1, 1))
    reads = Reads(monkeypatch)
    assert run(capsys) == cold
    assert reads.rows == 103 and reads.linted == []


def _forge(path: Path, secret: bytes, cache: Cache, findings_of) -> None:
    """Write a pack at ``path`` whose entries say ``findings_of(result)``:
    keys of the real files, sealed with ``secret``."""
    old = cache_pack.Pack.open(path, cache.secret, cache._domain, cache_pack.db_stamp(cache.file))
    assert old is not None
    writer = cache_pack.PackWriter(os.fspath(path))
    for i in range(old.n):
        name = old.name(i)
        (result,) = old.results([i], [name.removeprefix(cache.prefix)])
        result.findings = findings_of(result)
        writer.add(name, old.key(i), None, encode_packed(result))
    old.close()
    writer.finish(secret, cache._domain, cache.file)


@pytest.mark.parametrize("secret", [b"\0" * 32, None], ids=["other-secret", "own-secret"])
def test_planted_findings_are_never_trusted(corpus, capsys, monkeypatch, secret):
    """A pack whose entries hold other findings than the files give: sealed
    without the secret key it is not read at all; sealed with it (the
    cache's own key, a sanity check of the test) it would be."""
    cold = run(capsys)
    (pack,) = packs(corpus)
    from linter.pipeline.config import build_settings, load_config

    settings = build_settings(load_config(None, corpus))
    cache = Cache(corpus, settings)
    _forge(pack, secret or cache.secret, cache, lambda result: [])  # "no findings"
    cache.save()
    reads = Reads(monkeypatch)
    got = run(capsys)
    if secret is None:
        assert got != cold and reads.rows == 0  # the forgery was read: the seal is what protects
    else:
        assert got == cold and reads.rows == 103 and reads.linted == []


def test_a_pack_that_is_a_link_is_never_followed(corpus, capsys, tmp_path):
    cold = run(capsys)
    (pack,) = packs(corpus)
    target = tmp_path / "elsewhere.bin"
    target.write_bytes(pack.read_bytes())
    pack.unlink()
    pack.symlink_to(target)
    before = target.read_bytes()
    assert run(capsys) == cold
    assert target.read_bytes() == before  # written in place of the link, not through it
    assert not pack.is_symlink()


def test_few_files_keep_to_the_database(cli_env, capsys, monkeypatch):
    shutil.copytree(CORPUS / "_figures", cli_env / "records" / "_figures")
    monkeypatch.setattr(cache_pack, "MIN_FILES", 1000)
    cold = run(capsys)
    assert packs(cli_env) == []
    assert run(capsys) == cold


def test_a_pack_that_cannot_be_written_is_left_out(corpus, capsys, monkeypatch):
    """A full disk while the pack is written: the run goes on and prints
    the same; no pack, no temporary file left; the database answers."""
    cold = run(capsys, cache=False)

    def full(writer, data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cache_pack, "BLOCK", 8)
    monkeypatch.setattr(cache_pack.PackWriter, "_write", full)
    assert run(capsys) == cold
    # the database and the collection pass's memo; no pack, no temporary file
    assert sorted(p.suffix for p in (corpus / CACHE_DIR).iterdir()) == ["", ".sqlite3", ".xr"]
    reads = Reads(monkeypatch)
    assert run(capsys) == cold
    assert reads.linted == [] and reads.rows == 103


@pytest.mark.parametrize("how", ["fails", "absent"])
def test_blocks_are_copied_without_copy_file_range(corpus, capsys, monkeypatch, how):
    """Unchanged blocks are copied file to file where the system can, else
    read and written: the new pack answers the same either way."""
    monkeypatch.setattr(cache_pack, "BLOCK", 8)
    monkeypatch.setattr(cache_pack, "_flock", None)  # no lock: a new pack, blocks copied
    cold = run(capsys)
    if how == "absent":
        monkeypatch.delattr(os, "copy_file_range", raising=False)
    else:

        def fails(*args):
            raise OSError(18, "Invalid cross-device link")

        monkeypatch.setattr(os, "copy_file_range", fails, raising=False)
    record = sorted((corpus / "records" / "_figures").glob("*.md"))[50]
    record.write_text(record.read_text(encoding="utf-8") + "\n", "utf-8")
    assert run(capsys) == cold
    reads = Reads(monkeypatch)
    assert run(capsys) == cold
    assert reads.linted == [] and reads.rows == 0
