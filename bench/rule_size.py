"""How each record rule's cost grows with the size of a record's values.

    python bench/rule_size.py                     # values of 10 KB and 1 MB
    python bench/rule_size.py --sizes 1000,100000 --limit 30 --top 15

Builds one record per size from a seed in which every value a rule reads is
about that many characters long, in the shapes that make rules work hardest:
the caption (abbreviations defined, gene names, sentences), its copy in
``schema-jsonld.description`` that differs at the end, ``reftext`` (R's
``NA`` parts, half of them in one token without a space), the titles
(doubled spaces), ``keywords`` and the organism lists (many items, some
repeated), ``genes``, ``chemicals`` and ``diseases`` (many entries, some
repeated, some malformed), and the identifiers (``figid``, ``figlink``…).
The record is parsed without the file-size limit (``parse_bytes``) and every
registered record rule is timed on it directly (``rule.func``: reading and
the engine are not included), the small size first (best of 3, after one
warm-up run that loads the reference tables), then the large one (once);
the memo of rendered fix texts is emptied before each run (a real record's
values are new to it). The garbage collector is off while timing, as in
rule_cost.py.
It prints, per rule, the microseconds at each size and the ratio of the
last to the first: for sizes 100 times apart a linear rule shows about 100
(less when a fixed cost dominates), a quadratic one about 10,000. A rule
that runs past ``--limit`` seconds on a record is stopped and shown as
``>limit``. Rules are sorted by ratio, worst first.
"""

from __future__ import annotations

import argparse
import gc
import signal
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from linter.engine import Linter, Settings  # noqa: E402
from linter.reading.reader import parse_bytes  # noqa: E402
from linter.rules import edits  # noqa: E402
from linter.rules.registry import all_rules  # noqa: E402

SEED = ROOT / "seeds" / "PMC7773330__hs9-5-e516-g001.md"
FIGID = "PMC7773330__hs9-5-e516-g001"


def _fill(unit: str, size: int) -> str:
    """``unit`` repeated to ``size`` characters."""
    return (unit * (size // len(unit) + 1))[:size]


def _items(make, size: int) -> list:
    """Items ``make(i)`` until their text adds up to ``size`` characters."""
    out, total, i = [], 0, 0
    while total < size:
        item = make(i)
        out.append(item)
        total += len(str(item))
        i += 1
    return out


def record_text(size: int) -> str:
    data = yaml.safe_load(SEED.read_text(encoding="utf-8").split("---\n")[1])
    caption = _fill(
        "Janus kinase 2 (JAK2) activates signal transducer and activator of transcription "
        "(STAT) proteins; PI3K = phosphoinositide 3-kinase, MAPK and TYK2 sustain signaling. ",
        size,
    )
    half = size // 2
    data.update(
        {
            "caption": caption,
            "reftext": _fill("NA;", half) + _fill(" Blood. 2021;5(NA):NA.", half),
            "figtitle": _fill("Resistance  to JAK2 inhibitors ", size),
            "papertitle": _fill(" Challenges  and perspectives ", size),
            "figid": "PMC7773330__" + _fill("hs9-5-e516-g001", size),
            "figid_alias": "PMC7773330__" + _fill("F1", size),
            "redirect_from": "/figures/PMC7773330__" + _fill("F1", size),
            "figlink": "pmc/articles/PMC7773330/figure/" + _fill("F1", size) + "/",
            "filename": _fill("hs9-5-e516-g001", size) + ".jpg",
            "doi": "10.1097/" + _fill("HS9.0000000000000516 ", size),
            "number": "Figure " + _fill("1", min(size, 4000)),
            "year": _fill("2021", size),
            "organisms": _items(
                lambda i: ["Homo sapiens", "Mus musculus", f"Org {i}"][i % 3], size
            ),
            "organisms_ner": _items(lambda i: ["Rattus norvegicus", "NA", f"Ner {i}"][i % 3], size),
            "keywords": _fill("JAK2, ", size),
        }
    )
    jsonld = data["schema-jsonld"]
    jsonld["description"] = caption[:-10] + "different."
    jsonld["@id"] = "https://pfocr.wikipathways.org/figures/" + _fill("x", size) + ".html"
    jsonld["keywords"] = _items(
        lambda i: ["JAK2", "STAT1 ", f"KW{i}", ".na.character"][i % 4], size
    )
    symbols = ["JAK2", "STAT1", "TYK2", "MAPK1", "PIK3CA", "AKT1", "ERK", "STAT", "Il6"]
    data["genes"] = _items(
        lambda i: {
            "word": symbols[i % len(symbols)],
            "symbol": symbols[i % len(symbols)],
            "source": ["hgnc_symbol", "hgnc_alias_symbol", "bioentities_symbol"][i % 3],
            "hgnc_symbol": symbols[i % len(symbols)],
            "entrez": ["3717", "6772", "07297", "5594", 5290, "NA"][i % 6],
        },
        size,
    )
    data["chemicals"] = _items(
        lambda i: {
            "word": ["glucose", "ATP", f"chem{i}"][i % 3],
            "source": ["MESH", "CHEBI", ""][i % 3],
            "identifier": ["D005947", "CHEBI:15422", "D00"][i % 3],
        },
        size,
    )
    data["diseases"] = _items(
        lambda i: {
            "word": ["cancer", f"disease {i}"][i % 2],
            "source": ["MESH", "DOID", ""][i % 3],
            "identifier": ["D009369", "DOID:162", "C0"][i % 3],
        },
        size,
    )
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    body = yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100)
    return "---\n" + body + "---\n"


class _Late(Exception):
    pass


def _stop(signum, frame):
    raise _Late


def _time(rule, rec, ctx, runs: int, limit: float) -> float | None:
    """Best wall time of ``runs`` runs in seconds; None past ``limit``."""
    best = None
    for _ in range(runs):
        # a fix's text is memoised by value: a real record's values are new
        edits._render_cached.cache_clear()
        signal.setitimer(signal.ITIMER_REAL, limit)
        try:
            t = time.perf_counter()
            list(rule.func(rec, ctx))
            took = time.perf_counter() - t
        except _Late:
            return None
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        best = took if best is None else min(best, took)
    return best


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10000,1000000", help="value sizes (10000,1000000)")
    ap.add_argument("--limit", type=float, default=60.0, help="seconds per rule and record (60)")
    ap.add_argument("--top", type=int, default=0, help="rules listed (0: all)")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    signal.signal(signal.SIGALRM, _stop)
    rules = [r for r in all_rules().values() if r.scope == "record"]
    linter = Linter(Settings(select=frozenset(r.code for r in rules)))
    records = []
    for size in sizes:
        text = record_text(size)
        result = parse_bytes(text.encode("utf-8"), f"{FIGID}.md")
        if result.record is None:
            print(f"the {size}-character record does not parse: {result.issues[:1]}")
            return 1
        linter._prepare(result.record)
        records.append((size, len(text), result.record))
    # as the engine's workers do: what was loaded before is never scanned, and
    # the collector's passes over a 20 MB record's objects are not the rule's
    gc.collect()
    gc.freeze()
    gc.disable()
    print("record sizes: " + ", ".join(f"{s:,} ({n / 1e6:.1f} MB of text)" for s, n, _ in records))
    rows = []
    for rule in rules:
        _time(rule, records[0][2], linter.ctx, 1, args.limit)  # warm-up: tables, memos
        times = [
            _time(rule, rec, linter.ctx, 3 if i == 0 else 1, args.limit)
            for i, (_, _, rec) in enumerate(records)
        ]
        first, last = times[0], times[-1]
        ratio = last / first if first and last is not None else float("inf")
        rows.append((ratio, rule.code, times))
        print(".", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    rows.sort(key=lambda r: (-r[0], r[1]))
    heads = "".join(f"{f'µs @ {s:,}':>18}" for s in sizes)
    print(f"{'rule':<7}{heads}{'ratio':>10}")
    for ratio, code, times in rows[: args.top or None]:
        cells = "".join(
            f"{'>' + format(args.limit, 'g') + ' s' if t is None else f'{t * 1e6:,.0f}':>18}"
            for t in times
        )
        shown = "inf" if ratio == float("inf") else f"{ratio:,.0f}"
        print(f"{code:<7}{cells}{shown:>10}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
