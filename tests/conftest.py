import importlib.util
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
# Real PFOCR records (CC0) and their sidecar tables, copied byte-for-byte from
# the development corpus into the repository so the tests pass in any clone.
CORPUS = ROOT / "tests" / "fixtures" / "corpus"
RULES_MD = ROOT / "tests" / "fixtures" / "RULES.md"  # the rule catalogue, likewise copied
# The development material beside a checkout (never in a user's clone): only
# tests of what the project cannot ship read it, and they skip when it is absent.
SHARED = ROOT.parent / "shared"
# PFOCR's 2018 bioentities table (Apache-2.0) ships derived, with its attribution,
# as linter/refdata/pfocr_families.tsv.gz; only the test that checks the shipped
# file against the original (and one that configures it as an extra table) read it.
LEGACY_FAMILIES = SHARED / "reference" / "pfocr_2018_bioentities.csv"
LEGACY_ABSENT = (
    "needs ../shared/reference/pfocr_2018_bioentities.csv (PFOCR's 2018 bioentities "
    "table, the source of the shipped pfocr_families.tsv.gz), which is not beside this checkout"
)


@pytest.fixture
def root():
    return ROOT


@pytest.fixture
def cli_env(monkeypatch, tmp_path):
    """Run in an empty working directory with no CI / colour variables set."""
    monkeypatch.chdir(tmp_path)
    for name in ("CI", "GITHUB_ACTIONS", "NO_COLOR", "PFOCR_LINT_DEBUG"):
        monkeypatch.setenv(name, "")  # restored (removed) after the test
        monkeypatch.delenv(name)
    # the results cache's signing key in this test's folder, not the user's
    if "PFOCR_LINT_CACHE_SECRET_DIR" not in os.environ:  # a test's own choice wins
        monkeypatch.setenv("PFOCR_LINT_CACHE_SECRET_DIR", str(tmp_path / ".cache-secret"))
    return tmp_path


def run_cli(capsys, *args, check=True):
    """Run ``pfocr-lint [check --no-cache] ARGS`` in-process: (exit code, stdout, stderr)."""
    from linter.cli.main import main

    argv = ["check", "--no-cache", *args] if check else list(args)
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def load_tool(name: str):
    """``tools/<name>.py`` loaded as a module (the tools folder is no package)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def run_python(code: str, cwd: Path = ROOT) -> str:
    """The standard output of ``code`` (dedented) run by a fresh interpreter
    on this checkout, with no ``PFOCR_LINT*`` variable of the caller's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PFOCR_LINT")}
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=True,
        cwd=cwd,
        env={**env, "PYTHONPATH": str(ROOT)},
    )
    return result.stdout
