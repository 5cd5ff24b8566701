"""CPU per record of each record rule, on records seen for the first time and
again (standard library and pfocr-lint only).

    python bench/rule_cost.py                       # tests/fixtures/corpus, 5 processes
    python bench/rule_cost.py DIR --runs 7 --top 12

The 10,000-record benchmark (bench.py) lints copies of the 103 corpus
records, so after the first hundred files every lookup a rule makes is
answered from a memo: it measures rules on records they have seen. A real
collection has a new caption, new long forms and new genes in every record.
This script reads the records of DIR (``*.md``, recursively, default the 103
corpus records copied into ``tests/fixtures/corpus``) once, then in a fresh
process for each run times every selected record rule over all of them
twice: the first pass is the cost on records never seen (reference blocks to
decompress, caches to fill, after one record has loaded the tables), the
second the cost on records seen before (what bench.py measures). It prints
the median over the runs, per record, for the rules that cost most, and the
total of all record rules (reading and parsing are not included).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_CHILD = r"""
import gc, json, sys, time
from pathlib import Path
from linter.pipeline.config import build_settings, load_config
from linter.engine import Linter
from linter.reading.reader import read_file

folder = Path(sys.argv[1])
settings = build_settings(load_config(start=folder.resolve()))
linter = Linter(settings)
records = []
for path in sorted(folder.rglob("*.md")):
    rec = read_file(path, str(path), settings.max_size).record
    if rec is not None:
        rec.fs_path = path
        linter._prepare(rec)
        records.append(rec)
first, rest = records[0], records[1:]
for rule in linter.record_rules:  # the tables a rule opens, opened once
    list(rule.func(first, linter.ctx))
gc.collect()
gc.freeze()
gc.disable()
out = {}
for rule in linter.record_rules:
    times = []
    for _ in range(2):
        t = time.process_time()
        for rec in rest:
            list(rule.func(rec, linter.ctx))
        times.append(time.process_time() - t)
    out[rule.code] = times
print(json.dumps({"records": len(rest), "times": out}))
"""


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", nargs="?", default=str(ROOT / "tests" / "fixtures" / "corpus"))
    ap.add_argument("--runs", type=int, default=5, help="fresh processes (median; 5)")
    ap.add_argument("--top", type=int, default=10, help="rules listed (10)")
    args = ap.parse_args(argv)
    runs = []
    for _ in range(args.runs):
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, args.folder],
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append(json.loads(done.stdout))
    n = runs[0]["records"]
    codes = runs[0]["times"]

    def per_record(code: str, i: int) -> float:
        return statistics.median(r["times"][code][i] for r in runs) / n * 1e6

    rows = sorted(codes, key=lambda c: -per_record(c, 0))
    print(f"{n} records of {args.folder}, {args.runs} processes, medians, µs of CPU per record")
    print(f"{'rule':8} {'first seen':>11} {'seen again':>11} {'ratio':>6}")
    for code in rows[: args.top]:
        a, b = per_record(code, 0), per_record(code, 1)
        print(f"{code:8} {a:11.0f} {b:11.0f} {a / b if b else 0:6.1f}")
    tot = [sum(per_record(c, i) for c in codes) for i in (0, 1)]
    print(f"{'all':8} {tot[0]:11.0f} {tot[1]:11.0f} {tot[0] / tot[1]:6.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
