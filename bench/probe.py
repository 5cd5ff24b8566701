"""Records written from general vocabulary and linted with one rule: what
``bench/abbreviations/general.py`` (GN106) and ``bench/content/general.py``
(GN109) share. A row of their TSV files is judged ``collision`` (the rule
should accuse the record), ``ok`` (it should not) or ``unsure`` (not
scored)."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def front_matter(data: dict) -> str:
    return "---\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True) + "---\n"


def accused(records: list[str], code: str) -> list[bool]:
    """Whether ``code`` reports each record (front matter texts), linted in a
    temporary ``_figures`` folder by this checkout's linter."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from linter.cli.main import main

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "_figures"
        folder.mkdir()
        for n, text in enumerate(records):
            (folder / f"r{n:04d}.md").write_text(text, encoding="utf-8")
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            main(
                [
                    "check",
                    str(folder),
                    "--no-cache",
                    "--select",
                    code,
                    "--output-format",
                    "json",
                    "--exit-zero",
                    "--quiet",
                ]
            )
    hit = {Path(f["filename"]).stem for f in json.loads(out.getvalue())}
    return [f"r{n:04d}" in hit for n in range(len(records))]


def score(rows: list[dict], flagged: list[bool]) -> dict:
    """Recall on the collisions, false alarms on the ok rows, and the rows
    behind each."""
    pairs = list(zip(rows, flagged, strict=True))
    collisions = [(r, h) for r, h in pairs if r["verdict"] == "collision"]
    oks = [(r, h) for r, h in pairs if r["verdict"] == "ok"]
    found = sum(h for _, h in collisions)
    false = sum(h for _, h in oks)
    return {
        "collisions": len(collisions),
        "found": found,
        "recall": round(found / len(collisions), 3) if collisions else None,
        "ok": len(oks),
        "false_alarms": false,
        "precision": round(found / (found + false), 3) if found + false else None,
        "missed": [r for r, h in collisions if not h],
        "false": [r for r, h in oks if h],
    }


def figures(f: dict) -> dict:
    """``score``'s figures without the rows."""
    return {k: v for k, v in f.items() if k not in ("missed", "false")}


def summary(f: dict) -> str:
    return (
        f"collisions {f['collisions']}, found {f['found']}: recall {f['recall']}; "
        f"ok pairs {f['ok']}, false alarms {f['false_alarms']}: precision {f['precision']}"
    )
