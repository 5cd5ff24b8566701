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
TRIPLES = HERE / "general.tsv"
SHAPES = ("keywords", "genes")


def load() -> list[dict]:
    with TRIPLES.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def record(row: dict, shape: str, n: int) -> str:
    long = row["long_form"]
    caption = f"{long[0].upper()}{long[1:]} ({row['abbreviation']}) was examined in this model."
    data: dict = {"figid": f"PMC1__general{n}", "caption": caption}
    if shape == "keywords":
        data["schema-jsonld"] = {"keywords": [row["symbol"], "TP53"]}
    else:
        source = (
            "hgnc_symbol"
            if row["abbreviation"].upper() == row["symbol"].upper()
            else "hgnc_alias_symbol"
        )
        word = row["abbreviation"]
        data["genes"] = [
            {"word": word, "symbol": word, "source": source, "hgnc_symbol": row["symbol"]},
            {"word": "p53", "symbol": "p53", "source": "hgnc_alias_symbol", "hgnc_symbol": "TP53"},
        ]
    return "---\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True) + "---\n"


def accused(folder: Path) -> set[str]:
    """The record stems with a GN106 finding."""
    from linter.cli.main import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main(
            [
                "check",
                str(folder),
                "--no-cache",
                "--select",
                "GN106",
                "--output-format",
                "json",
                "--exit-zero",
                "--quiet",
            ]
        )
    return {Path(f["filename"]).stem for f in json.loads(out.getvalue())}


def evaluate(rows: list[dict]) -> dict:
    figures: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        for shape in SHAPES:
            folder = Path(tmp) / shape / "_figures"
            folder.mkdir(parents=True)
            for n, row in enumerate(rows):
                (folder / f"r{n:04d}.md").write_text(record(row, shape, n), encoding="utf-8")
            hit = accused(folder)
            flagged = [(row, f"r{n:04d}" in hit) for n, row in enumerate(rows)]
            collisions = [(r, h) for r, h in flagged if r["verdict"] == "collision"]
            oks = [(r, h) for r, h in flagged if r["verdict"] == "ok"]
            found = sum(h for _, h in collisions)
            false = sum(h for _, h in oks)
            figures[shape] = {
                "collisions": len(collisions),
                "found": found,
                "recall": round(found / len(collisions), 3) if collisions else None,
                "ok": len(oks),
                "false_alarms": false,
                "precision": round(found / (found + false), 3) if found + false else None,
                "missed": [r for r, h in collisions if not h],
                "false": [r for r, h in oks if h],
            }
    return figures


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    figures = evaluate(load())
    if args.json:
        print(
            json.dumps(
                {
                    s: {k: v for k, v in f.items() if k not in ("missed", "false")}
                    for s, f in figures.items()
                }
            )
        )
        return 0
    for shape, f in figures.items():
        print(
            f"{shape:8s}  collisions {f['collisions']}, found {f['found']}: recall {f['recall']}; "
            f"ok pairs {f['ok']}, false alarms {f['false_alarms']}: precision {f['precision']}"
        )
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
