"""Build the release files and check that they work where the checkout is not.

    python tools/check_dist.py            # build into a temporary folder
    python tools/check_dist.py --keep DIR # build into DIR and keep it

``python -m build`` makes the wheel and the sdist; then this checks that

- the wheel holds the package data the linter reads at run time (the JSON
  Schema, every reference table listed in ``SOURCES.json``, the HTML report's
  templates) and the sdist the source the tests and docs need;
- the wheel, installed into a fresh virtual environment, run from a folder
  outside the checkout, gives on a copy of ``seeds/`` exactly the findings
  the checkout gives (so the schema and the reference data come from the
  installed package), ``pfocr-lint reference`` lists every source, and
  ``pfocr-lint --version`` is the declared version.

Exit 0 when all holds, 1 with the reasons otherwise. .ci/run runs it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import venv
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def declared_version() -> str:
    """``__version__`` in linter/__init__.py, read as text (the one place)."""
    for line in (ROOT / "linter" / "__init__.py").read_text("utf-8").splitlines():
        if line.startswith("__version__"):
            return line.split("=", 1)[1].strip().strip("\"'")
    raise SystemExit("linter/__init__.py declares no __version__")


def refdata_sources() -> dict:
    return json.loads((ROOT / "linter" / "refdata" / "SOURCES.json").read_text("utf-8"))


def wheel_problems(wheel: Path) -> list[str]:
    names = set(zipfile.ZipFile(wheel).namelist())
    sources = refdata_sources()
    wanted = {
        "linter/schema/pfocr-figure.schema.json",
        "linter/refdata/SOURCES.json",
        "linter/reporters/html/templates/report.html.j2",
        "linter/cli/main.py",
    }
    wanted |= {f"linter/refdata/{name}" for name in sources["snapshots"]}
    problems = [f"wheel lacks {n}" for n in sorted(wanted - names)]
    if not sources["snapshots"]:
        problems.append("SOURCES.json lists no snapshot")
    if any(n.startswith(("tests/", "seeds/", "bench/")) for n in names):
        problems.append("wheel carries tests, seeds or bench files")
    return problems


def sdist_problems(sdist: Path, version: str) -> list[str]:
    with tarfile.open(sdist) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    wanted = {
        "pyproject.toml",
        "README.md",
        "CHANGELOG.md",
        "action.yml",
        "mkdocs.yml",
        "schema/pfocr-figure.schema.json",
        "linter/refdata/SOURCES.json",
        "tests/conftest.py",
    }
    wanted |= {f"seeds/{p.name}" for p in (ROOT / "seeds").glob("*.md")}
    problems = [f"sdist lacks {n}" for n in sorted(wanted - names)]
    if not sdist.name.startswith(f"pfocr_lint-{version}."):
        problems.append(f"sdist {sdist.name} is not version {version}")
    return problems


def run(cmd, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", metavar="DIR", help="build into DIR and keep it")
    args = parser.parse_args(argv)
    version = declared_version()
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="pfocr-dist-"))
    work.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    try:
        dist = work / "dist"
        built = run([sys.executable, "-m", "build", "--outdir", str(dist), str(ROOT)])
        if built.returncode != 0:
            print(built.stdout[-4000:], built.stderr[-4000:], sep="\n")
            print("check_dist: python -m build failed")
            return 1
        (wheel,) = dist.glob("*.whl")
        (sdist,) = dist.glob("*.tar.gz")
        wheel_name, sdist_name = wheel.name, sdist.name
        if not wheel.name.startswith(f"pfocr_lint-{version}-"):
            problems.append(f"wheel {wheel.name} is not version {version}")
        problems += wheel_problems(wheel)
        problems += sdist_problems(sdist, version)

        # a fresh environment: nothing of the checkout on its path
        env_dir = work / "venv"
        venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
        bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
        py = bindir / "python"
        outside = work / "outside"
        shutil.rmtree(outside, ignore_errors=True)
        shutil.copytree(ROOT / "seeds", outside / "seeds")
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
        env["PATH"] = f"{bindir}{os.pathsep}{env.get('PATH', '')}"
        env["PFOCR_LINT_CACHE_SECRET_DIR"] = str(work / "secret")
        # PYTHONPATH would show pip the checkout's egg-info as pfocr-lint installed
        installed = run([str(py), "-m", "pip", "install", "--quiet", str(wheel)], env=env, cwd=work)
        if installed.returncode != 0:
            print(installed.stdout[-4000:], installed.stderr[-4000:], sep="\n")
            print("check_dist: installing the wheel failed")
            return 1
        exe = str(bindir / "pfocr-lint")
        flags = ["--output-format", "concise", "--no-cache", "--color", "never"]

        where = run([str(py), "-c", "import linter; print(linter.__file__)"], cwd=outside, env=env)
        if str(env_dir) not in where.stdout:
            problems.append(f"the fresh environment imports linter from {where.stdout.strip()}")
        mine = run([exe, "check", *flags, "seeds"], cwd=outside, env=env)
        ref_env = {**env, "PYTHONPATH": str(ROOT)}
        theirs = run(
            [sys.executable, "-m", "linter", "check", *flags, "seeds"], cwd=outside, env=ref_env
        )
        if mine.returncode != 1 or not mine.stdout.strip():
            problems.append(f"installed check on the seeds: exit {mine.returncode}, {mine.stderr}")
        if mine.stdout != theirs.stdout:
            problems.append(
                "the installed wheel's findings on the seeds differ from the checkout's"
            )
        findings = len(re.findall(r"^\S+:\d+:\d+: [A-Z]{2}\d{3} ", mine.stdout, re.M))
        if not findings:
            problems.append("the installed wheel found nothing on the seeds")

        ref = run([exe, "reference"], cwd=outside, env=env)
        names = list(refdata_sources()["sources"])
        if ref.returncode != 0:
            problems.append(f"pfocr-lint reference: exit {ref.returncode}: {ref.stderr}")
        missing = [n for n in names if str(n) not in ref.stdout]
        if missing:
            problems.append(f"pfocr-lint reference does not list {missing}")

        ver = run([exe, "--version"], cwd=outside, env=env)
        if version not in ver.stdout:
            problems.append(f"pfocr-lint --version says {ver.stdout.strip()!r}, not {version}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    for p in problems:
        print(f"check_dist: {p}")
    if problems:
        return 1
    print(
        f"check_dist: {wheel_name} and {sdist_name} built; the wheel, installed into a fresh"
        f" environment, gives the checkout's {findings} findings on the seeds, and"
        f" `pfocr-lint reference` lists all {len(names)} sources"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
