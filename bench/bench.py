#!/usr/bin/env python3
"""Benchmark pfocr-lint against its anchor, check-jsonschema, on the same files.

    python bench/bench.py [--n 10000] [--runs 3] [--skip-anchor] [--keep]

1. Builds, in a work dir (default ``bench/work/``, git-ignored), N unique record
   files from the shared corpus (``<repo>/../shared/corpus`` unless
   ``--corpus``): the corpus records copied round-robin (round 0 is the corpus
   itself), each later copy's ``pmcid`` moved to the next unused number above
   the previous copy's (``PMC10003241`` -> ``PMC10003242`` or a little more),
   which rewrites ``figid``, ``figlink``, ``figid_alias``, ``redirect_from``,
   ``@id`` and the file name consistently. Figures of one paper stay one
   paper, no two copies collide, and the number keeps its magnitude (the
   linter dates B/C records by their pmcid), so every copy is as clean as its
   original: the script checks that the findings per code equal the corpus's
   own times the copies. Sidecar tables are copied under the new figid; each
   record's front matter is also written alone as ``.yaml`` for
   check-jsonschema, which cannot read Markdown front matter.
2. Times, in fresh processes, alternating, ``--runs`` repetitions (medians):
   ``records`` (``pfocr-lint check collection/_figures``), ``collection``
   (``pfocr-lint check collection``: sidecars and collection rules too),
   ``check-jsonschema`` on the ``.yaml`` files (one invocation, or several
   summed when the command line would be too long), ``records 1k`` (the
   records case on 1,000 files, for memory), and ``records, no XR, 1 job`` at
   both sizes (``--ignore XR --jobs 1``: the memory of the per-record linting
   alone, in the one process that lints every record).
3. Times one record (pre-commit case): median of 11 runs of each tool on one
   file, start-up included.
4. Measures peak RSS: every measured command runs under a small helper
   process, so ``RUSAGE_CHILDREN`` ``ru_maxrss`` is that measurement's largest
   single process (worker processes included: they are reaped before the
   helper reads it).

Standard library only; pfocr-lint runs in the work dir beside an empty
``pfocr-lint.toml``, so the repository's configuration never applies.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
STAMP = "bench-stamp.json"
STAMP_VERSION = 2
SMALL_N = 1000
ONE_RUNS = 11
TARGET_RATIO = 5.0
TARGET_PER_CORE = 4.0  # CPU per record, --jobs 1, against check-jsonschema's (issue 17)
TARGET_ONE = 0.35
FLAT_LIMIT = 1.25  # RSS at N files / RSS at 1,000 files

# Runs the commands of one measurement and reports wall time (summed over
# the commands), exit codes and the rusage of its children. The spec arrives
# on stdin (a file list can exceed the size of one argument).
HELPER = r"""
import json, resource, subprocess, sys, time
spec = json.load(sys.stdin)
out = open(spec["stdout"], "wb")
err = open(spec["stderr"], "wb")
total, rcs = 0.0, []
for cmd in spec["cmds"]:
    t = time.perf_counter()
    p = subprocess.run(cmd, cwd=spec["cwd"], stdin=subprocess.DEVNULL, stdout=out, stderr=err)
    total += time.perf_counter() - t
    rcs.append(p.returncode)
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"seconds": total, "rcs": rcs, "maxrss_kb": ru.ru_maxrss,
                  "cpu": ru.ru_utime + ru.ru_stime}))
"""

PMCID_LINE = re.compile(r"^pmcid:[ \t]*['\"]?(PMC[0-9]+)['\"]?[ \t]*$", re.M)
FIGID_LINE = re.compile(r"^figid:[ \t]*['\"]?(PMC[0-9]+)__", re.M)
SIDECAR = re.compile(r"^(.*)-(?:genes|chemicals|diseases)\.tsv$")
CONCISE = re.compile(r"^(.*?):(\d+):(\d+): ([A-Z]+[0-9]+)\b")


# -- locating the tools ---------------------------------------------------------------
def tool(name: str) -> list[str] | None:
    """The console script beside this interpreter (no shell shim in between),
    else the one on PATH."""
    local = Path(sys.executable).parent / name
    if local.is_file() and os.access(local, os.X_OK):
        return [str(local)]
    found = shutil.which(name)
    return [found] if found else None


# -- building the work dir ------------------------------------------------------------
def corpus_records(corpus: Path) -> list[Path]:
    figs = sorted((corpus / "_figures").glob("*.md"))
    if not figs:
        sys.exit(f"bench: no records in {corpus / '_figures'} (use --corpus)")
    return figs


def corpus_digest(corpus: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(corpus.rglob("*")):
        if p.is_file():
            st = p.stat()
            h.update(f"{p.relative_to(corpus)}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:16]


def front_matter(text: str) -> str | None:
    lines = text.lstrip("\ufeff").split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return "\n".join(lines[1:i]) + "\n"
    return None


def source_pmcid(text: str) -> str | None:
    m = PMCID_LINE.search(text) or FIGID_LINE.search(text)
    return m.group(1) if m else None


def copy_pmcid(pmcid: str, rnd: int, moved: dict, taken: set[int]) -> str:
    """The pmcid of round ``rnd``'s copy of paper ``pmcid``: the paper itself in
    round 0, then each round the next number above the previous copy's that no
    paper or copy uses yet (injective; deterministic; stays close)."""
    key = (pmcid, rnd)
    if key not in moved:
        if rnd == 0:
            moved[key] = pmcid
        else:
            num = int(copy_pmcid(pmcid, rnd - 1, moved, taken)[3:]) + 1
            while num in taken:
                num += 1
            taken.add(num)
            moved[key] = f"PMC{num}"
    return moved[key]


def build(corpus: Path, work: Path, n: int, extras: bool = True) -> list[tuple[str, str]]:
    """Write the collection, the .yaml copies and the 1k subset (those two
    only with ``extras``); return the manifest [(new stem, source stem)]."""
    for sub in ("collection", "yaml", "small", "out"):
        shutil.rmtree(work / sub, ignore_errors=True)
    figs_dir = work / "collection" / "_figures"
    data_dir = work / "collection" / "_data"
    yaml_dir = work / "yaml"
    small_dir = work / "small" / "_figures"
    for d in (figs_dir, data_dir, yaml_dir, small_dir, work / "out"):
        d.mkdir(parents=True, exist_ok=True)
    # an empty configuration: defaults, whatever the repository's pyproject says
    (work / "pfocr-lint.toml").write_text("# bench: default settings\n", encoding="utf-8")

    sources = []
    for path in corpus_records(corpus):
        text = path.read_text(encoding="utf-8")
        pmcid = source_pmcid(text)
        if pmcid is None:
            print(f"bench: skipping {path.name}: no usable pmcid", file=sys.stderr)
            continue
        sidecars = sorted((corpus / "_data").glob(f"{path.stem}-*.tsv"))
        sources.append((path.stem, text, pmcid, sidecars))
    taken = {int(pmcid[3:]) for _, _, pmcid, _ in sources}
    moved: dict[tuple[str, int], str] = {}  # (pmcid, round) -> its copy's pmcid
    manifest: list[tuple[str, str]] = []
    seen: set[str] = set()
    for i in range(n):
        stem, text, pmcid, sidecars = sources[i % len(sources)]
        new = copy_pmcid(pmcid, i // len(sources), moved, taken)
        pat = re.compile(rf"(?<![0-9A-Za-z]){re.escape(pmcid)}(?![0-9])")
        new_text = pat.sub(new, text)
        new_stem = pat.sub(new, stem)
        if new_stem in seen:
            sys.exit(f"bench: generated name {new_stem!r} twice")
        seen.add(new_stem)
        (figs_dir / f"{new_stem}.md").write_text(new_text, encoding="utf-8")
        fm = front_matter(new_text) if extras else None
        if fm is not None:
            (yaml_dir / f"{new_stem}.yaml").write_text(fm, encoding="utf-8")
        for table in sidecars:
            suffix = table.name[len(stem) :]
            shutil.copyfile(table, data_dir / f"{new_stem}{suffix}")
        if i < SMALL_N and extras:
            (small_dir / f"{new_stem}.md").write_text(new_text, encoding="utf-8")
        manifest.append((new_stem, stem))
    return manifest


def prepare(args) -> list[tuple[str, str]]:
    work, corpus = args.workdir, args.corpus
    digest = corpus_digest(corpus)
    stamp = work / STAMP
    if args.keep and stamp.is_file():
        try:
            old = json.loads(stamp.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            old = {}
        if (
            old.get("version") == STAMP_VERSION
            and old.get("n") == args.n
            and old.get("corpus") == digest
            and old.get("big", False) == args.big
        ):
            print(f"work dir kept ({args.n} records)")
            return [tuple(x) for x in old["manifest"]]
    work.mkdir(parents=True, exist_ok=True)
    stamp.unlink(missing_ok=True)
    t = time.perf_counter()
    shutil.rmtree(work / "collection" / ".git", ignore_errors=True)
    manifest = build(corpus, work, args.n, extras=not args.big)
    stamp.write_text(
        json.dumps(
            {
                "version": STAMP_VERSION,
                "n": args.n,
                "corpus": digest,
                "big": args.big,
                "manifest": manifest,
            }
        ),
        encoding="utf-8",
    )
    tables = len(list((work / "collection" / "_data").iterdir()))
    print(
        f"built {len(manifest)} records, {tables} sidecar tables in {time.perf_counter() - t:.1f} s"
    )
    return manifest


# -- measuring ------------------------------------------------------------------------
CHILD_ENV: dict[str, str] | None = None


def child_env(work: Path) -> dict[str, str]:
    """The tools' environment: bytecode cached under the work dir (a normal
    install has its .pyc files; PYTHONDONTWRITEBYTECODE would make every
    start-up recompile whatever module changed since its .pyc was written),
    and no colour."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    env["NO_COLOR"] = "1"
    env.pop("GITHUB_ACTIONS", None)
    return env


def measure(cmds: list[list[str]], cwd: Path, out: Path) -> dict:
    spec = {
        "cmds": cmds,
        "cwd": str(cwd),
        "stdout": f"{out}.out",
        "stderr": f"{out}.err",
    }
    p = subprocess.run(
        [sys.executable, "-c", HELPER],
        input=json.dumps(spec),
        capture_output=True,
        text=True,
        check=True,
        env=CHILD_ENV,
    )
    return json.loads(p.stdout)


def batches(names: list[str], fixed: list[str]) -> list[list[str]]:
    """Split a file list like xargs, but with the largest command line the OS
    takes (fewer start-ups: the conservative choice for the anchor)."""
    env = sum(len(k) + len(v) + 2 for k, v in os.environ.items())
    try:
        arg_max = os.sysconf("SC_ARG_MAX")
    except (ValueError, OSError):
        arg_max = 131072
    limit = max(16384, arg_max // 2 - env)
    base = sum(len(a) + 9 for a in fixed)  # + pointer per argument
    out, cur, size = [], [], base
    for name in names:
        cost = len(name.encode()) + 9
        if cur and size + cost > limit:
            out.append(fixed + cur)
            cur, size = [], base
        cur.append(name)
        size += cost
    if cur:
        out.append(fixed + cur)
    return out


class Case:
    def __init__(self, name: str, files: int, cmds: list[list[str]], cwd: Path, anchor=None):
        self.name, self.files, self.cmds, self.cwd = name, files, cmds, cwd
        self.anchor = anchor  # the Case this one is compared with
        self.runs: list[dict] = []

    def run(self, work: Path, rep: int) -> dict:
        slug = re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-")
        r = measure(self.cmds, self.cwd, work / "out" / f"{slug}.{rep}")
        r["out"] = str(work / "out" / f"{slug}.{rep}.out")
        r["err"] = str(work / "out" / f"{slug}.{rep}.err")
        self.runs.append(r)
        return r

    @property
    def seconds(self) -> float:
        return statistics.median(r["seconds"] for r in self.runs)

    @property
    def rate(self) -> float:
        return self.files / self.seconds if self.seconds else float("inf")

    @property
    def rss_mb(self) -> float:
        return max(r["maxrss_kb"] for r in self.runs) / 1024

    @property
    def cpu(self) -> float:
        return statistics.median(r["cpu"] for r in self.runs)

    def cpu_ratio(self) -> float | None:
        """check-jsonschema's CPU over ours, per repetition, median (one
        process against one: what a core does)."""
        if self.anchor is None or not self.anchor.runs or not self.runs:
            return None
        pairs = zip(self.anchor.runs, self.runs)
        return statistics.median(a["cpu"] / r["cpu"] for a, r in pairs if r["cpu"])

    def ratio(self) -> float | None:
        """check-jsonschema's time over ours, compared within each repetition
        (the cases alternate, so both saw the same state of a noisy box),
        then the median of those ratios."""
        if self.anchor is None or not self.anchor.runs:
            return None
        if len(self.anchor.runs) != len(self.runs):
            return self.anchor.seconds / self.seconds
        return statistics.median(
            a["seconds"] / r["seconds"] for a, r in zip(self.anchor.runs, self.runs)
        )


# -- checking the output --------------------------------------------------------------
def count_codes(path: Path, by_file: bool = False):
    total: Counter = Counter()
    per: dict[str, Counter] = {}
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            m = CONCISE.match(line)
            if not m:
                continue
            total[m.group(4)] += 1
            if by_file:
                stem = record_stem(m.group(1))
                per.setdefault(stem, Counter())[m.group(4)] += 1
    return (total, per) if by_file else total


def record_stem(filename: str) -> str:
    """The record a finding belongs to: its own file, or the record whose
    sidecar table it is about ("" for collection-wide findings)."""
    name = Path(filename).name if filename else ""
    m = SIDECAR.match(name)
    if m:
        return m.group(1)
    return name.removesuffix(".md")


def problems_of(case: Case) -> list[str]:
    notes = []
    for i, r in enumerate(case.runs):
        bad = [rc for rc in r["rcs"] if rc != 0]
        if bad:
            err = Path(r["err"]).read_text(encoding="utf-8", errors="replace").splitlines()
            errors = [e for e in err if e.strip()]
            first = errors[0][:160] if errors else "(no stderr)"
            notes.append(
                f"{case.name} run {i + 1}: exit {sorted(set(bad))}, "
                f"{len(errors)} stderr line(s); first: {first}"
            )
    return notes


def expected_counts(lint: list[str], corpus: Path, work: Path, manifest) -> Counter | None:
    """Findings per code the copies should give: the corpus's own findings,
    file by file, times the number of copies of each file."""
    r = measure(
        [
            lint
            + [
                "check",
                str(corpus),
                "--quiet",
                "--no-cache",
                "--output-format",
                "concise",
                "--exit-zero",
                "--jobs",
                "1",
            ]
        ],
        work,
        work / "out" / "corpus",
    )
    _, per = count_codes(work / "out" / "corpus.out", by_file=True)
    copies = Counter(src for _, src in manifest)
    exp: Counter = Counter()
    for src, k in copies.items():
        for code, c in per.get(src, Counter()).items():
            exp[code] += c * k
    if r["rcs"][0] not in (0, 1):
        return None
    return exp


# -- the big case: 100,000 records, the results cache and the incremental index ---------
BIG_N = 100_000
TARGET_INCREMENTAL = 0.05  # one file changed: at most this share of the cold run (issue 17)
TARGET_WARM = 0.04  # nothing changed
TARGET_SINCE = 0.03  # --changed-since with one file
TARGET_XR = 1 / 20  # the XR pass alone (--select XR) after one change, of its own cold run
TARGET_BIG_RSS = 150.0  # MB, peak of any single process
EDIT = "\n<!-- bench: an edit that changes no finding -->\n"


def git(work: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=bench", "-c", "user.email=bench@localhost", *args],
        cwd=work,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def supports(lint: list[str], flag: str) -> bool:
    p = subprocess.run(
        lint + ["check", "--help"], capture_output=True, text=True, env=CHILD_ENV, check=False
    )
    return flag in p.stdout


def big(args, lint: list[str], manifest) -> int:
    """The opt-in 100,000-record case (``--big``): cold without the cache,
    cold writing it, warm, one file changed, ``--changed-since`` (with the
    whole run's cache; then with no cache yet, and again with the
    unchanged files' index the first kept), peak memory; ratios to the cold
    run of the same repetition, medians."""
    work = args.workdir
    coll = work / "collection"
    n = len(manifest)
    cache_dir = work / ".pfocr-lint-cache"
    flags = ["--quiet", "--output-format", "concise", "--exit-zero"]
    if args.jobs:
        flags += ["--jobs", str(args.jobs)]
    changed_since = supports(lint, "--changed-since")
    if changed_since and not (coll / ".git").is_dir():
        t = time.perf_counter()
        git(coll, "init", "-q")
        git(coll, "config", "gc.auto", "0")
        git(coll, "add", "-A")
        git(coll, "commit", "-q", "-m", "bench collection")
        print(f"git repository of the collection made in {time.perf_counter() - t:.0f} s")
    edited = coll / "_figures" / f"{manifest[n // 2][0]}.md"
    original = edited.read_bytes()

    def case(name, extra=()):
        return Case(name, n, [lint + ["check", ".", *flags, *extra]], coll)

    cold = case("cold, no cache", ["--no-cache"])
    filling = case("cold, writing the cache")
    warm = case("warm (nothing changed)")
    one = case("one file changed")
    since_first = case("--changed-since, unchanged", ["--changed-since", "HEAD"])
    since = case("--changed-since, one file", ["--changed-since", "HEAD"])
    # the collection (XR) pass alone: its own cold run, its cache, one file changed
    xr_cold = case("XR only, no cache", ["--select", "XR", "--no-cache"])
    xr_fill = case("XR only, writing the cache", ["--select", "XR"])
    xr_one = case("XR only, one file changed", ["--select", "XR"])
    # --changed-since with no whole run's cache of this version (an upgrade,
    # a new clone): the cache folder removed before the first; the second
    # reads the unchanged files' index the first kept
    stale = case("--changed-since, no cache yet", ["--changed-since", "HEAD"])
    stale_again = case("--changed-since, its index kept", ["--changed-since", "HEAD"])
    cases = [cold, filling, warm] + ([since_first] if changed_since else []) + [one]
    cases += [since] if changed_since else []
    if not args.no_xr_case:
        cases += [xr_cold, xr_fill, xr_one]
    cases += [stale, stale_again] if changed_since else []
    edited_cases = {one, since, xr_one, stale, stale_again}

    # warm-up (untimed): bytecode, the OS file cache
    measure([lint + ["check", "_figures", *flags, "--no-cache"]], coll, work / "out" / "warmup")
    try:
        for rep in range(args.runs):
            for c in cases:
                if c is filling or c is stale:
                    shutil.rmtree(cache_dir, ignore_errors=True)
                want = original + EDIT.encode() * (1 + (c is xr_one)) if c in edited_cases else None
                if want is not None and edited.read_bytes() != want:
                    edited.write_bytes(want)
                elif c is xr_fill:  # the XR cache filled before that file's edit
                    edited.write_bytes(original)
                # the disk's write-back of the cases before (a cache of 1.8 GB
                # and their output at 100,000 records) done first, untimed:
                # no case is charged for another's deferred writes
                getattr(os, "sync", lambda: None)()
                r = c.run(work, rep)
                print(
                    f"  run {rep + 1}/{args.runs} {c.name:<26} {r['seconds']:7.2f} s"
                    f"  rss {r['maxrss_kb'] / 1024:6.1f} MB  exit {r['rcs'][0]}",
                    flush=True,
                )
            edited.write_bytes(original)
    finally:
        edited.write_bytes(original)

    head = ["case", "files", "median s", "× cold", "peak RSS MB", "CPU s"]
    rows = []
    for c in cases:
        ratio = statistics.median(r["seconds"] / k["seconds"] for r, k in zip(c.runs, cold.runs))
        rows.append(
            [
                c.name,
                f"{c.files:,}",
                f"{c.seconds:.2f}",
                f"{ratio:.3f}",
                f"{c.rss_mb:.1f}",
                f"{c.cpu:.2f}",
            ]
        )
    print_table(head, rows)
    print(
        f"({args.runs} runs, medians; × cold = the median of the per-run ratios to the "
        f"cold run without the cache; peak RSS = largest single process)"
    )
    print()

    notes = []
    for c in cases:
        notes += problems_of(c)
    # the cache changes no finding: the same output as the cold run, line for line
    expected = Path(cold.runs[-1]["out"]).read_bytes()
    for c in (filling, warm, one):
        for i, r in enumerate(c.runs):
            if Path(r["out"]).read_bytes() != expected:
                notes.append(f"{c.name} run {i + 1}: output differs from the cold run's")
    if xr_cold.runs:
        expected_xr = Path(xr_cold.runs[-1]["out"]).read_bytes()
        for c in (xr_fill, xr_one):
            for i, r in enumerate(c.runs):
                if Path(r["out"]).read_bytes() != expected_xr:
                    notes.append(f"{c.name} run {i + 1}: output differs from the XR cold run's")
    if changed_since:
        name = str(edited.relative_to(coll))
        mine = [ln for ln in expected.decode().splitlines() if ln.startswith(name + ":")]
        for c in (since, stale, stale_again):
            got = Path(c.runs[-1]["out"]).read_text(encoding="utf-8").splitlines()
            if got != mine:
                notes.append(f"{c.name}: findings differ from the edited file's in the cold run")
    else:
        print("--changed-since: not measured (this pfocr-lint has no --changed-since)")

    def against(case, base, target, what):
        wall = statistics.median(r["seconds"] / k["seconds"] for r, k in zip(case.runs, base.runs))
        cpu = statistics.median(r["cpu"] / k["cpu"] for r, k in zip(case.runs, base.runs))
        print(
            f"{what}: {wall:.3f} wall, {cpu:.3f} CPU (target ≤ {target:.2f}: "
            f"{'met' if wall <= target else 'MISSED'})"
        )

    against(warm, cold, TARGET_WARM, "warm / cold")
    against(one, cold, TARGET_INCREMENTAL, "one file changed / cold")
    if changed_since:
        against(since, cold, TARGET_SINCE, "--changed-since, one file / cold")
        against(stale_again, cold, TARGET_SINCE, "--changed-since, its index kept / cold")
    if xr_one.runs:
        against(xr_one, xr_cold, TARGET_XR, "XR only, one file changed / XR only, cold")
    peak = max(c.rss_mb for c in cases)
    print(
        f"peak RSS, any case: {peak:.1f} MB (target < {TARGET_BIG_RSS:.0f} MB: "
        f"{'met' if peak < TARGET_BIG_RSS else 'MISSED'})"
    )
    for note in notes:
        print(f"problem: {note}")
    return 0


# -- main -----------------------------------------------------------------------------
def git_state() -> str:
    try:
        head = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--", "linter", "schema"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        return head + (" + uncommitted changes in linter/ or schema/" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def fmt_row(cells, widths):
    return "  ".join(
        (c.ljust(w) if i == 0 else c.rjust(w)) for i, (c, w) in enumerate(zip(cells, widths))
    )


def print_table(head, rows) -> None:
    """A blank line, then the rows in columns under ``head`` and a rule."""
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    print()
    print(fmt_row(head, widths))
    print(fmt_row(["-" * w for w in widths], widths))
    for r in rows:
        print(fmt_row(r, widths))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, help="records to generate (default 10000)")
    ap.add_argument("--runs", type=int, default=3, help="repetitions, median reported (default 3)")
    ap.add_argument(
        "--corpus",
        type=Path,
        default=REPO.parent / "shared" / "corpus",
        help="corpus with _figures/ and _data/ (default <repo>/../shared/corpus)",
    )
    ap.add_argument(
        "--workdir",
        type=Path,
        default=REPO / "bench" / "work",
        help="where to build the files (default bench/work/)",
    )
    ap.add_argument("--schema", type=Path, default=REPO / "schema" / "pfocr-figure.schema.json")
    ap.add_argument("--jobs", type=int, help="pass --jobs to pfocr-lint (default: its own)")
    ap.add_argument("--skip-anchor", action="store_true", help="do not run check-jsonschema")
    ap.add_argument(
        "--keep",
        action="store_true",
        help="reuse the work dir when it holds the same N from the same corpus",
    )
    ap.add_argument(
        "--big",
        action="store_true",
        help=f"the {BIG_N:,}-record case instead (cache, incremental index, memory; "
        "work dir bench/work-big/, --n defaults to 100000)",
    )
    ap.add_argument("--records", type=int, dest="n", help="the same as --n")
    ap.add_argument(
        "--no-xr-case",
        action="store_true",
        help="big case: leave out the XR-only runs (--select XR: cold, cache, one changed)",
    )
    args = ap.parse_args(argv)
    if args.n is None:
        args.n = BIG_N if args.big else 10000
    elif args.n >= BIG_N:
        args.big = True
    if args.big and args.workdir == REPO / "bench" / "work":
        args.workdir = REPO / "bench" / "work-big"
    if args.n < 1 or args.runs < 1:
        ap.error("--n and --runs must be positive")
    args.corpus = args.corpus.resolve()
    args.workdir = args.workdir.resolve()
    work = args.workdir

    lint = tool("pfocr-lint") or [sys.executable, "-m", "linter"]
    if args.big:
        print(
            f"pfocr-lint bench, big case: {time.strftime('%Y-%m-%d %H:%M')}, "
            f"{os.cpu_count()} CPU(s), Python {sys.version.split()[0]}, code {git_state()}"
        )
        manifest = prepare(args)
        global CHILD_ENV
        CHILD_ENV = child_env(args.workdir)
        return big(args, lint, manifest)
    cj = None if args.skip_anchor else tool("check-jsonschema")
    if not args.skip_anchor and cj is None:
        sys.exit("bench: check-jsonschema not found (pip install -e '.[bench]', or --skip-anchor)")

    print(
        f"pfocr-lint bench: {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} CPU(s), "
        f"Python {sys.version.split()[0]}, code {git_state()}"
    )
    manifest = prepare(args)
    CHILD_ENV = child_env(work)
    n = len(manifest)
    yaml_names = sorted(p.name for p in (work / "yaml").glob("*.yaml"))
    small = min(SMALL_N, n)

    flags = ["--quiet", "--no-cache", "--output-format", "concise", "--exit-zero"]
    one_core = [*flags, "--jobs", "1"]  # the per-core case: one process, no workers
    if args.jobs:
        flags += ["--jobs", str(args.jobs)]
    anchor = None
    if cj:
        cj_fixed = cj + ["--schemafile", str(args.schema.resolve())]
        anchor = Case(
            "check-jsonschema", len(yaml_names), batches(yaml_names, cj_fixed), work / "yaml"
        )
    cases = [
        Case("records", n, [lint + ["check", "collection/_figures", *flags]], work, anchor),
        Case("collection", n, [lint + ["check", "collection", *flags]], work, anchor),
        Case(
            "records, --jobs 1",
            n,
            [lint + ["check", "collection/_figures", *one_core]],
            work,
            anchor,
        ),
        # what the abbreviation rule (the costliest rule) costs against the anchor
        Case(
            "records, no GN106",
            n,
            [lint + ["check", "collection/_figures", *flags, "--ignore", "GN106"]],
            work,
            anchor,
        ),
    ]
    if anchor:
        cases.append(anchor)
    if small < n:
        small_name = f"records {small // 1000}k" if small % 1000 == 0 else f"records {small}"
        no_xr = [*one_core, "--ignore", "XR"]
        cases += [
            Case(small_name, small, [lint + ["check", "small/_figures", *flags]], work),
            # memory of the per-record linting alone (the XR rules' index grows
            # with the collection by design: see the memory lines), in one
            # process that lints every record: each worker process of a run
            # lints a share, so their peaks would compare 500 records with
            # 5,000, not 1,000 with 10,000
            Case(
                "records, no XR, 1 job", n, [lint + ["check", "collection/_figures", *no_xr]], work
            ),
            Case(
                f"{small_name}, no XR, 1 job",
                small,
                [lint + ["check", "small/_figures", *no_xr]],
                work,
            ),
        ]
    if anchor and len(anchor.cmds) > 1:
        print(f"check-jsonschema: {len(anchor.cmds)} invocations per run (times summed)")

    # one record, the pre-commit case: start-up included
    one_md = sorted((work / "collection" / "_figures").glob("*.md"))[0]
    one_yaml = work / "yaml" / (one_md.stem + ".yaml")
    one_cj = None
    one_pl = Case("one record", 1, [lint + ["check", str(one_md.relative_to(work)), *flags]], work)
    if cj:
        one_cj = Case("one record c-j", 1, [cj_fixed + [one_yaml.name]], work / "yaml")
        one_pl.anchor = one_cj

    # warm-up (untimed): bytecode into the work dir's cache, files into the OS cache
    warm = [lint + ["check", "small/_figures" if small < n else "collection/_figures", *flags]]
    measure(warm, work, work / "out" / "warmup")
    if one_cj:
        measure(one_cj.cmds, one_cj.cwd, work / "out" / "warmup-cj")

    for rep in range(args.runs):
        for c in cases:
            r = c.run(work, rep)
            print(
                f"  run {rep + 1}/{args.runs} {c.name:<17} {r['seconds']:7.2f} s"
                f"  rss {r['maxrss_kb'] / 1024:6.1f} MB  exit {r['rcs'][0]}",
                flush=True,
            )

    for rep in range(ONE_RUNS):
        one_pl.run(work, rep)
        if one_cj:
            one_cj.run(work, rep)
    cases += [one_pl] + ([one_cj] if one_cj else [])

    # the table
    head = ["case", "files", "median s", "files/s", "vs c-j", "peak RSS MB", "CPU s"]
    rows = []
    for c in cases:
        ratio = c.ratio()
        rows.append(
            [
                c.name,
                f"{c.files:,}",
                f"{c.seconds:.3f}" if c.files == 1 else f"{c.seconds:.2f}",
                f"{c.rate:,.0f}" if c.rate >= 10 else f"{c.rate:.2f}",
                f"{ratio:.1f}×" if ratio is not None else "-",
                f"{c.rss_mb:.1f}",
                f"{c.cpu:.2f}",
            ]
        )
    print_table(head, rows)
    print(
        f"({args.runs} runs, medians; one record: {ONE_RUNS} runs; "
        f"peak RSS = largest single process, worker processes included)"
    )
    print()

    rec, col = cases[0], cases[1]
    by_name = {c.name: c for c in cases}
    small_case = next((c for c in cases if c.name.startswith("records ")), None)
    if small_case:
        big_no_xr = by_name["records, no XR, 1 job"]
        small_no_xr = by_name[f"{small_case.name}, no XR, 1 job"]
        growth = big_no_xr.rss_mb / small_no_xr.rss_mb
        print(
            f"memory, per-record linting (XR rules off, one process): {small:,} files "
            f"{small_no_xr.rss_mb:.1f} MB -> {n:,} files {big_no_xr.rss_mb:.1f} MB "
            f"({growth:.2f}×: {'flat' if growth <= FLAT_LIMIT else 'NOT flat'})"
        )
        print(
            f"memory, all rules: {small:,} files {small_case.rss_mb:.1f} MB -> {n:,} files "
            f"{rec.rss_mb:.1f} MB (largest process, workers included)"
        )
        one_job = by_name["records, --jobs 1"]
        per_file = (one_job.rss_mb - big_no_xr.rss_mb) * 1024 / n
        print(
            f"memory, the index the XR rules compare across files: {n:,} files in one "
            f"process {one_job.rss_mb:.1f} MB with the XR rules, {big_no_xr.rss_mb:.1f} MB "
            f"without ({per_file:+.2f} KB per file)"
        )
    print(
        f"one record: pfocr-lint {one_pl.seconds:.3f} s"
        + (f", check-jsonschema {one_cj.seconds:.3f} s" if one_cj else "")
        + f" (target < {TARGET_ONE} s: {'met' if one_pl.seconds < TARGET_ONE else 'MISSED'})"
    )

    notes = []
    for c in cases:
        if c is not anchor and c is not one_cj:
            notes += problems_of(c)
    observed = count_codes(Path(col.runs[-1]["out"]))
    expected = expected_counts(lint, args.corpus, work, manifest)
    obs_line = ", ".join(f"{k} {v}" for k, v in sorted(observed.items())) or "none"
    print(f"findings, collection run: {sum(observed.values())} ({obs_line})")
    if expected is None:
        notes.append("could not lint the corpus itself to compare finding counts")
    else:
        diff = {
            k: (observed.get(k, 0), expected.get(k, 0))
            for k in set(observed) | set(expected)
            if observed.get(k, 0) != expected.get(k, 0)
        }
        if diff:
            notes.append(
                "findings differ from the corpus's own times the copies (observed/expected): "
                + ", ".join(f"{k} {o}/{e}" for k, (o, e) in sorted(diff.items()))
            )
        else:
            print("findings match the corpus's own, copy for copy")
    for note in notes:
        print(f"problem: {note}")

    if anchor:
        for c in (rec, col):
            r = c.ratio()
            print(
                f"pfocr-lint/check-jsonschema ratio: {r:.1f}× ({c.name}; target ≥ "
                f"{TARGET_RATIO:.0f}×: {'met' if r >= TARGET_RATIO else 'MISSED'})"
            )
        core = by_name["records, --jobs 1"]
        r = core.cpu_ratio()
        if r is not None:
            print(
                f"per core (--jobs 1): pfocr-lint {core.cpu / n * 1e3:.3f} ms of CPU per record, "
                f"check-jsonschema {anchor.cpu / anchor.files * 1e3:.3f} ms: {r:.1f}× "
                f"(target ≥ {TARGET_PER_CORE:.0f}×: {'met' if r >= TARGET_PER_CORE else 'MISSED'})"
            )
    else:
        core = by_name["records, --jobs 1"]
        print(f"per core (--jobs 1): pfocr-lint {core.cpu / n * 1e3:.3f} ms of CPU per record")
    return 0


if __name__ == "__main__":
    sys.exit(main())
