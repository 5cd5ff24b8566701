"""The results cache (SQLite, data only) and the incremental collection index.

Every test lints real files through the real command, in-process or in
subprocesses, and compares a cached run with a run without the cache.
"""

from __future__ import annotations

import json
import os
import pickle
import random
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from linter import engine
from linter.cli.main import main
from linter.pipeline.cache import (
    CACHE_DIR,
    SECRET_ENV,
    Cache,
    decode_index,
    decode_result,
    encode_index,
    encode_result,
)
from linter.pipeline.config import build_settings, load_config

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SEED = "PMC7773330__hs9-5-e516-g001.md"  # year '2021': a same-size edit breaks it


@pytest.fixture(autouse=True)
def secret(tmp_path, monkeypatch):
    """The secret key that seals the entries: each test's own, never the user's."""
    monkeypatch.setenv(SECRET_ENV, str(tmp_path / "secret"))


@pytest.fixture
def seeds(cli_env):
    """The four seed records in ``records/`` of an empty working directory."""
    shutil.copytree(SEEDS, cli_env / "records")
    return cli_env


def lint(capsys, *args, cache=True):
    """``pfocr-lint check ARGS --output-format json``: (exit code, findings, stderr)."""
    argv = ["check", *map(str, args), "--output-format", "json"]
    if not cache:
        argv.append("--no-cache")
    code = main(argv)
    out, err = capsys.readouterr()
    return code, json.loads(out), err


def databases(folder: Path) -> list[Path]:
    return sorted((folder / CACHE_DIR).glob("*.sqlite3"))


class Counting:
    """Counts the files the engine lints (a cache hit is not linted)."""

    def __init__(self, monkeypatch):
        self.files: list[str] = []
        real = engine.Linter.lint_file

        def counted(linter, path, filename):
            self.files.append(filename)
            return real(linter, path, filename)

        monkeypatch.setattr(engine.Linter, "lint_file", counted)


# -- a cache that CI can restore safely -----------------------------------------------
def test_warm_run_answers_from_the_cache_with_the_same_findings(seeds, capsys, monkeypatch):
    cold = lint(capsys, "records")
    assert cold[0] == 1 and cold[1]
    assert len(databases(seeds)) == 1
    counting = Counting(monkeypatch)
    assert lint(capsys, "records") == cold
    assert counting.files == []  # every file answered from the cache
    assert lint(capsys, "records", cache=False)[:2] == cold[:2]


def test_a_corrupt_cache_file_is_a_miss_and_is_replaced(seeds, capsys):
    cold = lint(capsys, "records")
    (db,) = databases(seeds)
    db.write_bytes(os.urandom(4096))  # not a database at all
    assert lint(capsys, "records") == cold
    (db,) = databases(seeds)
    with sqlite3.connect(db) as conn:  # rebuilt: a valid database with the entries
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT count(*) FROM entries").fetchone() == (4,)
    # a database truncated mid-page, then one of another schema version
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2 + 100])
    assert lint(capsys, "records") == cold
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE meta SET value = '0' WHERE name = 'schema'")
    assert lint(capsys, "records") == cold


def test_rows_that_do_not_decode_are_misses(seeds, capsys, monkeypatch):
    cold = lint(capsys, "records")
    (db,) = databases(seeds)
    bad = [
        "not json",
        json.dumps(
            [
                "records/" + SEED,
                [["NA101", "n", "fatal", "m", "f", "", None, None, None]],
                None,
                None,
            ]
        ),
        json.dumps(
            [
                "records/" + SEED,
                [["NA101", "n", "error", "m", "f", "", [1, 2], None, None]],
                None,
                None,
            ]
        ),
        json.dumps(["records/" + SEED, [], {"XR101": {"__reduce__": "os.system"}}, None]),
        json.dumps(
            ["records/" + SEED, [], {"_suppressions": [[1, "yes", ["XR101"], [[0, 5]]]]}, None]
        ),
        "[" * 100_000,  # deeper than the JSON decoder goes
    ]
    for text in bad:
        with pytest.raises((ValueError, TypeError, KeyError, IndexError, RecursionError)):
            decode_result(text)
    bad.append('["records/x.md", [], null, null]')  # another file's result
    counting = Counting(monkeypatch)
    for text in bad:
        with sqlite3.connect(db) as conn:
            conn.execute("UPDATE entries SET result = ? WHERE path LIKE ?", (text, f"%{SEED}"))
        assert lint(capsys, "records") == cold
    assert counting.files == [f"records/{SEED}"] * len(bad)  # that file alone, linted again


def test_a_pickle_in_the_cache_folder_is_never_loaded(seeds, capsys):
    """The cache never unpickles: a pickle that would create a file when
    loaded, written where the database and the old pickle cache lived, is
    never executed, and the run's findings are right."""
    cold = lint(capsys, "records")
    (db,) = databases(seeds)
    marker = seeds / "pwned"

    class Payload:
        def __reduce__(self):
            return (os.mkdir, (str(marker),))

    payload = pickle.dumps({"x": Payload()})
    db.write_bytes(payload)
    db.with_suffix(".pickle").write_bytes(payload)  # where pfocr-lint 0.1 kept its cache
    assert lint(capsys, "records") == cold
    assert not marker.exists()
    source = (ROOT / "linter" / "pipeline" / "cache.py").read_text(encoding="utf-8")
    assert "import pickle" not in source and "pickle.load" not in source


@pytest.mark.parametrize("key", ["mtime", "content"])
def test_a_same_size_edit_with_its_mtime_restored_is_not_served_stale(seeds, capsys, key):
    (seeds / "pfocr-lint.toml").write_text(f'cache-key = "{key}"\n', encoding="utf-8")
    record = seeds / "records" / SEED
    before = lint(capsys, "records")
    assert not any(f["code"] == "MD101" for f in before[1])
    st = record.stat()
    text = record.read_text(encoding="utf-8")
    assert "year: '2021'" in text
    record.write_text(text.replace("year: '2021'", "year: '2O21'"), encoding="utf-8")
    os.utime(record, ns=(st.st_atime_ns, st.st_mtime_ns))  # same size, same mtime
    assert record.stat().st_size == st.st_size
    after = lint(capsys, "records")
    assert any(f["code"] == "MD101" and f["filename"].endswith(SEED) for f in after[1])
    assert after[:2] == lint(capsys, "records", cache=False)[:2]


def test_content_key_survives_a_fresh_checkout(seeds, capsys, monkeypatch):
    """With ``cache-key = "content"`` new timestamps (a CI checkout) still hit."""
    (seeds / "pfocr-lint.toml").write_text('cache-key = "content"\n', encoding="utf-8")
    cold = lint(capsys, "records")
    for p in (seeds / "records").iterdir():
        os.utime(p, ns=(1_000_000_000, 1_000_000_000))
    counting = Counting(monkeypatch)
    assert lint(capsys, "records") == cold
    assert counting.files == []


def test_content_key_watches_the_sidecar_tables(cli_env, capsys, monkeypatch):
    figures, data = cli_env / "_figures", cli_env / "_data"
    figures.mkdir()
    data.mkdir()
    (cli_env / "pfocr-lint.toml").write_text('cache-key = "content"\n', encoding="utf-8")
    (figures / "PMC1__f1.md").write_text("---\nfigid: PMC1__f1\n---\n", encoding="utf-8")
    table = data / "PMC1__f1-genes.tsv"
    first = lint(capsys, "_figures", "--select", "FM107")
    assert first[1] == []
    table.write_text("", encoding="utf-8")  # a table appears: an empty one
    second = lint(capsys, "_figures", "--select", "FM107")
    assert [f["filename"] for f in second[1]] == ["_data/PMC1__f1-genes.tsv"]
    st = table.stat()
    table.write_text(" ", encoding="utf-8")  # edited, its mtime restored
    os.utime(table, ns=(st.st_atime_ns, st.st_mtime_ns))
    third = lint(capsys, "_figures", "--select", "FM107")
    assert third[1] != second[1]
    assert third[:2] == lint(capsys, "_figures", "--select", "FM107", cache=False)[:2]


def test_unknown_cache_key_is_a_configuration_error(seeds, capsys):
    (seeds / "pfocr-lint.toml").write_text('cache-key = "size"\n', encoding="utf-8")
    code = main(["check", "records"])
    assert code == 2
    assert "cache-key" in capsys.readouterr().err


def test_a_cache_path_that_is_a_file_is_a_warning_and_the_run_goes_on(seeds, capsys):
    expected = lint(capsys, "records", cache=False)
    (seeds / CACHE_DIR).write_text("not a folder\n", encoding="utf-8")
    code, found, err = lint(capsys, "records")
    assert (code, found) == expected[:2]
    assert "warning" in err and CACHE_DIR in err and "not a folder" in err
    assert (seeds / CACHE_DIR).read_text(encoding="utf-8") == "not a folder\n"


def test_a_database_that_cannot_be_written_is_a_warning(seeds, capsys):
    expected = lint(capsys, "records", cache=False)
    lint(capsys, "records")
    (db,) = databases(seeds)
    db.unlink()
    db.mkdir()  # a folder where the database should be: neither read nor replaced
    code, found, err = lint(capsys, "records")
    assert (code, found) == expected[:2]
    assert "warning" in err and db.name in err
    assert db.is_dir()


def test_no_cache_writes_nothing(seeds, capsys):
    lint(capsys, "records", cache=False)
    assert not (seeds / CACHE_DIR).exists()


def test_concurrent_runs_do_not_corrupt_the_cache(cli_env):
    """Two runs at once over the same files and cache, twice: each gives the
    findings of a run without the cache, and the database stays sound."""
    figures = cli_env / "_figures"
    figures.mkdir()
    seeds = sorted(SEEDS.glob("*.md"))
    for i in range(160):  # enough files for worker processes
        text = seeds[i % len(seeds)].read_text(encoding="utf-8")
        (figures / f"{i:03d}-{seeds[i % len(seeds)].name}").write_text(text, encoding="utf-8")
    cmd = [sys.executable, "-m", "linter", "check", "_figures", "--output-format", "concise"]
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    expected = subprocess.run(
        [*cmd, "--no-cache"], cwd=cli_env, capture_output=True, text=True, env=env
    )
    assert expected.returncode == 1 and expected.stdout
    for _ in range(2):
        procs = [
            subprocess.Popen(
                cmd, cwd=cli_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
            )
            for _ in range(2)
        ]
        for p in procs:
            out, err = p.communicate(timeout=300)
            assert p.returncode == 1, err
            assert out == expected.stdout
            assert err == ""
    (db,) = databases(cli_env)
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT count(*) FROM entries").fetchone() == (160,)


def test_stored_results_round_trip(seeds):
    settings = build_settings(load_config(None, seeds))
    linter = engine.Linter(settings)
    for p in sorted((seeds / "records").glob("*.md")):
        result = linter.lint_file(p, str(p))
        assert decode_result(encode_result(result)) == result
        index_only = decode_index(encode_index(result))
        assert (index_only.filename, index_only.index) == (result.filename, result.index)
        assert index_only.generation == result.generation and index_only.findings == []
    cache = Cache(seeds, settings)
    assert cache.key(seeds / "records") is None  # a folder is never keyed
    assert cache.key(seeds / "gone.md") is None


# -- the incremental collection index ---------------------------------------------------
def paper(figid: str, pmcid: str, number: str, year: str = "2019", title: str = "A study") -> str:
    return (
        f"---\nfigid: {figid}\npmcid: {pmcid}\nfigid_alias: {pmcid}__{number}\n"
        f"papertitle: {title}\nreftext: Doe J, et al. J Biol. {year};12(3):45-67\n"
        f"year: '{year}'\nnumber: {number}\n---\n"
    )


@pytest.fixture
def papers(cli_env):
    """A collection of 40 records, 4 figures per paper, no conflict."""
    figures = cli_env / "_figures"
    figures.mkdir()
    for p in range(10):
        for f in range(1, 5):
            figid = f"PMC{100 + p}__f{f}"
            (figures / f"{figid}.md").write_text(
                paper(figid, f"PMC{100 + p}", f"F{f}"), encoding="utf-8"
            )
    return cli_env


def xr_runs(capsys, counting=None):
    """A run with the cache and one without: both outputs, and the files the
    run with the cache linted (when counting)."""
    if counting is not None:
        counting.files.clear()
    cached = lint(capsys, "_figures", "--select", "XR,FM199")
    linted = list(counting.files) if counting is not None else None
    cold = lint(capsys, "_figures", "--select", "XR,FM199", cache=False)
    return cached, cold, linted


def rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    "old, new, codes",
    [
        ("figid: PMC103__f2", "figid: PMC103__f1", {"XR101"}),
        ("figid_alias: PMC103__F2", "figid_alias: PMC103__F1", {"XR103"}),
        ("year: '2019'", "year: '2018'", {"XR102"}),
        ("papertitle: A study", "papertitle: Another study", {"XR102"}),
        (":45-67\n", "\n", set()),  # a citation without pages agrees
        ("J Biol. 2019;12(3):45-67", "J Biol. 2019;12(3):45-68", {"XR102"}),
        # a conflict that the edited record's own comment suppresses there
        ("figid: PMC103__f2\n", "figid: PMC103__f1  # pfocr-lint: disable=XR101\n", {"XR101"}),
    ],
)
def test_incremental_index_matches_a_cold_run(papers, capsys, monkeypatch, old, new, codes):
    """One file edited to create a conflict, then edited back to remove it:
    the run with the cache reads that file only and reports exactly what a
    run without the cache reports."""
    assert xr_runs(capsys)[0][1] == []
    record = papers / "_figures" / "PMC103__f2.md"
    original = record.read_text(encoding="utf-8")
    counting = Counting(monkeypatch)
    rewrite(record, old, new)
    cached, cold, linted = xr_runs(capsys, counting)
    assert cached == cold
    assert {f["code"] for f in cached[1]} == codes
    assert linted == [str(Path("_figures", "PMC103__f2.md"))]  # that file only
    assert all(f["location"]["row"] > 1 for f in cached[1])  # located in the files
    record.write_text(original, encoding="utf-8")  # the conflict removed
    cached, cold, linted = xr_runs(capsys, counting)
    assert cached == cold and cached[1] == []
    assert linted == [str(Path("_figures", "PMC103__f2.md"))]


def test_index_holds_digests_not_strings(papers):
    settings = build_settings(load_config(None, papers))
    linter = engine.Linter(settings)
    path = papers / "_figures" / "PMC100__f1.md"
    index = linter.lint_file(path, str(path)).index
    assert isinstance(index["XR101"], bytes) and len(index["XR101"]) == 8
    assert isinstance(index["XR102"], bytes) and len(index["XR102"]) <= 80
    assert b"PMC100" not in b"".join(v for v in index.values() if isinstance(v, bytes))


class FakeRecord:
    def __init__(self, data):
        self.data = data


def test_paper_digests_agree_only_when_the_values_do():
    """Whenever the digests say a paper's records agree, the exact
    comparison finds no conflict (random groups of realistic values)."""
    from linter.engine import Context, Settings
    from linter.rules import xr

    ctx = Context(Settings(select=frozenset({"XR102"})))
    rng = random.Random(9)
    reftexts = [
        "Doe J. J Biol. 2019;12(3):45-67",
        "Doe J. J Biol. 2019;12(3)",
        "Doe J. J Biol. 2019;12(3):45-68",
        "Doe J. J Biol. 2019;12(3).",
        "Roe K. J Biol. 2019;12(3)",
        None,
    ]
    titles = ["A study", "A study.", "A  study", "Another study", None]
    dois = ["10.1/ABC", "10.1/abc", "10.1/abd", None]
    agreeing = conflicting = 0
    for _ in range(3000):
        group = []
        for i in range(rng.randint(2, 4)):
            fields = [rng.choice(titles), rng.choice(reftexts), "2019", rng.choice(dois)]
            fields += [None, None, None]
            if all(v is None for v in fields):
                continue
            data = {"pmcid": "PMC1", **dict(zip(xr.PAPER_FIELDS, fields))}
            group.append((f"f{i}.md", xr._paper_index(FakeRecord(data), ctx)))
        if len(group) < 2:
            continue
        exact = list(xr._paper_conflicts(group))
        if xr._paper_agrees([(f, xr._paper_compact(v)) for f, v in group]):
            agreeing += 1
            assert exact == [], group
        else:
            conflicting += 1
    assert agreeing > 100 and conflicting > 100


def test_sidecar_tables_may_exist_as_the_folder_listing_shows(tmp_path):
    """A file's key looks at the tables its folder's listing shows; the
    figids worked out once per folder give the answer a name-by-name look at
    the listing gives (case folded: ``ß`` and ``SS``, upper-case tables)."""
    from linter.reading.annotations import _may_exist

    figures, data = tmp_path / "_figures", tmp_path / "_data"
    figures.mkdir()
    data.mkdir()
    figids = ["PMC1__a", "PMC2__b", "PMC3__Straße", "PMC4__x", "PMC5__y-genes", "PMC6__z"]
    for figid in figids:
        (figures / f"{figid}.md").write_text("---\n---\n", encoding="utf-8")
    for name in ["PMC1__a-genes.tsv", "pmc2__B-CHEMICALS.TSV", "PMC3__STRASSE-diseases.tsv"]:
        (data / name).write_text("", encoding="utf-8")
    (data / "PMC5__y-genes-genes.tsv").write_text("", encoding="utf-8")
    (data / "-genes.tsv").write_text("", encoding="utf-8")  # no figid
    past = 1_000_000_000 * 1_000_000_000  # settled listings (2001)
    os.utime(data, ns=(past, past))
    settings = build_settings(load_config(start=tmp_path))
    cache = Cache(tmp_path, settings, key_mode="mtime")
    seen = 0
    for figid in figids:
        tables = cache._tables(str(figures / f"{figid}.md"))
        assert tables == [(t, _may_exist(t)) for t, _ in tables], figid
        seen += sum(present for _, present in tables)
    assert seen == 4


@pytest.mark.parametrize("mode", ["mtime", "content"])
def test_keys_of_a_run_are_each_file_key(tmp_path, monkeypatch, mode):
    """``Cache.keys`` (a run's files in order: one folder's files named from
    the last split, the clock read once) gives each file's ``key``: files of
    several folders, with tables and without, racy or settled, gone, not a
    regular file; and a change to a table or a file changes its key."""
    from linter.base import paths

    past = 1_000_000_000 * 1_000_000_000
    files = []
    for site in ("a", "b"):
        figures, data = tmp_path / site / "_figures", tmp_path / site / "_data"
        (figures / "sub").mkdir(parents=True)
        data.mkdir()
        for figid in ("PMC1__a", "PMC2__b", "PMC3__c"):
            (figures / f"{figid}.md").write_text(f"---\nfigid: {figid}\n---\n", encoding="utf-8")
            files.append(str(figures / f"{figid}.md"))
        (figures / "sub" / "PMC4__d.md").write_text("---\n---\n", encoding="utf-8")
        files.insert(len(files) - 1, str(figures / "sub" / "PMC4__d.md"))
        (data / "PMC2__b-genes.tsv").write_text("word\n", encoding="utf-8")
        (figures / "notes.txt").write_text("", encoding="utf-8")
        files.append(str(figures / "notes.txt"))
    files += [str(tmp_path / "a" / "_figures" / "gone.md"), str(tmp_path / "a" / "_figures")]
    for p in tmp_path.rglob("*"):
        if p.name != "PMC3__c.md" or "b" not in p.parts:  # one file stays racy
            os.utime(p, ns=(past, past))
    settings = build_settings(load_config(start=tmp_path))
    cache = Cache(tmp_path, settings, key_mode=mode)
    keys = cache.keys(files)
    assert keys == [cache.key(p) for p in files]
    assert keys[-2:] == [None, None]
    racy = files.index(str(tmp_path / "b" / "_figures" / "PMC3__c.md"))
    assert (type(keys[racy]) is tuple) == (mode == "mtime")
    monkeypatch.setattr(paths, "_POSIX", False)  # every name split: the same keys
    assert Cache(tmp_path, settings, key_mode=mode).keys(files) == keys
    table = tmp_path / "a" / "_data" / "PMC2__b-genes.tsv"
    table.write_text("word\nIL6\n", encoding="utf-8")
    os.utime(table, ns=(past, past + 1))
    again = Cache(tmp_path, settings, key_mode=mode).keys(files)
    changed = [f for f, k, k2 in zip(files, keys, again) if k != k2]
    assert changed == [str(tmp_path / "a" / "_figures" / "PMC2__b.md")]
