"""Precision and recall of GN106 on hand-labelled real records.

``labels.tsv`` lists every (caption abbreviation, candidate gene) pair of the
records the tests already ship (real PFOCR records, CC0: the corpus copy in
``tests/fixtures/corpus/`` with its ``_data/`` tables, and the four ``seeds/``) that a curator
would consider, each judged by hand: ``collision`` (the gene was matched from
an abbreviation the caption defines as something else), ``ok`` (the long form
names the gene, or the gene came from another word) or ``unsure`` (not
scored).  ``propose.py`` proposed the pairs; the judgement is the human part.

This script lints the records with GN106 alone, maps each finding to the gene
it accuses (the keyword, the genes entry's ``hgnc_symbol`` or the sidecar
row's ``ncbigene_symbol``; upper-cased, so `Rnmt` and `RNMT` are one gene of a
record) and prints precision, recall, the misses and the false alarms.  A
finding on a pair the labels do not hold is listed as unlabelled and counted
as a false alarm.

    python bench/abbreviations/evaluate.py            # table and lists
    python bench/abbreviations/evaluate.py --json     # the figures only
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
RECORDS = (ROOT / "tests" / "fixtures" / "corpus", ROOT / "seeds")
LABELS = HERE / "labels.tsv"


def load_labels() -> dict[tuple[str, str], list[dict]]:
    labels: dict[tuple[str, str], list[dict]] = {}
    with LABELS.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            labels.setdefault((row["figid"], row["symbol"].upper()), []).append(row)
    return labels


def run_gn106() -> list[dict]:
    from linter.cli.main import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main(
            [
                "check",
                "--no-cache",
                "--select",
                "GN106",
                "--output-format",
                "json",
                *map(str, RECORDS),
            ]
        )
    return json.loads(out.getvalue() or "[]")


def _front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---", 2)[1]) or {}


def accused(finding: dict) -> tuple[str, str]:
    """(figid, GENE) a finding is about."""
    path = Path(finding["filename"])
    if path.suffix == ".tsv":  # a sidecar genes table: the row's gene
        figid = path.name.rsplit("-", 1)[0]
        lines = path.read_text(encoding="utf-8").splitlines()
        header = lines[0].split("\t")
        row = dict(zip(header, lines[finding["location"]["row"] - 1].split("\t"), strict=False))
        return figid, row.get("ncbigene_symbol", "").upper()
    data = _front_matter(path)
    parts = finding["path"].strip("/").split("/")
    if parts[:2] == ["schema-jsonld", "keywords"]:
        return data["figid"], str(data["schema-jsonld"]["keywords"][int(parts[2])]).upper()
    if parts[0] == "genes":
        return data["figid"], str(data["genes"][int(parts[1])].get("hgnc_symbol", "")).upper()
    return data.get("figid", path.stem), "?"


def evaluate() -> dict:
    labels = load_labels()
    truth = {k for k, rows in labels.items() if any(r["label"] == "collision" for r in rows)}
    negative = {
        k for k, rows in labels.items() if k not in truth and all(r["label"] == "ok" for r in rows)
    }
    found: dict[tuple[str, str], str] = {}
    for f in run_gn106():
        found.setdefault(accused(f), f["message"])
    hits = sorted(k for k in found if k in truth)
    false = sorted(k for k in found if k in negative)
    unlabelled = sorted(
        k
        for k in found
        if k not in truth
        and k not in negative
        and not any(r["label"] == "unsure" for r in labels.get(k, []))
    )
    misses = sorted(truth - set(found))
    flagged = len(hits) + len(false) + len(unlabelled)
    return {
        "collisions": len(truth),
        "ok_pairs": len(negative),
        "flagged": flagged,
        "true_positives": len(hits),
        "precision": round(len(hits) / flagged, 3) if flagged else 1.0,
        "recall": round(len(hits) / len(truth), 3) if truth else 1.0,
        "misses": [(k, labels[k][0]["abbreviation"], labels[k][0]["reason"]) for k in misses],
        "false_alarms": [(k, found[k]) for k in false],
        "unlabelled": [(k, found[k]) for k in unlabelled],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)
    r = evaluate()
    if args.json:
        print(
            json.dumps(
                {
                    k: r[k]
                    for k in (
                        "collisions",
                        "ok_pairs",
                        "flagged",
                        "true_positives",
                        "precision",
                        "recall",
                    )
                }
            )
        )
        return 0
    print(
        f"GN106 on {', '.join(str(r.relative_to(ROOT)) for r in RECORDS)} ({LABELS.name}: "
        f"{r['collisions']} collisions, {r['ok_pairs']} ok pairs)"
    )
    print(
        f"flagged {r['flagged']}, true {r['true_positives']}: "
        f"precision {r['precision']:.3f}, recall {r['recall']:.3f}"
    )
    print(f"\nmisses ({len(r['misses'])}):")
    for (fig, sym), abbr, why in r["misses"]:
        print(f"  {fig}  {abbr} -> {sym}: {why}")
    print(f"\nfalse alarms ({len(r['false_alarms'])}):")
    for (fig, sym), msg in r["false_alarms"]:
        print(f"  {fig}  {sym}: {msg}")
    print(f"\nunlabelled findings ({len(r['unlabelled'])}, counted as false alarms):")
    for (fig, sym), msg in r["unlabelled"]:
        print(f"  {fig}  {sym}: {msg}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
