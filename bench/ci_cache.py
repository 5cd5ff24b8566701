#!/usr/bin/env python3
"""The CI cache (issue 18): a fresh clone plus a restored cache against a
local warm run, on a collection of N records (bench.py's generator).

    python bench/ci_cache.py [--n 10000] [--runs 3]

1. Builds the collection (``_figures/``, ``_data/``, an empty
   ``pfocr-lint.toml``) in a git repository ``origin`` and commits it.
2. ``local``: a clone, ``CI`` unset (``cache-key`` "mtime"): one cold run,
   then warm runs (median of ``--runs``).
3. ``ci``: a clone with ``CI=true`` (``cache-key`` "auto"): one cold run
   fills the cache; its ``.pfocr-lint-cache`` and the key's folder are saved
   (what actions/cache stores). Then, ``--runs`` times: the clone removed, a
   fresh ``git clone`` at the same place (new mtimes and inodes), the cache
   and key restored, the kept code digest removed (the Action reinstalls
   pfocr-lint on every job: the installed files' identity is new, so the
   digest is computed from the bytes again), and the run timed (median).
   Its output must be byte-identical to the cold run's. The warm local runs
   and the restored runs alternate (a shared machine's load falls on both).
4. For reference, the same restored run under ``cache-key = "mtime"`` (what
   CI got before: every record a miss).

Pass: restored / local warm <= 1.5.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402  (the collection generator)

REPO = bench.REPO
TARGET = 1.5
GIT = [
    "git",
    "-c",
    "user.name=bench",
    "-c",
    "user.email=bench@invalid",
    "-c",
    "commit.gpgsign=false",
]


def git(cwd: Path, *args: str) -> None:
    subprocess.run([*GIT, *args], cwd=cwd, check=True, capture_output=True)


def env_for(home: Path, ci: bool, work: Path) -> dict[str, str]:
    env = bench.child_env(work)
    env["PYTHONPATH"] = str(REPO)
    env["PFOCR_LINT_CACHE_SECRET_DIR"] = str(home)
    env.pop("CI", None)
    if ci:
        env["CI"] = "true"
    return {k: v for k, v in env.items() if not k.startswith("GIT_")}


def lint(cwd: Path, env: dict, extra=()) -> tuple[float, bytes, int]:
    cmd = [sys.executable, "-m", "linter", "check", "--output-format", "concise", *extra, "."]
    t = time.perf_counter()
    p = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True)
    elapsed = time.perf_counter() - t
    if p.returncode not in (0, 1):
        sys.exit(f"bench: {cmd} failed ({p.returncode}):\n{p.stderr.decode()[-2000:]}")
    return elapsed, p.stdout, p.returncode


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=3)
    shared = REPO.parent / "shared" / "corpus"
    ap.add_argument(
        "--corpus",
        type=Path,
        default=shared if shared.is_dir() else REPO / "tests" / "fixtures" / "corpus",
    )
    ap.add_argument("--workdir", type=Path, default=REPO / "bench" / "work-ci")
    args = ap.parse_args(argv)
    work = args.workdir.resolve()
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)

    t = time.perf_counter()
    bench.build(args.corpus, work, args.n, extras=False)
    origin = work / "origin"
    (work / "collection").rename(origin)
    (origin / "pfocr-lint.toml").write_text("# bench: default settings\n", encoding="utf-8")
    git(origin, "init", "-q")
    git(origin, "add", "-A")
    git(origin, "commit", "-qm", "collection")
    print(f"built and committed {args.n} records in {time.perf_counter() - t:.1f} s")

    # local: mtime keys, warm
    local = work / "local"
    git(work, "clone", "-q", str(origin), str(local))
    lenv = env_for(work / "home-local", False, work)
    cold_local, local_out, _ = lint(local, lenv)
    lint(local, lenv)  # warm from here on

    # ci: auto keys; cold, then fresh clones with the cache restored
    ci = work / "ci"
    home = work / "home-ci"
    cenv = env_for(home, True, work)
    git(work, "clone", "-q", str(origin), str(ci))
    cold_ci, ci_out, _ = lint(ci, cenv)
    saved, saved_home = work / "saved-cache", work / "saved-home"
    shutil.copytree(ci / ".pfocr-lint-cache", saved)
    shutil.copytree(home, saved_home)

    def restore(mode: str | None = None) -> float:
        shutil.rmtree(ci)
        t = time.perf_counter()
        git(work, "clone", "-q", str(origin), str(ci))
        clone = time.perf_counter() - t
        shutil.copytree(saved, ci / ".pfocr-lint-cache")
        shutil.rmtree(home)
        shutil.copytree(saved_home, home)
        for kept in home.glob("code-digest-*"):  # a reinstalled linter: new identity
            kept.unlink()
        if mode is not None:
            (ci / "pfocr-lint.toml").write_text(f'cache-key = "{mode}"\n', encoding="utf-8")
        return clone

    # alternating, so that the load of the machine falls on both alike
    warm, restored, clones = [], [], []
    for _ in range(args.runs):
        warm.append(lint(local, lenv)[0])
        clones.append(restore())
        elapsed, out, _ = lint(ci, cenv)
        if out != ci_out:
            sys.exit("bench: the restored run's output differs from the cold run's")
        restored.append(elapsed)
    restore("mtime")
    before, out, _ = lint(ci, cenv)

    warm_s, restored_s = statistics.median(warm), statistics.median(restored)
    ratio = restored_s / warm_s
    same = "identical" if local_out == ci_out else "DIFFERENT"
    print(f"records: {args.n}; corpus: {args.corpus}; runs: {args.runs} (medians)")
    print(f"local cold (mtime key):                 {cold_local:7.2f} s")
    print(
        f"local warm (mtime key):                 {warm_s:7.2f} s   {[round(x, 2) for x in warm]}"
    )
    print(f"CI cold (auto key):                     {cold_ci:7.2f} s   (output {same} to local)")
    print(f"git clone (fresh checkout):             {statistics.median(clones):7.2f} s")
    print(
        f"CI fresh clone + restored cache (auto): {restored_s:7.2f} s   {[round(x, 2) for x in restored]}"
    )
    print(f"CI fresh clone + restored cache (mtime, as before): {before:7.2f} s")
    verdict = "PASS" if ratio <= TARGET else "FAIL"
    print(f"restored / local warm = {ratio:.2f} (target <= {TARGET}): {verdict}")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
