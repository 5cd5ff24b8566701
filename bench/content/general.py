"""GN109 on words written from general vocabulary, not from any record.

``genes.tsv`` judges the gene matches of real records; this set asks how
GN109 does on words it has never seen, written in a keyword-only record's
caption without a definition. ``general.tsv`` holds 174 (word, keyword
gene) pairs, each judged:

- ``ok`` (142): the word names the gene: a protein's usual name or
  nickname (`p65` for RELA, `Snail` for SNAI1, `Raptor` for RPTOR), or a
  family word for one of its members (`ERK` for MAPK1);
- ``collision`` (26): the gene is an HGNC alias or previous symbol of a
  word that names something else: a chemical (`ADP` for WDTC1), a process
  (`EMT` for ITK), a disease (`HCC` for HYCC1), a family the gene is not in
  (`p38` for AIMP2), an ordinary word (`killer` for TNFRSF10B);
- ``unsure`` (6): the word may mean either (`ER` for ESR1); not scored.

For each pair the script writes one record, caption ``Schematic of the
signalling network: <word> increases in stressed cells and drives the
response.``, keywords AKT1, the gene, TP53 and MTOR, lints them with GN109
alone and prints recall on the collisions and the false alarms on the ok
pairs.

The set was written while GN109 was being checked (it found `Snail`,
`Raptor` and `Parkin` flagged as English words, and DAG1 passed as a
numbered gene of `DAG`): it is a development set.

    python bench/content/general.py            # figures and lists
    python bench/content/general.py --json     # the figures only
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import sys
import tempfile
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PAIRS = HERE / "general.tsv"


def load() -> list[dict]:
    with PAIRS.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def record(row: dict, n: int) -> str:
    data = {
        "figid": f"PMC1__general{n}",
        "figtitle": "Signalling network",
        "caption": (
            f"Schematic of the signalling network: {row['word']} increases in stressed "
            "cells and drives the response."
        ),
        "schema-jsonld": {"keywords": ["AKT1", row["symbol"], "TP53", "MTOR"]},
    }
    return "---\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True) + "---\n"


def accused(folder: Path) -> set[str]:
    """The record stems with a GN109 finding."""
    from linter.cli.main import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main(
            [
                "check",
                str(folder),
                "--no-cache",
                "--select",
                "GN109",
                "--output-format",
                "json",
                "--exit-zero",
                "--quiet",
            ]
        )
    return {Path(f["filename"]).stem for f in json.loads(out.getvalue())}


def evaluate(rows: list[dict]) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "_figures"
        folder.mkdir()
        for n, row in enumerate(rows):
            (folder / f"r{n:04d}.md").write_text(record(row, n), encoding="utf-8")
        hit = accused(folder)
    flagged = [(row, f"r{n:04d}" in hit) for n, row in enumerate(rows)]
    collisions = [(r, h) for r, h in flagged if r["verdict"] == "collision"]
    oks = [(r, h) for r, h in flagged if r["verdict"] == "ok"]
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


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    f = evaluate(load())
    if args.json:
        print(json.dumps({k: v for k, v in f.items() if k not in ("missed", "false")}))
        return 0
    print(
        f"collisions {f['collisions']}, found {f['found']}: recall {f['recall']}; "
        f"ok pairs {f['ok']}, false alarms {f['false_alarms']}: precision {f['precision']}"
    )
    for row in f["missed"]:
        print(f"  missed: {row['word']} -> {row['symbol']}")
    for row in f["false"]:
        print(f"  FALSE: {row['word']} -> {row['symbol']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
