"""GN106 on definitions written from general vocabulary, not from any record.

``labels.tsv`` judges the abbreviations of real records; this set asks how
GN106 does on definitions it has never seen. ``general.tsv`` holds 259
(abbreviation, long form, gene) triples written from textbook vocabulary,
each judged:

- ``ok``: the long form names the gene (`cyclooxygenase-2 (COX-2)` for
  PTGS2; a peptide hormone for the gene that encodes it: `somatostatin
  (SST)` for SST);
- ``collision``: the gene is an HGNC symbol, alias or previous symbol of
  the abbreviation while the long form names something else (`reactive
  oxygen species (ROS)` for ROS1, `methionine (Met)` for MET).

For each triple the script writes one keyword-only record (caption
``<Long form> (<ABBR>) was examined in this model.``, keywords the gene and
TP53) and one with a front-matter ``genes:`` entry whose word is the
abbreviation, lints them with GN106 alone and prints recall on the
collisions and the false alarms on the ok pairs, per record shape.

The set was written while GN106's reader and judge were being checked (it
found the cut `phosphatase 1` of `Protein phosphatase 1 (PP1)` and the
symbols whose HGNC name spells them, `APC`, `MET`): it is a development set.
The misses it keeps are limits of Schwartz & Hearst's rule (`estradiol
(E2)`, `carbon tetrachloride (CCl4)`: digits no letter spells) and long
forms the lexicon does not know.

    python bench/abbreviations/general.py            # figures and lists
    python bench/abbreviations/general.py --json     # the figures only
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import probe  # noqa: E402  (bench/probe.py)

TRIPLES = HERE / "general.tsv"
SHAPES = ("keywords", "genes")


def record(row: dict, shape: str, n: int) -> str:
    long = row["long_form"]
    caption = f"{long[0].upper()}{long[1:]} ({row['abbreviation']}) was examined in this model."
    data: dict = {"figid": f"PMC1__general{n}", "caption": caption}
    if shape == "keywords":
        data["schema-jsonld"] = {"keywords": [row["symbol"], "TP53"]}
    else:
        word = row["abbreviation"]
        source = "hgnc_symbol" if word.upper() == row["symbol"].upper() else "hgnc_alias_symbol"
        data["genes"] = [
            {"word": word, "symbol": word, "source": source, "hgnc_symbol": row["symbol"]},
            {"word": "p53", "symbol": "p53", "source": "hgnc_alias_symbol", "hgnc_symbol": "TP53"},
        ]
    return probe.front_matter(data)


def evaluate(rows: list[dict]) -> dict:
    out = {}
    for shape in SHAPES:
        records = [record(row, shape, n) for n, row in enumerate(rows)]
        out[shape] = probe.score(rows, probe.accused(records, "GN106"))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)
    figures = evaluate(probe.load(TRIPLES))
    if args.json:
        print(json.dumps({shape: probe.figures(f) for shape, f in figures.items()}))
        return 0
    for shape, f in figures.items():
        print(f"{shape:8s}  {probe.summary(f)}")
    for shape, f in figures.items():
        for row in f["missed"]:
            print(
                f"  {shape} missed: {row['abbreviation']} = {row['long_form']} -> {row['symbol']}"
            )
        for row in f["false"]:
            print(f"  {shape} FALSE: {row['abbreviation']} = {row['long_form']} -> {row['symbol']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
