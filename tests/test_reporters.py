"""Output formats: full (rich, on a terminal), concise, json, github;
--statistics, --quiet, --no-color; record text never styles the terminal."""

from __future__ import annotations

import io
import json
import os
import pty
import re
import subprocess
import sys

import pytest
from conftest import SEEDS
from conftest import run_cli as run

from linter.base.model import Edit, Finding, Fix, Span
from linter.engine import FileResult
from linter.reporters import Summary, make_reporter

CLEAN = SEEDS / "PMC6457213__advances029850f7.md"
BAD = SEEDS / "PMC7773330__hs9-5-e516-g001.md"  # ID105 (14:10) + five NA101 (30..34)
NA = SEEDS / "PMC11745090__cbm-21-1156-g007.md"  # NA102 (5:3), unsafe fix
ANSI = re.compile(r"\x1b\[[0-9;]*m")


pytestmark = pytest.mark.usefixtures("cli_env")


def on_terminal(*args, cwd, env=None) -> tuple[int, str]:
    """Run the CLI with stdout on a pseudo-terminal; returns (exit code, output)."""
    master, slave = pty.openpty()
    full_env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "NO_COLOR")}
    full_env.update({"COLUMNS": "200", "TERM": "xterm-256color", **(env or {})})
    proc = subprocess.Popen(
        [sys.executable, "-m", "linter", *args],
        cwd=cwd,
        stdout=slave,
        stderr=subprocess.PIPE,
        env=full_env,
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    proc.wait(timeout=120)
    proc.stderr.close()
    return proc.returncode, b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def copy(src, dest):
    dest.write_bytes(src.read_bytes())
    return dest


# -- concise ---------------------------------------------------------------------------------
def test_concise_is_the_default_when_not_a_terminal(capsys, tmp_path):
    copy(BAD, tmp_path / BAD.name)
    copy(NA, tmp_path / NA.name)
    rc, out, err = run(capsys, "--select", "ID105,NA101,NA102", BAD.name, NA.name)
    lines = out.splitlines()
    assert lines[:3] == [
        f"{BAD.name}:14:10: ID105 [*] figlink 'pmc/articles/PMC7773330/figure/F1/': no "
        "leading slash; expected '/pmc/articles/PMC7773330/figure/F1/'",
        f"{BAD.name}:30:6: NA101 [*] /doi: '.na.character' is R's NA placeholder, expected "
        "the key left out",
        f"{BAD.name}:31:16: NA101 [*] /journal_title: '.na.character' is R's NA placeholder, "
        "expected the key left out",
    ]
    # an unsafe fix is not marked as fixable by --fix
    assert f"{NA.name}:5:3: NA102 /organisms/0: 'NA' is a textual null" in out
    # ruff's wording: the unsafe fix is counted as hidden, behind --unsafe-fixes
    assert lines[-2:] == [
        "Found 7 findings in 2 files (6 error, 1 warning).",
        "[*] 6 fixable with the `--fix` option "
        "(1 hidden fix can be enabled with the `--unsafe-fixes` option).",
    ]
    rc, out, err = run(capsys, "--unsafe-fixes", "--select", "ID105,NA101,NA102", BAD.name, NA.name)
    assert out.splitlines()[-1] == "[*] 7 fixable with the `--fix` option."
    rc, out, err = run(capsys, "--select", "NA102", NA.name)
    assert out.splitlines()[-1] == (
        "No fixes available (1 hidden fix can be enabled with the `--unsafe-fixes` option)."
    )


def test_quiet_prints_findings_only(capsys, tmp_path):
    copy(BAD, tmp_path / BAD.name)
    rc, out, err = run(capsys, "--quiet", "--select", "NA101", BAD.name)
    assert rc == 1
    assert len(out.splitlines()) == 5
    assert all(line.startswith(BAD.name) for line in out.splitlines())
    copy(CLEAN, tmp_path / CLEAN.name)
    assert run(capsys, "-q", CLEAN.name) == (0, "", "")


def test_statistics_concise(capsys, tmp_path):
    copy(BAD, tmp_path / BAD.name)
    copy(NA, tmp_path / NA.name)
    rc, out, err = run(
        capsys, "--statistics", "-q", "--select", "ID105,NA101,NA102", BAD.name, NA.name
    )
    rows = [line.split("\t") for line in out.splitlines() if "\t" in line]
    counts = {r[1]: (int(r[0]), *r[2:]) for r in rows if len(r) == 6}
    assert counts == {
        "NA101": (5, "na-character", "error", "5 safe fixes, 0 unsafe", "1 records"),
        "ID105": (1, "figlink", "error", "1 safe fix, 0 unsafe", "1 records"),
        "NA102": (1, "na-string", "warning", "0 safe fixes, 1 unsafe", "1 records"),
    }
    assert rows[0][1] == "NA101"  # the most frequent rule first
    assert "Found" not in out  # --quiet: no summary line
    assert f"{BAD.name}:" not in out  # the summary alone: no finding lines


def test_statistics_count_records_affected_and_the_summary_alone(capsys, tmp_path):
    copy(BAD, tmp_path / BAD.name)
    copy(BAD, tmp_path / "PMC1__copy.md")
    rc, out, err = run(capsys, "--statistics", "--select", "NA101,XR101", ".")
    rows = {r.split("\t")[1]: r.split("\t") for r in out.splitlines() if r.count("\t") == 5}
    assert rows["NA101"][0].strip() == "10" and rows["NA101"][5] == "2 records"
    assert rows["XR101"][0].strip() == "2" and rows["XR101"][3] == "error"
    assert "Found 12 findings in 2 files" in out
    assert not [line for line in out.splitlines() if ".md:" in line]
    code, out, _ = run(capsys, "--output-format", "json", "--statistics", ".", "--select", "NA101")
    (rule,) = json.loads(out)["rules"]
    assert rule == {
        "code": "NA101",
        "name": "na-character",
        "severity": "error",
        "count": 10,
        "fixable": 10,
        "safe_fixes": 10,
        "unsafe_fixes": 0,
        "records": 2,
    }


def test_statistics_github(capsys, tmp_path):
    copy(BAD, tmp_path / BAD.name)
    rc, out, err = run(
        capsys, "--statistics", "--output-format", "github", "--select", "NA101", BAD.name
    )
    assert (
        "     5\tNA101\tna-character\terror\t5 safe fixes, 0 unsafe\t1 records" in out.splitlines()
    )
    assert "::error" not in out  # the summary alone: no annotations


def test_statistics_full(capsys, tmp_path):
    copy(BAD, tmp_path / BAD.name)
    rc, out, err = run(
        capsys, "--statistics", "--output-format", "full", "--select", "ID105,NA101", BAD.name
    )
    assert "Findings by rule" in out
    # columns: code, name, count, severity, safe fixes, unsafe fixes, records
    assert "safe fixes" in out and "unsafe fixes" in out
    assert re.search(r"NA101\s*│\s*na-character\s*│\s*5\s*│\s*error\s*│\s*5\s*│\s*0\s*│\s*1", out)
    assert re.search(r"ID105\s*│\s*figlink\s*│\s*1", out)
    assert "figlink '" not in out  # the summary alone: no findings
    assert not ANSI.search(out)  # not a terminal: no colour


# -- json ------------------------------------------------------------------------------------
def test_json(capsys, tmp_path):
    copy(BAD, tmp_path / BAD.name)
    copy(NA, tmp_path / NA.name)
    copy(CLEAN, tmp_path / CLEAN.name)
    rc, out, err = run(
        capsys, "--output-format", "json", "--select", "ID105,NA101,NA102,NA104",
        BAD.name, NA.name, CLEAN.name,
    )  # fmt: skip
    assert rc == 1
    found = json.loads(out)  # the summary never breaks the JSON
    assert isinstance(found, list) and len(found) == 7
    first = found[0]
    required = {
        "code": "ID105",
        "name": "figlink",
        "severity": "error",
        "message": "figlink 'pmc/articles/PMC7773330/figure/F1/': no leading slash; "
        "expected '/pmc/articles/PMC7773330/figure/F1/'",
        "filename": BAD.name,
        "location": {"row": 14, "column": 10},
        "end_location": {"row": 14, "column": 44},
        "path": "/figlink",
    }
    assert {k: first[k] for k in required} == required
    assert "url" in first
    assert first["fix"]["applicability"] == "safe" and first["fix"]["message"]
    assert first["fix"]["edits"] == [
        {
            "content": "/pmc/articles/PMC7773330/figure/F1/",
            "offset": 312,
            "end_offset": 346,
            "location": {"row": 14, "column": 10},
            "end_location": {"row": 14, "column": 44},
        }
    ]
    na102 = [f for f in found if f["code"] == "NA102"][0]
    assert na102["fix"]["applicability"] == "unsafe"
    assert na102["path"] == "/organisms/0"


def test_json_fix_is_null_without_a_fix(capsys, tmp_path):
    (tmp_path / "PMC1__f1.md").write_text("---\na: 1\na: 2\n---\n")
    rc, out, err = run(capsys, "--output-format", "json", "--select", "FM", "PMC1__f1.md")
    [f] = json.loads(out)
    assert f["code"] == "FM103" and f["fix"] is None and "url" in f


def test_json_empty(capsys, tmp_path):
    copy(CLEAN, tmp_path / CLEAN.name)
    rc, out, err = run(capsys, "--output-format", "json", CLEAN.name)
    assert (rc, json.loads(out), err) == (0, [], "")


# -- github ----------------------------------------------------------------------------------
def test_github(capsys, tmp_path):
    copy(BAD, tmp_path / BAD.name)
    copy(NA, tmp_path / NA.name)
    rc, out, err = run(
        capsys, "--output-format", "github", "--select", "ID105,NA102,FM199", BAD.name, NA.name
    )
    lines = out.splitlines()
    assert lines[0] == (
        f"::error file={BAD.name},line=14,col=10,endLine=14,endColumn=44,title=ID105 figlink::"
        "ID105 figlink 'pmc/articles/PMC7773330/figure/F1/': no leading slash; "
        "expected '/pmc/articles/PMC7773330/figure/F1/'"
    )
    assert lines[1].startswith(f"::warning file={NA.name},line=5,col=3,")
    assert "title=NA102 na-string::NA102 " in lines[1]


def test_github_is_chosen_in_github_actions(capsys, tmp_path, monkeypatch):
    copy(BAD, tmp_path / BAD.name)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    rc, out, err = run(capsys, "--select", "ID105", BAD.name)
    assert out.startswith("::error file=")
    rc, out, err = run(capsys, "--select", "ID105", "--output-format", "concise", BAD.name)
    assert out.startswith(f"{BAD.name}:14:10: ID105")  # an explicit choice wins


def test_github_escapes_properties_and_data():
    f = Finding(
        "FM199", "unused-suppression", "info", "50% done\nnext\x1b[31mred",
        "dir,x/a:b.md", "", Span(1, 2, 3, 4, 0, 0),
    )  # fmt: skip
    out = io.StringIO()
    rep = make_reporter("github", out, step_summary=False)
    rep.start()
    rep.file(FileResult(f.filename, [f]))
    rep.finish(Summary(), quiet=True)  # annotations are written at the end, most severe first
    line = out.getvalue().splitlines()[0]
    assert line == (
        "::notice file=dir%2Cx/a%3Ab.md,line=1,col=2,endLine=3,endColumn=4,"
        "title=FM199 unused-suppression::FM199 50%25 done%0Anext\\x1b[31mred"
    )


# -- full ------------------------------------------------------------------------------------
def test_full_is_the_default_on_a_terminal(tmp_path):
    copy(BAD, tmp_path / BAD.name)
    rc, out = on_terminal("check", "--no-cache", "--select", "ID105", BAD.name, cwd=tmp_path)
    assert rc == 1
    assert ANSI.search(out)  # coloured
    plain = ANSI.sub("", out)
    assert f"{BAD.name}  (1 finding)" in plain
    assert "14:10 error   ID105 [*] figlink" in plain
    assert "> 14 │ figlink: pmc/articles/PMC7773330/figure/F1/" in plain
    assert "│          " + "^" * 34 in plain  # the caret under the value
    assert "Found 1 finding in 1 file (1 error)." in plain


@pytest.mark.parametrize("how", [["--no-color"], ["NO_COLOR"]])
def test_no_color_on_a_terminal(tmp_path, how):
    copy(BAD, tmp_path / BAD.name)
    env = {"NO_COLOR": "1"} if how == ["NO_COLOR"] else {}
    flags = [] if env else how
    rc, out = on_terminal(
        "check", "--no-cache", *flags, "--select", "ID105", BAD.name, cwd=tmp_path, env=env
    )
    assert rc == 1
    assert "\x1b" not in out
    assert "14:10 error   ID105" in out


def _hostile_record(tmp_path):
    text = CLEAN.read_text(encoding="utf-8")
    text = text.replace(
        "figid_alias: PMC6457213__F7",
        'figid_alias: "PMC6457213__F7[bold]red[/bold]\\e[31mEVIL"',  # YAML escape: no raw ESC
    )
    text = text.replace(
        "reftext: Pamela J. Sung, et al. Blood Adv. 2019 Apr 9;3(7)",
        "reftext: Pamela J. Sung, et al. [bold]red[/bold] Blood Adv. 2019 Apr 9;3(NA)",
    )
    p = tmp_path / CLEAN.name
    p.write_text(text, encoding="utf-8")
    return p


def test_record_text_is_escaped_on_a_terminal(tmp_path):
    p = _hostile_record(tmp_path)
    rc, out = on_terminal(
        "check", "--no-cache", "--output-format", "full", "--select", "ID103,NA104", p.name,
        cwd=tmp_path,
    )  # fmt: skip
    assert rc == 1
    assert "\x1b[31mEVIL" not in out
    plain = ANSI.sub("", out)
    assert "figid_alias 'PMC6457213__F7[bold]red[/bold]\\x1b[31mEVIL'" in plain
    assert 'figid_alias: "PMC6457213__F7[bold]red[/bold]\\e[31mEVIL"' in plain  # the line
    assert "et al. [bold]red[/bold] Blood Adv." in plain
    assert "NA104" in plain and "ID103" in plain


@pytest.mark.parametrize("fmt", ["concise", "github", "full"])
def test_record_text_is_escaped_in_every_text_format(capsys, tmp_path, fmt):
    p = _hostile_record(tmp_path)
    rc, out, err = run(capsys, "--output-format", fmt, "--select", "ID103,NA104", p.name)
    assert rc == 1
    assert "\x1b" not in out
    assert "[bold]red[/bold]" in out


def test_full_reporter_never_interprets_markup_or_escapes(tmp_path):
    src = tmp_path / "PMC1__f1.md"
    src.write_text("---\ncaption: [bold]x[/bold] \\e[31m\n---\n", encoding="utf-8")
    f = Finding(
        "NA104", "na-in-text", "warning", "value '[bold]x[/bold]\x1b[31mEVIL' \x9b2J",
        str(src), "/caption", Span(2, 10, 2, 25, 13, 28),
        Fix("safe", "fix it", (Edit(13, 28, "y"),)),
    )  # fmt: skip
    out = io.StringIO()
    rep = make_reporter("full", out, color=True)
    rep.start()
    rep.file(FileResult(f.filename, [f]))
    summary = Summary(files=1)
    summary.add([f])
    rep.finish(summary)
    text = out.getvalue()
    assert ANSI.search(text)  # coloured: a terminal console
    assert "\x1b[31mEVIL" not in text and "\x9b" not in text
    plain = ANSI.sub("", text)
    assert "value '[bold]x[/bold]\\x1b[31mEVIL' \\x9b2J" in plain
    assert "caption: [bold]x[/bold] \\e[31m" in plain


def test_json_statistics_is_a_json_object_of_counts(capsys):
    code, out, _ = run(capsys, "--output-format", "json", "--statistics", str(SEEDS))
    stats = json.loads(out)
    assert code == 1
    assert stats["files"] == 4
    counts = {r["code"]: r["count"] for r in stats["rules"]}
    assert counts["NA101"] == 5
    assert {g["generation"]: g["records"] for g in stats["generations"]} == {
        "A2": 2,
        "B": 1,
        "C": 1,
    }
