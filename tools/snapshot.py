"""Byte-identity snapshot of everything pfocr-lint prints and writes.

Runs the installed ``pfocr-lint`` (``python -m linter``) over four inputs (the
seeds, the test corpus copy, every rule fixture case written out as a file,
and a 10,000-record collection built as ``bench/bench.py`` builds it) with
every ``--output-format``, ``--statistics``, ``--diff`` (safe and unsafe),
``--fix`` (safe and unsafe: the fixed tree is hashed) and ``report``, and
writes each output under ``OUT/`` plus ``OUT/manifest.json`` (name -> SHA-256).

    python tools/snapshot.py OUT                  # take a snapshot
    python tools/snapshot.py OUT2 --compare OUT   # take another, compare: exit 1 on a difference

Run it before and after a change meant to be behaviour-neutral. ``--small``
leaves out the 10,000-record collection (a minute of the run).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
FORMATS = ("full", "concise", "json", "github", "sarif", "gitlab", "junit", "csv")
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "bench"))


def env() -> dict[str, str]:
    e = {
        k: v
        for k, v in os.environ.items()
        if k not in ("CI", "GITHUB_ACTIONS", "NO_COLOR", "FORCE_COLOR", "COLUMNS")
    }
    # this checkout's code, whatever is installed; COLUMNS: one width for the full format
    e.update(COLUMNS="100", TERM="dumb", PYTHONHASHSEED="0", PYTHONPATH=str(REPO))
    return e


def run(args: list[str], cwd: Path) -> bytes:
    p = subprocess.run(
        [sys.executable, "-m", "linter", *args],
        cwd=cwd,
        env=env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    return p.stdout + f"\n[exit {p.returncode}]\n".encode()


def tree_digest(root: Path) -> bytes:
    lines = []
    for p in sorted(root.rglob("*")):
        if p.is_file() and ".pfocr-lint-cache" not in p.parts:
            lines.append(f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.relative_to(root)}")
    return ("\n".join(lines) + "\n").encode()


def write_fixture_cases(dest: Path) -> None:
    from rulefixtures import FIXTURES, case_text, default_filename

    for path in sorted(FIXTURES.glob("*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        for i, case in enumerate(spec["cases"]):
            folder = dest / f"{path.stem}-{i}"
            text = case_text(case)
            target = folder / (case.get("filename") or default_filename(text))
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(text.encode("utf-8", "surrogateescape"))
            for rel, content in (case.get("files") or {}).items():
                p = (target.parent / rel).resolve()
                p.parent.mkdir(parents=True, exist_ok=True)
                p.write_text(content, encoding="utf-8")


def datasets(work: Path, small: bool) -> dict[str, Path]:
    sets = {}
    seeds = work / "seeds"
    shutil.copytree(REPO / "seeds", seeds / "seeds")
    sets["seeds"] = seeds
    corpus = work / "corpus"
    shutil.copytree(REPO / "tests" / "fixtures" / "corpus", corpus / "corpus")
    sets["corpus"] = corpus
    fixtures = work / "fixtures"
    write_fixture_cases(fixtures / "cases")
    sets["fixtures"] = fixtures
    if not small:
        import bench

        big = work / "bench"
        big.mkdir()
        bench.build(REPO / "tests" / "fixtures" / "corpus", big, 10_000, extras=False)
        for sub in ("yaml", "small", "out"):
            shutil.rmtree(big / sub, ignore_errors=True)
        sets["bench10k"] = big
    for root in sets.values():
        (root / "pfocr-lint.toml").write_text("# snapshot: default settings\n", encoding="utf-8")
    return sets


def snapshot(out: Path, small: bool, work: Path) -> dict[str, str]:
    out.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, str] = {}

    def keep(name: str, data: bytes) -> None:
        (out / name).write_bytes(data)
        manifest[name] = hashlib.sha256(data).hexdigest()
        print(f"{manifest[name][:12]}  {name}", flush=True)

    # one fixed work folder: paths in the outputs (SARIF's base URI) are the same every run
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        for name, root in datasets(work, small).items():
            target = [p.name for p in root.iterdir() if p.name != "pfocr-lint.toml"]
            target.sort()
            base = ["check", "--no-cache", *target]
            for fmt in FORMATS:
                keep(f"{name}.{fmt}", run([*base, "--output-format", fmt], root))
            keep(
                f"{name}.full-color",
                run([*base, "--output-format", "full", "--color", "always"], root),
            )
            keep(
                f"{name}.statistics", run([*base, "--statistics", "--output-format", "full"], root)
            )
            keep(
                f"{name}.statistics-json",
                run([*base, "--statistics", "--output-format", "json"], root),
            )
            keep(f"{name}.diff", run([*base, "--diff"], root))
            keep(f"{name}.diff-unsafe", run([*base, "--diff", "--unsafe-fixes"], root))
            if name != "bench10k":
                keep(
                    f"{name}.report-stdout",
                    run(["report", *target, "-o", "r.html"], root),
                )
                keep(f"{name}.report.html", (root / "r.html").read_bytes())
                (root / "r.html").unlink()
            for label, extra in (("fix", []), ("fix-unsafe", ["--unsafe-fixes"])):
                copy = work / f"{name}-{label}"
                shutil.copytree(root, copy, symlinks=True)
                keep(
                    f"{name}.{label}",
                    run([*base, "--fix", *extra, "--output-format", "concise"], copy),
                )
                keep(f"{name}.{label}-tree", tree_digest(copy))
                shutil.rmtree(copy)
        keep("rules.json", run(["rules", "--output-format", "json"], work))
        keep("rules.text", run(["rules"], work))
        keep("rule.GN106", run(["rule", "GN106"], work))
        keep("rule.NA101", run(["rule", "NA101"], work))
        keep("reference", run(["reference"], work))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return manifest


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--compare", type=Path, help="an earlier snapshot folder to compare with")
    ap.add_argument("--small", action="store_true", help="leave out the 10,000-record collection")
    ap.add_argument(
        "--work",
        type=Path,
        default=Path(tempfile.gettempdir()) / "pfocr-snapshot-work",
        help="the work folder (emptied first; the same in both runs)",
    )
    args = ap.parse_args(argv)
    new = snapshot(args.out, args.small, args.work)
    if args.compare is None:
        return 0
    old = json.loads((args.compare / "manifest.json").read_text())
    diff = sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))
    for k in diff:
        print(f"DIFFERS: {k}")
    print(f"{len(new) - len(diff)} of {len(set(old) | set(new))} outputs identical")
    return 1 if diff else 0


if __name__ == "__main__":
    sys.exit(main())
