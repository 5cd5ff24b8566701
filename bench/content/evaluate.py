"""Precision and recall of the content rules on the hand-labelled set.

``genes.tsv`` and ``terms.tsv`` (see README.md) judge every word-to-gene
match, keyword, organism and sidecar chemical of the 103 corpus records
(``tests/fixtures/corpus``, a copy of the real PFOCR records, CC0).  The split
(``split.tsv``) was fixed by record before any content rule was written:
tune on ``dev``, quote ``test``.

This script lints the records with the content rules (``CONTENT_CODES``, or
``--codes``), maps each finding to the labelled entry it accuses, by where
the finding points in the record:

- ``genes[i]...``: the inline entry's (word, hgnc_symbol);
- ``schema-jsonld/keywords[i]`` and ``keywords[i]``: the keyword (a gene
  keyword row with that symbol, else a keyword term row with that value);
- ``organisms[i]`` / ``organisms_ner[i]`` (or the field itself, for a 2020
  string value): the organism term row;
- a row of ``_data/<figid>-genes.tsv``: that row's (word, ncbigene_symbol);
  a row of ``-chemicals.tsv``: the chemical term row of that word;

and prints, for the chosen split: recall per defect kind and overall (an
entry is found when any content finding accuses it), and precision per code
(a finding is right when the entry it accuses is a defect; a finding on a
``correct`` entry, or on no labelled entry, is a false alarm; entries judged
``unsure:`` are not scored).  Unlabelled findings are listed: every finding
of a content rule on the corpus must have a verdict in the set.

    python bench/content/evaluate.py                 # test half (the figures to quote)
    python bench/content/evaluate.py --split dev     # the half to tune on
    python bench/content/evaluate.py --json          # figures only
"""

from __future__ import annotations

import argparse
import collections
import csv
import json
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
RECORDS = ROOT / "tests" / "fixtures" / "corpus"

# The rules that judge content (word-to-gene matches, keywords, organisms,
# groundings). A rule added for content goes here.
CONTENT_CODES = (
    "GN105",
    "GN106",
    "GN108",
    "GN109",
    "GN113",
    "GN114",
    "MD107",
    "MD112",
    "MD113",
    "CH105",
    "KW104",
    "KW105",
)

DEFECT = "correct"  # the one kind that is not a defect


def load(name: str) -> list[dict]:
    with (HERE / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def _unsure(row: dict) -> bool:
    return row["kind"] == "correct" and row["reason"].startswith("unsure:")


class Labels:
    def __init__(self) -> None:
        self.genes = load("genes.tsv")
        self.terms = load("terms.tsv")
        self.rows = self.genes + self.terms
        self.gene_rows: dict[tuple, list[int]] = collections.defaultdict(list)
        self.symbol_rows: dict[tuple, list[int]] = collections.defaultdict(list)
        self.term_rows: dict[tuple, list[int]] = collections.defaultdict(list)
        for i, r in enumerate(self.genes):
            self.gene_rows[r["figid"], r["where"], r["word"], r["symbol"].upper()].append(i)
            self.symbol_rows[r["figid"], r["where"], r["symbol"].upper()].append(i)
        for j, r in enumerate(self.terms, start=len(self.genes)):
            self.term_rows[r["figid"], r["field"], r["value"]].append(j)
            self.term_rows[r["figid"], r["field"], r["value"].casefold()].append(j)


def _front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---", 2)[1]) or {}


def _table_row(path: Path, row: int) -> dict:
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    if not 1 < row <= len(lines):
        return {}
    return dict(zip(header, lines[row - 1].split("\t"), strict=False))


def accused(finding: dict, labels: Labels, cache: dict) -> list[int] | None:
    """The labelled rows a finding accuses ([] when it accuses an entry the
    set does not hold, None when it points at no entry at all)."""
    path = Path(finding["filename"])
    row = (finding.get("location") or {}).get("row", 0)
    if path.suffix == ".tsv":
        figid, _, kind = path.stem.rpartition("-")
        cells = _table_row(path, row)
        if not cells:
            return None
        if kind == "genes":
            word, symbol = cells.get("word", ""), cells.get("ncbigene_symbol", "").upper()
            return labels.gene_rows.get((figid, "sidecar", word, symbol), [])
        if kind == "chemicals":
            return labels.term_rows.get((figid, "chemical", cells.get("word", "")), [])
        return None
    if path not in cache:
        cache[path] = _front_matter(path)
    data = cache[path]
    figid = str(data.get("figid", path.stem))
    parts = [p for p in finding["path"].strip("/").split("/") if p]
    try:
        if parts[:1] == ["genes"] and len(parts) > 1:
            entry = data["genes"][int(parts[1])]
            word, symbol = str(entry.get("word", "")), str(entry.get("hgnc_symbol", "")).upper()
            return labels.gene_rows.get((figid, "genes", word, symbol), [])
        if parts[:2] == ["schema-jsonld", "keywords"] and len(parts) > 2:
            value = str(data["schema-jsonld"]["keywords"][int(parts[2])])
            return labels.symbol_rows.get(
                (figid, "keyword", value.upper())
            ) or labels.term_rows.get((figid, "keyword", value), [])
        if parts[:1] == ["keywords"] and len(parts) > 1:
            value = str(data["keywords"][int(parts[1])])
            return labels.symbol_rows.get((figid, "genes", value.upper())) or labels.term_rows.get(
                (figid, "keyword", value), []
            )
        if parts[:1] in (["organisms"], ["organisms_ner"]):
            field = parts[0]
            value = data[field]
            values = [value] if isinstance(value, str) else list(value or [])
            if len(parts) > 1:
                values = [values[int(parts[1])]]
            found: list[int] = []
            for v in values:
                found += labels.term_rows.get((figid, field, str(v)), [])
            return found
    except (KeyError, IndexError, TypeError, ValueError):
        return None
    return None


def run(codes: tuple[str, ...]) -> list[dict]:
    from linter import lint

    return lint([str(RECORDS)], select=list(codes))


def evaluate(split: str, codes: tuple[str, ...]) -> dict:
    labels = Labels()
    cache: dict = {}
    found: set[int] = set()
    per_code: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    false_alarms: list[tuple] = []
    unlabelled: list[tuple] = []
    for f in run(codes):
        rows = accused(f, labels, cache)
        rows = [i for i in (rows or []) if labels.rows[i]["split"] == split] if rows else rows
        figid = Path(f["filename"]).stem.rsplit("-", 1)[0]
        if rows == [] or rows is None:
            record_split = {r["figid"]: r["split"] for r in load("split.tsv")}.get(
                Path(f["filename"]).stem if Path(f["filename"]).suffix == ".md" else figid
            )
            if record_split == split or record_split is None:
                per_code[f["code"]]["unlabelled"] += 1
                unlabelled.append((f["code"], f["filename"], f["path"], f["message"]))
            continue
        verdicts = [labels.rows[i] for i in rows]
        if all(_unsure(r) for r in verdicts):
            per_code[f["code"]]["unsure"] += 1
            continue
        if any(r["kind"] != DEFECT for r in verdicts):
            per_code[f["code"]]["true"] += 1
            found.update(i for i in rows if labels.rows[i]["kind"] != DEFECT)
        else:
            per_code[f["code"]]["false"] += 1
            false_alarms.append((f["code"], f["filename"], f["path"], f["message"]))
    kinds: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    for i, r in enumerate(labels.rows):
        if r["split"] != split or r["kind"] == DEFECT:
            continue
        kinds[r["kind"]][0] += 1
        kinds[r["kind"]][1] += i in found
    total = sum(n for n, _ in kinds.values())
    hit = sum(h for _, h in kinds.values())
    precision = {}
    for code, c in sorted(per_code.items()):
        flagged = c["true"] + c["false"] + c["unlabelled"]
        precision[code] = {
            "findings": flagged,
            "true": c["true"],
            "false": c["false"],
            "unlabelled": c["unlabelled"],
            "precision": round(c["true"] / flagged, 3) if flagged else None,
        }
    return {
        "split": split,
        "codes": list(codes),
        "recall": {
            k: {"defects": n, "found": h, "recall": round(h / n, 3)}
            for k, (n, h) in sorted(kinds.items())
        },
        "overall_recall": round(hit / total, 3) if total else None,
        "defects": total,
        "found": hit,
        "precision": precision,
        "false_alarms": false_alarms,
        "unlabelled": unlabelled,
        "missed": [
            r
            for i, r in enumerate(labels.rows)
            if r["split"] == split and r["kind"] != DEFECT and i not in found
        ],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", choices=("test", "dev"), default="test")
    ap.add_argument("--codes", help="comma-separated rule codes (default: the content rules)")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument(
        "--false-alarms",
        action="store_true",
        help="also list the false alarms of the test half (the dev half's are always "
        "listed; reading the test half's makes it a dev half)",
    )
    ap.add_argument(
        "--missed",
        metavar="KIND",
        help="also list the defects of this kind (or 'all') that no finding accuses "
        "(to tune on the dev half: reading the test half's misses makes it a dev half)",
    )
    args = ap.parse_args(argv)
    if args.missed and args.split == "test":
        ap.error("--missed lists the dev half only (--split dev): the test half stays unseen")
    codes = tuple(c.strip() for c in args.codes.split(",")) if args.codes else CONTENT_CODES
    r = evaluate(args.split, codes)
    if args.json:
        print(
            json.dumps(
                {k: r[k] for k in ("split", "codes", "recall", "overall_recall", "precision")},
                indent=2,
            )
        )
        return 0
    print(f"split: {r['split']}   codes: {', '.join(r['codes'])}")
    print(f"{'kind':26} {'defects':>8} {'found':>6} {'recall':>7}")
    for kind, v in r["recall"].items():
        print(f"{kind:26} {v['defects']:8} {v['found']:6} {v['recall']:7.3f}")
    print(f"{'(all)':26} {r['defects']:8} {r['found']:6} {r['overall_recall'] or 0:7.3f}")
    print()
    print(f"{'code':8} {'findings':>8} {'true':>5} {'false':>6} {'unlab.':>7} {'precision':>9}")
    for code, v in r["precision"].items():
        p = "-" if v["precision"] is None else f"{v['precision']:.3f}"
        print(f"{code:8} {v['findings']:8} {v['true']:5} {v['false']:6} {v['unlabelled']:7} {p:>9}")
    hidden = args.split == "test" and not args.false_alarms
    if hidden and r["false_alarms"]:
        print(f"\nfalse alarms: {len(r['false_alarms'])} (listed with --false-alarms)")
    for title, items in (
        ("false alarms", [] if hidden else r["false_alarms"]),
        ("unlabelled findings", r["unlabelled"]),
    ):
        if items:
            print(f"\n{title}:")
            for code, filename, path, message in items:
                print(f"  {code} {Path(filename).name} {path}: {message[:160]}")
    if args.missed:
        missed = [m for m in r["missed"] if args.missed in ("all", m["kind"])]
        print(f"\nmissed ({len(missed)}):")
        for m in missed:
            what = " ".join(
                f"{k}={m[k]}" for k in ("where", "word", "symbol", "field", "value") if m.get(k)
            )
            print(f"  {m['kind']} {m['figid']} {what}: {m.get('reason', '')[:120]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
