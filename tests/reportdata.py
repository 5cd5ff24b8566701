"""Helpers for the HTML report tests: which records to report on, and the
data a written report embeds."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, SEEDS

FIXTURE_CORPUS = ROOT / "tests" / "fixtures" / "corpus"

XSS_CAPTION = (
    "Evil </script><script>window.pwned = 1</script> caption "
    '<img src=x onerror="window.pwned = 2"> with IL (interleukin) and \u2028 end'
)


def corpus(tmp_path: Path) -> Path:
    """A copy of the corpus records (tests/fixtures/corpus, else the seeds)
    plus one hostile record, in a fresh folder."""
    dest = tmp_path / "collection"
    if FIXTURE_CORPUS.is_dir():
        shutil.copytree(FIXTURE_CORPUS, dest)
        figures = dest / "_figures" if (dest / "_figures").is_dir() else dest
    else:
        figures = dest / "_figures"
        shutil.copytree(SEEDS, figures)
    hostile(figures)
    return dest


def hostile(folder: Path) -> Path:
    """A record whose title and caption hold markup and an event handler,
    with findings (an NA organism, R's NA character) so it shows up."""
    figid = "PMC1234567__evil-g001"
    text = f"""---
figid: {figid}
figlink: /pmc/articles/PMC1234567/figure/F1/
number: F1
caption: {json.dumps(XSS_CAPTION)}
pmcid: PMC1234567
papertitle: '<b onmouseover="window.pwned = 3">bold</b> paper'
filename: evil-g001.jpg
figtitle: '<img src=x onerror="window.pwned = 4">'
year: '2021'
organisms:
- NA
doi: .na.character
---
"""
    path = folder / f"{figid}.md"
    path.write_text(text, encoding="utf-8")
    return path


def embedded(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', html, re.S)
    assert m, "no embedded data"
    return json.loads(m.group(1))


def build_report(tmp: Path) -> tuple[Path, Path, list[dict]]:
    """`pfocr-lint report` of :func:`corpus` in ``tmp``: the records' folder,
    the page, and the findings `check --output-format json` gives there."""
    from linter.cli.main import main

    src = corpus(tmp)
    out = tmp / "report.html"
    assert main(["report", "--no-cache", str(src), "-o", str(out)]) == 0
    cmd = [sys.executable, "-m", "linter", "check", "--no-cache", "--output-format", "json"]
    done = subprocess.run([*cmd, str(src)], capture_output=True, text=True)
    return src, out, json.loads(done.stdout)


NEW_FIGID = "PMC7654321__new-g001"


def new_record(folder: Path) -> Path:
    """A record added after the baseline was written: its findings are new
    (R's NA character in ``doi``: NA101, with a safe fix)."""
    path = folder / f"{NEW_FIGID}.md"
    path.write_text(
        f"""---
figid: {NEW_FIGID}
figlink: /pmc/articles/PMC7654321/figure/F1/
number: F1
caption: A new pathway figure.
pmcid: PMC7654321
papertitle: A new paper
filename: new-g001.jpg
figtitle: A new figure
year: '2022'
organisms:
- Homo sapiens
doi: .na.character
---
""",
        encoding="utf-8",
    )
    return path


def build_baseline_report(tmp: Path, *extra: str) -> tuple[Path, Path, list[dict], list[dict]]:
    """The corpus with a configured baseline of all its findings, then one
    new record: the records' folder, ``pfocr-lint report`` of it, the findings
    `check --no-baseline` gives there, and those `check` (with the baseline)
    gives."""
    from linter.cli.main import main

    src = corpus(tmp)
    figures = src / "_figures" if (src / "_figures").is_dir() else src
    assert (
        main(["check", "--no-cache", "--write-baseline", str(src / "baseline.json"), str(src)]) == 0
    )
    (src / "pfocr-lint.toml").write_text('baseline = "baseline.json"\n', encoding="utf-8")
    new_record(figures)
    out = tmp / "report.html"
    assert main(["report", "--no-cache", *extra, str(src), "-o", str(out)]) == 0
    cmd = [sys.executable, "-m", "linter", "check", "--no-cache", "--output-format", "json"]
    every = subprocess.run([*cmd, "--no-baseline", str(src)], capture_output=True, text=True)
    new = subprocess.run([*cmd, str(src)], capture_output=True, text=True)
    return src, out, json.loads(every.stdout), json.loads(new.stdout)
