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
twice, as the engine runs them (record by record, each record's rules in the
engine's order: a per-record analysis that several rules use, such as the
caption's abbreviation definitions that GN106, GN109, KW105 and CH105 read,
is charged to the first rule that asks; ``--isolated`` times each rule over
all records on its own instead, charging it to each): the first pass is the
cost on records never seen (reference blocks to decompress, caches to fill,
after one record has opened the tables), the second the cost on records seen
before (what bench.py measures). It prints the median over the runs, per
record, for the rules that cost most, and the total of all record rules
(reading and parsing are not included):

- ``first seen``: the first pass, every table's blocks decompressed as the
  records ask for them. Over 102 records this charges the one-time
  decompression of the small tables (HGNC, 16 ms; the genus divisions, 8
  ms) to the rules that touch them first, about 100-200 µs per record;
- ``tables kept``: the first pass again in other processes, after every
  table that a long run keeps whole in memory (up to
  ``reference.BLOCK_CHARS_KEPT`` characters: all but the lexicon and the
  taxonomy) was decompressed and the rules' ``warm`` hooks ran (what the
  engine does before its workers fork: jsonschema's validator for SC101):
  a rule's cost per new record in a collection
  of thousands, where that decompression is paid once. Issue 15's budget
  (0.3 ms per record for the content rules on average) is read on this
  column; ``--codes`` sums it over the rules named, and then says where
  that average comes from: each record's cost on this column (the median
  over the processes), its median, 90th percentile and largest, and the
  share of the total that the costliest tenth of the records make;
- ``seen again``: the second pass of those processes;
- ``held out`` (with ``--held-out``): each fifth of the records in a process
  of its own, set up as for ``tables kept``, timed on its first pass after
  the other four fifths were linted, the five fifths summed: a record new
  to a run whose memos hold what the other records asked (a long run over
  a collection is between this column and ``seen again``; over 100 records
  the memos hold little of what a new record asks).

Then, in the rules' engine order, the rest of a record's CPU in the same
processes, on records seen again: reading the file (the scanner, or
libyaml), the annotations the engine attaches, stamping the rules'
problems as findings (their spans) and the engine's post-pass over them
(fingerprints, suppressions, order), with the findings a record has: the
whole of what ``--jobs 1`` spends on a record, but the reporter's.
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
passes = 2
if sys.argv[2] != "cold":  # as a long run has them: what the engine loads
    from linter.knowledge.reference import BlockedGzip

    linter.warm()  # before its workers fork, and every block a table keeps
    for table in BlockedGzip.opened():
        table.load_all()
if sys.argv[2].startswith("held"):  # one fifth, after the other four fifths
    fold = int(sys.argv[2][4:])
    for rec in (r for i, r in enumerate(rest) if i % 5 != fold):
        for rule in linter.record_rules:
            list(rule.func(rec, linter.ctx))
    rest = [r for i, r in enumerate(rest) if i % 5 == fold]
    passes = 1
gc.collect()
gc.freeze()
gc.disable()
clock = time.process_time
rules = linter.record_rules
out = {rule.code: [0.0, 0.0] for rule in rules}
each = {}  # code -> its time on each record, first seen, in the records' order
phases = dict.fromkeys(("read", "prepare", "stamp", "post", "findings"), 0.0)
if sys.argv[3] == "isolated":  # each rule over every record, one rule after the other
    for rule in rules:
        for p in range(passes):
            t = clock()
            for rec in rest:
                list(rule.func(rec, linter.ctx))
            out[rule.code][p] = clock() - t
else:  # as the engine runs them: record by record, every rule in its order
    t0 = clock()  # the clock's own cost, taken off each reading
    for _ in range(10000):
        clock()
    tick = (clock() - t0) / 10000
    for p in range(passes):
        for rec in rest:
            found = []
            for rule in rules:
                t = clock()
                found.append((rule, list(rule.func(rec, linter.ctx))))
                spent = clock() - t - tick
                out[rule.code][p] += spent
                if not p:  # each record's own cost, first seen
                    each.setdefault(rule.code, []).append(spent)
            if p:  # the engine's work on the problems, on records seen again
                name = str(rec.fs_path)
                t = clock()
                findings = [linter.stamp(r, q, rec, name) for r, qs in found for q in qs]
                t2 = clock()
                linter._post(findings, rec, name)
                phases["stamp"] += t2 - t
                phases["post"] += clock() - t2
                phases["findings"] += len(findings)
    for rec in rest if passes == 2 else ():  # reading and annotating, once more (seen again)
        t = clock()
        again = read_file(rec.fs_path, str(rec.fs_path), settings.max_size).record
        t2 = clock()
        again.fs_path = rec.fs_path
        linter._prepare(again)
        phases["read"] += t2 - t
        phases["prepare"] += clock() - t2
names = [rec.fs_path.name for rec in rest]
print(json.dumps({"records": len(rest), "times": out, "phases": phases, "each": each, "names": names}))
"""


def spread(loaded: list[dict], codes: list[str]) -> str:
    """Where the chosen rules' average per record comes from (tables kept):
    each record's cost (the median over the processes), its median, 90th
    percentile and largest, and the share of the total that the costliest
    tenth of the records make, with the three costliest records."""
    n = loaded[0]["records"]
    cost = [
        statistics.median(sum(r["each"][c][i] for c in codes) for r in loaded) * 1e6
        for i in range(n)
    ]
    ranked = sorted(range(n), key=lambda i: -cost[i])
    tenth = ranked[: max(1, n // 10)]
    share = sum(cost[i] for i in tenth) / (sum(cost) or 1)
    q = statistics.quantiles(cost, n=10) if n > 1 else [cost[0]] * 9
    top = ", ".join(f"{loaded[0]['names'][i]} {cost[i]:.0f}" for i in ranked[:3])
    return (
        f"chosen, tables kept, a record: median {statistics.median(cost):.0f}, 90th percentile "
        f"{q[8]:.0f}, largest {cost[ranked[0]]:.0f} µs; the costliest tenth of the records make "
        f"{share:.0%} of the total ({top})"
    )


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", nargs="?", default=str(ROOT / "tests" / "fixtures" / "corpus"))
    ap.add_argument("--runs", type=int, default=5, help="fresh processes (median; 5)")
    ap.add_argument("--top", type=int, default=10, help="rules listed (10)")
    ap.add_argument("--codes", help="also print the sum over these rules (CODE,CODE,...)")
    ap.add_argument(
        "--isolated",
        dest="order",
        action="store_const",
        const="isolated",
        default="engine",
        help="time each rule over all records on its own, one rule after the other (a "
        "per-record analysis that several rules share is then charged to each of them)",
    )
    ap.add_argument(
        "--held-out",
        action="store_true",
        help="add a column: each fifth of the records first seen after the other four "
        "fifths were linted (tables kept, the memos holding what other records asked)",
    )
    args = ap.parse_args(argv)
    runs: dict[str, list] = {"cold": [], "loaded": [], "held": []}

    def child(mode: str) -> dict:
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, args.folder, mode, args.order],
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(done.stdout)

    for _ in range(args.runs):
        for mode in ("cold", "loaded"):
            runs[mode].append(child(mode))
        if args.held_out:  # the five fifths' first passes, summed: one run over all records
            folds = [child(f"held{fold}") for fold in range(5)]
            summed = {c: [sum(f["times"][c][0] for f in folds), 0.0] for c in folds[0]["times"]}
            runs["held"].append({"times": summed})
    n = runs["cold"][0]["records"]
    codes = runs["cold"][0]["times"]

    def per_record(code: str, i: int, mode: str = "cold") -> float:
        return statistics.median(r["times"][code][i] for r in runs[mode]) / n * 1e6

    def row(code: str) -> tuple[float, ...]:
        held = (per_record(code, 0, "held"),) if args.held_out else ()
        return (
            per_record(code, 0),
            per_record(code, 0, "loaded"),
            per_record(code, 1, "loaded"),
            *held,
        )

    order = "each rule on its own" if args.order == "isolated" else "rules in the engine's order"
    print(
        f"{n} records of {args.folder}, {args.runs} processes each, {order}, medians, "
        "µs of CPU per record"
    )
    print(f"{'rule':8} {'first seen':>11} {'tables kept':>12} {'seen again':>11}", end="")
    print(f" {'held out':>9}" if args.held_out else "")
    table = {code: row(code) for code in codes}
    cols = len(next(iter(table.values())))

    def line(label: str, values) -> str:
        widths = (11, 12, 11, 9)
        return f"{label:8} " + " ".join(f"{v:{w}.0f}" for v, w in zip(values, widths))

    for code in sorted(codes, key=lambda c: -table[c][0])[: args.top]:
        print(line(code, table[code]))
    tot = [sum(t[i] for t in table.values()) for i in range(cols)]
    print(line("all", tot))
    if args.order == "engine":
        # the rest of a record's CPU, in the same processes, on records seen again
        ph = {
            k: statistics.median(r["phases"][k] for r in runs["loaded"]) / n
            for k in runs["loaded"][0]["phases"]
        }
        print(
            f"a record seen again, µs of CPU: reading {ph['read'] * 1e6:.0f}, annotations "
            f"{ph['prepare'] * 1e6:.0f}, record rules {tot[2]:.0f}, stamping "
            f"{ph['stamp'] * 1e6:.0f} and the post-pass {ph['post'] * 1e6:.0f} of its "
            f"{ph['findings']:.1f} findings (fingerprints, suppressions, order)"
        )
    if args.codes:
        chosen = [c.strip() for c in args.codes.split(",") if c.strip() in table]
        sub = [sum(table[c][i] for c in chosen) for i in range(cols)]
        print(line("chosen", sub) + f"  ({', '.join(chosen)})")
        if args.order == "engine":
            print(spread(runs["loaded"], chosen))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
