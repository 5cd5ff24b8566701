"""``check --stdin-filename NAME`` (the record on stdin, findings in NAME, its
configuration and sidecar tables; ``--fix`` prints the fixed text) and
``check --watch`` (a short-lived process sees a file change and lints again)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import CORPUS

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "PMC7773330__hs9-5-e516-g001.md"
B_RECORD = "PMC10003241__ijms-24-04893-g003"
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
ENV.pop("GITHUB_ACTIONS", None)


def cli(args, cwd, stdin: bytes = b""):
    return subprocess.run(
        [sys.executable, "-m", "linter", "check", "--no-cache", *args],
        input=stdin,
        capture_output=True,
        cwd=cwd,
        env=ENV,
        timeout=120,
    )


@pytest.fixture
def tree(tmp_path):
    (tmp_path / "_figures").mkdir()
    (tmp_path / "_data").mkdir()
    shutil.copy(SEED, tmp_path / "_figures" / SEED.name)
    return tmp_path


def test_stdin_findings_are_located_in_the_name(tree):
    raw = SEED.read_bytes()
    res = cli(["--stdin-filename", f"_figures/{SEED.name}"], tree, raw)
    assert res.returncode == 1, res.stderr
    out = res.stdout.decode()
    assert f"_figures/{SEED.name}:14:10: ID105" in out
    assert out.count(": NA101") == 5
    # the same as linting the file
    same = cli([f"_figures/{SEED.name}"], tree)
    assert same.stdout.decode() == out


def test_stdin_uses_the_configuration_of_the_name(tree):
    (tree / "_figures" / "pfocr-lint.toml").write_text('ignore = ["NA101"]\n', encoding="utf-8")
    res = cli(["--stdin-filename", f"_figures/{SEED.name}"], tree, SEED.read_bytes())
    out = res.stdout.decode()
    assert "NA101" not in out and "ID105" in out


def test_stdin_reads_the_sidecar_tables_of_the_name(tree):
    shutil.copy(CORPUS / "_figures" / f"{B_RECORD}.md", tree / "_figures")
    table = tree / "_data" / f"{B_RECORD}-genes.tsv"
    shutil.copy(CORPUS / "_data" / table.name, table)
    lines = table.read_text(encoding="utf-8").split("\n")
    lines[9] = lines[9].replace("\t", " ", 1)
    table.write_text("\n".join(lines), encoding="utf-8")
    raw = (tree / "_figures" / f"{B_RECORD}.md").read_bytes()
    res = cli(["--stdin-filename", f"_figures/{B_RECORD}.md", "--select", "FM107"], tree, raw)
    assert f"_data/{B_RECORD}-genes.tsv:10:1: FM107" in res.stdout.decode()


def test_stdin_fix_prints_the_fixed_text(tree):
    raw = SEED.read_bytes()
    res = cli(["--stdin-filename", f"_figures/{SEED.name}", "--fix"], tree, raw)
    fixed = res.stdout.decode()
    assert res.returncode == 0, res.stderr
    assert ".na.character" not in fixed
    assert "figlink: /pmc/articles/PMC7773330/figure/F1/" in fixed
    assert "Fixed 6 problem(s)." in res.stderr.decode()
    # the file on disk is untouched, and the printed text is what --fix writes
    assert (tree / "_figures" / SEED.name).read_bytes() == raw
    cli(["--fix", f"_figures/{SEED.name}"], tree)
    assert (tree / "_figures" / SEED.name).read_text(encoding="utf-8") == fixed


def test_stdin_fix_leaves_bytes_that_are_not_utf8_as_they_were(tree):
    raw = b"---\ntitle: caf\xe9\n---\n"
    res = cli(["--stdin-filename", "_figures/PMC1__x.md", "--fix"], tree, raw)
    assert res.stdout == raw
    assert "_figures/PMC1__x.md:2:11: FM105" in res.stderr.decode()


def test_stdin_refuses_paths(tree):
    res = cli(["--stdin-filename", "a.md", "_figures"], tree, b"")
    assert res.returncode == 2 and "give no PATH" in res.stderr.decode()


def test_watch_lints_again_after_a_change(tree):
    pytest.importorskip("watchfiles")
    record = tree / "_figures" / SEED.name
    record.write_text(SEED.read_text(encoding="utf-8").replace(".na.character", "x"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "linter", "check", "--no-cache", "--watch", "_figures"],
        cwd=tree,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    seen: list[str] = []

    def read():
        for line in proc.stdout:
            seen.append(line.decode())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()

    def wait_for(text: str, count: int = 1) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if "".join(seen).count(text) >= count:
                return
            time.sleep(0.1)
        raise AssertionError(f"{text!r} not seen:\n{''.join(seen)}")

    try:
        wait_for("Watching for file changes.")
        assert "NA101" not in "".join(seen) and "ID105" in "".join(seen)
        time.sleep(0.5)
        record.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
        wait_for("File change detected")
        wait_for("Watching for file changes.", 2)
        after = "".join(seen).split("File change detected", 1)[1]
        assert after.count(": NA101") == 5
        assert proc.poll() is None  # still watching
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        reader.join(timeout=10)


@pytest.mark.parametrize(
    ("module", "argv", "says"),
    [
        ("pygls", ["server"], "the server needs pygls: pip install 'pfocr-lint[server]'"),
        ("watchfiles", ["check", "--watch", "."], "pip install 'pfocr-lint[watch]'"),
    ],
)
def test_missing_extra_says_what_to_install(tmp_path, module, argv, says):
    code = (
        f"import sys; sys.modules[{module!r}] = None\n"
        f"from linter.cli.main import main; sys.exit(main({argv!r}))"
    )
    res = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=ENV, cwd=tmp_path
    )
    assert res.returncode == 2
    assert says in res.stderr


def test_stdin_diff_prints_the_patch(tree):
    raw = SEED.read_bytes()
    res = cli(["--stdin-filename", f"_figures/{SEED.name}", "--diff"], tree, raw)
    out = res.stdout.decode()
    assert f"--- a/_figures/{SEED.name}" in out
    assert "-doi: .na.character" in out
    assert "+figlink: /pmc/articles/PMC7773330/figure/F1/" in out
    assert (tree / "_figures" / SEED.name).read_bytes() == raw
