#!/usr/bin/env python3
"""Print counts per split and kind for the hand-labelled content judgements."""

import collections
import csv
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def load(name):
    with open(os.path.join(HERE, name), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


for name, sub in (("genes.tsv", "where"), ("terms.tsv", "field")):
    rows = load(name)
    print(f"== {name}: {len(rows)} rows, {len({r['figid'] for r in rows})} records")
    c = collections.Counter((r["split"], r["kind"]) for r in rows)
    kinds = sorted({k for _, k in c})
    print(f"{'kind':24} {'dev':>6} {'test':>6} {'total':>6}")
    for k in kinds:
        print(f"{k:24} {c['dev', k]:6} {c['test', k]:6} {c['dev', k] + c['test', k]:6}")
    print(
        f"{'(all)':24} {sum(v for (s, _), v in c.items() if s == 'dev'):6} "
        f"{sum(v for (s, _), v in c.items() if s == 'test'):6} {len(rows):6}"
    )
    cs = collections.Counter((r[sub], r["confidence"]) for r in rows)
    print("by", sub, "and confidence:", dict(sorted(cs.items())))
    print()
sp = load("split.tsv")
print("records judged:", len(sp), dict(collections.Counter(r["split"] for r in sp)))
