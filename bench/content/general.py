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
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import probe  # noqa: E402  (bench/probe.py)

PAIRS = HERE / "general.tsv"


def record(row: dict, n: int) -> str:
    return probe.front_matter(
        {
            "figid": f"PMC1__general{n}",
            "figtitle": "Signalling network",
            "caption": (
                f"Schematic of the signalling network: {row['word']} increases in stressed "
                "cells and drives the response."
            ),
            "schema-jsonld": {"keywords": ["AKT1", row["symbol"], "TP53", "MTOR"]},
        }
    )


def evaluate(rows: list[dict]) -> dict:
    flagged = probe.accused([record(row, n) for n, row in enumerate(rows)], "GN109")
    return probe.score(rows, flagged)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)
    f = evaluate(probe.load(PAIRS))
    if args.json:
        print(json.dumps(probe.figures(f)))
        return 0
    print(probe.summary(f))
    for row in f["missed"]:
        print(f"  missed: {row['word']} -> {row['symbol']}")
    for row in f["false"]:
        print(f"  FALSE: {row['word']} -> {row['symbol']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
