"""Time and peak memory of linting one record whose sidecar genes table is
large (issue: table reading must stay bounded and linear).

    python bench/big_table.py [--mb 1 5 20 64]

Builds, in a temporary folder, ``_figures/<seed>.md`` (a seed record without
inline lists) and ``_data/<figid>-genes.tsv`` of the given size (distinct
rows shaped like PFOCR's tables), runs ``pfocr-lint check --no-cache
--output-format json`` on it in a subprocess and prints the wall time, the
throughput and the child's peak RSS. Needs nothing outside the project.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "PMC11745090__cbm-21-1156-g007.md"
HEADER = (
    "organism_id\torganism_name\torganism_group\tword\tmatch\tncbigene_symbol\t"
    "ncbigene_id\tsource\tcount_direct\tcount_synonym\tcount_match\n"
)


def write_table(path: Path, size: int) -> int:
    rows = 0
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(HEADER)
        written = len(HEADER)
        while written < size:
            line = (
                f"9606\tHomo sapiens\tMammals\tGENE{rows}\tGENE{rows}\tSYM{rows}\t"
                f"{100000 + rows}\tncbigene_symbol\t1\t0\t1\n"
            )
            fh.write(line)
            written += len(line)
            rows += 1
    return rows


def measure(size_mb: float) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        figures, data = Path(tmp, "_figures"), Path(tmp, "_data")
        figures.mkdir()
        data.mkdir()
        shutil.copy(SEED, figures / SEED.name)
        table = data / f"{SEED.stem}-genes.tsv"
        rows = write_table(table, int(size_mb * 1024 * 1024))
        size = table.stat().st_size
        cmd = [sys.executable, "-m", "linter", "check", "--no-cache", "--output-format", "json"]
        # a fresh parent per measurement: RUSAGE_CHILDREN is then this run's peak
        probe = (
            "import resource, subprocess, sys, time\n"
            "t = time.perf_counter()\n"
            "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
            "t = time.perf_counter() - t\n"
            "print(t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, p.returncode,"
            " p.stdout.count('\"FM107\"'))\n"
            "sys.stderr.write(p.stderr)\n"
        )
        proc = subprocess.run(
            [sys.executable, "-c", probe, *cmd, str(figures)],
            cwd=tmp,
            capture_output=True,
            text=True,
            check=False,
        )
        elapsed, peak, code, fm107 = proc.stdout.split()
        elapsed = float(elapsed)
        print(
            f"table {size / 1e6:7.1f} MB ({rows:>8} rows): {elapsed:6.2f} s, "
            f"{size / 1e6 / elapsed:6.1f} MB/s, peak RSS {int(peak) / 1024:6.1f} MB, "
            f"exit {code}, FM107 x{fm107}"
        )
        if code == "2":
            print(proc.stderr, file=sys.stderr)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, nargs="+", default=[1, 5, 20, 64])
    for mb in ap.parse_args().mb:
        measure(mb)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
