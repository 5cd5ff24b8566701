"""Hostile file systems: special files (FIFOs) never block a run, file names
that are not UTF-8 or hold terminal escapes are reported escaped in every
format and whatever the output encoding, every stderr message is escaped,
``--output-format json`` leaves valid JSON on exit 2, and sidecar tables cost
memory bounded by the size cap. Runs that could hang run in a subprocess with
a timeout."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
from conftest import CORPUS, ROOT, SEEDS
from conftest import run_cli as run

from linter.base.textsafe import clean, unsurrogate
from linter.reading.annotations import read_table

pytestmark = pytest.mark.usefixtures("cli_env")

BAD = SEEDS / "PMC7773330__hs9-5-e516-g001.md"  # ID105 + five NA101
TABLED = "PMC10003241__ijms-24-04893-g003"  # a record with its three sidecar tables
GENES_HEADER = (
    "organism_id\torganism_name\torganism_group\tword\tmatch\tncbigene_symbol\t"
    "ncbigene_id\tsource\tcount_direct\tcount_synonym\tcount_match\n"
)
NOT_UTF8 = os.fsdecode(b"PMC1__\xe9.md")  # 'PMC1__\udce9.md'
ESCAPES = "PMC2__\x1b]8;;x\x07link\x1b]8;;\x07\x1b[31m.md"  # OSC-8, BEL, SGR


def cli(*args, cwd, env=None, timeout=60):
    """``pfocr-lint`` in a subprocess (bytes out): a hang fails the test."""
    full = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "NO_COLOR")}
    full.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "linter", *args],
        cwd=cwd,
        capture_output=True,
        env=full,
        timeout=timeout,
        check=False,
    )


def collection(tmp_path: Path) -> Path:
    (tmp_path / "_figures").mkdir()
    (tmp_path / "_data").mkdir()
    shutil.copy(CORPUS / "_figures" / f"{TABLED}.md", tmp_path / "_figures")
    for table in (CORPUS / "_data").glob(f"{TABLED}-*.tsv"):
        shutil.copy(table, tmp_path / "_data")
    return tmp_path


# -- special files -------------------------------------------------------------------
def test_fifos_in_folders_are_skipped_with_a_note_and_never_block(tmp_path):
    root = collection(tmp_path)
    (root / "other").mkdir()
    shutil.copy(BAD, root / "other" / BAD.name)
    os.mkfifo(root / "_figures" / "PMC9__fifo.md")  # where records are trusted unopened
    os.mkfifo(root / "other" / "PMC8__fifo.md")
    os.mkfifo(root / "other" / "notes.md")  # outside the record scope: no note
    os.mkfifo(root / "other" / "not-included.txt")  # outside `include`: no note
    genes = root / "_data" / f"{TABLED}-genes.tsv"
    genes.unlink()
    os.mkfifo(genes)  # a sidecar table that is a FIFO
    r = cli("check", "--no-cache", "--output-format", "json", ".", cwd=root)
    err = r.stderr.decode()
    assert r.returncode == 1, err
    found = json.loads(r.stdout)
    notes = [line for line in err.splitlines() if line.startswith("pfocr-lint: note:")]
    assert sorted(notes) == [
        f"pfocr-lint: note: ./{p}: skipped, a named pipe (FIFO), not a regular file"
        for p in ("_figures/PMC9__fifo.md", "other/PMC8__fifo.md")
    ]
    fm107 = [f for f in found if f["code"] == "FM107"]
    assert [(f["filename"], f["location"]) for f in fm107] == [
        (f"_data/{TABLED}-genes.tsv", {"row": 1, "column": 1})
    ]
    assert "not a regular file: a named pipe (FIFO)" in fm107[0]["message"]
    assert {f["filename"] for f in found} >= {f"other/{BAD.name}", f"_figures/{TABLED}.md"}


def test_fifo_given_directly_is_an_exit_2_error_naming_it(tmp_path):
    os.mkfifo(tmp_path / "PMC1__pipe.md")
    shutil.copy(BAD, tmp_path / BAD.name)
    for fmt in ("concise", "json"):
        r = cli(
            "check", "--no-cache", "--output-format", fmt, "PMC1__pipe.md", BAD.name, cwd=tmp_path
        )
        assert r.returncode == 2
        assert r.stderr.decode() == (
            "pfocr-lint: error: PMC1__pipe.md: a named pipe (FIFO), not a record file\n"
        )
        assert r.stdout == (b"[]\n" if fmt == "json" else b"")


def test_fifo_as_configuration_schema_or_baseline_is_an_error_not_a_hang(tmp_path):
    os.mkfifo(tmp_path / "conf.toml")
    r = cli("check", "--no-cache", "--config", "conf.toml", cwd=tmp_path)
    assert r.returncode == 2
    assert r.stderr.decode() == (
        "pfocr-lint: configuration error: conf.toml: cannot read: "
        "not a regular file: a named pipe (FIFO)\n"
    )
    os.mkfifo(tmp_path / "schema.json")
    (tmp_path / "pyproject.toml").write_text('[tool.pfocr-lint]\nschema = "schema.json"\n')
    r = cli("check", "--no-cache", ".", cwd=tmp_path)
    assert r.returncode == 2
    assert b"schema.json' is not a regular file" in r.stderr
    (tmp_path / "pyproject.toml").unlink()
    os.mkfifo(tmp_path / "baseline.json")
    r = cli("check", "--no-cache", "--baseline", "baseline.json", ".", cwd=tmp_path)
    assert r.returncode == 2
    assert b"baseline.json: cannot read the baseline: not a regular file" in r.stderr


def test_fifo_sidecar_shown_by_the_full_reporter_without_blocking(tmp_path):
    root = collection(tmp_path)
    genes = root / "_data" / f"{TABLED}-genes.tsv"
    genes.unlink()
    os.mkfifo(genes)
    r = cli("check", "--no-cache", "--output-format", "full", "--select", "FM107", ".", cwd=root)
    assert r.returncode == 1
    assert b"FM107 genes table: cannot read the file: not a regular file" in r.stdout


# -- file names ------------------------------------------------------------------------
def test_escape_helpers():
    assert unsurrogate(NOT_UTF8) == "PMC1__\\xe9.md"
    assert clean(NOT_UTF8) == "PMC1__\\xe9.md"  # the same escape on the terminal
    assert clean("a\x1b[31mb\x07\u009b") == "a\\x1b[31mb\\x07\\x9b"
    assert unsurrogate("é \x1b") == "é \x1b"  # JSON escapes the rest itself
    assert clean("\ud800") == "\\ud800" and unsurrogate("\ud800") == "\\ud800"


@pytest.mark.parametrize("encoding", ["utf-8", "ascii", "latin-1"])
def test_non_utf8_file_name_in_json_whatever_the_output_encoding(tmp_path, encoding):
    (tmp_path / "recs").mkdir()
    shutil.copy(BAD, os.path.join(tmp_path, "recs", NOT_UTF8))
    shutil.copy(BAD, tmp_path / "recs" / BAD.name)  # XR101 names the other file in a message
    r = cli(
        "check", "--no-cache", "--output-format", "json", "recs",
        cwd=tmp_path, env={"PYTHONIOENCODING": encoding},
    )  # fmt: skip
    assert r.returncode == 1, r.stderr
    text = r.stdout.decode("utf-8")  # valid UTF-8 ...
    if encoding != "utf-8":
        assert text.isascii()  # ... and ASCII when the output cannot take more
    found = json.loads(text)
    names = {f["filename"] for f in found}
    assert names == {"recs/PMC1__\\xe9.md", f"recs/{BAD.name}"}
    xr = [f["message"] for f in found if f["code"] == "XR101"]
    assert any("recs/PMC1__\\xe9.md" in m for m in xr)
    assert b"Traceback" not in r.stderr


@pytest.mark.parametrize(
    "encoding,fmt",
    [("utf-8", "concise"), ("ascii", "concise"), ("ascii", "full"), ("latin-1", "github")],
)
def test_non_utf8_file_name_on_the_terminal_formats(tmp_path, encoding, fmt):
    (tmp_path / "recs").mkdir()
    shutil.copy(BAD, os.path.join(tmp_path, "recs", NOT_UTF8))
    r = cli(
        "check", "--no-cache", "--output-format", fmt, "recs",
        cwd=tmp_path, env={"PYTHONIOENCODING": encoding},
    )  # fmt: skip
    assert r.returncode == 1, r.stderr
    assert b"recs/PMC1__\\xe9.md" in r.stdout
    assert b"\xe9" not in r.stdout and b"Traceback" not in r.stderr
    r.stdout.decode("utf-8")  # nothing undecodable was written
    tail = r.stdout.rstrip().splitlines()[-1]
    assert tail.startswith((b"Found", b"[*]"))  # written to the end


@pytest.mark.parametrize("fmt", ["sarif", "gitlab", "junit", "csv"])
def test_non_utf8_file_name_in_the_ci_formats(capsys, tmp_path, fmt):
    (tmp_path / "recs").mkdir()
    shutil.copy(BAD, os.path.join(tmp_path, "recs", NOT_UTF8))
    rc, out, err = run(capsys, "--output-format", fmt, "recs")
    assert rc == 1, err
    out.encode("utf-8")  # no lone surrogate: writable as UTF-8
    if fmt == "sarif":
        [loc] = json.loads(out)["runs"][0]["results"][0]["locations"]
        assert loc["physicalLocation"]["artifactLocation"]["uri"] == "recs/PMC1__%E9.md"
    elif fmt == "gitlab":
        assert json.loads(out)[0]["location"]["path"] == "recs/PMC1__\\xe9.md"
    else:
        assert "PMC1__\\xe9.md" in out


# -- stderr ----------------------------------------------------------------------------
def test_every_stderr_message_escapes_terminal_controls(capsys, tmp_path):
    (tmp_path / "recs").mkdir()
    (tmp_path / "recs" / ESCAPES).symlink_to(tmp_path / "nowhere.md")  # an error
    os.mkfifo(tmp_path / "recs" / ("PMC3__\x1b[2J" + NOT_UTF8))  # a note
    shutil.copy(BAD, tmp_path / "recs" / BAD.name)
    rc, out, err = run(capsys, "--output-format", "concise", "recs")
    assert rc == 2
    assert f"recs/{BAD.name}:14:10: ID105" in out  # the rest is linted
    assert not any(c in err for c in "\x1b\x07\x9b") and "\udce9" not in err
    assert "recs/PMC2__\\x1b]8;;x\\x07link\\x1b]8;;\\x07\\x1b[31m.md: cannot read" in err
    assert "recs/PMC3__\\x1b[2JPMC1__\\xe9.md: skipped, a named pipe (FIFO)" in err
    # given directly: the path error, the usage error and the rule error too
    for args in (["check", "--no-cache", ESCAPES], ["check", f"--select={ESCAPES}"]):
        rc, out, err = run(capsys, *args, check=False)
        assert rc == 2 and "\x1b" not in err and "\\x1b" in err, err
    rc, out, err = run(capsys, "rule", "\x1b[31mX", check=False)
    assert rc == 2 and err.startswith("pfocr-lint: error: unknown rule code '\\x1b[31mX'")
    assert "\x1b" not in err


# -- JSON on exit 2 --------------------------------------------------------------------
@pytest.mark.parametrize(
    "args",
    [
        ["--bogus-option"],
        ["no-such-folder"],
        ["--select", "NOPE999"],
        ["--config", "missing.toml"],
    ],
)
def test_json_output_on_an_exit_2_error_is_an_empty_list(capsys, args):
    rc, out, err = run(capsys, "--output-format", "json", *args)
    assert rc == 2
    assert json.loads(out) == []
    assert err.startswith("pfocr-lint: ") and err.count("\n") == 1
    rc, out, err = run(capsys, "--output-format=json", "--statistics", *args)
    assert rc == 2
    assert json.loads(out) == {"files": 0, "rules": [], "generations": []}


def test_json_output_when_some_files_cannot_be_linted_lists_the_others(capsys, tmp_path):
    (tmp_path / "recs").mkdir()
    shutil.copy(BAD, tmp_path / "recs" / BAD.name)
    (tmp_path / "recs" / "PMC1__gone.md").symlink_to(tmp_path / "nowhere.md")
    rc, out, err = run(capsys, "--output-format", "json", "recs")
    assert rc == 2
    assert {f["filename"] for f in json.loads(out)} == {f"recs/{BAD.name}"}
    assert "recs/PMC1__gone.md: cannot read" in err


def test_json_output_stays_valid_when_the_run_dies_midway(capsys, tmp_path, monkeypatch):
    import linter.pipeline.check

    (tmp_path / "recs").mkdir()
    for name in ("PMC1__a.md", "PMC2__b.md"):
        shutil.copy(BAD, tmp_path / "recs" / name)
    real = linter.pipeline.check.Check.results

    def dying(self, **kw):
        it = real(self, **kw)
        yield next(it)
        raise RuntimeError("boom")

    monkeypatch.setattr(linter.pipeline.check.Check, "results", dying)
    rc, out, err = run(capsys, "--output-format", "json", "recs")
    assert rc == 2 and "internal error: RuntimeError: boom" in err
    assert {f["filename"] for f in json.loads(out)} == {"recs/PMC1__a.md"}


@pytest.mark.parametrize("debug", [False, True])
def test_a_failing_rule_names_itself_and_its_traceback_only_when_debugging(monkeypatch, debug):
    """A rule that raises is an internal error naming the file and the rule;
    ``PFOCR_LINT_DEBUG`` adds the traceback."""
    from dataclasses import replace

    from linter.engine import Linter
    from linter.pipeline.config import build_settings, load_config

    if debug:
        monkeypatch.setenv("PFOCR_LINT_DEBUG", "1")
    else:
        monkeypatch.delenv("PFOCR_LINT_DEBUG", raising=False)
    linter = Linter(build_settings(load_config(start=SEEDS)))
    rule = next(r for r in linter.record_rules if r.code == "MD111")

    def boom(rec, ctx):
        raise RuntimeError("boom")

    linter.record_rules = [
        replace(rule, func=boom) if r is rule else r for r in linter.record_rules
    ]
    seed = next(SEEDS.glob("*.md"))
    result = linter.lint_text(seed.read_text(encoding="utf-8"), "a.md")
    assert result.error is not None
    assert "rule MD111" in result.error and "RuntimeError: boom" in result.error
    assert ("Traceback (most recent call last)" in result.error) is debug


# -- sidecar tables: bounded ---------------------------------------------------------------
def _genes_table(path: Path, rows: int) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(GENES_HEADER)
        for i in range(rows):
            fh.write(f"9606\tHomo sapiens\tMammals\tG{i}\tG{i}\tS{i}\t{i + 1}\tncbigene\t1\t0\t1\n")


def test_a_table_over_the_size_cap_is_fm107_and_never_read(tmp_path):
    table = tmp_path / "big-genes.tsv"
    with open(table, "wb") as fh:
        fh.write(GENES_HEADER.encode())
        fh.truncate(64 * 1024 * 1024)  # 64 MiB (sparse): reading it would show
    tracemalloc.start()
    try:
        t = read_table(table, "big-genes.tsv", "genes")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 64 * 1024
    assert not t.usable and not t.entries
    [p] = t.problems
    assert p.message == "genes table: larger than 1048576 bytes (max-file-size), not read"
    assert (p.span.line, p.span.col) == (1, 1)


def test_table_memory_is_linear_and_small_below_the_cap(tmp_path):
    """tracemalloc's peak (deterministic) of reading a table near the cap, per
    byte of table: entries included, a few times the table's size."""
    table = tmp_path / "genes.tsv"
    _genes_table(table, 4000)
    size = table.stat().st_size
    assert 0.2e6 < size < 1024 * 1024
    tracemalloc.start()
    try:
        t = read_table(table, "genes.tsv", "genes")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert t.usable and len(t.entries) == 4000 and not t.problems
    assert t.entries[-1].span.line == 4001
    assert peak < 25 * size, peak / size


def test_max_file_size_caps_tables_too(capsys, tmp_path):
    root = collection(tmp_path)
    (root / "pyproject.toml").write_text("[tool.pfocr-lint]\nmax-file-size = 200000\n")
    _genes_table(root / "_data" / f"{TABLED}-genes.tsv", 5000)
    rc, out, err = run(capsys, "--output-format", "json", "--select", "FM107", ".")
    assert rc == 1, err
    [f] = json.loads(out)
    assert f["message"] == "genes table: larger than 200000 bytes (max-file-size), not read"


def test_kw101_findings_stay_linear_in_the_table_rows(capsys, tmp_path):
    root = collection(tmp_path)
    _genes_table(root / "_data" / f"{TABLED}-genes.tsv", 500)
    rc, out, err = run(capsys, "--output-format", "json", "--select", "KW101", ".")
    [f] = json.loads(out)
    assert f["message"].startswith("500 annotation words are not in schema-jsonld.keywords: 'S0'")
    assert f["message"].endswith("and 495 more")


def test_kw102_fix_is_carried_by_the_first_twenty_findings_only(capsys, tmp_path):
    rec = tmp_path / "_figures" / f"{TABLED}.md"
    collection(tmp_path)
    text = rec.read_text(encoding="utf-8")
    extra = "".join(f"  - NOPE{i}\n" for i in range(30))
    text = text.replace("  keywords:\n", "  keywords:\n" + extra, 1)
    assert "NOPE29" in text
    rec.write_text(text, encoding="utf-8")
    rc, out, err = run(capsys, "--output-format", "json", "--select", "KW102", ".")
    found = json.loads(out)
    assert len(found) == 30
    assert [f["fix"] is not None for f in found] == [True] * 20 + [False] * 10
    rc, out, err = run(capsys, "--fix", "--unsafe-fixes", "--select", "KW102", ".")
    assert "NOPE" not in rec.read_text(encoding="utf-8")  # one fix fixes them all


def test_big_table_bench_script_exists_and_documents_itself():
    text = (ROOT / "bench" / "big_table.py").read_text()
    assert "peak RSS" in text and "--mb" in text
