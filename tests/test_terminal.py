"""The terminal output as a person reads it: colour switches, wrapped
messages kept under their finding, a rule's help said once per record,
sidecar frames with the header and the column, and `rule` suggestions."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from conftest import SEEDS
from conftest import run_cli as run

from linter.base.model import Span
from linter.reporters import want_color
from linter.reporters.frame import code_frame

ANSI = re.compile(r"\x1b\[[0-9;]*m")
GN106_SEED = str(SEEDS / "PMC6566596__ijms-20-02505-g004.md")


class _Tty:
    def __init__(self, tty):
        self.tty = tty

    def isatty(self):
        return self.tty


@pytest.mark.parametrize(
    "choice, env, tty, expected",
    [
        (None, {}, True, True),
        (None, {}, False, False),
        ("auto", {"NO_COLOR": "1"}, True, False),
        (None, {"FORCE_COLOR": "1"}, False, True),
        (None, {"FORCE_COLOR": "0"}, True, True),
        (None, {"FORCE_COLOR": "0"}, False, False),
        (None, {"NO_COLOR": "1", "FORCE_COLOR": "1"}, False, False),
        ("always", {"NO_COLOR": "1"}, False, True),
        ("never", {"FORCE_COLOR": "1"}, True, False),
    ],
)
def test_want_color(choice, env, tty, expected):
    assert want_color(choice, _Tty(tty), env) is expected


def _cli(*args, env_extra=None):
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "linter", *args], capture_output=True, text=True, env=env
    )


def test_color_switches_on_piped_output():
    base = ("check", "--no-cache", "--output-format", "full", GN106_SEED)
    assert ANSI.search(_cli(*base, "--color", "always").stdout)
    assert not ANSI.search(_cli(*base).stdout)
    assert ANSI.search(_cli(*base, env_extra={"FORCE_COLOR": "1"}).stdout)
    assert not ANSI.search(_cli(*base, "--no-color", env_extra={"FORCE_COLOR": "1"}).stdout)
    assert not ANSI.search(_cli(*base, "--color", "never", env_extra={"FORCE_COLOR": "1"}).stdout)


def test_wrapped_message_stays_under_its_finding(capsys):
    code, out, _ = run(capsys, "--output-format", "full", GN106_SEED)
    lines = out.splitlines()
    heads = [i for i, ln in enumerate(lines) if re.match(r"^\s+\d+:\d+ (error|warning|info)", ln)]
    assert heads
    indent = lines[heads[0]].index("GN106") + len("GN106 ")
    wrapped = 0
    for i in heads:
        j = i + 1
        while j < len(lines) and not re.match(r"^\s+[> ] *\d+ │", lines[j]) and lines[j].strip():
            assert lines[j].startswith(" " * indent) and lines[j][indent] != " ", lines[j]
            wrapped += 1
            j += 1
    assert wrapped  # the seed's GN106 messages are longer than a line
    assert all(len(ln) <= 100 for ln in lines)


def test_rule_help_said_once_per_record(capsys):
    code, out, _ = run(capsys, "--output-format", "full", GN106_SEED)
    assert out.count(" GN106 ") >= 2 + 1  # several findings...
    helps = [ln for ln in out.splitlines() if ln.strip().startswith("= GN106")]
    assert len(helps) == 1  # ...one explanation
    assert "pfocr-lint rule GN106" in out


def test_sidecar_frame_shows_the_header_and_marks_the_column():
    lines = [
        "organism_id\torganism_name\tword\tmatch\tncbigene_symbol",
        "9606\tHomo sapiens\tLRP5\tLRP5\tLRP5",
        "9606\tHomo sapiens\tCPT1\tCPT1\tCHPT1",
    ]
    span = Span(3, 1, 3, len(lines[2]) + 1, 0, 0)
    message = "word 'CPT1' (ncbigene_symbol 'CHPT1') is the caption's abbreviation"
    frame = code_frame(lines, span, "_data/x-genes.tsv", message)
    assert [fl.number for fl in frame] == [1, 0, 3]
    header, gap, row = frame
    assert header.text[slice(*header.mark)] == "word"
    assert row.text[slice(*row.mark)] == "CPT1"
    assert gap.mark is None and gap.text == "…"
    # a value the message quotes without its column's name
    frame = code_frame(lines, span, "_data/x-genes.tsv", "chemical 'CHPT1' repeats line 2")
    assert frame[-1].text[slice(*frame[-1].mark)] == "CHPT1"
    # a YAML frame keeps its context lines and marks the span
    yaml = ["a: 1", "b: oops", "c: 3"]
    frame = code_frame(yaml, Span(2, 4, 2, 8, 0, 0), "r.md")
    assert [(fl.number, fl.mark) for fl in frame] == [(1, None), (2, (3, 7)), (3, None)]


def test_rule_suggests_the_nearest_codes(capsys):
    code, out, err = run(capsys, "rule", "XX1", check=False)
    assert code == 2
    assert "unknown rule code 'XX1'" in err and "did you mean" in err
    assert re.search(r"XR10\d", err)
    code, out, err = run(capsys, "rule", "NA11", check=False)
    assert "NA101" in err
    code, out, err = run(capsys, "rule", "duplicate-entrz", check=False)
    assert "GN101 (duplicate-entrez)" in err


@pytest.mark.parametrize("width", [80, 160])
def test_table_frame_fits_the_terminal_and_marks_its_column(tmp_path, width):
    """At 80 and 160 columns: no frame line is wider than the terminal, the
    header and the row are aligned, and the carets sit under the column."""
    import io

    from linter.base.model import Finding
    from linter.engine import FileResult
    from linter.reporters.full import FullReporter

    cells = ["9606", "Homo sapiens", "Primates", "filler " * 6, "CPT1", "CHPT1", "56994"]
    header = ["organism_id", "organism_name", "organism_group", "note", "word", "symbol", "id"]
    table = tmp_path / "x-genes.tsv"
    table.write_text("\t".join(header) + "\n" + "\t".join(cells) + "\n", encoding="utf-8")
    line = "\t".join(cells)
    f = Finding(
        "GN106",
        "abbreviation-collision",
        "warning",
        "word 'CPT1' (symbol 'CHPT1') is the caption's abbreviation 'CPT1/2' of 'carnitine "
        "palmitoyltransferase 1/2', which does not describe CHPT1",
        str(table),
        "",
        Span(2, 1, 2, len(line) + 1, 0, 0),
    )
    out = io.StringIO()
    FullReporter(out, width=width).file(FileResult(str(table), [f]))
    lines = out.getvalue().splitlines()
    body = lines[1:]  # after the file's name
    assert all(len(ln) <= width for ln in body), max(body, key=len)
    framed = [i for i, ln in enumerate(lines) if re.match(r"^   > +\d+ │ ", ln)]
    assert len(framed) == 2  # the header and the row
    for i in framed:
        caret = lines[i + 1]
        at = caret.index("^")
        n = len(caret.strip().split("│")[-1].strip())
        assert lines[i][at : at + n] in ("word", "CPT1")
    assert lines[framed[0]].index("word") == lines[framed[1]].index("CPT1")  # aligned
